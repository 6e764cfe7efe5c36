import { RadiusClientOutcome, RadiusClientOutcomeKind } from '../native';
import { ClientEngine, sharedClientEngine } from './client-engine';
import { RadiusEndpoint } from './endpoint';
import {
  RadiusAbortedError, RadiusAuthenticatorMismatchError, RadiusIdentifierMismatchError, RadiusMalformedError,
  RadiusMessageAuthenticatorInvalidError, RadiusMessageAuthenticatorMissingError, RadiusPeerNoun, RadiusTimeoutError,
} from './errors';
import type { RadiusAttribute, RadiusPacket } from './attributes';

/**
 * One RADIUS request that is not part of an EAP conversation (Status-Server, Accounting-Request,
 * CoA-Request, Disconnect-Request), on the process's shared client engine (client-engine.ts): up to
 * `tries` transmissions spread over `timeoutMs`, the first verified answer wins. The engine
 * counts the replies from the server's address that answer no request (another Identifier,
 * another code, another port) as stray, the replies that verify as its answer under another
 * request's Identifier as misaddressed, and the replies under the request's Identifier that fail
 * verification by why; the error then says which: Identifiers off (never the secret), a wrong
 * secret (a Response Authenticator that verifies against no request out),
 * a forged or missing Message-Authenticator (never a secret mismatch), datagrams that are not
 * RADIUS, stray replies, or silence.
 */
export interface UdpExchangeOptions {
  timeoutMs: number;
  tries: number;
  signal?: AbortSignal;
  code: number;
  attributes: readonly RadiusAttribute[];
  /** A Message-Authenticator first in the request. */
  messageAuthenticator: boolean;
  /** Reply codes that answer the request. */
  answerCodes: readonly number[];
  /** Drop replies without a Message-Authenticator (BlastRADIUS, CVE-2024-3596). Default false. */
  requireMessageAuthenticator?: boolean;
  /** Each try a new packet with its own Identifier and Request Authenticator (RFC 5997 §4.1),
   *  every one of them answerable until the time is up; otherwise the same bytes again. */
  newPacketEachTry?: boolean;
  /** What the errors call the other end. Default 'RADIUS server'. */
  peer?: RadiusPeerNoun;
}

export interface UdpAnswer {
  reply: RadiusPacket;
  /** The try answered (1-based), and the time from it to the reply. */
  answeredTry: number;
  answeredAfterMs: number;
  /** Transmissions made, and the time from the first one to the reply. */
  sent: number;
  elapsedMs: number;
}

export async function udpExchange(endpoint: RadiusEndpoint, options: UdpExchangeOptions): Promise<UdpAnswer> {
  const engine = sharedClientEngine();
  const request = {
    code: options.code, attributes: options.attributes, messageAuthenticator: options.messageAuthenticator,
    requireMessageAuthenticator: options.requireMessageAuthenticator ?? false, secretProbe: false,
    answerCodes: options.answerCodes,
  };
  if (!options.newPacketEachTry) {
    // One request: the caller's signal withdraws it.
    const { outcome, server } = await engine.send(endpoint,
      { ...request, tries: options.tries, timeoutMs: options.timeoutMs, signal: options.signal });
    if (outcome.kind !== RadiusClientOutcomeKind.Reply) throw failureOf([outcome], server, outcome.sent, outcome.elapsedMs, options.peer);
    return { ...answerOf(outcome), answeredTry: outcome.sent, answeredAfterMs: outcome.elapsedMs };
  }
  // Tries of their own, which the first reply (or the caller's signal) withdraws together.
  const halt = new AbortController();
  const onAbort = (): void => halt.abort();
  options.signal?.addEventListener('abort', onAbort, { once: true });
  if (options.signal?.aborted) halt.abort();
  try {
    return await separateTries(engine, endpoint, { ...request, signal: halt.signal }, options, halt);
  } finally {
    options.signal?.removeEventListener('abort', onAbort);
  }
}

/** Try k leaves at (k-1) × timeoutMs / tries, each a request of its own that waits out the whole
 *  time; the first reply ends them all. */
