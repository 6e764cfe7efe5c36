/**
 * From what the attempts saw to a verdict per client platform: which of the server's faults each
 * platform's rules (platforms.ts) turn into a failure, and the findings with the clients they break.
 */
import type { AttemptRecord } from './attempt';
import type { CertificateObservation } from './certificates';
import { AuditFinding, AuditFindingId, AuditSeverity, FINDING_FACTS } from './findings';
import { AUDIT_CLIENTS, AuditClientName, PLATFORM_RULES, PlatformRule, TLS12, TLS13 } from './platforms';

export interface AuditClientVerdict {
  client: AuditClientName;
  connects: boolean;
  /** Finding ids, when it does not connect. */
  reasons: AuditFindingId[];
  /** The TLS version it would speak with this server, as "1.2"; null when none. */
  tlsVersion: string | null;
}

/** What the attempts established about the server. */
export interface ServerFacts {
  unreachable?: string;
  eapRefused?: string;
  noMessageAuthenticator?: string;
  /** The server's EAP-TLS fragments broke the framing rules (RFC 5216 §2.1.5). */
  framing?: string;
  /** TLS versions the server completed a handshake with (wire numbers). */
  acceptedVersions: Set<number>;
  /** The attempts that the server refused at the TLS handshake, with its words. */
  refusedVersions: { range: string; evidence: string }[];
  /** At TLS 1.3 the server's MS-MPPE keys differed from the peer's MSK. */
  tls13KeysDiffer: boolean;
  /** Round trips of the fullest successful (or tunnel-reaching) attempt at the NAS's usual MTU. */
  roundTrips?: number;
  /** The tunnel came up and the inner method (or the client certificate) was refused. */
  credentialsRejected?: string;
  certificate: CertificateObservation[];
  /** The server names the clients expect (empty: none given). */
  serverNames: readonly string[];
  /** The leaf carries no DNS name at all (Android's domain check cannot pass). */
  leafWithoutName: boolean;
  /** The EAP-TLS client certificate given has no strong mapping (KB5014754): why, as evidence. */
  clientCertificateWeak?: string;
  /** The EAP-TLS client certificate given is one the mapping check cannot read (a PKCS#12, a store's): why. */
  clientCertificateUnchecked?: string;
  /** The server ran the MSCHAPv2 (or MSCHAP) inner method the configuration names: which. */
  mschapv2?: string;
}

const VERSION = (wire: number): string => `1.${(wire & 0xff) - 1}`;

function negotiated(rule: PlatformRule, accepted: Set<number>): number | undefined {
  return [...rule.tlsVersions.value].reverse().find((version) => accepted.has(version));
}

function reasonsFor(rule: PlatformRule, facts: ServerFacts): { reasons: AuditFindingId[]; version?: number } {
  if (facts.unreachable !== undefined) return { reasons: ['unreachable'] };
  if (facts.eapRefused !== undefined) return { reasons: ['eap-refused'] };
  const reasons: AuditFindingId[] = [];
  const version = negotiated(rule, facts.acceptedVersions);
  // No version completed because the server's fragments broke the framing: that, not a version, is the fault.
  if (version === undefined) reasons.push(facts.framing !== undefined && facts.acceptedVersions.size === 0 ? 'tls-fragments' : 'tls-version');
  if (version === TLS13 && facts.tls13KeysDiffer) reasons.push('tls13-keys');
  // Debian's wpa_supplicant at TLS 1.0 / 1.1: OpenSSL level 0, no SHA-1 or key-size check.
  const lenient = rule.obsoleteTlsDropsChecks?.value === true && version !== undefined && version < TLS12;
  for (const observation of facts.certificate) {
    switch (observation.id) {
      case 'eku-missing-server-auth':
        if (rule.requiresServerAuthEku.value) reasons.push(observation.id);
        break;
      case 'weak-signature':
        if (rule.refusesSha1.value && !lenient) reasons.push(observation.id);
        break;
      case 'weak-key':
        if ((observation.bits ?? 0) < rule.minRsaBits.value && !lenient) reasons.push(observation.id);
        break;
      default:
        reasons.push(observation.id);
    }
  }
  if (rule.requiresServerName?.value && facts.serverNames.length === 0 && facts.leafWithoutName && !reasons.includes('name-mismatch')) {
    reasons.push('name-mismatch');
  }
  if (rule.maxRoundTrips !== undefined && facts.roundTrips !== undefined && facts.roundTrips > rule.maxRoundTrips.value) {
    reasons.push('fragmentation');
  }
  if (facts.credentialsRejected !== undefined) reasons.push('credentials-rejected');
  return { reasons, version };
}

