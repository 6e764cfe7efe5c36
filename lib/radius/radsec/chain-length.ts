/**
 * The length of a peer's certificate chain over RadSec/TLS, held to the bound RADIUS/DTLS and the
 * TLS methods hold (MAX_VERIFIED_CHAIN_LENGTH, declared once in the seam). node:tls verifies with
 * OpenSSL, whose default depth (100) takes a chain of a hundred certificates; GnuTLS's natively
 * stops at 16. Node exposes no count of what the peer sent, only the verified path
 * (getPeerCertificate(true), each certificate's issuerCertificate, the root's being itself):
 * counted here below its self-issued root, which a peer does not send, that path is what GnuTLS
 * counts as sent for a peer that omits its root, as peers do.
 */
import type { DetailedPeerCertificate, PeerCertificate } from 'node:tls';
import { MAX_VERIFIED_CHAIN_LENGTH } from '../../native';

/** The certificates of `peer`'s path, leaf included, its self-issued root left out. */
function pathLength(peer: PeerCertificate | DetailedPeerCertificate): number {
  const seen = new Set<string>();
  let rooted = false;
  for (let certificate: Partial<DetailedPeerCertificate> | undefined = peer; certificate?.raw !== undefined;) {
    const fingerprint = certificate.fingerprint256 ?? '';
    if (seen.has(fingerprint)) break;
    seen.add(fingerprint);
    const issuer: Partial<DetailedPeerCertificate> | undefined = certificate.issuerCertificate;
    // The root's issuer is itself (Node's self-loop).
    rooted = issuer?.fingerprint256 === fingerprint;
    certificate = issuer;
  }
  return seen.size > 1 && rooted ? seen.size - 1 : seen.size;
}

/** Why `peer`'s chain is refused, in the words RADIUS/DTLS uses; undefined when it is not too long. */
export function chainLengthRefusal(peer: PeerCertificate | DetailedPeerCertificate): string | undefined {
  const sent = pathLength(peer);
  return sent <= MAX_VERIFIED_CHAIN_LENGTH ? undefined
    : `the RadSec peer's certificate chain is longer than ${MAX_VERIFIED_CHAIN_LENGTH} certificates (${sent} sent)`;
}
