/**
 * EAP-TLS with certificate dates on both sides of 2038, through the suite's EAPHost and the
 * shipped EAP-TLS: the peer checks the server's certificate, the embedded authenticator the
 * client's, both with GnuTLS. A date past 2038 fits only a 64-bit time_t (mingw-w64's i686
 * default is 32 bits: GnuTLS then clamps every later date to 2037-12-31), and 2050 on is written
 * as GeneralizedTime (RFC 5280 §4.1.2.5). The Wine lane runs this file in the x64 and the x86
 * Windows node.exe. The judges: the other side's keys (the peer's MSK against the
 * authenticator's MPPE keys), and the dates the refusals name, which are the certificates'.
 */
import { strict as assert } from 'assert';
import { X509Certificate } from 'crypto';
import { EapError } from '../lib';
import { createEphemeralCa } from '../lib/core/ephemeral-ca';
import type { IssuedCertificate, Validity } from '../lib/core/ephemeral-ca';
import { eapTlsThrough, openSuiteHost } from './helpers';

const EAP_E_SERVER_CERT_INVALID = 0x80420201;
const EAP_E_SERVER_CERT_EXPIRED = 0x80420202;
const CERT_E_EXPIRED = 0x800b0101;

const utc = (year: number, month: number, day: number) => new Date(Date.UTC(year, month - 1, day));
const hourAgo = () => new Date(Date.now() - 3600_000);
const until2050: () => Validity = () => ({ notBefore: hourAgo(), notAfter: utc(2050, 6, 1) });
const expired: Validity = { notBefore: utc(2020, 1, 1), notAfter: utc(2020, 2, 1) };
const from2040: Validity = { notBefore: utc(2040, 1, 1), notAfter: utc(2050, 6, 1) };

describe('EAP-TLS certificate dates before and after 2038', function () {
  this.timeout(60000);
  const pki = createEphemeralCa('dates.eaphost.invalid');

  /** One EAP-TLS authentication: the authenticator serves `server`, the peer presents `client`. */
  async function run(server: IssuedCertificate, client: IssuedCertificate) {
    await using host = await openSuiteHost();
    return await eapTlsThrough(host, pki, server, client);
  }

  /** The peer's typed refusal of the server's certificate. */
  async function serverRefused(server: IssuedCertificate): Promise<EapError> {
    try {
      await run(server, pki.issueClient('alice'));
    } catch (error) {
      assert.ok(error instanceof EapError, String(error));
      return error;
    }
    assert.fail('the peer accepted the server certificate');
  }

  it('server and client certificates valid until 2050 (GeneralizedTime): success, the MSK is the MPPE keys', async () => {
    const server = pki.issueServer(until2050());
    const client = pki.issueClient('alice', until2050());
    // OpenSSL's reading of what was issued (node:crypto), not this code's.
    for (const issued of [server, client]) assert.equal(new X509Certificate(issued.cert).validTo, 'Jun  1 00:00:00 2050 GMT');
    const result = await run(server, client);
    assert.equal(result.success, true, result.reason);
    assert.equal(result.method, 13);
    assert.equal(result.msk?.length, 64);
    assert.equal(result.mppeKeysMatch, true);
  });

  it('a server certificate that expired on 2020-02-01 is refused, naming that date', async () => {
    const refused = await serverRefused(pki.issueServer(expired));
    assert.equal(refused.reasonCode >>> 0, EAP_E_SERVER_CERT_EXPIRED);
    assert.equal(refused.win32Error >>> 0, CERT_E_EXPIRED);
    assert.match(refused.rootCause, /expired on 2020-02-01/);
  });

  it('a server certificate not valid before 2040-01-01 is refused, naming that date (not a clamped one)', async () => {
    const refused = await serverRefused(pki.issueServer(from2040));
    assert.equal(refused.reasonCode >>> 0, EAP_E_SERVER_CERT_INVALID);
    assert.equal(refused.win32Error >>> 0, CERT_E_EXPIRED);
    assert.match(refused.rootCause, /not valid before 2040-01-01/);
  });

  it('a client certificate that expired on 2020-02-01 is refused by the authenticator, saying so in a TLS alert', async () => {
    await assert.rejects(run(pki.server, pki.issueClient('alice', expired)), (error: unknown) => {
      assert.ok(error instanceof EapError, String(error));
      assert.match(error.rootCause, /the other side sent the alert "Certificate is expired"/);
      return true;
    });
  });
});
