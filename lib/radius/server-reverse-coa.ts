/**
 * Reverse CoA (draft-ietf-radext-reverse-coa), experimental, the server's side: a Disconnect-Request
 * or CoA-Request for a session goes down the RadSec connection its NAS opened to this server
 * (the one its Access-Request came on, the engine's record says), and the ACK or NAK comes back on
 * it. The RADIUS engine hands those answers over (RadiusEngineEvents.answers) instead of refusing
 * them; a client engine with that connection as its stream (client-engine.ts, as RadSecClient's)
 * writes each request through the listener, or, down a RADIUS/DTLS association, through the
 * engine to its native listener (dtlsSend), and matches and verifies each answer, under the
 * connection's secret.
 */
import { RadiusClientOutcomeKind } from '../native';
import { ClientEngine, Target } from './client-engine';
import type { EngineRequest } from './client-engine';
import { exchangeOf, failureOf } from './client';
import type { RadiusExchange, RadiusRequestOptions } from './client';
import { RadiusCode } from './constants';
import { RadiusAbortedError, RadiusConnectionError } from './errors';
import { protocolErrorOf } from './error-cause';
import type { RadiusSecret } from './secret';

/** Where a request goes out: a connection's link, who is on its other end, and the secret shared
 *  on it; `association`: a RADIUS/DTLS association, whose end JS is not told of, so its target
 *  goes once its requests out are settled. */
export interface ReverseLink { link: number; address: string; port: number; secret: RadiusSecret; association?: true }

/** das/client.ts's way over RadSec (RadSecClient.dynamicAuthorizationRequest), down one connection. */
export interface ReverseCoaWay {
  dynamicAuthorizationRequest(endpoint: unknown,
    request: Pick<EngineRequest, 'code' | 'attributes' | 'messageAuthenticator' | 'requireMessageAuthenticator' | 'answerCodes'>,
    options: Pick<RadiusRequestOptions, 'timeoutMs' | 'signal'>): Promise<RadiusExchange>;
}

/**
 * How long a closed connection's requests still take the answers it brought: the RADIUS engine
 * reads a connection's bytes on its own thread and hands its answers over on a later turn, while
 * the close reaches JS at once (a NAS that ACKs and closes at once is the usual case).
 */
const DROP_GRACE_MS = 2000;

export class ReverseCoaLinks {
  private readonly engine: ClientEngine;
  private readonly targets = new Map<number, Target>();
  /** Closed connections whose requests out still take the answers the engine has yet to hand over. */
  private readonly closing = new Map<number, { target: Target; timer: NodeJS.Timeout }>();
  /** Requests out on each RADIUS/DTLS association's target. */
  private readonly outOnAssociation = new Map<number, number>();

  /** `write`: to the connection `link` names, false when it is gone. */
  constructor(write: (link: number, datagram: Buffer) => boolean) {
    this.engine = new ClientEngine({
      streams: { write: (link, datagram) => { write(link, datagram); }, broken: () => undefined, resume: () => undefined },
    });
  }

  /** An ACK or NAK a connection brought (before it closed, perhaps). */
  answered(link: number, datagram: Buffer): void {
    if (this.targets.has(link) || this.closing.has(link)) this.engine.stream(link, datagram);
  }

  /** The connection closed: its requests out fail once the answers it brought are in (DROP_GRACE_MS). */
  dropped(link: number): void {
    const target = this.targets.get(link);
    if (!target) return;
    this.targets.delete(link);
    const timer = setTimeout(() => this.ended(link), DROP_GRACE_MS);
    timer.unref();
    this.closing.set(link, { target, timer });
  }

  /** A closed connection's requests still out fail now. */
  private ended(link: number): void {
    const closed = this.closing.get(link);
    if (!closed) return;
    clearTimeout(closed.timer);
    this.closing.delete(link);
    this.engine.dropStream(link, new RadiusConnectionError(closed.target.server, true));
  }

  /** The way down connection `to`, for das/client.ts. */
  way(to: ReverseLink): ReverseCoaWay {
    return {
      dynamicAuthorizationRequest: async (_endpoint, request, options) => {
        if (options.signal?.aborted) throw new RadiusAbortedError();
        if (this.engine.isClosed) throw new RadiusAbortedError('the RADIUS server closed');
        // A link number a closed connection had is another connection's now.
        this.ended(to.link);
        let target = this.targets.get(to.link);
        if (!target) {
          target = this.engine.streamTarget(to.link, to.address, to.port, to.secret);
          this.targets.set(to.link, target);
        }
        if (to.association) this.outOnAssociation.set(to.link, (this.outOnAssociation.get(to.link) ?? 0) + 1);
        const { outcome, server } = await this.engine.sendOn(target, {
          ...request, answerCodes: [...request.answerCodes, RadiusCode.ProtocolError], secretProbe: false, tries: 1,
          timeoutMs: options.timeoutMs ?? 6000, signal: options.signal,
        }).finally(() => {
          if (to.association) this.settled(to.link);
        });
        if (outcome.kind !== RadiusClientOutcomeKind.Reply) throw failureOf(outcome, server);
        if (outcome.code === RadiusCode.ProtocolError) throw protocolErrorOf(outcome.attributes ?? [], server);
        return exchangeOf(outcome);
      },
    };
  }

  /** A request on RADIUS/DTLS association `link` settled: with none left out, its target goes. */
  private settled(link: number): void {
    const left = (this.outOnAssociation.get(link) ?? 1) - 1;
    if (left > 0) {
      this.outOnAssociation.set(link, left);
      return;
    }
    this.outOnAssociation.delete(link);
    const target = this.targets.get(link);
    if (!target) return;
    this.targets.delete(link);
    this.engine.dropStream(link, new RadiusConnectionError(target.server, true));
  }

  close(): void {
    for (const link of [...this.targets.keys()]) this.dropped(link);
    for (const link of [...this.closing.keys()]) this.ended(link);
    this.engine.close();
  }
}
