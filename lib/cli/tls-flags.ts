/**
 * The TLS flags of `eaphost auth` (both modes) and `eaphost serve`: files are read here, and
 * what they hold is checked by the connection-data encoder. No flag means no trust: a TLS
 * method needs --ca FILE or an explicit --insecure (the embedded mode trusts exactly its own
 * ephemeral CA instead).
 */
import { FILE_LIMITS } from '../core/file-read';
import { FlagReader, readFlagFile } from './command-line';
import { UsageError, usageErrorOf } from './main';
import { BeginSessionOptions } from '../session/eaphost';
import { isTlsMethodName } from '../session/builtin';
import { TeapInnerMethod, MAX_INNER_METHODS, MAX_TLS_SESSION_LIFETIME, TLS_TICKET_KEY_BYTES, OCSP_MODES, OcspMode, Phase2Name, TlsVersion } from '../core/connection-data';
import { PEER_TLS } from './flags';
import { StoreCertificateOptions, parseStoreName, parseThumbprint } from '../core/store-certificate';
import { TEAP_INNER_METHOD_NAMES, TLS_METHOD_NAMES } from '../core/method-table';
import { readPrivateFile } from './radsec-flags';

/** The peer's TLS flags (flags.ts declares them as PEER_TLS); the secret's file form is resolved before these are read. */
export const PEER_TLS_VALUED = PEER_TLS.flags.filter((flag) => flag.type === 'string' && !flag.name.endsWith('-file'))
  .map((flag) => flag.name);
export const PEER_TLS_BOOLEANS = PEER_TLS.flags.filter((flag) => flag.type === 'boolean').map((flag) => flag.name);

/** --crl (repeatable), --crl-chain, --crl-allow-stale. */
function revocationOptions(flag: FlagReader)
  : { crl?: string[]; crlChain?: boolean; allowStaleCrl?: boolean } {
  const files = flag.all('crl');
  const options: { crl?: string[]; crlChain?: boolean; allowStaleCrl?: boolean } = {};
  if (flag('crl-chain') === true) options.crlChain = true;
  if (flag('crl-allow-stale') === true) options.allowStaleCrl = true;
  if (files === undefined) {
    if (options.crlChain || options.allowStaleCrl) throw new UsageError(`--${options.crlChain ? 'crl-chain' : 'crl-allow-stale'} needs --crl FILE`);
    return options;
  }
  for (const file of files) readFlagFile('--crl', file, FILE_LIMITS.crl);
  options.crl = files;
  return options;
}

export type TlsPeerOptions = Pick<BeginSessionOptions, 'ca' | 'serverName' | 'insecure' | 'tls' | 'innerMethod' |
  'teapSecondaryInnerMethod' | 'teapMsChapV2KeyOrder' |
  'phase2' | 'cert' | 'key' | 'keyPassword' | 'certStore' | 'anonymousIdentity' | 'allowWeakRsa' | 'crl' | 'crlChain' | 'allowStaleCrl' | 'ocsp'>;

/** Reads a PEM file as a Buffer (the caller wipes key files once used). */
export function readPemFile(file: string, flag: string): Buffer {
  const limit = flag === '--key' ? FILE_LIMITS.key : flag === '--ocsp-response' ? FILE_LIMITS.ocspResponse : FILE_LIMITS.certificates;
  return readFlagFile(flag, file, limit);
}

function tlsVersion(value: string | boolean | undefined, flag: string): TlsVersion | undefined {
  if (value === undefined) return undefined;
  if (value !== '1.2' && value !== '1.3') throw new UsageError(`${flag} must be 1.2 or 1.3`);
  return value;
}

function text(flag: FlagReader, name: string): string | undefined {
  const value = flag(name);
  return typeof value === 'string' ? value : undefined;
}

/** The peer proves itself with a certificate and needs no password: EAP-TLS, and TEAP carrying it alone. */
export function certificateOnly(method: string, flag: FlagReader): boolean {
  const second = flag('teap-secondary-inner-method');
  return method === 'tls' || (method === 'teap' && flag('inner-method') === 'tls' && (second === undefined || second === 'tls'));
}

/** The peer presents a client certificate: EAP-TLS, and TEAP with an inner EAP-TLS. */
export function presentsCertificate(method: string, flag: FlagReader): boolean {
  return method === 'tls' || (method === 'teap' && (flag('inner-method') === 'tls' || flag('teap-secondary-inner-method') === 'tls'));
}

