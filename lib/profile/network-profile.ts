/**
 * The network profile: one description of an 802.1X network (which Wi-Fi SSIDs or the wired port,
 * which EAP method with which trust and which client certificate) from which every OS's format is
 * written (./writers), and which `authenticate` can run before anything is installed. It is
 * JSON as it stands (certificates as PEM text, the PKCS#12 as base64), so a file, the typed
 * object and schema/network-profile.schema.json describe the same thing.
 *
 * The method names are the method table's; on Windows the same names select Windows' own PEAP,
 * EAP-TLS, EAP-TTLS and EAP-MSCHAPv2 (microsoft-config.ts).
 */
import { X509Certificate } from 'crypto';
import { INNER_METHOD_NAMES, SHIPPED_METHOD_NAMES, BuiltinMethodName, TEAP_INNER_METHOD_NAMES, TLS_METHOD_NAMES, TeapInnerMethodName }
  from '../core/method-table';
import { Phase2Name, TlsVersion, pemCertificates } from '../core/connection-data';
import { checkXmlChars } from './xml-text';

/** The version of the network profile model this package reads and writes. */
export const NETWORK_PROFILE_VERSION: NetworkProfile['version'] = 1;

/** A method whose packets carry a TLS session (the method table's tls column): it needs a CA. */
export function isTlsBased(method: BuiltinMethodName): boolean {
  return (TLS_METHOD_NAMES as readonly string[]).includes(method);
}

/** The peer presents a client certificate: EAP-TLS, and TEAP with an inner EAP-TLS in either place. */
export function usesClientCertificate(eap: Pick<ProfileEap, 'method' | 'innerMethod' | 'teapSecondaryInnerMethod'>): boolean {
  return eap.method === 'tls' || (eap.method === 'teap' && (eap.innerMethod === 'tls' || eap.teapSecondaryInnerMethod === 'tls'));
}

/** A TLS tunnel that carries an inner method (PEAP, EAP-TTLS, TEAP): every TLS method but EAP-TLS. */
export function carriesInnerMethod(method: BuiltinMethodName): boolean {
  return isTlsBased(method) && method !== 'tls';
}

/** WPA2-Enterprise (RSN, CCMP, 802.1X) or WPA3-Enterprise (the same with SHA-256 AKM and management frame protection required). */
export type WifiSecurity = 'wpa2-enterprise' | 'wpa3-enterprise';

export type ProfileNetwork =
  | { type: 'wifi'; ssid: string; security?: WifiSecurity }
  | { type: 'wired' };

export interface ProfileEap {
  method: BuiltinMethodName;
  /** PEAP's inner method (default mschapv2); EAP-TTLS's when phase2 is 'eap'; TEAP's, which may
   *  also be 'tls' (inner EAP-TLS with clientCertificate, as Windows authenticates a machine). */
  innerMethod?: TeapInnerMethodName;
  /** TEAP: EAP chaining as Windows sets it up, the user's inner method after innerMethod (the
   *  machine's). */
  teapSecondaryInnerMethod?: TeapInnerMethodName;
  /** EAP-TTLS phase 2 (default mschapv2). */
  phase2?: Phase2Name;
  /** The identity sent outside the tunnel (PEAP, EAP-TTLS, EAP-TLS). */
  anonymousIdentity?: string;
  /** Trusted root CA certificates, one PEM text each. */
  ca?: string[];
  /** Accepted server names: the server certificate must name one of them exactly. */
  serverNames?: string[];
  tls?: { min?: TlsVersion; max?: TlsVersion };
  /** EAP-TLS, and TEAP's inner EAP-TLS: the client certificate and key as one PKCS#12 (base64 of the DER). */
  clientCertificate?: { pkcs12: string; passphrase?: string };
}

export interface ProfileCredentials {
  identity?: string;
  password?: string;
}

