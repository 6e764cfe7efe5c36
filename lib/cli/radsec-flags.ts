/**
 * The flags that send `eaphost auth --radius` over RadSec (RADIUS over TLS, RFC 6614) instead
 * of UDP: --radsec, the client certificate and key the server checks (--radsec-cert,
 * --radsec-key, --radsec-key-password), the CA that issued the server's certificate
 * (--radsec-ca) and the name it must carry (--radsec-server-name, default the host); or a
 * pre-shared key instead of certificates (--radsec-psk-identity, --radsec-psk-file; RFC 9813).
 * The shared secret defaults to "radsec" (§2.3).
 */
import { closeSync, fstatSync, openSync } from 'node:fs';
import { FILE_LIMITS, FileTooLargeError, readFileBounded } from '../core/file-read';
import { RadSecClient, RadSecListenOptions } from '../radius';
import type { RadSecClientOptions } from '../radius';
import { RADSEC_SECRET } from '../radius/radsec/client';
import { RADSEC_DTLS_SECRET } from '../radius/radsec/dtls';
import { MIN_BUFFERED_REPLY_BYTES } from '../radius/radsec/admission';
import { KnownPrefixesFile } from '../radius/radsec/known-prefixes';
import { checkRadSecPsk, RadSecPsk, RadSecPskClient } from '../radius/radsec/psk';
import { RADIUS_VERSION_SETTINGS } from '../radius/radsec/alpn';
import type { RadiusVersionSetting } from '../radius/radsec/alpn';
import { keyFromFile } from './secrets';
import { FlagReader, positiveInteger, readFlagFile } from './command-line';
import { UsageError, usageErrorOf } from './main';

const CERTIFICATE_FLAGS = ['radsec-cert', 'radsec-key', 'radsec-key-password', 'radsec-ca'] as const;
const PSK_FLAGS = ['radsec-psk-identity', 'radsec-psk-file'] as const;
export const RADSEC_VALUED = [...CERTIFICATE_FLAGS, 'radsec-server-name', ...PSK_FLAGS, 'radsec-transport', 'radius-version'] as const;

/** A PSK file is a key, never a large file read whole by mistake. */
const MAX_PSK_FILE = 4096;

export function radsecClient(flag: FlagReader, timeoutMs: number, reverseCoa?: RadSecClientOptions['reverseCoa']):
    RadSecClient | undefined {
  if (!radsecAsked(flag)) return undefined;
  const serverName = flag('radsec-server-name');
  const psk = radsecPskFlags(flag);
  const credentials = psk ? { psk } : certificateFiles(flag);
  if (psk && flag('radsec-allow-cn-only') === true) throw new UsageError('--radsec-allow-cn-only applies to a server certificate, not with a PSK');
  return new RadSecClient({ ...credentials, timeoutMs, transport: radsecTransport(flag), ...radiusVersion(flag), reverseCoa,
    ...(typeof serverName === 'string' ? { serverName } : {}),
    ...(flag('radsec-allow-cn-only') === true ? { allowCommonNameOnly: true } : {}) });
}

/** --radius-version: 1.0, 1.1 or auto (RFC 9765's Version setting); unset, the side's default. */
function radiusVersion(flag: FlagReader): { radiusVersion?: RadiusVersionSetting } {
  const version = flag('radius-version');
  if (version === undefined) return {};
  if (!(RADIUS_VERSION_SETTINGS as readonly unknown[]).includes(version)) {
    throw new UsageError(`--radius-version is ${RADIUS_VERSION_SETTINGS.join(', ')}, not ${String(version)}`);
  }
  if (version === '1.1' && flag('radsec-transport') === 'dtls') throw new UsageError('--radius-version 1.1 is RADIUS/1.1 over TLS 1.3: not with --radsec-transport dtls');
  return { radiusVersion: version as RadiusVersionSetting };
}

/** --radsec-transport: tls (the default) or dtls. */
function radsecTransport(flag: FlagReader): 'tls' | 'dtls' {
  const transport = flag('radsec-transport') ?? 'tls';
  if (transport !== 'tls' && transport !== 'dtls') throw new UsageError(`--radsec-transport is tls or dtls, not ${String(transport)}`);
  return transport;
}

