/**
 * Reverse CoA (draft-ietf-radext-reverse-coa), experimental, the NAS's side: a RadSec client takes
 * Disconnect-Requests and CoA-Requests back down the connection it opened, as its Dynamic
 * Authorization Server would take them.
 */
import { isIP } from 'node:net';
import type { NativeDynamicAuthorization } from '../../native';
import { cidrsOf } from '../client-networks';
import { answer, openLane } from '../das-lane';
import type { DasRequest, DasVerdict } from '../das-lane';

/** Reverse CoA (draft-ietf-radext-reverse-coa), experimental: what the NAS that opened a RadSec
 *  connection takes back down it. */
interface ReverseCoaOptions {
  /** Carries a request out (DynamicAuthorizationServerOptions' handle). */
  handle(request: DasRequest): DasVerdict | Promise<DasVerdict>;
  /** Our NAS-Identifier: a request naming another is NAK'd 403; unset, any NAS-Identifier is. */
  nasIdentifier?: string;
  /** Our NAS-IP-Address / NAS-IPv6-Address: a request naming another is NAK'd 403; unset, any is. */
  nasIpAddress?: string;
  /** A proxy's (reverse CoA toward the NAS side): the NAS identification passes unchecked, the NAS's to check. */
  relay?: true;
}

/** A connection's lane, its own link number in it, and whether its next turn is due. */
interface ReverseLane { lane: NativeDynamicAuthorization; link: number; turnScheduled: boolean }

const NO_BYTES = Buffer.alloc(0);

/**
 * @internal The NAS side of reverse CoA: the Disconnect-Requests and CoA-Requests a server sends
 * down a RadSec connection the client opened (radsec/client.ts hands each over whole, as its
 * engine framed it), checked, remembered and answered by a lane of this server's stack, one per
 * connection, opened at its first request: under the connection's own secret, from its server
 * alone (the TLS handshake authenticated it), the answer written back on that connection.
 */
export class ReverseDynamicAuthorization {
  private readonly lanes = new Map<number, ReverseLane>();

  constructor(private readonly options: ReverseCoaOptions) {
    if (typeof options !== 'object' || options === null || typeof options.handle !== 'function') {
      throw new TypeError('reverseCoa must be { handle, nasIdentifier?, nasIpAddress? }');
    }
    if (options.relay !== undefined && (options.relay !== true || options.nasIdentifier !== undefined || options.nasIpAddress !== undefined)) {
      throw new TypeError('reverseCoa.relay is true or absent, and not with nasIdentifier or nasIpAddress');
    }
    if (options.nasIpAddress !== undefined && isIP(options.nasIpAddress) === 0) {
      throw new RangeError(`reverseCoa.nasIpAddress "${options.nasIpAddress}" is not an IP address`);
    }
  }

  /** A request connection `link` (from `address`, `port`) brought; `send` writes to that connection. */
  take(link: number, packet: Buffer, from: { address: string; port: number; secret: Buffer }, send: (reply: Buffer) => void): void {
    let open = this.lanes.get(link);
    if (!open) {
      const clients = cidrsOf('*', 'reverseCoa').map(({ address, prefix }) => ({ network: address, prefix, secret: from.secret }));
      const lane: NativeDynamicAuthorization = openLane(this.options, {
        host: isIP(from.address) === 6 ? '::1' : '127.0.0.1', port: 0, radsec: true, streamSecret: from.secret, clients,
        nasAddress: this.options.nasIpAddress, anyNas: this.options.relay === true, windowSeconds: 300, replayCacheSize: 4096,
      }, (request) => void answer(lane, request, this.options.handle, send));
      open = { lane, link: lane.link(), turnScheduled: false };
      this.lanes.set(link, open);
    }
    this.feed(link, open, packet, from, send);
  }

  /** Bytes into the lane, and what it answers at once out; the lane takes a turn's share of a
   *  connection's packets until it is called with none (the next turn), which comes once a turn. */
  private feed(link: number, open: ReverseLane, data: Buffer, from: { address: string; port: number }, send: (reply: Buffer) => void): void {
    const { replies, backlog } = open.lane.stream({ link: open.link, data, address: from.address, port: from.port });
    for (const reply of replies) send(reply);
    // Nothing came and nothing waits: no turn to take.
    if (open.turnScheduled || (data.length === 0 && !backlog)) return;
    open.turnScheduled = true;
    setImmediate(() => {
      open.turnScheduled = false;
      if (this.lanes.get(link) === open) this.feed(link, open, NO_BYTES, from, send);
    });
  }

  /** The connection is gone: its lane with it. */
  drop(link: number): void {
    this.lanes.get(link)?.lane.close();
    this.lanes.delete(link);
  }

  close(): void {
    for (const link of [...this.lanes.keys()]) this.drop(link);
  }
}
