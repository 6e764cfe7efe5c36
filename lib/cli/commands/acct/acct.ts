/**
 * `eaphost acct start|stop|update --radius HOST:PORT --secret S --identity ID [--session-id ID]`:
 * one Accounting-Request (RFC 2866) as a NAS sends it when a session starts, ends or is updated,
 * and whether the server acknowledged it. Stop and update carry Acct-Session-Time (--session-time,
 * default 0) and the octet / packet counters when given.
 *
 * Exit codes: 0 Accounting-Response received, 2 bad usage, 3 no trustworthy answer in time.
 */
import { randomBytes } from 'node:crypto';
import { RadiusAttribute, RadiusTimeoutError } from '../../../radius';
import { formatHostPort, parseHostPort } from '../../../radius/endpoint';
import { RadiusAuthenticatorMismatchError } from '../../../radius/errors';
import { accountingRequest, AcctStatusType } from '../../../radius/accounting';
import { encodeAttributes, integerOf, textOf, TypedAttribute } from '../../../radius/attribute-codec';
import { flagReader, stringFlag } from '../../command-line';
import { radsecClient, radsecDefaultSecret } from '../../radsec-flags';
import { CommandIo, ParsedArgs, UsageError } from '../../main';
import { nasAttributes } from '../../nas-attributes';
import { reportJson } from '../../report';
import { resolveSecrets } from '../../secrets';

const STATUS: Record<string, number> = {
  start: AcctStatusType.Start, stop: AcctStatusType.Stop, update: AcctStatusType.InterimUpdate,
};
/** RFC 2866 §5: Acct-Status-Type 40, Acct-Input-Octets 42, Acct-Output-Octets 43, Acct-Session-Id 44,
 *  Acct-Session-Time 46, Acct-Terminate-Cause 49; RFC 2865: User-Name 1, NAS-Identifier 32. */
const ATTRIBUTE = { userName: 1, nasIdentifier: 32, nasIp: 4, nasIp6: 95, statusType: 40, inputOctets: 42, outputOctets: 43,
  sessionId: 44, sessionTime: 46, terminateCause: 49 } as const;
/** Acct-Terminate-Cause User-Request (RFC 2866 §5.10), the default for stop. */
const USER_REQUEST = 1;

function integer(text: string | undefined, name: string, fallback: number, min = 0): number {
  if (text === undefined) return fallback;
  const value = Number(text);
  if (!/^\d+$/.test(text) || !Number.isSafeInteger(value) || value < min || value > 0xffffffff) {
    throw new UsageError(`${name} must be an integer from ${min} to 4294967295, not "${text}"`);
  }
  return value;
}

