import { strict as assert } from 'node:assert';
import { createSocket } from 'node:dgram';
import { createAuthenticator, Authenticator } from '../../lib';
import {
  RadiusConversationRecord, RadiusServer, decodeRadiusPacket, eapMessageAttributes, reassembleEapMessage, signAccessRequest,
  verifyResponse,
} from '../../lib/radius';
import { radiusServerProbe, waitFor } from '../support/radius-probe';
import { identityResponse, md5ChallengeResponse } from './md5-oracle';

/**
 * What the native RADIUS lane (native/radius/) must hold beyond the duties both lanes share
 * (server.test.ts, fair-share.test.ts, tls-conversation-cap.test.ts, eapol-test.test.ts run on
 * both): input nobody chose, the attributes a proxy relies on, the log's records as the JS lane
 * writes them, when it is chosen, and how its socket fails.
 */
const SECRET = Buffer.from('native-lane-secret');
const USERS = { gina: { password: 'pw' } };

/** One MD5 authentication, step by step as a NAS relays it; the replies as decoded. */
async function md5Conversation(send: (datagram: Buffer) => void, replies: Buffer[], password: string,
  extra: { type: number; value: Buffer }[] = []): Promise<Buffer[]> {
  const start = replies.length;
  const identity = signAccessRequest(1, [{ type: 1, value: Buffer.from('gina') }, ...extra,
    ...eapMessageAttributes(identityResponse(1, 'gina'))], SECRET);
  send(identity.datagram);
  await waitFor(() => replies.length === start + 1);
  const challenge = decodeRadiusPacket(replies[start]);
  assert.ok(verifyResponse(challenge, identity.requestAuthenticator, SECRET), 'the challenge is signed with our secret');
  const state = challenge.attributes.find((a) => a.type === 24)!.value;
  const response = md5ChallengeResponse(reassembleEapMessage(challenge)!, password);
  const second = signAccessRequest(2, [{ type: 1, value: Buffer.from('gina') }, { type: 24, value: state }, ...extra,
    ...eapMessageAttributes(response)], SECRET);
  send(second.datagram);
  await waitFor(() => replies.length === start + 2);
  assert.ok(verifyResponse(decodeRadiusPacket(replies[start + 1]), second.requestAuthenticator, SECRET));
  return replies.slice(start);
}