export function predictClients(facts: ServerFacts): AuditClientVerdict[] {
  return AUDIT_CLIENTS.map((client) => {
    const { reasons, version } = reasonsFor(PLATFORM_RULES[client], facts);
    return { client, connects: reasons.length === 0, reasons, tlsVersion: version === undefined ? null : VERSION(version) };
  });
}

/** The evidence of each finding id from the facts. */
function evidenceOf(id: AuditFindingId, facts: ServerFacts): string | undefined {
  switch (id) {
    case 'unreachable': return facts.unreachable;
    case 'eap-refused': return facts.eapRefused;
    case 'no-message-authenticator': return facts.noMessageAuthenticator;
    case 'tls-fragments': return facts.framing;
    case 'credentials-rejected': return facts.credentialsRejected;
    case 'client-cert-weak-mapping': return facts.clientCertificateWeak;
    case 'client-cert-mapping-unchecked': return facts.clientCertificateUnchecked;
    case 'mschapv2-needs-ntlm': return facts.mschapv2;
    case 'tls-version': {
      const accepted = [...facts.acceptedVersions].sort().map(VERSION);
      return [
        ...facts.refusedVersions.map((refused) => `offered ${refused.range}: ${refused.evidence}`),
        accepted.length > 0 ? `the server completed TLS ${accepted.join(', ')}` : 'no TLS version completed',
      ].join('; ');
    }
    case 'tls13-keys': return 'at TLS 1.3 the MS-MPPE keys of the Access-Accept differ from the MSK the peer derived (RFC 9190 §2.3, RFC 9427 §2.1)';
    case 'fragmentation': return `${facts.roundTrips} EAP round trips at Framed-MTU 1400`;
    default: return facts.certificate.find((observation) => observation.id === id)?.evidence;
  }
}

/** Every finding, in the catalogue's order, with the clients it breaks. */
export function findingsOf(facts: ServerFacts, clients: readonly AuditClientVerdict[]): AuditFinding[] {
  const ids = new Set<AuditFindingId>([...clients.flatMap((client) => client.reasons), ...facts.certificate.map((o) => o.id)]);
  if (facts.noMessageAuthenticator !== undefined) ids.add('no-message-authenticator');
  if (facts.clientCertificateWeak !== undefined) ids.add('client-cert-weak-mapping');
  if (facts.clientCertificateUnchecked !== undefined) ids.add('client-cert-mapping-unchecked');
  if (facts.mschapv2 !== undefined) ids.add('mschapv2-needs-ntlm');
  const order = Object.keys(FINDING_FACTS) as AuditFindingId[];
  return order.filter((id) => ids.has(id)).map((id) => {
    const broken = clients.filter((client) => client.reasons.includes(id)).map((client) => client.client);
    const severity: AuditSeverity = FINDING_FACTS[id].severity
      ?? (broken.length === clients.length ? 'critical' : broken.length > 0 ? 'warning' : 'notice');
    return { id, severity, title: FINDING_FACTS[id].title, clients: broken, evidence: evidenceOf(id, facts) ?? '', fix: FINDING_FACTS[id].fix };
  });
}

/** Attempts that reached the tunnel: the server completed TLS in them. */
export function reachedTunnel(record: AttemptRecord): boolean {
  return record.outcome === 'accept' || record.outcome === 'inner-rejected';
}
