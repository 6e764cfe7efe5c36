import { strict as assert } from 'node:assert';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { main } from '../../lib/cli/main';
import { randomBytes } from 'node:crypto';
import { RadiusServer, RadSecClient } from '../../lib/radius';
import { RadiusCode } from '../../lib/radius/constants';
import { RadiusConnectionError, RadiusTimeoutError } from '../../lib/radius/errors';
import { RADSEC_DTLS_SECRET } from '../../lib/radius/radsec/dtls';
import type { RadSecPskClient } from '../../lib/radius/radsec/psk';
import { CLIENT_KEY_PASSWORD, SERVER_NAME } from '../support/interop-pki';
import { RadSecRig } from '../support/radsec-rig';
import { makeTempDir } from '../support/programs';
import { secretFlag } from '../support/cli-run';
import { startEaphostServe } from '../support/eaphost-serve';
import type { ServeProcess } from '../support/eaphost-serve';
import { opensslDtlsPskClient, signedStatusServerIn, startOpensslDtlsPskServer } from '../support/openssl-dtls-psk';
import { answersStatusServer, statusServerPacket } from '../support/radsec-peers';

/**
 * TLS-PSK (RFC 9813) over RADIUS/DTLS, both sides: our DTLS client (GnuTLS) against serve's DTLS
 * listener (GnuTLS), and OpenSSL's s_client in DTLS 1.2 mode as an independent client, judging
 * which exchange serve agreed to and carrying a Status-Server built with node:crypto. radsecproxy
 * 1.9.2 has no PSK (neither its manual nor its binary names one), so it cannot be the peer.
 * The servers here hold the secret "radsec" explicitly, for both transports.
 */
const USER = { identity: 'dora', password: 'd0ra pass' };
const IDENTITY = 'nas-dtls';