function separateTries(engine: ClientEngine, endpoint: RadiusEndpoint,
  request: Omit<Parameters<ClientEngine['send']>[1], 'tries' | 'timeoutMs'>, options: UdpExchangeOptions,
  halt: AbortController): Promise<UdpAnswer> {
  const interval = Math.max(1, Math.floor(options.timeoutMs / options.tries));
  const startedAt = performance.now();
  const outcomes: RadiusClientOutcome[] = [];
  return new Promise<UdpAnswer>((resolve, reject) => {
    let sent = 0;
    let settled = false;
    let server = `${endpoint.host}:${endpoint.port}`;
    const timers: NodeJS.Timeout[] = [];
    const settle = (error: Error | undefined, answer?: UdpAnswer): void => {
      if (settled) return;
      settled = true;
      for (const timer of timers) clearTimeout(timer);
      if (error) reject(error);
      else resolve(answer!);
    };
    const tryOnce = (number: number): void => {
      if (settled || halt.signal.aborted) return;
      sent = number;
      const timeoutMs = Math.max(1, options.timeoutMs - (number - 1) * interval);
      engine.send(endpoint, { ...request, tries: 1, timeoutMs }).then(({ outcome, server: named }) => {
        server = named;
        if (outcome.kind === RadiusClientOutcomeKind.Reply) {
          settle(undefined, { ...answerOf(outcome), sent, answeredTry: number, answeredAfterMs: outcome.elapsedMs,
            elapsedMs: performance.now() - startedAt });
          halt.abort();  // the other tries
          return;
        }
        outcomes.push(outcome);
        if (outcomes.length === options.tries) settle(failureOf(outcomes, server, sent, performance.now() - startedAt, options.peer));
      }, (error: Error) => settle(error));
    };
    halt.signal.addEventListener('abort', () => settle(new RadiusAbortedError()), { once: true });
    for (let number = 1; number <= options.tries; number++) {
      timers.push(setTimeout(() => tryOnce(number), (number - 1) * interval));
    }
  });
}

function answerOf(outcome: RadiusClientOutcome): { reply: RadiusPacket; sent: number; elapsedMs: number } {
  return {
    reply: { code: outcome.code!, identifier: outcome.identifier!, authenticator: outcome.authenticator!, attributes: outcome.attributes! },
    sent: outcome.sent, elapsedMs: outcome.elapsedMs,
  };
}

/** Why no try was answered, the strongest evidence first: an answer under another request's
 *  Identifier (which proves the secret right), a wrong secret (replies that verify against no
 *  request out), then a forged or missing Message-Authenticator, then datagrams that are not
 *  RADIUS, then silence. */
function failureOf(outcomes: RadiusClientOutcome[], server: string, sent: number, elapsedMs: number,
  peer: RadiusPeerNoun = 'RADIUS server'): Error {
  const total = (key: 'unauthenticated' | 'messageAuthenticatorInvalid' | 'messageAuthenticatorMissing' | 'malformed' | 'stray'
    | 'misaddressed'): number => outcomes.reduce((sum, outcome) => sum + (outcome[key] ?? 0), 0);
  const misaddressed = total('misaddressed');
  if (misaddressed > 0) return new RadiusIdentifierMismatchError(server, misaddressed, peer);
  const unauthenticated = total('unauthenticated');
  const invalid = total('messageAuthenticatorInvalid');
  const missing = total('messageAuthenticatorMissing');
  const malformed = total('malformed');
  if (unauthenticated > 0) return new RadiusAuthenticatorMismatchError(server, unauthenticated, peer);
  if (invalid > 0) return new RadiusMessageAuthenticatorInvalidError(server, invalid, peer);
  if (missing > 0) return new RadiusMessageAuthenticatorMissingError(server, missing, peer);
  if (malformed > 0) {
    return new RadiusMalformedError(`${peer} ${server} answered only with ${malformed} ` +
      `${malformed === 1 ? 'datagram that is' : 'datagrams that are'} not well-formed RADIUS packets`);
  }
  return new RadiusTimeoutError(server, sent, Math.round(elapsedMs), total('stray'), 0, peer);
}
