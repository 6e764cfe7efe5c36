/**
 * Half-open PEAP conversations in the embedded authenticator, as a flood of abandoned handshakes
 * leaves them: one real peer's first two responses (its Identity, then the PEAP response carrying
 * its ClientHello) are recorded once, then replayed to fresh conversations, each answered with the
 * server's first flight and left waiting for the peer's next message.
 */
import { authenticate } from '../../lib';
import type { Authenticator, AuthenticatorConversation, EapHost, EapTransport, TransportReply } from '../../lib';

/**
 * Records our peer's opening against `authenticator` (the user must be one it holds) and returns
 * what opens one more half-open conversation with it.
 */
export async function recordPeapOpening(authenticator: Authenticator, host: EapHost,
  user: { identity: string; password: string }): Promise<() => Promise<AuthenticatorConversation>> {
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
  if (!clientHello || clientHello[4] !== 25) throw new Error('no PEAP ClientHello recorded');
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