describe('RADIUS/DTLS with TLS-PSK (RFC 9813): eaphost client and serve', function () {
  this.timeout(30_000);
  const key = randomBytes(32);
  const rig = new RadSecRig(USER);

  const serve = (psk: RadSecPskClient[], certificates = true): Promise<number> => rig.servePsk(psk, certificates, true);
  const papOver = (client: RadSecClient, port: number, password?: string): Promise<number> => rig.papOver(client, port, password);

  const pskClient = (psk = { identity: IDENTITY, key }) => new RadSecClient({ transport: 'dtls', psk, timeoutMs: 5000 });
  const certificateClient = () => new RadSecClient({ transport: 'dtls', cert: rig.pki.clientCert, key: rig.pki.clientKey,
    passphrase: CLIENT_KEY_PASSWORD, ca: rig.pki.ca, serverName: SERVER_NAME, timeoutMs: 5000 });

  it('one listener takes PSK and certificate clients over DTLS; a PSK-only one PSK clients: PAP Accept, a wrong password Reject', async () => {
    const both = await serve([{ identity: IDENTITY, key, networks: ['127.0.0.0/8'] }]);
    assert.equal(await papOver(pskClient(), both), RadiusCode.AccessAccept);
    assert.equal(await papOver(pskClient(), both, 'wrong'), RadiusCode.AccessReject);
    assert.equal(await papOver(certificateClient(), both), RadiusCode.AccessAccept);
    const pskOnly = await serve([{ identity: IDENTITY, key, networks: ['127.0.0.1'] }], false);
    assert.equal(await papOver(pskClient(), pskOnly), RadiusCode.AccessAccept);
    // A listener with no certificate has nothing to offer a certificate client.
    await assert.rejects(papOver(certificateClient(), pskOnly), RadiusConnectionError);
  });

  it('refuses a wrong key, an unknown identity, and an address the identity may not come from alike, a typed error', async () => {
    const port = await serve([{ identity: IDENTITY, key, networks: ['127.0.0.1'] }], false);
    // A wrong key fails our Finished's MAC, a record DTLS drops unanswered (RFC 6347 §4.1.2.7): the
    // handshake runs out of time. An identity the listener does not know, or not from this address,
    // is given a key nobody holds and fails the same way, after the same wait: no alert tells a
    // prober which identities exist.
    const client = (psk: { identity: string; key: Buffer }) => new RadSecClient({ transport: 'dtls', psk, timeoutMs: 1500 });
    const alike = (error: unknown) => error instanceof RadiusConnectionError && error.code === 'ERR_RADIUS_CONNECTION' &&
      /DTLS handshake/.test(error.message) && !/alert/i.test(error.message);
    await assert.rejects(papOver(client({ identity: IDENTITY, key: randomBytes(32) }), port), alike);
    await assert.rejects(papOver(client({ identity: 'nas-unknown', key }), port), alike);
    const elsewhere = await serve([{ identity: IDENTITY, key, networks: ['192.0.2.0/24', '::1'] }], false);
    await assert.rejects(papOver(client({ identity: IDENTITY, key }), elsewhere), alike);
    // The listener still serves the identity from where it may come.
    assert.equal(await papOver(pskClient(), port), RadiusCode.AccessAccept);
  });

  it('refuses a PSK shorter than 16 bytes on the DTLS client, as over TLS', () => {
    assert.throws(() => new RadSecClient({ transport: 'dtls', psk: { identity: IDENTITY, key: randomBytes(15) } }),
      (error: Error) => error instanceof RangeError && /15 bytes: RFC 9813 refuses a PSK shorter than 16 bytes/.test(error.message));
    assert.throws(() => new RadiusServer({ port: 0, authenticator: rig.authenticator,
      radsec: { dtls: true, psk: [{ identity: IDENTITY, key: randomBytes(8), networks: ['127.0.0.1'] }] } }), /radsec\.psk\[0\]\.key is 8 bytes: RFC 9813/);
  });

  it('OpenSSL s_client -dtls1_2 -psk: ECDHE-PSK agreed, plain PSK refused; a Status-Server built with node:crypto answered, signed', async () => {
    const port = await serve([{ identity: IDENTITY, key, networks: ['127.0.0.1'] }], false);
    const hex = key.toString('hex');
    const agreed = await opensslDtlsPskClient(port, IDENTITY, hex, ['-cipher', 'ECDHE-PSK-CHACHA20-POLY1305'], statusServerPacket(9));
    assert.match(agreed.report, /Protocol version: DTLSv1\.2/, agreed.report);
    assert.match(agreed.report, /Ciphersuite: ECDHE-PSK-CHACHA20-POLY1305/, agreed.report);
    assert.match(agreed.report, /Server Temp Key: X25519/, agreed.report);
    assert.ok(agreed.packets.some((packet) => answersStatusServer(packet, 9)), agreed.report);
    const plain = await opensslDtlsPskClient(port, IDENTITY, hex, ['-cipher', 'PSK-AES128-CBC-SHA256:DHE-PSK-AES128-CBC-SHA256']);
    assert.doesNotMatch(plain.report, /Ciphersuite:/, plain.report);
    assert.match(plain.report, /handshake failure|no shared cipher|alert/i, plain.report);
  });

  it('`eaphost auth --radsec-transport dtls --radsec-psk-*` against `serve --radsec --clients FILE` with a psk line only', async () => {
    const dir = makeTempDir('radsec-dtls-psk-cli');
    let served: ServeProcess | undefined;
    try {
      const users = join(dir.path, 'users.json');
      writeFileSync(users, JSON.stringify({ [USER.identity]: { password: USER.password } }));
      const clients = join(dir.path, 'clients');
      writeFileSync(clients, `psk ${IDENTITY} ${key.toString('hex')} 127.0.0.1\n`, { mode: 0o600 });
      const pskFile = join(dir.path, 'psk');
      writeFileSync(pskFile, key.toString('hex'), { mode: 0o600 });
      // No --secret on either side: each takes DTLS's default, "radius/dtls".
      served = await startEaphostServe(0, ['--users', users, '--methods', 'mschapv2', '--radsec', '--clients', clients]);
      assert.match(served.output(), /\(RADIUS\/DTLS, UDP\)/);
      const out: string[] = [];
      const code = await main(['auth', '--radius', `127.0.0.1:${served.port}`, '--radsec', '--radsec-transport', 'dtls',
        '--radsec-psk-identity', IDENTITY, '--radsec-psk-file', pskFile, '--method', 'mschapv2', '--identity', USER.identity,
        ...secretFlag('password', USER.password), '--timeout', '5000', '--json'], (line) => out.push(line), (line) => out.push(line));
      assert.equal(code, 0, out.join('\n') + served.output().slice(-1500));
      assert.equal(JSON.parse(out.find((line) => line.startsWith('{'))!).mppeKeysMatch, true);
    } finally {
      await served?.stop();
      dir.remove();
    }
  });

  it('our DTLS client against openssl s_server -dtls1_2 -psk: the handshake completes, its Status-Server arrives intact, signed', async () => {
    // An independent PSK DTLS server (OpenSSL's, its own cookie exchange): it answers no RADIUS, so
    // the request times out after the handshake; what s_server printed is checked with node:crypto.
    const server = await startOpensslDtlsPskServer(IDENTITY, key, 'ECDHE-PSK-CHACHA20-POLY1305');
    const client = new RadSecClient({ transport: 'dtls', psk: { identity: IDENTITY, key }, timeoutMs: 2000, statusServerAfterMs: 0 });
    try {
      await assert.rejects(client.statusServer({ host: '127.0.0.1', port: server.port, secret: RADSEC_DTLS_SECRET }),
        (error: Error) => error instanceof RadiusTimeoutError);
      assert.ok(signedStatusServerIn(server.printed(), RADSEC_DTLS_SECRET), server.printed().toString('latin1'));
    } finally {
      await client.close();
      server.stop();
    }
  });
});
