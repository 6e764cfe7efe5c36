/**
 * One audit attempt: a real authentication of the shipped peer against the RADIUS server with
 * one client behaviour (TLS versions, fragment size), watched on the way — the server's TLS
 * handshake as it crossed the wire (its version and chain), every RADIUS exchange, the verdict —
 * and read into what happened, in the audit's words.
 */
import { X509Certificate } from 'node:crypto';
import { EapCode } from '../core/constants';
import type { BeginSessionOptions } from '../core/session-options';
import { eapCodeOf, eapTypeOf } from '../core/packet';
import { RadiusAttribute, RadiusEapTransport, RadiusTimeoutError } from '../radius';
import type { RadiusClient } from '../radius/client';
import type { RadiusEndpoint } from '../radius/endpoint';
import { RadiusAuthenticatorMismatchError, RadiusMessageAuthenticatorMissingError } from '../radius/errors';
import { authenticate } from '../session/authenticate';
import type { EapHost } from '../session/eaphost';
import { ServerCertificateWatcher } from './server-certificate';

/** What one attempt came to. */
export type AttemptOutcome =
  /** Accepted. */
  | 'accept'
  /** The TLS tunnel came up; the inner authentication (or the client certificate) was refused. */
  | 'inner-rejected'
  /** The server refused the TLS handshake (no version or cipher suite in common, an alert). */
  | 'tls-refused'
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
}

const VERSION_NAMES: Record<number, string> = { 0x0301: '1.0', 0x0302: '1.1', 0x0303: '1.2', 0x0304: '1.3' };

/** The peer's failure text that says the TLS handshake never completed (native/methods/tls: tls_flow.cc, tls_engine.cc). */
const HANDSHAKE_FAILED = /refused our TLS ClientHello|before the TLS handshake was complete|sent the alert|TLS handshake failed/;

/** The server's own answer to a ClientHello it did not take: the version its ServerHello chose, else the peer's words. */
function refusal(watcher: ServerCertificateWatcher, reason: string): string {
  const version = watcher.serverVersion();
  if (version !== undefined) return `the server answered with a ServerHello for TLS ${VERSION_NAMES[version] ?? `0x${version.toString(16)}`}`;
  if (/refused our TLS ClientHello/.test(reason)) return 'EAP-Failure in answer to the ClientHello, no TLS alert';
  return reason;
}

export async function runAttempt(context: AttemptContext, plan: AttemptPlan): Promise<AttemptResult> {
  const started = Date.now();
  const watcher = new ServerCertificateWatcher();
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
  const record = (outcome: AttemptOutcome, fields: Partial<AttemptRecord> = {}): AttemptRecord => {
    const version = watcher.serverVersion();
    return {
      name: plan.name, tls: { ...plan.tls }, framedMtu: plan.framedMtu ?? 1400, outcome,
      tlsVersion: version === undefined ? null : VERSION_NAMES[version] ?? `0x${version.toString(16)}`,
      roundTrips: 0, accessRequests, resumed: false, mppeKeysMatch: null, elapsedMs: Date.now() - started, reason: null, ...fields,
    };
  };
  let session: Awaited<ReturnType<EapHost['beginSession']>> | undefined;
  try {
    session = await context.host.beginSession({
      ...context.session, insecure: true, ca: undefined, serverName: undefined,
      tls: plan.tls as BeginSessionOptions['tls'], resumption: plan.resumption === true, ...(obsolete ? { allowObsoleteTls: true } : {}),
    });
    const result = await authenticate({
      session, transport, signal: context.signal,
      onPacket: (direction, packet) => {
        if (direction !== 'in') return;
        watcher.observe(packet);
        if (packet.length > 4 && eapCodeOf(packet) === EapCode.Request && eapTypeOf(packet) === session!.methodType.type) methodRequests.count++;
      },
    });
    const chain = watcher.chain();
    const fields = { roundTrips: result.roundTrips, resumed: result.resumed === true, mppeKeysMatch: result.mppeKeysMatch ?? null };
    if (result.success) return { record: record('accept', fields), chain, evidence: null };
    const reason = result.reason ?? 'Access-Reject';
    const alert = /sent the alert "([^"]+)"/.exec(reason)?.[1];
    if (methodRequests.count === 0) {
      return { record: record('eap-refused', { ...fields, reason }), chain, evidence: reason };
    }
    if (HANDSHAKE_FAILED.test(reason)) {
      return { record: record('tls-refused', { ...fields, reason }), chain, evidence: alert ? `TLS alert "${alert}"` : refusal(watcher, reason) };
    }
    return { record: record('inner-rejected', { ...fields, reason }), chain, evidence: reason };
  } catch (error) {
    const reason = (error as Error).message;
    if (error instanceof RadiusMessageAuthenticatorMissingError) {
      return { record: record('no-message-authenticator', { reason }), chain: [], evidence: reason };
    }
    if (error instanceof RadiusTimeoutError || error instanceof RadiusAuthenticatorMismatchError) {
      return { record: record('unreachable', { reason }), chain: [], evidence: reason };
    }
    if (error instanceof TypeError || error instanceof RangeError) throw error;
    // The peer refused the server's handshake (a ServerHello of a version it did not offer, …).
    if (HANDSHAKE_FAILED.test(reason)) return { record: record('tls-refused', { reason }), chain: watcher.chain(), evidence: refusal(watcher, reason) };
    return { record: record('error', { reason }), chain: watcher.chain(), evidence: reason };
  } finally {
    await transport.close().catch(() => undefined);
    await session?.endSession().catch(() => undefined);
  }
}
