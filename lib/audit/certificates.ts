/**
 * The audit's look at the chain the server sent (as the native TLS peer's result reports it):
 * what in it a client will refuse, each fault with the certificate's
 * own fields as evidence. node:crypto parses and verifies; the signature algorithm is read
 * from the DER (X509Certificate does not say it).
 */
import { X509Certificate } from 'node:crypto';
import { innerMethodList, pemCertificates } from '../core/connection-data';
import { objectIdentifier, readChildren, readElement } from '../core/der';
import type { BeginSessionOptions } from '../core/session-options';
import { type ClientCertificateMapping, UNCHECKED_CERTIFICATE } from '../profile/readiness';
import type { AuditFindingId } from './findings';

export interface CertificateObservation {
  id: AuditFindingId;
  evidence: string;
  /** weak-key: the RSA modulus length; weak-signature: whether only the leaf is affected. */
  bits?: number;
}

const SERVER_AUTH = '1.3.6.1.5.5.7.3.1';
const ANY_EXTENDED_KEY_USAGE = '2.5.29.37.0';

/** Signature algorithms with SHA-1 or MD5 (RFC 3279, RFC 5758's predecessors). */
const WEAK_SIGNATURES: ReadonlyMap<string, string> = new Map([
  ['1.2.840.113549.1.1.4', 'md5WithRSAEncryption'],
  ['1.2.840.113549.1.1.5', 'sha1WithRSAEncryption'],
  ['1.2.840.10045.4.1', 'ecdsa-with-SHA1'],
  ['1.2.840.10040.4.3', 'dsa-with-sha1'],
].map(([oid, name]) => [objectIdentifier(oid).toString('hex'), name]));

/** The signatureAlgorithm OID of a certificate, as DER hex (Certificate ::= SEQUENCE { tbs, algorithm, signature }). */
function signatureAlgorithm(certificate: X509Certificate): string | undefined {
  const outer = readElement(certificate.raw);
  const parts = outer && readChildren(outer.body);
  const algorithm = parts?.[1] && readChildren(parts[1].body);
  const oid = algorithm?.[0];
  if (!oid || oid.tag !== 0x06) return undefined;
  return Buffer.concat([Buffer.of(0x06, oid.body.length), oid.body]).toString('hex');
}

/** The certificates the server sent, as the native TLS peer reports them (DER, leaf first: a
 *  result's or a refusal's `tls.serverCertificates`); it stops at the first one node:crypto
 *  cannot read. */
export function chainOf(certificates: readonly Buffer[] | undefined): X509Certificate[] {
  const chain: X509Certificate[] = [];
  for (const der of certificates ?? []) {
    try {
      chain.push(new X509Certificate(der));
    } catch {
      break;
    }
  }
  return chain;
}

const cn = (certificate: X509Certificate): string => /(?:^|\n)CN=([^\n]*)/.exec(certificate.subject)?.[1] ?? certificate.subject;

/** node:crypto's subjectAltName: `TYPE:value` entries joined by ", ", a value that holds a comma,
 *  a quote or a character outside printable ASCII written as a JSON string. */
const SAN_ENTRY = /([A-Za-z ]+):("(?:[^"\\]|\\.)*"|[^,]*)(?:, |$)/g;

/** The subjectAltName entries of one type (node:crypto's word for it: DNS, URI, …), unquoted. */
function altNames(san: string, wanted: string): string[] {
  const names: string[] = [];
  for (const [, type, value] of san.matchAll(SAN_ENTRY)) {
    if (type === wanted) names.push(value.startsWith('"') ? JSON.parse(value) as string : value);
  }
  return names;
}

/** The DNS names a client compares: subjectAltName dNSName entries, else the subject's CN (RFC 6125 §6.4.4). */
export function dnsNames(certificate: X509Certificate): string[] {
  const san = certificate.subjectAltName;
  if (san) return altNames(san, 'DNS').map((name) => name.toLowerCase());
  const common = /(?:^|\n)CN=([^\n]*)/.exec(certificate.subject)?.[1];
  return common ? [common.toLowerCase()] : [];
}

