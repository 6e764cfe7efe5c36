/**
 * Runs one whole EAP conversation: a peer session (EAPHost, real or portable) against an
 * EapTransport (the embedded authenticator, or a RADIUS server). Success means both sides
 * agree: the authenticator sent EAP-Success and the peer's method result is a success.
 */
import { bounded, checkRoundTripBound } from '../core/abortable';
import { AuthenticationResult, authenticationResult, resultSecrets } from './authentication-result';
import { EapError, Win32, abortError } from '../core/errors';
import { checkSignal } from '../core/input-checks';
import { BeginSessionOptions, ConverseOutcome, EapHost, EapHostResult, EapHostSession, PreparedBegin } from './eaphost';
import type { NativeWholeAuthentication } from '../native/contract';
import { InProcessPairing } from './in-process-pairing';
import { answerInvokeUi } from '../profile/interactive-ui';
import { EapTransport, TransportReply } from '../core/transport';

export type { AuthenticationResult } from './authentication-result';

export interface AuthenticateOptions {
  /** The EAPHost session to run; the caller ends it. Or `host` and `begin` instead. */
  session?: EapHostSession;
  /** With `begin`, instead of `session`: the session `host` begins with `begin` (beginSession's
   *  options) for this authentication alone, ended before the promise settles, whatever the
   *  outcome. Against the embedded authenticator, with `begin.identity` given and a user store
   *  that is a plain table, the whole authentication, the session's beginning and end included,
   *  is one native job. The session's keys are zero-filled once it ends, so the result leaves
   *  out `msk` and `emsk` and its key attributes read as zeros; `mppeKeysMatch` still says
   *  whether the authenticator released the peer's keys. To keep the keys, begin the session. */
  host?: EapHost;
  begin?: BeginSessionOptions;
  transport: EapTransport;
  signal?: AbortSignal;
  /** Sees every EAP packet: 'in' from the authenticator, 'out' from the peer. */
  onPacket?: (direction: 'in' | 'out', packet: Buffer) => void;
  /** Bound on request/response exchanges (a safety net against endless conversations). */
  maxRoundTrips?: number;
}

/** What one authentication runs with, checked. */
interface Conversation {
  transport: EapTransport;
  onPacket?: (direction: 'in' | 'out', packet: Buffer) => void;
  signal?: AbortSignal;
  maxRoundTrips: number;
  /** The result keeps the MSK and EMSK: the caller's session outlives it. A session of
   *  authenticate()'s own ends with it, zero-filling them: its result has none. */
  keepKeys: boolean;
}

/** Not an async function: an authentication one native job runs whole settles with one reaction
 *  on that job's promise, not behind the frames of async functions returning promises. */
export function authenticate(options: AuthenticateOptions): Promise<AuthenticationResult> {
  try {
    return authenticateChecked(options);
  } catch (error) {
    return Promise.reject(error);
  }
}

function authenticateChecked(options: AuthenticateOptions): Promise<AuthenticationResult> {
  if (typeof options !== 'object' || options === null) throw new TypeError('options must be an object');
  const { session, host, begin, transport, onPacket } = options;
  if (session !== undefined || host === undefined) {
    if (!(session instanceof EapHostSession)) throw new TypeError('session must be an EapHostSession (or give host and begin)');
    if (host !== undefined || begin !== undefined) throw new TypeError('give session, or host and begin, not both');
  } else {
    if (!(host instanceof EapHost)) throw new TypeError('host must be an EapHost');
    if (typeof begin !== 'object' || begin === null) throw new TypeError("begin must be an object (beginSession's options)");
  }
  if (typeof transport !== 'object' || transport === null || typeof transport.begin !== 'function' ||
      typeof transport.respond !== 'function') {
    throw new TypeError('transport must be an EapTransport');
  }
  if (onPacket !== undefined && typeof onPacket !== 'function') throw new TypeError('onPacket must be a function');
  const conversation: Conversation = {
    transport, onPacket, signal: checkSignal(options.signal), maxRoundTrips: checkRoundTripBound(options.maxRoundTrips, 64),
    keepKeys: session !== undefined,
  };
  if (session) {
    // Against the embedded authenticator the rounds up to each question to the user store are
    // one native hop, and the peer's processing of the outcome comes with the step that made it
    // (InProcessPairing); with the store's answer known ahead, the whole conversation is one.
    return authenticateSession(session, conversation, InProcessPairing.of(session, transport, onPacket !== undefined));
  }
  return authenticateAlone(host as EapHost, begin as BeginSessionOptions, conversation);
}

