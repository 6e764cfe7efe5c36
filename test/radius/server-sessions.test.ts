/**
 * The sessions a RadiusServer remembers for Disconnect and CoA (RFC 5176): selected by what the
 * NAS's Access-Request carried, bounded and expiring, and refused clearly when no session or
 * several match, or when the server was not asked to remember any. The wire side is proven
 * against hostapd in test/linux/serve-disconnect-hostapd.test.ts.
 */
import { strict as assert } from 'node:assert';
import { createAuthenticator } from '../../lib';
import { RadiusServer, SessionSelectionError } from '../../lib/radius';
import { SessionMemory } from '../../lib/radius/server-sessions';

const attribute = (type: number, text: string): { type: number; value: Buffer } => ({ type, value: Buffer.from(text) });

describe('RadiusServer session memory (Disconnect / CoA)', () => {
  it('selects one session by any of what the NAS sent; none or several is a typed error', () => {
    const memory = new SessionMemory();
    memory.accepted('192.0.2.1', 'alice', [attribute(31, '02-00-00-00-00-01'), attribute(44, 'A1'), attribute(32, 'sw1'),
      { type: 4, value: Buffer.from([192, 0, 2, 9]) }]);
    memory.accepted('192.0.2.1', 'alice', [attribute(31, '02-00-00-00-00-02')]);
    const [, found] = memory.find({ acctSessionId: 'A1' });
    assert.deepEqual([found.userName, found.callingStationId, found.nasIdentifier, found.nasIpAddress, found.client],
      ['alice', '02-00-00-00-00-01', 'sw1', '192.0.2.9', '192.0.2.1']);
    assert.throws(() => memory.find({ userName: 'alice' }), (e: unknown) => e instanceof SessionSelectionError && e.code === 'ERR_SESSION_AMBIGUOUS');
    assert.throws(() => memory.find({ userName: 'bob' }), (e: unknown) => e instanceof SessionSelectionError && e.code === 'ERR_SESSION_NOT_FOUND');
    assert.throws(() => memory.find({}), TypeError);
    assert.throws(() => memory.find(null as never), TypeError);
  });

  it('a new authentication of the same session replaces it; the oldest goes past the bound; sessions expire', async () => {
    const memory = new SessionMemory({ max: 2, ttlMs: 200 });
    memory.accepted('192.0.2.1', 'a', [attribute(31, 'm1')]);
    memory.accepted('192.0.2.1', 'a', [attribute(31, 'm1')]);
    assert.equal(memory.list().length, 1);
    memory.accepted('192.0.2.1', 'b', []);
    memory.accepted('192.0.2.1', 'c', []);
    assert.deepEqual(memory.list().map((s) => s.userName), ['b', 'c']);
    await new Promise((done) => setTimeout(done, 250));
    assert.deepEqual(memory.list(), []);
  });

  it('refuses bad options, and disconnect() on a server that remembers nothing', async () => {
    assert.throws(() => new SessionMemory({ max: 0 }), TypeError);
    assert.throws(() => new SessionMemory({ ttlMs: -1 }), TypeError);
    const authenticator = await createAuthenticator({ methods: ['md5'], users: { u: { password: 'p' } } });
    try {
      const server = new RadiusServer({ port: 0, secret: 's', authenticator });
      await assert.rejects(server.disconnect({ userName: 'u' }, { nasSecret: 'x' }), /remembers no sessions/);
      assert.throws(() => new RadiusServer({ port: 0, secret: 's', authenticator, sessions: { max: 1.5 } }), TypeError);
    } finally {
      await authenticator.close();
    }
  });
});
