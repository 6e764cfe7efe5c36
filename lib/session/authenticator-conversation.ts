/**
 * One authentication of the embedded authenticator, from its side: the native conversation's
 * lifecycle, its steps (the user store answering the method's RESPOND, retransmission after a
 * discard, the outcome), and the accounting that hands freed native memory back after a burst.
 * Each conversation is an EapTransport, so `authenticate()` can run a peer against it
 * in-process, and the RADIUS server mode can put it behind RADIUS.
 */
import { bounded } from '../core/abortable';
import type { EapAttribute } from '../core/attributes';
import { EapAttributeType } from '../core/constants';
import { abortError, stateError } from '../core/errors';
import { checkBuffer, checkSignal } from '../core/input-checks';
import { identityOf } from '../core/packet';
import { resumedOf } from '../core/keys';
import { CallGate, Ending, NativeObject, adopt, binding } from '../native';
import type {
  NativeAuthenticateOut, NativeAuthenticatorSettings, NativeAuthenticatorStep, NativeConversationMethods, NativeHandle,
  NativeKnownAnswer,
  NativeWholeAuthentication,
} from '../native/contract';
import { EapTransport, TransportBeginOptions, TransportReply } from '../core/transport';
import {
  UserRecord, UserStore, answerAttributeQuestions, checkUserRecord, knownAnswer, wipeKnownAnswer,
} from '../core/users';

/** What a conversation needs of its authenticator. */
export interface ConversationOwner {
  readonly store: UserStore;
  readonly settings: NativeAuthenticatorSettings & { lookupTimeoutMs: number };
  /** What its conversations start from (the method modules, or a start profile of them);
   *  throws once the authenticator is closed. */
  conversationMethods(): NativeConversationMethods;
}

type NativeStep = NativeAuthenticatorStep;

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

  /** @internal */
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

/** How the respond step hands the user store's answer to the native side: alone, or (an
 *  in-process pairing) with the peer's processing of the outcome in the same hop. */
export type AnswerStep = (conversation: NativeHandle, attributes: EapAttribute[]) => Promise<NativeStep>;

const answerAlone: AnswerStep = (conversation, attributes) =>
  binding.conversationRun({ conversation, answer: attributes }).then(stepOf);

/** The step where the driver stopped: with no peer in the conversation, its kind says why. */
function stepOf(out: { step: NativeStep }): NativeStep {
  return out.step;
}

/** The retransmission timer fired on the native conversation `conversation`. */
function timedOut(conversation: NativeHandle): Promise<NativeStep> {
  return binding.conversationRun({ conversation, timeout: true }).then(stepOf);
}

/** How begin() starts the native conversation: alone, or (an in-process pairing) with the
 *  peer's first rounds in the same hop. Resolves with the first step and the handle. */
export type StartStep = (methods: NativeConversationMethods, settings: NativeAuthenticatorSettings, identityResponse?: Buffer)
  => Promise<[NativeStep, NativeHandle]>;

/** How beginWhole() starts: the whole conversation in one job, settling as its summary or, when
 *  it stopped short, as the parts of a first hop (`Short`: a session begun with it,
 *  NativeAuthenticateOut, or the caller's session's, eapHostBeginConverse's). */
export type StartWhole<Short> = (methods: NativeConversationMethods, settings: NativeAuthenticatorSettings)
  => Promise<Short | NativeWholeAuthentication>;

/** One authentication, from the authenticator's side. */
export class AuthenticatorConversation implements EapTransport {
  /** Undefined before begin(), null once closed. */
  private native: NativeConversation | null | undefined;
  private finished = false;
  // One call at a time, as on every session: the gate refuses an overlapping one.
  private readonly gate = new CallGate('conversation', true);
  /** The method the authenticator settled on (EAP type), once known. */
  methodType = 0;
  /** The peer's identity, once known. */
  identity = '';
  /** The native conversation was handed the user store's answer for the peer's identity, or
   *  found that there is none to hand (a store that is not a plain table): no need to look again. */
  private identityHanded = false;
  /** The first step of a conversation beginWhole()'s job started and did not finish. */
  private startedWith?: NativeStep;

