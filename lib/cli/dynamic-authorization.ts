/**
 * `eaphost disconnect` and `eaphost coa --nas HOST[:PORT] --secret S --identity ID …`: one
 * Disconnect-Request or CoA-Request (RFC 5176) to a NAS's Dynamic Authorization Server, as a RADIUS
 * server sends it, and the NAS's verdict: ACK, or NAK with its Error-Cause by name and number.
 * With --radsec, over RadSec (RFC 6614 TLS, RFC 7360 DTLS: auth's flags, port 2083 unless given,
 * the secret "radsec" or "radius/dtls" unless given), sent once.
 *
 * Exit codes: 0 ACK, 1 NAK, 2 bad usage, 3 no trustworthy answer in time (silence, which is also
 * what a NAS does with a request under a wrong secret, or answers that fail verification).
 */
import {
  DYNAMIC_AUTHORIZATION_PORT, DynamicAuthorizationReply, DynamicAuthorizationSession, CoaChanges, coaRequest,
  disconnectRequest,
} from '../radius/das/client';
import { parseHostPort, formatHostPort } from '../radius/endpoint';
import {
  RadiusAuthenticatorMismatchError, RadiusIdentifierMismatchError, RadiusMalformedError, RadiusMessageAuthenticatorInvalidError,
  RadiusMessageAuthenticatorMissingError, RadiusTimeoutError, RadSecUnansweredError,
} from '../radius/errors';
import { RADSEC_PORT } from '../radius/radsec/client';
import { flagReader, positiveInteger, requiredFlag, stringFlag } from './command-line';
import { radsecClient, radsecDefaultSecret } from './radsec-flags';
import { CommandIo, FlagValues, UsageError } from './main';
import { parseAttributeArgument } from './nas-attributes';
import { reportJson } from './report';
import { resolveSecrets } from './secrets';
import { sessionFromAccounting } from './accounting-sessions';

type Kind = 'disconnect' | 'coa';

/** A whole number from 0 to 2^32 - 1 (RADIUS integer attributes), or undefined when the flag is absent. */
function integerFlag(values: FlagValues, name: string): number | undefined {
  const text = stringFlag(values, name);
  if (text === undefined) return undefined;
  const value = Number(text);
  if (!/^\d+$/.test(text) || !Number.isSafeInteger(value) || value > 0xffffffff) {
    throw new UsageError(`--${name} must be an integer from 0 to 4294967295, not "${text}"`);
  }
  return value;
}

function session(values: FlagValues): DynamicAuthorizationSession {
  const found: DynamicAuthorizationSession = {
    userName: stringFlag(values, 'identity'),
    acctSessionId: stringFlag(values, 'session-id'),
    acctMultiSessionId: stringFlag(values, 'multi-session-id'),
    callingStationId: stringFlag(values, 'calling-station-id'),
    calledStationId: stringFlag(values, 'called-station-id'),
    framedIpAddress: stringFlag(values, 'framed-ip-address'),
    nasPort: integerFlag(values, 'nas-port'),
    nasIpAddress: stringFlag(values, 'nas-ip-address'),
    nasIdentifier: stringFlag(values, 'nas-identifier'),
  };
  const given = Object.entries(found).filter(([, value]) => value !== undefined);
  if (!given.some(([key]) => key !== 'nasIpAddress' && key !== 'nasIdentifier')) {
    throw new UsageError('name the session: --identity, --session-id, --multi-session-id, --calling-station-id, ' +
      '--called-station-id, --framed-ip-address or --nas-port (RFC 5176 §3)');
  }
  return Object.fromEntries(given) as DynamicAuthorizationSession;
}

function changes(values: FlagValues): CoaChanges {
  const out: CoaChanges = {};
  const sessionTimeout = integerFlag(values, 'session-timeout');
  const idleTimeout = integerFlag(values, 'idle-timeout');
  if (sessionTimeout !== undefined) out.sessionTimeout = sessionTimeout;
  if (idleTimeout !== undefined) out.idleTimeout = idleTimeout;
  const filterId = stringFlag(values, 'filter-id');
  if (filterId !== undefined) out.filterId = filterId;
  const state = stringFlag(values, 'reauthorize');
  if (state !== undefined) {
    const hex = state.replace(/^0x/i, '');
    if (hex.length === 0 || hex.length % 2 !== 0 || !/^[0-9a-f]+$/i.test(hex) || hex.length > 506) {
      throw new UsageError('--reauthorize takes the State as 1 to 253 bytes of hex, e.g. 0x0a0b');
    }
    out.authorizeOnlyState = Buffer.from(hex, 'hex');
  }
  return out;
}

/** "User-Name "alice", Calling-Station-Id 02-00-00-00-00-01": the session as the user named it. */
function describe(named: DynamicAuthorizationSession): string {
  const labels: Record<keyof DynamicAuthorizationSession, string> = {
    userName: 'User-Name', acctSessionId: 'Acct-Session-Id', acctMultiSessionId: 'Acct-Multi-Session-Id',
    callingStationId: 'Calling-Station-Id', calledStationId: 'Called-Station-Id', framedIpAddress: 'Framed-IP-Address',
    nasPort: 'NAS-Port', chargeableUserIdentity: 'Chargeable-User-Identity', nasIpAddress: 'NAS-IP-Address',
    nasIdentifier: 'NAS-Identifier',
  };
  return Object.entries(named).filter(([key]) => key !== 'nasIpAddress' && key !== 'nasIdentifier')
    .map(([key, value]) => `${labels[key as keyof DynamicAuthorizationSession]} ${JSON.stringify(value)}`).join(', ');
}

