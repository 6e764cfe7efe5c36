import { strict as assert } from 'node:assert';
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { chmodSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { main } from '../../lib/cli/main';
import { isOptionError } from '../../lib/core/option-error';
import { RadiusServer, RadSecClient } from '../../lib/radius';
import { RadiusCode } from '../../lib/radius/constants';
import { RadiusConnectionError } from '../../lib/radius/errors';
import type { RadSecPskClient } from '../../lib/radius/radsec/psk';
import { secretFlag } from '../support/cli-run';
import { startEaphostServe, ServeProcess } from '../support/eaphost-serve';
import { startFreeRadius } from '../support/freeradius';
import { CLIENT_KEY_PASSWORD, SERVER_NAME } from '../support/interop-pki';
import { RadSecRig } from '../support/radsec-rig';
import { interopServer } from '../support/interop-server';
import { findProgram, makeTempDir } from '../support/programs';
import { answersStatusServer, opensslPskClient, PacketReader, statusServerPacket } from '../support/radsec-peers';

/**
 * RadSec with TLS-PSK (RFC 9813) instead of certificates, both sides. The independent judges:
 * OpenSSL's s_client (which suite and key exchange serve agreed to, and a RADIUS exchange over its
 * TLS with packets built by node:crypto) and FreeRADIUS 3.2's PSK listener (whether it accepts our
 * client). FreeRADIUS 3.2.1 cannot proxy over TLS-PSK (see test/support/freeradius.ts).
 */
const USER = { identity: 'pia', password: 'p1a pass' };
const IDENTITY = 'nas1';

/** A PSK file of mode 0600 holding `text`. */
function keyFile(dir: string, name: string, text: string | Buffer, mode = 0o600): string {
  const path = join(dir, name);
  writeFileSync(path, text);
  chmodSync(path, mode);
  return path;
}

/** s_client's short report of a PSK handshake with serve. */
const sClient = (port: number, hex: string, args: string[]): Promise<string> => opensslPskClient(port, IDENTITY, hex, ['-brief', ...args]);

describe('RadSec TLS-PSK (RFC 9813): eaphost client and serve', function () {
  this.timeout(30_000);
  const key = randomBytes(32);
  const rig = new RadSecRig(USER);


  const serve = (psk: RadSecPskClient[], certificates = true): Promise<number> => rig.servePsk(psk, certificates);
  const papOver = (client: RadSecClient, port: number, password?: string): Promise<number> => rig.papOver(client, port, password);

  const pskClient = (maxVersion: 'TLSv1.2' | 'TLSv1.3', psk = { identity: IDENTITY, key }) =>
    new RadSecClient({ psk, maxVersion, timeoutMs: 5000 });
  const certificateClient = (maxVersion: 'TLSv1.2' | 'TLSv1.3') => new RadSecClient({ cert: rig.pki.clientCert, key: rig.pki.clientKey,
    passphrase: CLIENT_KEY_PASSWORD, ca: rig.pki.ca, serverName: SERVER_NAME, maxVersion, timeoutMs: 5000 });

  it('one listener takes PSK and certificate clients over TLS 1.2 and 1.3: PAP Accept, a wrong password Reject', async () => {
    const port = await serve([{ identity: IDENTITY, key, networks: ['127.0.0.0/8'] }]);
    for (const version of ['TLSv1.2', 'TLSv1.3'] as const) {
      assert.equal(await papOver(pskClient(version), port), RadiusCode.AccessAccept, `PSK ${version}`);
      assert.equal(await papOver(pskClient(version), port, 'wrong'), RadiusCode.AccessReject, `PSK ${version}`);
      assert.equal(await papOver(certificateClient(version), port), RadiusCode.AccessAccept, `certificate ${version}`);
    }
  });

  it('refuses a wrong key, an unknown identity, an address the identity may not come from; the client a certificate', async () => {
    const port = await serve([{ identity: IDENTITY, key, networks: ['127.0.0.1'] }]);
    // The server's alert (TLS 1.2), or under TLS 1.3 its certificate instead of our PSK, which we refuse.
    const refused = (error: unknown) => error instanceof RadiusConnectionError &&
      (error.code === 'ERR_RADSEC_HANDSHAKE_REFUSED' || error.code === 'ERR_RADSEC_CERTIFICATE');
    for (const version of ['TLSv1.2', 'TLSv1.3'] as const) {
      await assert.rejects(papOver(pskClient(version, { identity: IDENTITY, key: randomBytes(32) }), port), refused, version);
      await assert.rejects(papOver(pskClient(version, { identity: 'nas2', key }), port), refused, version);
    }
    const elsewhere = await serve([{ identity: IDENTITY, key, networks: ['192.0.2.0/24', '::1'] }]);
    await assert.rejects(papOver(pskClient('TLSv1.3'), elsewhere), refused);
    // A server that does not know our key and answers with its certificate (TLS 1.3 lets it) is
    // not trusted by its CA instead: our client trusts the PKI's CA here, and still refuses.
    const certificateOnly = new RadiusServer({ host: '127.0.0.1', port: 0, authenticator: rig.authenticator,
      radsec: { cert: rig.pki.serverCert, key: rig.pki.serverKey, ca: rig.pki.ca } });
    rig.servers.push(certificateOnly);
    const { port: certificatePort } = await certificateOnly.listen();
    const trusting = new RadSecClient({ psk: { identity: IDENTITY, key }, ca: rig.pki.ca, serverName: SERVER_NAME, timeoutMs: 5000 });
    await assert.rejects(papOver(trusting, certificatePort), /answered with a certificate, not with our TLS-PSK/);
  });

  it('an unknown identity, or one from an address it may not use, is answered as a wrong key (RFC 4279 §2): OpenSSL sees the same', async () => {
    // The listener takes certificates too: under TLS 1.3 an identity it did not know once got its
    // certificate instead, under TLS 1.2 the alert unknown_psk_identity; a wrong key, decrypt_error.
    const port = await serve([{ identity: IDENTITY, key, networks: ['127.0.0.1'] }, { identity: 'elsewhere', key, networks: ['192.0.2.0/24'] }]);
    const what = async (identity: string, hex: string, version: string): Promise<string> => {
      const output = await opensslPskClient(port, identity, hex, [version, '-brief']);
      const alert = /alert (?:number \d+|[a-z _]+)/i.exec(output)?.[0] ?? 'no alert';
      return `${alert}; ${/Peer certificate|Server certificate/.test(output) ? 'a certificate' : 'no certificate'}`;
    };
    const wrong = randomBytes(32).toString('hex');
    for (const version of ['-tls1_2', '-tls1_3']) {
      const wrongKey = await what(IDENTITY, wrong, version);
      assert.match(wrongKey, /no certificate$/, `${version}: a wrong key`);
      assert.equal(await what('nas-unknown', wrong, version), wrongKey, `${version}: an unknown identity`);
      assert.equal(await what('elsewhere', key.toString('hex'), version), wrongKey, `${version}: an identity from outside its networks`);
    }
  });

  it('OpenSSL s_client: ECDHE-PSK in TLS 1.2, psk_dhe_ke (an X25519 share) in TLS 1.3; plain PSK suites refused', async () => {
    const port = await serve([{ identity: IDENTITY, key, networks: ['127.0.0.1'] }], false);
    const hex = key.toString('hex');
    const tls12 = await sClient(port, hex, ['-tls1_2']);
    assert.match(tls12, /Ciphersuite: ECDHE-PSK-/, tls12);
    assert.match(tls12, /Server Temp Key: X25519/, tls12);
    const tls13 = await sClient(port, hex, ['-tls1_3']);
    assert.match(tls13, /Protocol version: TLSv1\.3/, tls13);
    assert.match(tls13, /Ciphersuite: TLS_AES_128_GCM_SHA256/, tls13);
    assert.match(tls13, /Server Temp Key: X25519/, tls13);
    const plain = await sClient(port, hex, ['-tls1_2', '-cipher', 'PSK-AES128-CBC-SHA256:DHE-PSK-AES128-GCM-SHA256']);
    assert.doesNotMatch(plain, /Ciphersuite:/, plain);
    assert.match(plain, /handshake failure|no shared cipher|alert/i, plain);
  });

  it('OpenSSL s_client as the NAS\'s TLS: a Status-Server built with node:crypto is answered, signed with "radsec"', async () => {
    // FreeRADIUS 3.2.1 cannot be the PSK client here: it reads no psk_* in a home server's tls {}.
    const port = await serve([{ identity: IDENTITY, key, networks: ['127.0.0.1'] }]);
    // On this listener, which takes certificates too, a TLS 1.2 client that offers certificate
    // suites first gets a certificate handshake: s_client offers the ECDHE-PSK suite alone.
    for (const version of [['-tls1_2', '-cipher', 'ECDHE-PSK-CHACHA20-POLY1305'], ['-tls1_3']]) {
      const openssl = findProgram(['openssl'], 'openssl');
      const child = spawn(openssl, ['s_client', '-connect', `127.0.0.1:${port}`, '-psk_identity', IDENTITY, '-psk', key.toString('hex'),
        '-quiet', ...version], { stdio: ['pipe', 'pipe', 'pipe'] });
      let errors = '';
      child.stderr.on('data', (chunk) => { errors += chunk; });
      const reader = new PacketReader();
      try {
        const reply = await new Promise<Buffer>((resolve, reject) => {
          child.stdout.on('data', (chunk: Buffer) => {
            const answer = reader.push(chunk).find((packet) => answersStatusServer(packet, 7));
            if (answer) resolve(answer);
          });
          child.once('close', () => reject(new Error(`s_client ${version[0]} ended before the answer: ${errors}`)));
          child.stdin.write(statusServerPacket(7));
        });
        assert.equal(reply[0], RadiusCode.AccessAccept, version[0]);
      } finally {
        child.kill();
      }
    }
  });

  it('refuses a PSK shorter than 16 bytes, and a listener with neither certificates nor PSKs', () => {
    assert.throws(() => new RadSecClient({ psk: { identity: IDENTITY, key: randomBytes(15) } }),
      (error: Error) => error instanceof RangeError && /15 bytes: RFC 9813 refuses a PSK shorter than 16 bytes/.test(error.message));
    // The message as the library writes it; the option and what is wrong with it apart (a command
    // line names its own flag: "--radsec-psk-file F holds a key of 8 bytes: …").
    assert.throws(() => new RadiusServer({ port: 0, authenticator: rig.authenticator, radsec: { psk: [{ identity: IDENTITY, key: randomBytes(8), networks: ['::1'] }] } }),
      (error: Error) => /^radsec\.psk\[0\]\.key is 8 bytes: RFC 9813/.test(error.message) && isOptionError(error) &&
        error.option === 'radsec.psk[0].key' && /^8 bytes: RFC 9813 refuses a PSK shorter than 16 bytes/.test(error.detail));
    assert.throws(() => new RadiusServer({ port: 0, authenticator: rig.authenticator, radsec: { psk: [{ identity: IDENTITY, key, networks: ['10.0.0.0/33'] }] } }),
      /no valid prefix length/);
    assert.throws(() => new RadiusServer({ port: 0, authenticator: rig.authenticator, radsec: { psk: [{ identity: IDENTITY, key, networks: ['::1'] },
      { identity: IDENTITY, key: randomBytes(32), networks: ['127.0.0.1'] }] } }), /listed with two different keys/);
    assert.throws(() => new RadiusServer({ port: 0, authenticator: rig.authenticator, radsec: {} }), /needs cert, key and ca, or psk clients/);
    assert.throws(() => new RadSecClient({ psk: { identity: '', key } }), /identity must be a non-empty string/);
  });

  it('`eaphost auth --radsec-psk-*` against `serve --radsec --clients FILE` with a psk line and no certificate', async () => {
    const dir = makeTempDir('radsec-psk-cli');
    const users = join(dir.path, 'users.json');
    writeFileSync(users, JSON.stringify({ [USER.identity]: { password: USER.password } }));
    const clients = keyFile(dir.path, 'clients', `# RadSec PSK clients\npsk ${IDENTITY} ${key.toString('hex')} 127.0.0.1 ::1\n`);
    let served: ServeProcess | undefined;
    try {
      served = await startEaphostServe(0, ['--users', users, '--methods', 'mschapv2', '--radsec', '--clients', clients]);
      assert.match(served.output(), /\(RadSec, TCP\)/);
      const auth = (file: string, password = USER.password) => {
        const out: string[] = [];
        return main(['auth', '--radius', `127.0.0.1:${served!.port}`, '--radsec', '--radsec-psk-identity', IDENTITY, '--radsec-psk-file', file,
          '--method', 'mschapv2', '--identity', USER.identity, ...secretFlag('password', password), '--timeout', '3000', '--json'],
        (line) => out.push(line), (line) => out.push(line)).then((code) => ({ code, out: out.join('\n') }));
      };
      const hexFile = keyFile(dir.path, 'psk.hex', `${key.toString('hex')}\n`);
      const accepted = await auth(hexFile);
      assert.equal(accepted.code, 0, accepted.out);
      assert.equal(JSON.parse(accepted.out).mppeKeysMatch, true);
      // The same key as raw bytes.
      assert.equal((await auth(keyFile(dir.path, 'psk.raw', key))).code, 0);
      assert.equal((await auth(hexFile, 'wrong')).code, 1);
      const open = await auth(keyFile(dir.path, 'psk.open', key.toString('hex'), 0o644));
      assert.equal(open.code, 2);
      assert.match(open.out, /--radsec-psk-file .*psk\.open: other users may read or change it \(mode 0644\).*chmod 600/);
      const short = await auth(keyFile(dir.path, 'psk.short', randomBytes(15).toString('hex')));
      assert.equal(short.code, 2);
      assert.match(short.out, /holds a key of 15 bytes: RFC 9813 refuses a PSK shorter than 16 bytes/);
      const both: string[] = [];
      assert.equal(await main(['auth', '--radius', `127.0.0.1:${served.port}`, '--radsec', '--radsec-psk-identity', IDENTITY,
        '--radsec-psk-file', hexFile, '--radsec-ca', rig.pki.files.ca, '--method', 'md5', '--identity', 'x', ...secretFlag('password', 'y')],
      () => undefined, (line) => both.push(line)), 2);
      assert.match(both.join('\n'), /--radsec-ca and --radsec-psk-file: a RadSec client uses a certificate or a PSK, not both/);
      // serve refuses a clients file others may read, and a short key in it, naming the line.
      for (const [name, text, mode, message] of [
        ['clients.open', `psk ${IDENTITY} ${key.toString('hex')} 127.0.0.1\n`, 0o640, /other users may read or change it/],
        ['clients.short', `\npsk ${IDENTITY} ${'ab'.repeat(12)} 127.0.0.1\n`, 0o600, /line 2: a key of 12 bytes: RFC 9813/],
        ['clients.mixed', `127.0.0.1 s3cret\n`, 0o600, /with --radsec, clients are known by certificate or by "psk" lines/],
      ] as const) {
        const lines: string[] = [];
        assert.equal(await main(['serve', '--port', '0', '--users', users, '--radsec', '--clients', keyFile(dir.path, name, text, mode)],
          (line) => lines.push(line), (line) => lines.push(line)), 2, name);
        assert.match(lines.join('\n'), message, name);
      }
    } finally {
      await served?.stop();
      dir.remove();
    }
  });
});

describe('RadSec TLS-PSK against FreeRADIUS 3.2\'s PSK listener', function () {
  this.timeout(90_000);
  const key = randomBytes(32);
  const fixture = interopServer((certificates) => startFreeRadius({ secret: 'udp-secret', users: [USER], tlsMaxVersion: '1.2', certificates,
    radsec: { psk: { identity: IDENTITY, hex: key.toString('hex') } } }));

  it("FreeRADIUS's PSK listener without a certificate accepts `eaphost auth --radsec-psk-*`: PEAP Accept, MPPE keys = the MSK", async () => {
    const dir = makeTempDir('radsec-psk-freeradius');
    try {
      const out: string[] = [];
      const code = await main(['auth', '--radius', `127.0.0.1:${fixture.server.radsecPort}`, '--radsec', '--radsec-psk-identity', IDENTITY,
        '--radsec-psk-file', keyFile(dir.path, 'psk', key.toString('hex')), '--method', 'peap', '--identity', USER.identity,
        ...secretFlag('password', USER.password), '--ca', fixture.pki.files.ca, '--server-name', SERVER_NAME, '--json'],
      (line) => out.push(line), (line) => out.push(line));
      assert.equal(code, 0, `${out.join('\n')}\n${fixture.server.log().slice(-3000)}`);
      const result = JSON.parse(out[0]);
      assert.equal(result.result, 'accept');
      assert.equal(result.mppeKeysMatch, true);
      const wrong = await main(['auth', '--radius', `127.0.0.1:${fixture.server.radsecPort}`, '--radsec', '--radsec-psk-identity', IDENTITY,
        '--radsec-psk-file', keyFile(dir.path, 'other', randomBytes(32).toString('hex')), '--method', 'peap', '--identity', USER.identity,
        ...secretFlag('password', USER.password), '--ca', fixture.pki.files.ca, '--server-name', SERVER_NAME], () => undefined, () => undefined);
      assert.notEqual(wrong, 0, 'FreeRADIUS refuses a key it does not share');
    } finally {
      dir.remove();
    }
  });
});
