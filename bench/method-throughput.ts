/**
 * Full in-process authentications per second through the public async API (64 concurrent:
 * openEapHost session + embedded authenticator + authenticate(); and authenticate() with a
 * session of its own, `host` and `begin` given), beside the same
 * conversations driven by a C++ loop (eaphost_bench.node, a separate addon) through the same
 * portable EAPHost library and method modules, in the same process. Prints both and their
 * ratio, per method, and the event-loop delay p99 (perf_hooks.monitorEventLoopDelay, 1 ms
 * resolution, the resolution subtracted) under the public API's load, beside the same
 * measurement on an idle loop just before it: the floor the machine itself sets. The JS thread's
 * CPU per authentication is split into the session's own life (beginSession + endSession alone,
 * at the same concurrency) and authenticate()'s share; beside it, how long the JS thread waited
 * for a core while it could run (Linux), the part of the p99 that other threads make.
 *
 *   node --expose-gc dist/bench/method-throughput.js [md5] [mschapv2] [gtc]   (default: md5 mschapv2)
 *   BENCH_AUTHS=N sets the authentications per measurement (default 20000 for MD5, 6000 otherwise);
 *   BENCH_PART=api (or loop) runs only the session form (or only the C++ loop), once after its warm-up,
 *   and prints its CPU per authentication by thread and the event-loop delay over that one run:
 *   short enough to run under callgrind (--separate-threads=yes), where two BENCH_AUTHS a known
 *   number apart give each thread's instructions per authentication by difference; with
 *   BENCH_AUTHS=60000, a second of one steady run's samples, where the rounds' short runs each
 *   begin and end;
 *   BENCH_RATE=N, with BENCH_PART=api: the authentications are started at most N a second (an
 *   offered load below the API's ceiling), so that two builds' event-loop delay is compared at one
 *   load, not each at its own ceiling;
 *   BENCH_ROUNDS=R the rounds (default 15): each runs half the C++ loop, the API both ways and the
 *   loop's other half, and the figures printed are medians over the rounds, each ratio taken
 *   within its round; the event-loop delay is taken over all rounds' samples together. Many
 *   short rounds, not a few long ones: a shared machine's speed can move by half within seconds,
 *   and a ratio holds only for a loop and an API measured at the same speed.
 */
import { readFileSync, readdirSync } from 'fs';
import { BuiltinMethodName, authenticate, builtinMethods, createAuthenticator, openEapHost } from '../lib';
import { loadPeerMethod } from '../lib/session/peer-method';
import { binding } from '../lib/native';
import { coreRoundTripNs, runConversationLoop } from './conversation-loop';
import { LoopDelay, loopDelayMonitor, loopDelayOver, pooledDelay } from './loop-delay';
import { cpuMs, procStat } from './support/proc-cpu';

const IDENTITY = 'bench';
const PASSWORD = 'bench-password';

interface ApiFigures {
  rate: number;
  /** Event-loop delay under the load. */
  loopDelay: LoopDelay;
  /** Host-thread jobs per authentication, jobs per host-thread wake-up (batch), and JS turns
   *  (drains of completions) per authentication. */
  jobsPerAuth: number;
  jobsPerBatch: number;
  drainsPerAuth: number;
  /** CPU time per authentication, in µs: the JS (main) thread's, and the whole process's (the
   *  host thread, GC and the rest). Wall-clock rates move with whatever else the machine runs;
   *  these move far less. */
  jsCpuUsPerAuth?: number;
  /** How long the JS thread waited for a core while it could run, in µs per authentication: the
   *  time another thread (the host thread, V8's helpers, another process) held the core it was
   *  queued on. */
  jsWaitUsPerAuth?: number;
  /** The host thread's CPU time per authentication, in µs (Linux): the EAP work the C++ loop
   *  does on its one thread, with the jobs' hand-overs. */
  hostCpuUsPerAuth?: number;
  processCpuUsPerAuth: number;
}

/** The main thread's CPU time so far, in µs (Linux: /proc; undefined elsewhere). */
function mainThreadCpuUs(): number | undefined {
  try {
    return cpuMs(`self/task/${process.pid}`) * 1000;
  } catch {
    return undefined;
  }
}
/** The main thread's time spent runnable but waiting for a core so far, in µs (Linux: the second
 *  field of /proc's schedstat, in ns; undefined elsewhere). */
function mainThreadWaitUs(): number | undefined {
  try {
    return Number(readFileSync(`/proc/self/task/${process.pid}/schedstat`, 'utf8').split(' ')[1]) / 1000;
  } catch {
    return undefined;
  }
}

