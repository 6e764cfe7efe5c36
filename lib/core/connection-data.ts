/**
 * Connection data for the shipped TLS methods (EAP-TLS, PEAP, EAP-TTLS): the per-profile
 * configuration EAPHost hands a method beside the user blob (pConnectionData). Format version 1,
 * big-endian, no padding:
 *
 *   "eCFG" | version 1 (1 byte) | { type (1) | length (4) | value } ... to the end
 *
 * The method modules refuse unknown types, duplicates (except serverName) and oversized values,
 * so this encoder checks the same bounds first and reports them as TypeError / RangeError while
 * the caller can still fix its options. Windows' own methods take Microsoft's XML profiles
 * instead (the configuration API): this is the shipped modules' format only. Its types, flag
 * bits and bounds are declared in seam/connection_data.js.
 */
import { X509Certificate, createHmac, createPrivateKey, randomBytes } from 'crypto';
import { statSync } from 'fs';
import { resolve } from 'path';
import { StoreCertificateOptions, storeCertificateValue } from './store-certificate';
import { METHOD_TABLE, TeapInnerMethodName, TlsMethodName } from './method-table';
// The format's magic, bounds, types and flag bits: declared once in seam/connection_data.js, which
// generates these and the methods' C++ header.
import {
  CONNECTION_DATA_LIMITS, CONNECTION_DATA_MAGIC, CONNECTION_DATA_VALUE_SIZES, CONNECTION_DATA_VERSION, ConnectionDataFlag, ConnectionDataType,
} from './generated/connection-data-format';

export { CONNECTION_DATA_LIMITS, CONNECTION_DATA_MAGIC, CONNECTION_DATA_VERSION, ConnectionDataFlag, ConnectionDataType };

/** What a peer asks of the server's stapled OCSP response (connection data's byte). */
export type OcspMode = 'off' | 'request' | 'require';
export const OCSP_MODES: Readonly<Record<OcspMode, number>> = { off: 0, request: 1, require: 2 };

/** The longest an authenticator keeps a TLS session resumable: 7 days, RFC 8446's ticket cap. */
export const MAX_TLS_SESSION_LIFETIME = CONNECTION_DATA_LIMITS.sessionLifetime;

/** The bytes of a session ticket key: GnuTLS's master key format (gnutls_session_ticket_key_generate's
 *  output, raw random bytes: a 16-byte name, a 32-byte cipher key, a 16-byte MAC key). */
export const TLS_TICKET_KEY_BYTES = CONNECTION_DATA_VALUE_SIZES.TicketKey;

/** The most CRL files one configuration names (the method modules refuse more). */
export const MAX_CRL_FILES = CONNECTION_DATA_LIMITS.crlFiles;

export type TlsVersion = '1.2' | '1.3';
/** TLS 1.0 and 1.1, obsoleted by RFC 8996: a peer offers them only with `allowObsoleteTls`
 *  (what `eaphost audit` probes old servers with). */
export type ObsoleteTlsVersion = '1.0' | '1.1';
/** The EAP method inside TEAP: PEAP's, or EAP-TLS ('tls'), which TEAP alone carries. */
export type TeapInnerMethod = TeapInnerMethodName;
/** EAP-TTLS phase 2 (RFC 5281): PAP, CHAP, MS-CHAP, MS-CHAPv2 as AVPs, or an inner EAP method. */
export type Phase2Name = 'pap' | 'chap' | 'mschap' | 'mschapv2' | 'eap';

const TLS_VERSIONS: Record<TlsVersion, number> = { '1.2': 0x0303, '1.3': 0x0304 };
const ALL_TLS_VERSIONS: Record<TlsVersion | ObsoleteTlsVersion, number> = { '1.0': 0x0301, '1.1': 0x0302, ...TLS_VERSIONS };
const INNER_METHODS = Object.fromEntries(METHOD_TABLE.filter((m) => m.teapInner).reverse().map((m) => [m.name, m.type])) as
  Record<TeapInnerMethod, number>;
const TUNNEL_INNER_NAMES: readonly string[] = METHOD_TABLE.filter((m) => m.inner).map((m) => m.name);
const PHASE2: Record<Phase2Name, number> = { pap: 1, chap: 2, mschap: 3, mschapv2: 4, eap: 5 };

/** A PEM text (string, or Buffer holding the text). */
export type Pem = string | Buffer;