export async function runDynamicAuthorization(kind: Kind, values: FlagValues, { out, err }: CommandIo): Promise<number> {
  resolveSecrets(values, ['secret'], err);
  await sessionFromAccounting(values);
  // RadSec's secret unless said otherwise: "radsec" over TLS, "radius/dtls" over DTLS.
  const over = values.radsec === true;
  if (over) values.secret ??= radsecDefaultSecret(flagReader(values));
  let target: { host: string; port: number };
  try {
    target = parseHostPort(requiredFlag(values, 'nas'), over ? RADSEC_PORT : DYNAMIC_AUTHORIZATION_PORT);
  } catch (error) {
    if (error instanceof UsageError) throw error;
    throw new UsageError(`--nas: ${(error as Error).message}`);
  }
  const secret = requiredFlag(values, 'secret');
  const timeoutMs = positiveInteger(stringFlag(values, 'timeout'), '--timeout', 6000);
  if (over && values.tries !== undefined) {
    throw new UsageError('--tries applies over UDP: over RadSec a request is never sent again on its connection (RFC 6613 §2.6.1)');
  }
  const tries = positiveInteger(stringFlag(values, 'tries'), '--tries', over ? 1 : 3);
  const named = session(values);
  const attributes = ((values.attr as string[] | undefined) ?? []).map((argument) =>
    parseAttributeArgument(argument));
  const change = kind === 'coa' ? changes(values) : {};
  const radsec = radsecClient(flagReader(values), timeoutMs);
  const options = { timeoutMs, tries, eventTimestamp: values['no-event-timestamp'] !== true, ...(radsec ? { client: radsec } : {}) };

  const request = kind === 'disconnect' ? 'Disconnect-Request' : 'CoA-Request';
  const server = formatHostPort(target.host, target.port);
  const started = Date.now();
  const report = (exitCode: number, result: string, line: string, extra: Record<string, unknown> = {}): number => {
    if (values.json === true) {
      out(reportJson({ command: kind, success: exitCode === 0, result, exitCode, reason: line, mode: radsec ? 'radsec' : 'radius', server,
        method: null, identity: named.userName ?? null, roundTrips: 'code' in extra ? 1 : null,
        elapsedMs: Date.now() - started, insecure: false, warnings: [] }, extra));
    } else {
      (exitCode === 0 ? out : err)(line);
    }
    return exitCode;
  };
  let answer: DynamicAuthorizationReply;
  try {
    const endpoint = { ...target, secret };
    answer = kind === 'disconnect'
      ? await disconnectRequest(endpoint, { session: named, attributes }, options)
      : await coaRequest(endpoint, { session: named, changes: change, attributes }, options);
  } catch (error) {
    // Over RadSec the error says what the peer does (a Status-Server asked it); a refused handshake
    // or certificate says which side refused which certificate (under "error", with its words).
    if (error instanceof RadSecUnansweredError || (error instanceof RadiusTimeoutError && error.strayReplies > 0)) {
      return report(3, 'timeout', error.message);
    }
    if (error instanceof RadiusTimeoutError) {
      return report(3, 'timeout', `${error.message} (does the NAS listen for ${request}s there, does it list this ` +
        'address as a client with this secret, and do the clocks agree within its Event-Timestamp window? ' +
        'A NAS drops a request under a wrong secret without a word)');
    }
    if (error instanceof RadiusIdentifierMismatchError) return report(3, 'identifier-mismatch', error.message);
    if (error instanceof RadiusAuthenticatorMismatchError) return report(3, 'secret-mismatch', error.message);
    if (error instanceof RadiusMessageAuthenticatorMissingError) return report(3, 'no-message-authenticator', error.message);
    if (error instanceof RadiusMessageAuthenticatorInvalidError) return report(3, 'invalid-message-authenticator', error.message);
    if (error instanceof RadiusMalformedError) return report(3, 'malformed', error.message);
    if (error instanceof RangeError || error instanceof TypeError) return report(2, 'usage', `eaphost ${kind}: ${error.message}`);
    return report(3, 'error', `${request} to ${server} failed: ${(error as Error).message}`);
  } finally {
    await radsec?.close().catch(() => undefined);
  }
  const causes = answer.errorCauses.map((cause) => `Error-Cause ${cause.value} ${cause.name}`).join(', ');
  const timing = `${answer.latencyMs} ms, ${answer.tries} ${answer.tries === 1 ? 'try' : 'tries'}`;
  const extra = {
    code: answer.codeName, errorCause: answer.errorCauses[0] ?? null, errorCauses: answer.errorCauses,
    latencyMs: answer.latencyMs, tries: answer.tries,
  };
  if (answer.acknowledged) {
    const done = kind === 'disconnect' ? 'ended' : 'changed';
    return report(0, 'acknowledged', `${answer.codeName} from ${server}: the session of ${describe(named)} ${done}` +
      `${causes ? ` (${causes})` : ''} (${timing})`, extra);
  }
  return report(1, 'nak', `${answer.codeName} from ${server}: refused (${causes || 'no Error-Cause given'}) ` +
    `for the session of ${describe(named)} (${timing})`, extra);
}
