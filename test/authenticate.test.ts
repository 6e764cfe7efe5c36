/** Whole conversations through the public API: peer session against the embedded authenticator. */
import { strict as assert } from 'assert';
import { EapError, authenticate, createAuthenticator } from '../lib';
import { randomCredentials, openSuiteHost } from './helpers';

describe('authenticate() on the embedded authenticator', () => {
  it('succeeds with credentials nobody chose in advance', async () => {
    const { identity, password } = randomCredentials();
    await using host = await openSuiteHost();
    await using authenticator = await createAuthenticator({ users: { [identity]: { password } } });
    await using session = await host.beginSession({ method: 'md5', identity, password });
    const packets: string[] = [];
    const result = await authenticate({
      session, transport: authenticator.createConversation(), onPacket: (d, p) => packets.push(`${d}${p[0]}`),
    });
    assert.equal(result.success, true);
    assert.equal(result.method, 4);
    assert.equal(result.identity, identity);
    assert.equal(result.roundTrips, 2);  // Identity, MD5-Challenge
    assert.deepEqual(packets, ['in1', 'out2', 'in1', 'out2', 'in3']);
  });

  it('fails with a wrong password', async () => {
    const { identity, password } = randomCredentials();
    await using host = await openSuiteHost();
    await using authenticator = await createAuthenticator({ users: { [identity]: { password } } });
    await using session = await host.beginSession({ method: 'md5', identity, password: password + '!' });
    const result = await authenticate({ session, transport: authenticator.createConversation() });
    assert.equal(result.success, false);
    assert.ok(result.reason);
  });

  it('fails for an identity the user store does not know', async () => {
    const { identity, password } = randomCredentials();
    await using host = await openSuiteHost();
    await using authenticator = await createAuthenticator({ users: { someoneElse: { password } } });
    await using session = await host.beginSession({ method: 'md5', identity, password });
    assert.equal((await authenticate({ session, transport: authenticator.createConversation() })).success, false);
  });

  it('asks an asynchronous user store', async () => {
    const { identity, password } = randomCredentials();
    const asked: string[] = [];
    await using host = await openSuiteHost();
    await using authenticator = await createAuthenticator({
      users: { lookup: async (id) => { asked.push(id); return id === identity ? { password } : undefined; } },
    });
    await using session = await host.beginSession({ method: 'md5', identity, password });
    assert.equal((await authenticate({ session, transport: authenticator.createConversation() })).success, true);
    assert.deepEqual(asked, [identity]);
  });

  it('runs 64 conversations concurrently, each with its own verdict', async () => {
    const users: Record<string, { password: string }> = {};
    const people = Array.from({ length: 64 }, () => randomCredentials());
    for (const p of people) users[p.identity] = { password: p.password };
    await using host = await openSuiteHost();
    await using authenticator = await createAuthenticator({ users });
    const results = await Promise.all(people.map(async (p, i) => {
      const session = await host.beginSession({ method: 'md5', identity: p.identity, password: i % 2 ? p.password : 'wrong' });
      try {
        return (await authenticate({ session, transport: authenticator.createConversation() })).success;
      } finally {
        await session.endSession();
      }
    }));
    results.forEach((ok, i) => assert.equal(ok, i % 2 === 1));
  });

  it('stops when its AbortSignal fires', async () => {
    const { identity, password } = randomCredentials();
    await using host = await openSuiteHost();
    await using authenticator = await createAuthenticator({ users: { [identity]: { password } } });
    await using session = await host.beginSession({ method: 'md5', identity, password });
    const controller = new AbortController();
    controller.abort();
    await assert.rejects(authenticate({ session, transport: authenticator.createConversation(), signal: controller.signal }),
      (error: unknown) => error instanceof EapError && error.win32Error === 1223);
  });

  it('authenticator retransmits its request and gives up after maxRetransmits', async () => {
    await using authenticator = await createAuthenticator({ users: {}, maxRetransmits: 2, retransmitTimeoutMs: 1 });
    const conversation = authenticator.createConversation();
    const first = await conversation.begin();
    assert.equal(first.kind, 'request');
    const again1 = await conversation.retransmission();
    const again2 = await conversation.retransmission();
    assert.deepEqual(again1.packet, first.packet);
    assert.deepEqual(again2.packet, first.packet);
    const last = await conversation.retransmission();
    assert.equal(last.kind, 'failure');
    await conversation.close();
  });
});