/** The shared secret RadSec uses unless told otherwise: "radsec" over TLS (RFC 6614 §2.3), "radius/dtls" over
 *  DTLS (the RadSec revision §2.3). */
export function radsecDefaultSecret(flag: FlagReader): string {
  return flag('radsec-transport') === 'dtls' ? RADSEC_DTLS_SECRET : RADSEC_SECRET;
}

/** False without --radsec (or the flag `asked` names that stands for it), whose other flags are then refused. */
function radsecAsked(flag: FlagReader, asked = 'radsec'): boolean {
  if (flag(asked) === true) return true;
  const given = RADSEC_VALUED.find((name) => flag(name) !== undefined) ??
    (flag('radsec-allow-cn-only') === true ? 'radsec-allow-cn-only' : undefined);
  if (given !== undefined) throw new UsageError(`--${given} applies with --${asked} only`);
  return false;
}

/** --radsec-psk-identity and --radsec-psk-file, both or neither; never beside a certificate. */
function radsecPskFlags(flag: FlagReader): RadSecPsk | undefined {
  const identity = flag('radsec-psk-identity');
  const file = flag('radsec-psk-file');
  if (identity === undefined && file === undefined) return undefined;
  if (typeof identity !== 'string' || identity === '') throw new UsageError('--radsec-psk-file needs --radsec-psk-identity ID');
  if (typeof file !== 'string' || file === '') throw new UsageError('--radsec-psk-identity needs --radsec-psk-file FILE');
  const certificate = CERTIFICATE_FLAGS.find((name) => flag(name) !== undefined);
  if (certificate !== undefined) throw new UsageError(`--${certificate} and --radsec-psk-file: a RadSec client uses a certificate or a PSK, not both`);
  const psk = { identity, key: keyFromFile(readPrivateFile(file, '--radsec-psk-file', MAX_PSK_FILE)) };
  try {
    checkRadSecPsk(psk, '--radsec-psk');
  } catch (error) {
    psk.key.fill(0);
    throw usageErrorOf(error, (option) => ({ '--radsec-psk.key': `--radsec-psk-file ${file} holds a key of`,
      '--radsec-psk.identity': '--radsec-psk-identity' })[option]);
  }
  return psk;
}

/**
 * A file holding a key, read whole (at most `limit` bytes): on POSIX systems one that its group or
 * other users may read or write is refused (mode 0600 expected), as ssh refuses such a key. Windows
 * has no mode bits: its ACLs are the owner's business.
 */
export function readPrivateFile(file: string, flag: string, limit: number): Buffer {
  try {
    if (process.platform !== 'win32') {
      const fd = openSync(file, 'r');
      let mode: number;
      try {
        mode = fstatSync(fd).mode;
      } finally {
        closeSync(fd);
      }
      if ((mode & 0o077) !== 0) {
        throw new UsageError(`${flag} ${file}: other users may read or change it (mode ${(mode & 0o777).toString(8).padStart(4, '0')}): ` +
          `it holds a key, chmod 600 ${file}`);
      }
    }
    return readFileBounded(file, limit);
  } catch (error) {
    if (error instanceof FileTooLargeError) throw new UsageError(`${flag} ${file}: ${error.amount}, too long for a key file (at most ${limit})`);
    if ((error as NodeJS.ErrnoException).code === undefined || !(error as NodeJS.ErrnoException).syscall) throw error;
    throw new UsageError(`${flag} ${file}: cannot read it (${(error as NodeJS.ErrnoException).code})`);
  }
}

/**
 * `eaphost serve --radsec`: the listener's certificate and the CA of the clients it accepts, and
 * the clients it knows by PSK (`psk` lines of --clients FILE); with PSK clients the certificate
 * flags are optional (a PSK-only listener). Undefined without --radsec, whose other flags are then
 * refused. `asked`: the flag that asks for the listener (`serve --radsec`; `serve-eapol --das-radsec`).
 */
