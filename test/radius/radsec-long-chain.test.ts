import { strict as assert } from 'node:assert';
import { spawn } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { RadSecClient } from '../../lib/radius';
import { RadSecCertificateError } from '../../lib/radius/errors';
import { RADSEC_DTLS_SECRET } from '../../lib/radius/radsec/dtls';
import { RADSEC_SECRET } from '../../lib/radius/radsec/client';
import { RadiusAttributeType } from '../../lib/radius/constants';
import { runMain, secretFlag } from '../support/cli-run';
import { startEaphostServe } from '../support/eaphost-serve';
import { CLIENT_KEY_PASSWORD, makeInteropPki } from '../support/interop-pki';
import type { InteropPki } from '../support/interop-pki';
import { makePresentedChain } from '../support/long-chain';
import type { Chain } from '../support/long-chain';
import { startOpensslServer } from '../support/openssl-dtls-psk';
import type { OpensslDtlsPskServer } from '../support/openssl-dtls-psk';
import { findProgram, makeTempDir, outputUntil } from '../support/programs';

/**
 * A hostile RadSec peer sends a chain of 100 certificates, made here by the openssl command under
 * a root the other end trusts. Over DTLS our native end reads it whole and refuses it as longer
 * than the 16 certificates it verifies, naming the 100 sent, as the TLS methods do
 * (test/radius/long-chain.test.ts), where GnuTLS's own verdict said only "Some constraint limits
 * were reached". Over TLS, node's OpenSSL verifies up to a depth of 100 and took the chain: the
 * same bound now refuses it there too, in both directions. A server (OpenSSL's s_server, over
 * DTLS and TLS): `eaphost auth` says so, and the API's error is a RadSecCertificateError. A client
 * (OpenSSL's s_client) of serve's RadSec listener: closed once its chain is seen, serve saying why.
 */
const NAME = 'radius.chain.invalid';
const REFUSED = /certificate chain is longer than 16 certificates \(100 sent\)/;

describe('a RadSec peer that sends a 100-certificate chain', function () {
  this.timeout(120_000);
  let dir: ReturnType<typeof makeTempDir>;
  let pki: InteropPki;
  let chain: Chain & { intermediates: string };

  before(async () => {
    dir = makeTempDir('radsec-long-chain');
    pki = await makeInteropPki();
    chain = await makePresentedChain(dir.path, 100, NAME);
    writeFileSync(join(dir.path, 'users.json'), JSON.stringify({ anyone: { password: 'x' } }));
  });
  after(() => {
    pki?.remove();
    dir?.remove();
  });

  for (const [transport, secret] of [['dtls', RADSEC_DTLS_SECRET], ['tls', RADSEC_SECRET]] as const) {
    describe(`a server over ${transport.toUpperCase()} (openssl s_server)`, () => {
      let server: OpensslDtlsPskServer | undefined;
      // A server of its own for each test: s_server serves one association, and ours ends refused.
      // It sends its -cert and, after it, its -cert_chain: the 99 intermediates, leaf side first.
      beforeEach(async () => {
        server = await startOpensslServer(['-cert', chain.files[0], '-key', chain.key, '-cert_chain', chain.intermediates], transport);
      });
      afterEach(() => server?.stop());

      it('eaphost auth: refused as longer than 16 certificates, 100 sent', async () => {
        const run = await runMain(['auth', '--radius', `127.0.0.1:${server!.port}`, '--radsec', '--radsec-transport', transport,
          '--radsec-ca', chain.root, '--radsec-cert', pki.files.clientCert, '--radsec-key', pki.files.clientKey,
          '--radsec-key-password', CLIENT_KEY_PASSWORD, '--radsec-server-name', NAME, '--method', 'peap', '--identity', 'anyone',
          ...secretFlag('password', 'x'), '--ca', chain.root, '--server-name', NAME, '--timeout', '5000']);
        const said = `${run.stdout}\n${run.stderr}`;
        assert.notEqual(run.code, 0, said);
        assert.match(said, REFUSED);
        assert.doesNotMatch(said, /constraint/);
      });

      it('RadSecClient: a RadSecCertificateError that names the 100 sent', async () => {
        const client = new RadSecClient({ transport, cert: pki.clientCert, key: pki.clientKey, passphrase: CLIENT_KEY_PASSWORD,
          ca: readFileSync(chain.root), serverName: NAME, timeoutMs: 5000 });
        try {
          await assert.rejects(client.accessRequest({ host: '127.0.0.1', port: server!.port, secret },
            [{ type: RadiusAttributeType.UserName, value: Buffer.from('anyone') }], { userPassword: Buffer.from('x') }),
          (error: unknown) => {
            assert.ok(error instanceof RadSecCertificateError, String(error));
            assert.match(error.message, REFUSED);
            return true;
          });
        } finally {
          await client.close();
        }
      });
    });
  }

  it('a client of serve\'s RadSec listener over TLS (openssl s_client): closed once its chain is seen, serve saying why', async () => {
    const serve = await startEaphostServe(0, ['--users', join(dir.path, 'users.json'), '--methods', 'md5', '--radsec',
      '--radsec-cert', pki.files.serverCert, '--radsec-key', pki.files.serverKey, '--radsec-ca', chain.root]);
    // Its standard input stays open: only the listener's close ends it.
    const client = spawn(findProgram(['openssl'], 'openssl'), ['s_client', '-connect', `127.0.0.1:${serve.port}`,
      '-cert', chain.files[0], '-key', chain.key, '-cert_chain', chain.intermediates], { stdio: ['pipe', 'pipe', 'pipe'] });
    let printed = '';
    client.stdout.on('data', (chunk: Buffer) => { printed += chunk.toString(); });
    client.stderr.on('data', (chunk: Buffer) => { printed += chunk.toString(); });
    const ended = new Promise<void>((resolve) => client.once('close', () => resolve()));
    let done = false;
    void ended.then(() => { done = true; });
    try {
      assert.match(await serve.logged(/closed the RadSec connection of 127\.0\.0\.1 port \d+: the RadSec peer's certificate chain/),
        REFUSED);
      // The handshake completed (OpenSSL verified the chain), then the listener closed the connection.
      await outputUntil('s_client', () => (done ? `${printed}\n(exited)` : printed), /\(exited\)$/);
      assert.match(printed, /Verify return code|Server certificate/, printed);
    } finally {
      client.kill();
      await ended;
      await serve.stop();
    }
  });
});
