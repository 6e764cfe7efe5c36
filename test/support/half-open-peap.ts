/**
 * Half-open PEAP conversations, as a flood of abandoned handshakes leaves them: one real peer's
 * first two responses (its Identity, then the PEAP response carrying its ClientHello) are recorded
 * once, then replayed to fresh conversations, each answered with the server's first flight and
 * left waiting for the peer's next message. In the embedded authenticator (recordPeapOpening), or
 * through a RadiusServer over UDP (radiusRequester, openOverRadius).
 */
import type { Socket } from 'node:dgram';
import { authenticate } from '../../lib';
import type { Authenticator, AuthenticatorConversation, EapHost, EapTransport, TransportReply } from '../../lib';
import { decodeRadiusPacket, eapMessageAttributes, OraclePacket, reassembleEapMessage, signAccessRequest } from './radius-oracle';
import { identityResponse } from '../radius/md5-oracle';

/** Our peer's first two responses against `authenticator` (the user must be one it holds). */
export async function recordPeapResponses(authenticator: Authenticator, host: EapHost,
  user: { identity: string; password: string }): Promise<{ identity: Buffer; clientHello: Buffer }> {
  const responses: Buffer[] = [];
  const real = authenticator.createConversation();
  const recorder: EapTransport = {
    begin: (options) => real.begin(options),
    respond: async (response, options) => {
      responses.push(Buffer.from(response));
      // Two responses are all a half-open conversation is given: stop the real one there.
      if (responses.length === 2) throw new Error('recorded');
      return real.respond(response, options);
    },
    close: () => real.close(),
  };
  const session = await host.beginSession({ method: 'peap', ...user, ...authenticator.trust });
  await authenticate({ session, transport: recorder }).catch(() => undefined);
  await session.endSession();
  await real.close();
  const [identity, clientHello] = responses;
  if (!identity || !clientHello || clientHello[4] !== 25) throw new Error('no PEAP ClientHello recorded');
  return { identity, clientHello };
}

/**
 * Records our peer's opening against `authenticator` (the user must be one it holds) and returns
 * what opens one more half-open conversation with it.
 */
export async function recordPeapOpening(authenticator: Authenticator, host: EapHost,
  user: { identity: string; password: string }): Promise<() => Promise<AuthenticatorConversation>> {
  const { identity, clientHello } = await recordPeapResponses(authenticator, host, user);
  // The recorded response, answering the request just received (its Identifier).
  const answer = (reply: TransportReply, response: Buffer): Buffer => {
    const copy = Buffer.from(response);
    copy[1] = reply.packet![1];
    return copy;
  };
  let opened = 0;
  return async () => {
    const conversation = authenticator.createConversation();
    let reply = await conversation.begin();
    reply = await conversation.respond(answer(reply, identity));  // → PEAP Start
    reply = await conversation.respond(answer(reply, clientHello));  // → the server's first flight
    if (reply.kind !== 'request' || !reply.packet || reply.packet[4] !== 25) {
      await conversation.close();
      throw new Error(`conversation ${opened}: ${reply.kind} ${reply.reason ?? ''}`);
    }
    opened++;
    return conversation;
  };
}

/** Sends an Access-Request: its reply, matched by identifier (at most 256 outstanding on one socket), or undefined after 10 s. */
export type RadiusRequest = (attributes: { type: number; value: Buffer }[]) => Promise<OraclePacket | undefined>;

/** Access-Requests from `socket` to a RadiusServer on loopback's `port`, signed with `secret`. */
export function radiusRequester(socket: Socket, port: number, secret: Buffer): RadiusRequest {
  const waiting = new Map<number, (reply: Buffer) => void>();
  socket.on('message', (message) => {
    const resolve = waiting.get(message[1]);
    waiting.delete(message[1]);
    resolve?.(message);
  });
  let next = 0;
  return async (attributes) => {
    let identifier = next++ & 0xff;
    while (waiting.has(identifier)) identifier = next++ & 0xff;
    const { datagram } = signAccessRequest(identifier, attributes, secret);
    const reply = new Promise<Buffer | undefined>((resolve) => {
      const timer = setTimeout(() => { waiting.delete(identifier); resolve(undefined); }, 10_000);
      waiting.set(identifier, (message) => { clearTimeout(timer); resolve(message); });
    });
    socket.send(datagram, port, '127.0.0.1');
    const message = await reply;
    return message ? decodeRadiusPacket(message) : undefined;
  };
}

/**
 * One half-open PEAP conversation through a RadiusServer: `name`'s Identity, then the recorded
 * ClientHello under the State the server gave. Whether the server's first flight came back (an
 * Access-Challenge).
 */
export async function openOverRadius(request: RadiusRequest, name: string, clientHello: Buffer): Promise<boolean> {
  const userName = Buffer.from(name);
  const start = await request([{ type: 1, value: userName }, ...eapMessageAttributes(identityResponse(1, name))]);
  const eap = start && reassembleEapMessage(start);
  const state = start?.attributes.find((attribute) => attribute.type === 24)?.value;
  if (!eap || !state) return false;
  const hello = Buffer.from(clientHello);
  hello[1] = eap[1];
  const flight = await request([{ type: 1, value: userName }, { type: 24, value: state }, ...eapMessageAttributes(hello)]);
  return flight?.code === 11;
}
