/**
 * What `eaphost audit` can find about a RADIUS server, each with a stable id, how bad it is and
 * the one-sentence fix. Which client platforms a finding breaks is platforms.ts's business.
 */
import { CLIENT_CERT_MAPPING_UNCHECKED, CLIENT_CERT_WEAK_MAPPING, MSCHAPV2_NEEDS_NTLM } from '../profile/readiness';

/** A finding's stable id. */
export type AuditFindingId = 'unreachable' | 'eap-refused' | 'tls-version' | 'tls-fragments' | 'chain-incomplete' | 'untrusted' | 'name-mismatch'
  | 'eku-missing-server-auth' | 'expired' | 'not-yet-valid' | 'weak-signature' | 'weak-key' | 'tls13-keys' | 'fragmentation'
  | 'credentials-rejected' | 'no-message-authenticator' | 'client-cert-weak-mapping' | 'client-cert-mapping-unchecked'
  | 'mschapv2-needs-ntlm';

/** critical: clients cannot connect; warning: some clients cannot, or soon will not; notice: a risk that breaks no client. */
export type AuditSeverity = 'critical' | 'warning' | 'notice';

export interface AuditFindingFacts {
  /** What the finding means, in a few words (the table's heading for it). */
  title: string;
  fix: string;
  /** Its severity whatever the platforms do: a finding about the client's side, or a readiness note. */
  severity?: AuditSeverity;
}

export const FINDING_FACTS: Record<AuditFindingId, AuditFindingFacts> = {
  unreachable: {
    title: 'no trustworthy answer from the server',
    fix: 'Check the address, the port, that the server lists this host as a client and that the shared secret matches.',
  },
  'eap-refused': {
    title: 'the server refused the EAP method before any TLS',
    fix: 'Enable the method in the server\'s EAP configuration and check the identity is one it serves.',
  },
  'tls-version': {
    title: 'TLS versions the clients do not speak',
    fix: 'Let the server speak TLS 1.2 (and 1.3 with RFC 9190/9427 keys): FreeRADIUS tls_min_version = "1.2", tls_max_version = "1.3".',
  },
  'tls-fragments': {
    title: 'the server\'s EAP-TLS fragments break the framing rules',
    fix: 'Send each TLS message whole as RFC 5216 §2.1.5 frames it (its TLS Message Length, at most 64 KiB, a last fragment ' +
      'without the M flag): check the server\'s fragment_size and any proxy on the path that rewrites EAP-Message.',
  },
  'chain-incomplete': {
    title: 'the server does not send its intermediate CA',
    fix: 'Put the intermediate CA certificate(s) after the server certificate in the server\'s certificate file.',
  },
  untrusted: {
    title: 'the chain does not lead to the CA the clients trust',
    fix: 'Give the clients the CA that issued the server certificate (or issue the certificate from the CA the profiles name).',
  },
  'name-mismatch': {
    title: 'the certificate does not carry the name the clients check',
    fix: 'Issue the server certificate with the profile\'s server name as a DNS subjectAltName.',
  },
  'eku-missing-server-auth': {
    title: 'the certificate is not for TLS servers (no serverAuth purpose)',
    fix: 'Issue the server certificate with extendedKeyUsage serverAuth (1.3.6.1.5.5.7.3.1).',
  },
  expired: {
    title: 'the server certificate has expired',
    fix: 'Renew the server certificate and install it before the old one\'s notAfter.',
  },
  'not-yet-valid': {
    title: 'the server certificate is not valid yet',
    fix: 'Check the server\'s clock and the certificate\'s notBefore; install a certificate already valid.',
  },
  'weak-signature': {
    title: 'a certificate of the chain is signed with SHA-1 (or MD5)',
    fix: 'Reissue the certificate signed with SHA-256.',
  },
  'weak-key': {
    title: 'the server certificate\'s RSA key is under 2048 bits',
    fix: 'Reissue the server certificate with an RSA key of 2048 bits or more (or ECDSA P-256).',
  },
  'tls13-keys': {
    title: 'at TLS 1.3 the server\'s keys differ from RFC 9190/9427\'s',
    fix: 'Update the server to a release that derives TLS 1.3 EAP keys as RFC 9190/9427 say, or hold it to tls_max_version = "1.2".',
  },
  fragmentation: {
    title: 'more round trips than a client allows',
    fix: 'Raise the server\'s fragment size (FreeRADIUS fragment_size) and send a shorter chain.',
  },
  'credentials-rejected': {
    title: 'the TLS tunnel came up and the inner authentication was refused',
    fix: 'Check the identity and password against the server\'s user store; the server\'s TLS is not the cause.',
  },
  'no-message-authenticator': {
    title: 'replies without Message-Authenticator (BlastRADIUS, CVE-2024-3596)',
    fix: 'Make the server send Message-Authenticator in every reply (FreeRADIUS >= 3.2.5, NPS with the July 2024 update).',
  },
  'client-cert-weak-mapping': { ...CLIENT_CERT_WEAK_MAPPING, severity: 'warning' },
  'client-cert-mapping-unchecked': { ...CLIENT_CERT_MAPPING_UNCHECKED, severity: 'notice' },
  'mschapv2-needs-ntlm': { ...MSCHAPV2_NEEDS_NTLM, severity: 'notice' },
};

/** One finding of a run: the server's own bytes or alert as evidence. */
export interface AuditFinding {
  id: AuditFindingId;
  severity: AuditSeverity;
  title: string;
  /** The client platforms it breaks (empty: a risk no client notices). */
  clients: string[];
  evidence: string;
  fix: string;
}