export interface ConnectionDataOptions {
  /** Trusted CA certificates (PEM, one or more CERTIFICATE blocks). */
  ca?: Pem;
  /** Accepted server names (SAN dNSName, else CN): any may match. */
  serverName?: string | string[];
  /** Skip server certificate verification: an explicit opt-in, never a default. */
  insecure?: boolean;
  /** PEAP: require the server's cryptobinding TLV. */
  requireCryptoBinding?: boolean;
  /** Accept an RSA key under 2048 bits in the other side's certificate (the server's for a
   *  peer, an EAP-TLS client's for an authenticator): refused by default, for legacy systems only. */
  allowWeakRsa?: boolean;
  /** The TLS versions offered (peer) or accepted (authenticator); default 1.2 to 1.3. '1.0' and
   *  '1.1' need `allowObsoleteTls`. */
  tls?: { min?: TlsVersion | ObsoleteTlsVersion; max?: TlsVersion | ObsoleteTlsVersion };
  /** Peer: resume a TLS session kept from an earlier authentication to the same server (default
   *  true); false runs a full handshake every time and keeps nothing. */
  resumption?: boolean;
  /** Peer: let `tls` name TLS 1.0 and 1.1 (RFC 8996 obsoletes them), to find out whether an old
   *  server speaks them; never a setting for real connections. */
  allowObsoleteTls?: boolean;
  /** The inner EAP method: PEAP's, EAP-TTLS's (phase2 'eap') and TEAP's. 'tls' (EAP-TLS) is
   *  TEAP's only: it takes this same configuration's cert and key (peer: its client certificate;
   *  the server's inner certificate is checked against ca and serverName as the outer one is),
   *  or ca and the revocation options (authenticator: the CA of client certificates). On the
   *  windows backend it selects Windows' own TEAP's inner method (EAP-MSCHAPv2 or EAP-TLS).
   *  An authenticator may offer several (an array, at most 4): it proposes the first and
   *  follows a peer's Nak to another of them. */
  innerMethod?: TeapInnerMethod | readonly TeapInnerMethod[];
  phase2?: Phase2Name;
  /** Certificate chain (PEM): the client's for EAP-TLS, the server's for an authenticator. */
  cert?: Pem;
  /** Private key (PEM: PKCS#8, RSA or EC; may be encrypted). */
  key?: Pem;
  keyPassword?: string;
  /** Outer identity sent in the clear (the inner one stays inside the tunnel). */
  anonymousIdentity?: string;
  /** DER PKCS#12 (certificate and key); keyPassword is its password. */
  pkcs12?: Buffer;
  /** Peer, Windows: the client certificate from the Windows certificate store, its key signing
   *  where the store keeps it (instead of cert and key, or pkcs12). Elsewhere the method refuses
   *  it with ERROR_NOT_SUPPORTED. See docs/windows.md, Certificates. */
  certStore?: StoreCertificateOptions;
  /** Authenticator: seconds a TLS session stays resumable (session cache and tickets, TLS 1.2
   *  and 1.3); 0 turns resumption off. Default 3600. */
  tlsSessionLifetime?: number;
  /** Authenticator (EAP-TLS, PEAP, TEAP): the session tickets' master key, 64 random
   *  bytes (GnuTLS's format). Authenticators in other processes or on
   *  other machines given the same key and tlsSessionLifetime resume each other's TLS 1.3
   *  sessions (TLS 1.2 resumes by Session ID, within one process). Default: a random key per
   *  configuration. A secret: wipe it once the connection data is made. */
  tlsTicketKey?: Buffer;
  /** PEAP and EAP-TTLS authenticator: a peer resuming a TLS 1.2 session whose phase 2 succeeded
   *  skips phase 2 (MS-PEAP fast reconnect; TLS 1.3 sessions always run it). Default true; false
   *  runs phase 2 on every resumption. */
  fastReconnect?: boolean;
  /** CRL files (PEM or DER), one path or several: the other side's certificate (the server's
   *  for a peer, an EAP-TLS client's for an authenticator) is refused when a CRL of its issuer
   *  revokes it, and when no CRL of its issuer is given (fail closed). Each file is read again
   *  when it changes on disk, at the next handshake. */
  crl?: string | string[];
  /** Check every certificate of the chain against the CRLs, not only the leaf. Needs crl. */
  crlChain?: boolean;
  /** Accept a CRL past its nextUpdate (refused by default). Needs crl. */
  allowStaleCrl?: boolean;
  /** Authenticator: a DER OCSP response for its own certificate, stapled to it (TLS 1.2
   *  status_request, TLS 1.3). Read again when the file changes on disk, at the next handshake. */
  ocspResponse?: string;
  /** Peer: 'request' asks the server to staple its certificate's OCSP response and checks one
   *  it gets (signed by the CA or its delegated responder, about this certificate, current;
   *  revoked is refused); 'require' also refuses a server that staples none. Default 'off'. */
  ocsp?: OcspMode;
  /** EAP-TLS authenticator: an OCSP responder (http://HOST[:PORT][/PATH]) asked about each client
   *  certificate by HTTP POST; its answer is kept until its nextUpdate. A client is refused when
   *  the responder cannot be reached, unless ocspResponderFailOpen. */
  ocspResponder?: string;
  /** Let a client in when the OCSP responder cannot answer (refused by default). Needs ocspResponder. */
  ocspResponderFailOpen?: boolean;
  /** TEAP: the order in which an inner EAP-MSCHAPv2's two keys enter TEAP's key chain —
   *  'hostap' (hostap 2.10) or 'windows' (Windows, as FreeRADIUS serves it). Unset, a peer
   *  accepts whichever the server's Compound MAC verifies with and an authenticator uses
   *  'hostap'. See docs/teap.md. */
  teapMsChapV2KeyOrder?: 'hostap' | 'windows';
  /** TEAP authenticator: ask for the password in a Basic-Password-Auth TLV instead of running
   *  an inner EAP method (the user store must hold the clear-text password). */
  teapBasicPassword?: boolean;
  /** TEAP authenticator: EAP chaining — an inner method for a machine credential, then one for
   *  the user's, each bound to the tunnel; the user store must know both identities. */
  teapChaining?: boolean;
  /** Authenticator: the method adds its private attributes (vendor 32473) to
   *  EapMethodAuthenticatorGetResult's list, for a host that takes them out again: what the
   *  conversation established (TLS version, resumption, inner method) and, on a failure it can
   *  explain, why (which client certificate, and what was wrong with it). eaphost's own
   *  authenticator sets it; leave it off for a method EAPHost runs under NPS, which could pass
   *  them on to the NAS. */
  privateAttributes?: boolean;
  /** TEAP, EAP chaining: the second inner method, the user's after the machine's innerMethod (as
   *  Windows sets up TEAP). A peer runs it when the server starts a second inner method; an
   *  authenticator chains (teapChaining) and proposes it for the user's. On the windows backend
   *  Windows' own TEAP takes 'mschapv2' or 'tls'. */
  teapSecondaryInnerMethod?: TeapInnerMethod;
}

interface PemBlock {
  label: string;
  /** The block's text, BEGIN to END line. */
  text: string;
}

const PEM_BLOCK = /-----BEGIN ([A-Z0-9 ]+)-----\r?\n([\s\S]*?)-----END \1-----/g;
const PEM_HEADER = /^[A-Za-z-]+: .*$/;
const BASE64_LINE = /^[A-Za-z0-9+/]*={0,2}$/;

