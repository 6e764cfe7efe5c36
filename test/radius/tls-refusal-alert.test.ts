import { strict as assert } from 'node:assert';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { EapError } from '../../lib';
import { runEapolTest } from '../support/eapol-test';
import { ServeProcess, startEaphostServe } from '../support/eaphost-serve';
import { PURPOSE_CLIENT_IDENTITY, PURPOSE_SERVER_NAME, PurposePki, makePurposePki } from '../support/purpose-pki';
import { makeTempDir } from '../support/programs';
import { authenticateOverRadius } from './peer';

/**
 * When `eaphost serve`'s TLS refuses the peer (a client certificate for another purpose, no TLS
 * version in common), it sends the TLS alert that says why in an EAP request before the
 * Access-Reject, as hostapd and FreeRADIUS do. The truth is the peer's: wpa_supplicant's
 * eapol_test prints the alert it read ("SSL3 alert: read (remote end reported an
 * error):fatal:<description>"), and our own peer fails with a typed error naming it.
 */

const SECRET = 'alert-secret';
const USER = { identity: 'abe', password: 'abe pa55' };
const TLS13_ONLY = 'tls_disable_tlsv1_0=1 tls_disable_tlsv1_1=1 tls_disable_tlsv1_2=1 tls_disable_tlsv1_3=0';
const REMOTE_ALERT = /SSL3 alert: read \(remote end reported an error\):fatal:([a-z ]+)/;

describe('eaphost serve sends the TLS alert before the Access-Reject', function () {
  this.timeout(120_000);
  let pki: PurposePki;
  let dir: { path: string; remove(): void };
  let port: number;
  let serve: ServeProcess | undefined;

  before(async () => {
    pki = await makePurposePki();
    dir = makeTempDir('serve-alert');
    writeFileSync(join(dir.path, 'users.json'), JSON.stringify({ [USER.identity]: { password: USER.password } }));
  });
  after(() => {
    dir?.remove();
    pki?.remove();
  });
  const start = async (methods: string, extra: string[] = []) => {
    serve = await startEaphostServe(0, ['--secret', SECRET, '--users', join(dir.path, 'users.json'), '--methods', methods,
      '--cert', pki.server.serverAuth.certFile, '--key', pki.server.serverAuth.keyFile,
      ...(methods === 'tls' ? ['--ca', pki.caFile] : []), ...extra]);
    port = serve.port;
  };
  afterEach(async () => {
    if (serve) assert.equal(await serve.stop(), 0, serve.output());
    serve = undefined;
  });
  const endpoint = () => ({ host: '127.0.0.1', port, secret: SECRET });

  for (const version of ['1.2', '1.3'] as const) {
    it(`EAP-TLS, TLS ${version}: a serverAuth-only client certificate is answered with "unsupported certificate", then Access-Reject`, async () => {
      await start('tls');
      const run = await runEapolTest({
        ...endpoint(), method: 'TLS', identity: PURPOSE_CLIENT_IDENTITY, password: '',
        caCert: pki.caFile, serverName: PURPOSE_SERVER_NAME, clientCert: pki.client.serverAuth.certFile,
        privateKey: pki.client.serverAuth.keyFile, timeoutSeconds: 10, ...(version === '1.3' ? { phase1: TLS13_ONLY } : {}),
      });
      assert.equal(run.success, false);
      assert.equal(REMOTE_ALERT.exec(run.stdout)?.[1], 'unsupported certificate', run.stdout.slice(-4000));
      assert.match(run.stdout, /Access-Reject/);

      // Our peer with the same certificate: a typed error that names the alert.
      await assert.rejects(authenticateOverRadius(endpoint(), PURPOSE_CLIENT_IDENTITY, '', {
        method: 'tls',
        tls: { ca: pki.ca, serverName: PURPOSE_SERVER_NAME, tls: { min: version, max: version },
          cert: pki.client.serverAuth.cert, key: pki.client.serverAuth.key },
      }), (error: unknown) => {
        assert.ok(error instanceof EapError, String(error));
        assert.match(error.rootCause, /the other side sent the alert "Certificate is not supported"/);
        return true;
      });
    });
  }

  it('PEAP: a peer that speaks only TLS 1.2 to a server limited to TLS 1.3 reads "protocol version"', async () => {
    await start('peap', ['--tls-min', '1.3']);
    const run = await runEapolTest({
      ...endpoint(), method: 'PEAP', identity: USER.identity, password: USER.password, phase2: 'auth=MSCHAPV2',
      caCert: pki.caFile, serverName: PURPOSE_SERVER_NAME, timeoutSeconds: 10, phase1: 'tls_disable_tlsv1_3=1',
    });
    assert.equal(run.success, false);
    assert.equal(REMOTE_ALERT.exec(run.stdout)?.[1], 'protocol version', run.stdout.slice(-4000));
    // wpa_supplicant's PEAP and EAP-TTLS end at a handshake alert without a response, so no
    // round is left for the Access-Reject (as against hostapd); its EAP-TLS answers and gets it.

    await assert.rejects(authenticateOverRadius(endpoint(), USER.identity, USER.password, {
      method: 'peap', tls: { ca: pki.ca, serverName: PURPOSE_SERVER_NAME, tls: { min: '1.2', max: '1.2' } },
    }), (error: unknown) => {
      assert.ok(error instanceof EapError, String(error));
      assert.match(error.rootCause, /the other side sent the alert "Error in protocol version"/);
      return true;
    });
  });

  it('EAP-TTLS: no cipher suite in common (the peer offers only ARIA suites, which GnuTLS lacks) reads "handshake failure"', async () => {
    await start('ttls', ['--tls-max', '1.2']);
    const run = await runEapolTest({
      ...endpoint(), method: 'TTLS', identity: USER.identity, password: USER.password, phase2: 'auth=PAP',
      caCert: pki.caFile, serverName: PURPOSE_SERVER_NAME, timeoutSeconds: 10,
      phase1: 'tls_disable_tlsv1_3=1', opensslCiphers: 'ARIA',
    });
    assert.equal(run.success, false);
    assert.equal(REMOTE_ALERT.exec(run.stdout)?.[1], 'handshake failure', run.stdout.slice(-4000));
  });
});