/** The CPU time so far of this process's threads named `name`, in µs (Linux: /proc; undefined
 *  elsewhere or when none is). */
function namedThreadsCpuUs(name: string): number | undefined {
  let total: number | undefined;
  try {
    for (const task of readdirSync('/proc/self/task')) {
      const stat = procStat(`self/task/${task}`);
      if (stat.name !== name) continue;
      total = (total ?? 0) + stat.cpuMs * 1000;
    }
  } catch {
    return undefined;
  }
  return total;
}
const HOST_THREAD = 'eaphost host';

/** `after - before` per authentication, to `digits` decimals; undefined when either is. */
function perAuth(before: number | undefined, after: number | undefined, total: number, digits = 1): number | undefined {
  return before === undefined || after === undefined ? undefined : Number(((after - before) / total).toFixed(digits));
}

/** How each authentication gets its session: begun, authenticated and ended by the caller
 *  ('session'); the same, the session dropped, never ended ('dropped'); or authenticate()'s own,
 *  begun and ended with it (`host` and `begin` given: 'alone'). */
type SessionUse = 'session' | 'dropped' | 'alone';

/** With an offered `rate` (a second), the `n`th authentication waits until its time from `start`,
 *  a turn of the loop at a time (a millisecond's timer would start each millisecond's share in one
 *  burst, and the delay measured would be the bursts'). */
async function offered(n: number, start: bigint, rate: number | undefined): Promise<void> {
  if (rate === undefined) return;
  const due = start + BigInt(Math.round((n * 1e9) / rate));
  while (process.hrtime.bigint() < due) await new Promise((resolve) => setImmediate(resolve));
}

async function publicApi(method: BuiltinMethodName, total: number, concurrency: number, use: SessionUse = 'session',
  rate?: number): Promise<ApiFigures> {
  const host = await openEapHost();
  const authenticator = await createAuthenticator({ methods: [method], users: { [IDENTITY]: { password: PASSWORD } } });
  let next = 0;
  let successes = 0;
  const before = binding.hostThreadStats();
  const jsCpuBefore = mainThreadCpuUs();
  const jsWaitBefore = mainThreadWaitUs();
  const hostBefore = namedThreadsCpuUs(HOST_THREAD);
  const cpuBefore = process.cpuUsage();
  const start = process.hrtime.bigint();
  const chains = Promise.all(Array.from({ length: concurrency }, async () => {
    while (next < total) {
      await offered(next++, start, rate);
      if (use === 'alone') {
        const result = await authenticate({ host, begin: { method, identity: IDENTITY, password: PASSWORD },
          transport: authenticator.createConversation() });
        if (result.success) successes++;
        continue;
      }
      const session = await host.beginSession({ method, identity: IDENTITY, password: PASSWORD });
      const result = await authenticate({ session, transport: authenticator.createConversation() });
      if (result.success) successes++;
      if (use === 'session') await session.endSession();
    }
  }));
  // Measured once all are in flight: their first calls, made together in the turn above, are the
  // load setting out, a burst of `concurrency` beginnings at once, not the load the p99 is of.
  const delay = loopDelayMonitor();
  await chains;
  const seconds = Number(process.hrtime.bigint() - start) / 1e9;
  const cpu = process.cpuUsage(cpuBefore);
  const jsCpuAfter = mainThreadCpuUs();
  const jsWaitAfter = mainThreadWaitUs();
  const hostAfter = namedThreadsCpuUs(HOST_THREAD);
  const late = delay.stop();
  const after = binding.hostThreadStats();
  const jobs = after.jobs - before.jobs;
  if (successes !== total) throw new Error(`${method}: only ${successes}/${total} succeeded`);
  await authenticator.close();
  await host.close();
  return {
    rate: total / seconds, loopDelay: late,
    jobsPerAuth: Number((jobs / total).toFixed(2)),
    jobsPerBatch: Number((jobs / Math.max(1, after.batches - before.batches)).toFixed(1)),
    drainsPerAuth: Number(((after.drains - before.drains) / total).toFixed(2)),
    jsCpuUsPerAuth: perAuth(jsCpuBefore, jsCpuAfter, total),
    jsWaitUsPerAuth: perAuth(jsWaitBefore, jsWaitAfter, total, 2),
    hostCpuUsPerAuth: perAuth(hostBefore, hostAfter, total),
    processCpuUsPerAuth: Number(((cpu.user + cpu.system) / total).toFixed(1)),
  };
}

