import { strict as assert } from 'node:assert';
import { createHash, createHmac, randomBytes } from 'node:crypto';
import { createSocket } from 'node:dgram';
import { createAuthenticator, Authenticator, UserStore } from '../../lib';
import { RadiusConversationRecord, RadiusServer, RadiusServerOptions } from '../../lib/radius';
import {
  decodeRadiusPacket, decryptMppeKey, eapMessageAttributes, reassembleEapMessage, signAccessRequest, verifyResponse,
} from '../support/radius-oracle';
import { parseClearMppeKey } from '../../lib/core/mppe-key';
import { RFC2759 } from '../support/mschapv2-oracle';
import { oracleAuthentication } from '../support/oracle-radius-peer';
import { radiusServerProbe, waitFor } from '../support/radius-probe';
import { oddStores } from '../support/odd-store';
import { identityResponse, md5ChallengeResponse } from './md5-oracle';

/**
 * RadiusServer's own duties on its engine (native/radius/), each verdict decided by EAP-MD5
 * responses computed with node:crypto (md5-oracle.ts) and every reply checked with the client's
 * verifyResponse: duplicate detection (RFC 5080 §2.2.2) and idle expiry, input nobody chose, the
 * attributes a proxy relies on, the log's records, user stores that are not a plain table, and
 * how listen() fails.
 */
const SECRET = Buffer.from('server-test-secret');
const USERS = { gina: { password: 'pw' } };

/** One MD5 authentication, step by step as a NAS relays it; the replies as received. */
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

