/**
 * JS heap bytes allocated per in-process authentication through the public API, in the form
 * bench/method-throughput.ts calls 'alone' (authenticate({ host, begin, transport }) against the
 * embedded authenticator with a plain user table, 64 in flight), or with BENCH_FORM=session in
 * its 'session' form (the caller's beginSession, authenticate({ session }), endSession): the
 * garbage that sets how often V8 scavenges its young generation under that load, and so the
 * event loop's delay p99.
 *
 * Bytes, not time: the young generation is made large enough that no GC runs while N
 * authentications go by, so the growth of the heap over them is every byte they allocated, and
 * the sampling heap profiler (every object still alive when it is read) says which function
 * allocated them (each allocation in the function that made it, and in the nearest of the
 * package's own functions on its stack). It re-runs itself with a young generation of 256 MB.
 *
 *   node dist/bench/alloc-per-auth.js [md5] [mschapv2]   (default: both)
 *   BENCH_FORM=session measures the session form; BENCH_AUTHS=N sets the authentications measured (default 4000); BENCH_TOP=K the functions listed
 *   (default 25); BENCH_SAMPLE=B the profiler's mean sampling interval in bytes (default 64);
 *   BENCH_TREE=B prints the call tree, every node that allocated at least B bytes per authentication.
 *
 * Functions V8 inlined are counted in the function they were inlined into; --no-turbo-inlining
 * splits them out (at the cost of allocations escape analysis would have removed).
 */
import { spawnSync } from 'child_process';
import { Session } from 'inspector';
import { PerformanceObserver } from 'perf_hooks';
import { getHeapStatistics } from 'v8';
import { BuiltinMethodName, authenticate, builtinMethods, createAuthenticator, openEapHost } from '../lib';

const IDENTITY = 'bench';
const PASSWORD = 'bench-password';
const CONCURRENCY = 64;
const SEMI_SPACE_MB = 256;

interface ProfileNode {
  callFrame: { functionName: string; url: string; lineNumber: number; columnNumber: number };
  selfSize: number;
  children: ProfileNode[];
}

function post<T>(session: Session, method: string, params?: object): Promise<T> {
  return new Promise((resolve, reject) => {
    session.post(method, params ?? {}, (error, result) => (error ? reject(error) : resolve(result as T)));
  });
}

/** Which of method-throughput.ts's forms runs: 'alone' (the default) or 'session'. */
const FORM = process.env.BENCH_FORM === 'session' ? 'session' : 'alone';

/** `count` authentications, CONCURRENCY at a time, in FORM. */
async function run(method: BuiltinMethodName, count: number,
                   host: Awaited<ReturnType<typeof openEapHost>>,
                   authenticator: Awaited<ReturnType<typeof createAuthenticator>>): Promise<void> {
  let next = 0;
  let successes = 0;
  await Promise.all(Array.from({ length: CONCURRENCY }, async () => {
    while (next < count) {
      next++;
      if (FORM === 'session') {
        const session = await host.beginSession({ method, identity: IDENTITY, password: PASSWORD });
        const result = await authenticate({ session, transport: authenticator.createConversation() });
        if (result.success) successes++;
        await session.endSession();
        continue;
      }
      const result = await authenticate({ host, begin: { method, identity: IDENTITY, password: PASSWORD },
        transport: authenticator.createConversation() });
      if (result.success) successes++;
    }
  }));
  if (successes !== count) throw new Error(`${method}: only ${successes}/${count} succeeded`);
}

