import { strict as assert } from 'node:assert';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { RadSecClient } from '../../lib/radius';
import { RadSecCertificateError } from '../../lib/radius/errors';
import { RADSEC_DTLS_SECRET } from '../../lib/radius/radsec/dtls';
import { RadiusAttributeType } from '../../lib/radius/constants';
import { runMain } from '../support/cli-run';
import { CLIENT_KEY_PASSWORD, makeInteropPki } from '../support/interop-pki';
import type { InteropPki } from '../support/interop-pki';
import { makeChain } from '../support/long-chain';
import type { Chain } from '../support/long-chain';
import { startOpensslDtlsServer } from '../support/openssl-dtls-psk';
import type { OpensslDtlsPskServer } from '../support/openssl-dtls-psk';
import { makeTempDir } from '../support/programs';

/**
 * A hostile RADIUS/DTLS server (OpenSSL's s_server) sends a chain of 100 certificates, made here
 * by the openssl command under a root the client trusts: our DTLS client reads it whole and
 * refuses it as longer than the 16 certificates it verifies, naming the 100 sent, as the TLS
 * methods do (test/radius/long-chain.test.ts), where GnuTLS's own verdict said only "Some
 * constraint limits were reached". `eaphost ping` says so, and the API's error is a
 * RadSecCertificateError.
 */
const NAME = 'radius.chain.invalid';

describe('a RADIUS/DTLS server that sends a 100-certificate chain', function () {
  this.timeout(120_000);
  let dir: ReturnType<typeof makeTempDir>;
  let pki: InteropPki;
  let chain: Chain;
  let intermediates: string;
  let server: OpensslDtlsPskServer | undefined;

  before(async () => {
    dir = makeTempDir('radsec-dtls-long-chain');
    pki = await makeInteropPki();
    chain = await makeChain(join(dir.path, 'hundred'), 100, 0, NAME);
    // s_server sends its -cert and, after it, its -cert_chain: the 99 intermediates, leaf side first.
    intermediates = join(dir.path, 'intermediates.pem');
    writeFileSync(intermediates, chain.files.slice(1).map((file) => readFileSync(file, 'utf8')).join(''));
  });
  // A server of its own for each test: s_server serves one association, and ours ends refused.
  beforeEach(async () => {
    server = await startOpensslDtlsServer(['-cert', chain.files[0], '-key', chain.key, '-cert_chain', intermediates]);
  });
  afterEach(() => server?.stop());
  after(() => {
    pki?.remove();
    dir?.remove();
  });

  it('eaphost ping: refused as longer than 16 certificates, 100 sent', async () => {
    const run = await runMain(['ping', '--radius', `127.0.0.1:${server!.port}`, '--radsec', '--radsec-transport', 'dtls',
      '--radsec-ca', chain.root, '--radsec-cert', pki.files.clientCert, '--radsec-key', pki.files.clientKey,
      '--radsec-key-password', CLIENT_KEY_PASSWORD, '--radsec-server-name', NAME, '--timeout', '5000']);
    const said = `${run.stdout}\n${run.stderr}`;
    assert.notEqual(run.code, 0, said);
    assert.match(said, /certificate chain is longer than 16 certificates \(100 sent\)/);
    assert.doesNotMatch(said, /constraint/);
  });

  it('RadSecClient: a RadSecCertificateError that names the 100 sent', async () => {
    const client = new RadSecClient({ transport: 'dtls', cert: pki.clientCert, key: pki.clientKey, passphrase: CLIENT_KEY_PASSWORD,
      ca: readFileSync(chain.root), serverName: NAME, timeoutMs: 5000 });
    try {
      await assert.rejects(client.accessRequest({ host: '127.0.0.1', port: server!.port, secret: RADSEC_DTLS_SECRET },
        [{ type: RadiusAttributeType.UserName, value: Buffer.from('anyone') }], { userPassword: Buffer.from('x') }),
      (error: unknown) => {
        assert.ok(error instanceof RadSecCertificateError, String(error));
        assert.match(error.message, /longer than 16 certificates \(100 sent\)/);
        return true;
      });
    } finally {
      await client.close();
    }
  });
});
