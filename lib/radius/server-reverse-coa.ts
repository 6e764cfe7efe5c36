/**
 * Reverse CoA (draft-ietf-radext-reverse-coa), experimental, the server's side: a Disconnect-Request
 * or CoA-Request for a session goes down the RadSec connection its NAS opened to this server
 * (the one its Access-Request came on, the engine's record says), and the ACK or NAK comes back on
 * it. The RADIUS engine hands those answers over (RadiusEngineEvents.answers) instead of refusing
 * them; a client engine with that connection as its stream (client-engine.ts, as RadSecClient's)
 * writes each request through the listener, and matches and verifies each answer, under the
 * connection's secret. Over TLS only: RADIUS/DTLS associations write natively, not through here.
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

/** Where a request goes out: a connection's link, and who is on its other end. */
export interface ReverseLink { link: number; address: string; port: number }

/** das/client.ts's way over RadSec (RadSecClient.dynamicAuthorizationRequest), down one connection. */
export interface ReverseCoaWay {
  dynamicAuthorizationRequest(endpoint: unknown,
    request: Pick<EngineRequest, 'code' | 'attributes' | 'messageAuthenticator' | 'requireMessageAuthenticator' | 'answerCodes'>,
    options: Pick<RadiusRequestOptions, 'timeoutMs' | 'signal'>): Promise<RadiusExchange>;
}

export class ReverseCoaLinks {
  private readonly engine: ClientEngine;
  private readonly targets = new Map<number, Target>();

  /** `write`: to the connection `link` names, false when it is gone. */
  constructor(write: (link: number, datagram: Buffer) => boolean, private readonly secret: RadiusSecret) {
    this.engine = new ClientEngine({
      streams: { write: (link, datagram) => { write(link, datagram); }, broken: () => undefined, resume: () => undefined },
    });
  }

  /** An ACK or NAK a connection brought. */
  answered(link: number, datagram: Buffer): void {
    if (this.targets.has(link)) this.engine.stream(link, datagram);
  }

  /** The connection closed: its requests out fail now. */
  dropped(link: number): void {
    const target = this.targets.get(link);
    if (!target) return;
    this.targets.delete(link);
    this.engine.dropStream(link, new RadiusConnectionError(target.server, true));
  }

  /** The way down connection `to`, for das/client.ts. */
  way(to: ReverseLink): ReverseCoaWay {
    return {
      dynamicAuthorizationRequest: async (_endpoint, request, options) => {
        if (options.signal?.aborted) throw new RadiusAbortedError();
        if (this.engine.isClosed) throw new RadiusAbortedError('the RADIUS server closed');
        let target = this.targets.get(to.link);
        if (!target) {
          target = this.engine.streamTarget(to.link, to.address, to.port, this.secret);
          this.targets.set(to.link, target);
        }
        const { outcome, server } = await this.engine.sendOn(target, {
          ...request, answerCodes: [...request.answerCodes, RadiusCode.ProtocolError], secretProbe: false, tries: 1,
          timeoutMs: options.timeoutMs ?? 6000, signal: options.signal,
        });
        if (outcome.kind !== RadiusClientOutcomeKind.Reply) throw failureOf(outcome, server);
        if (outcome.code === RadiusCode.ProtocolError) throw protocolErrorOf(outcome.attributes ?? [], server);
        return exchangeOf(outcome);
      },
    };
  }

  close(): void {
    for (const link of [...this.targets.keys()]) this.dropped(link);
    this.engine.close();
  }
}