export interface NetworkProfile {
  /** The model's version (NETWORK_PROFILE_VERSION): 1. */
  version: 1;
  /** A short name: the connection's name where a format has one. */
  name?: string;
  /** Who issues it, e.g. the realm (eap-config's EAPIdentityProvider ID). */
  provider?: string;
  networks: ProfileNetwork[];
  /** EAP configurations in order of preference; a format that holds one takes the first. */
  eap: ProfileEap[];
  credentials?: ProfileCredentials;
}

/** Where a profile or a document is wrong: `path` names the field ("eap[0].ca[1]"). */
export class ProfileError extends Error {
  readonly code: 'invalid-profile' | 'malformed-document' | 'unsupported';
  readonly path: string;

  constructor(code: ProfileError['code'], path: string, message: string) {
    super(path ? `${path}: ${message}` : message);
    this.name = 'ProfileError';
    this.code = code;
    this.path = path;
  }
}

/** What a reader or writer could not carry: reported, never dropped silently. */
export interface ProfileNote {
  path: string;
  message: string;
}

const TLS_VERSIONS: readonly TlsVersion[] = ['1.2', '1.3'];
const PHASE2: readonly Phase2Name[] = ['pap', 'chap', 'mschap', 'mschapv2', 'eap'];
const MAX_TEXT = 253;

function fail(path: string, message: string): never {
  throw new ProfileError('invalid-profile', path, message);
}

function checkKeys(value: object, allowed: readonly string[], path: string): void {
  for (const key of Object.keys(value)) {
    if (!allowed.includes(key)) fail(path ? `${path}.${key}` : key, `unknown field (known: ${allowed.join(', ')})`);
  }
}

function object(value: unknown, path: string): Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) fail(path, 'must be an object');
  return value as Record<string, unknown>;
}

function name(value: unknown, path: string, max = MAX_TEXT): string {
  if (typeof value !== 'string' || value.length === 0) fail(path, 'must be a non-empty string');
  if (Buffer.byteLength(value) > max) fail(path, `is over ${max} bytes`);
  try {
    checkXmlChars(value, path);
  } catch (error) {
    fail(path, (error as Error).message.replace(`${path} `, ''));
  }
  return value;
}

function optional<T>(value: unknown, check: (v: unknown) => T): T | undefined {
  return value === undefined ? undefined : check(value);
}

function oneOf<T extends string>(value: unknown, allowed: readonly T[], path: string): T {
  if (typeof value !== 'string' || !allowed.includes(value as T)) fail(path, `must be ${allowed.join(' | ')}`);
  return value as T;
}

function checkNetwork(value: unknown, path: string): ProfileNetwork {
  const network = object(value, path);
  const type = oneOf(network.type, ['wifi', 'wired'] as const, `${path}.type`);
  if (type === 'wired') {
    checkKeys(network, ['type'], path);
    return { type };
  }
  checkKeys(network, ['type', 'ssid', 'security'], path);
  // IEEE 802.11: an SSID is 1 to 32 octets.
  const ssid = name(network.ssid, `${path}.ssid`, 32);
  const security = optional(network.security, (v) => oneOf(v, ['wpa2-enterprise', 'wpa3-enterprise'] as const, `${path}.security`));
  return { type, ssid, ...(security ? { security } : {}) };
}

function checkCa(value: unknown, path: string): string[] {
  if (!Array.isArray(value) || value.length === 0) fail(path, 'must be a non-empty array of PEM certificates');
  return value.map((pem, i) => {
    if (typeof pem !== 'string') fail(`${path}[${i}]`, 'must be PEM text');
    let certificates: X509Certificate[];
    try {
      certificates = pemCertificates(pem, `${path}[${i}]`);
    } catch (error) {
      fail(`${path}[${i}]`, (error as Error).message);
    }
    if (certificates.length !== 1) fail(`${path}[${i}]`, `holds ${certificates.length} certificates: give one per entry`);
    return pem;
  });
}

