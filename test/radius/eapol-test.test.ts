import { strict as assert } from 'node:assert';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createAuthenticator, Authenticator, UserStore } from '../../lib';
import { RadiusServer } from '../../lib/radius';
import { runEapolTest, runEapolTestMd5 } from '../support/eapol-test';
import { ServeProcess, startEaphostServe } from '../support/eaphost-serve';
import { makeTempDir } from '../support/programs';

/** eapol_test (wpa_supplicant's) as supplicant + NAS against our authenticator behind RADIUS. */
const SECRET = 'eapol-test-secret';
const USERS = { carol: { password: 'open sesame' } };

/** The same user behind each kind of store: the engine answers a plain table itself and asks JS
 *  about the others, a lookup function's answer at once, a promise's when it settles. */
const STORES: [string, () => UserStore | typeof USERS][] = [
  ['a plain table', () => USERS],
  ['a lookup function', () => ({ lookup: (identity: string) => USERS[identity as 'carol'] })],
  ['a lookup returning a promise', () => ({
    lookup: (identity: string) => new Promise((resolve) => setTimeout(() => resolve(USERS[identity as 'carol']), 5)),
  })],
];

for (const [kind, store] of STORES) {
  describe(`eapol_test against RadiusServer (embedded authenticator), users from ${kind}`, function () {
    this.timeout(60_000);
    let authenticator: Authenticator;
    let server: RadiusServer;
    let port: number;

    before(async () => {
      authenticator = await createAuthenticator({ methods: ['md5', 'mschapv2'], users: store() });
      server = new RadiusServer({ host: '127.0.0.1', port: 0, secret: SECRET, authenticator });
      port = (await server.listen()).port;
    });
    after(async () => {
      await server?.close();
      await authenticator?.close();
    });

    it('MD5 success: eapol_test exits 0', async () => {
      const result = await runEapolTestMd5({ host: '127.0.0.1', port, secret: SECRET, identity: 'carol', password: 'open sesame' });
      assert.equal(result.success, true, result.stdout.slice(-3000));
      assert.equal(server.activeConversations, 0);
    });

    it('MD5 with a wrong password: Access-Reject, eapol_test fails', async () => {
      const before = server.stats.rejects;
      const result = await runEapolTestMd5({ host: '127.0.0.1', port, secret: SECRET, identity: 'carol', password: 'closed' });
      assert.equal(result.success, false);
      assert.match(result.stdout, /Access-Reject/);
      assert.equal(server.stats.rejects, before + 1);
    });

    it('MSCHAPv2 (after a Nak): success with eapol_test\'s MSK equal to our MS-MPPE keys; a wrong password fails', async () => {
      const target = { host: '127.0.0.1', port, secret: SECRET, identity: 'carol', method: 'MSCHAPV2' as const };
      const good = await runEapolTest({ ...target, password: 'open sesame' });
      assert.equal(good.success, true, good.stdout.slice(-3000));
      assert.equal(good.mppeKeysOk, 1, 'eapol_test compared its MSK with our MS-MPPE keys');
      assert.equal(good.mppeKeysMismatch, 0);
      const wrong = await runEapolTest({ ...target, password: 'open sesame!' });
      assert.equal(wrong.success, false);
      assert.match(wrong.stdout, /Access-Reject/);
    });

    it('a wrong shared secret: eapol_test\'s requests are dropped as unauthenticated and counted', async () => {
      const before = server.stats.droppedUnauthenticated;
      const result = await runEapolTestMd5({ host: '127.0.0.1', port, secret: 'wrong', identity: 'carol', password: 'open sesame', timeoutSeconds: 2 });
      assert.equal(result.success, false);
      assert.ok(server.stats.droppedUnauthenticated > before);
    });
  });
}

describe('eapol_test against `eaphost serve`', function () {
  this.timeout(60_000);

  it('serves MSCHAPV2 (eapol_test: MPPE keys OK), GTC and MD5 from one --methods list; wrong passwords fail', async () => {
    const dir = makeTempDir('serve-methods');
    const usersFile = join(dir.path, 'users.json');
    writeFileSync(usersFile, JSON.stringify({ judy: { password: 'judy pa55' } }));
    let serve: ServeProcess | undefined;
    try {
      serve = await startEaphostServe(0, ['--secret', SECRET, '--users', usersFile, '--methods', 'mschapv2,gtc,md5']);
      const target = { host: '127.0.0.1', port: serve.port, secret: SECRET, identity: 'judy' };
      const mschapv2 = await runEapolTest({ ...target, password: 'judy pa55', method: 'MSCHAPV2' });
      assert.equal(mschapv2.success, true, mschapv2.stdout.slice(-3000));
      assert.equal(mschapv2.mppeKeysOk, 1, 'eapol_test compared its MSK with our MS-MPPE keys');
      assert.equal(mschapv2.mppeKeysMismatch, 0);
      const gtc = await runEapolTest({ ...target, password: 'judy pa55', method: 'GTC' });
      assert.equal(gtc.success, true, gtc.stdout.slice(-3000));
      const md5 = await runEapolTest({ ...target, password: 'judy pa55', method: 'MD5' });
      assert.equal(md5.success, true, md5.stdout.slice(-3000));
      for (const method of ['MSCHAPV2', 'GTC'] as const) {
        const wrong = await runEapolTest({ ...target, password: 'judy pa56', method });
        assert.equal(wrong.success, false, method);
        assert.match(wrong.stdout, /Access-Reject/, method);
      }
      assert.doesNotMatch(serve.output(), /judy pa55|eapol-test-secret/, 'never prints secrets');
    } finally {
      await serve?.stop();
      dir.remove();
    }
  });

  it('serves MD5 from a users file until SIGTERM: success and failure', async () => {
    const dir = makeTempDir('serve');
    const usersFile = join(dir.path, 'users.json');
    writeFileSync(usersFile, JSON.stringify({ dave: { password: 'pa55word' } }));
    // `eaphost serve` in its own process, so SIGTERM is real.
    const serve = await startEaphostServe(0, ['--secret', SECRET, '--users', usersFile]);
    const port = serve.port;
    try {
      const good = await runEapolTestMd5({ host: '127.0.0.1', port, secret: SECRET, identity: 'dave', password: 'pa55word' });
      assert.equal(good.success, true, good.stdout.slice(-3000));
      const bad = await runEapolTestMd5({ host: '127.0.0.1', port, secret: SECRET, identity: 'dave', password: 'nope' });
      assert.equal(bad.success, false);
      assert.match(bad.stdout, /Access-Reject/);
      assert.equal(await serve.stop(), 0, serve.output());
      assert.doesNotMatch(serve.output(), /pa55word|eapol-test-secret/, 'never prints secrets');
    } finally {
      await serve.stop();
      dir.remove();
    }
  });
});