/** The PEM blocks of `text` (text outside blocks, e.g. "Bag Attributes", is ignored as OpenSSL does). */
function pemBlocks(text: string, name: string): PemBlock[] {
  const blocks: PemBlock[] = [];
  for (const match of text.matchAll(PEM_BLOCK)) {
    const lines = match[2].split(/\r?\n/).filter((line) => line.length > 0);
    const body = lines.filter((line) => !PEM_HEADER.test(line));
    if (body.length === 0 || !body.every((line) => BASE64_LINE.test(line.trim()))) {
      throw new TypeError(`${name}: the ${match[1]} block is not base64 PEM`);
    }
    blocks.push({ label: match[1], text: match[0] });
  }
  return blocks;
}

function pemText(value: unknown, name: string): string {
  if (Buffer.isBuffer(value)) return value.toString('latin1');
  if (typeof value === 'string') return value;
  throw new TypeError(`${name} must be PEM text (a string or a Buffer)`);
}

/**
 * Certificates already parsed, by their PEM text: a peer or authenticator configuration is built
 * once per session with the same CA and chain, and parsing them each time cost more than the
 * rest of the session set-up. Certificates are public, so keeping them holds no secret; the
 * oldest entry makes room past a few configurations' worth.
 */
const parsedCertificates = new Map<string, { pem: string; certificates: X509Certificate[] }>();
const PARSED_CERTIFICATES_KEPT = 32;

/** CERTIFICATE blocks only, each one parsed, joined as the method will read them. */
function certificatesPem(value: unknown, name: string): { pem: string; certificates: X509Certificate[] } {
  const text = pemText(value, name);
  const known = parsedCertificates.get(text);
  if (known) return known;
  const parsed = parseCertificatesPem(text, name);
  // A file that also holds a private key is never kept: the text is the cache's key.
  if (text.includes('PRIVATE KEY')) return parsed;
  if (parsedCertificates.size >= PARSED_CERTIFICATES_KEPT) {
    parsedCertificates.delete(parsedCertificates.keys().next().value as string);
  }
  parsedCertificates.set(text, parsed);
  return parsed;
}

/**
 * Every CERTIFICATE block of `pem`, parsed: a clear TypeError naming `name` when there is none
 * or one is not X.509. What the Windows profile code reads (thumbprints, Root store look-ups).
 */
export function pemCertificates(pem: unknown, name: string): X509Certificate[] {
  return certificatesPem(pem, name).certificates;
}

function parseCertificatesPem(text: string, name: string): { pem: string; certificates: X509Certificate[] } {
  const blocks = pemBlocks(text, name).filter((block) => block.label === 'CERTIFICATE');
  if (blocks.length === 0) throw new TypeError(`${name} holds no "-----BEGIN CERTIFICATE-----" block`);
  const certificates = blocks.map((block, index) => {
    try {
      return new X509Certificate(block.text);
    } catch (error) {
      throw new TypeError(`${name}: certificate ${index + 1} is not a valid X.509 certificate (${(error as Error).message})`);
    }
  });
  return { pem: blocks.map((block) => block.text).join('\n') + '\n', certificates };
}

const KEY_LABELS = new Set(['PRIVATE KEY', 'ENCRYPTED PRIVATE KEY', 'RSA PRIVATE KEY', 'EC PRIVATE KEY']);

/** The one private-key block of `value`, as a Buffer the caller wipes. */
function privateKeyPem(value: unknown, name: string): { pem: Buffer; encrypted: boolean } {
  const text = pemText(value, name);
  const keys = pemBlocks(text, name).filter((block) => KEY_LABELS.has(block.label));
  if (keys.length !== 1) {
    throw new TypeError(`${name} must hold exactly one private key block (PRIVATE KEY, ENCRYPTED PRIVATE KEY, ` +
      `RSA PRIVATE KEY or EC PRIVATE KEY); found ${keys.length}`);
  }
  const [key] = keys;
  const encrypted = key.label === 'ENCRYPTED PRIVATE KEY' || /Proc-Type: 4,ENCRYPTED/.test(key.text);
  return { pem: Buffer.from(key.text + '\n', 'latin1'), encrypted };
}

// Letter-digit-hyphen labels (underscore tolerated, as in service names); IDNs as A-labels.
const DNS_LABEL = /^[A-Za-z0-9_](?:[A-Za-z0-9_-]{0,61}[A-Za-z0-9_])?$/;

function dnsName(value: unknown, name: string): string {
  if (typeof value !== 'string') throw new TypeError(`${name} must be a string`);
  if (value.length === 0 || Buffer.byteLength(value) > CONNECTION_DATA_LIMITS.name) {
    throw new RangeError(`${name} must be 1..${CONNECTION_DATA_LIMITS.name} bytes`);
  }
  const labels = value.split('.');
  // The peer compares serverName with the certificate's names; a pattern here would never match.
  if (labels[0] === '*') {
    throw new TypeError(`${name} "${value}" is a wildcard: give the server's own name (a wildcard certificate for ` +
      `*.${labels.slice(1).join('.')} matches e.g. radius.${labels.slice(1).join('.')})`);
  }
  if (!labels.every((label) => DNS_LABEL.test(label))) {
    throw new TypeError(`${name} "${value}" is not a DNS name (letters, digits, hyphens; IDNs as xn-- A-labels)`);
  }
  return value;
}

function utf8Name(value: unknown, name: string): string {
  if (typeof value !== 'string') throw new TypeError(`${name} must be a string`);
  if (value.includes('\0')) throw new TypeError(`${name} must not contain NUL`);
  if (value.length === 0 || Buffer.byteLength(value) > CONNECTION_DATA_LIMITS.name) {
    throw new RangeError(`${name} must be 1..${CONNECTION_DATA_LIMITS.name} bytes of UTF-8`);
  }
  return value;
}

