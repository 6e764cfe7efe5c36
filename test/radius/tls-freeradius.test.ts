import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { EapError } from '../../lib';
import { FREERADIUS_VERDICT, startFreeRadius } from '../support/freeradius';
import { CLIENT_IDENTITY, CLIENT_KEY_PASSWORD, clientCertificate, SERVER_NAME } from '../support/interop-pki';
import { interopServer } from '../support/interop-server';
import { authenticateOverRadius } from './peer';
import { assertAcceptedWithKeys, tlsServerUnderTest } from './tls-cases';
import { assertAccessReject } from '../support/radius-verdict';

/**
 * PEAP-MSCHAPv2, TTLS-PAP, TTLS-MSCHAPv2 and EAP-TLS through our RADIUS client to FreeRADIUS 3.2,
 * over TLS 1.2 and TLS 1.3 (FreeRADIUS's tls_max_version; our side pinned to the same version),
 * with certificates made by the openssl command for this run. The truth is FreeRADIUS's: its
 * verdict, and the MS-MPPE keys it puts in the Access-Accept (decrypted with the shared secret),
 * which must equal our MSK, Recv-Key the first 32 bytes and Send-Key the last 32.
 */

const EAP_E_SERVER_ROOT_CERT_NOT_FOUND = 0x80420400;
const EAP_E_SERVER_CERT_INVALID = 0x80420201;

const SECRET = 'freeradius-tls-secret';
const USER = { identity: 'tina', password: 'tina pa55 wörd' };