  /** @internal */
  constructor(private readonly owner: ConversationOwner) {}

  begin(options: TransportBeginOptions = {}): Promise<TransportReply> {
    return this.beginWith(options, (methods, settings, identityResponse) => {
      // A NAS that did the Identity exchange hands it over: the user store's answer about that
      // identity goes with the start, and the method's question is answered where it is asked.
      const known = this.knownAnswerOf(identityResponse);
      let started: ReturnType<typeof binding.conversationBegin>;
      try {
        started = binding.conversationBegin({ methods, settings, identityResponse, knownAnswer: known });
      } finally {
        wipeKnownAnswer(known);
      }
      return started.then((out) => [out.step, out.conversation]);
    });
  }

  /** @internal Begins as begin() does, the native conversation started by `start`. */
  async beginWith(options: TransportBeginOptions, start: StartStep): Promise<TransportReply> {
    const started = this.startedWith;
    if (started !== undefined) {
      // beginWhole()'s job started it and stopped short: its first step is this begin's.
      this.startedWith = undefined;
      return this.step('begin', checkSignal(options.signal), started);
    }
    if (this.native !== undefined) throw stateError('begin', 'Started', 'the conversation has already begun');
    if (options.identityResponse !== undefined) checkBuffer(options.identityResponse, 'identityResponse');
    const signal = checkSignal(options.signal);
    return this.step('begin', signal, async () => {
      const [started, handle] = await start(this.owner.conversationMethods(), this.owner.settings, options.identityResponse);
      this.native = adopt(handle, (h) => new NativeConversation(h));
      nativeConversationOpened();
      return started;
    });
  }

  /** @internal Begins as beginWith() does, with a start that may carry the conversation to its
   *  outcome in the same native job (the in-process pairing's whole authentication): when the
   *  job concluded it, its summary, the conversation closed natively. When the job stopped
   *  short, `stoppedShort` takes what it settled and hands back the first step and the
   *  conversation's handle: the conversation holds the handle from then on (close() ends it),
   *  and the next beginWith() goes on from that step. An abort is the caller's to report
   *  (authenticate() does, as begin() would have). */
  beginWhole<Short extends NativeAuthenticateOut | [NativeStep, NativeHandle, unknown]>(
    start: StartWhole<Short>, stoppedShort: (out: Short) => [NativeStep, NativeHandle],
    signal?: AbortSignal): Promise<NativeWholeAuthentication | undefined> {
    if (this.native !== undefined) return Promise.reject(stateError('begin', 'Started', 'the conversation has already begun'));
    if (this.finished) return Promise.reject(stateError('begin', 'Ended', 'the conversation has ended'));
    return this.gate.runThen('begin', () => start(this.owner.conversationMethods(), this.owner.settings), (out) => {
      // The summary leads with the outcome's kind, a number; the parts with an object (the
      // session, or the first step).
      if (typeof out[0] !== 'number') {
        const [step, handle] = stoppedShort(out as Short);
        this.native = adopt(handle, (h) => new NativeConversation(h));
        nativeConversationOpened();
        this.startedWith = step;
        return undefined;
      }
      const whole = out as NativeWholeAuthentication;
      // As step() keeps them (not once aborted: it stops at the first step then) and close()
      // ends: the job released the native conversation.
      if (!signal?.aborted) {
        if (whole[3]) this.methodType = whole[3];
        if (whole[4]) this.identity = whole[4];
      }
      this.finished = true;
      this.native = null;
      return whole;
    });
  }

  respond(response: Buffer, options: { signal?: AbortSignal } = {}): Promise<TransportReply> {
    checkBuffer(response, 'response');
    const signal = checkSignal(options.signal);
    if (this.native === undefined) return Promise.reject(stateError('respond', 'Created', 'call begin() first'));
    return this.step('respond', signal, () => {
      const known = this.identityHanded ? undefined : this.knownAnswerOf(response);
      try {
        return binding.conversationRun({ conversation: this.handle(), response, knownAnswer: known }).then(stepOf);
      } finally {
        wipeKnownAnswer(known);
      }
    });
  }

