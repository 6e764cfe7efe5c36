import { RadiusClientOutcomeKind } from '../../native';
import { encodeAttributes, textOf } from '../attribute-codec';
import type { ClientEngine, Target } from '../client-engine';
import { failureOf } from '../client';
import { protocolErrorOf } from '../error-cause';
import { RadiusAttributeType, RadiusCode } from '../constants';
import { RadiusProtocolErrorReply, RadiusTimeoutError, RadSecUnresponsiveError } from '../errors';
import type { StatusServerReply } from '../status-server';

/**
 * Status-Server per RadSec connection (the RadSec revision §3.8; RFC 3539's watchdog; RFC 6613
 * §2.6): TCP says nothing about a server that stopped answering while its kernel still
 * acknowledges, so a connection that has brought nothing for `afterMs` (idle, or with requests
 * out and no reply) gets a Status-Server. An answer proves the server alive (its requests keep
 * waiting); none within `timeoutMs` closes the connection as dead, and its requests fail at once
 * with RadSecUnresponsiveError instead of each waiting out its own timeout.
 */
export const DEFAULT_STATUS_SERVER_AFTER_MS = 30_000;
export const DEFAULT_STATUS_SERVER_TIMEOUT_MS = 6000;

/** One Status-Server on a connection's target, as one try that waits `timeoutMs`; a verified
 *  Access-Accept (RFC 5997 §4.1: an authentication port answers so) or the typed failure, a
 *  Protocol-Error (a server that does not take Status-Server) among them. */
export async function statusServerOn(engine: ClientEngine, target: Target, timeoutMs: number, signal?: AbortSignal)
  : Promise<StatusServerReply> {
  const { outcome, server } = await engine.sendOn(target, {
    code: RadiusCode.StatusServer, attributes: encodeAttributes([textOf(RadiusAttributeType.NasIdentifier, 'eaphost')]),
    // Message-Authenticator is mandatory in Status-Server (RFC 5997 §3). Not required in the answer:
    // FreeRADIUS before 3.2.5 sends none, and inside TLS nobody else can write one (BlastRADIUS is
    // a UDP attack); its Response Authenticator is still verified with the secret.
    messageAuthenticator: true, requireMessageAuthenticator: false, secretProbe: false,
    answerCodes: [RadiusCode.AccessAccept, RadiusCode.ProtocolError], tries: 1, timeoutMs, signal,
  });
  if (outcome.kind !== RadiusClientOutcomeKind.Reply) throw failureOf(outcome, server);
  if (outcome.code === RadiusCode.ProtocolError) throw protocolErrorOf(outcome.attributes ?? [], server);
  const reply = { code: outcome.code!, identifier: outcome.identifier!, authenticator: outcome.authenticator!, attributes: outcome.attributes! };
  return {
    code: reply.code, latencyMs: Math.round(outcome.elapsedMs * 100) / 100, tries: 1, reply,
    messageAuthenticator: reply.attributes.some((a) => a.type === RadiusAttributeType.MessageAuthenticator),
  };
}

export interface WatchedConnection {
  engine: ClientEngine;
  link: number;
  server: string;
  /** The connection's target, made on first use. */
  target(): Target;
  /** How long the connection has brought nothing, where its bytes do not pass JS (heard() is
   *  not called for them: a RADIUS/DTLS association's records go to the engine natively). */
  quietMs?(): number | undefined;
  /** Closes the connection: its requests fail with `error`. */
  close(error: Error): void;
  /** Each check's outcome: the verified answer, or the error the connection was closed with. */
  report?: (server: string, outcome: StatusServerReply | RadSecUnresponsiveError | RadiusProtocolErrorReply) => void;
}

/** The timer of one connection: heard() on every byte it brings (or, asked when it fires, its
 *  quietMs()); stop() when it is gone. */
export class RadSecWatchdog {
  private timer: NodeJS.Timeout | undefined;
  private probing = false;
  private stopped = false;

  constructor(private readonly connection: WatchedConnection, private readonly afterMs: number, private readonly timeoutMs: number) {
    // Never holds the process open by itself; a Status-Server out does, for its timeoutMs.
    if (afterMs > 0) this.timer = setTimeout(() => this.fire(), afterMs).unref();
  }

  heard(): void {
    if (!this.probing) this.timer?.refresh();
  }

  stop(): void {
    this.stopped = true;
    clearTimeout(this.timer);
  }

  private fire(): void {
    if (this.stopped || this.probing) return;
    const quiet = this.connection.quietMs?.();
    if (quiet !== undefined && quiet < this.afterMs) {
      this.timer = setTimeout(() => this.fire(), this.afterMs - quiet).unref();
      return;
    }
    this.probing = true;
    const { engine, link, server } = this.connection;
    statusServerOn(engine, this.connection.target(), this.timeoutMs).then((answer) => this.tell(answer), (error: unknown) => {
      // A verified Protocol-Error is an answer too: the server is alive, it does not take Status-Server.
      if (error instanceof RadiusProtocolErrorReply) return this.tell(error);
      // Closed meanwhile (the client, the server, an alert): nothing left to watch.
      if (this.stopped || !(error instanceof RadiusTimeoutError)) return;
      const dead = new RadSecUnresponsiveError(server, this.afterMs, this.timeoutMs, engine.pendingOn(link));
      this.tell(dead);
      this.connection.close(dead);
    }).finally(() => {
      this.probing = false;
      if (!this.stopped) this.timer?.refresh();
    });
  }

  private tell(outcome: StatusServerReply | RadSecUnresponsiveError | RadiusProtocolErrorReply): void {
    try {
      this.connection.report?.(this.connection.server, outcome);
    } catch {
      // A report that throws loses its line, never the connection's watch.
    }
  }
}
