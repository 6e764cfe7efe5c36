// A consumer's CommonJS module: require() the installed package and authenticate, through the
// method modules it ships, once with the right and once with a wrong password.
'use strict';
const { authenticate, createAuthenticator, openEapHost, builtinMethods } = require('eaphost');
const fs = require('fs');

async function attempt(password) {
  const host = await openEapHost();
  const authenticator = await createAuthenticator({ users: { alice: { password: 'correct horse battery staple' } } });
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

(async () => {
  if (!fs.existsSync(builtinMethods.md5.path)) throw new Error(`CJS: ${builtinMethods.md5.path} is missing`);
  const good = await attempt('correct horse battery staple');
  const bad = await attempt('wrong');
  if (good.success !== true) throw new Error(`CJS: expected success, got ${JSON.stringify(good)}`);
  if (bad.success !== false) throw new Error('CJS: a wrong password authenticated');
  console.log(`cjs: success and failure as expected; method module ${builtinMethods.md5.path}`);
})().catch((err) => {
  console.error(err);
  process.exitCode = 1;
});
