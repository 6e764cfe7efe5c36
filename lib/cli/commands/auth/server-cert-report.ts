/**
 * `eaphost auth --radius … --show-server-cert` / `--save-server-cert FILE`: what the server
 * presented, as the native TLS peer's result reports it (`tls.serverCertificates`, on success and
 * failure alike, TLS 1.3 included), so it is shown even when the peer refused the certificate
 * (which is when people need to see it most).
 *
 * Fingerprints are given as Windows shows them (SHA-1 "thumbprint", uppercase hex without
 * separators, as profile XML carries it) and in the colon form of openssl.
 */
import { X509Certificate } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { ocspStapleLine, summariseOcspStaple } from './ocsp-staple';
import type { EapTlsOutcome } from '../../../index';
import { chainOf } from '../../../audit/certificates';

export interface CertificateSummary {
  subject: string;
  issuer: string;
  subjectAltName?: string;
  validFrom: string;
  validTo: string;
  serialNumber: string;
  sha1: string;
  sha256: string;
  /** The SHA-1 fingerprint as Windows profiles write it. */
  thumbprint: string;
}

/** Said when a TLS-based method ran but the peer's result names no certificate. */
export const CERTIFICATE_NOT_VISIBLE = 'the server sent no certificate: it never reached its Certificate message';

/** What a TLS-based peer reported of the server's handshake, from its result (`tls`) or from the
 *  error that refused it (`error.tls`): the same two fields. */
export type PresentedTls = Pick<EapTlsOutcome, 'serverCertificates' | 'ocspStaple'>;

/** One-line forms of multi-line distinguished names ("CN=a\nO=b" becomes "CN=a, O=b"). */
function oneLine(name: string): string {
  return name.split('\n').filter((part) => part !== '').join(', ');
}

export function summariseCertificate(certificate: X509Certificate): CertificateSummary {
  return {
    subject: oneLine(certificate.subject),
    issuer: oneLine(certificate.issuer),
    ...(certificate.subjectAltName ? { subjectAltName: certificate.subjectAltName } : {}),
    validFrom: new Date(certificate.validFrom).toISOString(),
    validTo: new Date(certificate.validTo).toISOString(),
    serialNumber: certificate.serialNumber,
    sha1: certificate.fingerprint,
    sha256: certificate.fingerprint256,
    thumbprint: certificate.fingerprint.replace(/:/g, ''),
  };
}

export function certificateLines(chain: readonly CertificateSummary[]): string[] {
  const lines: string[] = [`server certificate chain (${chain.length} ${chain.length === 1 ? 'certificate' : 'certificates'}, leaf first):`];
  chain.forEach((summary, index) => {
    lines.push(`  [${index}] subject:  ${summary.subject}`);
    lines.push(`      issuer:   ${summary.issuer}`);
    if (summary.subjectAltName) lines.push(`      SANs:     ${summary.subjectAltName}`);
    lines.push(`      valid:    ${summary.validFrom} to ${summary.validTo}`);
    lines.push(`      serial:   ${summary.serialNumber}`);
    lines.push(`      SHA-1:    ${summary.sha1} (thumbprint ${summary.thumbprint})`);
    lines.push(`      SHA-256:  ${summary.sha256}`);
  });
  return lines;
}

/** The inspection one `auth` run asked for, of the TLS outcome the peer's result reported. */
export class ServerCertificateInspection {
  constructor(readonly show: boolean, readonly saveTo: string | undefined) {}

  /**
   * Saves the chain (when asked) and describes it: lines for the text output, a field for
   * --json, and a problem to report on stderr when there was nothing to show or to save.
   */
  finish(tls: PresentedTls | undefined): { lines: string[]; json: Record<string, unknown>; problem?: string } {
    const chain = chainOf(tls?.serverCertificates);
    if (chain.length === 0) {
      return { lines: [], json: { serverCertificates: [] }, problem: CERTIFICATE_NOT_VISIBLE };
    }
    const summaries = chain.map(summariseCertificate);
    const staple = tls?.ocspStaple;
    const lines = this.show ? [...certificateLines(summaries), ocspStapleLine(staple && summariseOcspStaple(staple), staple !== undefined)] : [];
    let problem: string | undefined;
    if (this.saveTo !== undefined) {
      try {
        writeFileSync(this.saveTo, chain.map((certificate) => certificate.toString()).join(''));
        lines.push(`server certificate chain saved to ${this.saveTo} (PEM)`);
      } catch (error) {
        problem = `could not save the server certificate chain to ${this.saveTo}: ${(error as Error).message}`;
      }
    }
    return { lines, json: { serverCertificates: summaries, ...(this.saveTo !== undefined && !problem ? { savedTo: this.saveTo } : {}) }, problem };
  }
}