export function radsecListenOptions(flag: FlagReader, psk: RadSecPskClient[] = [], asked = 'radsec'):
    RadSecListenOptions | undefined {
  if (!radsecAsked(flag, asked)) return undefined;
  if (psk.length > 0 && !CERTIFICATE_FLAGS.some((name) => flag(name) !== undefined)) return { psk, ...radiusVersion(flag) };
  return { ...certificateFiles(flag, asked), ...(psk.length > 0 ? { psk } : {}), ...radiusVersion(flag) };
}

function certificateFiles(flag: FlagReader, asked = 'radsec'): { cert: Buffer; key: Buffer; ca: Buffer; passphrase?: string } {
  const passphrase = flag('radsec-key-password');
  return { cert: radsecFile(flag, 'radsec-cert', asked), key: radsecFile(flag, 'radsec-key', asked),
    ca: radsecFile(flag, 'radsec-ca', asked), ...(typeof passphrase === 'string' ? { passphrase } : {}) };
}

/** `serve --radsec`'s connection limits, each flag with the listener option it sets. */
const RADSEC_LIMIT_FLAGS = [
  ['radsec-max-connections', 'maxConnections', 1],
  ['radsec-max-connections-per-address', 'maxConnectionsPerAddress', 1],
  ['radsec-handshake-timeout', 'handshakeTimeoutMs', 1000],
  ['radsec-idle-timeout', 'idleTimeoutMs', 1000],
  ['radsec-max-reply-buffer', 'maxBufferedReplyBytes', 1],
] as const;
/** A timer's longest delay: 2^31 - 1 ms, about 24 days. */
const MAX_TIMEOUT_SECONDS = Math.floor(0x7fffffff / 1000);

/** `eaphost serve --radsec`: radsecListenOptions and the limits its flags set (the listener's defaults otherwise). */
export function radsecServeOptions(flag: FlagReader, psk: RadSecPskClient[] = []):
    RadSecListenOptions | undefined {
  const given = [...RADSEC_LIMIT_FLAGS.map(([name]) => name), 'radsec-known-prefixes'].find((name) => flag(name) !== undefined);
  const files = radsecListenOptions(flag, psk);
  if (files === undefined) {
    if (given !== undefined) throw new UsageError(`--${given} applies with --radsec only`);
    return undefined;
  }
  // RADIUS/DTLS beside TLS on the same port (RFC 7360), with certificates, PSK clients or both: the
  // RadSec revision's servers speak both (an addon built without GnuTLS says so, and serves TLS alone).
  const options: RadSecListenOptions = { ...files, dtls: true };
  const known = flag('radsec-known-prefixes');
  if (typeof known === 'string') {
    if (known === '') throw new UsageError('--radsec-known-prefixes needs a FILE');
    try {
      new KnownPrefixesFile(known).read();
    } catch (error) {
      throw usageErrorOf(error, '', '--radsec-known-prefixes: ');
    }
    options.knownPrefixesFile = known;
  }
  for (const [name, option, unit] of RADSEC_LIMIT_FLAGS) {
    const text = flag(name);
    if (typeof text !== 'string') continue;
    // Only the idle timeout may be 0 (never); positiveInteger refuses 0 for the rest.
    const value = option === 'idleTimeoutMs' && text.trim() === '0' ? 0
      : positiveInteger(text, `--${name}`, 0, unit === 1 ? Number.MAX_SAFE_INTEGER : MAX_TIMEOUT_SECONDS) * unit;
    if (option === 'maxBufferedReplyBytes' && value < MIN_BUFFERED_REPLY_BYTES) {
      throw new UsageError(`--${name} must be at least ${MIN_BUFFERED_REPLY_BYTES}, not "${text}"`);
    }
    options[option] = value;
  }
  return options;
}

function radsecFile(flag: FlagReader, name: string, asked: string): Buffer {
  const file = flag(name);
  if (typeof file !== 'string' || file === '') throw new UsageError(`--${asked} needs --${name} FILE (or a PSK)`);
  return readFlagFile(`--${name}`, file, name === 'radsec-key' ? FILE_LIMITS.key : FILE_LIMITS.certificates);
}

export { RADSEC_SECRET };