/** authenticate() with the caller's session: the whole conversation in one job when the pairing
 *  can run it so (InProcessPairing.whole), hop by hop otherwise or from where that job stopped. */
function authenticateSession(session: EapHostSession, conversation: Conversation,
                             pairing: InProcessPairing | undefined): Promise<AuthenticationResult> {
  const signal = conversation.signal;
  if (signal?.aborted) throw abortError('authenticate');
  const whole = pairing?.whole(signal, conversation.maxRoundTrips);
  if (!whole) return converse(conversation, session, pairing);
  return whole.then((out) => {
    if (out) return sessionWholeResult(out, session, signal);
    if (signal?.aborted) return abortedAfterStart(conversation, pairing as InProcessPairing, false);
    return converse(conversation, session, pairing);
  });
}

/** authenticate() with a session of its own: begun, run and ended; against the embedded
 *  authenticator, begun in the hop that starts the conversation (and ended in the last one, when
 *  that has the result), or the whole authentication in that one job. */
function authenticateAlone(host: EapHost, begin: BeginSessionOptions, conversation: Conversation):
    Promise<AuthenticationResult> {
  if (conversation.signal?.aborted) throw abortError('authenticate');
  // Without a turn of the event loop when it can: the hop is posted in this call, as with a session.
  const preparing = host.prepareBegin(begin);
  if (preparing instanceof Promise) return preparing.then((prepared) => aloneWith(host, prepared, conversation));
  return aloneWith(host, preparing, conversation);
}

function aloneWith(host: EapHost, prepared: PreparedBegin, conversation: Conversation): Promise<AuthenticationResult> {
  const pairing = InProcessPairing.beginning(host, prepared, conversation.transport, conversation.onPacket !== undefined);
  // The whole authentication in one job, when the store's answer is known and nobody looks at
  // the packets; a job that stops short leaves the pairing to go on from where it stopped. The
  // job wipes what the beginning made once the call has its copy.
  let whole: ReturnType<InProcessPairing['whole']>;
  try {
    whole = pairing?.whole(conversation.signal, conversation.maxRoundTrips);
  } catch (error) {
    prepared.wipe();
    throw error;
  }
  if (!whole) return aloneHopByHop(host, prepared, conversation, pairing);
  return whole.then((out) => {
    if (out) return wholeResult(out, prepared, conversation.signal);
    if (conversation.signal?.aborted) return abortedAfterStart(conversation, pairing as InProcessPairing);
    return aloneHopByHop(host, prepared, conversation, pairing);
  });
}

/** An abort while a job ran that stopped short: noticed where the conversation's begin() notices
 *  it after its first hop, the conversation the job started ended, and the session too when it
 *  is authenticate()'s own (`endSession`). */
async function abortedAfterStart(conversation: Conversation, pairing: InProcessPairing, endSession = true): Promise<never> {
  await conversation.transport.close().catch(() => undefined);
  if (endSession) await pairing.session?.endSession().catch(() => undefined);
  throw abortError('begin');
}

async function aloneHopByHop(host: EapHost, prepared: PreparedBegin, conversation: Conversation,
                             pairing: InProcessPairing | undefined): Promise<AuthenticationResult> {
  let session: EapHostSession | undefined;
  let result: AuthenticationResult;
  try {
    if (!pairing) session = await host.beginPrepared(prepared);
    result = await converse(conversation, session, pairing);
  } catch (error) {
    // The authentication's error is the one to report: a failing end after it adds nothing.
    await (session ?? pairing?.session)?.endSession().catch(() => undefined);
    throw error;
  } finally {
    prepared.wipe();
  }
  await (session ?? pairing?.session)?.endSession();
  if (pairing?.endError) throw pairing.endError;
  return result;
}

