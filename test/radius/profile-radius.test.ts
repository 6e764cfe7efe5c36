/**
 * `eaphost auth --radius --config-xml`: a session begun from a printed profile authenticates
 * against a RADIUS server in another process (`eaphost serve`), which releases MPPE keys equal
 * to the MSK the peer derived; the wrong password in the credentials is an Access-Reject.
 */
import { strict as assert } from 'node:assert';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { shippedConfigXml, shippedCredentialsXml } from '../../lib/profile/shipped-config';
import { randomCredentials } from '../helpers';
import { runMain } from '../support/cli-run';
import { startEaphostServe } from '../support/eaphost-serve';
import { makeTempDir } from '../support/programs';

describe('eaphost auth --radius --config-xml', function () {
  this.timeout(60000);

  it('authenticates from EAP-MSCHAPv2 profile documents against eaphost serve; a wrong password is rejected', async () => {
    const temp = makeTempDir('profile-radius');
    const dir = temp.path;
    const { identity, password } = randomCredentials();
    const users = join(dir, 'users.json');
    writeFileSync(users, JSON.stringify({ [identity]: { password } }));
    const secret = randomCredentials().password;
    const serve = await startEaphostServe(0, ['--secret', secret, '--users', users, '--methods', 'mschapv2']);
    const port = serve.port;
    try {
      const config = join(dir, 'config.xml');
      const credentials = join(dir, 'credentials.xml');
      writeFileSync(config, shippedConfigXml('mschapv2'));
      writeFileSync(credentials, shippedCredentialsXml('mschapv2', { identity, password }));
      const ok = await runMain(['auth', '--radius', `127.0.0.1:${port}`, '--secret', secret, '--config-xml', config,
        '--credentials-xml', credentials, '--identity', identity, '--json']);
      assert.equal(ok.code, 0, ok.stderr + ok.stdout);
      const out = JSON.parse(ok.stdout);
      assert.equal(out.result, 'accept');
      assert.equal(out.mppeKeysMatch, true);

      writeFileSync(credentials, shippedCredentialsXml('mschapv2', { identity, password: `not-${password}` }));
      const rejected = await runMain(['auth', '--radius', `127.0.0.1:${port}`, '--secret', secret, '--config-xml', config,
        '--credentials-xml', credentials, '--json']);
      assert.equal(rejected.code, 1, rejected.stderr + rejected.stdout);

      const usage = await runMain(['auth', '--radius', `127.0.0.1:${port}`, '--secret', secret, '--config-xml', config,
        '--password', 'x']);
      assert.equal(usage.code, 2, usage.stdout);
    } finally {
      await serve.stop();
      temp.remove();
    }
  });
});