function pick<T extends string>(table: Record<T, number>, value: unknown, name: string): number {
  if (typeof value !== 'string' || !Object.prototype.hasOwnProperty.call(table, value)) {
    throw new TypeError(`${name} must be ${Object.keys(table).map((k) => `'${k}'`).join(' | ')}`);
  }
  return table[value as T];
}

function optionalBoolean(value: unknown, name: string): boolean {
  if (value === undefined) return false;
  if (typeof value !== 'boolean') throw new TypeError(`${name} must be a boolean`);
  return value;
}

/** The CRL files as absolute paths, each one an existing file (the module reads them itself). */
function crlPaths(value: unknown): string[] {
  const files = Array.isArray(value) ? value : [value];
  if (files.length === 0 || files.length > MAX_CRL_FILES) {
    throw new RangeError(`crl must name 1..${MAX_CRL_FILES} CRL files`);
  }
  return files.map((file, i) => existingFile(file, Array.isArray(value) ? `crl[${i}]` : 'crl', 'a CRL file (PEM or DER)'));
}

/** An http:// URL with a host (the module speaks HTTP/1.0 to it, as RFC 6960 A.1 has it). */
function ocspResponderUrl(value: unknown): string {
  let url: URL | undefined;
  try {
    url = typeof value === 'string' ? new URL(value) : undefined;
  } catch {
    url = undefined;
  }
  if (url === undefined || url.protocol !== 'http:' || url.hostname === '' || url.username !== '' || url.search !== '' ||
      Buffer.byteLength(value as string) > CONNECTION_DATA_LIMITS.path) {
    throw new TypeError(`ocspResponder must be an http://HOST[:PORT][/PATH] URL, got ${JSON.stringify(value)}`);
  }
  return `http://${url.host}${url.pathname}`;
}

/** `file` as an absolute path to an existing file the module reads itself. */
function existingFile(file: unknown, name: string, what: string): string {
  if (typeof file !== 'string' || file.length === 0 || file.includes('\0')) {
    throw new TypeError(`${name} must be the path of ${what}`);
  }
  const path = resolve(file);
  if (Buffer.byteLength(path) > CONNECTION_DATA_LIMITS.path) throw new RangeError(`${name} is a path over ${CONNECTION_DATA_LIMITS.path} bytes`);
  let isFile = false;
  try {
    isFile = statSync(path).isFile();
  } catch (error) {
    throw new TypeError(`${name} ${file}: cannot read it (${(error as NodeJS.ErrnoException).code ?? 'error'})`);
  }
  if (!isFile) throw new TypeError(`${name} ${file} is not a file`);
  return path;
}

function tlv(type: number, value: Buffer): Buffer {
  const header = Buffer.alloc(5);
  header[0] = type;
  header.writeUInt32BE(value.length, 1);
  return Buffer.concat([header, value]);
}

function uint16(value: number): Buffer {
  const out = Buffer.alloc(2);
  out.writeUInt16BE(value);
  return out;
}

/**
 * Encodes `options` as connection data version 1, checking every value. Certificates must
 * parse as X.509; a private key must be one PEM key block and, when it can be read (clear,
 * or with its password), must belong to the first certificate of `cert`. Secrets (the key
 * and its password) are wiped from every intermediate Buffer; the returned blob holds them,
 * so the caller wipes it once the method has its copy.
 */