describe('RadiusServer on its native lane', function () {
  this.timeout(20_000);
  let authenticator: Authenticator;

  before(async () => {
    authenticator = await createAuthenticator({ methods: ['md5'], users: USERS });
  });
  after(async () => {
    await authenticator?.close();
  });

  it('is chosen for an embedded authenticator with a plain table; a store with a lookup keeps the JS lane', async () => {
    const probe = await radiusServerProbe({ secret: SECRET, authenticator });
    const custom = await createAuthenticator({ methods: ['md5'], users: { lookup: () => USERS.gina } });
    const other = await radiusServerProbe({ secret: SECRET, authenticator: custom });
    try {
      assert.equal(probe.server.onNativeLane, process.platform !== 'win32');
      assert.equal(other.server.onNativeLane, false);
      const replies = await md5Conversation(other.send, other.replies, 'pw');
      assert.equal(replies[1][0], 2, 'the JS lane still authenticates');
    } finally {
      await probe.close();
      await other.close();
      await custom.close();
    }
  });

  it('serves on ::1, answering an IPv6 source from the clients list, and ignores a source no entry holds', async () => {
    const listed = await radiusServerProbe({ host: '::1', authenticator, clients: [{ network: '::1', secret: SECRET }] });
    const unlisted = await radiusServerProbe({ host: '::1', authenticator,
      clients: [{ network: '2001:db8::/32', secret: SECRET }] });
    try {
      assert.equal(listed.server.onNativeLane, process.platform !== 'win32');
      const replies = await md5Conversation(listed.send, listed.replies, 'pw');
      assert.equal(replies[1][0], 2, 'Access-Accept over IPv6');
      unlisted.send(signAccessRequest(3, [...eapMessageAttributes(identityResponse(1, 'gina'))], SECRET).datagram);
      await waitFor(() => unlisted.server.stats.droppedUnexpected === 1);
      assert.equal(unlisted.replies.length, 0);
    } finally {
      await listed.close();
      await unlisted.close();
    }
  });

  it('drops malformed datagrams, counts each, and goes on serving', async () => {
    const { server, replies, send, close } = await radiusServerProbe({ secret: SECRET, authenticator });
    try {
      const valid = signAccessRequest(7, [...eapMessageAttributes(identityResponse(1, 'gina'))], SECRET).datagram;
      const lengthPastDatagram = Buffer.from(valid);
      lengthPastDatagram.writeUInt16BE(valid.length + 10, 2);
      const attributeTooShort = Buffer.concat([valid.subarray(0, 20), Buffer.from([79, 1])]);
      attributeTooShort.writeUInt16BE(attributeTooShort.length, 2);
      const garbage = [Buffer.alloc(0), Buffer.alloc(3), Buffer.alloc(19, 1), lengthPastDatagram, attributeTooShort,
        Buffer.from([1, 1, 0x10, 0x01, ...Buffer.alloc(0x1001)])];
      for (const datagram of garbage) send(datagram);
      // A signed request whose EAP-Message is not one EAP packet (its Length field says 9, it holds 10).
      const torn = Buffer.from(identityResponse(1, 'gina'));
      torn.writeUInt16BE(torn.length - 1, 2);
      send(signAccessRequest(8, [{ type: 79, value: torn }], SECRET).datagram);
      await waitFor(() => server.stats.droppedMalformed === garbage.length + 1);
      assert.equal(replies.length, 0);
      const answered = await md5Conversation(send, replies, 'pw');
      assert.equal(answered[1][0], 2, 'Access-Accept after the garbage');
    } finally {
      await close();
    }
  });

  it('echoes every Proxy-State in order and answers with the same attributes as the JS lane', async () => {
    const proxy = [{ type: 33, value: Buffer.from('first') }, { type: 33, value: Buffer.from('second') }];
    const shapes: number[][][] = [];
    for (const nativeLane of [true, false]) {
      const { server, replies, send, close } = await radiusServerProbe({ secret: SECRET, authenticator, nativeLane });
      try {
        assert.equal(server.onNativeLane, nativeLane && process.platform !== 'win32');
        const [challenge, accept] = await md5Conversation(send, replies, 'pw', proxy);
        for (const reply of [challenge, accept]) {
          const states = decodeRadiusPacket(reply).attributes.filter((a) => a.type === 33).map((a) => a.value.toString());
          assert.deepEqual(states, ['first', 'second']);
        }
        shapes.push([challenge, accept].map((reply) => decodeRadiusPacket(reply).attributes.map((a) => a.type)));
      } finally {
        await close();
      }
    }
    assert.deepEqual(shapes[0], shapes[1]);
  });

  it('writes the same conversation records as the JS lane, an accept and a reject', async () => {
    const written: RadiusConversationRecord[][] = [];
    for (const nativeLane of [true, false]) {
      const records: RadiusConversationRecord[] = [];
      const { replies, send, close } = await radiusServerProbe({ secret: SECRET, authenticator, nativeLane,
        onConversationEnd: (record) => records.push(record) });
      try {
        await md5Conversation(send, replies, 'pw');
        await md5Conversation(send, replies, 'wrong');
        await waitFor(() => records.length === 2);
      } finally {
        await close();
      }
      written.push(records.map(({ durationMs, ...rest }) => {
        assert.ok(durationMs >= 0);
        return rest as RadiusConversationRecord;
      }));
    }
    assert.deepEqual(written[0], written[1]);
    assert.equal(written[0][0].outcome, 'accept');
    assert.equal(written[0][1].outcome, 'reject');
  });

  // On Windows the JS lane's dgram socket is the one that fails: the same error either way.
  it('a port in use fails listen() as dgram does (EADDRINUSE), and nothing keeps the process alive', async () => {
    const holder = createSocket('udp4');
    await new Promise<void>((resolve) => holder.bind(0, '127.0.0.1', () => resolve()));
    try {
      const server = new RadiusServer({ port: holder.address().port, secret: SECRET, authenticator });
      await assert.rejects(server.listen(), (error: Error & { code?: string; port?: number }) =>
        error.code === 'EADDRINUSE' && error.port === holder.address().port);
      assert.equal(server.onNativeLane, false);
    } finally {
      holder.close();
    }
  });

  it('close() ends every conversation; its counts stay readable', async () => {
    const { server, replies, send, close } = await radiusServerProbe({ secret: SECRET, authenticator });
    send(signAccessRequest(3, [...eapMessageAttributes(identityResponse(1, 'gina'))], SECRET).datagram);
    await waitFor(() => replies.length === 1);
    assert.equal(server.activeConversations, 1);
    await close();
    assert.equal(server.activeConversations, 0);
    assert.equal(server.stats.challenges, 1);
    assert.equal(server.stats.requests, 1);
  });
});