function teapInnerMethod(name: string, flagName: string): TeapInnerMethod {
  if (!(TEAP_INNER_METHOD_NAMES as readonly string[]).includes(name)) {
    throw new UsageError(`${flagName} ${name} is not one of ${TEAP_INNER_METHOD_NAMES.join(', ')}`);
  }
  return name as TeapInnerMethod;
}

/** --teap-secondary-inner-method and --teap-mschapv2-key-order, on both sides. */
function teapOptions(flag: FlagReader)
  : { teapSecondaryInnerMethod?: TeapInnerMethod; teapMsChapV2KeyOrder?: 'hostap' | 'windows' } {
  const options: { teapSecondaryInnerMethod?: TeapInnerMethod; teapMsChapV2KeyOrder?: 'hostap' | 'windows' } = {};
  const second = text(flag, 'teap-secondary-inner-method');
  if (second !== undefined) options.teapSecondaryInnerMethod = teapInnerMethod(second, '--teap-secondary-inner-method');
  const order = text(flag, 'teap-mschapv2-key-order');
  if (order !== undefined) {
    if (order !== 'hostap' && order !== 'windows') throw new UsageError(`--teap-mschapv2-key-order ${order} is not hostap or windows`);
    options.teapMsChapV2KeyOrder = order;
  }
  return options;
}

/** The peer's TLS options from the flags; a flag that does not apply to `method` is a usage error. */
export function peerTlsOptions(method: string, flag: FlagReader): TlsPeerOptions {
  const tls = (TLS_METHOD_NAMES as readonly string[]).includes(method);  // the method table's tls column
  const given = [...PEER_TLS_VALUED, ...PEER_TLS_BOOLEANS].filter((name) => flag(name) !== undefined);
  if (!tls) {
    if (given.length > 0) throw new UsageError(`--${given[0]} applies to --method peap, teap, ttls or tls only`);
    return {};
  }
  if (flag('ca') !== undefined && flag('insecure') !== undefined) throw new UsageError('give --ca FILE or --insecure, not both');
  const options: TlsPeerOptions = {};
  const ca = text(flag, 'ca');
  if (ca !== undefined) options.ca = readPemFile(ca, '--ca');
  if (flag('insecure') === true) options.insecure = true;
  if (flag('allow-weak-rsa') === true) options.allowWeakRsa = true;
  Object.assign(options, revocationOptions(flag));
  const ocsp = text(flag, 'ocsp');
  if (ocsp !== undefined) {
    if (!Object.prototype.hasOwnProperty.call(OCSP_MODES, ocsp)) throw new UsageError(`--ocsp ${ocsp}: give off, request or require`);
    if (ocsp !== 'off' && flag('insecure') === true) throw new UsageError('--ocsp is checked only against a trusted CA: drop --insecure or --ocsp');
    options.ocsp = ocsp as OcspMode;
  }
  const serverName = text(flag, 'server-name');
  if (serverName !== undefined) options.serverName = serverName;
  const min = tlsVersion(flag('tls-min'), '--tls-min');
  const max = tlsVersion(flag('tls-max'), '--tls-max');
  if (min !== undefined || max !== undefined) options.tls = { ...(min ? { min } : {}), ...(max ? { max } : {}) };
  const anonymous = text(flag, 'anonymous-identity');
  if (anonymous !== undefined) options.anonymousIdentity = anonymous;
  const phase2 = text(flag, 'phase2');
  if (phase2 !== undefined) {
    if (method !== 'ttls') throw new UsageError('--phase2 applies to --method ttls only');
    options.phase2 = phase2 as Phase2Name;
  }
  const inner = text(flag, 'inner-method');
  if (inner !== undefined) options.innerMethod = inner as TeapInnerMethod;
  const teap = teapOptions(flag);
  if (Object.keys(teap).length > 0 && method !== 'teap') {
    throw new UsageError(`--${teap.teapSecondaryInnerMethod !== undefined ? 'teap-secondary-inner-method' : 'teap-mschapv2-key-order'} ` +
      'applies to --method teap only');
  }
  Object.assign(options, teap);
  // EAP-TLS presents the certificate, and so does TEAP's inner EAP-TLS.
  Object.assign(options, ownCertificate(flag, presentsCertificate(method, flag) ? undefined
    : '--cert and --key apply to --method tls, and to --method teap with an inner tls (--inner-method or ' +
      '--teap-secondary-inner-method), only'));
  return options;
}