export function encodeConnectionData(options: ConnectionDataOptions): Buffer {
  if (typeof options !== 'object' || options === null) throw new TypeError('connection options must be an object');
  const parts: Buffer[] = [];
  const secrets: Buffer[] = [];
  try {
    if (options.ca !== undefined) {
      parts.push(tlv(ConnectionDataType.Ca, pemValue(certificatesPem(options.ca, 'ca').pem, 'ca')));
    }
    if (options.serverName !== undefined) {
      const names = Array.isArray(options.serverName) ? options.serverName : [options.serverName];
      if (names.length === 0) throw new TypeError('serverName must be a name or a non-empty array of names');
      names.forEach((name, i) => parts.push(tlv(ConnectionDataType.ServerName,
        Buffer.from(dnsName(name, Array.isArray(options.serverName) ? `serverName[${i}]` : 'serverName'), 'utf8'))));
    }
    const flags = (optionalBoolean(options.insecure, 'insecure') ? ConnectionDataFlag.Insecure : 0) |
      (optionalBoolean(options.requireCryptoBinding, 'requireCryptoBinding') ? ConnectionDataFlag.RequireCryptoBinding : 0) |
      (optionalBoolean(options.allowWeakRsa, 'allowWeakRsa') ? ConnectionDataFlag.AllowWeakRsa : 0) |
      (optionalBoolean(options.allowObsoleteTls, 'allowObsoleteTls') ? ConnectionDataFlag.AllowObsoleteTls : 0) |
      (options.fastReconnect !== undefined && !optionalBoolean(options.fastReconnect, 'fastReconnect')
        ? ConnectionDataFlag.NoFastReconnect : 0) |
      (optionalBoolean(options.crlChain, 'crlChain') ? ConnectionDataFlag.CrlChain : 0) |
      (optionalBoolean(options.allowStaleCrl, 'allowStaleCrl') ? ConnectionDataFlag.AllowStaleCrl : 0) |
      (teapKeyOrder(options.teapMsChapV2KeyOrder) === 'windows' ? ConnectionDataFlag.TeapWindowsMsChapV2Keys : 0) |
      (options.teapMsChapV2KeyOrder === 'hostap' ? ConnectionDataFlag.TeapHostapMsChapV2Keys : 0) |
      (optionalBoolean(options.teapBasicPassword, 'teapBasicPassword') ? ConnectionDataFlag.TeapBasicPassword : 0) |
      (optionalBoolean(options.teapChaining, 'teapChaining') ? ConnectionDataFlag.TeapChaining : 0) |
      (optionalBoolean(options.privateAttributes, 'privateAttributes') ? ConnectionDataFlag.PrivateAttributes : 0) |
      (optionalBoolean(options.ocspResponderFailOpen, 'ocspResponderFailOpen') ? ConnectionDataFlag.OcspResponderFailOpen : 0);
    if (options.ocspResponderFailOpen === true && options.ocspResponder === undefined) {
      throw new TypeError('ocspResponderFailOpen needs ocspResponder, the OCSP responder to ask');
    }
    if (options.ocspResponder !== undefined) {
      parts.push(tlv(ConnectionDataType.OcspResponder, Buffer.from(ocspResponderUrl(options.ocspResponder), 'utf8')));
    }
    if ((options.crlChain === true || options.allowStaleCrl === true) && options.crl === undefined) {
      throw new TypeError(`${options.crlChain === true ? 'crlChain' : 'allowStaleCrl'} needs crl, the CRL files to check against`);
    }
    if (options.crl !== undefined) {
      for (const path of crlPaths(options.crl)) parts.push(tlv(ConnectionDataType.Crl, Buffer.from(path, 'utf8')));
    }
    if (options.ocspResponse !== undefined) {
      const path = existingFile(options.ocspResponse, 'ocspResponse', 'a DER OCSP response file');
      parts.push(tlv(ConnectionDataType.OcspResponse, Buffer.from(path, 'utf8')));
    }
    if (options.ocsp !== undefined && pick(OCSP_MODES, options.ocsp, 'ocsp') !== OCSP_MODES.off) {
      parts.push(tlv(ConnectionDataType.Ocsp, Buffer.from([OCSP_MODES[options.ocsp]])));
    }
    if (flags !== 0) {
      const value = Buffer.alloc(4);
      value.writeUInt32BE(flags);
      parts.push(tlv(ConnectionDataType.Flags, value));
    }
    if (options.tls !== undefined) {
      if (typeof options.tls !== 'object' || options.tls === null) throw new TypeError("tls must be { min?, max? }");
      const { min, max } = options.tls;
      const versions = options.allowObsoleteTls === true ? ALL_TLS_VERSIONS : TLS_VERSIONS;
      const low = min === undefined ? undefined : pick(versions, min, 'tls.min');
      const high = max === undefined ? undefined : pick(versions, max, 'tls.max');
      if (options.allowObsoleteTls === true && (low ?? TLS_VERSIONS['1.2']) >= TLS_VERSIONS['1.2']) {
        throw new TypeError("allowObsoleteTls needs tls.min '1.0' or '1.1'");
      }
      if (low !== undefined && high !== undefined && low > high) throw new RangeError(`tls.min ${min} is above tls.max ${max}`);
      if (low !== undefined) parts.push(tlv(ConnectionDataType.TlsMin, uint16(low)));
      if (high !== undefined) parts.push(tlv(ConnectionDataType.TlsMax, uint16(high)));
    }
    if (options.innerMethod !== undefined) {
      parts.push(tlv(ConnectionDataType.InnerMethod, Buffer.from(innerMethodTypes(options.innerMethod))));
    }
    if (options.teapSecondaryInnerMethod !== undefined) {
      parts.push(tlv(ConnectionDataType.TeapSecondInner,
        Buffer.of(pick(INNER_METHODS, options.teapSecondaryInnerMethod, 'teapSecondaryInnerMethod'))));
    }
    if (options.phase2 !== undefined) {
      parts.push(tlv(ConnectionDataType.Phase2, Buffer.of(pick(PHASE2, options.phase2, 'phase2'))));
    }
    let leaf: X509Certificate | undefined;
    if (options.cert !== undefined) {
      const chain = certificatesPem(options.cert, 'cert');
      leaf = chain.certificates[0];
      parts.push(tlv(ConnectionDataType.Certificate, pemValue(chain.pem, 'cert')));
    }
    let password: Buffer | undefined;
    if (options.keyPassword !== undefined) {
      if (typeof options.keyPassword !== 'string') throw new TypeError('keyPassword must be a string');
      password = Buffer.from(options.keyPassword, 'utf8');
      secrets.push(password);
      if (password.length > CONNECTION_DATA_LIMITS.pem) throw new RangeError('keyPassword is too long');
    }
    if (options.key !== undefined) {
      if (options.cert === undefined) throw new TypeError('key needs its certificate: give cert too');
      const key = privateKeyPem(options.key, 'key');
      secrets.push(key.pem);
      if (key.pem.length > CONNECTION_DATA_LIMITS.pem) throw new RangeError(`key is over ${CONNECTION_DATA_LIMITS.pem} bytes`);
      if (key.encrypted && password === undefined) throw new TypeError('key is encrypted: give keyPassword');
      checkKeyBelongsTo(key.pem, password, leaf!);
      const value = tlv(ConnectionDataType.PrivateKey, key.pem);
      secrets.push(value);
      parts.push(value);
    } else if (options.cert !== undefined && options.pkcs12 === undefined) {
      throw new TypeError('cert needs its private key: give key too');
    }
    if (options.pkcs12 !== undefined) {
      if (!Buffer.isBuffer(options.pkcs12) || options.pkcs12.length === 0) throw new TypeError('pkcs12 must be a non-empty Buffer (DER)');
      if (options.cert !== undefined || options.key !== undefined) throw new TypeError('give pkcs12 or cert and key, not both');
      if (options.pkcs12[0] !== 0x30) throw new TypeError('pkcs12 must be DER (a SEQUENCE), not PEM or base64');
      if (options.pkcs12.length > CONNECTION_DATA_LIMITS.pem) throw new RangeError(`pkcs12 is over ${CONNECTION_DATA_LIMITS.pem} bytes`);
      const value = tlv(ConnectionDataType.Pkcs12, options.pkcs12);
      secrets.push(value);
      parts.push(value);
    }
    if (options.certStore !== undefined) {
      if (options.cert !== undefined || options.key !== undefined || options.pkcs12 !== undefined || password !== undefined) {
        throw new TypeError('give certStore or cert and key (or pkcs12), not both: the store holds the key');
      }
      parts.push(tlv(ConnectionDataType.CertStore, storeCertificateValue(options.certStore)));
    }
    if (password !== undefined) {
      if (options.key === undefined && options.pkcs12 === undefined) throw new TypeError('keyPassword needs key or pkcs12');
      const value = tlv(ConnectionDataType.PrivateKeyPassword, password);
      secrets.push(value);
      parts.push(value);
    }
    if (options.tlsSessionLifetime !== undefined) {
      const seconds = options.tlsSessionLifetime;
      if (!Number.isInteger(seconds) || seconds < 0 || seconds > MAX_TLS_SESSION_LIFETIME) {
        throw new RangeError(`tlsSessionLifetime must be an integer number of seconds from 0 (no resumption) to ${MAX_TLS_SESSION_LIFETIME}`);
      }
      const value = Buffer.alloc(4);
      value.writeUInt32BE(seconds);
      parts.push(tlv(ConnectionDataType.SessionLifetime, value));
    }
    if (options.tlsTicketKey !== undefined) {
      const key = options.tlsTicketKey;
      if (!Buffer.isBuffer(key)) throw new TypeError('tlsTicketKey must be a Buffer');
      if (key.length !== TLS_TICKET_KEY_BYTES) {
        throw new RangeError(`tlsTicketKey is ${key.length} bytes; a session ticket key is ${TLS_TICKET_KEY_BYTES} random bytes`);
      }
      if (options.tlsSessionLifetime === 0) throw new TypeError('tlsTicketKey needs resumption: tlsSessionLifetime is 0');
      const value = tlv(ConnectionDataType.TicketKey, key);
      secrets.push(value);
      parts.push(value);
    }
    // A peer without resumption: session lifetime 0 (neither offered nor kept).
    if (!optionalBoolean(options.resumption ?? true, 'resumption')) parts.push(tlv(ConnectionDataType.SessionLifetime, Buffer.alloc(4)));
    if (options.anonymousIdentity !== undefined) {
      parts.push(tlv(ConnectionDataType.AnonymousIdentity,
        Buffer.from(utf8Name(options.anonymousIdentity, 'anonymousIdentity'), 'utf8')));
    }
    const blob = Buffer.concat([CONNECTION_DATA_MAGIC, Buffer.of(CONNECTION_DATA_VERSION), ...parts]);
    if (blob.length > CONNECTION_DATA_LIMITS.blob) {
      blob.fill(0);
      throw new RangeError(`connection data is ${blob.length} bytes, over the ${CONNECTION_DATA_LIMITS.blob}-byte limit`);
    }
    return blob;
  } finally {
    for (const secret of secrets) secret.fill(0);
  }
}

