/**
 * Runs one whole EAP conversation: a peer session (EAPHost, real or portable) against an
 * EapTransport (the embedded authenticator, or a RADIUS server). Success means both sides
 * agree: the authenticator sent EAP-Success and the peer's method result is a success.
 *
 * Against the embedded authenticator the conversation driver runs both sides natively
 * (conversation_binding.cc): each driver call goes on until the conversation needs JavaScript
 * (the user store, a peer action that is not a response, the outcome), so with a plain table and
 * a session begun here the whole authentication is one host-thread job. Against any other
 * transport the peer takes each request in one driver call of its own.
 */
import { bounded, checkRoundTripBound } from '../core/abortable';
import { AuthenticationResult, authenticationResult, resultSecrets } from './authentication-result';
import { AuthenticatorConversation, DriverPeer, replyOf } from './authenticator-conversation';
import { beginPrepared, beginWithPeer, holdUntilEnd, prepareBegin, runWithPeer, sessionCall } from './internal';
import { EapError, Win32, abortError } from '../core/errors';
import { checkSignal } from '../core/input-checks';
import type { ResponseAction } from '../core/constants';
import {
  BeginSessionOptions, EapHost, EapHostResult, EapHostSession, PreparedBegin, responseActionName,
} from './eaphost';
import { binding } from '../native';
import type { ConversationPeer, ConversationResult } from '../native/contract';
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

/** What one authentication runs with, checked, and how far it got. */
interface Run {
  transport: EapTransport;
  onPacket?: (direction: 'in' | 'out', packet: Buffer) => void;
  signal?: AbortSignal;
  maxRoundTrips: number;
  /** The result keeps the MSK and EMSK: the caller's session outlives it. A session of
   *  authenticate()'s own ends with it, zero-filling them: its result has none. */
  keepKeys: boolean;
  roundTrips: number;
}

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
  const run: Run = {
    transport, onPacket, signal: checkSignal(options.signal), maxRoundTrips: checkRoundTripBound(options.maxRoundTrips, 64),
    keepKeys: session !== undefined, roundTrips: 0,
  };
  if (run.signal?.aborted) throw abortError('authenticate');
  if (session) {
    return transport instanceof AuthenticatorConversation ? inProcess(run, transport, session) : remote(run, session);
  }
  // Without a turn of the event loop when it can: the job is posted in this call.
  const preparing = (host as EapHost)[prepareBegin](begin as BeginSessionOptions);
  const go = (prepared: PreparedBegin) => transport instanceof AuthenticatorConversation
    ? inProcess(run, transport, prepared)
    : remoteAlone(run, host as EapHost, prepared);
  return preparing instanceof Promise ? preparing.then(go) : go(preparing);
}

// ---- against the embedded authenticator: the driver runs both sides ----

/** The peer's side of the driver's calls, for `session` (given) or the session `prepared` begins
 *  in the first call (and ends in the last, once it has the outcome's result). A class, not an
 *  object of closures: one allocation per authentication. */
class SessionPeer implements DriverPeer {
  budget: number;
  keepPackets: boolean;
  session: EapHostSession | undefined;
  endError: EapError | undefined;

  constructor(private readonly run: Run, private readonly prepared: PreparedBegin | undefined, session?: EapHostSession) {
    this.budget = run.maxRoundTrips;
    this.keepPackets = run.onPacket !== undefined;
    this.session = session;
  }

  through(call: (peer: ConversationPeer) => Promise<ConversationResult>): Promise<ConversationResult> {
    const session = this.session;
    if (session) return session[sessionCall]('EapHostPeerProcessReceivedPacket', (h) => call({ session: h }));
    const prepared = this.prepared as PreparedBegin;
    try {
      // Ended in the job once concluded, when the identity is known: otherwise the result asks
      // the session for it (a profile's credentials) before it ends.
      const endWhenConcluded = prepared.identity !== undefined;
      return call({ begin: prepared.begin, endWhenConcluded }).then((result) => {
        if (result.session) this.session = prepared.adopt(result.session);
        if (result.endError) this.endError = result.endError;
        return result;
      });
    } finally {
      prepared.wipe();  // the call has its copy
    }
  }

