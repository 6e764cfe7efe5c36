/**
 * Reverse CoA (draft-ietf-radext-reverse-coa), experimental, the NAS's side: a RadSec client takes
 * Disconnect-Requests and CoA-Requests back down the connection it opened, as its Dynamic
 * Authorization Server would take them.
 */
import { isIP } from 'node:net';
import type { NativeDynamicAuthorization } from '../../native';
import { cidrsOf } from '../client-networks';
import { answer, openLane } from './lane';
import type { DasRequest, DasVerdict } from './lane';

/** Reverse CoA (draft-ietf-radext-reverse-coa), experimental: what the NAS that opened a RadSec
 *  connection takes back down it. */
interface ReverseCoaOptions {
  /** Carries a request out (DynamicAuthorizationServerOptions' handle). */
  handle(request: DasRequest): DasVerdict | Promise<DasVerdict>;
  /** Our NAS-Identifier: a request naming another is NAK'd 403; unset, any NAS-Identifier is. */
  nasIdentifier?: string;
  /** Our NAS-IP-Address / NAS-IPv6-Address: a request naming another is NAK'd 403; unset, any is. */
  nasIpAddress?: string;
}

/**
 * @internal The NAS side of reverse CoA: the Disconnect-Requests and CoA-Requests a server sends
 * down a RadSec connection the client opened (radsec/client.ts hands each over whole, as its
 * engine framed it), checked, remembered and answered by a lane of this server's stack, one per
 * connection, opened at its first request: under the connection's own secret, from its server
 * alone (the TLS handshake authenticated it), the answer written back on that connection.
 */
export class ReverseDynamicAuthorization {
  private readonly lanes = new Map<number, { lane: NativeDynamicAuthorization; link: number }>();

  constructor(private readonly options: ReverseCoaOptions) {
    if (typeof options !== 'object' || options === null || typeof options.handle !== 'function') {
      throw new TypeError('reverseCoa must be { handle, nasIdentifier?, nasIpAddress? }');
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
        nasAddress: this.options.nasIpAddress, windowSeconds: 300, replayCacheSize: 4096,
      }, (request) => void answer(lane, request, this.options.handle, send));
      open = { lane, link: lane.link() };
      this.lanes.set(link, open);
    }
    const { replies } = open.lane.stream({ link: open.link, data: packet, address: from.address, port: from.port });
    for (const reply of replies) send(reply);
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
