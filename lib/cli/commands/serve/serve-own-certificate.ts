import { X509Certificate } from 'node:crypto';
import { isTlsMethodType } from '../../../core/method-facts';
import type { RadiusConversationRecord } from '../../../radius';

const SERVER_AUTH = '1.3.6.1.5.5.7.3.1';
const MIN_RSA_BITS = 2048;

/**
 * Why peers will refuse the certificate `serve` presents, in words, each one a warning at start:
 * an RSA key under 2048 bits (wpa_supplicant's and Windows' default security level, and our own
 * peer, refuse it), a certificate past its notAfter or before its notBefore, an extendedKeyUsage
 * without serverAuth (OpenSSL-based peers say "unsuitable certificate purpose", Windows requires
 * Server Authentication). `serve` still starts: the operator may be about to replace the file.
 */
export function ownCertificateWarnings(pem: Buffer | undefined, now = new Date()): string[] {
  if (pem === undefined) return [];
  const block = /-----BEGIN CERTIFICATE-----[^-]+-----END CERTIFICATE-----/.exec(pem.toString('latin1'));
  if (!block) return [];
  let certificate: X509Certificate;
  try {
    certificate = new X509Certificate(block[0]);
  } catch {
    return [];  // createAuthenticator says what is wrong with an unreadable certificate
  }
  const warnings: string[] = [];
  const subject = certificate.subject.replace(/\n/g, ', ');
  const key = certificate.publicKey;
  const bits = key.asymmetricKeyDetails?.modulusLength;
  if ((key.asymmetricKeyType === 'rsa' || key.asymmetricKeyType === 'rsa-pss') && bits !== undefined && bits < MIN_RSA_BITS) {
    warnings.push(`the server certificate (${subject}) has a ${bits}-bit RSA key: peers refuse RSA keys under ${MIN_RSA_BITS} bits`);
  }
  const notAfter = new Date(certificate.validTo);
  const notBefore = new Date(certificate.validFrom);
  if (notAfter.getTime() < now.getTime()) {
    warnings.push(`the server certificate (${subject}) expired on ${notAfter.toISOString()}: peers refuse it`);
  } else if (notBefore.getTime() > now.getTime()) {
    warnings.push(`the server certificate (${subject}) is not valid before ${notBefore.toISOString()}: peers refuse it until then`);
  }
  const purposes = certificate.keyUsage;  // the extendedKeyUsage OIDs; undefined when it has none
  if (purposes !== undefined && purposes.length > 0 && !purposes.includes(SERVER_AUTH)) {
    warnings.push(`the server certificate (${subject}) has an extendedKeyUsage without serverAuth: ` +
      'OpenSSL-based peers (wpa_supplicant) refuse it as "unsuitable certificate purpose", Windows requires Server Authentication');
  }
  return warnings;
}

/**
 * The --ocsp-response file is read again when it changes; one that goes bad after the start (no
 * longer readable, no OCSP response, unsuccessful, about another certificate) makes every TLS
 * conversation fail. The engine counts those (`failures`: its ocspStapleFailures); this watches
 * the finished conversations and says so in one warning line when the count grows, with the
 * refused conversation's reason, and again only once a TLS conversation has succeeded since (the
 * file was mended, then went bad again).
 */
export function stapleFileWatch(file: string, warn: (line: string) => void, failures: () => number)
  : (record: RadiusConversationRecord) => void {
  let seen = 0;
  let bad = false;
  return (record) => {
    const count = failures();
    if (count > seen) {
      seen = count;
      if (!bad) {
        const why = record.outcome === 'reject' && record.reason !== undefined ? ` (${record.reason})` : '';
        warn(`the OCSP response file ${file} cannot be stapled: every TLS conversation fails until it is replaced${why}`);
      }
      bad = true;
    } else if (record.outcome === 'accept' && isTlsMethodType(record.eapType)) {
      bad = false;
    }
  };
}
