/**
 * `eaphost auth --radius … --method pap` and `--mab`: plain RADIUS, no EAP, as radclient sends it.
 * PAP puts the password in a hidden User-Password (RFC 2865 §5.2); MAB (MAC Authentication
 * Bypass) is what a switch sends for a device without a supplicant: the device's MAC as both
 * User-Name and User-Password, lowercase hex without separators (the spelling switches use by
 * default and NPS / FreeRADIUS policies match), Calling-Station-Id the same MAC and Service-Type
 * Call-Check. Exit codes as for EAP: 0 Access-Accept, 1 Access-Reject, 2 bad usage, 3 no answer.
 */
import { parseArgs } from 'node:util';
import {
  formatHostPort, parseHostPort, RadiusAuthenticatorMismatchError, RadiusClient, RadiusCode, radiusCodeName,
  RadiusMessageAuthenticatorMissingError, RadiusTimeoutError, RadiusAttribute,
} from '../radius';
import { textAttribute } from '../radius/packet';
import { NAS_FLAGS, nasAttributes } from './nas-attributes';
import { decodeReplyAttributes } from './reply-attributes';

type LineWriter = (line: string) => void;

const PAP_USAGE = 'usage: eaphost auth --radius HOST:PORT --secret SECRET (--method pap --identity ID --password PW | ' +
  '--mab --calling-station-id MAC) [--timeout MS] [--tries N] [--no-require-message-authenticator] [NAS flags] ' +
  '[--attr …]... [--json]';

class UsageError extends Error {}

const SERVICE_TYPE = 6;
const SERVICE_TYPE_CALL_CHECK = 10;
const MAC = /^([0-9a-f]{2})[-:.]?([0-9a-f]{2})[-:.]?([0-9a-f]{2})[-:.]?([0-9a-f]{2})[-:.]?([0-9a-f]{2})[-:.]?([0-9a-f]{2})$/i;

/** aabbccddeeff from any common spelling of a MAC address. */
export function mabUserName(mac: string): string | undefined {
  const match = MAC.exec(mac.trim());
  return match ? match.slice(1).join('').toLowerCase() : undefined;
}

function positiveInteger(text: string | undefined, name: string, fallback: number): number {
  if (text === undefined) return fallback;
  const value = Number(text);
  if (!Number.isInteger(value) || value <= 0) throw new UsageError(`${name} must be a positive integer, not "${text}"`);
  return value;
}

/** True when `auth` arguments ask for PAP or MAB rather than an EAP method. */
export function wantsPlainRadius(argv: readonly string[]): boolean {
  return argv.some((arg, i) => arg === '--mab' || arg.toLowerCase() === '--method=pap'
    || (arg === '--method' && argv[i + 1]?.toLowerCase() === 'pap'));
}