function checkEap(value: unknown, path: string): ProfileEap {
  const eap = object(value, path);
  checkKeys(eap, ['method', 'innerMethod', 'teapSecondaryInnerMethod', 'phase2', 'anonymousIdentity', 'ca', 'serverNames', 'tls',
    'clientCertificate'], path);
  const method = oneOf(eap.method, SHIPPED_METHOD_NAMES, `${path}.method`);
  const tunnel = carriesInnerMethod(method);
  const tlsBased = isTlsBased(method);
  const out: ProfileEap = { method };
  if (eap.innerMethod !== undefined && !tunnel) fail(`${path}.innerMethod`, 'applies to the tunnel methods (peap, ttls, teap) only');
  const innerNames = method === 'teap' ? TEAP_INNER_METHOD_NAMES : INNER_METHOD_NAMES;
  if (tunnel && eap.innerMethod !== undefined) out.innerMethod = oneOf(eap.innerMethod, innerNames, `${path}.innerMethod`);
  if (eap.teapSecondaryInnerMethod !== undefined) {
    if (method !== 'teap') fail(`${path}.teapSecondaryInnerMethod`, 'applies to teap only');
    out.teapSecondaryInnerMethod = oneOf(eap.teapSecondaryInnerMethod, TEAP_INNER_METHOD_NAMES, `${path}.teapSecondaryInnerMethod`);
  }
  if (eap.phase2 !== undefined) {
    if (method !== 'ttls') fail(`${path}.phase2`, 'applies to ttls only');
    out.phase2 = oneOf(eap.phase2, PHASE2, `${path}.phase2`);
  }
  if (method === 'ttls' && out.innerMethod !== undefined && out.phase2 !== 'eap') {
    fail(`${path}.innerMethod`, "applies to ttls with phase2 'eap' only");
  }
  for (const field of ['anonymousIdentity', 'ca', 'serverNames', 'tls'] as const) {
    if (!tlsBased && eap[field] !== undefined) fail(`${path}.${field}`, 'applies to the TLS-based methods (peap, ttls, tls, teap) only');
  }
  if (eap.anonymousIdentity !== undefined) out.anonymousIdentity = name(eap.anonymousIdentity, `${path}.anonymousIdentity`);
  if (eap.ca !== undefined) out.ca = checkCa(eap.ca, `${path}.ca`);
  if (eap.serverNames !== undefined) {
    if (!Array.isArray(eap.serverNames) || eap.serverNames.length === 0) fail(`${path}.serverNames`, 'must be a non-empty array');
    out.serverNames = eap.serverNames.map((serverName, i) => {
      const checked = name(serverName, `${path}.serverNames[${i}]`);
      // Windows separates server names with ';', wpa_supplicant too: a name cannot hold one.
      if (checked.includes(';')) fail(`${path}.serverNames[${i}]`, "must not contain ';'");
      return checked;
    });
  }
  if (eap.tls !== undefined) {
    const tls = object(eap.tls, `${path}.tls`);
    checkKeys(tls, ['min', 'max'], `${path}.tls`);
    const min = optional(tls.min, (v) => oneOf(v, TLS_VERSIONS, `${path}.tls.min`));
    const max = optional(tls.max, (v) => oneOf(v, TLS_VERSIONS, `${path}.tls.max`));
    if (min && max && TLS_VERSIONS.indexOf(min) > TLS_VERSIONS.indexOf(max)) fail(`${path}.tls`, 'min is above max');
    out.tls = { ...(min ? { min } : {}), ...(max ? { max } : {}) };
  }
  if (eap.clientCertificate !== undefined) {
    if (!usesClientCertificate(out)) fail(`${path}.clientCertificate`, "applies to tls, and to teap with an inner 'tls', only");
    const client = object(eap.clientCertificate, `${path}.clientCertificate`);
    checkKeys(client, ['pkcs12', 'passphrase'], `${path}.clientCertificate`);
    if (typeof client.pkcs12 !== 'string' || !/^[A-Za-z0-9+/\s]+={0,2}\s*$/.test(client.pkcs12)) {
      fail(`${path}.clientCertificate.pkcs12`, 'must be the base64 of a PKCS#12 (DER)');
    }
    const der = Buffer.from(client.pkcs12, 'base64');
    // A PKCS#12 PFX is a DER SEQUENCE: anything else is not one (its contents are read by the method).
    if (der.length < 16 || der[0] !== 0x30) fail(`${path}.clientCertificate.pkcs12`, 'is not a DER PKCS#12');
    out.clientCertificate = { pkcs12: der.toString('base64') };
    if (client.passphrase !== undefined) {
      if (typeof client.passphrase !== 'string') fail(`${path}.clientCertificate.passphrase`, 'must be a string');
      out.clientCertificate.passphrase = client.passphrase;
    }
  }
  return out;
}