/** The JS thread's CPU per beginSession + endSession pair with no authentication between, at the
 *  same concurrency: what of jsCpuUsPerAuth the session's own life costs, the rest being
 *  authenticate()'s. */
async function sessionOnlyJsCpu(method: BuiltinMethodName, total: number, concurrency: number): Promise<number | undefined> {
  const host = await openEapHost();
  let next = 0;
  const before = mainThreadCpuUs();
  await Promise.all(Array.from({ length: concurrency }, async () => {
    while (next < total) {
      next++;
      const session = await host.beginSession({ method, identity: IDENTITY, password: PASSWORD });
      await session.endSession();
    }
  }));
  const after = mainThreadCpuUs();
  await host.close();
  return before === undefined || after === undefined ? undefined : Number(((after - before) / total).toFixed(1));
}

interface LoopRun { count: number; seconds: number; cpuUs: number }

async function nativeLoop(method: BuiltinMethodName, total: number): Promise<LoopRun> {
  const peer = await loadPeerMethod(method);
  const userBlob = await peer.userBlob(IDENTITY, PASSWORD);
  // The process's CPU while the loop runs: its one thread's, the JS thread waiting.
  const cpuBefore = process.cpuUsage();
  const result = await runConversationLoop({ method, count: total, userBlob, password: PASSWORD });
  const cpu = process.cpuUsage(cpuBefore);
  if (result.successes !== total) throw new Error(`${method} native loop: only ${result.successes}/${total} succeeded`);
  userBlob.fill(0);
  await peer.close();
  return { count: total, seconds: result.elapsedMs / 1000, cpuUs: cpu.user + cpu.system };
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}

/** One round: half the C++ loop's authentications, the API both ways, then the loop's other
 *  half, back to back. Each ratio is taken against the loop of its own round, whose two halves
 *  bracket the API's runs: the machine's speed drifts within a round as well as between rounds,
 *  and a loop run only before the API would stand for the API's time by its own seconds alone. */
interface Round { native: number; nativeCpuUsPerAuth: number; api: ApiFigures; alone: ApiFigures; coreRoundTripNs: number }

/** The C++ loop's rate over two runs of `total / 2` authentications: all of them over both runs'
 *  seconds. */
function bracketed(before: LoopRun, after: LoopRun): number {
  return (before.count + after.count) / (before.seconds + after.seconds);
}

/** BENCH_PART: one part alone, after a warm-up of the same size. */
async function measurePart(method: BuiltinMethodName, part: string, total: number): Promise<Record<string, unknown>> {
  if (part === 'loop') {
    await nativeLoop(method, total);
    const run = await nativeLoop(method, total);
    return { method, part, authentications: total, authsPerSecond: Math.round(run.count / run.seconds),
      processCpuUsPerAuth: Number((run.cpuUs / total).toFixed(1)) };
  }
  if (part !== 'api') throw new Error(`BENCH_PART must be api or loop, not ${part}`);
  const rate = process.env.BENCH_RATE === undefined ? undefined : Number(process.env.BENCH_RATE);
  await publicApi(method, total, 64, 'session', rate);
  const api = await publicApi(method, total, 64, 'session', rate);
  return { method, part, authentications: total, concurrency: 64, offeredRate: rate, authsPerSecond: Math.round(api.rate),
    jsCpuUsPerAuth: api.jsCpuUsPerAuth, hostCpuUsPerAuth: api.hostCpuUsPerAuth, processCpuUsPerAuth: api.processCpuUsPerAuth,
    eventLoopDelayP99Ms: api.loopDelay.p99Ms, eventLoopDelaySamples: api.loopDelay.count };
}

