/**
 * An EAPHost session run against the embedded authenticator's conversation in the same
 * process: the one owner of what the pairing adds to a plain transport. A round trip is one
 * native hop (the peer's exchange, the authenticator's step, and — when that step is the
 * outcome — the peer's processing of it); the user store's answer to the authenticator's
 * RESPOND goes in one hop with the peer's processing of the outcome it makes; and that
 * processing, made ahead, is what authenticate() takes instead of another hop.
 */
import type { EapAttribute } from './attributes';
import { AuthenticatorConversation } from './authenticator';
import { EapHostPeerResponseAction, ResponseAction, actionName } from './constants';
import type { EapError } from './errors';
import type { ConverseOutcome, EapHostResult, EapHostSession } from './eaphost';
import type { NativeAuthenticatorStep, NativeConcludeOut, NativeHandle } from './native';
import type { TransportReply } from './transport';

interface Conclusion {
  /** The outcome packet the peer processed. */
  packet: Buffer;
  final?: NativeConcludeOut;
  finalError?: EapError;
}

export class InProcessPairing {
  private conclusion?: Conclusion;

  private constructor(private readonly session: EapHostSession,
                      private readonly conversation: AuthenticatorConversation) {}

  /** The pairing of `session` with `transport`, when the transport is an embedded
   *  authenticator's conversation; undefined for any other transport. */
  static of(session: EapHostSession, transport: unknown): InProcessPairing | undefined {
    return transport instanceof AuthenticatorConversation ? new InProcessPairing(session, transport) : undefined;
  }

  /** The peer's exchange of `request`, and — when the conversation can take the response now —
   *  the authenticator's step with it, in one hop; while that step is the next request and
   *  fewer than `rounds` rounds went by, the peer takes it in the same hop (`passed`). Undefined
   *  when the conversation cannot. */
  async exchange(request: Buffer, rounds: number): Promise<ConverseOutcome | undefined> {
    const conversation = this.conversation.readyHandle;
    if (!conversation) return undefined;
    const out = await this.session.converse(conversation, request, rounds);
    this.keep(out);
    return out;
  }

  /** Goes on from the step the hop already took (or its error) as the conversation's
   *  respond() would, the user store's answers going with the peer's processing of an outcome. */
  continueFrom(taken: ConverseOutcome, signal: AbortSignal | undefined): Promise<TransportReply> {
    return this.conversation.continueFrom(taken, signal,
      (conversation, attributes) => this.answer(conversation, attributes));
  }

  /** The peer's processing of the outcome `packet`, when a combined hop already made it. */
  takeConclusion(packet: Buffer): { action: ResponseAction; result?: EapHostResult } | undefined {
    const conclusion = this.conclusion;
    this.conclusion = undefined;
    if (!conclusion || conclusion.packet !== packet) return undefined;
    if (conclusion.finalError) throw conclusion.finalError;
    const final = conclusion.final as NativeConcludeOut;
    return { action: actionName(EapHostPeerResponseAction, final.action), result: final.result };
  }

  private async answer(conversation: NativeHandle, attributes: EapAttribute[]): Promise<NativeAuthenticatorStep> {
    const out = await this.session.answerFor(conversation, attributes);
    if (!this.session.ended) this.keep(out);
    return out.step;
  }

  private keep(out: { step?: NativeAuthenticatorStep; final?: NativeConcludeOut; finalError?: EapError }): void {
    if (!out.step || (!out.final && !out.finalError)) return;
    // Result attributes may carry the MSK and EMSK: they live as long as the session.
    if (out.final?.result) this.session.holdSecrets(out.final.result.attributes.map((attribute) => attribute.value));
    this.conclusion = { packet: out.step.packet, final: out.final, finalError: out.finalError };
  }
}
