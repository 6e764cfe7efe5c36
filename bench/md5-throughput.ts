/**
 * Full in-process EAP-MD5 authentications per second through the public async API
 * (64 concurrent: openEapHost session + embedded authenticator + authenticate()), beside the
 * same conversations driven by a C++ loop on the host thread through the same EAPHost table
 * and method modules, in the same process. Prints both and their ratio.
 */
import { authenticate, builtinMethods, createAuthenticator, loadAuthenticatorMethod, loadPeerMethod, openEapHost } from '../lib';
import { binding } from '../lib/native';

async function publicApi(total: number, concurrency: number): Promise<number> {
  const host = await openEapHost();
  const authenticator = await createAuthenticator({ users: { bench: { password: 'bench-password' } } });
  let next = 0;
  let successes = 0;
  const start = process.hrtime.bigint();
  await Promise.all(Array.from({ length: concurrency }, async () => {
    while (next < total) {
      next++;
      const session = await host.beginSession({ method: 'md5', identity: 'bench', password: 'bench-password' });
      const result = await authenticate({ session, transport: authenticator.createConversation() });
      if (result.success) successes++;
      await session.endSession();
    }
  }));
  const seconds = Number(process.hrtime.bigint() - start) / 1e9;
  if (successes !== total) throw new Error(`only ${successes}/${total} succeeded`);
  await authenticator.close();
  await host.close();
  return total / seconds;
}

async function nativeLoop(total: number): Promise<number> {
  const host = await openEapHost();
  const method = await loadAuthenticatorMethod('md5');
  const peer = await loadPeerMethod('md5');
  const blob = await peer.userBlob('bench', 'bench-password');
  const handle = (host as unknown as { handle: unknown }).handle;
  const result = await binding.benchConversations(handle, method.handle, builtinMethods.md5.methodType, total, blob, 'bench-password');
  if (result.successes !== total) throw new Error(`native loop: only ${result.successes}/${total} succeeded`);
  await peer.close();
  await method.close();
  await host.close();
  return total / (result.elapsedMs / 1000);
}

async function main(): Promise<void> {
  const total = Number(process.env.BENCH_AUTHS ?? 100000);
  await publicApi(5000, 64);  // warm-up
  await nativeLoop(5000);
  const api = await publicApi(total, 64);
  const native = await nativeLoop(total);
  const ratio = api / native;
  console.log(JSON.stringify({
    authentications: total,
    publicApiAuthsPerSecond: Math.round(api),
    nativeLoopAuthsPerSecond: Math.round(native),
    ratio: Number(ratio.toFixed(3)),
  }));
}

main().catch((error) => { console.error(error); process.exit(1); });