  /** What the user store answers about the identity an EAP-Response/Identity carries, as the
   *  native conversation keeps it for its steps (knownAnswerFor); undefined for any other packet
   *  and once handed. The host reads the identity up to a NUL (RFC 4284's options after it). */
  private knownAnswerOf(packet: Buffer | undefined): NativeKnownAnswer | undefined {
    const identity = packet !== undefined && !this.identityHanded ? identityOf(packet) : undefined;
    if (identity === undefined) return undefined;
    this.identityHanded = true;
    return this.knownAnswerFor(identity.split('\0', 1)[0]);
  }

  /** The peer discarded the last request: after the retransmission timeout, resend it (or fail
   *  once MaxRetrans is reached), as RFC 3748 §4.3 has the authenticator do. */
  retransmission(options: { signal?: AbortSignal } = {}): Promise<TransportReply> {
    const signal = checkSignal(options.signal);
    if (this.native === undefined) return Promise.reject(stateError('retransmission', 'Created', 'call begin() first'));
    return this.step('retransmission', signal, async () => {
      await delay(this.owner.settings.retransmitTimeoutMs, signal);
      return timedOut(this.handle());
    });
  }

  /** The retransmission timer fired: resend the last request, or fail once MaxRetrans is reached. */
  retransmit(): Promise<TransportReply> {
    if (this.native === undefined) return Promise.reject(stateError('retransmit', 'Created', 'call begin() first'));
    return this.step('retransmit', undefined, () => timedOut(this.handle()));
  }

  /** @internal Not begun, not closed, no call in progress: begin() would start it now. */
  get fresh(): boolean {
    return this.native === undefined && !this.finished && this.gate.idle;
  }

  /** @internal Closed already: close() has nothing left to do. */
  get closed(): boolean {
    return this.native === null;
  }

  /** @internal The handle an in-process pairing may hand to the native round trip, when the
   *  conversation can take a response now (begun, not finished, no call in progress). */
  get readyHandle(): NativeHandle | undefined {
    return this.native && !this.finished && this.gate.idle ? this.native.nativeHandle : undefined;
  }

  /** @internal What the user store answers about `identity`, for the native side to answer the
   *  method's questions about that identity without asking JS (known_answer.h), when the store
   *  can say so ahead (a plain table) and the identity reads back as itself from UTF-8 (the
   *  native side compares bytes); undefined otherwise. Its answers are secrets: wipeKnownAnswer. */
  knownAnswerFor(identity: string | undefined): NativeKnownAnswer | undefined {
    if (identity === undefined || identity.includes('\uFFFD')) return undefined;
    return knownAnswer(this.owner.store, identity);
  }

  /** @internal Continues as respond() would, from the step the native round trip already took
   *  with the peer's response (or its error); `answer` hands the user store's answers on. */
  continueFrom(taken: { step?: NativeStep; stepError?: Error }, signal: AbortSignal | undefined,
               answer: AnswerStep): Promise<TransportReply> {
    if (taken.stepError || !taken.step) {
      return this.step('respond', checkSignal(signal), () => Promise.reject(taken.stepError), answer);
    }
    return this.step('respond', checkSignal(signal), taken.step, answer);
  }

  async close(): Promise<void> {
    const native = this.native;
    if (native === undefined || native === null) return;
    this.native = null;
    const concluded = this.finished;
    this.finished = true;
    try {
      await native.end(concluded);
    } finally {
      // The handle is released (posted to the host thread) by now, so a trim follows it.
      nativeConversationReleased();
    }
  }

  private handle(): NativeHandle {
    if (!this.native) throw stateError('respond', 'Ended', 'the conversation has ended');
    return this.native.nativeHandle;
  }