for (const version of ['1.2', '1.3'] as const) {
  describe(`TLS methods against FreeRADIUS (TLS ${version})`, function () {
    this.timeout(60_000);
    const fixture = interopServer((certificates) => startFreeRadius({
      secret: SECRET, users: [USER], tlsMaxVersion: version,
      certificates, debug: version === '1.3',
    }));
    const server = tlsServerUnderTest(fixture, SECRET, USER, { min: version, max: version });
    const endpoint = () => server.endpoint();
    const trust = () => server.trust();
    /** assertAcceptedWithKeys, with FreeRADIUS's Session-Id (its EAP-Key-Name) = ours; on TLS 1.3 also FreeRADIUS's own
     *  word on the version: its -X log names it on each record. */
    const accepted = async (...args: Parameters<typeof assertAcceptedWithKeys> extends [unknown, ...infer Rest] ? Rest : never) => {
      const from = fixture.server.log().length;
      const [method, extra, options] = args;
      await assertAcceptedWithKeys(server, method, extra, { ...options, keyName: true });
      if (version !== '1.3') return;
      const said = [...(await fixture.server.logUntil(from, FREERADIUS_VERDICT)).matchAll(/^\(\d+\) eap_\w+: \(TLS\) (?:send|recv) (\S+ \S+) /gm)].map((m) => m[1]);
      assert.ok(said.includes('TLS 1.3') && said.every((v) => v === 'TLS 1.3'), `FreeRADIUS's records: ${said.join(', ') || 'none logged'}`);
    };

    it('PEAP-MSCHAPv2: Access-Accept, MSK = the MPPE keys', () => accepted('peap'));

    it('TTLS-PAP: Access-Accept, MSK = the MPPE keys', () => accepted('ttls', { phase2: 'pap', anonymousIdentity: 'anonymous' }));

    it('TTLS-MSCHAPv2: Access-Accept, MSK = the MPPE keys', () => accepted('ttls', { phase2: 'mschapv2' }));

    it('EAP-TLS with an encrypted client key: Access-Accept, MSK = the MPPE keys', () => accepted('tls'));

    if (version === '1.2') {
      it('every other phase 2 and inner method: TTLS-CHAP, TTLS-MS-CHAP, TTLS-EAP (MSCHAPv2, GTC, MD5), PEAP-GTC, PEAP-MD5', async () => {
        const variants = [
          ['ttls', { phase2: 'chap' }], ['ttls', { phase2: 'mschap' }], ['ttls', { phase2: 'eap' }],
          ['ttls', { phase2: 'eap', innerMethod: 'gtc' }], ['ttls', { phase2: 'eap', innerMethod: 'md5' }],
          ['peap', { innerMethod: 'gtc' }], ['peap', { innerMethod: 'md5' }],
        ] as const;
        for (const [method, extra] of variants) await assertAcceptedWithKeys(server, method, extra);
      });

      it('PEAP requiring cryptobinding refuses FreeRADIUS, which sends no Cryptobinding TLV', async () => {
        const result = await authenticateOverRadius(endpoint(), USER.identity, USER.password,
          { method: 'peap', tls: { ...trust(), requireCryptoBinding: true } });
        assert.equal(result.success, false);
        assert.match(result.reason ?? '', /no Cryptobinding TLV/);
        assert.equal(result.msk, undefined);
      });

      it('the version bounds are real: a peer that insists on TLS 1.3 gets nowhere with this TLS 1.2 server', async () => {
        const from = fixture.server.log().length;
        const result = await authenticateOverRadius(endpoint(), USER.identity, USER.password,
          { method: 'peap', tls: { ca: fixture.pki.ca, tls: { min: '1.3' } } });
        // FreeRADIUS's own verdict on our TLS 1.3-only ClientHello: a protocol_version alert, then Access-Reject.
        assertAccessReject(result, await fixture.server.logUntil(from, /Alert write:fatal:protocol version/));
      });

      it('PEAP with a wrong password: Access-Reject, no MSK', async () => {
        const result = await authenticateOverRadius(endpoint(), USER.identity, 'not the password', { method: 'peap', tls: trust() });
        assertAccessReject(result, fixture.server.log().slice(-3000));
      });

      it('a server certificate from a CA we do not trust: a typed refusal naming the unknown CA', async () => {
        await assert.rejects(
          authenticateOverRadius(endpoint(), CLIENT_IDENTITY, '', {
            method: 'tls', tls: { ca: fixture.pki.otherCa, ...clientCertificate(fixture.pki) },
          }),
          (error: unknown) => error instanceof EapError && error.reasonCode === EAP_E_SERVER_ROOT_CERT_NOT_FOUND &&
            /unknown CA/.test(error.rootCause));
      });

      it('`eaphost auth --radius` --json: mppeKeysMatch from FreeRADIUS\'s keys; an untrusted CA exits 1 with its reason', () => {
        const cli = join(__dirname, '..', '..', 'lib', 'cli', 'main.js');
        const auth = (...args: string[]) => spawnSync(process.execPath, [cli, 'auth', '--radius', `127.0.0.1:${fixture.server.port}`,
          '--secret', SECRET, '--json', ...args], { encoding: 'utf8', timeout: 60_000 });
        const peap = auth('--method', 'peap', '--identity', USER.identity, '--password', USER.password,
          '--ca', fixture.pki.files.ca, '--server-name', SERVER_NAME);
        assert.equal(peap.status, 0, peap.stdout + peap.stderr);
        const accepted = JSON.parse(peap.stdout.trim());
        assert.equal(accepted.result, 'accept');
        assert.equal(accepted.mppeKeysMatch, true);
        const tls = auth('--method', 'tls', '--identity', CLIENT_IDENTITY, '--cert', fixture.pki.files.clientCert,
          '--key', fixture.pki.files.clientKey, '--key-password', CLIENT_KEY_PASSWORD, '--ca', fixture.pki.files.ca, '--tls-max', '1.2');
        assert.equal(tls.status, 0, tls.stdout + tls.stderr);
        assert.equal(JSON.parse(tls.stdout.trim()).mppeKeysMatch, true);
        assert.ok(!tls.stdout.includes(CLIENT_KEY_PASSWORD) && !peap.stdout.includes(USER.password));
        const untrusted = auth('--method', 'ttls', '--phase2', 'pap', '--identity', USER.identity, '--password', USER.password,
          '--ca', fixture.pki.files.otherCa);
        assert.equal(untrusted.status, 1, untrusted.stdout + untrusted.stderr);
        const refused = JSON.parse(untrusted.stdout.trim());
        assert.match(refused.reason, /unknown CA/);
        assert.equal(refused.error.reasonCode, EAP_E_SERVER_ROOT_CERT_NOT_FOUND);
      });

      it('a server certificate for another name: a typed refusal naming both names', async () => {
        await assert.rejects(
          authenticateOverRadius(endpoint(), USER.identity, USER.password,
            { method: 'ttls', tls: { ca: fixture.pki.ca, serverName: 'other.interop.invalid', phase2: 'pap' } }),
          (error: unknown) => error instanceof EapError && error.reasonCode === EAP_E_SERVER_CERT_INVALID &&
            /name mismatch/.test(error.rootCause) && error.rootCause.includes('other.interop.invalid') &&
            error.rootCause.includes(SERVER_NAME));
      });
    }
  });
}
