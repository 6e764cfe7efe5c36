import { strict as assert } from 'node:assert';
import { createAuthenticator } from '../../lib';
import type { Authenticator } from '../../lib';
import { RadSecClient, RadiusServer } from '../../lib/radius';
import { RadiusAttributeType, RadiusCode } from '../../lib/radius/constants';
import { RADSEC_DTLS_SECRET } from '../../lib/radius/radsec/dtls';
import { PURPOSE_SERVER_NAME, makePurposePki } from '../support/purpose-pki';
import type { Purpose, PurposePki } from '../support/purpose-pki';

/**
 * One certificate-purpose rule for RadSec's client certificates, whichever record layer: RadSec
 * over TLS is node's OpenSSL, whose server checks a client's certificate for its "SSL client"
 * purpose, and that verdict is the truth RADIUS/DTLS (GnuTLS, native/common/tls_purpose.h) must
 * give too. Certificates made for the run by the openssl command differ only in their
 * extendedKeyUsage: clientAuth and none pass over both; serverAuth-only and codeSigning-only are
 * refused over both (over DTLS the listener once took them).
 */
const USER = { identity: 'purpose-nas', password: 'purp0se' };

describe('RadSec client certificate purpose: the same verdict over TLS and DTLS', function () {
  this.timeout(60_000);
  let pki: PurposePki;
  let authenticator: Authenticator;
  let server: RadiusServer;
  let port: number;
  before(async () => {
    pki = await makePurposePki();
    authenticator = await createAuthenticator({ methods: ['md5'], users: { [USER.identity]: { password: USER.password } } });
    server = new RadiusServer({ host: '127.0.0.1', port: 0, authenticator, pap: true,
      radsec: { cert: pki.server.serverAuth.cert, key: pki.server.serverAuth.key, ca: pki.ca, dtls: true } });
    ({ port } = await server.listen());
  });
  after(async () => {
    await server?.close();
    await authenticator?.close();
    pki?.remove();
  });

  /** An Access-Request over `transport` with `purpose`'s client certificate: its reply's code, or 'refused'. */
  const ask = async (transport: 'tls' | 'dtls', purpose: Purpose): Promise<number | 'refused'> => {
    const client = new RadSecClient({ transport, cert: pki.client[purpose].cert, key: pki.client[purpose].key, ca: pki.ca,
      serverName: PURPOSE_SERVER_NAME, timeoutMs: 3000 });
    try {
      const reply = await client.accessRequest({ host: '127.0.0.1', port, secret: transport === 'dtls' ? RADSEC_DTLS_SECRET : 'radsec' },
        [{ type: RadiusAttributeType.UserName, value: Buffer.from(USER.identity) }], { userPassword: Buffer.from(USER.password) });
      return reply.reply.code;
    } catch {
      return 'refused';
    } finally {
      await client.close();
    }
  };

  for (const purpose of ['clientAuth', 'none'] as const) {
    it(`a client certificate with ${purpose === 'none' ? 'no extendedKeyUsage' : 'clientAuth'}: accepted over TLS and DTLS`, async () => {
      assert.equal(await ask('tls', purpose), RadiusCode.AccessAccept);
      assert.equal(await ask('dtls', purpose), RadiusCode.AccessAccept);
    });
  }

  for (const purpose of ['serverAuth', 'codeSigning'] as const) {
    it(`a ${purpose}-only client certificate: refused over TLS (OpenSSL's verdict), and so over DTLS`, async () => {
      assert.equal(await ask('tls', purpose), 'refused');
      const failed = server.radsecDtlsCounters!.failed;
      assert.equal(await ask('dtls', purpose), 'refused');
      assert.equal(server.radsecDtlsCounters!.failed, failed + 1, 'the listener refused the certificate, not the network');
    });
  }
});