export async function runAcct({ values, positionals }: ParsedArgs, { out, err }: CommandIo): Promise<number> {
  resolveSecrets(values, ['secret'], err);
  if (positionals.length !== 1 || !Object.prototype.hasOwnProperty.call(STATUS, positionals[0])) {
    throw new UsageError(`say start, stop or update${positionals.length ? `, not "${positionals.join(' ')}"` : ''}`);
  }
  const kind = positionals[0];
  // RadSec's secret unless said otherwise: "radsec" over TLS, "radius/dtls" over DTLS.
  if (values.radsec === true) values.secret ??= radsecDefaultSecret(flagReader(values));
  for (const required of ['radius', 'secret', 'identity'] as const) {
    if (values[required] === undefined || values[required] === '') throw new UsageError(`--${required} is required`);
  }
  let endpoint: { host: string; port: number; secret: string };
  try {
    endpoint = { ...parseHostPort(stringFlag(values, 'radius')!), secret: stringFlag(values, 'secret')! };
  } catch (error) {
    throw new UsageError(`--radius: ${(error as Error).message}`);
  }
  const timeoutMs = integer(stringFlag(values, 'timeout'), '--timeout', 6000, 1);
  const tries = integer(stringFlag(values, 'tries'), '--tries', 3, 1);
  const radsec = radsecClient(flagReader(values), timeoutMs);
  if (radsec && values.tries !== undefined) {
    throw new UsageError('--tries applies over UDP: over RadSec a request is never sent again on its connection (RFC 6613 §2.6.1)');
  }
  // A fresh session gets a random id; stop and update must name the session they belong to.
  if (values['session-id'] === undefined && kind !== 'start') {
    throw new UsageError(`acct ${kind} needs --session-id, the id its start carried`);
  }
  const sessionId = stringFlag(values, 'session-id') ?? randomBytes(8).toString('hex').toUpperCase();
  if (sessionId === '' || Buffer.byteLength(sessionId) > 253) throw new UsageError('--session-id holds 1 to 253 bytes');
  const given = nasAttributes(flagReader(values));
  const typed: TypedAttribute[] = [
    integerOf(ATTRIBUTE.statusType, STATUS[kind]), textOf(ATTRIBUTE.sessionId, sessionId),
    textOf(ATTRIBUTE.userName, stringFlag(values, 'identity')!),
  ];
  // RFC 2866 §4.1: an Accounting-Request carries NAS-IP-Address or NAS-Identifier.
  if (!given.some((attribute) => [ATTRIBUTE.nasIdentifier, ATTRIBUTE.nasIp, ATTRIBUTE.nasIp6].includes(attribute.type as 4))) {
    typed.push(textOf(ATTRIBUTE.nasIdentifier, 'eaphost'));
  }
  if (kind !== 'start') {
    typed.push(integerOf(ATTRIBUTE.sessionTime, integer(stringFlag(values, 'session-time'), '--session-time', 0)));
    for (const [flag, type] of [['input-octets', ATTRIBUTE.inputOctets], ['output-octets', ATTRIBUTE.outputOctets]] as const) {
      if (values[flag] !== undefined) typed.push(integerOf(type, integer(stringFlag(values, flag), `--${flag}`, 0)));
    }
  }
  if (kind === 'stop') {
    typed.push(integerOf(ATTRIBUTE.terminateCause, integer(stringFlag(values, 'terminate-cause'), '--terminate-cause', USER_REQUEST, 1)));
  } else if (values['terminate-cause'] !== undefined) {
    throw new UsageError('--terminate-cause belongs to acct stop');
  }
  let attributes: RadiusAttribute[];
  try {
    attributes = [...encodeAttributes(typed), ...given];
  } catch (error) {
    // The identity is the one value not checked above: more than 253 bytes does not fit.
    throw new UsageError(`--identity: ${(error as Error).message}`);
  }
  const server = formatHostPort(endpoint.host, endpoint.port);
  const identity = stringFlag(values, 'identity')!;
  const started = Date.now();
  const report = (code: number, result: string, line: string, extra: Record<string, unknown> = {}): number => {
    if (values.json === true) {
      out(reportJson({ command: 'acct', success: code === 0, result, exitCode: code, reason: line, mode: radsec ? 'radsec' : 'radius', server,
        method: null, identity, roundTrips: code === 0 ? 1 : null, elapsedMs: Date.now() - started, insecure: false,
        warnings: [] }, { statusType: kind, sessionId, ...extra }));
    } else {
      (code === 0 ? out : err)(line);
    }
    return code;
  };
  try {
    const answer = radsec
      ? await radsec.accountingRequest(endpoint, attributes, { timeoutMs }).then(() => ({ latencyMs: Date.now() - started, tries: 1 }))
        .finally(() => radsec.close())
      : await accountingRequest(endpoint, attributes, { timeoutMs, tries });
    return report(0, 'acknowledged', `Accounting-Response from ${server}: ${kind} of session ${sessionId} for ` +
      `"${identity}" acknowledged (${answer.latencyMs} ms, ${answer.tries} ${answer.tries === 1 ? 'try' : 'tries'})`,
    { latencyMs: answer.latencyMs, tries: answer.tries });
  } catch (error) {
    if (error instanceof RadiusTimeoutError) return report(3, 'timeout', error.message);
    if (error instanceof RadiusAuthenticatorMismatchError) return report(3, 'secret-mismatch', error.message);
    if (error instanceof TypeError || error instanceof RangeError) return report(2, 'error', error.message);
    return report(3, 'error', `accounting against ${server} failed: ${(error as Error).message}`);
  }
}
