/**
 * An EAPHost session run against the embedded authenticator's conversation in the same
 * process: the one owner of what the pairing adds to a plain transport. One native hop starts
 * the conversation and runs the peer through every round up to the authenticator's first
 * question to the user store (RESPOND); the store's answer goes in one hop with every round
 * after it and, once the authenticator's step is the outcome, the peer's processing of it. What
 * a hop ran ahead of authenticate()'s loop (the rounds after a request, an outcome's
 * processing) is what the loop takes instead of another hop, in the order it would have asked.
 */
import type { EapAttribute } from '../core/attributes';
import { AuthenticatorConversation } from './authenticator-conversation';
import { wipeKnownAnswer } from '../core/users';
import type { ResponseAction } from '../core/constants';
import type { EapError } from '../core/errors';
import {
  ConverseOutcome, Conversing, EapHost, EapHostResult, EapHostSession, PreparedBegin, conversingOf, partsNamed,
  responseActionName,
} from './eaphost';
import type { NativeAuthenticatorStep, NativeConcludeOut, NativeHandle } from '../native';
import type { NativeWholeAuthentication } from '../native/contract';
import type { TransportReply } from '../core/transport';

interface Conclusion {
  /** The outcome packet the peer processed. */
  packet: Buffer;
  final?: NativeConcludeOut;
  finalError?: EapError;
}

/** Stands for a packet a hop already handed to the peer and, since the caller looks at no
 *  packet (no onPacket), left native: what the pairing keeps the hop's results under. */
const HANDED_ON: Buffer = Buffer.alloc(0);

/** Rounds a hop ran from the request `request` on, before the loop asked for them. */
interface Ahead {
  request: Buffer;
  out: ConverseOutcome;
}

/** A session still to begin, in the hop that starts the conversation (InProcessPairing.beginning). */
interface Beginning {
  host: EapHost;
  begin: PreparedBegin;
}

export class InProcessPairing {
  private conclusion?: Conclusion;
  private ahead?: Ahead;
  private begun?: EapHostSession;
  /** EndSession's failure, when the hop that began the session ended it too and that failed. */
  endError?: EapError;

  private constructor(session: EapHostSession | undefined,
                      private readonly conversation: AuthenticatorConversation,
                      private readonly keepPackets: boolean,
                      private readonly beginning?: Beginning) {
    this.begun = session;
  }

  /** The pairing of `session` with `transport`, when the transport is an embedded
   *  authenticator's conversation; undefined for any other transport. `keepPackets`: whether
   *  the caller looks at every packet (without, the rounds a hop passes are only counted). */
  static of(session: EapHostSession, transport: unknown, keepPackets: boolean): InProcessPairing | undefined {
    return transport instanceof AuthenticatorConversation ? new InProcessPairing(session, transport, keepPackets) : undefined;
  }

  /** As of(), for a session `host` begins with `begin` in the hop that starts the conversation
   *  (begin() makes it: `session` from then on). When the identity is given, that hop also ends
   *  the session once the peer has the outcome's result: a whole authentication with a known
   *  answer is one host-thread job, beginning and end included. */
  static beginning(host: EapHost, begin: PreparedBegin, transport: unknown, keepPackets: boolean): InProcessPairing | undefined {
    return transport instanceof AuthenticatorConversation
      ? new InProcessPairing(undefined, transport, keepPackets, { host, begin })
      : undefined;
  }

  /** With the session's identity given (to beginSession, or to begin() of a pairing that begins
   *  it), nobody looking at the packets and the user store's answer known ahead: the whole
   *  authentication in one job, as the C++ loop runs one. For a pairing that begins its session
   *  (beginning()), the session is begun and ended in that job; a given one (of()) goes on, and
   *  must be able to take the call now. What comes back is only what authenticate() makes its
   *  result of. Undefined when the pairing is not such, or when the job stopped short of the
   *  outcome (the round bound, a question the answer does not cover): the session and the
   *  conversation are then the pairing's and the conversation's, and begin() goes on from where
   *  the job stopped. */
  whole(signal: AbortSignal | undefined, rounds: number): Promise<NativeWholeAuthentication | undefined> | undefined {
    const beginning = this.beginning;
    const given = this.begun;
    if (this.keepPackets || !this.conversation.fresh) return undefined;
    if (beginning) return this.wholeBeginning(beginning, signal, rounds);
    if (!given?.ready) return undefined;
    const known = this.conversation.knownAnswerFor(given.identity);
    if (known === undefined) return undefined;
    try {
      return this.conversation.beginWhole((methods, settings) => given.converseWhole(methods, settings, rounds, known),
        (parts) => this.took(partsNamed(parts)), signal);
    } finally {
      // The call copied them (or refused before reading them).
      wipeKnownAnswer(known);
    }
  }

  private wholeBeginning(beginning: Beginning, signal: AbortSignal | undefined, rounds: number):
      Promise<NativeWholeAuthentication | undefined> | undefined {
    const identity = beginning.begin.identity;
    if (identity === undefined) return undefined;
    const known = this.conversation.knownAnswerFor(identity);
    if (known === undefined) return undefined;
    try {
      return this.conversation.beginWhole(
        (methods, settings) => beginning.host.authenticateWhole(beginning.begin, methods, settings, rounds, known),
        (out) => this.began(conversingOf(beginning.begin, out)), signal);
    } finally {
      // The call copied them (or refused before reading them).
      wipeKnownAnswer(known);
      beginning.begin.wipe();
    }
  }