function pemValue(pem: string, name: string): Buffer {
  const value = Buffer.from(pem, 'latin1');
  if (value.length > CONNECTION_DATA_LIMITS.pem) throw new RangeError(`${name} is over ${CONNECTION_DATA_LIMITS.pem} bytes of PEM`);
  return value;
}

// Keys already found to belong to their certificate, by a keyed digest of the key, its password
// and the certificate: an EAP-TLS client beginning session after session with the same
// credentials would otherwise parse its private key each time (most of beginSession's cost).
// The digest is keyed by a secret of this process, so what is kept confirms no guess of a key;
// the key itself is never kept. Bounded: the oldest entry goes first.
const KEYS_CHECKED_LIMIT = 64;
const keysChecked = new Set<string>();
const keyDigestSecret = randomBytes(32);

function keyCheckDigest(pem: Buffer, password: Buffer | undefined, leaf: X509Certificate): string {
  const hmac = createHmac('sha256', keyDigestSecret);
  for (const part of [pem, password ?? Buffer.alloc(0), leaf.raw]) {
    const length = Buffer.alloc(4);
    length.writeUInt32BE(part.length);
    hmac.update(length).update(part);
  }
  return hmac.digest('base64');
}

/** Reads the key (with its password) only to say early that it is unreadable or not the certificate's. */
function checkKeyBelongsTo(pem: Buffer, password: Buffer | undefined, leaf: X509Certificate): void {
  const digest = keyCheckDigest(pem, password, leaf);
  if (keysChecked.has(digest)) return;
  readKeyOf(pem, password, leaf);
  if (keysChecked.size >= KEYS_CHECKED_LIMIT) keysChecked.delete(keysChecked.values().next().value as string);
  keysChecked.add(digest);
}

function readKeyOf(pem: Buffer, password: Buffer | undefined, leaf: X509Certificate): void {
  let key;
  try {
    key = createPrivateKey({ key: pem, format: 'pem', ...(password ? { passphrase: password } : {}) });
  } catch (error) {
    throw new TypeError(`key cannot be read${password ? ' with this keyPassword' : ''} ` +
      `(${(error as Error).message.replace(/^error:[0-9A-F]+:/, '')})`);
  }
  if (!leaf.checkPrivateKey(key)) throw new TypeError('key does not belong to the first certificate of cert');
}

/** The most inner methods an authenticator offers (the method modules refuse more). */
export const MAX_INNER_METHODS = CONNECTION_DATA_LIMITS.innerMethods;

/** innerMethod's EAP types: one name, or an authenticator's offer (distinct names, the proposed one first). */
function innerMethodTypes(innerMethod: unknown): number[] {
  if (!Array.isArray(innerMethod)) return [pick(INNER_METHODS, innerMethod as string, 'innerMethod')];
  if (innerMethod.length === 0 || innerMethod.length > MAX_INNER_METHODS) {
    throw new TypeError(`innerMethod must name 1 to ${MAX_INNER_METHODS} inner methods`);
  }
  const types = innerMethod.map((name, i) => pick(INNER_METHODS, name as string, `innerMethod[${i}]`));
  const twice = innerMethod.find((name, i) => innerMethod.indexOf(name) !== i);
  if (twice !== undefined) throw new TypeError(`innerMethod names ${JSON.stringify(twice)} twice`);
  return types;
}

