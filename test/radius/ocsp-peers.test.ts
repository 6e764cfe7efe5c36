/**
 * OCSP stapling against real peers, with a CA, good and revoked server certificates and their
 * OCSP responses made by `openssl ca` / `openssl ocsp -index … -respout` for the run:
 * eapol_test (wpa_supplicant's OpenSSL) with ocsp=2 succeeds against `eaphost serve
 * --ocsp-response` stapling a good response (MPPE keys OK) and fails against a revoked one;
 * `eaphost auth --ocsp` succeeds against hostapd stapling a good response
 * (ocsp_stapling_response), refuses a revoked one naming the certificate, with
 * `--ocsp require` refuses hostapd stapling nothing, and with `--ocsp off` (the default) lets a
 * revoked staple decide nothing. `serve --ocsp-response` with a file that holds no response, or
 * another certificate's, does not start.
 */
import { strict as assert } from 'node:assert';
import { randomBytes } from 'node:crypto';
import { copyFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { runEapolTest } from '../support/eapol-test';
import { startEaphostServe } from '../support/eaphost-serve';
import { startHostapd } from '../support/hostapd';
import { eaphostCommand, runMain } from '../support/cli-run';
import { freeUdpPort } from '../support/programs';
import { REVOCATION_SERVER_NAME, RevocationCertificate, RevocationPki, makeRevocationPki } from '../support/revocation-pki';

const SECRET = 'ocsp-secret';
const USER = { identity: 'alice', password: 'alice-pw' };
const TLS13_ONLY = 'tls_disable_tlsv1_0=1 tls_disable_tlsv1_1=1 tls_disable_tlsv1_2=1 tls_disable_tlsv1_3=0';

describe('OCSP stapling against real peers', function () {
  this.timeout(120_000);
  let pki: RevocationPki;
  let goodResponse: string;
  let revokedResponse: string;
  before(async () => {
    pki = await makeRevocationPki();
    goodResponse = join(pki.dir, 'server-good.ocsp.der');
    revokedResponse = join(pki.dir, 'server-revoked.ocsp.der');
    await pki.ocspResponse(pki.server.good.certFile, goodResponse);
    await pki.ocspResponse(pki.server.revoked.certFile, revokedResponse);
    writeFileSync(join(pki.dir, 'users.json'), JSON.stringify({ [USER.identity]: { password: USER.password } }));
  });
  after(() => pki?.remove());

  describe('eapol_test ocsp=2 against eaphost serve --ocsp-response (PEAP)', () => {
    const against = async (server: RevocationCertificate, response: string, phase1?: string) => {
      const port = await freeUdpPort();
      const serve = await startEaphostServe(port, ['--secret', SECRET, '--users', join(pki.dir, 'users.json'), '--methods', 'peap',
        '--cert', server.certFile, '--key', server.keyFile, '--ocsp-response', response]);
      try {
        return await runEapolTest({
          host: '127.0.0.1', port, secret: SECRET, method: 'PEAP', phase2: 'auth=MSCHAPV2', ...USER,
          caCert: pki.caFile, serverName: REVOCATION_SERVER_NAME, ocsp: 2, timeoutSeconds: 10, ...(phase1 ? { phase1 } : {}),
        });
      } finally {
        assert.equal(await serve.stop(), 0, serve.output());
      }
    };

    for (const [version, phase1] of [['1.2', undefined], ['1.3', TLS13_ONLY]] as const) {
      it(`a good stapled response over TLS ${version}: success, MPPE keys OK`, async () => {
        const run = await against(pki.server.good, goodResponse, phase1);
        assert.equal(run.success, true, run.stdout.slice(-4000));
        assert.match(run.stdout, /OpenSSL: OCSP status for server certificate: good/);
        assert.equal(run.mppeKeysOk, 1);
        assert.equal(run.mppeKeysMismatch, 0);
      });
    }

    it('a revoked stapled response: eapol_test refuses the server', async () => {
      const run = await against(pki.server.revoked, revokedResponse);
      assert.equal(run.success, false, run.stdout.slice(-4000));
      assert.match(run.stdout, /OpenSSL: OCSP response verification succeeded\n(?:.*\n)*?OpenSSL: OCSP status for server certificate: revoked/);
    });
  });

  describe('eaphost auth --ocsp against hostapd ocsp_stapling_response (PEAP)', () => {
    const authAgainst = async (server: RevocationCertificate, response: string | undefined, ocsp: string, extra: string[] = []) => {
      const hostapd = await startHostapd({
        secret: SECRET, users: [{ ...USER, methods: ['PEAP'], phase2: ['MSCHAPV2'] }],
        certificates: { ca: pki.caFile, serverCert: server.certFile, serverKey: server.keyFile },
        ...(response ? { extraConfig: [`ocsp_stapling_response=${response}`] } : {}),
      });
      try {
        return await runMain(['auth', '--radius', `127.0.0.1:${hostapd.port}`, '--secret', SECRET, '--method', 'peap',
          '--identity', USER.identity, '--password', USER.password, '--ca', pki.caFile, '--server-name', REVOCATION_SERVER_NAME,
          '--tls-max', '1.2', '--ocsp', ocsp, ...extra]);
      } finally {
        await hostapd.stop();
      }
    };

    it('a good staple: authenticated, and --show-server-cert says what the staple says', async () => {
      const run = await authAgainst(pki.server.good, goodResponse, 'require', ['--show-server-cert']);
      assert.equal(run.code, 0, `${run.stdout}\n${run.stderr}`);
      // The dates openssl itself reads from the response hostapd stapled.
      const text = await pki.openssl('ocsp', '-respin', goodResponse, '-resp_text', '-noverify');
      const date = (label: string) => new Date(`${new RegExp(`${label}: (.+)`).exec(text)![1]}`).toISOString();
      assert.ok(run.stdout.includes(`OCSP: stapled response says good (thisUpdate ${date('This Update')}, nextUpdate ${date('Next Update')})`),
        run.stdout);
    });

    it('a revoked staple: refused, naming the certificate, its serial, the reason and the date', async () => {
      const run = await authAgainst(pki.server.revoked, revokedResponse, 'request', ['--show-server-cert']);
      assert.notEqual(run.code, 0, run.stdout);
      assert.match(run.stdout, /OCSP: stapled response says revoked since \d{4}-\d\d-\d\dT/);
      const all = `${run.stdout}\n${run.stderr}`;
      assert.ok(all.includes(`serial ${pki.server.revoked.serial}`), all);
      assert.match(all, /was revoked on \d{4}-\d\d-\d\d \d\d:\d\d:\d\d UTC \(reason: keyCompromise\), says its stapled OCSP response/);
    });

    it('--nagios: a staple whose nextUpdate falls within --cert-warn-days is a WARNING, one further out is OK', async () => {
      // The staple is good for one day (openssl ocsp -ndays 1); the certificate for two.
      const soon = await authAgainst(pki.server.good, goodResponse, 'require', ['--nagios', '--cert-warn-days', '1.5']);
      assert.equal(soon.code, 1, soon.stdout);
      assert.match(soon.stdout, /^EAPHOST WARNING - .*; OCSP: stapled response says good \(thisUpdate .*, nextUpdate .*\)/m);
      const later = await authAgainst(pki.server.good, goodResponse, 'require', ['--nagios', '--cert-warn-days', '0.5']);
      assert.equal(later.code, 0, later.stdout);
      assert.match(later.stdout, /^EAPHOST OK - .*OCSP: stapled response says good/m);
    });

    it('--ocsp off (the default): a revoked staple the server sends anyway decides nothing', async () => {
      const run = await authAgainst(pki.server.revoked, revokedResponse, 'off');
      assert.equal(run.code, 0, `${run.stdout}\n${run.stderr}`);
    });

    it('--ocsp require: a server stapling nothing is refused; --ocsp request lets it through', async () => {
      const required = await authAgainst(pki.server.good, undefined, 'require');
      assert.notEqual(required.code, 0, required.stdout);
      assert.match(`${required.stdout}\n${required.stderr}`, /the server stapled no OCSP response, and one is required/);
      const requested = await authAgainst(pki.server.good, undefined, 'request');
      assert.equal(requested.code, 0, `${requested.stdout}\n${requested.stderr}`);
    });
  });

  describe('eaphost serve --ocsp-response is checked at start', () => {
    /** serve with `response`: its exit code and output, stopped as soon as it says it listens. */
    const serveWith = async (server: RevocationCertificate, response: string) => {
      const out: string[] = [];
      const err: string[] = [];
      const stop = new AbortController();
      const code = await eaphostCommand('serve')(['--port', '0', '--secret', SECRET, '--users', join(pki.dir, 'users.json'),
        '--methods', 'peap', '--cert', server.certFile, '--key', server.keyFile, '--ocsp-response', response],
      (line) => { out.push(line); if (line.startsWith('listening on ')) stop.abort(); }, (line) => err.push(line), stop.signal);
      return { code, out: out.join('\n'), err: err.join('\n') };
    };

    it('a file that holds no OCSP response: serve refuses to start, naming the file and why', async () => {
      const garbage = join(pki.dir, 'garbage.der');
      writeFileSync(garbage, randomBytes(512));
      const run = await serveWith(pki.server.good, garbage);
      assert.notEqual(run.code, 0, run.out);
      assert.doesNotMatch(run.out, /listening on/);
      assert.ok(run.err.includes(`the OCSP response file ${garbage} holds no DER OCSP response`), run.err);
    });

    it("another certificate's response: serve refuses to start, naming the certificate it must be about", async () => {
      const run = await serveWith(pki.server.good, revokedResponse);
      assert.notEqual(run.code, 0, run.out);
      assert.doesNotMatch(run.out, /listening on/);
      assert.ok(run.err.includes(`the OCSP response file ${revokedResponse} is about another certificate than the server's ` +
        '(CN=radius.revocation.invalid)'), run.err);
    });

    it('a tryLater or malformedRequest response: serve refuses to start, saying the responder answered that, not "another certificate"', async () => {
      // RFC 6960 §4.2.1: OCSPResponse ::= SEQUENCE { responseStatus ENUMERATED } with no responseBytes.
      for (const [name, status] of [['tryLater', 3], ['malformedRequest', 1]] as const) {
        const file = join(pki.dir, `${name}.ocsp.der`);
        writeFileSync(file, Buffer.from([0x30, 0x03, 0x0a, 0x01, status]));
        const run = await serveWith(pki.server.good, file);
        assert.notEqual(run.code, 0, run.out);
        assert.ok(run.err.includes(`the OCSP response file ${file} is not a successful OCSP response: the responder answered ` +
          `${name} (responseStatus ${status}), about no certificate`), run.err);
        assert.doesNotMatch(run.err, /another certificate/);
      }
    });

    it('a file that goes bad while serve runs: every TLS client is refused, and serve says so in one warning line', async () => {
      const live = join(pki.dir, 'live.ocsp.der');
      copyFileSync(goodResponse, live);
      const err: string[] = [];
      const codes: number[] = [];
      const stop = new AbortController();
      const auth = (port: number, password = USER.password): Promise<number> => eaphostCommand('auth')(['--radius', `127.0.0.1:${port}`, '--secret', SECRET,
        '--method', 'peap', '--identity', USER.identity, '--password', password, '--ca', pki.caFile,
        '--server-name', REVOCATION_SERVER_NAME, '--timeout', '5000', '--tries', '1'], () => undefined, () => undefined);
      let failure: unknown;
      const code = await eaphostCommand('serve')(['--port', '0', '--secret', SECRET, '--users', join(pki.dir, 'users.json'),
        '--methods', 'peap', '--cert', pki.server.good.certFile, '--key', pki.server.good.keyFile, '--ocsp-response', live],
      (line) => {
        const listening = /^listening on 127\.0\.0\.1:(\d+)/.exec(line);
        if (!listening) return;
        const port = Number(listening[1]);
        (async () => {
          codes.push(await auth(port));
          // A TLS conversation refused for another reason is no staple failure: no warning.
          codes.push(await auth(port, 'not the password'));
          writeFileSync(live, randomBytes(512));
          for (let i = 0; i < 3; i++) codes.push(await auth(port));
        })().catch((error) => { failure = error; }).finally(() => stop.abort());
      }, (line) => err.push(line), stop.signal);
      if (failure) throw failure;
      assert.equal(code, 0, err.join('\n'));
      assert.deepEqual(codes, [0, 1, 1, 1, 1], err.join('\n'));
      // One line, from the engine's count of staple failures, with the refused conversation's reason.
      const warnings = err.filter((line) => line.startsWith('eaphost serve: warning: '));
      assert.equal(warnings.length, 1, err.join('\n'));
      assert.ok(warnings[0].startsWith(`eaphost serve: warning: the OCSP response file ${live} cannot be stapled: ` +
        'every TLS conversation fails until it is replaced ('), warnings[0]);
      assert.ok(warnings[0].includes(`the OCSP response file ${live} holds no DER OCSP response`), warnings[0]);
    });

    it("the server's own response: serve starts", async () => {
      const run = await serveWith(pki.server.good, goodResponse);
      assert.equal(run.code, 0, run.err);
      assert.match(run.out, /^listening on /m);
    });
  });
});
