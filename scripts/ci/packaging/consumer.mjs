// A consumer's ES module: named imports from the installed package, then one EAP-MD5
// authentication that must succeed and one with a wrong password that must fail.
import { authenticate, createAuthenticator, openEapHost, EapError } from 'eaphost';

const users = { alice: { password: 'correct horse battery staple' } };
// jscpd:ignore-start -- deliberate symmetry: consumer.cjs makes the same attempt through require();
// each consumer must stand alone as a package user's file, so neither can import the other.
async function attempt(password) {
  const host = await openEapHost();
  const authenticator = await createAuthenticator({ users });
  try {
    const session = await host.beginSession({ method: 'md5', identity: 'alice', password });
    try {
      return await authenticate({ session, transport: authenticator.createConversation() });
    } finally {
      await session.endSession();
    }
  } finally {
    await authenticator.close();
    await host.close();
  }
}
// jscpd:ignore-end

if (typeof EapError !== 'function') throw new Error('EapError is not exported to ES modules');
const good = await attempt('correct horse battery staple');
const bad = await attempt('Tr0ub4dor&3');
if (good.success !== true || good.method !== 4) throw new Error(`ESM: expected EAP-MD5 success, got ${JSON.stringify(good)}`);
if (bad.success !== false) throw new Error('ESM: a wrong password authenticated');
console.log(`esm: success with the right password, failure with a wrong one (${good.roundTrips} round trips)`);
