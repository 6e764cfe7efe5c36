import { createHash } from 'node:crypto';
import { createSocket } from 'node:dgram';

/** A UDP server on a free loopback port that counts what it answered. */
export interface UnsignedReplyServer { port: number; answered(): number; close(): Promise<void> }

/**
 * Answers every datagram of 20 octets or more with a bare reply of `code` whose Response
 * Authenticator is right (RFC 2865 §3, computed with node:crypto over the request's
 * authenticator and `secret`) and which carries no Message-Authenticator: the reply a
 * BlastRADIUS (CVE-2024-3596) attacker can forge.
 */
export async function unsignedReplyServer(code: number, secret: string): Promise<UnsignedReplyServer> {
  const socket = createSocket('udp4');
  let answered = 0;
  socket.on('message', (request, remote) => {
    if (request.length < 20) return;
    const reply = Buffer.alloc(20);
    reply[0] = code;
    reply[1] = request[1];
    reply.writeUInt16BE(20, 2);
    request.copy(reply, 4, 4, 20);
    createHash('md5').update(reply).update(secret).digest().copy(reply, 4);
    answered++;
    socket.send(reply, remote.port, remote.address);
  });
  await new Promise<void>((resolve) => socket.bind(0, '127.0.0.1', () => resolve()));
  return {
    port: socket.address().port,
    answered: () => answered,
    close: () => new Promise<void>((resolve) => socket.close(() => resolve())),
  };
}
