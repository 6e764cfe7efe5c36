import { createHash, createHmac, randomBytes } from 'node:crypto';
import { createSocket } from 'node:dgram';

/** A UDP server on a free loopback port that counts what it received and answered. */
export interface UnsignedReplyServer {
  port: number;
  answered(): number;
  /** Requests received, of one RADIUS code (1 Access-Request, 12 Status-Server) or all. */
  received(code?: number): number;
  /** Distinct requests received (by Identifier and Request Authenticator: a retransmission is not
   *  another request), of one RADIUS code or all. */
  distinct(code?: number): number;
  close(): Promise<void>;
}

/** The reply a stand-in makes to one request: its code, its attributes (type, value), and its
 *  Message-Authenticator: none, right (RFC 3579 §3.2) or wrong (right length, random bytes). */
export interface StandInReply {
  code: number;
  attributes?: { type: number; value: Buffer }[];
  messageAuthenticator: 'none' | 'right' | 'wrong';
  /** The reply's Identifier; the request's by default (a server's Identifier bug: another). */
  identifier?: number;
}

const MESSAGE_AUTHENTICATOR = 80;

/**
 * A RADIUS stand-in (not a server): answers every datagram of 20 octets or more with what
 * `reply` makes of it, the Response Authenticator always right (RFC 2865 §3, computed with
 * node:crypto over the request's authenticator and `secret`), so the shared secret checks out.
 */
export async function replyServer(secret: string, reply: (request: Buffer) => StandInReply,
  hold?: (request: Buffer) => Promise<void>): Promise<UnsignedReplyServer> {
  const socket = createSocket('udp4');
  let answered = 0;
  const received: number[] = [];
  const seen = new Map<string, number>();
  socket.on('message', (request, remote) => void (async () => {
    received.push(request[0]);
    if (request.length < 20) return;
    seen.set(request.subarray(1, 20).toString('hex'), request[0]);
    // `hold`: the answer waits for it (a home slow to answer).
    await hold?.(request);
    const made = reply(request);
    const attributes = [...made.attributes ?? []];
    if (made.messageAuthenticator !== 'none') attributes.push({ type: MESSAGE_AUTHENTICATOR, value: Buffer.alloc(16) });
    const body = Buffer.concat(attributes.map(({ type, value }) => Buffer.concat([Buffer.of(type, value.length + 2), value])));
    const packet = Buffer.concat([Buffer.alloc(20), body]);
    packet[0] = made.code;
    packet[1] = made.identifier ?? request[1];
    packet.writeUInt16BE(packet.length, 2);
    request.copy(packet, 4, 4, 20);
    if (made.messageAuthenticator !== 'none') {
      const at = packet.length - 16;
      const mac = made.messageAuthenticator === 'right' ? createHmac('md5', secret).update(packet).digest() : randomBytes(16);
      mac.copy(packet, at);
    }
    createHash('md5').update(packet).update(secret).digest().copy(packet, 4);
    answered++;
    socket.send(packet, remote.port, remote.address);
  })());
  await new Promise<void>((resolve) => socket.bind(0, '127.0.0.1', () => resolve()));
  return {
    port: socket.address().port,
    answered: () => answered,
    received: (code?: number) => received.filter((got) => code === undefined || got === code).length,
    distinct: (code?: number) => [...seen.values()].filter((got) => code === undefined || got === code).length,
    close: () => new Promise<void>((resolve) => socket.close(() => resolve())),
  };
}

/**
 * Answers every request with a bare reply of `code` that carries no Message-Authenticator: the
 * reply a BlastRADIUS (CVE-2024-3596) attacker can forge.
 */
export function unsignedReplyServer(code: number, secret: string): Promise<UnsignedReplyServer> {
  return replyServer(secret, () => ({ code, messageAuthenticator: 'none' }));
}
