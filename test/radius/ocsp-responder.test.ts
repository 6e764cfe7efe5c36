/**
 * `eaphost serve --ocsp-responder` asks a real OCSP responder about each EAP-TLS client
 * certificate: `openssl ocsp -index …` answering from the CA's index, made for the run, behind
 * a loopback HTTP server (test/support/ocsp-responder.ts). eapol_test with the good client certificate succeeds (MPPE keys OK) and goes on
 * succeeding from the cached answer after the responder stops; the revoked one is answered with
 * certificate_revoked and refused, and serve's log names it; with the responder down a client is
 * refused (fail closed) unless --ocsp-responder-fail-open says otherwise. A responder that holds
 * its answer delays only the EAP-TLS conversations that wait on it: a PEAP user, whose method asks
 * no responder, authenticates while it holds the question as many EAP-TLS conversations share as
 * serve has step threads: one question per certificate is in flight, whoever asks.
 */
import { strict as assert } from 'node:assert';
import { join } from 'node:path';
import { runEapolTest } from '../support/eapol-test';
import { startEaphostServe } from '../support/eaphost-serve';
import { freeTcpPort, freeUdpPort } from '../support/programs';
import { startOcspResponder } from '../support/ocsp-responder';
import { REVOCATION_CLIENT_IDENTITY, REVOCATION_SERVER_NAME, RevocationCertificate, RevocationPki, makeRevocationPki } from '../support/revocation-pki';
import { writeFileSync } from 'node:fs';
import { createServer, ServerResponse } from 'node:http';
import { AddressInfo } from 'node:net';
import { availableParallelism } from 'node:os';
import { randomCredentials } from '../helpers';

const SECRET = 'ocsp-responder-secret';
const REMOTE_ALERT = /SSL3 alert: read \(remote end reported an error\):fatal:([a-z ]+)/;