/** peerTlsOptions for a peer that authenticates: a TLS method needs --ca FILE, or --insecure said outright. */
export function trustedPeerTlsOptions(method: string, flag: FlagReader): TlsPeerOptions {
  const options = peerTlsOptions(method, flag);
  if (isTlsMethodName(method) && options.ca === undefined && options.insecure !== true) {
    throw new UsageError(`--method ${method} needs --ca FILE (the CA that issued the server's certificate), ` +
      'or --insecure to skip server certificate verification');
  }
  return options;
}

/**
 * The certificate this end presents: --cert and --key (given together, read as PEM) and
 * --key-password (only with --key). `refusal`, when given, is the usage error for a certificate
 * where none applies.
 */
function ownCertificate(flag: FlagReader, refusal?: string)
  : { cert?: Buffer; key?: Buffer; keyPassword?: string; certStore?: StoreCertificateOptions } {
  const cert = text(flag, 'cert');
  const key = text(flag, 'key');
  if ((cert === undefined) !== (key === undefined)) throw new UsageError('give --cert FILE and --key FILE together');
  if (cert !== undefined && refusal !== undefined) throw new UsageError(refusal);
  const keyPassword = text(flag, 'key-password');
  if (keyPassword !== undefined && key === undefined) throw new UsageError('--key-password needs --key');
  const certStore = storeCertificate(flag, refusal);
  if (certStore !== undefined) {
    if (cert !== undefined) throw new UsageError('give --cert-thumbprint or --cert-subject, or --cert and --key, not both');
    return { certStore };
  }
  return {
    ...(cert !== undefined ? { cert: readPemFile(cert, '--cert') } : {}),
    ...(key !== undefined ? { key: readPemFile(key, '--key') } : {}),
    ...(keyPassword !== undefined ? { keyPassword } : {}),
  };
}

/** --cert-thumbprint or --cert-subject, in --cert-store: the client certificate from the Windows store. */
function storeCertificate(flag: FlagReader, refusal?: string): StoreCertificateOptions | undefined {
  const thumbprint = text(flag, 'cert-thumbprint');
  const subject = text(flag, 'cert-subject');
  const store = text(flag, 'cert-store');
  if (thumbprint === undefined && subject === undefined) {
    if (store !== undefined) throw new UsageError('--cert-store needs --cert-thumbprint HEX or --cert-subject TEXT');
    return undefined;
  }
  if (thumbprint !== undefined && subject !== undefined) throw new UsageError('give --cert-thumbprint or --cert-subject, not both');
  if (refusal !== undefined) throw new UsageError(refusal.replace('--cert and --key apply', '--cert-thumbprint and --cert-subject apply'));
  try {
    if (store !== undefined) parseStoreName(store);
    if (thumbprint !== undefined) parseThumbprint(thumbprint);
  } catch (error) {
    throw usageErrorOf(error, (option) => ({ 'certStore.store': '--cert-store', 'certStore.thumbprint': '--cert-thumbprint' })[option]);
  }
  return { ...(store !== undefined ? { store } : {}), ...(thumbprint !== undefined ? { thumbprint } : { subject }) };
}

/** Wipes what may be secret among the options (the key file's bytes, the ticket key). */
export function wipeTlsOptions(options: { key?: unknown; tlsTicketKey?: unknown }): void {
  if (Buffer.isBuffer(options.key)) options.key.fill(0);
  if (Buffer.isBuffer(options.tlsTicketKey)) options.tlsTicketKey.fill(0);
}

/**
 * --tls-ticket-key-file FILE: the session tickets' master key, 64 raw random bytes (GnuTLS's
 * format), in a file only its owner may read, as the other key files serve reads. Anything
 * else is a usage error that says how to make one; nothing of the file is echoed.
 */
function ticketKeyFile(file: string): Buffer {
  const flag = '--tls-ticket-key-file';
  // A few bytes more than a key, so a file that is too long says its size rather than "too long".
  const key = readPrivateFile(file, flag, TLS_TICKET_KEY_BYTES * 4);
  if (key.length === TLS_TICKET_KEY_BYTES) return key;
  const length = key.length;
  const hex = /^[0-9a-fA-F]{128}\r?\n?$/.test(key.toString('latin1'));
  key.fill(0);
  throw new UsageError(`${flag} ${file} holds ${length} bytes${hex ? ' of hex text' : ''}: a ticket key is ${TLS_TICKET_KEY_BYTES} raw ` +
    `random bytes (make one with: head -c ${TLS_TICKET_KEY_BYTES} /dev/urandom > ${file})`);
}

