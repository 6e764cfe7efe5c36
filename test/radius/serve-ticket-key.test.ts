import { strict as assert } from 'node:assert';
import { randomBytes } from 'node:crypto';
import { chmodSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ServeProcess, startEaphostServe } from '../support/eaphost-serve';
import { InteropPki, makeInteropPki } from '../support/interop-pki';
import { makeTempDir } from '../support/programs';
import { ROAMING_USER, assertThroughTwo, eapolThroughTwo, resumedSaid } from '../support/radius-relay';
import { runMain } from '../support/cli-run';

/**
 * Two `eaphost serve` processes behind one address (a stand-in balancer, test/support/radius-relay.ts)
 * and wpa_supplicant's eapol_test, which authenticates through the first and re-authenticates
 * (-r 1) through the second with the TLS 1.3 session ticket the first gave it. Given the same
 * --tls-ticket-key-file, the second resumes it: eapol_test's own log says the handshake resumed,
 * and the second instance's --log says resumed=yes. Given different files, the second cannot
 * open the ticket: a full handshake, still accepted. "MPPE keys OK: 2" is eapol_test's own check
 * that both runs' MSKs equal the keys each instance released.
 */

const SECRET = 'two-instances';

function keyFile(dir: string, name: string, key: Buffer): string {
  const file = join(dir, name);
  writeFileSync(file, key, { mode: 0o600 });
  return file;
}

async function twoInstances(pki: InteropPki, usersFile: string, keyFiles: [string, string]): Promise<ServeProcess[]> {
  const serve = (file: string) => startEaphostServe(0, ['--secret', SECRET, '--users', usersFile, '--log',
    '--cert', pki.files.serverCert, '--key', pki.files.serverKey, '--ca', pki.files.ca, '--tls-ticket-key-file', file]);
  const first = await serve(keyFiles[0]);
  try {
    return [first, await serve(keyFiles[1])];
  } catch (error) {
    await first.stop();
    throw error;
  }
}

describe('serve --tls-ticket-key-file: two instances resume each other\'s TLS sessions (eapol_test)', function () {
  this.timeout(120_000);

  for (const shared of [true, false]) {
    it(shared ? 'the same key file: the second instance resumes the session the first made (EAP-TLS, PEAP over TLS 1.3)'
      : 'different key files: the second instance runs a full handshake and still accepts', async () => {
      const pki = await makeInteropPki();
      const dir = makeTempDir('serve-ticket-key');
      const usersFile = join(dir.path, 'users.json');
      writeFileSync(usersFile, JSON.stringify({ [ROAMING_USER.identity]: { password: ROAMING_USER.password } }));
      const keyA = keyFile(dir.path, 'a.key', randomBytes(64));
      const keyB = shared ? keyA : keyFile(dir.path, 'b.key', randomBytes(64));
      const instances = await twoInstances(pki, usersFile, [keyA, keyB]);
      try {
        for (const method of ['tls', 'peap'] as const) {
          const through = await eapolThroughTwo(instances, pki, SECRET, method);
          assertThroughTwo(through, shared);
          const { log } = through;
          // Each instance's --log: A made the session, B resumed it (or, with another key, could not).
          assert.deepEqual(await resumedSaid(instances[0], method), ['no'], log);
          assert.deepEqual(await resumedSaid(instances[1], method), [shared ? 'yes' : 'no'], log);
        }
      } finally {
        for (const instance of instances) assert.equal(await instance.stop(), 0, instance.output());
        dir.remove();
        pki.remove();
      }
    });
  }

  it('a key file others may read, or one not 64 bytes, is a usage error naming the file and how to make one', async () => {
    const pki = await makeInteropPki();
    const dir = makeTempDir('serve-ticket-key-bad');
    const usersFile = join(dir.path, 'users.json');
    writeFileSync(usersFile, JSON.stringify({ rita: { password: 'rita pa55' } }));
    const serve = (file: string, ...more: string[]) => runMain(['serve', '--port', '0', '--secret', SECRET, '--users', usersFile,
      '--cert', pki.files.serverCert, '--key', pki.files.serverKey, '--tls-ticket-key-file', file, ...more]);
    try {
      const key = randomBytes(64);
      const open = keyFile(dir.path, 'open.key', key);
      chmodSync(open, 0o644);
      let ran = await serve(open);
      assert.equal(ran.code, 2, ran.stderr);
      assert.match(ran.stderr, /--tls-ticket-key-file \S+open\.key: other users may read or change it \(mode 0644\)/);
      ran = await serve(keyFile(dir.path, 'short.key', key.subarray(0, 32)));
      assert.equal(ran.code, 2, ran.stderr);
      assert.match(ran.stderr, /short\.key holds 32 bytes: a ticket key is 64 raw random bytes \(make one with: head -c 64 \/dev\/urandom/);
      ran = await serve(keyFile(dir.path, 'hex.key', Buffer.from(`${key.toString('hex')}\n`)));
      assert.equal(ran.code, 2, ran.stderr);
      assert.match(ran.stderr, /hex\.key holds 129 bytes of hex text: a ticket key is 64 raw random bytes/);
      assert.doesNotMatch(ran.stderr, new RegExp(key.toString('hex').slice(0, 16)), 'the key is never echoed');
      ran = await serve(join(dir.path, 'absent.key'));
      assert.equal(ran.code, 2, ran.stderr);
      assert.match(ran.stderr, /absent\.key: cannot read it \(ENOENT\)/);
      ran = await serve(keyFile(dir.path, 'good.key', key), '--tls-session-lifetime', '0');
      assert.equal(ran.code, 2, ran.stderr);
      assert.match(ran.stderr, /--tls-ticket-key-file needs resumption/);
      ran = await serve(keyFile(dir.path, 'ttls.key', key), '--methods', 'ttls');
      assert.equal(ran.code, 2, ran.stderr);
      assert.match(ran.stderr, /--tls-ticket-key-file seals the TLS 1\.3 tickets of tls, peap and teap: --methods lists none of them/);
    } finally {
      dir.remove();
      pki.remove();
    }
  });
});