describe('serve --ocsp-responder against openssl ocsp on loopback (EAP-TLS)', function () {
  this.timeout(120_000);
  let pki: RevocationPki;
  before(async () => {
    pki = await makeRevocationPki();
    writeFileSync(join(pki.dir, 'users.json'), '{}');
  });
  after(() => pki?.remove());

  async function serveWith(url: string, extra: string[] = []) {
    const port = await freeUdpPort();
    const serve = await startEaphostServe(port, ['--secret', SECRET, '--users', join(pki.dir, 'users.json'), '--methods', 'tls',
      '--cert', pki.server.good.certFile, '--key', pki.server.good.keyFile, '--ca', pki.caFile, '--ocsp-responder', url, '--log',
      ...extra]);
    const eapTls = (client: RevocationCertificate) => runEapolTest({
      host: '127.0.0.1', port, secret: SECRET, method: 'TLS', identity: REVOCATION_CLIENT_IDENTITY, password: '',
      caCert: pki.caFile, serverName: REVOCATION_SERVER_NAME, clientCert: client.certFile, privateKey: client.keyFile,
      timeoutSeconds: 10,
    });
    return { serve, eapTls };
  }

  it('good: success with MPPE keys OK, then from the cached answer once the responder is gone; revoked: refused in words', async () => {
    const responder = await startOcspResponder(pki);
    const { serve, eapTls } = await serveWith(responder.url);
    try {
      const good = await eapTls(pki.client.good);
      assert.equal(good.success, true, `${good.stdout.slice(-3000)}\n${serve.output()}`);
      assert.equal(good.mppeKeysOk, 1);
      assert.equal(good.mppeKeysMismatch, 0);
      const revoked = await eapTls(pki.client.revoked);
      assert.equal(revoked.success, false);
      assert.equal(REMOTE_ALERT.exec(revoked.stdout)?.[1], 'certificate revoked', revoked.stdout.slice(-3000));
      const line = (await serve.logged(/outcome=reject/)).split('\n').find((l) => l.includes('outcome=reject'));
      assert.ok(line, serve.output());
      assert.ok(line.includes(`serial ${pki.client.revoked.serial}`), line);
      assert.match(line, /was revoked on \d{4}-\d\d-\d\d \d\d:\d\d:\d\d UTC \(reason: superseded\), says the OCSP responder http:\/\/127\.0\.0\.1:\d+\/ signed for CN=eaphost revocation CA/);
      await responder.stop();
      const asked = responder.asked;
      const cached = await eapTls(pki.client.good);
      assert.equal(cached.success, true, `${cached.stdout.slice(-3000)}\n${serve.output()}`);
      assert.equal(asked, 2, 'one question per certificate: the good and the revoked');
    } finally {
      await responder.stop();
      assert.equal(await serve.stop(), 0, serve.output());
    }
  });

  it('a responder that holds its answers stalls only the EAP-TLS conversations waiting on it, all on one question: PEAP completes meanwhile', async () => {
    // As many waiting EAP-TLS conversations as serve has step threads (one per core, 2 to 8).
    const waiting = Math.max(2, Math.min(availableParallelism(), 8));
    const held: ServerResponse[] = [];
    let gaveUp = 0;
    let heldAll: () => void = () => undefined;
    const allHeld = new Promise<void>((done) => { heldAll = done; });
    const responder = createServer((request, response) => {
      request.resume();
      held.push(response);
      // Closed before we answered: serve stopped waiting for this responder.
      response.on('close', () => { if (!response.writableEnded) ++gaveUp; });
      if (held.length === 1) heldAll();
    });
    await new Promise<void>((done) => responder.listen(0, '127.0.0.1', done));
    const url = `http://127.0.0.1:${(responder.address() as AddressInfo).port}/`;
    const user = randomCredentials();
    writeFileSync(join(pki.dir, 'peap-users.json'), JSON.stringify({ [user.identity]: { password: user.password } }));
    const port = await freeUdpPort();
    const serve = await startEaphostServe(port, ['--secret', SECRET, '--users', join(pki.dir, 'peap-users.json'),
      '--methods', 'tls,peap', '--cert', pki.server.good.certFile, '--key', pki.server.good.keyFile, '--ca', pki.caFile,
      '--ocsp-responder', url, '--log']);
    const tlsRuns: Promise<unknown>[] = [];
    try {
      for (let i = 0; i < waiting; ++i) {
        tlsRuns.push(runEapolTest({
          host: '127.0.0.1', port, secret: SECRET, method: 'TLS', identity: REVOCATION_CLIENT_IDENTITY, password: '',
          caCert: pki.caFile, serverName: REVOCATION_SERVER_NAME, clientCert: pki.client.good.certFile,
          privateKey: pki.client.good.keyFile, timeoutSeconds: 20,
        }));
      }
      await allHeld;
      // The other conversations reach the same question meanwhile.
      await new Promise((done) => setTimeout(done, 1500));
      const peap = await runEapolTest({
        host: '127.0.0.1', port, secret: SECRET, method: 'PEAP', identity: user.identity, password: user.password,
        phase2: 'auth=MSCHAPV2', caCert: pki.caFile, serverName: REVOCATION_SERVER_NAME, timeoutSeconds: 20,
      });
      assert.equal(peap.success, true, `${peap.stdout.slice(-3000)}\n${serve.output()}`);
      // PEAP's verdict came while the responder still held every EAP-TLS question.
      assert.equal(gaveUp, 0, `serve gave up on ${gaveUp} held OCSP requests before PEAP completed\n${serve.output()}`);
      assert.equal(held.length, 1, 'one question for every conversation about the same certificate');
      assert.doesNotMatch(serve.output(), /method=tls outcome=/, 'no EAP-TLS conversation ended while its question was held');
      const took = / method=peap outcome=accept .*time=(\d+)ms/.exec(await serve.logged(/ method=peap outcome=accept /))?.[1];
      process.stdout.write(`      PEAP took ${took} ms with ${waiting} EAP-TLS conversations waiting on the held question\n`);
    } finally {
      for (const response of held) if (!response.writableEnded) response.writeHead(503).end();
      await Promise.allSettled(tlsRuns);
      await new Promise<void>((done) => responder.close(() => done()));
      assert.equal(await serve.stop(), 0, serve.output());
    }
  });

  it('responder down: the good client is refused (fail closed), and let in with --ocsp-responder-fail-open', async () => {
    const nobody = `http://127.0.0.1:${await freeTcpPort()}/`;
    const closed = await serveWith(nobody);
    try {
      const run = await closed.eapTls(pki.client.good);
      assert.equal(run.success, false, run.stdout.slice(-3000));
      await closed.serve.logged(/outcome=reject .*reason=".*the OCSP responder http:\/\/127\.0\.0\.1:\d+\/ cannot say whether it is revoked: the connection was refused/);
    } finally {
      assert.equal(await closed.serve.stop(), 0, closed.serve.output());
    }
    const open = await serveWith(nobody, ['--ocsp-responder-fail-open']);
    try {
      const run = await open.eapTls(pki.client.good);
      assert.equal(run.success, true, `${run.stdout.slice(-3000)}\n${open.serve.output()}`);
      assert.equal(run.mppeKeysOk, 1);
    } finally {
      assert.equal(await open.serve.stop(), 0, open.serve.output());
    }
  });
});
