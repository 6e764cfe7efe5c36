import { strict as assert } from 'node:assert';
import { createSocket } from 'node:dgram';
import { main } from '../../lib/cli/main';
import { RadSecClient } from '../../lib/radius';
import { RadiusConnectionError } from '../../lib/radius/errors';
import { RADSEC_DTLS_SECRET } from '../../lib/radius/radsec/dtls';
import { freeUdpPort } from '../support/programs';
import { CLIENT_KEY_PASSWORD, makeInteropPki, SERVER_NAME } from '../support/interop-pki';
import type { InteropPki } from '../support/interop-pki';
import { startRadsecProxy } from '../support/radsecproxy';
import type { RadsecProxy } from '../support/radsecproxy';
import { runMain, secretFlag } from '../support/cli-run';

/**
 * RADIUS/DTLS (RFC 7360) as a client, against radsecproxy 1.9.2's `ListenDTLS` (its home server
 * a UDP port no one serves: no request gets that far) and against a port that never answers.
 */
describe('RADIUS/DTLS client against radsecproxy (ListenDTLS) and a silent port', function () {
  this.timeout(60_000);
  let pki: InteropPki;
  let proxy: RadsecProxy;

  before(async () => {
    pki = await makeInteropPki();
    proxy = await startRadsecProxy({ listen: 'dtls', clientSecret: RADSEC_DTLS_SECRET,
      server: { type: 'udp', port: await freeUdpPort(), secret: 'udp-secret' },
      tls: { ca: pki.files.ca, cert: pki.files.serverCert, key: pki.files.serverKey } });
  });
  after(async () => {
    await proxy?.stop();
    pki?.remove();
  });

  const client = (overrides: Partial<ConstructorParameters<typeof RadSecClient>[0]> = {}) => new RadSecClient({
    transport: 'dtls', cert: pki.clientCert, key: pki.clientKey, passphrase: CLIENT_KEY_PASSWORD, ca: pki.ca, serverName: SERVER_NAME,
    timeoutMs: 5000, ...overrides,
  });
  const endpoint = () => ({ host: '127.0.0.1', port: proxy.port, secret: RADSEC_DTLS_SECRET });

  // radsecproxy's cookie is its time_t (8 bytes) and an HMAC-SHA256 (32); the system's GnuTLS
  // client takes at most 32 bytes (DTLS_MAX_COOKIE_SIZE), where RFC 6347 allows 255. The error
  // says so, from the cookie length read off radsecproxy's own HelloVerifyRequest. docs/radsec.md.
  const cookieRefused = /HelloVerifyRequest cookie is 40 bytes, and GnuTLS's DTLS client takes at most 32 .*--radsec-transport tls/;

  it('radsecproxy 1.9.2 answers our ClientHello with a 40-byte cookie, which GnuTLS refuses: a typed EPROTO naming it, no crash', async () => {
    const from = proxy.log().length;
    const radsec = client();
    try {
      await assert.rejects(radsec.accessRequest(endpoint(), []), (error: unknown) => error instanceof RadiusConnectionError &&
        !error.afterHandshake && (error.cause as { code?: string }).code === 'EPROTO' && cookieRefused.test(error.message));
    } finally {
      await radsec.close();
    }
    assert.match(await proxy.logUntil(from, /DTLS_listen failed or no cookie/), /dtlslistener/);
  });

  it('`eaphost auth --radsec --radsec-transport dtls` toward radsecproxy\'s ListenDTLS: the error names its 40-byte cookie, GnuTLS\'s 32 and the way out', async () => {
    const from = proxy.log().length;
    const auth = await runMain(['auth', '--radius', `127.0.0.1:${proxy.port}`, '--radsec', '--radsec-transport', 'dtls',
      '--radsec-ca', pki.files.ca, '--radsec-cert', pki.files.clientCert, '--radsec-key', pki.files.clientKey,
      '--radsec-key-password', CLIENT_KEY_PASSWORD, '--radsec-server-name', SERVER_NAME, '--method', 'peap', '--identity', 'x',
      ...secretFlag('password', 'y'), '--ca', pki.files.ca, '--server-name', SERVER_NAME, '--timeout', '5000']);
    assert.notEqual(auth.code, 0, auth.stdout);
    assert.match(auth.stdout + auth.stderr, cookieRefused);
    assert.match(await proxy.logUntil(from, /DTLS_listen failed or no cookie/), /dtlslistener/);
  });

  it('a server that never answers: the handshake deadline ends it with a typed ETIMEDOUT', async () => {
    // A UDP port nobody answers on (bound here, never read).
    const silent = createSocket('udp4');
    await new Promise<void>((bound) => silent.bind(0, '127.0.0.1', bound));
    const mute = client({ timeoutMs: 1500 });
    try {
      await assert.rejects(mute.accessRequest({ host: '127.0.0.1', port: silent.address().port, secret: RADSEC_DTLS_SECRET }, []),
        (error: unknown) => error instanceof RadiusConnectionError && (error.cause as { code?: string }).code === 'ETIMEDOUT');
    } finally {
      await mute.close();
      silent.close();
    }
  });

  it('`eaphost auth --radsec-transport` takes tls or dtls, with --radsec only', async () => {
    const base = ['auth', '--radius', `127.0.0.1:${proxy.port}`, '--method', 'md5', '--identity', 'x', ...secretFlag('password', 'y')];
    const usage: string[] = [];
    assert.equal(await main([...base, '--radsec', '--radsec-transport', 'quic', '--radsec-cert', pki.files.clientCert,
      '--radsec-key', pki.files.clientKey, '--radsec-ca', pki.files.ca], () => undefined, (line) => usage.push(line)), 2);
    assert.match(usage.join('\n'), /--radsec-transport is tls or dtls, not quic/);
    assert.equal(await main([...base, ...secretFlag('secret', 's'), '--radsec-transport', 'dtls'], () => undefined, (line) => usage.push(line)), 2);
    assert.match(usage.join('\n'), /--radsec-transport applies with --radsec only/);
  });
});