export interface ServeTlsOptions {
  cert?: Buffer;
  key?: Buffer;
  keyPassword?: string;
  allowWeakRsa?: boolean;
  ca?: Buffer;
  tls?: { min?: TlsVersion; max?: TlsVersion };
  tlsSessionLifetime?: number;
  tlsTicketKey?: Buffer;
  fastReconnect?: boolean;
  teapMsChapV2KeyOrder?: 'hostap' | 'windows';
  teapBasicPassword?: boolean;
  teapChaining?: boolean;
  teapSecondaryInnerMethod?: TeapInnerMethod;
  innerMethod?: TeapInnerMethod | TeapInnerMethod[];
  crl?: string[];
  crlChain?: boolean;
  allowStaleCrl?: boolean;
  ocspResponse?: string;
  ocspResponder?: string;
  ocspResponderFailOpen?: boolean;
}

/** The authenticator's certificate, key and client CA for `serve`. */
export function serveTlsOptions(flag: FlagReader): ServeTlsOptions {
  const options: ServeTlsOptions = ownCertificate(flag);
  const ca = text(flag, 'ca');
  if (ca !== undefined) options.ca = readPemFile(ca, '--ca');
  const min = tlsVersion(flag('tls-min'), '--tls-min');
  const max = tlsVersion(flag('tls-max'), '--tls-max');
  if (min !== undefined || max !== undefined) options.tls = { ...(min ? { min } : {}), ...(max ? { max } : {}) };
  const lifetime = text(flag, 'tls-session-lifetime');
  if (lifetime !== undefined) {
    const seconds = /^\d{1,7}$/.test(lifetime) ? Number(lifetime) : NaN;
    if (!(seconds <= MAX_TLS_SESSION_LIFETIME)) {
      throw new UsageError(`--tls-session-lifetime ${lifetime} is not a number of seconds from 0 (no resumption) to ${MAX_TLS_SESSION_LIFETIME}`);
    }
    options.tlsSessionLifetime = seconds;
  }
  const ticketKey = text(flag, 'tls-ticket-key-file');
  if (ticketKey !== undefined) {
    if (options.tlsSessionLifetime === 0) {
      wipeTlsOptions(options);
      throw new UsageError('--tls-ticket-key-file needs resumption: leave out --tls-session-lifetime 0');
    }
    try {
      options.tlsTicketKey = ticketKeyFile(ticketKey);
    } catch (error) {
      wipeTlsOptions(options);
      throw error;
    }
  }
  if (flag('allow-weak-rsa') === true) options.allowWeakRsa = true;
  if (flag('no-fast-reconnect') === true) options.fastReconnect = false;
  if (flag('teap-basic-password') === true) options.teapBasicPassword = true;
  if (flag('teap-chaining') === true) options.teapChaining = true;
  const inner = text(flag, 'inner-method');
  if (inner !== undefined) {
    const names = inner.split(',').map((name) => teapInnerMethod(name, '--inner-method'));
    if (new Set(names).size !== names.length) throw new UsageError(`--inner-method ${inner} names a method twice`);
    if (names.length > MAX_INNER_METHODS) throw new UsageError(`--inner-method ${inner} names more than ${MAX_INNER_METHODS} methods`);
    options.innerMethod = names.length === 1 ? names[0] : names;
  }
  Object.assign(options, teapOptions(flag));
  Object.assign(options, revocationOptions(flag));
  const ocspResponse = text(flag, 'ocsp-response');
  if (ocspResponse !== undefined) {
    readPemFile(ocspResponse, '--ocsp-response').fill(0);
    options.ocspResponse = ocspResponse;
  }
  const responder = text(flag, 'ocsp-responder');
  if (responder !== undefined) options.ocspResponder = responder;
  if (flag('ocsp-responder-fail-open') === true) {
    if (responder === undefined) throw new UsageError('--ocsp-responder-fail-open needs --ocsp-responder URL');
    options.ocspResponderFailOpen = true;
  }
  return options;
}
