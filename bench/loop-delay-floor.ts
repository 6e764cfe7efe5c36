/**
 * What perf_hooks.monitorEventLoopDelay at 1 ms resolution (method-throughput's `p99`) reads on
 * an event loop that does no work at all: first left alone, then woken by a worker thread's
 * message every 1 to 3 ms at random moments. Beside it, each message's own delay: the worker
 * stamps it (process.hrtime, the same monotonic clock in every thread) and the loop takes the
 * difference when the message's callback runs, which is how long that event really waited.
 *
 * libuv counts its timers in whole milliseconds: a loop that sleeps computes its sleep from the
 * millisecond it woke in, so its timer can run up to 1 ms after it was due with nothing
 * delaying the loop. This prints that floor of the tool on this machine.
 *
 * Last, the loop saturated with plain JS and no thread of ours: 64 tasks in flight, each
 * BENCH_WORK_US (default 45, the API's JS CPU per EAP-MSCHAPv2 authentication) of work in three
 * parts with a turn of the loop between, at most 16 parts a turn (two drain slices of 8, as the
 * addon settles completions), about 8 KB of garbage per task and 1.7 KB kept across its turns:
 * method-throughput's load on the JS thread without the host thread beside it. What this reads
 * is what any design that keeps the JS thread this busy reads here.
 *
 *   node dist/bench/loop-delay-floor.js     BENCH_SECONDS=S sets each phase's length (default 3)
 */
import { createHistogram } from 'perf_hooks';
import { Worker } from 'worker_threads';
import { RESOLUTION_MS, loopDelayOver } from './loop-delay';

const SECONDS = Number(process.env.BENCH_SECONDS ?? 3);

// The worker: a message every 1 to 3 ms (Atomics.wait as the sleep), stamped as it is sent,
// until the flag is set.
const SENDER = `
const { parentPort, workerData } = require('worker_threads');
const flag = new Int32Array(workerData);
while (Atomics.load(flag, 0) === 0) {
  Atomics.wait(flag, 0, 0, 1 + 2 * Math.random());
  parentPort.postMessage(Number(process.hrtime.bigint()));
}`;

const WORK_US = Number(process.env.BENCH_WORK_US ?? 45);
const IN_FLIGHT = 64;
const PARTS_A_TURN = 16;

/** Spins for `us` microseconds of the JS thread's time. */
function work(us: number): number {
  const end = process.hrtime.bigint() + BigInt(Math.round(us * 1000));
  let spins = 0;
  while (process.hrtime.bigint() < end) spins++;
  return spins;
}

/** About 2.7 KB of short-lived objects. */
function garbage(): number {
  const made: { at: number; pair: number[] }[] = [];
  for (let i = 0; i < 30; i++) made.push({ at: i, pair: [i, i + 1] });
  return made.length;
}

/** The saturated loop: tasks a second and the timer's p99 and max over `seconds`. */
async function saturated(seconds: number): Promise<{ rate: number; p99Ms: number; maxMs: number }> {
  const ready: (() => void)[] = [];
  let pumping = false;
  const pump = (): void => {
    for (let i = 0; i < PARTS_A_TURN && ready.length > 0; i++) (ready.shift() as () => void)();
    if (ready.length > 0) setImmediate(pump);
    else pumping = false;
  };
  const turn = (): Promise<void> => new Promise((resolve) => {
    ready.push(resolve);
    if (!pumping) {
      pumping = true;
      setImmediate(pump);
    }
  });
  let running = true;
  let done = 0;
  const task = async (): Promise<void> => {
    while (running) {
      const kept: { at: number; value: { at: number } }[] = [];
      for (let i = 0; i < 20; i++) kept.push({ at: i, value: { at: i } });
      for (let part = 0; part < 3; part++) {
        await turn();
        work(WORK_US / 3);
        garbage();
      }
      if (kept.length === 20) done++;
    }
  };
  const tasks = Array.from({ length: IN_FLIGHT }, task);
  const start = process.hrtime.bigint();
  const delay = await loopDelayOver(seconds);
  running = false;
  const rate = done / (Number(process.hrtime.bigint() - start) / 1e9);
  await Promise.all(tasks);
  return { rate: Math.round(rate), ...delay };
}

async function main(): Promise<void> {
  const alone = await loopDelayOver(SECONDS);

  const flag = new SharedArrayBuffer(4);
  const worker = new Worker(SENDER, { eval: true, workerData: flag });
  const waited = createHistogram();
  worker.on('message', (sent: number) => {
    const delay = Number(process.hrtime.bigint()) - sent;
    if (delay > 0) waited.record(delay);
  });
  await new Promise((resolve) => worker.once('online', resolve));
  const woken = await loopDelayOver(SECONDS);
  Atomics.store(new Int32Array(flag), 0, 1);
  await new Promise((resolve) => worker.once('exit', resolve));
  await saturated(1);  // warm-up: the work compiled, the young generation grown
  const busy = await saturated(SECONDS);

  const ms = (ns: number) => Number((ns / 1e6).toFixed(3));
  console.log(JSON.stringify({
    resolutionMs: RESOLUTION_MS,
    seconds: SECONDS,
    // The loop alone: the machine's own pauses.
    idleTimerDelayP99Ms: alone.p99Ms,
    // The same loop taking a message every 1 to 3 ms and doing nothing else.
    wokenTimerDelayP99Ms: woken.p99Ms,
    wokenTimerDelayMaxMs: woken.maxMs,
    messages: waited.count,
    messageDelayP50Ms: ms(waited.percentile(50)),
    messageDelayP99Ms: ms(waited.percentile(99)),
    // The loop saturated with plain JS at the API's work and garbage per authentication.
    workUsPerTask: WORK_US,
    saturatedTasksPerSecond: busy.rate,
    saturatedTimerDelayP99Ms: busy.p99Ms,
    saturatedTimerDelayMaxMs: busy.maxMs,
  }));
}

main().catch((error) => { console.error(error); process.exit(1); });
