/**
 * Full in-process authentications per second through the public async API (64 concurrent:
 * openEapHost session + embedded authenticator + authenticate()), beside the same
 * conversations driven by a C++ loop on the host thread through the same EAPHost table and
 * method modules, in the same process. Prints both and their ratio, per method.
 *
 *   node --expose-gc dist/bench/method-throughput.js [md5] [mschapv2] [gtc]   (default: md5 mschapv2)
 *   BENCH_AUTHS=N sets the authentications per measurement (default 100000 for MD5, 20000 otherwise).
 */
import { monitorEventLoopDelay } from 'perf_hooks';
import { BuiltinMethodName, authenticate, builtinMethods, createAuthenticator, loadPeerMethod, openEapHost } from '../lib';
import { runConversationLoop } from './conversation-loop';

const IDENTITY = 'bench';
const PASSWORD = 'bench-password';

interface ApiFigures {
  rate: number;
  /** Event-loop delay under the load, in ms (perf_hooks.monitorEventLoopDelay, sampled every 1 ms). */
  loopDelayP99Ms: number;
  loopDelayMaxMs: number;
}

async function publicApi(method: BuiltinMethodName, total: number, concurrency: number): Promise<ApiFigures> {
  const host = await openEapHost();
  const authenticator = await createAuthenticator({ methods: [method], users: { [IDENTITY]: { password: PASSWORD } } });
  let next = 0;
  let successes = 0;
  const delay = monitorEventLoopDelay({ resolution: 1 });
  delay.enable();
  const start = process.hrtime.bigint();
  await Promise.all(Array.from({ length: concurrency }, async () => {
    while (next < total) {
      next++;
      const session = await host.beginSession({ method, identity: IDENTITY, password: PASSWORD });
      const result = await authenticate({ session, transport: authenticator.createConversation() });
      if (result.success) successes++;
      await session.endSession();
    }
  }));
  const seconds = Number(process.hrtime.bigint() - start) / 1e9;
  delay.disable();
  if (successes !== total) throw new Error(`${method}: only ${successes}/${total} succeeded`);
  await authenticator.close();
  await host.close();
  return { rate: total / seconds, loopDelayP99Ms: delay.percentile(99) / 1e6, loopDelayMaxMs: delay.max / 1e6 };
}

async function nativeLoop(method: BuiltinMethodName, total: number): Promise<number> {
  const peer = await loadPeerMethod(method);
  const userBlob = await peer.userBlob(IDENTITY, PASSWORD);
  const result = await runConversationLoop({ method, count: total, userBlob, password: PASSWORD });
  if (result.successes !== total) throw new Error(`${method} native loop: only ${result.successes}/${total} succeeded`);
  userBlob.fill(0);
  await peer.close();
  return total / (result.elapsedMs / 1000);
}

async function measure(method: BuiltinMethodName): Promise<Record<string, unknown>> {
  const total = Number(process.env.BENCH_AUTHS ?? (method === 'md5' ? 100000 : 20000));
  const warmUp = Math.max(1000, Math.floor(total / 20));
  await publicApi(method, warmUp, 64);
  await nativeLoop(method, warmUp);
  const api = await publicApi(method, total, 64);
  const native = await nativeLoop(method, total);
  return {
    method,
    authentications: total,
    concurrency: 64,
    publicApiAuthsPerSecond: Math.round(api.rate),
    nativeLoopAuthsPerSecond: Math.round(native),
    ratio: Number((api.rate / native).toFixed(3)),
    eventLoopDelayP99Ms: Number(api.loopDelayP99Ms.toFixed(3)),
    eventLoopDelayMaxMs: Number(api.loopDelayMaxMs.toFixed(3)),
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
