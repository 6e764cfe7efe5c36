/**
 * One authentication of the embedded authenticator, from its side: the native conversation's
 * lifecycle, its steps (the user store answering the method's RESPOND, retransmission after a
 * discard, the outcome), and the accounting that hands freed native memory back after a burst.
 * Each conversation is an EapTransport, so `authenticate()` can run a peer against it
 * in-process, and the RADIUS server mode can put it behind RADIUS.
 */
import { abortError, stateError } from '../core/errors';
import { checkBuffer, checkSignal } from '../core/input-checks';
import { resumedOf } from '../core/keys';
import { CallGate, Ending, NativeObject, adopt, binding } from '../native';
import type {
  ConversationAuthenticator, ConversationBeginArgs, ConversationPeer, ConversationInput, ConversationResult, ConversationRunArgs, ConversationSettings,
  ConversationStep, NativeHandle, NativeKnownAnswer,
} from '../native/contract';
import { EapTransport, TransportBeginOptions, TransportReply } from '../core/transport';
import {
  UserRecord, UserStore, askUserStore, checkUserRecord, recordAnswer, wipeKnownAnswer,
} from '../core/users';
import { beginWithPeer, runWithPeer } from './internal';

/** What a conversation needs of its authenticator. */
export interface ConversationOwner {
  readonly store: UserStore;
  readonly settings: ConversationSettings & { lookupTimeoutMs: number };
  /** What its conversations start from (the method modules and the settings, one object for
   *  all); throws once the authenticator is closed. */
  conversationAuthenticator(): ConversationAuthenticator;
}

/** The native conversation behind an AuthenticatorConversation, from begin() on: the handle's
 *  lifecycle is NativeObject's. Ending it ends the native conversation unless its outcome
 *  already did (an outcome ends it natively in the same step), then releases the handle. */
class NativeConversation extends NativeObject {
  private readonly nativeEnding: Ending;

  constructor(handle: NativeHandle) {
    const ending: Ending = {
      call: 'close', state: 'Ended',
      end: (h) => binding.conversationEnd({ conversation: h }).then(() => undefined, () => undefined),
    };
    super(handle, 'conversation', false, ending);
    this.nativeEnding = ending;
  }

  get nativeHandle(): NativeHandle {
    return this.handle;
  }

  /** Ends it: natively only when no outcome did already (then only the handle is released). */
  end(outcomeReached: boolean): Promise<void> {
    if (outcomeReached) this.nativeEnding.end = undefined;
    return this.finish();
  }
}

/**
 * Native conversations alive in this process, and the most there were since freed memory was
 * last handed back. A flood of half-open TLS conversations grows the native heap by hundreds of
 * megabytes, and glibc keeps what they free for reuse; once their count falls to a quarter of
 * the peak, and again when none is left, the addon trims the heap after their releases.
 */
const heapReturn = { live: 0, peak: 0 };
const TRIM_QUARTER_ABOVE = 1024;
const TRIM_EMPTY_ABOVE = 64;

function nativeConversationOpened(): void {
  heapReturn.live++;
  if (heapReturn.live > heapReturn.peak) heapReturn.peak = heapReturn.live;
}

function nativeConversationReleased(): void {
  heapReturn.live--;
  const { live, peak } = heapReturn;
  if ((peak >= TRIM_QUARTER_ABOVE && live <= peak / 4) || (live === 0 && peak >= TRIM_EMPTY_ABOVE)) {
    heapReturn.peak = live;
    binding.trimHeap();
    // Once more a moment later: other threads that share the host thread's arena (the
    // engine's own workers) free their part of the burst's memory after it.
    setTimeout(() => binding.trimHeap(), 1000).unref();
  }
}

/** The peer a conversation's driver calls hand each request to themselves (an EAPHost session in
 *  this process), the responses a call may hand on, and whether every packet comes back. */
