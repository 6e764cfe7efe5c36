import { strict as assert } from 'node:assert';
import { spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createAuthenticator, Authenticator } from '../../lib';
import { RadiusServer } from '../../lib/radius';
import { runEapolTest, runEapolTestMd5 } from '../support/eapol-test';
import { freeUdpPort, makeTempDir } from '../support/programs';

/** eapol_test (wpa_supplicant's) as supplicant + NAS against our authenticator behind RADIUS. */
const SECRET = 'eapol-test-secret';

describe('eapol_test against RadiusServer (embedded authenticator)', function () {
  this.timeout(60_000);
  let authenticator: Authenticator;
  let server: RadiusServer;
  let port: number;

  before(async () => {
    authenticator = await createAuthenticator({ methods: ['md5'], users: { carol: { password: 'open sesame' } } });
    server = new RadiusServer({ host: '127.0.0.1', port: 0, secret: SECRET,
      conversationFactory: () => authenticator.createConversation() });
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

  it('a wrong shared secret: eapol_test\'s requests are dropped as unauthenticated and counted', async () => {
    const before = server.stats.droppedUnauthenticated;
    const result = await runEapolTestMd5({ host: '127.0.0.1', port, secret: 'wrong', identity: 'carol', password: 'open sesame', timeoutSeconds: 2 });
    assert.equal(result.success, false);
    assert.ok(server.stats.droppedUnauthenticated > before);
  });
});

describe('eapol_test against `eaphost serve`', function () {
  this.timeout(60_000);

  it('serves MSCHAPV2 (eapol_test: MPPE keys OK), GTC and MD5 from one --methods list; wrong passwords fail', async () => {
    const dir = makeTempDir('serve-methods');
    const usersFile = join(dir.path, 'users.json');
    writeFileSync(usersFile, JSON.stringify({ judy: { password: 'judy pa55' } }));
    const port = await freeUdpPort();
    const serve = await startServe(port, usersFile, ['--methods', 'mschapv2,gtc,md5']);
    try {
      const target = { host: '127.0.0.1', port, secret: SECRET, identity: 'judy' };
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
      await serve.stop();
      dir.remove();
    }
  });

  it('serves MD5 from a users file until SIGTERM: success and failure', async () => {
    const dir = makeTempDir('serve');
    const usersFile = join(dir.path, 'users.json');
    writeFileSync(usersFile, JSON.stringify({ dave: { password: 'pa55word' } }));
    const port = await freeUdpPort();
    // The compiled CLI module, run the way main.ts runs it, in its own process so signals are real.
    const cli = join(__dirname, '..', '..', 'lib', 'cli', 'radius.js');
    const child = spawn(process.execPath, ['-e',
      `require(${JSON.stringify(cli)}).runServe(process.argv.slice(1)).then((code) => { process.exitCode = code; })`,
      '--', '--port', String(port), '--secret', SECRET, '--users', usersFile, '--host', '127.0.0.1'],
    { stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (chunk) => { output += chunk; });
    child.stderr.on('data', (chunk) => { output += chunk; });
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    try {
      await new Promise<void>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`serve not ready: ${output}`)), 15_000);
        child.stdout.on('data', () => {
          if (output.includes(`listening on 127.0.0.1:${port}`)) { clearTimeout(timer); resolve(); }
        });
        child.on('exit', () => { clearTimeout(timer); reject(new Error(`serve exited: ${output}`)); });
      });
      const good = await runEapolTestMd5({ host: '127.0.0.1', port, secret: SECRET, identity: 'dave', password: 'pa55word' });
      assert.equal(good.success, true, good.stdout.slice(-3000));
      const bad = await runEapolTestMd5({ host: '127.0.0.1', port, secret: SECRET, identity: 'dave', password: 'nope' });
      assert.equal(bad.success, false);
      assert.match(bad.stdout, /Access-Reject/);
      child.kill('SIGTERM');
      assert.equal(await exited, 0, output);
      assert.doesNotMatch(output, /pa55word|eapol-test-secret/, 'never prints secrets');
    } finally {
      if (child.exitCode === null) child.kill('SIGKILL');
      dir.remove();
    }
  });
});

/** `eaphost serve` in its own process (the compiled CLI module, as main.ts runs it), ready to answer. */
async function startServe(port: number, usersFile: string, extra: string[])
  : Promise<{ output(): string; stop(): Promise<number | null> }> {
  const cli = join(__dirname, '..', '..', 'lib', 'cli', 'radius.js');
  const child = spawn(process.execPath, ['-e',
    `require(${JSON.stringify(cli)}).runServe(process.argv.slice(1)).then((code) => { process.exitCode = code; })`,
    '--', '--port', String(port), '--secret', SECRET, '--users', usersFile, '--host', '127.0.0.1', ...extra],
  { stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout.on('data', (chunk) => { output += chunk; });
  child.stderr.on('data', (chunk) => { output += chunk; });
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  try {
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`serve not ready: ${output}`)), 15_000);
      child.stdout.on('data', () => {
        if (output.includes(`listening on 127.0.0.1:${port}`)) { clearTimeout(timer); resolve(); }
      });
      child.on('exit', () => { clearTimeout(timer); reject(new Error(`serve exited: ${output}`)); });
    });
  } catch (error) {
    child.kill('SIGKILL');
    throw error;
  }
  return {
    output: () => output,
    stop: async () => {
      if (child.exitCode === null) child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
      const code = await exited;
      clearTimeout(timer);
      return code;
    },
  };
}
