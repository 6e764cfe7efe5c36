import { strict as assert } from 'node:assert';
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { Authenticator, createAuthenticator } from '../../lib';
import { RadiusServer, RadSecClient } from '../../lib/radius';
import { RadiusConnectionError, RadiusTimeoutError } from '../../lib/radius/errors';
import { RADSEC_SECRET } from '../../lib/radius/radsec/client';
import { findProgram, freeTcpPort } from '../support/programs';
import { opensslPskClient } from '../support/radsec-peers';

/**
 * ALPN on RadSec (RFC 9765 §3, the RadSec revision's §3.6), judged by OpenSSL: s_client offering
 * what a RADIUS/1.0, a RADIUS/1.1-only and an RFC 6614 client offer, against serve's listener; and
 * s_server reporting what our client offered. A listener set to RADIUS/1.0 (radiusVersion "1.0")
 * meets these rows of RFC 9765's outcome table: no ALPN → RadSec; radius/1.0 offered → radius/1.0
 * echoed; radius/1.1 alone → the no_application_protocol alert (RADIUS/1.1: radius11.test.ts).
 */
const IDENTITY = 'nas1';

/** s_client's full report of a PSK handshake with serve. */
const sClient = (port: number, hex: string, args: string[]): Promise<string> => opensslPskClient(port, IDENTITY, hex, args);

describe('RadSec ALPN: radius/1.0 offered by our client, echoed by serve (RFC 9765)', function () {
  this.timeout(30_000);
  let authenticator: Authenticator;
  let server: RadiusServer;
  let port: number;
  const key = randomBytes(32);
  const hex = key.toString('hex');

  before(async () => {
    authenticator = await createAuthenticator({ methods: ['md5'], users: { u: { password: 'p' } } });
    server = new RadiusServer({ host: '127.0.0.1', port: 0, authenticator, radsec: { psk: [{ identity: IDENTITY, key, networks: ['127.0.0.1'] }], radiusVersion: '1.0' } });
    ({ port } = await server.listen());
  });
  after(async () => {
    await server?.close();
    await authenticator?.close();
  });

  for (const version of ['-tls1_2', '-tls1_3']) {
    it(`s_client ${version}: radius/1.0 offered is echoed; radius/1.1 alone gets no_application_protocol; no ALPN stays RadSec`, async () => {
      const offered = await sClient(port, hex, [version, '-alpn', 'radius/1.0']);
      assert.match(offered, /ALPN protocol: radius\/1\.0/, offered);
      const both = await sClient(port, hex, [version, '-alpn', 'radius/1.1,radius/1.0']);
      assert.match(both, /ALPN protocol: radius\/1\.0/, both);
      const onlyNext = await sClient(port, hex, [version, '-alpn', 'radius/1.1']);
      assert.match(onlyNext, /no application protocol/i, onlyNext);
      assert.doesNotMatch(onlyNext, /ALPN protocol:/, onlyNext);
      const none = await sClient(port, hex, [version]);
      assert.match(none, /No ALPN negotiated/, none);
      assert.match(none, /Cipher is/, none);
    });
  }

  it('our client offers radius/1.0 (s_server reports what it was offered)', async () => {
    const serverPort = await freeTcpPort();
    // stdbuf: s_server's stdout into a pipe is block-buffered, and its lines are what is awaited.
    const child = spawn('stdbuf', ['-o0', '-e0', findProgram(['openssl'], 'openssl'), 's_server', '-accept', `127.0.0.1:${serverPort}`, '-nocert', '-psk', hex,
      '-psk_hint', IDENTITY, '-alpn', 'radius/1.0'], { stdio: ['pipe', 'pipe', 'pipe'] });
    let output = '';
    const advertised = new Promise<void>((resolve) => {
      const look = (chunk: Buffer): void => {
        output += chunk;
        if (/ALPN protocols advertised by the client: radius\/1\.0\b/.test(output)) resolve();
      };
      child.stdout.on('data', look);
      child.stderr.on('data', look);
    });
    const listening = new Promise<void>((resolve) => {
      const look = (): void => { if (output.includes('ACCEPT')) resolve(); };
      child.stdout.on('data', look);
    });
    const client = new RadSecClient({ psk: { identity: IDENTITY, key }, timeoutMs: 2000 });
    try {
      await listening;
      // s_server answers no RADIUS: the request times out or the connection ends; what matters is what it saw.
      await client.accessRequest({ host: '127.0.0.1', port: serverPort, secret: RADSEC_SECRET }, []).catch((error: unknown) => {
        if (!(error instanceof RadiusConnectionError) && !(error instanceof RadiusTimeoutError)) throw error;
      });
      await advertised;
    } finally {
      await client.close();
      child.kill();
    }
  });
});