export interface DriverPeer {
  budget: number;
  keepPackets: boolean;
  /** Runs a driver call with the native peer, through the peer session's gate (one call at a time
   *  on it). */
  through(call: (peer: ConversationPeer) => Promise<ConversationResult>): Promise<ConversationResult>;
  /** Sees every result, in order, before the conversation acts on it (packets, rounds). */
  seen(out: ConversationResult): void;
}

let newConversation: (owner: ConversationOwner) => AuthenticatorConversation;

/** A new conversation of `owner`'s (Authenticator.createConversation). */
export function createConversation(owner: ConversationOwner): AuthenticatorConversation {
  return newConversation(owner);
}

/** One authentication, from the authenticator's side. */
export class AuthenticatorConversation implements EapTransport {
  /** Undefined before begin(), null once closed. */
  #native: NativeConversation | null | undefined;
  #finished = false;
  // One call at a time, as on every session: the gate refuses an overlapping one.
  readonly #gate = new CallGate('conversation', true);
  readonly #owner: ConversationOwner;
  #methodType = 0;
  #identity = '';

  static {
    newConversation = (owner) => new AuthenticatorConversation(owner);
  }

  private constructor(owner: ConversationOwner) {
    this.#owner = owner;
  }

  begin(options: TransportBeginOptions = {}): Promise<TransportReply> {
    if (options.identityResponse !== undefined) checkBuffer(options.identityResponse, 'identityResponse');
    const signal = checkSignal(options.signal);
    // A NAS that did the Identity exchange hands it over.
    return this.#begin('begin', signal, undefined, options.identityResponse).then(replyOf);
  }