/** The extnValue of the extension `oid` names (Certificate → tbsCertificate → [3] extensions), its
 *  contents; undefined when the certificate has none (or its DER does not read). */
function extensionValue(certificate: X509Certificate, oid: string): Buffer | undefined {
  const wanted = objectIdentifier(oid);
  const outer = readElement(certificate.raw);
  const tbs = outer && readChildren(outer.body)?.[0];
  const fields = tbs && readChildren(tbs.body);
  const tagged = fields?.find((field) => field.tag === 0xa3);
  const list = tagged && readElement(tagged.body);
  for (const entry of (list && readChildren(list.body)) ?? []) {
    const parts = readChildren(entry.body);
    if (!parts || parts.length < 2 || parts[0].tag !== 0x06) continue;
    if (!Buffer.concat([Buffer.of(0x06, parts[0].body.length), parts[0].body]).equals(wanted)) continue;
    const value = parts[parts.length - 1];
    return value.tag === 0x04 ? value.body : undefined;
  }
  return undefined;
}

/** szOID_NTDS_CA_SECURITY_EXT: the account's SID, which AD CS writes into the certificates it issues
 *  (KB5014754), as an OtherName: SEQUENCE { [0] { OID 1.3.6.1.4.1.311.25.2.1, [0] { OCTET STRING "S-1-…" } } }. */
export const NTDS_CA_SECURITY_EXT = '1.3.6.1.4.1.311.25.2';
const NTDS_OBJECTSID = objectIdentifier('1.3.6.1.4.1.311.25.2.1');
const SID = /^S-1-\d+(?:-\d+)+$/;
/** The SAN URL that maps a certificate to an account strongly (KB5014754, September 2022). */
const SID_SAN_URL = /^tag:microsoft\.com,2022-09-14:sid:(S-1-\d+(?:-\d+)+)$/i;

/** The SID the security extension carries, or undefined. */
function securityExtensionSid(certificate: X509Certificate): string | undefined {
  const value = extensionValue(certificate, NTDS_CA_SECURITY_EXT);
  const outer = value && readElement(value);
  const otherName = outer?.tag === 0x30 ? readChildren(outer.body)?.[0] : undefined;
  const parts = otherName?.tag === 0xa0 ? readChildren(otherName.body) : undefined;
  if (!parts || parts.length !== 2 || parts[1].tag !== 0xa0) return undefined;
  if (!Buffer.concat([Buffer.of(0x06, parts[0].body.length), parts[0].body]).equals(NTDS_OBJECTSID)) return undefined;
  const sid = readElement(parts[1].body);
  const text = sid?.tag === 0x04 ? sid.body.toString('latin1') : undefined;
  return text !== undefined && SID.test(text) ? text : undefined;
}

/**
 * How a domain controller maps an EAP-TLS client certificate to its account strongly (KB5014754):
 * the SID security extension, or a SAN URL naming the SID. Undefined when neither: NPS in
 * enforcement mode then refuses it, with reason code 16.
 */
export function strongMapping(certificate: X509Certificate): string | undefined {
  const sid = securityExtensionSid(certificate);
  if (sid !== undefined) return `the SID extension (${NTDS_CA_SECURITY_EXT}) names ${sid}`;
  const url = altNames(certificate.subjectAltName ?? '', 'URI').map((name) => SID_SAN_URL.exec(name)).find((match) => match);
  return url ? `the subjectAltName URL names ${url[1]}` : undefined;
}

/** The client certificate's observation: the evidence when no strong mapping is in it. */
export function clientCertificateMappingEvidence(certificate: X509Certificate): string | undefined {
  if (strongMapping(certificate) !== undefined) return undefined;
  return `the client certificate "${cn(certificate)}" has neither the SID extension (${NTDS_CA_SECURITY_EXT}) nor a subjectAltName ` +
    'URL tag:microsoft.com,2022-09-14:sid:<SID>: a domain controller in Full Enforcement mode maps it weakly, and NPS refuses it ' +
    '(reason code 16, "authentication failed")';
}

