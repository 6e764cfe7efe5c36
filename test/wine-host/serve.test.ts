/**
 * `eaphost serve` in Windows node.exe under Wine, on the Windows build (the native RADIUS engine
 * over Winsock, the shipped methods from eap_methods.dll), judged by Linux's eapol_test on
 * loopback: the authentication succeeds, and eapol_test's own MSK equals the MS-MPPE keys serve
 * released; a wrong password is refused. Run from scripts/wine/run.sh (test/support/wine-node.ts).
 */
import { strict as assert } from 'node:assert';
import { randomBytes } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { runEapolTest } from '../support/eapol-test';
import type { EapolTestOptions } from '../support/eapol-test';
import type { ServeProcess } from '../support/eaphost-serve';
import { makeTempDir } from '../support/programs';
import { runWineCli, startWineServe } from '../support/wine-node';
import { findProgram } from '../support/programs';
import { runWithInput } from '../support/cli-run';

describe('serve in Windows node.exe under Wine, against Linux eapol_test', function () {
  this.timeout(120_000);
  const secret = randomBytes(9).toString('base64url');
  const user = { identity: `user-${randomBytes(4).toString('hex')}`, password: randomBytes(12).toString('base64url') };
  const dir = makeTempDir('wine-serve-users');
  let serve: ServeProcess;

  before(async () => {
    const users = join(dir.path, 'users.json');
    writeFileSync(users, JSON.stringify({ [user.identity]: { password: user.password } }));
    serve = await startWineServe(['--secret', secret, '--users', users, '--methods', 'mschapv2,md5']);
  });

  after(async () => {
    await serve?.stop();
    dir.remove();
  });

  const eapolTest = (options: Partial<EapolTestOptions>) => runEapolTest({
    host: '127.0.0.1', port: serve.port, secret, ...user, timeoutSeconds: 20, ...options,
  });

  it('EAP-MSCHAPv2: eapol_test succeeds and its MSK equals the MPPE keys serve released', async () => {
    const result = await eapolTest({ method: 'MSCHAPV2' });
    assert.equal(result.success, true, `${result.stdout}\n--- serve:\n${serve.output()}`);
    assert.equal(result.mppeKeysOk, 1, result.stdout);
    assert.equal(result.mppeKeysMismatch, 0, result.stdout);
  });

  it('EAP-MD5: eapol_test succeeds', async () => {
    const result = await eapolTest({ method: 'MD5' });
    assert.equal(result.success, true, `${result.stdout}\n--- serve:\n${serve.output()}`);
  });

  it('EAP-MSCHAPv2 with a wrong password: refused', async () => {
    const result = await eapolTest({ method: 'MSCHAPV2', password: `${user.password}x` });
    assert.equal(result.success, false, result.stdout);
    assert.match(result.stdout, /EAP-Failure|Access-Reject|CTRL-EVENT-EAP-FAILURE/, result.stdout);
  });

  it('--metrics: /healthz and /metrics answer from Windows node.exe, and promtool accepts the exposition', async () => {
    const users = join(dir.path, 'users.json');
    const metered = await startWineServe(['--secret', secret, '--users', users, '--methods', 'md5', '--metrics', '127.0.0.1:0']);
    try {
      const url = /metrics on (http:\/\/\S+)/.exec(await metered.logged(/metrics on http:\/\/127\.0\.0\.1:\d+\/metrics/))![1];
      assert.equal((await fetch(url.replace('/metrics', '/healthz'))).status, 200);
      const result = await runEapolTest({ host: '127.0.0.1', port: metered.port, secret, ...user, timeoutSeconds: 20, method: 'MD5' });
      assert.equal(result.success, true, result.stdout);
      const exposition = await (await fetch(url)).text();
      const checked = await runWithInput(findProgram(['promtool'], 'prometheus'), ['check', 'metrics'], exposition);
      assert.equal(checked.code, 0, `${checked.output}\n${exposition}`);
      assert.match(exposition, /^eaphost_radius_responses_total\{code="Access-Accept",transport="udp"\} 1$/m);
      assert.match(exposition, /^eaphost_radius_message_authenticator_total\{client="127\.0\.0\.1",posture="valid"\} [1-9]\d*$/m);
    } finally {
      await metered.stop();
    }
  });

  it('--accounting without a driver built for Windows node.exe: refused at start, naming the npm package', async () => {
    const refused = await runWineCli(['serve', '--port', '0', '--secret', secret, '--users', join(dir.path, 'users.json'),
      '--methods', 'md5', '--accounting', join(dir.path, 'accounting.db')]);
    assert.equal(refused.code, 2, refused.output);
    assert.match(refused.output, /--accounting .*: needs the npm package better-sqlite3@12 \(npm install better-sqlite3@12\)/);
  });
});