export async function runPapAuth(argv: readonly string[], out: LineWriter = console.log,
  err: LineWriter = console.error): Promise<number> {
  let values;
  let endpoint: { host: string; port: number; secret: string };
  let identity: string;
  let password: Buffer;
  let attributes: RadiusAttribute[];
  let mab: boolean;
  try {
    try {
      ({ values } = parseArgs({
        args: argv[0] === 'auth' ? argv.slice(1) : [...argv], strict: true, allowPositionals: false,
        options: {
          radius: { type: 'string' }, secret: { type: 'string' }, method: { type: 'string' }, mab: { type: 'boolean' },
          identity: { type: 'string' }, password: { type: 'string' }, timeout: { type: 'string' }, tries: { type: 'string' },
          json: { type: 'boolean' }, 'require-message-authenticator': { type: 'boolean' },
          'no-require-message-authenticator': { type: 'boolean' }, attr: { type: 'string', multiple: true },
          ...Object.fromEntries(NAS_FLAGS.map((name) => [name, { type: 'string' as const }])),
        },
      }));
    } catch (error) {
      throw new UsageError((error as Error).message);
    }
    mab = values.mab ?? false;
    if (values.radius === undefined) throw new UsageError('--radius is required');
    if (values.secret === undefined || values.secret === '') throw new UsageError('--secret is required and must not be empty');
    if (mab) {
      if (values.method !== undefined && values.method.toLowerCase() !== 'pap') throw new UsageError('--mab is not an EAP method: leave out --method');
      if (values.identity !== undefined || values.password !== undefined) {
        throw new UsageError('--mab sends the MAC of --calling-station-id as User-Name and User-Password: leave out --identity / --password');
      }
      const mac = (values as Record<string, unknown>)['calling-station-id'] as string | undefined;
      if (mac === undefined) throw new UsageError('--mab needs --calling-station-id MAC');
      const name = mabUserName(mac);
      if (name === undefined) throw new UsageError(`--calling-station-id "${mac}" is not a MAC address`);
      identity = name;
      password = Buffer.from(name, 'utf8');
    } else {
      if (values.identity === undefined) throw new UsageError('--identity is required');
      if (values.password === undefined) throw new UsageError('--password is required');
      identity = values.identity;
      password = Buffer.from(values.password, 'utf8');
      if (password.length > 128) throw new UsageError('--password: a RADIUS User-Password holds at most 128 bytes');
    }
    if (values['require-message-authenticator'] && values['no-require-message-authenticator']) {
      throw new UsageError('--require-message-authenticator and --no-require-message-authenticator contradict each other');
    }
    try {
      endpoint = { ...parseHostPort(values.radius), secret: values.secret };
    } catch (error) {
      throw new UsageError(`--radius: ${(error as Error).message}`);
    }
    const flags = values as Record<string, unknown>;
    const given = nasAttributes((name) => flags[name] as string | undefined, values.attr ?? [], (message) => new UsageError(message));
    attributes = [{ type: 1, value: textAttribute(identity) }];
    if (!given.some((attribute) => attribute.type === 32 || attribute.type === 4 || attribute.type === 95)) {
      attributes.push({ type: 32, value: textAttribute('eaphost') });
    }
    if (mab && !given.some((attribute) => attribute.type === SERVICE_TYPE)) {
      attributes.push({ type: SERVICE_TYPE, value: Buffer.from([0, 0, 0, SERVICE_TYPE_CALL_CHECK]) });
    }
    attributes.push(...given);
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    err(`eaphost auth: ${error.message}`);
    err(PAP_USAGE);
    return 2;
  }

  const what = mab ? 'mab' : 'pap';
  const server = formatHostPort(endpoint.host, endpoint.port);
  const json = values.json ?? false;
  const started = Date.now();
  const report = (code: number, result: string, line: string, extra: Record<string, unknown> = {}): number => {
    if (json) {
      out(JSON.stringify({ result, exitCode: code, reason: line, server, method: what, identity,
        elapsedMs: Date.now() - started, ...extra }));
    } else {
      (code === 0 ? out : err)(line);
    }
    return code;
  };
  const client = new RadiusClient({
    timeoutMs: positiveInteger(values.timeout, '--timeout', 6000), tries: positiveInteger(values.tries, '--tries', 3),
    requireMessageAuthenticator: values['no-require-message-authenticator'] !== true,
  });
  try {
    const { reply } = await client.accessRequest(endpoint, attributes, { userPassword: password });
    const replyJson = { reply: { code: radiusCodeName(reply.code), attributes: decodeReplyAttributes(reply.attributes) } };
    if (reply.code === RadiusCode.AccessAccept) {
      return report(0, 'accept', `Access-Accept from ${server}: ${what} authentication of "${identity}" succeeded ` +
        `(${Date.now() - started} ms)`, replyJson);
    }
    return report(1, 'reject', `${radiusCodeName(reply.code)} from ${server}: ${what} authentication of "${identity}" failed`,
      replyJson);
  } catch (error) {
    if (error instanceof RadiusTimeoutError) return report(3, 'timeout', error.message);
    if (error instanceof RadiusAuthenticatorMismatchError) return report(3, 'secret-mismatch', error.message);
    if (error instanceof RadiusMessageAuthenticatorMissingError) return report(3, 'no-message-authenticator', error.message);
    return report(1, 'error', `${what} authentication against ${server} failed: ${(error as Error).message}`);
  } finally {
    password.fill(0);
    await client.close();
  }
}