/** What the addon's PKCS#12 reader throws for a bundle it cannot open (pkcs12Chain, pkcs12_chain.h). */
const PKCS12_UNREADABLE = new Set(['ERR_PKCS12_PASSWORD', 'ERR_PKCS12_MALFORMED']);
/** What it throws where this build of the addon has no GnuTLS to read one with (Windows on Arm). */
const PKCS12_READER_ABSENT = new Set(['ENOTSUP', 'ENOENT']);

/**
 * The mapping of the certificate in a PKCS#12 bundle, read by the addon as EAP-TLS reads the bundle
 * (the leaf whose key it holds; the key itself never leaves the addon). Not checked, with why, when
 * the bundle does not open (a wrong password, a malformed bundle) or this build reads no PKCS#12.
 * `eaphost profile` judges a profile's bundle with it too (readinessNotes).
 */
export async function pkcs12Mapping(pkcs12: Buffer, password: string | undefined): Promise<ClientCertificateMapping> {
  // An addon that does not load (`eaphost profile` converts without it) reads no PKCS#12 either.
  const native = await import('../native').catch(() => undefined);
  if (native === undefined) return { clientCertificateUnchecked: UNCHECKED_CERTIFICATE.pkcs12 };
  let chain: Buffer[];
  try {
    chain = native.binding.pkcs12Chain({ pkcs12, password: password ?? '' });
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? '';
    if (PKCS12_UNREADABLE.has(code)) return { clientCertificateUnchecked: `cannot check mapping of a PKCS#12 certificate: ${(error as Error).message}` };
    if (PKCS12_READER_ABSENT.has(code)) return { clientCertificateUnchecked: UNCHECKED_CERTIFICATE.pkcs12 };
    throw error;
  }
  const weak = clientCertificateMappingEvidence(new X509Certificate(chain[0]));
  return weak === undefined ? {} : { clientCertificateWeak: weak };
}

/**
 * The EAP-TLS client certificate given (EAP-TLS, or TEAP's inner EAP-TLS), judged for its mapping
 * to an AD account: a PEM one and a PKCS#12 one are read (weak: the evidence); a certificate of the
 * Windows store is not, and says so (unchecked), never silence. A PKCS#12 that does not open is
 * unchecked, with why; the audit's method then refuses it before any server is asked. One that is
 * not a Buffer is left to the session's own check.
 */
export async function clientCertificateMapping(method: string,
  session: Pick<BeginSessionOptions, 'innerMethod' | 'cert' | 'pkcs12' | 'keyPassword' | 'certStore'> | undefined): Promise<ClientCertificateMapping> {
  const eapTls = method === 'tls' || innerMethodList(session?.innerMethod).includes('tls');
  if (!eapTls || session === undefined) return {};
  if (session.cert !== undefined) {
    const weak = clientCertificateMappingEvidence(pemCertificates(session.cert, 'cert')[0]);
    return weak === undefined ? {} : { clientCertificateWeak: weak };
  }
  if (Buffer.isBuffer(session.pkcs12) && session.pkcs12.length > 0) {
    return pkcs12Mapping(session.pkcs12, typeof session.keyPassword === 'string' ? session.keyPassword : undefined);
  }
  if (session.pkcs12 !== undefined) return {};
  if (session.certStore !== undefined) return { clientCertificateUnchecked: UNCHECKED_CERTIFICATE.store };
  return {};
}

/** RFC 6125 §6.4.3: a wildcard stands for exactly the left-most label. */
function nameMatches(pattern: string, name: string): boolean {
  if (pattern === name) return true;
  if (!pattern.startsWith('*.')) return false;
  const dot = name.indexOf('.');
  return dot > 0 && name.slice(dot + 1) === pattern.slice(2);
}

export function certificateMatchesName(certificate: X509Certificate, name: string): boolean {
  return dnsNames(certificate).some((pattern) => nameMatches(pattern, name.toLowerCase()));
}

function issuedBy(child: X509Certificate, parent: X509Certificate): boolean {
  try {
    return child.checkIssued(parent) && child.verify(parent.publicKey);
  } catch {
    return false;
  }
}

const selfIssued = (certificate: X509Certificate): boolean => certificate.subject === certificate.issuer && issuedBy(certificate, certificate);