  seen(result: ConversationResult): void {
    account(this.run, result, this);
  }
}

function driverPeer(run: Run, peer: EapHostSession | PreparedBegin): SessionPeer {
  return peer instanceof EapHostSession ? new SessionPeer(run, undefined, peer) : new SessionPeer(run, peer);
}

/** What a driver call passed between the two sides, as authenticate()'s own rounds. */
function account(run: Run, result: ConversationResult, peer: DriverPeer): void {
  run.roundTrips += result.rounds;
  const packets = result.packets;
  if (run.onPacket && packets) {
    for (let i = 0; i < packets.length; i++) run.onPacket(i % 2 === 0 ? 'in' : 'out', packets[i]);
  }
  peer.budget = Math.max(0, run.maxRoundTrips - run.roundTrips);
}

async function inProcess(run: Run, conversation: AuthenticatorConversation, given: EapHostSession | PreparedBegin):
    Promise<AuthenticationResult> {
  const peer = driverPeer(run, given);
  const own = !(given instanceof EapHostSession);
  let result: AuthenticationResult;
  try {
    let out = await conversation[beginWithPeer](peer, run.signal);
    for (;;) {
      if (out.kind === 'error') throw out.error;
      if (out.kind === 'outcome') break;
      const session = peer.session as EapHostSession;
      if (out.kind === 'transport') throw noOutcome(run.maxRoundTrips);
      // The driver answers the store's questions and waits out discards itself: what is left is
      // 'peer', the peer did not answer the request with a packet.
      if (out.kind !== 'peer') throw new TypeError(`the conversation stopped at '${out.kind}'`);
      const action = responseActionName(out.peer.action);
      if (action === 'discard') {
        // RFC 3748 §4.1/§4.3: the peer drops a malformed request and waits; the authenticator
        // retransmits when its timer runs out. Discards count against maxRoundTrips.
        if (++run.roundTrips > run.maxRoundTrips) throw noOutcome(run.maxRoundTrips);
        out = await conversation[runWithPeer](undefined, peer, run.signal);
        continue;
      }
      const response = await answerNotSent(session, action);
      run.onPacket?.('out', response);
      if (++run.roundTrips > run.maxRoundTrips) throw noOutcome(run.maxRoundTrips);
      peer.budget = run.maxRoundTrips - run.roundTrips;
      out = await conversation[runWithPeer](response, peer, run.signal);
    }
    const step = out.step;
    if (step?.packet) run.onPacket?.('in', step.packet);
    const reply = replyOf(out);
    const session = peer.session as EapHostSession;
    const peerResult = out.peer?.result ?? await session.getResult('timeout').catch(() => undefined);
    if (run.signal?.aborted) throw abortError('authenticate');
    // Awaited only when EAPHost has to be asked: a turn of the microtask queue less otherwise.
    const identity = identityOf(session);
    result = finish(run, reply, peerResult, session, typeof identity === 'string' ? identity : await identity);
  } catch (error) {
    await conversation.close().catch(() => undefined);
    // The authentication's error is the one to report: a failing end after it adds nothing.
    if (own) await peer.session?.endSession().catch(() => undefined);
    throw error;
  }
  if (own) {
    await peer.session?.endSession();
    if (peer.endError) throw peer.endError;
  }
  return result;
}

// ---- against any other transport: the peer takes each request in a driver call ----

/** authenticate() with a session of its own against a transport that is not the embedded
 *  authenticator: begun, run and ended. */
async function remoteAlone(run: Run, host: EapHost, prepared: PreparedBegin): Promise<AuthenticationResult> {
  const session = await host[beginPrepared](prepared);
  let result: AuthenticationResult;
  try {
    result = await remote(run, session);
  } catch (error) {
    await session.endSession().catch(() => undefined);
    throw error;
  }
  await session.endSession();
  return result;
}

