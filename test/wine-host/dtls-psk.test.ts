/**
 * TLS-PSK (RFC 9813) over RADIUS/DTLS (RFC 7360) in Windows node.exe under Wine, both sides, each
 * judged by a Linux peer on loopback. serve: `eaphost serve --radsec --clients FILE` whose only
 * RadSec client is a "psk" line (no certificate: a PSK-only listener), against OpenSSL's
 * `s_client -dtls1_2 -psk`: ECDHE-PSK agreed over X25519, the plain-PSK suites refused, a wrong key
 * refused, and a Status-Server built with node:crypto answered with a Response Authenticator
 * node:crypto checks (for DTLS's default secret "radius/dtls"). The client: `eaphost auth
 * --radsec-transport dtls --radsec-psk-identity ID --radsec-psk-file FILE` against Linux `eaphost
 * serve` with the same psk line (MSK = the MPPE keys serve released; a wrong password rejected; a
 * wrong key our connection error, not a hang), and `eaphost ping` with the PSK against OpenSSL's
 * `s_server -dtls1_2 -psk`, whose received bytes hold the Status-Server signed for "radius/dtls".
 * On Windows the key files have no mode to check (their ACLs are the owner's): node.exe reads
 * them as they are. Run from scripts/wine/run.sh (test/support/wine-node.ts).
 */
import { strict as assert } from 'node:assert';
import { randomBytes } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { RADSEC_DTLS_SECRET } from '../../lib/radius/radsec/dtls';
import { startEaphostServe } from '../support/eaphost-serve';
import type { ServeProcess } from '../support/eaphost-serve';
import { ECDHE_PSK_SUITE, judgePskOnlyListener, signedStatusServerIn, startOpensslDtlsPskServer } from '../support/openssl-dtls-psk';
import { makeTempDir } from '../support/programs';
import { runWineCli, startWineServe, wineAuth } from '../support/wine-node';

const USER = { identity: 'wine-psk-user', password: 'w1ne psk' };
const IDENTITY = 'nas-wine-dtls';

/** `eaphost auth` over RADIUS/DTLS with the PSK in `pskFile`, from Windows node.exe. */
const dtlsPskAuth = (port: number, pskFile: string, password: string, timeoutMs = 10_000) => wineAuth(runWineCli, ['--radius',
  `127.0.0.1:${port}`, '--radsec', '--radsec-transport', 'dtls', '--radsec-psk-identity', IDENTITY, '--radsec-psk-file', pskFile,
  '--method', 'mschapv2', '--identity', USER.identity, '--backend', 'portable', '--timeout', String(timeoutMs)], password);

describe('TLS-PSK over RADIUS/DTLS in Windows node.exe under Wine, against OpenSSL and Linux eaphost', function () {
  this.timeout(180_000);
  const dir = makeTempDir('wine-dtls-psk');
  const key = randomBytes(32);
  const users = join(dir.path, 'users.json');
  const clients = join(dir.path, 'clients');
  const pskFile = join(dir.path, 'psk');
  const wrongPskFile = join(dir.path, 'psk-wrong');
  let serve: ServeProcess;

  before(async () => {
    writeFileSync(users, JSON.stringify({ [USER.identity]: { password: USER.password } }));
    writeFileSync(clients, `psk ${IDENTITY} ${key.toString('hex')} 127.0.0.1\n`, { mode: 0o600 });
    writeFileSync(pskFile, key.toString('hex'), { mode: 0o600 });
    writeFileSync(wrongPskFile, randomBytes(32).toString('hex'), { mode: 0o600 });
    // No --secret: DTLS's default, "radius/dtls".
    serve = await startWineServe(['--users', users, '--methods', 'mschapv2', '--radsec', '--clients', clients]);
  });

  after(async () => {
    await serve?.stop();
    dir.remove();
  });

  it('serve in node.exe with a psk line alone listens for RadSec on TCP and RADIUS/DTLS on UDP', () => {
    assert.match(serve.output(), /\(RadSec, TCP\) \(RADIUS\/DTLS, UDP\)/, serve.output());
  });

  it('openssl s_client -dtls1_2 -psk → serve in node.exe: ECDHE-PSK over X25519, a Status-Server answered and signed for "radius/dtls"; plain-PSK suites and a wrong key refused', async () => {
    await judgePskOnlyListener(serve.port, IDENTITY, key, 7, () => serve.output());
  });

  it('eaphost auth --radsec-psk-* in node.exe → Linux serve (psk line only): MSCHAPv2 accepted, MSK = MPPE keys; a wrong password rejected; a wrong key refused', async () => {
    const linux = await startEaphostServe(0, ['--users', users, '--methods', 'mschapv2', '--radsec', '--clients', clients]);
    try {
      assert.match(linux.output(), /\(RADIUS\/DTLS, UDP\)/);
      const accepted = await dtlsPskAuth(linux.port, pskFile, USER.password);
      assert.equal(accepted.code, 0, `${accepted.output}\n--- serve:\n${linux.output().slice(-2000)}`);
      assert.equal(accepted.report.success, true, accepted.output);
      assert.equal(accepted.report.mppeKeysMatch, true, accepted.output);
      const rejected = await dtlsPskAuth(linux.port, pskFile, `${USER.password}-wrong`);
      assert.equal(rejected.code, 1, rejected.output);
      assert.equal(rejected.report.result, 'reject', rejected.output);
      // The handshake fails (GnuTLS drops the Finished it cannot decrypt, as DTLS drops any bad record, so it fails at the
      // client's deadline, whatever that is): RadiusConnectionError's words, reported as an error, not a reject or a timeout.
      const refused = await dtlsPskAuth(linux.port, wrongPskFile, USER.password, 3000);
      assert.equal(refused.code, 1, refused.output);
      assert.equal(refused.report.result, 'error', refused.output);
      assert.match(refused.report.reason ?? '', /DTLS handshake/, refused.output);
    } finally {
      await linux.stop();
    }
  });

  it('eaphost ping --radsec-psk-* in node.exe → openssl s_server -dtls1_2 -psk: the handshake completes, the Status-Server arrives signed', async () => {
    // s_server answers no RADIUS: ping times out (exit 3) after the handshake; what s_server received is judged with node:crypto.
    const server = await startOpensslDtlsPskServer(IDENTITY, key, ECDHE_PSK_SUITE);
    try {
      const { code, output } = await runWineCli(['ping', '--radius', `127.0.0.1:${server.port}`, '--radsec', '--radsec-transport', 'dtls',
        '--radsec-psk-identity', IDENTITY, '--radsec-psk-file', pskFile, '--timeout', '3000']);
      assert.equal(code, 3, output);
      assert.ok(signedStatusServerIn(server.printed(), RADSEC_DTLS_SECRET), `${output}\n--- s_server:\n${server.printed().toString('latin1')}`);
    } finally {
      server.stop();
    }
  });
});
