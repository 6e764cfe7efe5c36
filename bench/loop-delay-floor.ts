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
 *   node dist/bench/loop-delay-floor.js     BENCH_SECONDS=S sets each phase's length (default 3)
 */
import { createHistogram, monitorEventLoopDelay } from 'perf_hooks';
import { Worker } from 'worker_threads';

const RESOLUTION_MS = 1;
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

/** monitorEventLoopDelay's p99 and max over `seconds`, the resolution subtracted (as
 *  method-throughput does), in ms. */
async function timerDelay(seconds: number): Promise<{ p99Ms: number; maxMs: number }> {
  const histogram = monitorEventLoopDelay({ resolution: RESOLUTION_MS });
  histogram.enable();
  await new Promise((resolve) => setTimeout(resolve, seconds * 1000));
  histogram.disable();
  const late = (ns: number) => Number(Math.max(0, ns / 1e6 - RESOLUTION_MS).toFixed(3));
  return { p99Ms: late(histogram.percentile(99)), maxMs: late(histogram.max) };
}

async function main(): Promise<void> {
  const alone = await timerDelay(SECONDS);

  const flag = new SharedArrayBuffer(4);
  const worker = new Worker(SENDER, { eval: true, workerData: flag });
  const waited = createHistogram();
  worker.on('message', (sent: number) => {
    const delay = Number(process.hrtime.bigint()) - sent;
    if (delay > 0) waited.record(delay);
  });
  await new Promise((resolve) => worker.once('online', resolve));
  const woken = await timerDelay(SECONDS);
  Atomics.store(new Int32Array(flag), 0, 1);
  await new Promise((resolve) => worker.once('exit', resolve));

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
  }));
}

main().catch((error) => { console.error(error); process.exit(1); });
