/**
 * The flags that send `eaphost auth --radius` over RadSec (RADIUS over TLS, RFC 6614) instead
 * of UDP: --radsec, the client certificate and key the server checks (--radsec-cert,
 * --radsec-key, --radsec-key-password), the CA that issued the server's certificate
 * (--radsec-ca) and the name it must carry (--radsec-server-name, default the host).
 * The shared secret defaults to "radsec" (§2.3).
 */
import { FILE_LIMITS, readFlagFile } from '../core/file-read';
import { RadSecClient, RadSecListenOptions } from '../radius';
import { RADSEC_SECRET } from '../radius/radsec-client';
import { MIN_BUFFERED_REPLY_BYTES } from '../radius/radsec-admission';
import { positiveInteger } from './command-line';

export const RADSEC_VALUED = ['radsec-cert', 'radsec-key', 'radsec-key-password', 'radsec-ca', 'radsec-server-name'] as const;

export function radsecClient(flag: (name: string) => string | boolean | undefined, timeoutMs: number,
  fail: (message: string) => Error): RadSecClient | undefined {
  const files = radsecListenOptions(flag, fail);
  if (files === undefined) return undefined;
  const serverName = flag('radsec-server-name');
  return new RadSecClient({ ...files, timeoutMs, ...(typeof serverName === 'string' ? { serverName } : {}) });
}

/**
 * `eaphost serve --radsec`: the listener's certificate and the CA of the clients it accepts; the
 * client's own certificate, key and CA for `eaphost auth` (radsecClient). Undefined without
 * --radsec, whose other flags are then refused.
 */
export function radsecListenOptions(flag: (name: string) => string | boolean | undefined,
  fail: (message: string) => Error): { cert: Buffer; key: Buffer; ca: Buffer; passphrase?: string } | undefined {
  const given = RADSEC_VALUED.filter((name) => flag(name) !== undefined);
  if (flag('radsec') !== true) {
    if (given.length > 0) throw fail(`--${given[0]} applies with --radsec only`);
    return undefined;
  }
  const passphrase = flag('radsec-key-password');
  return { cert: radsecFile(flag, 'radsec-cert', fail), key: radsecFile(flag, 'radsec-key', fail),
    ca: radsecFile(flag, 'radsec-ca', fail), ...(typeof passphrase === 'string' ? { passphrase } : {}) };
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
export function radsecServeOptions(flag: (name: string) => string | boolean | undefined,
  fail: (message: string) => Error): RadSecListenOptions | undefined {
  const given = RADSEC_LIMIT_FLAGS.find(([name]) => flag(name) !== undefined);
  const files = radsecListenOptions(flag, fail);
  if (files === undefined) {
    if (given !== undefined) throw fail(`--${given[0]} applies with --radsec only`);
    return undefined;
  }
  const options: RadSecListenOptions = { ...files };
  for (const [name, option, unit] of RADSEC_LIMIT_FLAGS) {
    const text = flag(name);
    if (typeof text !== 'string') continue;
    // Only the idle timeout may be 0 (never); positiveInteger refuses 0 for the rest.
    const value = option === 'idleTimeoutMs' && text.trim() === '0' ? 0
      : positiveInteger(text, `--${name}`, 0, unit === 1 ? Number.MAX_SAFE_INTEGER : MAX_TIMEOUT_SECONDS) * unit;
    if (option === 'maxBufferedReplyBytes' && value < MIN_BUFFERED_REPLY_BYTES) {
      throw fail(`--${name} must be at least ${MIN_BUFFERED_REPLY_BYTES}, not "${text}"`);
    }
    options[option] = value;
  }
  return options;
}

function radsecFile(flag: (name: string) => string | boolean | undefined, name: string, fail: (message: string) => Error): Buffer {
  const file = flag(name);
  if (typeof file !== 'string' || file === '') throw fail(`--radsec needs --${name} FILE`);
  return readFlagFile(`--${name}`, file, name === 'radsec-key' ? FILE_LIMITS.key : FILE_LIMITS.certificates, fail);
}

export { RADSEC_SECRET };