/** innerMethod as a list of names (empty when not given). */
export function innerMethodList(innerMethod: ConnectionDataOptions['innerMethod']): readonly TeapInnerMethod[] {
  if (innerMethod === undefined) return [];
  return Array.isArray(innerMethod) ? innerMethod : [innerMethod as TeapInnerMethod];
}

function teapKeyOrder(order: unknown): 'hostap' | 'windows' | undefined {
  if (order === undefined || order === 'hostap' || order === 'windows') return order;
  throw new TypeError("teapMsChapV2KeyOrder must be 'hostap' or 'windows'");
}

/** The revocation options: where a certificate of the other side is verified. */
export const REVOCATION_KEYS = ['crl', 'crlChain', 'allowStaleCrl'] as const;
/** The OCSP options: the peer asks for a staple, the authenticator staples one. */
export const PEER_OCSP_KEYS = ['ocsp'] as const;
export const AUTHENTICATOR_OCSP_KEYS = ['ocspResponse'] as const;
/** The EAP-TLS authenticator's questions to an OCSP responder about client certificates. */
export const OCSP_RESPONDER_KEYS = ['ocspResponder', 'ocspResponderFailOpen'] as const;

/** TEAP's inner EAP-TLS: the peer's client certificate, the authenticator's client CA and checks. */
const INNER_TLS_PEER_KEYS = ['cert', 'key', 'keyPassword', 'pkcs12', 'certStore'] as const;
const INNER_TLS_AUTHENTICATOR_KEYS = ['ca', 'allowWeakRsa', ...REVOCATION_KEYS, ...OCSP_RESPONDER_KEYS] as const;

/** The inner method a tunnel carries: 'tls' only inside TEAP, which takes the EAP-TLS options only then. */
function checkInnerMethod(method: TlsMethodName, given: ConnectionDataOptions, side: 'peer' | 'authenticator'): void {
  const inner = innerMethodList(given.innerMethod);
  if (side === 'peer' && Array.isArray(given.innerMethod)) {
    throw new TypeError(`${method}: a peer runs one inner method: give innerMethod one name (an authenticator offers several)`);
  }
  const foreign = method === 'teap' ? undefined : inner.find((name) => !TUNNEL_INNER_NAMES.includes(name));
  if (foreign !== undefined) {
    throw new TypeError(`${method}: innerMethod ${JSON.stringify(foreign)} is not one of ${TUNNEL_INNER_NAMES.join(', ')}` +
      (foreign === 'tls' ? ' (inner EAP-TLS is TEAP\'s only)' : ''));
  }
  if (method !== 'teap') return;
  const innerTls = inner.includes('tls') || given.teapSecondaryInnerMethod === 'tls';
  const keys: readonly string[] = side === 'peer' ? INNER_TLS_PEER_KEYS : INNER_TLS_AUTHENTICATOR_KEYS;
  if (!innerTls) {
    // The authenticator's cert and key are its own; the peer's, like the CA of client
    // certificates, belong to an inner EAP-TLS.
    const misplaced = keys.find((name) => given[name as keyof ConnectionDataOptions] !== undefined);
    if (misplaced !== undefined) throw new TypeError(`teap: ${misplaced} applies with an inner EAP-TLS ('tls') only`);
    return;
  }
  if (side === 'peer' && given.cert === undefined && given.pkcs12 === undefined && given.certStore === undefined) {
    throw new TypeError("teap: an inner EAP-TLS ('tls') needs a client certificate: give cert and key (or pkcs12, or certStore)");
  }
  if (side === 'authenticator' && given.ca === undefined) {
    throw new TypeError("teap: an inner EAP-TLS ('tls') needs ca, the CA that issues client certificates");
  }
}

/** The options that apply to each side and method; anything else is a TypeError naming it. */
const PEER_KEYS: Record<TlsMethodName, readonly string[]> = {
  tls: ['ca', 'serverName', 'insecure', 'tls', 'allowObsoleteTls', 'resumption', 'cert', 'key', 'keyPassword', 'pkcs12', 'certStore',
    'anonymousIdentity', 'allowWeakRsa', ...REVOCATION_KEYS, ...PEER_OCSP_KEYS],
  peap: ['ca', 'serverName', 'insecure', 'tls', 'allowObsoleteTls', 'resumption', 'innerMethod', 'requireCryptoBinding', 'anonymousIdentity',
    'allowWeakRsa', ...REVOCATION_KEYS, ...PEER_OCSP_KEYS],
  ttls: ['ca', 'serverName', 'insecure', 'tls', 'allowObsoleteTls', 'resumption', 'phase2', 'innerMethod', 'anonymousIdentity', 'allowWeakRsa',
    ...REVOCATION_KEYS, ...PEER_OCSP_KEYS],
  teap: ['ca', 'serverName', 'insecure', 'tls', 'allowObsoleteTls', 'resumption', 'innerMethod', 'anonymousIdentity', 'allowWeakRsa', 'teapMsChapV2KeyOrder',
    'teapSecondaryInnerMethod', ...REVOCATION_KEYS, ...PEER_OCSP_KEYS, ...INNER_TLS_PEER_KEYS],
};
const AUTHENTICATOR_KEYS: Record<TlsMethodName, readonly string[]> = {
  tls: ['ca', 'tls', 'privateAttributes', 'cert', 'key', 'keyPassword', 'pkcs12', 'tlsSessionLifetime', 'tlsTicketKey', 'allowWeakRsa', ...REVOCATION_KEYS,
    ...AUTHENTICATOR_OCSP_KEYS, ...OCSP_RESPONDER_KEYS],
  peap: ['tls', 'privateAttributes', 'cert', 'key', 'keyPassword', 'pkcs12', 'innerMethod', 'requireCryptoBinding', 'tlsSessionLifetime', 'tlsTicketKey', 'fastReconnect',
    ...AUTHENTICATOR_OCSP_KEYS],
  ttls: ['tls', 'privateAttributes', 'cert', 'key', 'keyPassword', 'pkcs12', 'phase2', 'innerMethod', 'tlsSessionLifetime', 'fastReconnect',
    ...AUTHENTICATOR_OCSP_KEYS],
  teap: ['tls', 'privateAttributes', 'cert', 'key', 'keyPassword', 'pkcs12', 'innerMethod', 'tlsSessionLifetime', 'tlsTicketKey', 'teapMsChapV2KeyOrder',
    'teapBasicPassword', 'teapChaining', 'teapSecondaryInnerMethod', ...AUTHENTICATOR_OCSP_KEYS, ...INNER_TLS_AUTHENTICATOR_KEYS],
};

