/**
 * `eaphost auth --radius … --method pap` and `--mab`: plain RADIUS, no EAP, as radclient sends it.
 * PAP puts the password in a hidden User-Password (RFC 2865 §5.2); MAB (MAC Authentication
 * Bypass) is what a switch sends for a device without a supplicant: the device's MAC as both
 * User-Name and User-Password, lowercase hex without separators (the spelling switches use by
 * default and NPS / FreeRADIUS policies match), Calling-Station-Id the same MAC and Service-Type
 * Call-Check. Exit codes as for EAP: 0 Access-Accept, 1 Access-Reject, 2 bad usage, 3 no answer.
 */
import { RadiusCode, RadiusTimeoutError, RadiusAttribute } from '../../../radius';
import { accessRequestOn } from '../../../radius/client';
import { formatHostPort, parseHostPort } from '../../../radius/endpoint';
import {
  RadiusAuthenticatorMismatchError, RadiusMessageAuthenticatorMissingError,
  RadiusMessageAuthenticatorInvalidError,
} from '../../../radius/errors';
import { radiusCodeName } from '../../../radius/constants';
import { encodeAttributes, integerOf, textOf, TypedAttribute } from '../../../radius/attribute-codec';
import { flagReader, positiveInteger, requireMessageAuthenticator, stringFlag } from '../../command-line';
import { CommandIo, FlagValues, UsageError } from '../../main';
import { nasAttributes } from '../../nas-attributes';
import { decodeReplyAttributes } from './reply-attributes';
import { reportJson } from '../../report';
import { resolveSecrets } from '../../secrets';

const SERVICE_TYPE = 6;
const SERVICE_TYPE_CALL_CHECK = 10;
const MAC = /^([0-9a-f]{2})[-:.]?([0-9a-f]{2})[-:.]?([0-9a-f]{2})[-:.]?([0-9a-f]{2})[-:.]?([0-9a-f]{2})[-:.]?([0-9a-f]{2})$/i;

/** aabbccddeeff from any common spelling of a MAC address. */
export function mabUserName(mac: string): string | undefined {
  const match = MAC.exec(mac.trim());
  return match ? match.slice(1).join('').toLowerCase() : undefined;
}

/**
 * The attributes of one plain Access-Request (the password goes in separately, hidden): User-Name,
 * a NAS-Identifier unless the NAS flags name the NAS, and for MAB Service-Type Call-Check.
 */
export function plainRequestAttributes(identity: string, mab: boolean, given: readonly RadiusAttribute[]): RadiusAttribute[] {
  return [...encodeAttributes([textOf(1, identity)]), ...plainSharedAttributes(mab, given)];
}

/** What follows User-Name in every plain Access-Request of one NAS: the same for every user. */
export function plainSharedAttributes(mab: boolean, given: readonly RadiusAttribute[]): RadiusAttribute[] {
  const typed: TypedAttribute[] = [];
  if (!given.some((attribute) => attribute.type === 32 || attribute.type === 4 || attribute.type === 95)) typed.push(textOf(32, 'eaphost'));
  if (mab && !given.some((attribute) => attribute.type === SERVICE_TYPE)) typed.push(integerOf(SERVICE_TYPE, SERVICE_TYPE_CALL_CHECK));
  return [...encodeAttributes(typed), ...given];
}

export async function runPapAuth(values: FlagValues, { out, err }: CommandIo): Promise<number> {
  const mab = values.mab === true;
  resolveSecrets(values, mab ? ['secret'] : ['secret', 'password'], err);
  const method = stringFlag(values, 'method');
  const radius = stringFlag(values, 'radius');
  const secret = stringFlag(values, 'secret');
  if (radius === undefined) throw new UsageError('--radius is required');
  if (secret === undefined || secret === '') throw new UsageError('--secret is required and must not be empty');
  let identity: string;
  let password: Buffer;
  if (mab) {
    if (method !== undefined && method.toLowerCase() !== 'pap') throw new UsageError('--mab is not an EAP method: leave out --method');
    if (values.identity !== undefined || values.password !== undefined || values['password-file'] !== undefined) {
      throw new UsageError('--mab sends the MAC of --calling-station-id as User-Name and User-Password: leave out --identity / --password');
    }
    const mac = stringFlag(values, 'calling-station-id');
    if (mac === undefined) throw new UsageError('--mab needs --calling-station-id MAC');
    const name = mabUserName(mac);
    if (name === undefined) throw new UsageError(`--calling-station-id "${mac}" is not a MAC address`);
    identity = name;
    password = Buffer.from(name, 'utf8');
  } else {
    const given = stringFlag(values, 'password');
    identity = stringFlag(values, 'identity') ?? '';
    if (identity === '') throw new UsageError('--identity is required');
    if (given === undefined) throw new UsageError('--password is required (or --password-file, EAPHOST_PASSWORD)');
    password = Buffer.from(given, 'utf8');
    if (password.length > 128) throw new UsageError('--password: a RADIUS User-Password holds at most 128 bytes');
  }
  const strict = requireMessageAuthenticator(values);
  let endpoint: { host: string; port: number; secret: string };
  try {
    endpoint = { ...parseHostPort(radius), secret };
  } catch (error) {
    throw new UsageError(`--radius: ${(error as Error).message}`);
  }
  const given = nasAttributes(flagReader(values));
  const attributes = plainRequestAttributes(identity, mab, given);
  const json = values.json === true;
  const verbose = values.verbose === true;
  const timeoutMs = positiveInteger(stringFlag(values, 'timeout'), '--timeout', 6000);
  const tries = positiveInteger(stringFlag(values, 'tries'), '--tries', 3);
  const what = mab ? 'mab' : 'pap';
  const server = formatHostPort(endpoint.host, endpoint.port);
  const started = Date.now();
  const report = (code: number, result: string, line: string, extra: Record<string, unknown> = {}): number => {
    if (json) {
      out(reportJson({ command: 'auth', success: code === 0, result, exitCode: code, reason: line, mode: 'radius', server,
        method: what, identity, roundTrips: result === 'accept' || result === 'reject' ? 1 : null,
        elapsedMs: Date.now() - started, insecure: false, warnings: [] }, extra));
    } else {
      (code === 0 ? out : err)(line);
    }
    return code;
  };
  try {
    if (verbose) {
      const sent = decodeReplyAttributes(attributes).map((a) => `${a.name}=${JSON.stringify(a.value)}`);
      err(`> Access-Request to ${server}: ${[...sent, 'User-Password=(hidden)'].join(', ')}`);
    }
    // The process's shared client engine, as accounting, Status-Server, CoA and Disconnect use it.
    const { reply } = await accessRequestOn(undefined, endpoint, attributes,
      { timeoutMs, tries, requireMessageAuthenticator: strict, userPassword: password });
    if (verbose) {
      const received = decodeReplyAttributes(reply.attributes).map((a) => `${a.name}=${JSON.stringify(a.value)}`);
      err(`< ${radiusCodeName(reply.code)} from ${server}${received.length ? `: ${received.join(', ')}` : ''}`);
    }
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
    if (error instanceof RadiusMessageAuthenticatorInvalidError) return report(3, 'invalid-message-authenticator', error.message);
    return report(1, 'error', `${what} authentication against ${server} failed: ${(error as Error).message}`);
  } finally {
    password.fill(0);
  }
}