  /** `first`: the native call that makes the first step, or the step a hop already took. */
  private step(call: string, signal: AbortSignal | undefined, first: (() => Promise<NativeStep>) | NativeStep,
               answerWith: AnswerStep = answerAlone): Promise<TransportReply> {
    if (this.finished) return Promise.reject(stateError(call, 'Ended', 'the conversation has ended'));
    return this.gate.run(call, async () => {
      let step = typeof first === 'function' ? await first() : first;
      for (;;) {
        if (signal?.aborted) {
          await this.close();
          throw abortError(call);
        }
        if (step.methodType) this.methodType = step.methodType;
        if (step.identity) this.identity = step.identity;
        switch (step.kind) {
          case 'send':
            return { kind: 'request', packet: step.packet };
          case 'respond': {
            const asked = this.answer(step, call, signal);
            const answer = asked instanceof Promise ? await asked : asked;
            try {
              step = await answerWith(this.handle(), answer);
            } finally {
              for (const attribute of answer) attribute.value.fill(0);
            }
            continue;
          }
          case 'discard':
            // The response was not acceptable; RFC 3748 has the authenticator wait for a
            // valid one and retransmit its request when the timer runs out.
            await delay(this.owner.settings.retransmitTimeoutMs, signal);
            step = await timedOut(this.handle());
            continue;
          case 'success':
          case 'failure': {
            const reply: TransportReply = {
              kind: step.kind, packet: step.packet, attributes: step.attributes,
            };
            if (step.kind === 'failure') {
              reply.reason = step.error?.message ?? 'EAP-Failure';
              if (step.error) reply.error = step.error;
            }
            const resumed = resumedOf(step.attributes);
            if (resumed !== undefined) reply.resumed = resumed;
            this.finished = true;
            await this.close();
            return reply;
          }
        }
      }
    }, signal);
  }

  // RESPOND: the method said what it needs (the clear-text password, or the NT hash); the
  // store answers what it has. The answer is a secret: wiped once the method has it. A store
  // that answers with a plain value is answered from at once (no turn of the event loop).
  private answer(step: NativeStep, call: string, signal?: AbortSignal): EapAttribute[] | Promise<EapAttribute[]> {
    // The method names the user it asks about: for PEAP and EAP-TTLS that is the inner identity,
    // proven inside the tunnel, not the (often anonymous) outer EAP identity.
    const named = step.attributes.find((a) => a.type === EapAttributeType.UserName && a.value.length > 0);
    const identity = named ? named.value.toString('utf8') : step.identity;
    const found = this.lookup(identity, call, signal);
    return found instanceof Promise
      ? found.then((record) => this.answerFrom(step, identity, record))
      : this.answerFrom(step, identity, found);
  }

  private answerFrom(step: NativeStep, identity: string, found: UserRecord | undefined | null): EapAttribute[] {
    if (found === undefined || found === null) return [];
    const record: UserRecord = checkUserRecord(found, `the user store's record for "${identity}"`);
    return answerAttributeQuestions(step.attributes, record);
  }

  // A store that never settles must not hold the conversation: the signal and a deadline bound
  // it. One that answers at once (a plain value, or a throw) needs neither.
  private lookup(identity: string, call: string, signal?: AbortSignal):
      UserRecord | undefined | null | Promise<UserRecord | undefined | null> {
    let found: ReturnType<UserStore['lookup']> | null;
    try {
      found = this.owner.store.lookup(identity);
    } catch (error) {
      return this.closeAfter(error);
    }
    if (!isThenable(found)) return found;
    return bounded(Promise.resolve(found), call, signal, { ms: this.owner.settings.lookupTimeoutMs, what: 'the user store' })
      .catch((error: unknown) => this.closeAfter(error));
  }

  private async closeAfter(error: unknown): Promise<never> {
    await this.close();
    throw error;
  }
}

function isThenable(value: unknown): value is PromiseLike<unknown> {
  return typeof value === 'object' && value !== null && typeof (value as PromiseLike<unknown>).then === 'function';
}

function delay(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(resolve, ms);
    signal?.addEventListener('abort', () => { clearTimeout(timer); resolve(); }, { once: true });
  });
}