/** Every option name, to tell a TLS option given to a method that takes none. */
export const CONNECTION_OPTION_NAMES: readonly (keyof ConnectionDataOptions)[] = [
  'ca', 'serverName', 'insecure', 'requireCryptoBinding', 'tls', 'allowObsoleteTls', 'resumption', 'innerMethod', 'phase2', 'cert', 'key', 'keyPassword',
  'anonymousIdentity', 'pkcs12', 'certStore', 'tlsSessionLifetime', 'tlsTicketKey', 'allowWeakRsa', 'fastReconnect', ...REVOCATION_KEYS,
  ...PEER_OCSP_KEYS, ...AUTHENTICATOR_OCSP_KEYS, ...OCSP_RESPONDER_KEYS, 'teapMsChapV2KeyOrder', 'teapBasicPassword', 'teapChaining',
  'teapSecondaryInnerMethod', 'privateAttributes',
];

function only(options: ConnectionDataOptions, allowed: readonly string[], where: string): ConnectionDataOptions {
  const given: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(options)) {
    if (value === undefined) continue;
    if (!allowed.includes(name)) {
      throw new TypeError(`${name} does not apply to ${where}`);
    }
    given[name] = value;
  }
  return given as ConnectionDataOptions;
}

/**
 * The peer's connection data for `method`. There is no silent trust: without `ca` the peer
 * refuses unless `insecure: true` says so explicitly.
 */
export function peerConnectionData(method: TlsMethodName, options: ConnectionDataOptions): Buffer {
  const given = only(options, PEER_KEYS[method], `the ${method} peer`);
  if (given.ca === undefined && given.insecure !== true) {
    throw new TypeError(`${method}: no trusted CA configured: give ca (the PEM of the CA that issued the ` +
      'server certificate) or insecure: true to skip server certificate verification');
  }
  if (given.ca !== undefined && given.insecure === true) throw new TypeError(`${method}: give ca or insecure: true, not both`);
  if (given.insecure === true && given.serverName !== undefined) {
    throw new TypeError(`${method}: serverName is checked only against a trusted CA: drop insecure or serverName`);
  }
  if (given.insecure === true && given.crl !== undefined) {
    throw new TypeError(`${method}: crl is checked only against a trusted CA: drop insecure or crl`);
  }
  if (given.insecure === true && given.ocsp !== undefined && given.ocsp !== 'off') {
    throw new TypeError(`${method}: ocsp is checked only against a trusted CA: drop insecure or ocsp`);
  }
  if (method === 'tls' && given.cert === undefined && given.pkcs12 === undefined && given.certStore === undefined) {
    throw new TypeError('tls: EAP-TLS needs a client certificate: give cert and key (or pkcs12, or certStore)');
  }
  if (method === 'ttls' && given.innerMethod !== undefined && given.phase2 !== 'eap') {
    throw new TypeError("ttls: innerMethod applies when phase2 is 'eap'");
  }
  checkInnerMethod(method, given, 'peer');
  return encodeConnectionData(given);
}

/** The code of the process warning beginSession emits for trust that lets an impostor in. */
export const INSECURE_WARNING_CODE = 'EAPHOST_INSECURE';

/** The methods whose peer validates the server's certificate (one set, not a list made for each
 *  session that asks). */
const SERVER_VALIDATING_METHODS: ReadonlySet<string> = new Set(['tls', 'peap', 'ttls', 'teap']);

/**
 * What is weak about the peer's server validation, in words: `insecure` trusts any server, and
 * `ca` without `serverName` any certificate that CA issued (in an enterprise PKI, every
 * employee's). Empty when the trust is pinned to a CA and a name.
 */
export function insecureTrustWarnings(options: { method?: unknown; insecure?: unknown; ca?: unknown; serverName?: unknown }):
    string[] {
  if (typeof options.method !== 'string' || !SERVER_VALIDATING_METHODS.has(options.method.toLowerCase())) return [];
  if (options.insecure === true) {
    return ["the server's certificate is not verified (insecure): anyone can pose as the server and collect what the " +
      'peer sends'];
  }
  if (options.ca !== undefined && options.serverName === undefined) {
    return ["the server's name is not checked (a CA without serverName): any certificate that CA issued passes, " +
      'so anyone holding one can pose as the server'];
  }
  return [];
}

/** The authenticator's connection data for `method`: its certificate and key, always. */
export function authenticatorConnectionData(method: TlsMethodName, options: ConnectionDataOptions): Buffer {
  const given = only(options, AUTHENTICATOR_KEYS[method], `the ${method} authenticator`);
  if (given.cert === undefined && given.pkcs12 === undefined) {
    throw new TypeError(`${method}: the authenticator needs its certificate and key (cert and key, or pkcs12)`);
  }
  if (method === 'tls' && given.ca === undefined) {
    throw new TypeError('tls: the EAP-TLS authenticator needs ca, the CA that issues client certificates');
  }
  if (method === 'ttls' && given.innerMethod !== undefined && given.phase2 !== undefined && given.phase2 !== 'eap') {
    throw new TypeError("ttls: innerMethod applies when phase2 is 'eap'");
  }
  checkInnerMethod(method, given, 'authenticator');
  return encodeConnectionData(given);
}
