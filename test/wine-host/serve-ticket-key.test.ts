/**
 * `serve --tls-ticket-key-file` across platforms: instance A is serve on Linux, instance B serve in
 * Windows node.exe under Wine (GnuTLS cross-built for Windows, beside eap_methods.dll), both given
 * the same key file, behind one address (the stand-in balancer of test/support/radius-relay.ts).
 * Linux's eapol_test authenticates through A over TLS 1.3 and re-authenticates (-r 1) through B
 * with A's session ticket: B resumes it (eapol_test's log and B's --log say so), and both MSKs
 * equal the keys each instance released. On Windows the key file's mode is not checked (no mode
 * bits; its ACL is the operator's). Run from scripts/wine/run.sh (test/support/wine-node.ts).
 */
import { strict as assert } from 'node:assert';
import { randomBytes } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { startWineServe } from '../support/wine-node';
import { ROAMING_USER, assertThroughTwo, eapolThroughTwo, resumedSaid } from '../support/radius-relay';
import { makeTempDir } from '../support/programs';
import { InteropPki, makeInteropPki } from '../support/interop-pki';
import { ServeProcess, startEaphostServe } from '../support/eaphost-serve';

describe('serve --tls-ticket-key-file: Windows node.exe under Wine resumes a session serve on Linux made', function () {
  this.timeout(180_000);
  const SECRET = 'wine-ticket-key-secret';
  const dir = makeTempDir('wine-ticket-key');
  let pki: InteropPki;
  const instances: ServeProcess[] = [];

  before(async () => {
    pki = await makeInteropPki();
    const users = join(dir.path, 'users.json');
    writeFileSync(users, JSON.stringify({ [ROAMING_USER.identity]: { password: ROAMING_USER.password } }));
    const key = join(dir.path, 'ticket.key');
    writeFileSync(key, randomBytes(64), { mode: 0o600 });
    const args = ['--secret', SECRET, '--users', users, '--methods', 'peap,tls', '--log',
      '--cert', pki.files.serverCert, '--key', pki.files.serverKey, '--ca', pki.files.ca, '--tls-ticket-key-file', key];
    instances.push(await startEaphostServe(0, args));
    instances.push(await startWineServe(args));
  });

  after(async () => {
    for (const instance of instances) await instance.stop();
    pki?.remove();
    dir.remove();
  });

  for (const method of ['peap', 'tls'] as const) {
    it(`${method === 'tls' ? 'EAP-TLS' : 'PEAP'} over TLS 1.3: full handshake on Linux, resumed in Windows node.exe`, async () => {
      const through = await eapolThroughTwo(instances, pki, SECRET, method);
      assertThroughTwo(through, true);
      assert.deepEqual(await resumedSaid(instances[0], method), ['no'], through.log);
      assert.deepEqual(await resumedSaid(instances[1], method), ['yes'], through.log);
    });
  }
});