async function measure(method: BuiltinMethodName): Promise<Record<string, unknown>> {
  const total = Number(process.env.BENCH_AUTHS ?? (method === 'md5' ? 20000 : 6000));
  const part = process.env.BENCH_PART;
  if (part !== undefined) return measurePart(method, part, total);
  const roundCount = Number(process.env.BENCH_ROUNDS ?? 15);
  // A whole round's worth: after a twentieth of one, the first round ran lower than the rest.
  const warmUp = total;
  await publicApi(method, warmUp, 64);
  await publicApi(method, warmUp, 64, 'alone');
  await nativeLoop(method, warmUp);
  // The same measurement with nothing running: what the machine itself allows.
  const idle = await loopDelayOver(1);
  const rounds: Round[] = [];
  for (let i = 0; i < roundCount; i++) {
    const before = await nativeLoop(method, Math.ceil(total / 2));
    const coreNs = await coreRoundTripNs();
    const api = await publicApi(method, total, 64);
    const alone = await publicApi(method, total, 64, 'alone');
    const after = await nativeLoop(method, Math.ceil(total / 2));
    rounds.push({ native: bracketed(before, after), nativeCpuUsPerAuth: (before.cpuUs + after.cpuUs) / (before.count + after.count),
      api, alone, coreRoundTripNs: coreNs });
  }
  const dropped = await publicApi(method, total, 64, 'dropped');
  const sessionJs = await sessionOnlyJsCpu(method, Math.max(1000, Math.floor(total / 4)), 64);
  const pick = (figure: (round: Round) => number, digits = 3) => Number(median(rounds.map(figure)).toFixed(digits));
  const api = rounds[rounds.length - 1].api;
  const alone = rounds[rounds.length - 1].alone;
  const jsCpu = pick((r) => r.api.jsCpuUsPerAuth ?? NaN, 1);
  const apiDelay = pooledDelay(rounds.map((r) => r.api.loopDelay));
  return {
    method,
    authentications: total,
    concurrency: 64,
    rounds: roundCount,
    // Medians over the rounds; each ratio is its round's API rate over the same round's loop.
    publicApiAuthsPerSecond: pick((r) => r.api.rate, 0),
    nativeLoopAuthsPerSecond: pick((r) => r.native, 0),
    nativeLoopProcessCpuUsPerAuth: pick((r) => r.nativeCpuUsPerAuth, 1),
    ratio: pick((r) => r.api.rate / r.native),
    ratios: rounds.map((r) => Number((r.api.rate / r.native).toFixed(3))),
    // authenticate({ host, begin, transport }): the session begun and ended with it, in one job.
    aloneAuthsPerSecond: pick((r) => r.alone.rate, 0),
    aloneRatio: pick((r) => r.alone.rate / r.native),
    aloneRatios: rounds.map((r) => Number((r.alone.rate / r.native).toFixed(3))),
    // Each round's cache-line round trip between the two cores, just before its API runs.
    coreRoundTripNs: pick((r) => r.coreRoundTripNs, 0),
    coreRoundTripsNs: rounds.map((r) => Math.round(r.coreRoundTripNs)),
    aloneEventLoopDelayP99Ms: pooledDelay(rounds.map((r) => r.alone.loopDelay)).p99Ms,
    aloneJobsPerAuth: alone.jobsPerAuth,
    aloneJsCpuUsPerAuth: pick((r) => r.alone.jsCpuUsPerAuth ?? NaN, 1),
    aloneProcessCpuUsPerAuth: pick((r) => r.alone.processCpuUsPerAuth, 1),
    droppedSessionsAuthsPerSecond: Math.round(dropped.rate),
    droppedToEndedRatio: Number((dropped.rate / api.rate).toFixed(3)),
    // Over every round's samples together.
    eventLoopDelayP99Ms: apiDelay.p99Ms,
    eventLoopDelayMaxMs: apiDelay.maxMs,
    // One a millisecond of the API's runs: the p99 is the hundredth-worst of them, so a faster
    // build's p99 rests on fewer samples (BENCH_PART=api BENCH_AUTHS=60000 reads one long run).
    eventLoopDelaySamples: rounds.reduce((sum, r) => sum + r.api.loopDelay.count, 0),
    idleEventLoopDelayP99Ms: idle.p99Ms,
    jobsPerAuth: api.jobsPerAuth,
    jobsPerBatch: api.jobsPerBatch,
    drainsPerAuth: api.drainsPerAuth,
    jsCpuUsPerAuth: jsCpu,
    jsWaitUsPerAuth: pick((r) => r.api.jsWaitUsPerAuth ?? NaN, 2),
    hostCpuUsPerAuth: pick((r) => r.api.hostCpuUsPerAuth ?? NaN, 1),
    sessionOnlyJsCpuUsPerAuth: sessionJs,
    authenticateJsCpuUsPerAuth: Number.isNaN(jsCpu) || sessionJs === undefined ? undefined
      : Number((jsCpu - sessionJs).toFixed(1)),
    processCpuUsPerAuth: pick((r) => r.api.processCpuUsPerAuth, 1),
  };
}

async function main(): Promise<void> {
  const requested = process.argv.slice(2);
  const methods = (requested.length ? requested : ['md5', 'mschapv2']) as BuiltinMethodName[];
  for (const method of methods) {
    if (!Object.prototype.hasOwnProperty.call(builtinMethods, method)) throw new Error(`unknown method ${method}`);
  }
  for (const method of methods) console.log(JSON.stringify(await measure(method)));
}

main().catch((error) => { console.error(error); process.exit(1); });