function frameName(frame: ProfileNode['callFrame']): string {
  const file = frame.url.replace(/^.*\/dist\//, '').replace(/^file:\/\//, '');
  const name = frame.functionName || '(anonymous)';
  return file ? `${name} ${file}:${frame.lineNumber + 1}` : name;
}

/** Self bytes per allocating function, and per nearest frame in the package's own code. */
function breakdown(root: ProfileNode): { bySelf: Map<string, number>; byOwn: Map<string, number> } {
  const bySelf = new Map<string, number>();
  const byOwn = new Map<string, number>();
  const walk = (node: ProfileNode, own: string | undefined): void => {
    const name = frameName(node.callFrame);
    const ours = /\/dist\/lib\//.test(node.callFrame.url) ? name : own;
    if (node.selfSize > 0) {
      bySelf.set(name, (bySelf.get(name) ?? 0) + node.selfSize);
      const key = ours ?? `(outside lib) ${name}`;
      byOwn.set(key, (byOwn.get(key) ?? 0) + node.selfSize);
    }
    for (const child of node.children) walk(child, ours);
  };
  walk(root, undefined);
  return { bySelf, byOwn };
}

/** The call tree, every node whose subtree allocated at least `least` bytes per authentication. */
function printTree(root: ProfileNode, per: number, least: number): void {
  const total = (node: ProfileNode): number => node.children.reduce((sum, child) => sum + total(child), node.selfSize);
  const walk = (node: ProfileNode, depth: number): void => {
    const bytes = total(node) / per;
    if (bytes < least) return;
    console.log(`${'  '.repeat(depth)}${Math.round(bytes)} (self ${Math.round(node.selfSize / per)}) ${frameName(node.callFrame)}`);
    for (const child of node.children) walk(child, depth + 1);
  };
  walk(root, 0);
}

function top(map: Map<string, number>, count: number, per: number): { bytes: number; where: string }[] {
  return [...map.entries()].sort((a, b) => b[1] - a[1]).slice(0, count)
    .map(([where, bytes]) => ({ bytes: Math.round(bytes / per), where }));
}

async function measure(method: BuiltinMethodName): Promise<Record<string, unknown>> {
  const count = Number(process.env.BENCH_AUTHS ?? 4000);
  const topCount = Number(process.env.BENCH_TOP ?? 25);
  const interval = Number(process.env.BENCH_SAMPLE ?? 64);
  const host = await openEapHost();
  const authenticator = await createAuthenticator({ methods: [method], users: { [IDENTITY]: { password: PASSWORD } } });
  // Warm: the modules loaded, the code optimized, the caches filled.
  await run(method, 5000, host, authenticator);

  // The heap's growth over `count` authentications with no GC between: every byte they allocated.
  (global as { gc?: () => void }).gc?.();
  await new Promise((resolve) => setImmediate(resolve));
  let gcs = 0;
  const observer = new PerformanceObserver((list) => { gcs += list.getEntries().length; });
  observer.observe({ entryTypes: ['gc'] });
  const heapBefore = getHeapStatistics().used_heap_size;
  await run(method, count, host, authenticator);
  const heapBytes = getHeapStatistics().used_heap_size - heapBefore;
  await new Promise((resolve) => setImmediate(resolve));
  const gcsDuring = gcs;

  // Which function allocated them: the sampling profiler over as many authentications again.
  const session = new Session();
  session.connect();
  (global as { gc?: () => void }).gc?.();
  await post(session, 'HeapProfiler.startSampling', {
    samplingInterval: interval, includeObjectsCollectedByMajorGC: true, includeObjectsCollectedByMinorGC: true,
  });
  await run(method, count, host, authenticator);
  const { profile } = await post<{ profile: { head: ProfileNode } }>(session, 'HeapProfiler.getSamplingProfile');
  await post(session, 'HeapProfiler.stopSampling');
  session.disconnect();
  observer.disconnect();
  await authenticator.close();
  await host.close();

  if (process.env.BENCH_TREE) printTree(profile.head, count, Number(process.env.BENCH_TREE));
  const { bySelf, byOwn } = breakdown(profile.head);
  let sampled = 0;
  for (const bytes of bySelf.values()) sampled += bytes;
  return {
    method,
    form: FORM,
    authentications: count,
    concurrency: CONCURRENCY,
    gcsWhileCounting: gcsDuring,
    heapBytesPerAuth: Math.round(heapBytes / count),
    sampledBytesPerAuth: Math.round(sampled / count),
    byAllocatingFunction: top(bySelf, topCount, count),
    byNearestLibFrame: top(byOwn, topCount, count),
  };
}

async function main(): Promise<void> {
  const semiSpaceFlag = `--max-semi-space-size=${SEMI_SPACE_MB}`;
  if (!process.execArgv.some((flag) => flag.startsWith('--max-semi-space-size'))) {
    // A young generation too small to hold the counted run would scavenge in it.
    const rerun = spawnSync(process.execPath, ['--expose-gc', semiSpaceFlag, `--min-semi-space-size=${SEMI_SPACE_MB}`,
      ...process.execArgv, ...process.argv.slice(1)], { stdio: 'inherit' });
    process.exit(rerun.status ?? 1);
  }
  const requested = process.argv.slice(2);
  const methods = (requested.length ? requested : ['md5', 'mschapv2']) as BuiltinMethodName[];
  for (const method of methods) {
    if (!Object.prototype.hasOwnProperty.call(builtinMethods, method)) throw new Error(`unknown method ${method}`);
  }
  for (const method of methods) console.log(JSON.stringify(await measure(method), null, 1));
}

main().catch((error) => { console.error(error); process.exit(1); });
