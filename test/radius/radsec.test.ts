import { strict as assert } from 'node:assert';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { authenticate, openEapHost } from '../../lib';
import { main } from '../../lib/cli/main';
import { freeTcpPort, makeTempDir } from '../support/programs';
import { RadSecClient, RadiusEapTransport } from '../../lib/radius';
import { RadiusConnectionError, RadSecCertificateError, RadSecHandshakeRefusedError } from '../../lib/radius/errors';
import { RADSEC_SECRET } from '../../lib/radius/radsec/client';
import { startFreeRadius } from '../support/freeradius';
import { CLIENT_KEY_PASSWORD, SERVER_NAME } from '../support/interop-pki';
import { interopServer } from '../support/interop-server';
import { assertAccessReject } from '../support/radius-verdict';
import { secretFlag, eaphostCommand } from '../support/cli-run';

const runServe = eaphostCommand('serve');

/**
 * RadSec (RFC 6614) against FreeRADIUS's TLS listener, mutual certificates: FreeRADIUS decides
 * whether our client certificate is good enough and whether the authentication succeeds; the
 * MPPE keys it sends over the TLS connection must equal the peer's MSK.
 */
const USER = { identity: 'rita', password: 'r1ta pass' };

describe('RadSec (RADIUS over TLS) against FreeRADIUS', function () {
  this.timeout(60_000);
  const fixture = interopServer((certificates) =>
    startFreeRadius({ secret: 'udp-secret', users: [USER], tlsMaxVersion: '1.2', certificates, radsec: certificates }));

  const client = (overrides: Partial<ConstructorParameters<typeof RadSecClient>[0]> = {}) => new RadSecClient({
    cert: fixture.pki.clientCert, key: fixture.pki.clientKey, passphrase: CLIENT_KEY_PASSWORD, ca: fixture.pki.ca, serverName: SERVER_NAME,
    timeoutMs: 5000, ...overrides,
  });

  async function authenticateOver(radsec: RadSecClient, password: string) {
    const host = await openEapHost();
    const session = await host.beginSession({ method: 'peap', identity: USER.identity, password, ca: fixture.pki.ca,
      serverName: SERVER_NAME });
    try {
      const radiusCodes: number[] = [];
      const transport = new RadiusEapTransport({ server: { host: '127.0.0.1', port: fixture.server.radsecPort!, secret: RADSEC_SECRET },
        client: radsec, onExchange: (exchange) => { radiusCodes.push(exchange.reply.code); } });
      return { ...await authenticate({ session, transport }), radiusCodes };
    } finally {
      await session.endSession();
      await host.close();
    }
  }

  it('PEAP-MSCHAPv2 over one TLS connection: Access-Accept, MPPE keys = the MSK; a wrong password: Access-Reject', async () => {
    const radsec = client();
    try {
      const accepted = await authenticateOver(radsec, USER.password);
      assert.equal(accepted.success, true, fixture.server.log());
      assert.equal(accepted.mppeKeysMatch, true);
      const rejected = await authenticateOver(radsec, 'wrong');
      assertAccessReject(rejected, fixture.server.log().slice(-3000));
    } finally {
      await radsec.close();
    }
  });

  it('FreeRADIUS refuses a client certificate its CA did not issue; we refuse a server our CA did not', async () => {
    const endpoint = () => ({ host: '127.0.0.1', port: fixture.server.radsecPort!, secret: RADSEC_SECRET });
    const stranger = client({ cert: fixture.pki.otherCa, key: readFileSync(join(fixture.pki.dir, 'other.key')), passphrase: undefined });
    const from = fixture.server.log().length;
    // TLS 1.2 here: FreeRADIUS refuses the certificate inside the handshake, closing without an alert.
    await assert.rejects(stranger.accessRequest(endpoint(), []), (error: unknown) => error instanceof RadSecHandshakeRefusedError &&
      error.code === 'ERR_RADSEC_HANDSHAKE_REFUSED' && !error.afterHandshake && error.server === `127.0.0.1:${fixture.server.radsecPort}`);
    // FreeRADIUS's own reason for closing the connection: it could not verify the certificate.
    // The log line may land a moment after the connection closes: wait for it, bounded.
    await fixture.server.logUntil(from, /unknown ca|certificate verify failed|unable to get (local )?issuer/i);
    await stranger.close();
    const distrustful = client({ ca: fixture.pki.otherCa });
    await assert.rejects(distrustful.accessRequest(endpoint(), []), (error: unknown) => error instanceof RadSecCertificateError &&
      error.code === 'ERR_RADSEC_CERTIFICATE' && /self[- ]signed|unable to (get|verify)/i.test(error.message));
    await distrustful.close();
    const wrongName = client({ serverName: 'other.interop.invalid' });
    await assert.rejects(wrongName.accessRequest(endpoint(), []), (error: unknown) => error instanceof RadSecCertificateError &&
      /other\.interop\.invalid/.test(error.message));
    await wrongName.close();
  });

  it('`eaphost auth --radsec`: Access-Accept with mppeKeysMatch; the secret defaults to "radsec"; flags checked', async () => {
    const out: string[] = [];
    const err: string[] = [];
    const code = await main(['auth', '--radius', `127.0.0.1:${fixture.server.radsecPort}`, '--radsec', '--radsec-cert', fixture.pki.files.clientCert,
      '--radsec-key', fixture.pki.files.clientKey, '--radsec-key-password', CLIENT_KEY_PASSWORD, '--radsec-ca', fixture.pki.files.ca,
      '--radsec-server-name', SERVER_NAME, '--method', 'peap', '--identity', USER.identity, ...secretFlag('password', USER.password),
      '--ca', fixture.pki.files.ca, '--server-name', SERVER_NAME, '--json'], (line) => out.push(line), (line) => err.push(line));
    assert.equal(code, 0, [...out, ...err].join('\n'));
    const result = JSON.parse(out[0]);
    assert.equal(result.result, 'accept');
    assert.equal(result.mppeKeysMatch, true);
    const usage: string[] = [];
    assert.equal(await main(['auth', '--radius', `127.0.0.1:${fixture.server.radsecPort}`, '--radsec', '--method', 'md5',
      '--identity', 'x', ...secretFlag('password', 'y')], () => undefined, (line) => usage.push(line)), 2);
    assert.match(usage[0], /--radsec needs --radsec-cert FILE/);
    assert.equal(await main(['auth', '--radius', '127.0.0.1:1812', ...secretFlag('secret', 's'), '--radsec-ca', fixture.pki.files.ca, '--method', 'md5',
      '--identity', 'x', ...secretFlag('password', 'y')], () => undefined, () => undefined), 2);
  });

  it('`eaphost serve --radsec`: our RadSec client authenticates over TLS; a client certificate from another CA is refused', async () => {
    const dir = makeTempDir('radsec-serve');
    const users = join(dir.path, 'users.json');
    writeFileSync(users, JSON.stringify({ [USER.identity]: { password: USER.password } }));
    const port = await freeTcpPort();
    const stop = new AbortController();
    const lines: string[] = [];
    const serving = runServe(['--port', String(port), '--users', users, '--methods', 'mschapv2', '--radsec',
      '--radsec-cert', fixture.pki.files.serverCert, '--radsec-key', fixture.pki.files.serverKey, '--radsec-ca', fixture.pki.files.ca],
    (line) => lines.push(line), (line) => lines.push(line), stop.signal);
    try {
      for (let i = 0; i < 100 && !lines.some((line) => line.startsWith('listening')); i++) await new Promise((r) => setTimeout(r, 50));
      assert.match(lines[0] ?? '', /^listening on 127\.0\.0\.1:\d+ \(RadSec, TCP\)/);
      const radsecFlags = ['--radius', `127.0.0.1:${port}`, '--radsec', '--radsec-cert', fixture.pki.files.clientCert,
        '--radsec-key', fixture.pki.files.clientKey, '--radsec-key-password', CLIENT_KEY_PASSWORD, '--radsec-ca', fixture.pki.files.ca,
        '--radsec-server-name', SERVER_NAME, '--method', 'mschapv2', '--identity', USER.identity, '--timeout', '3000'];
      const out: string[] = [];
      assert.equal(await main(['auth', ...radsecFlags, ...secretFlag('password', USER.password), '--json'], (line) => out.push(line),
        (line) => out.push(line)), 0, out.join('\n'));
      assert.equal(JSON.parse(out[0]).mppeKeysMatch, true);
      assert.equal(await main(['auth', ...radsecFlags, ...secretFlag('password', 'wrong')], () => undefined, () => undefined), 1);
      const stranger = client({ cert: fixture.pki.otherCa, key: readFileSync(join(fixture.pki.dir, 'other.key')), passphrase: undefined });
      // TLS 1.3: the server reads our certificate after our side finished the handshake, and
      // refuses it with an alert and a close; which the socket reports first is timing, the
      // error is one.
      await assert.rejects(stranger.accessRequest({ host: '127.0.0.1', port, secret: RADSEC_SECRET }, []),
        (error: unknown) => error instanceof RadiusConnectionError && error.afterHandshake && error.server === `127.0.0.1:${port}`);
      await stranger.close();
    } finally {
      stop.abort();
      assert.equal(await serving, 0, lines.join('\n'));
      dir.remove();
    }
  });
});
