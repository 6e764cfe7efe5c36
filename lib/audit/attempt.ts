/**
 * One audit attempt: a real authentication of the shipped peer against the RADIUS server with
 * one client behaviour (TLS versions, fragment size), and what it came to in the audit's words:
 * read from the peer's typed TLS outcome (the negotiated version and the chain the server sent,
 * the result's `tls`; why a handshake failed, the error's `tls`), every RADIUS exchange and the
 * verdict. Never from a failure's words, never from the TLS records.
 */
import { X509Certificate } from 'node:crypto';
import { EapCode } from '../core/constants';
import { EapError, EapTlsFailure } from '../core/errors';
import type { BeginSessionOptions } from '../core/session-options';
import { eapCodeOf, eapTypeOf } from '../core/packet';
import { RadiusAttribute, RadiusEapTransport, RadiusTimeoutError } from '../radius';
import { RadiusClient } from '../radius/client';
import type { RadiusEndpoint } from '../radius/endpoint';
import {
  RadiusAuthenticatorMismatchError, RadiusConnectionError, RadiusMessageAuthenticatorInvalidError, RadiusMessageAuthenticatorMissingError,
} from '../radius/errors';
import { authenticate } from '../session/authenticate';
import type { EapHost } from '../session/eaphost';
import { chainOf } from './certificates';

/** What one attempt came to. */
export type AttemptOutcome =
  /** Accepted. */
  | 'accept'
  /** The TLS tunnel came up; the inner authentication (or the client certificate) was refused. */
  | 'inner-rejected'
  /** The server refused the TLS handshake (no version or cipher suite in common, an alert). */
  | 'tls-refused'
  /** The server's EAP-TLS fragments broke the framing rules (RFC 5216 §2.1.5): no TLS to judge. */
  | 'tls-framing'
  /** The server never started the method: rejected at the identity. */
  | 'eap-refused'
  /** No trustworthy answer: timeout, or replies that fail the shared secret's check. */
  | 'unreachable'
  /** Replies without Message-Authenticator were dropped (the attempt is run again accepting them). */
  | 'no-message-authenticator'
  | 'error';

export interface AttemptPlan {
  /** A short name: tls1.2, tls1.3, tls1.0-1.1, resumption, fragments-500. */
  name: string;
  tls: { min: '1.0' | '1.1' | '1.2' | '1.3'; max: '1.0' | '1.1' | '1.2' | '1.3' };
  /** Framed-MTU sent with every Access-Request (the transport's default is 1400). */
  framedMtu?: number;
  /** Offer and keep TLS sessions (the peer's resumption); off by default, so every other attempt
   *  is a full handshake that shows the server's chain. */
  resumption?: boolean;
  /** Accept replies without Message-Authenticator (after a run that found them missing). */
  acceptUnsignedReplies?: boolean;
}

export interface AttemptRecord {
  name: string;
  tls: { min: string; max: string };
  framedMtu: number;
  outcome: AttemptOutcome;
  /** The version the server's ServerHello chose, as "1.2", when one was seen. */
  tlsVersion: string | null;
  roundTrips: number;
  accessRequests: number;
  /** The peer resumed an earlier TLS session (only the resumption attempt asks for it). */
  resumed: boolean;
  /** At success: whether the server's MS-MPPE keys equal the MSK the peer derived. */
  mppeKeysMatch: boolean | null;
  elapsedMs: number;
  /** The peer's or the transport's words for a failure. */
  reason: string | null;
}

export interface AttemptContext {
  host: EapHost;
  server: RadiusEndpoint;
  client?: Pick<RadiusClient, 'accessRequest' | 'close'>;
  /** The session options every attempt shares: method, identity, password and the method's own
   *  settings (phase2, innerMethod, anonymousIdentity, the EAP-TLS certificate). Never the trust:
   *  each attempt runs with `insecure`, and the audit judges the chain itself. */
  session: BeginSessionOptions;
  timeoutMs: number;
  tries: number;
  attributes: RadiusAttribute[];
  /** Called with every Access-Request sent (tries included); an abort stops the attempt. */
  countRequests: (tries: number) => void;
  signal: AbortSignal;
}