  /** The session the pairing runs: the given one (of()), or the one begin() began, once it has. */
  get session(): EapHostSession | undefined {
    return this.begun;
  }

  /** The conversation's begin(); when the session can take calls now (or is begun in the same
   *  hop), the same hop runs the peer through up to `rounds` rounds from the first request on
   *  (exchange() hands them out). When nobody looks at the packets and the user store's answer
   *  for the session's identity is known ahead (a plain table), the questions about it are
   *  answered in the same hop: the whole conversation is one host-thread job, as a C++ loop
   *  would run it. */
  begin(signal: AbortSignal | undefined, rounds: number): Promise<TransportReply> {
    const beginning = this.beginning;
    const given = this.begun;
    if (given && !given.ready) return this.conversation.begin({ signal });
    return this.conversation.beginWith({ signal }, (methods, settings, identityResponse) => {
      const identity = given ? given.identity : beginning?.begin.identity;
      const known = this.keepPackets ? undefined : this.conversation.knownAnswerFor(identity);
      try {
        if (given) {
          return given.beginConverse(methods, settings, identityResponse, rounds, this.keepPackets, known)
            .then((parts) => this.took(parts));
        }
        return (beginning as Beginning).host.beginConversing((beginning as Beginning).begin, methods, settings,
          identityResponse, rounds, this.keepPackets, known, identity !== undefined).then((conversing) => this.began(conversing));
      } finally {
        // The call copied them (or refused before reading them).
        wipeKnownAnswer(known);
        beginning?.begin.wipe();
      }
    });
  }

  /** The session a job began, and what it ran: the first step and the conversation's handle. */
  private began(conversing: Conversing): [NativeAuthenticatorStep, NativeHandle] {
    this.begun = conversing.session;
    this.endError = conversing.endError;
    return this.took(conversing.parts);
  }

  /** A first hop's parts: the rounds it ran ahead kept for exchange(). */
  private took([step, handle, ahead]: [NativeAuthenticatorStep, NativeHandle, ConverseOutcome | undefined]):
      [NativeAuthenticatorStep, NativeHandle] {
    if (ahead) this.keepAhead(step.packet ??= HANDED_ON, ahead);
    return [step, handle];
  }

  /** The session, where a hop is under way or done: begun by then. */
  private get running(): EapHostSession {
    return this.begun as EapHostSession;
  }

  /** The peer's exchange of `request`, and — when the conversation can take the response now —
   *  the authenticator's step with it, in one hop; while that step is the next request and
   *  fewer than `rounds` rounds went by, the peer takes it in the same hop (`passed`). What an
   *  earlier hop already ran from `request` on, when one did. Undefined when the conversation
   *  cannot. */
  exchange(request: Buffer, rounds: number): ConverseOutcome | Promise<ConverseOutcome | undefined> | undefined {
    const ahead = this.ahead;
    if (ahead !== undefined) {
      this.ahead = undefined;
      if (ahead.request === request) return ahead.out;
    }
    const conversation = this.conversation.readyHandle;
    if (!conversation) return undefined;
    return this.running.converse(conversation, request, rounds, this.keepPackets).then((out) => {
      this.keep(out);
      return out;
    });
  }

  /** Goes on from the step the hop already took (or its error) as the conversation's
   *  respond() would, the user store's answers going with the peer's processing of what they
   *  make: the outcome, or up to `rounds` rounds from the next request on. */
  continueFrom(taken: ConverseOutcome, signal: AbortSignal | undefined, rounds: number): Promise<TransportReply> {
    return this.conversation.continueFrom(taken, signal,
      (conversation, attributes) => this.answer(conversation, attributes, rounds));
  }

  /** Whether the conversation still has something to close (its outcome closes it). */
  get open(): boolean {
    return !this.conversation.closed;
  }

  /** The peer's processing of the outcome `packet`, when a combined hop already made it. */
  takeConclusion(packet: Buffer): { action: ResponseAction; result?: EapHostResult } | undefined {
    const conclusion = this.conclusion;
    this.conclusion = undefined;
    if (!conclusion || conclusion.packet !== packet) return undefined;
    if (conclusion.finalError) throw conclusion.finalError;
    const final = conclusion.final as NativeConcludeOut;
    return { action: responseActionName(final.action), result: final.result };
  }

  private answer(conversation: NativeHandle, attributes: EapAttribute[], rounds: number): Promise<NativeAuthenticatorStep> {
    return this.running.answerFor(conversation, attributes, rounds, this.keepPackets).then(([out, ahead]) => {
      this.keep(out);
      if (ahead) this.keepAhead(out.step.packet ??= HANDED_ON, ahead);
      return out.step;
    });
  }

  private keepAhead(request: Buffer, out: ConverseOutcome): void {
    this.keep(out);
    this.ahead = { request, out };
  }

  private keep(out: { step?: NativeAuthenticatorStep; final?: NativeConcludeOut; finalError?: EapError }): void {
    if (!out.step || (!out.final && !out.finalError)) return;
    // The outcome the peer processed in the hop: its packet, or what stands for it.
    out.step.packet ??= HANDED_ON;
    // A session ended while the hop ran keeps nothing: its own calls now say it ended.
    if (this.running.ended) return;
    // Result attributes may carry the MSK and EMSK: they live as long as the session.
    if (out.final?.result) this.running.holdSecrets(out.final.result.attributes.map((attribute) => attribute.value));
    this.conclusion = { packet: out.step.packet, final: out.final, finalError: out.finalError };
  }
}