async function remote(run: Run, session: EapHostSession): Promise<AuthenticationResult> {
  const { transport, onPacket, signal, maxRoundTrips } = run;
  const check = () => { if (signal?.aborted) throw abortError('authenticate'); };
  try {
    check();
    // Raced against the signal too: a transport that ignores it must not outlive an abort.
    let reply = await bounded(transport.begin({ signal }), 'authenticate', signal);
    while (reply.kind === 'request') {
      check();
      if (!reply.packet) throw new EapError({ win32Error: Win32.ERROR_INVALID_DATA, call: 'authenticate', rootCause: 'request without packet' });
      onPacket?.('in', reply.packet);
      const request = reply.packet;
      const act = await session[sessionCall]('EapHostPeerProcessReceivedPacket',
        (h) => binding.eapHostSessionReceive({ session: h, kind: 'request', packet: request }));
      const action = responseActionName(act.action);
      if (action === 'discard') {
        if (++run.roundTrips > maxRoundTrips) throw noOutcome(maxRoundTrips);
        reply = await awaitRetransmission(transport, signal);
        continue;
      }
      const response = action === 'send' && act.packet ? act.packet : await answerNotSent(session, action);
      onPacket?.('out', response);
      if (++run.roundTrips > maxRoundTrips) throw noOutcome(maxRoundTrips);
      check();
      reply = await bounded(transport.respond(response, { signal }), 'authenticate', signal);
    }
    let peerResult: EapHostResult | undefined;
    if (reply.packet) {
      onPacket?.('in', reply.packet);
      const outcome = reply.packet;
      const act = await session[sessionCall]('EapHostPeerProcessReceivedPacket',
        (h) => binding.eapHostSessionReceive({ session: h, kind: 'outcome', packet: outcome }));
      peerResult = act.result;
    }
    // No acceptable Success/Failure reached the peer (e.g. the authenticator gave up silently):
    // the peer's lower layer reports a timeout.
    peerResult ??= await session.getResult('timeout').catch(() => undefined);
    return finish(run, reply, peerResult, session, await identityOf(session));
  } finally {
    await transport.close().catch(() => undefined);
  }
}

// ---- shared ----

/** The peer's response when its action on a request was not 'send': InvokeUI answered from the
 *  credentials given to beginSession, RESPOND as Microsoft's sample supplicant does it (read the
 *  method's attributes, then always set them). */
async function answerNotSent(session: EapHostSession, first: ResponseAction): Promise<Buffer> {
  let action = first;
  let response: Buffer | undefined;
  if (action === 'invokeUi') ({ action, packet: response } = await answerInvokeUi(session));
  if (action === 'respond') {
    action = await session.setResponseAttributes(await session.getResponseAttributes());
    if (action === 'send') response = await session.getSendPacket();
  }
  if (action !== 'send' || !response) {
    throw new EapError({
      win32Error: Win32.ERROR_NOT_SUPPORTED, call: 'EapHostPeerProcessReceivedPacket', origin: 'host',
      rootCause: `the peer answered a request with action "${action}"${action === 'invokeUi' ? ': the method needs UI, which this library cannot show' : ''}`,
    });
  }
  return response;
}

/** authenticate()'s result; everything that may hold key material lives until the session ends. */
function finish(run: Run, reply: TransportReply, peerResult: EapHostResult | undefined, session: EapHostSession,
                identity: string): AuthenticationResult {
  const result = authenticationResult(reply, peerResult, session.methodType.type, identity, run.roundTrips, run.keepKeys);
  const secrets = resultSecrets(reply, result);
  if (peerResult) for (const attribute of peerResult.attributes) secrets.push(attribute.value);
  // A session the driver ended already zero-fills them at once.
  session[holdUntilEnd](secrets);
  return result;
}

/** The identity the session authenticated: the one given to beginSession, or EAPHost's. */
function identityOf(session: EapHostSession): string | Promise<string> {
  return session.identity ?? session.getAuthIdentity().catch(() => '');
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