/** The authenticator's last reply as a job's summary gives it: its outcome, attributes and error. */
function wholeReply(out: NativeWholeAuthentication): Pick<TransportReply, 'kind' | 'attributes' | 'reason' | 'error'> {
  const attributes = out[1];
  const authenticatorError = out[2];
  return out[0] === 2
    ? { kind: 'success', attributes }
    : { kind: 'failure', attributes, reason: authenticatorError?.message ?? 'EAP-Failure', error: authenticatorError };
}

/** authenticate()'s result of an authentication one job concluded, its session ended in that job:
 *  no keys kept, what held them zero-filled, as a session's are when it ends. An abort while the
 *  job ran rejects as the conversation's begin() would have noticed it after a first hop that
 *  went as far. The summary is read by index: a destructuring pattern steps an iterator over it. */
function wholeResult(out: NativeWholeAuthentication, begun: PreparedBegin, signal: AbortSignal | undefined):
    AuthenticationResult {
  const attributes = out[1];
  const peerResult = out[6];
  const endError = out[7];
  const result = authenticationResult(wholeReply(out), peerResult, begun.args[0], begun.identity ?? '', out[5], false);
  for (let i = 0; i < attributes.length; i++) attributes[i].value.fill(0);
  const peerAttributes = peerResult.attributes;
  for (let i = 0; i < peerAttributes.length; i++) peerAttributes[i].value.fill(0);
  if (signal?.aborted) throw abortError('begin');
  if (endError) throw endError;
  return result;
}

/** authenticate()'s result of a conversation one job concluded on the caller's `session`, which
 *  goes on: the keys kept, and every buffer that may hold key material (the peer's result
 *  attributes, the authenticator's, the MSK and EMSK) held by the session until it ends. An abort
 *  while the job ran rejects as in wholeResult(). */
function sessionWholeResult(out: NativeWholeAuthentication, session: EapHostSession, signal: AbortSignal | undefined):
    AuthenticationResult {
  const peerResult = out[6];
  const reply = wholeReply(out);
  const result = authenticationResult(reply, peerResult, session.methodType.type, session.identity ?? '', out[5], true);
  const secrets = resultSecrets(reply, result);
  const peerAttributes = peerResult.attributes;
  for (let i = 0; i < peerAttributes.length; i++) secrets.push(peerAttributes[i].value);
  session.holdSecrets(secrets);
  if (signal?.aborted) throw abortError('begin');
  return result;
}

