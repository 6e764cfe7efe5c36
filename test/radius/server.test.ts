import { strict as assert } from 'node:assert';
import { createSocket } from 'node:dgram';
import { createAuthenticator, Authenticator } from '../../lib';
import { eapMessageAttributes, RadiusServer, signAccessRequest } from '../../lib/radius';
import { identityResponse } from './md5-oracle';

/** RadiusServer's own duties: duplicate detection (RFC 5080 §2.2.2) and idle expiry. */
const SECRET = Buffer.from('server-test-secret');

describe('RadiusServer', function () {
  this.timeout(20_000);
  let authenticator: Authenticator;

  before(async () => {
    authenticator = await createAuthenticator({ methods: ['md5'], users: { gina: { password: 'pw' } } });
  });
  after(async () => {
    await authenticator?.close();
  });

  it('answers a retransmitted request from its reply cache, byte for byte, without a second EAP step; expires idle conversations', async () => {
    const server = new RadiusServer({ port: 0, secret: SECRET, idleTimeoutMs: 300,
      conversationFactory: () => authenticator.createConversation() });
    const { port } = await server.listen();
    const socket = createSocket('udp4');
    const replies: Buffer[] = [];
    socket.on('message', (message) => replies.push(message));
    await new Promise<void>((resolve) => socket.bind(0, '127.0.0.1', () => resolve()));
    try {
      const { datagram } = signAccessRequest(9, [{ type: 1, value: Buffer.from('gina') },
        ...eapMessageAttributes(identityResponse(1, 'gina'))], SECRET);
      socket.send(datagram, port, '127.0.0.1');
      await waitFor(() => replies.length === 1);
      socket.send(datagram, port, '127.0.0.1');
      await waitFor(() => replies.length === 2);
      assert.deepEqual(replies[1], replies[0]);
      assert.equal(replies[0][0], 11, 'Access-Challenge');
      assert.equal(server.stats.challenges, 1);
      assert.equal(server.stats.duplicates, 1);
      assert.equal(server.activeConversations, 1);
      await waitFor(() => server.activeConversations === 0, 3000);
      assert.equal(server.stats.conversationsExpired, 1);
    } finally {
      socket.close();
      await server.close();
    }
  });
});

async function waitFor(condition: () => boolean, timeoutMs = 2000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}
