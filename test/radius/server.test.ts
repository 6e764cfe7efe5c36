import { strict as assert } from 'node:assert';
import { createAuthenticator, Authenticator } from '../../lib';
import { eapMessageAttributes, signAccessRequest } from '../../lib/radius';
import { radiusServerProbe, waitFor } from '../support/radius-probe';
import { identityResponse } from './md5-oracle';

/** RadiusServer's own duties: duplicate detection (RFC 5080 §2.2.2) and idle expiry. */
const SECRET = Buffer.from('server-test-secret');

// The same duties on both lanes (native/radius/ and server.ts), one server each.
for (const nativeLane of [false, true]) {
  describe(`RadiusServer, ${nativeLane ? 'native' : 'JS'} lane`, function () {
    this.timeout(20_000);
    let authenticator: Authenticator;

    before(async () => {
      authenticator = await createAuthenticator({ methods: ['md5'], users: { gina: { password: 'pw' } } });
    });
    after(async () => {
      await authenticator?.close();
    });

    it('answers a retransmitted request from its reply cache, byte for byte, without a second EAP step; expires idle conversations', async () => {
      const { server, replies, send, close } = await radiusServerProbe({ secret: SECRET, idleTimeoutMs: 300,
        authenticator, nativeLane });
      assert.equal(server.onNativeLane, nativeLane, 'the lane asked for');
      try {
        const { datagram } = signAccessRequest(9, [{ type: 1, value: Buffer.from('gina') },
          ...eapMessageAttributes(identityResponse(1, 'gina'))], SECRET);
        send(datagram);
        await waitFor(() => replies.length === 1);
        send(datagram);
        await waitFor(() => replies.length === 2);
        assert.deepEqual(replies[1], replies[0]);
        assert.equal(replies[0][0], 11, 'Access-Challenge');
        assert.equal(server.stats.challenges, 1);
        assert.equal(server.stats.duplicates, 1);
        assert.equal(server.activeConversations, 1);
        await waitFor(() => server.activeConversations === 0);
        assert.equal(server.stats.conversationsExpired, 1);
      } finally {
        await close();
      }
    });
  });
}