describe('RadiusServer', function () {
  this.timeout(20_000);
  let authenticator: Authenticator;

  before(async () => {
    authenticator = await createAuthenticator({ methods: ['md5'], users: USERS });
  });
  after(async () => {
    await authenticator?.close();
  });

  it('answers a retransmitted request from its reply cache, byte for byte, without a second EAP step; expires idle conversations', async () => {
    const { server, replies, send, close } = await radiusServerProbe({ secret: SECRET, idleTimeoutMs: 300, authenticator });
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

  it('signs each reply as RFC 2865 §3 and RFC 3579 §3.2 say, which the client verifies and nothing else passes', async () => {
    const { replies, send, close } = await radiusServerProbe({ secret: SECRET, authenticator });
    try {
      const request = signAccessRequest(5, [...eapMessageAttributes(identityResponse(1, 'gina'))], SECRET);
      send(request.datagram);
      await waitFor(() => replies.length === 1);
      const reply = replies[0];
      const withRequestAuth = Buffer.from(reply);
      request.requestAuthenticator.copy(withRequestAuth, 4);
      assert.deepEqual(reply.subarray(4, 20), createHash('md5').update(withRequestAuth).update(SECRET).digest());
      // The Message-Authenticator of a reply is computed with the Request Authenticator in the header.
      assert.equal(reply[20], 80, 'Message-Authenticator first');
      withRequestAuth.fill(0, 22, 38);
      assert.deepEqual(reply.subarray(22, 38), createHmac('md5', SECRET).update(withRequestAuth).digest());
      const decoded = decodeRadiusPacket(reply);
      assert.ok(verifyResponse(decoded, request.requestAuthenticator, SECRET));
      assert.ok(!verifyResponse(decoded, randomBytes(16), SECRET), 'another request');
      assert.ok(!verifyResponse(decoded, request.requestAuthenticator, Buffer.from('wrong')), 'another secret');
      const tampered = Buffer.from(reply);
      tampered[tampered.length - 1] ^= 1;
      assert.ok(!verifyResponse(decodeRadiusPacket(tampered), request.requestAuthenticator, SECRET));
    } finally {
      await close();
    }
  });

  it('drops a request carrying EAP without a valid Message-Authenticator (RFC 3579 §3.2), even when not required', async () => {
    const { server, replies, send, close } = await radiusServerProbe({ secret: SECRET, authenticator,
      requireMessageAuthenticator: false });
    try {
      const bare = Buffer.from(signAccessRequest(1, eapMessageAttributes(identityResponse(1, 'gina')), SECRET).datagram);
      bare[20] = 33; // the Message-Authenticator turned into a Proxy-State
      send(bare);
      const forged = Buffer.from(signAccessRequest(2, eapMessageAttributes(identityResponse(1, 'gina')), SECRET).datagram);
      forged[22] ^= 1;
      send(forged);
      await waitFor(() => server.stats.droppedUnauthenticated === 2);
      assert.equal(replies.length, 0);
    } finally {
      await close();
    }
  });

  it('EAP-MSCHAPv2: the Access-Accept\'s MS-MPPE keys, hidden as RFC 2548 says, are the MSK RFC 3079 derives', async () => {
    const mschapv2 = await createAuthenticator({ methods: ['mschapv2'], users: { User: { password: RFC2759.password } } });
    const server = new RadiusServer({ port: 0, secret: SECRET, authenticator: mschapv2 });
    try {
      const { port } = await server.listen();
      const accepted = await oracleAuthentication(port, SECRET, 'User',
        { mschapv2: { passwordHash: RFC2759.passwordHash, passwordHashHash: RFC2759.passwordHashHash } });
      assert.equal(accepted.code, 2);
      assert.deepEqual(accepted.mppeKeys, accepted.expectedMsk);
      // The client's own unhiding agrees; a wrong secret never yields the key.
      const { recv, requestAuthenticator } = accepted.hidden!;
      assert.deepEqual(parseClearMppeKey(decryptMppeKey(recv, SECRET, requestAuthenticator)!)?.key, accepted.expectedMsk!.subarray(0, 16));
      const wrong = decryptMppeKey(recv, Buffer.from('other'), requestAuthenticator);
      assert.ok(wrong === undefined || !parseClearMppeKey(wrong)?.key?.equals(accepted.expectedMsk!.subarray(0, 16)));
      const rejected = await oracleAuthentication(port, SECRET, 'User',
        { mschapv2: { passwordHash: randomBytes(16), passwordHashHash: RFC2759.passwordHashHash } });
      assert.equal(rejected.code, 3);
      assert.equal(rejected.mppeKeys, undefined);
    } finally {
      await server.close();
      await mschapv2.close();
    }
  });

  it('serves a source its clients list or allowedClients holds (over ::1 too), and ignores one they do not', async () => {
    const cases: [listed: Omit<RadiusServerOptions, 'port'>, unlisted: Omit<RadiusServerOptions, 'port'>][] = [
      [{ host: '::1', authenticator, clients: [{ network: '::1', secret: SECRET }] },
        { host: '::1', authenticator, clients: [{ network: '2001:db8::/32', secret: SECRET }] }],
      [{ secret: SECRET, authenticator, allowedClients: ['::1', '127.0.0.1'] },
        { secret: SECRET, authenticator, allowedClients: ['127.0.0.2'] }],
    ];
    for (const [listedOptions, unlistedOptions] of cases) {
      const listed = await radiusServerProbe(listedOptions);
      const unlisted = await radiusServerProbe(unlistedOptions);
      try {
        assert.equal((await md5Conversation(listed.send, listed.replies, 'pw'))[1][0], 2, 'Access-Accept');
        unlisted.send(signAccessRequest(3, [...eapMessageAttributes(identityResponse(1, 'gina'))], SECRET).datagram);
        await waitFor(() => unlisted.server.stats.droppedUnexpected === 1);
        assert.equal(unlisted.replies.length, 0);
      } finally {
        await listed.close();
        await unlisted.close();
      }
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

  it('echoes every Proxy-State in order, after its own attributes', async () => {
    const proxy = [{ type: 33, value: Buffer.from('first') }, { type: 33, value: Buffer.from('second') }];
    const { replies, send, close } = await radiusServerProbe({ secret: SECRET, authenticator });
    try {
      const [challenge, accept] = await md5Conversation(send, replies, 'pw', proxy);
      // RFC 3579 §3.2: Message-Authenticator; the EAP packet; State on a challenge; RFC 2865 §5.33.
      assert.deepEqual(decodeRadiusPacket(challenge).attributes.map((a) => a.type), [80, 79, 24, 33, 33]);
      assert.deepEqual(decodeRadiusPacket(accept).attributes.map((a) => a.type), [80, 79, 33, 33]);
      for (const reply of [challenge, accept]) {
        const states = decodeRadiusPacket(reply).attributes.filter((a) => a.type === 33).map((a) => a.value.toString());
        assert.deepEqual(states, ['first', 'second']);
      }
    } finally {
      await close();
    }
  });

  // That the verdict goes out first, whatever JS does meanwhile: verdict-first.test.ts.
  it('writes a record per verdict', async () => {
    const records: RadiusConversationRecord[] = [];
    const { replies, send, close } = await radiusServerProbe({ secret: SECRET, authenticator,
      onConversationEnd: (record) => { records.push(record); } });
    try {
      await md5Conversation(send, replies, 'pw');
      await waitFor(() => records.length === 1);
      await md5Conversation(send, replies, 'wrong');
      await waitFor(() => records.length === 2);
    } finally {
      await close();
    }
    const [accept, reject] = records.map(({ durationMs, ...rest }) => {
      assert.ok(durationMs >= 0);
      return rest;
    });
    assert.deepEqual(accept, { client: '127.0.0.1', identity: 'gina', eapType: 4, outcome: 'accept', roundTrips: 2 });
    assert.equal(reject.outcome, 'reject');
    assert.equal(typeof reject.reason, 'string');
  });

  it('a port in use fails listen() as dgram does (EADDRINUSE), and nothing keeps the process alive', async () => {
    const holder = createSocket('udp4');
    await new Promise<void>((resolve) => holder.bind(0, '127.0.0.1', () => resolve()));
    try {
      const server = new RadiusServer({ port: holder.address().port, secret: SECRET, authenticator });
      await assert.rejects(server.listen(), (error: Error & { code?: string; port?: number }) =>
        error.code === 'EADDRINUSE' && error.port === holder.address().port);
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

describe('RadiusServer with a user store of the caller\'s (asked from the engine)', function () {
  this.timeout(20_000);

  /** An authenticator over `store`, a server on it, one MD5 authentication each password. */
  async function verdicts(store: UserStore, passwords: string[], lookupTimeoutMs?: number)
    : Promise<{ codes: number[]; records: RadiusConversationRecord[]; errors: number }> {
    const authenticator = await createAuthenticator({ methods: ['md5'], users: store, lookupTimeoutMs });
    const records: RadiusConversationRecord[] = [];
    const { server, replies, send, close } = await radiusServerProbe({ secret: SECRET, authenticator,
      onConversationEnd: (record) => records.push(record) });
    try {
      const codes: number[] = [];
      for (const password of passwords) codes.push((await md5Conversation(send, replies, password))[1][0]);
      assert.equal(server.activeConversations, 0, 'every conversation ended');
      return { codes, records, errors: server.stats.conversationErrors };
    } finally {
      await close();
      await authenticator.close();
    }
  }

  it('a lookup function and a lookup returning a promise: Access-Accept for the password, Access-Reject otherwise', async () => {
    const asked: string[] = [];
    const plain = await verdicts({ lookup: (identity) => { asked.push(identity); return USERS[identity as 'gina']; } },
      ['pw', 'wrong']);
    assert.deepEqual(plain.codes, [2, 3]);
    assert.deepEqual(asked, ['gina', 'gina'], 'asked once per authentication, about the peer\'s identity');
    const later = await verdicts({ lookup: async (identity) => {
      await new Promise((resolve) => setTimeout(resolve, 20));
      return USERS[identity as 'gina'];
    } }, ['wrong', 'pw']);
    assert.deepEqual(later.codes, [3, 2]);
    const unknown = await verdicts({ lookup: () => undefined }, ['pw']);
    assert.deepEqual(unknown.codes, [3], 'no such user');
  });

  it('a store that throws, rejects or answers with no record fails that authentication alone; the next one is served', async () => {
    let calls = 0;
    const flaky: UserStore = { lookup: () => { if (calls++ % 2 === 0) throw new Error('directory down'); return USERS.gina; } };
    const thrown = await verdicts(flaky, ['pw', 'pw']);
    assert.deepEqual(thrown.codes, [3, 2]);
    assert.match(thrown.records[0].reason!, /authenticator error: .*directory down/);
    assert.equal(thrown.errors, 1);
    const rejected = await verdicts({ lookup: () => Promise.reject(new Error('timeout talking to LDAP')) }, ['pw']);
    assert.deepEqual(rejected.codes, [3]);
    assert.match(rejected.records[0].reason!, /timeout talking to LDAP/);
    const malformed = await verdicts({ lookup: () => ({ pass: 'pw' }) as never }, ['pw']);
    assert.deepEqual(malformed.codes, [3]);
    assert.match(malformed.records[0].reason!, /record for "gina"/);
  });

  it('a store that throws or rejects, whatever with ({ message: 42 }, null, a Symbol, throwing getters…), fails that authentication at once; the server goes on', async () => {
    const odd = oddStores();
    let at = 0;
    const store: UserStore = { lookup: (identity) => (at < odd.length ? odd[at++].store : { lookup: () => USERS.gina }).lookup(identity) };
    const unhandled: unknown[] = [];
    const onUnhandled = (reason: unknown): void => { unhandled.push(reason); };
    process.on('unhandledRejection', onUnhandled);
    try {
      // A deadline waiting would run into: the test's own timeout, never a case that passes.
      const run = await verdicts(store, [...odd.map(() => 'pw'), 'pw'], 20_000);
      assert.deepEqual(run.codes, [...odd.map(() => 3), 2], 'each odd store rejects its authentication alone; then one is accepted');
      odd.forEach((one, i) => {
        assert.match(run.records[i].reason!, /^authenticator error: UserStore\.lookup: the user store failed: /, one.name);
        assert.match(run.records[i].reason!, one.says, one.name);
      });
      await new Promise((resolve) => setImmediate(resolve));
      assert.deepEqual(unhandled, []);
    } finally {
      process.removeListener('unhandledRejection', onUnhandled);
    }
  });

  it('a store that never answers: the authentication fails at the lookup deadline, and nothing is left behind', async () => {
    const started = Date.now();
    const never = await verdicts({ lookup: () => new Promise<undefined>(() => undefined) }, ['pw'], 300);
    assert.deepEqual(never.codes, [3]);
    assert.ok(Date.now() - started >= 300);
    assert.match(never.records[0].reason!, /did not answer within 300 ms/);
  });
});