export interface AttemptResult {
  record: AttemptRecord;
  /** The chain the server sent (leaf first), when it crossed in the clear (TLS 1.2 and older). */
  chain: X509Certificate[];
  /** The server's words when it refused: a TLS alert's name or its EAP-Failure. */
  evidence: string | null;
  /** The peer refused to begin with the options given (a PKCS#12 its passphrase does not open, a
   *  store certificate off Windows): no server was asked, the caller's configuration is at fault. */
  unusable?: EapError;
}

const VERSION_NAMES: Record<number, string> = { 0x0301: '1.0', 0x0302: '1.1', 0x0303: '1.2', 0x0304: '1.3' };

/** The alert description that says "a version I do not take" (RFC 8446 §6.2). */
const PROTOCOL_VERSION = 70;

const versionName = (wire: number): string => VERSION_NAMES[wire] ?? `0x${wire.toString(16)}`;

/** What a typed TLS failure makes of the attempt. */
const refusedAs = (failure: EapTlsFailure): AttemptOutcome => (failure.reason === 'framing' ? 'tls-framing' : 'tls-refused');

/** Why the handshake failed, in the audit's words, from the peer's typed failure (a framing
 *  failure with the peer's own words besides, which name the octets). */
function refusal(failure: EapTlsFailure, reason: string): string {
  const alert = failure.alert ? `${failure.alert.name} (${failure.alert.code})` : undefined;
  switch (failure.reason) {
    case 'alert-received': return `TLS alert ${alert} from the server`;
    case 'local-failure':
      // protocol_version (RFC 8446 §6.2): the server chose a version the peer did not offer.
      return failure.alert?.code === PROTOCOL_VERSION ? `the server answered with a TLS version not offered (the peer's alert ${alert})`
        : `the peer refused the server's handshake${alert ? ` (its alert ${alert})` : ''}`;
    case 'hello-refused': return 'EAP-Failure in answer to the ClientHello, no TLS alert';
    case 'ended-before-handshake': return 'EAP-Failure before the TLS handshake was complete';
    case 'no-progress': return 'the TLS handshake made no progress';
    case 'framing': return `the server's EAP-TLS fragments break RFC 5216 §2.1.5: ${reason}`;
  }
}

/** The Access-Requests a failed exchange sent that no reply the audit took accounts for: every
 *  try of a timeout, one per reply it dropped otherwise (each answered a try). */
function unansweredRequests(error: unknown): number {
  if (error instanceof RadiusTimeoutError) return error.tries;
  if (error instanceof RadiusAuthenticatorMismatchError) return error.rejectedReplies;
  if (error instanceof RadiusMessageAuthenticatorMissingError || error instanceof RadiusMessageAuthenticatorInvalidError) {
    return error.droppedReplies;
  }
  return 0;
}

/** No reply the client could trust: none came, or none verified (the shared secret, the
 *  Message-Authenticator), or the connection under the requests failed. */
const untrusted = (error: unknown): boolean => error instanceof RadiusTimeoutError || error instanceof RadiusAuthenticatorMismatchError ||
  error instanceof RadiusMessageAuthenticatorInvalidError || error instanceof RadiusConnectionError;

/**
 * Runs one attempt. Over UDP through a client of its own, whose counters say what went out:
 * every Access-Request, retransmissions and the secret probe included, answered or not (the
 * server's count, not only the replies'). A given client (RadSec) counts by its exchanges.
 */
export async function runAttempt(context: AttemptContext, plan: AttemptPlan): Promise<AttemptResult> {
  if (context.client) return attempt(context, plan);
  const own = new RadiusClient({ timeoutMs: context.timeoutMs, tries: context.tries, requireMessageAuthenticator: plan.acceptUnsignedReplies !== true });
  let counted = 0;
  try {
    const result = await attempt({ ...context, client: own, countRequests: (tries) => { counted += tries; context.countRequests(tries); } }, plan);
    const { requests, retransmissions, secretProbes } = own.stats;
    const sent = requests + retransmissions + secretProbes;
    if (sent > counted) context.countRequests(sent - counted);
    result.record.accessRequests = sent;
    return result;
  } finally {
    await own.close();
  }
}