  respond(response: Buffer, options: { signal?: AbortSignal } = {}): Promise<TransportReply> {
    checkBuffer(response, 'response');
    const signal = checkSignal(options.signal);
    if (this.#native === undefined) return Promise.reject(stateError('respond', 'Created', 'call begin() first'));
    return this.#run('respond', signal, { kind: 'response', response }).then(replyOf);
  }

  /** The peer discarded the last request: after the retransmission timeout, resend it (or fail
   *  once MaxRetrans is reached), as RFC 3748 §4.3 has the authenticator do. */
  retransmission(options: { signal?: AbortSignal } = {}): Promise<TransportReply> {
    const signal = checkSignal(options.signal);
    if (this.#native === undefined) return Promise.reject(stateError('retransmission', 'Created', 'call begin() first'));
    return this.#run('retransmission', signal, { kind: 'timeout' }, undefined, this.#owner.settings.retransmitTimeoutMs)
      .then(replyOf);
  }

  /** @internal Begins with an in-process `peer` and runs until the caller is needed: 'transport'
   *  (the budget spent), 'peer', 'outcome' or 'error'; the store's questions and the
   *  authenticator's discards are handled on the way. */
  [beginWithPeer](peer: DriverPeer, signal: AbortSignal | undefined): Promise<ConversationResult> {
    return this.#begin('begin', signal, peer);
  }

  /** @internal Goes on from the peer's `response`, or (none: the peer discarded the request) from
   *  the retransmission timer, once it has run out. */
  [runWithPeer](response: Buffer | undefined, peer: DriverPeer, signal: AbortSignal | undefined): Promise<ConversationResult> {
    return response === undefined
      ? this.#run('respond', signal, { kind: 'timeout' }, peer, this.#owner.settings.retransmitTimeoutMs)
      : this.#run('respond', signal, { kind: 'response', response }, peer);
  }

  /** The method the authenticator settled on (EAP type), once known; 0 before. */
  get methodType(): number {
    return this.#methodType;
  }

  /** The peer's identity, once known; empty before. */
  get identity(): string {
    return this.#identity;
  }

  /** Whether the conversation is over: its outcome reached, or closed. */
  get ended(): boolean {
    return this.#native === null;
  }

  async close(): Promise<void> {
    const native = this.#native;
    if (native === undefined || native === null) return;
    this.#native = null;
    const concluded = this.#finished;
    this.#finished = true;
    try {
      await native.end(concluded);
    } finally {
      // The handle is released (posted to the host thread) by now, so a trim follows it.
      nativeConversationReleased();
    }
  }

  /** Starts the native conversation and drives it (#drive). */
  #begin(call: string, signal: AbortSignal | undefined, peer?: DriverPeer, identityResponse?: Buffer):
      Promise<ConversationResult> {
    if (this.#native !== undefined) return Promise.reject(stateError(call, 'Started', 'the conversation has already begun'));
    if (this.#finished) return Promise.reject(stateError(call, 'Ended', 'the conversation has ended'));
    return this.#gate.run(call, () => this.#drive(call, signal, peer, () => {
      // The authenticator's own object (its modules, settings and a plain table's answers), the
      // same for every conversation: the addon reads it once.
      const args: ConversationBeginArgs = { authenticator: this.#owner.conversationAuthenticator(), identityResponse };
      if (!peer) return binding.conversationBegin(args);
      args.budget = peer.budget;
      args.keepPackets = peer.keepPackets;
      return peer.through((native) => {
        args.peer = native;
        return binding.conversationBegin(args);
      });
    }, true), signal);
  }

  /** The native conversation conversationBegin made, or none: begun and concluded in its job,
   *  which closed it. */
  #started(out: ConversationResult): void {
    if (out.conversation !== undefined) {
      this.#native = adopt(out.conversation, (h) => new NativeConversation(h));
      nativeConversationOpened();
    } else if (out.kind === 'outcome') {
      this.#native = null;
    }
  }

  /** Steps the native conversation with `input` and drives it (#drive); `wait`: a delay first. */
  #run(call: string, signal: AbortSignal | undefined, input: ConversationInput,
       peer?: DriverPeer, wait?: number): Promise<ConversationResult> {
    if (this.#finished) return Promise.reject(stateError(call, 'Ended', 'the conversation has ended'));
    return this.#gate.run(call, () => this.#drive(call, signal, peer, async () => {
      if (wait !== undefined) await delay(wait, signal);
      return this.#step(input, peer);
    }), signal);
  }

  /** One driver call on the native conversation. */
  #step(input: ConversationInput, peer: DriverPeer | undefined): Promise<ConversationResult> {
    try {
      const args: ConversationRunArgs & ConversationInput = { ...input, conversation: this.#handle() };
      if (peer) {
        args.budget = peer.budget;
        args.keepPackets = peer.keepPackets;
        return peer.through((native) => {
          args.peer = native;
          return binding.conversationRun(args);
        });
      }
      return binding.conversationRun(args);
    } catch (error) {
      return Promise.reject(error);
    } finally {
      if (input.kind === 'knownAnswer') wipeKnownAnswer(input.knownAnswer);  // the call copied it (or refused before reading it)
    }
  }

  /** Runs the driver from `first` until the conversation needs the caller: the user store's
   *  questions are answered and the authenticator's discards waited out on the way; an outcome
   *  closes the conversation. */
  async #drive(call: string, signal: AbortSignal | undefined, peer: DriverPeer | undefined,
               first: () => Promise<ConversationResult>, begins = false): Promise<ConversationResult> {
    let out = await first();
    if (begins) this.#started(out);
    for (;;) {
      peer?.seen(out);
      const step = out.step;
      if (step) {
        if (step.methodType) this.#methodType = step.methodType;
        if (step.identity) this.#identity = step.identity;
      }
      if (signal?.aborted) {
        await this.close();
        throw abortError(call);
      }
      if (out.kind === 'answer') {
        const answer = this.#answer(out.step, call, signal);
        out = await this.#step({ kind: 'knownAnswer', knownAnswer: answer instanceof Promise ? await answer : answer }, peer);
        continue;
      }
      if (out.kind === 'discard') {
        // The response was not acceptable; RFC 3748 has the authenticator wait for a valid one
        // and retransmit its request when the timer runs out.
        await delay(this.#owner.settings.retransmitTimeoutMs, signal);
        out = await this.#step({ kind: 'timeout' }, peer);
        continue;
      }
      if (out.kind === 'outcome') {
        this.#finished = true;
        // Most outcomes closed the native conversation in their job: nothing to wait for.
        if (this.#native) await this.close();
      }
      return out;
    }
  }

  #handle(): NativeHandle {
    if (!this.#native) throw stateError('respond', 'Ended', 'the conversation has ended');
    return this.#native.nativeHandle;
  }

  // RESPOND: the method said what it needs (the clear-text password, or the NT hash); the store
  // answers what it has, as a known answer the native side answers the question from. A store
  // that answers with a plain value is answered from at once (no turn of the event loop).
  #answer(step: ConversationStep, call: string, signal?: AbortSignal): NativeKnownAnswer | Promise<NativeKnownAnswer> {
    // The method names the user it asks about: for PEAP and EAP-TTLS that is the inner identity,
    // proven inside the tunnel, not the (often anonymous) outer EAP identity.
    const identity = step.askedIdentity;
    const found = this.#lookup(identity, call, signal);
    return found instanceof Promise
      ? found.then((record) => this.#answerFrom(identity, record))
      : this.#answerFrom(identity, found);
  }

  // A store that never settles must not hold the conversation: the signal and a deadline bound
  // it. One that answers at once (a plain value, or a throw) needs neither. Whatever it throws or
  // rejects with fails this conversation alone, at once, as the store's typed failure.
  #lookup(identity: string, call: string, signal?: AbortSignal):
      UserRecord | undefined | null | Promise<UserRecord | undefined | null> {
    let found: ReturnType<typeof askUserStore>;
    try {
      found = askUserStore(this.#owner.store, identity, this.#owner.settings.lookupTimeoutMs, call, signal);
    } catch (error) {
      return this.#closeAfter(error);
    }
    return found instanceof Promise ? found.catch((error: unknown) => this.#closeAfter(error)) : found;
  }

  /** The known answer from the store's record; a record that is not one fails the conversation. */
  #answerFrom(identity: string, found: UserRecord | undefined | null): NativeKnownAnswer | Promise<never> {
    try {
      return answerFrom(identity, found);
    } catch (error) {
      return this.#closeAfter(error);
    }
  }

  async #closeAfter(error: unknown): Promise<never> {
    await this.close();
    throw error;
  }
}

function answerFrom(identity: string, found: UserRecord | undefined | null): NativeKnownAnswer {
  if (found === undefined || found === null) return recordAnswer(identity, undefined);
  return recordAnswer(identity, checkUserRecord(found, `the user store's record for "${identity}"`));
}

/** The transport's reply of where a conversation stopped: a request, or the outcome. */
export function replyOf(out: ConversationResult): TransportReply {
  if (out.kind === 'transport') return { kind: 'request', packet: out.step.packet };
  const step = out.kind === 'outcome' ? out.step : undefined;
  if (step === undefined || (step.kind !== 'success' && step.kind !== 'failure')) {
    throw out.error ?? new TypeError(`the conversation stopped at '${out.kind}' with no peer`);
  }
  const reply: TransportReply = { kind: step.kind, packet: step.packet, attributes: step.attributes };
  if (step.kind === 'failure') {
    reply.reason = step.error?.message ?? 'EAP-Failure';
    if (step.error) reply.error = step.error;
  }
  const resumed = resumedOf(step.attributes);
  if (resumed !== undefined) reply.resumed = resumed;
  return reply;
}

// The abort listener goes with the timer: a conversation that retransmits many times under one
// signal would otherwise leave one listener per wait on it.
function delay(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const done = (): void => {
      clearTimeout(timer);
      signal?.removeEventListener('abort', done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    signal?.addEventListener('abort', done, { once: true });
  });
}
