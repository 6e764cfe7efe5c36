/**
 * The child of test/linux/packet-copies: N in-process authentications through the public API
 * (as bench/method-throughput runs them, without onPacket), then the round trips on stdout.
 *   node copy-count-run.js <method> <count>
 */
import { authenticate, createAuthenticator, openEapHost } from '../../lib';
import type { BuiltinMethodName } from '../../lib';

async function main(): Promise<void> {
  const method = process.argv[2] as BuiltinMethodName;
  const count = Number(process.argv[3]);
  const identity = 'copy-count';
  const password = 'copy-count-password';
  await using host = await openEapHost();
  await using authenticator = await createAuthenticator({ methods: [method], users: { [identity]: { password } } });
  let roundTrips = 0;
  for (let i = 0; i < count; i++) {
    const session = await host.beginSession({ method, identity, password });
    try {
      const result = await authenticate({ session, transport: authenticator.createConversation() });
      if (!result.success) throw new Error(`${method}: ${result.reason}`);
      roundTrips += result.roundTrips;
    } finally {
      await session.endSession();
    }
  }
  process.stdout.write(`${roundTrips}\n`);
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