async function converse(conversation: Conversation, given: EapHostSession | undefined,
                        pairing: InProcessPairing | undefined): Promise<AuthenticationResult> {
  const { transport, onPacket, signal, maxRoundTrips, keepKeys } = conversation;
  const check = () => { if (signal?.aborted) throw abortError('authenticate'); };

  let roundTrips = 0;
  let reply: TransportReply;
  let session = given;
  try {
    check();
    // Raced against the signal too: a transport that ignores it must not outlive an abort. The
    // pairing's hops are not raced: they hold the session, which the caller may end once this
    // returns, and every wait inside them (the user store, a retransmission timer) heeds the signal.
    reply = await (pairing ? pairing.begin(signal, maxRoundTrips) : bounded(transport.begin({ signal }), 'authenticate', signal));
    // A pairing that began its session has it now.
    session ??= (pairing as InProcessPairing).session as EapHostSession;
    while (reply.kind === 'request') {
      check();
      if (!reply.packet) throw new EapError({ win32Error: Win32.ERROR_INVALID_DATA, call: 'authenticate', rootCause: 'request without packet' });
      onPacket?.('in', reply.packet);
      // Rounds a hop already ran come back at once, without a turn of the event loop.
      let paired = pairing && roundTrips < maxRoundTrips ? pairing.exchange(reply.packet, maxRoundTrips - roundTrips) : undefined;
      if (paired instanceof Promise) paired = await paired;
      const exchanged: ConverseOutcome = paired ?? await session.exchange(reply.packet);
      // Rounds the hop went through on its own, as if each had been a hop of this loop.
      const passed = exchanged.passed;
      if (typeof passed === 'number') {
        // Counted only (no onPacket): nothing ran between them that could have aborted.
        roundTrips += passed;
        check();
      } else if (passed) {
        for (const round of passed) {
          onPacket?.('out', round.response);
          ++roundTrips;
          check();
          onPacket?.('in', round.request);
        }
      }
      if (exchanged.exchangeError) throw exchanged.exchangeError;
      if (pairing && (exchanged.step || exchanged.stepError)) {
        // The authenticator already has the response: the same steps as below, in one hop.
        onPacket?.('out', exchanged.packet as Buffer);
        ++roundTrips;
        check();
        reply = await pairing.continueFrom(exchanged, signal, maxRoundTrips - roundTrips);
        continue;
      }
      let action = exchanged.action;
      let response = exchanged.packet;
      if (action === 'discard') {
        // RFC 3748 §4.1/§4.3: the peer drops a malformed request and waits; the authenticator
        // retransmits when its timer runs out. Discards count against maxRoundTrips.
        if (++roundTrips > maxRoundTrips) throw noOutcome(maxRoundTrips);
        reply = await awaitRetransmission(transport, signal);
        continue;
      }
      if (action === 'invokeUi') {
        // Answered from the credentials given to beginSession, or a typed "credentials missing".
        ({ action, packet: response } = await answerInvokeUi(session));
      }
      if (action === 'respond') {
        // As Microsoft's sample supplicant does: read the method's attributes, then always set them.
        action = await session.setResponseAttributes(await session.getResponseAttributes());
        if (action === 'send') response = await session.getSendPacket();
      }
      if (action !== 'send' || !response) {
        throw new EapError({
          win32Error: Win32.ERROR_NOT_SUPPORTED, call: 'EapHostPeerProcessReceivedPacket', origin: 'host',
          rootCause: `the peer answered a request with action "${action}"${action === 'invokeUi' ? ': the method needs UI, which this library cannot show' : ''}`,
        });
      }
      onPacket?.('out', response);
      if (++roundTrips > maxRoundTrips) throw noOutcome(maxRoundTrips);
      check();
      reply = await bounded(transport.respond(response, { signal }), 'authenticate', signal);
    }

    let peerResult: EapHostResult | undefined;
    if (reply.packet) {
      onPacket?.('in', reply.packet);
      // ProcessReceivedPacket, then GetResult('fromMethod') on 'result': one hop, or none when
      // the hop that made the outcome already had the peer process it.
      const conclusion = pairing?.takeConclusion(reply.packet) ?? await session.conclude(reply.packet);
      peerResult = conclusion.result;
    }
    if (!peerResult) {
      // No acceptable Success/Failure reached the peer (e.g. the authenticator gave up
      // silently): the peer's lower layer reports a timeout.
      peerResult = await session.getResult('timeout').catch(() => undefined);
    }
    const identity = session.identity ?? await session.getAuthIdentity().catch(() => '');
    const result = authenticationResult(reply, peerResult, session.methodType.type, identity, roundTrips, keepKeys);
    // Everything that may hold key material lives until the session ends, not longer.
    const secrets = resultSecrets(reply, result);
    if (secrets.length > 0) session.holdSecrets(secrets);
    return result;
  } finally {
    if (!pairing || pairing.open) await transport.close().catch(() => undefined);
  }
}

function noOutcome(maxRoundTrips: number): EapError {
  return new EapError({ win32Error: Win32.ERROR_INVALID_STATE, call: 'authenticate', origin: 'host',
    rootCause: `no outcome after ${maxRoundTrips} round trips` });
}

/** After the peer discarded a request: what the authenticator sends next without a response. */
function awaitRetransmission(transport: EapTransport, signal: AbortSignal | undefined): Promise<TransportReply> {
  if (typeof transport.retransmission !== 'function') {
    return Promise.reject(new EapError({
      win32Error: Win32.ERROR_INVALID_DATA, call: 'EapHostPeerProcessReceivedPacket', origin: 'host',
      rootCause: 'the peer discarded a malformed request, and this transport cannot wait for its retransmission',
    }));
  }
  return bounded(transport.retransmission({ signal }), 'authenticate', signal);
}