/**
 * Checks `value` as a network profile and returns a copy holding only what the model knows. Every
 * problem is a ProfileError naming the field; nothing is filled in or dropped.
 */
export function checkNetworkProfile(value: unknown): NetworkProfile {
  const profile = object(value, '');
  checkKeys(profile, ['$schema', 'version', 'name', 'provider', 'networks', 'eap', 'credentials'], '');
  if (profile.version !== NETWORK_PROFILE_VERSION) fail('version', `must be ${NETWORK_PROFILE_VERSION}`);
  if (!Array.isArray(profile.networks) || profile.networks.length === 0) fail('networks', 'must be a non-empty array');
  if (!Array.isArray(profile.eap) || profile.eap.length === 0) fail('eap', 'must be a non-empty array');
  const out: NetworkProfile = {
    version: NETWORK_PROFILE_VERSION,
    ...(profile.name !== undefined ? { name: name(profile.name, 'name') } : {}),
    ...(profile.provider !== undefined ? { provider: name(profile.provider, 'provider') } : {}),
    networks: profile.networks.map((network, i) => checkNetwork(network, `networks[${i}]`)),
    eap: profile.eap.map((eap, i) => checkEap(eap, `eap[${i}]`)),
  };
  if (profile.credentials !== undefined) {
    const credentials = object(profile.credentials, 'credentials');
    checkKeys(credentials, ['identity', 'password'], 'credentials');
    out.credentials = {};
    if (credentials.identity !== undefined) out.credentials.identity = name(credentials.identity, 'credentials.identity');
    if (credentials.password !== undefined) {
      if (typeof credentials.password !== 'string') fail('credentials.password', 'must be a string');
      out.credentials.password = credentials.password;
    }
  }
  return out;
}

/** A network profile from its JSON text. */
export function parseNetworkProfileJson(text: string): NetworkProfile {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new ProfileError('malformed-document', '', `not JSON: ${(error as Error).message}`);
  }
  return checkNetworkProfile(value);
}

/**
 * A secret the model takes as any string (the password, the PKCS#12 passphrase), on its way into
 * an XML format: text XML 1.0 cannot carry is a ProfileError naming the field.
 */
export function xmlSecret(value: string, path: string): string {
  try {
    return checkXmlChars(value, path);
  } catch (error) {
    throw new ProfileError('invalid-profile', path, `${(error as Error).message.replace(`${path} `, '')}: this format cannot carry it`);
  }
}

/** The profile as JSON text; without `secrets` the password and the PKCS#12 passphrase are left out. */
export function networkProfileJson(profile: NetworkProfile, { secrets = false }: { secrets?: boolean } = {}): string {
  const checked = checkNetworkProfile(profile);
  if (!secrets) {
    if (checked.credentials) delete checked.credentials.password;
    for (const eap of checked.eap) if (eap.clientCertificate) delete eap.clientCertificate.passphrase;
  }
  return JSON.stringify(checked, null, 2) + '\n';
}

/** The DER of each CA of `eap`, in order. */
export function caDer(eap: ProfileEap): Buffer[] {
  return (eap.ca ?? []).map((pem) => new X509Certificate(pem).raw);
}