async function attempt(context: AttemptContext, plan: AttemptPlan): Promise<AttemptResult> {
  const started = Date.now();
  const methodRequests = { count: 0 };
  let accessRequests = 0;
  const transport = new RadiusEapTransport({
    server: context.server, timeoutMs: context.timeoutMs, tries: context.tries, attributes: context.attributes,
    requireMessageAuthenticator: plan.acceptUnsignedReplies !== true,
    ...(context.client ? { client: context.client } : {}),
    ...(plan.framedMtu !== undefined ? { framedMtu: plan.framedMtu } : {}),
    onExchange: (event) => {
      accessRequests += event.reply.tries;
      context.countRequests(event.reply.tries);
    },
  });
  const obsolete = plan.tls.min === '1.0' || plan.tls.min === '1.1';
  let version = 0;
  const record = (outcome: AttemptOutcome, fields: Partial<AttemptRecord> = {}): AttemptRecord => ({
    name: plan.name, tls: { ...plan.tls }, framedMtu: plan.framedMtu ?? 1400, outcome,
    tlsVersion: version === 0 ? null : versionName(version),
    roundTrips: 0, accessRequests, resumed: false, mppeKeysMatch: null, elapsedMs: Date.now() - started, reason: null, ...fields,
  });
  let session: Awaited<ReturnType<EapHost['beginSession']>> | undefined;
  try {
    session = await context.host.beginSession({
      ...context.session, insecure: true, ca: undefined, serverName: undefined,
      tls: plan.tls as BeginSessionOptions['tls'], resumption: plan.resumption === true, ...(obsolete ? { allowObsoleteTls: true } : {}),
    });
    const result = await authenticate({
      session, transport, signal: context.signal,
      onPacket: (direction, packet) => {
        if (direction === 'in' && packet.length > 4 && eapCodeOf(packet) === EapCode.Request && eapTypeOf(packet) === session!.methodType.type) {
          methodRequests.count++;
        }
      },
    });
    version = result.peerResult?.tls?.version ?? 0;
    const chain = chainOf(result.peerResult?.tls?.serverCertificates);
    const fields = { roundTrips: result.roundTrips, resumed: result.resumed === true, mppeKeysMatch: result.mppeKeysMatch ?? null };
    if (result.success) return { record: record('accept', fields), chain, evidence: null };
    const reason = result.reason ?? 'Access-Reject';
    if (methodRequests.count === 0) {
      return { record: record('eap-refused', { ...fields, reason }), chain, evidence: reason };
    }
    const failure = result.error?.tls;
    if (failure) return { record: record(refusedAs(failure), { ...fields, reason }), chain, evidence: refusal(failure, reason) };
    return { record: record('inner-rejected', { ...fields, reason }), chain, evidence: reason };
  } catch (error) {
    const reason = (error as Error).message;
    const unanswered = unansweredRequests(error);
    if (unanswered > 0) {
      accessRequests += unanswered;
      context.countRequests(unanswered);
    }
    if (error instanceof RadiusMessageAuthenticatorMissingError) {
      return { record: record('no-message-authenticator', { reason }), chain: [], evidence: reason };
    }
    if (untrusted(error)) return { record: record('unreachable', { reason }), chain: [], evidence: reason };
    if (error instanceof TypeError || error instanceof RangeError) throw error;
    if (session === undefined && error instanceof EapError) {
      return { record: record('error', { reason }), chain: [], evidence: reason, unusable: error };
    }
    // The peer refused the server's handshake (a ServerHello of a version it did not offer), or
    // the server's alert ended it.
    if (error instanceof EapError && error.tls) {
      return { record: record(refusedAs(error.tls), { reason }), chain: chainOf(error.tls.serverCertificates), evidence: refusal(error.tls, reason) };
    }
    // The server never started the method (Request/Identity for ever, say): no TLS to judge.
    if (methodRequests.count === 0 && !context.signal.aborted) {
      return { record: record('unreachable', { reason }), chain: [], evidence: `the server did not start TLS: ${reason}` };
    }
    return { record: record('error', { reason }), chain: [], evidence: reason };
  } finally {
    await transport.close().catch(() => undefined);
    await session?.endSession().catch(() => undefined);
  }
}