/**
 * Whether the sent chain leads to a trusted CA, and where it breaks: the path from the leaf
 * through the certificates sent, up to one of `trusted`. An issuer found neither among the sent
 * certificates nor among the trusted ones is a missing intermediate when the last certificate
 * reached is not self-issued; a self-issued top that is not trusted is another CA.
 */
function chainObservation(chain: readonly X509Certificate[], trusted: readonly X509Certificate[]): CertificateObservation | undefined {
  let current = chain[0];
  const seen = new Set<X509Certificate>([current]);
  for (;;) {
    if (trusted.some((ca) => ca.raw.equals(current.raw) || issuedBy(current, ca))) return undefined;
    const next = chain.find((candidate) => !seen.has(candidate) && issuedBy(current, candidate));
    if (!next) break;
    seen.add(next);
    current = next;
  }
  if (trusted.length === 0) {
    if (selfIssued(current)) return undefined;
    return {
      id: 'chain-incomplete',
      evidence: `the server sent ${chain.length} certificate${chain.length === 1 ? '' : 's'}; the issuer of ` +
        `"${cn(current)}" ("${oneLine(current.issuer)}") is not among them`,
    };
  }
  if (selfIssued(current)) {
    return { id: 'untrusted', evidence: `the chain ends at "${cn(current)}", which is not the CA given (--ca)` };
  }
  return {
    id: 'chain-incomplete',
    evidence: `the server sent ${chain.length} certificate${chain.length === 1 ? '' : 's'}; the issuer of "${cn(current)}" ` +
      `("${oneLine(current.issuer)}") is neither among them nor the CA given`,
  };
}

const oneLine = (name: string): string => name.split('\n').filter((part) => part !== '').join(', ');

/** Every fault of `chain` (leaf first) a client checks, against `trusted` CAs and the names it expects. */
export function judgeChain(chain: readonly X509Certificate[], trusted: readonly X509Certificate[], serverNames: readonly string[],
  now = new Date()): CertificateObservation[] {
  const observations: CertificateObservation[] = [];
  const leaf = chain[0];
  if (!leaf) return observations;
  const chainFault = chainObservation(chain, trusted);
  if (chainFault) observations.push(chainFault);
  if (serverNames.length > 0 && !serverNames.some((name) => certificateMatchesName(leaf, name))) {
    observations.push({
      id: 'name-mismatch',
      evidence: `the certificate names ${dnsNames(leaf).map((name) => `"${name}"`).join(', ') || 'no DNS name'}; ` +
        `the clients expect ${serverNames.map((name) => `"${name}"`).join(' or ')}`,
    });
  }
  const purposes = leaf.keyUsage;
  if (purposes !== undefined && !purposes.includes(SERVER_AUTH) && !purposes.includes(ANY_EXTENDED_KEY_USAGE)) {
    observations.push({ id: 'eku-missing-server-auth', evidence: `extendedKeyUsage is ${purposes.join(', ') || 'empty'}, without serverAuth (${SERVER_AUTH})` });
  }
  const notBefore = new Date(leaf.validFrom);
  const notAfter = new Date(leaf.validTo);
  if (now > notAfter) observations.push({ id: 'expired', evidence: `notAfter ${notAfter.toISOString()}` });
  if (now < notBefore) observations.push({ id: 'not-yet-valid', evidence: `notBefore ${notBefore.toISOString()}` });
  // Below the trusted CA: a root's own signature is not checked by anyone.
  const weak = chain.filter((certificate) => !selfIssued(certificate))
    .map((certificate) => ({ certificate, algorithm: WEAK_SIGNATURES.get(signatureAlgorithm(certificate) ?? '') }))
    .filter((entry) => entry.algorithm !== undefined);
  if (weak.length > 0) {
    observations.push({ id: 'weak-signature', evidence: weak.map((entry) => `"${cn(entry.certificate)}" is signed with ${entry.algorithm}`).join('; ') });
  }
  const details = leaf.publicKey.asymmetricKeyDetails;
  if (leaf.publicKey.asymmetricKeyType === 'rsa' && details?.modulusLength !== undefined && details.modulusLength < 2048) {
    observations.push({ id: 'weak-key', evidence: `an RSA key of ${details.modulusLength} bits`, bits: details.modulusLength });
  }
  return observations;
}
