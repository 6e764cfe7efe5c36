/**
 * Our Dynamic Authorization Server (RFC 5176, the NAS side) on loopback. Requests are made here
 * with node:crypto (Request Authenticator MD5 over the packet with a zero authenticator and the
 * secret, Message-Authenticator HMAC-MD5 with it zero) and replies checked the same way, not by
 * the codec under test; what is refused must be refused the way the file header of
 * native/radius/das/radius_das.h says (dropped, answered from the cache, or NAK'd with its Error-Cause).
 */
import { strict as assert } from 'node:assert';
import { createHash, randomBytes } from 'node:crypto';
import { createSocket } from 'node:dgram';
import { DasRequest, DasVerdict, DynamicAuthorizationServer } from '../../lib/radius';
import { assertSigned as checkSigned, Attribute, attributesOf, signedRequest } from '../support/das-packets';

const SECRET = 'das-server-secret';

const u32 = (value: number): Buffer => { const out = Buffer.alloc(4); out.writeUInt32BE(value >>> 0); return out; };
const str = (text: string): Buffer => Buffer.from(text, 'utf8');
const now = (): Buffer => u32(Math.floor(Date.now() / 1000));

/** A request as a RADIUS server signs it (RFC 5176 §3, §3.3), under SECRET unless told. */
function request(code: number, attributes: Attribute[], options: { secret?: string; messageAuthenticator?: boolean;
  identifier?: number } = {}): Buffer {
  return signedRequest(code, attributes, { ...options, secret: options.secret ?? SECRET });
}

function assertSigned(reply: Buffer, sent: Buffer, secret = SECRET): void {
  checkSigned(reply, sent, secret);
}

describe('Dynamic Authorization Server (RFC 5176 NAS side) on loopback', () => {
  let server: DynamicAuthorizationServer;
  let port: number;
  const handled: DasRequest[] = [];
  let verdict: DasVerdict = { done: true };
  const client = createSocket('udp4');

  before(async () => {
    server = new DynamicAuthorizationServer({
      port: 0, clients: [{ network: '127.0.0.0/8', secret: SECRET }], nasIdentifier: 'port-7',
      handle: (got) => { handled.push(got); return verdict; },
    });
    port = (await server.listen()).port;
    await new Promise<void>((done) => client.bind(0, '127.0.0.1', done));
  });
  after(async () => {
    client.close();
    await server.close();
  });
  beforeEach(() => { handled.length = 0; verdict = { done: true }; });

  /** Sends `packet`; resolves with the reply, or undefined when none comes within `waitMs`. */
  function exchange(packet: Buffer, waitMs = 300): Promise<Buffer | undefined> {
    return new Promise((resolve) => {
      const timer = setTimeout(() => { client.removeListener('message', onMessage); resolve(undefined); }, waitMs);
      const onMessage = (reply: Buffer): void => {
        if (reply[1] !== packet[1]) return;
        clearTimeout(timer);
        client.removeListener('message', onMessage);
        resolve(reply);
      };
      client.on('message', onMessage);
      client.send(packet, port, '127.0.0.1');
    });
  }

  const errorCause = (reply: Buffer): number | undefined => attributesOf(reply).find((a) => a.type === 101)?.value.readUInt32BE(0);
  const station = { type: 31, value: str('02-00-00-00-00-01') };

  it('carries out a signed Disconnect-Request and answers a signed Disconnect-ACK (Proxy-State back as it came)', async () => {
    const proxyState = randomBytes(6);
    const sent = request(40, [{ type: 1, value: str('alice') }, station, { type: 32, value: str('port-7') },
      { type: 55, value: now() }, { type: 33, value: proxyState }]);
    const reply = await exchange(sent);
    assert.ok(reply, 'an answer');
    assert.equal(reply[0], 41);
    assertSigned(reply, sent);
    assert.ok(attributesOf(reply).find((a) => a.type === 33)?.value.equals(proxyState));
    assert.equal(handled.length, 1);
    assert.deepEqual([handled[0].kind, handled[0].session], ['disconnect', { userName: 'alice', callingStationId: '02-00-00-00-00-01' }]);
  });

  it("NAKs with the owner's Error-Cause (503 Session Context Not Found)", async () => {
    verdict = { done: false, errorCause: 503 };
    const sent = request(40, [station, { type: 55, value: now() }]);
    const reply = await exchange(sent);
    assert.ok(reply);
    assert.deepEqual([reply[0], errorCause(reply)], [42, 503]);
    assertSigned(reply, sent);
  });

  it('CoA: Session-Timeout is handed on; Authorize Only is answered CoA-NAK 507 with Service-Type Authorize Only (§3.2)', async () => {
    const timeout = await exchange(request(43, [station, { type: 27, value: u32(120) }, { type: 55, value: now() }]));
    assert.equal(timeout?.[0], 44);
    assert.equal(handled[0].sessionTimeout, 120);
    const state = randomBytes(8);
    const sent = request(43, [station, { type: 6, value: u32(17) }, { type: 24, value: state }, { type: 55, value: now() }]);
    const reply = await exchange(sent);
    assert.ok(reply);
    assert.deepEqual([reply[0], errorCause(reply), attributesOf(reply).find((a) => a.type === 6)?.value.readUInt32BE(0)], [45, 507, 17]);
    assertSigned(reply, sent);
    assert.ok(handled[1].authorizeOnly?.state.equals(state));
  });

  it('NAKs what RFC 5176 §3.6 says: 401, 405, 402, 403, 407, and never asks the owner', async () => {
    const cases: [number, Attribute[], number][] = [
      [40, [station, { type: 11, value: str('acl') }], 401],                 // Filter-Id in a Disconnect
      [43, [station, { type: 2, value: randomBytes(16) }], 401],            // User-Password
      [43, [station, { type: 6, value: u32(2) }], 405],                     // Service-Type Framed
      [43, [station, { type: 6, value: u32(17) }], 402],                    // Authorize Only without State
      [40, [], 402],                                                        // no session identification
      [40, [station, { type: 32, value: str('port-8') }], 403],             // another NAS-Identifier
      [40, [station, { type: 4, value: Buffer.from([192, 0, 2, 1]) }], 403],  // another NAS-IP-Address
      [40, [station, { type: 4, value: Buffer.from([127, 0]) }], 407],      // a NAS-IP-Address of 2 bytes
      [43, [station, { type: 27, value: Buffer.from([1]) }], 407],          // Session-Timeout of 1 byte
    ];
    for (const [code, attributes, cause] of cases) {
      const reply = await exchange(request(code, [...attributes, { type: 55, value: now() }]));
      assert.ok(reply, `an answer to ${JSON.stringify(attributes)}`);
      assert.deepEqual([reply[0], errorCause(reply)], [code + 2, cause], JSON.stringify(attributes));
    }
    assert.equal(handled.length, 0);
  });

  it('drops a wrong secret, a missing or wrong Message-Authenticator, a missing or stale Event-Timestamp', async () => {
    const before = server.stats;
    const stale = u32(Math.floor(Date.now() / 1000) - 360);
    const forged = request(40, [station, { type: 55, value: now() }]);
    forged[forged.length - 1] ^= 1;  // the Request Authenticator no longer matches
    const badMa = request(40, [station, { type: 55, value: now() }]);
    badMa[30] ^= 1;
    createHash('md5').update(Buffer.concat([badMa.subarray(0, 4), Buffer.alloc(16), badMa.subarray(20)])).update(SECRET).digest()
      .copy(badMa, 4);  // a right Request Authenticator over a wrong Message-Authenticator
    for (const sent of [
      request(40, [station, { type: 55, value: now() }], { secret: 'another-secret' }),
      request(40, [station, { type: 55, value: now() }], { messageAuthenticator: false }),
      forged, badMa,
      request(40, [station]),
      request(40, [station, { type: 55, value: stale }]),
      request(40, [station, { type: 55, value: u32(Math.floor(Date.now() / 1000) + 360) }]),
    ]) {
      assert.equal(await exchange(sent), undefined, `no answer to ${sent.toString('hex')}`);
    }
    const after = server.stats;
    assert.deepEqual([after.droppedUnauthenticated - before.droppedUnauthenticated,
      after.droppedNoMessageAuthenticator - before.droppedNoMessageAuthenticator, after.droppedStale - before.droppedStale], [3, 1, 3]);
    assert.equal(handled.length, 0);
  });

  it('a replayed request (same Identifier and authenticator) gets the first answer again and is not carried out twice', async () => {
    const sent = request(40, [station, { type: 55, value: now() }]);
    const first = await exchange(sent);
    verdict = { done: false, errorCause: 503 };
    const again = await exchange(sent);
    assert.ok(first && again);
    assert.ok(again.equals(first), 'the same bytes back');
    assert.equal(handled.length, 1);
    // A new request (new authenticator) for the same session is carried out.
    const fresh = await exchange(request(40, [station, { type: 55, value: u32(Math.floor(Date.now() / 1000) + 1) }]));
    assert.equal(errorCause(fresh!), 503);
    assert.equal(handled.length, 2);
  });

  it('a request whose Event-Timestamp is ahead is remembered until the stamp leaves the window: the same bytes are never carried out twice', async () => {
    // As found with a 5 s window: stamped a window ahead, the same bytes passed the timestamp check
    // again after the request had been forgotten (one window after it came).
    let clock = Date.now();
    const moved = new DynamicAuthorizationServer({ port: 0, clients: [{ network: '127.0.0.1', secret: SECRET }], windowSeconds: 5,
      handle: (got) => { handled.push(got); return verdict; } });
    const other = (await moved.listen()).port;
    moved.moveClock(clock);
    const saved = port;
    port = other;
    try {
      const second = Math.floor(clock / 1000);
      const sent = request(40, [station, { type: 55, value: u32(second + 5) }]);
      const first = await exchange(sent);
      assert.equal(first?.[0], 41);
      for (const later of [5_300, 6_500, 10_900]) {
        clock = second * 1000 + later;
        moved.moveClock(clock);
        const again = await exchange(sent);
        assert.ok(again?.equals(first!), `at +${later} ms the first answer again`);
      }
      assert.equal(handled.length, 1, 'carried out once');
      assert.equal(moved.stats.duplicates, 3);
      // A window after its stamp it is stale, so forgetting it now lets nothing through.
      clock = (second + 11) * 1000;
      moved.moveClock(clock);
      assert.equal(await exchange(sent), undefined);
      assert.deepEqual([handled.length, moved.stats.droppedStale], [1, 1]);
    } finally {
      port = saved;
      await moved.close();
    }
  });

  it('a session attribute given twice (two Calling-Station-Ids, two User-Names, …) is NAK\'d 404 Invalid Request, and the owner is not asked', async () => {
    const other = { type: 31, value: str('02-00-00-00-00-02') };
    const cases: [number, Attribute[]][] = [
      [40, [station, other]],
      [40, [{ type: 1, value: str('alice') }, station, { type: 1, value: str('bob') }]],
      [40, [station, { type: 44, value: str('a1') }, { type: 44, value: str('a2') }]],
      [40, [station, { type: 32, value: str('port-7') }, { type: 32, value: str('port-7') }]],
      [43, [station, { type: 27, value: u32(60) }, { type: 27, value: u32(3600) }]],
    ];
    for (const [code, attributes] of cases) {
      const sent = request(code, [...attributes, { type: 55, value: now() }]);
      const reply = await exchange(sent);
      assert.ok(reply, `an answer to ${JSON.stringify(attributes)}`);
      assert.deepEqual([reply[0], errorCause(reply)], [code + 2, 404], JSON.stringify(attributes));
      assertSigned(reply, sent);
    }
    assert.equal(handled.length, 0);
  });

  it('an owner that throws: NAK 506 Resources Unavailable', async () => {
    const throwing = new DynamicAuthorizationServer({ port: 0, clients: [{ network: '127.0.0.1', secret: SECRET }],
      handle: () => { throw new Error('broken'); } });
    const other = (await throwing.listen()).port;
    try {
      const saved = port;
      port = other;
      const reply = await exchange(request(40, [station, { type: 55, value: now() }]));
      port = saved;
      assert.deepEqual([reply?.[0], errorCause(reply!)], [42, 506]);
    } finally {
      await throwing.close();
    }
  });

  it('drops requests from outside its clients', async () => {
    const narrow = new DynamicAuthorizationServer({ port: 0, clients: [{ network: '10.0.0.0/8', secret: SECRET }],
      handle: () => ({ done: true }) });
    const other = (await narrow.listen()).port;
    try {
      const saved = port;
      port = other;
      assert.equal(await exchange(request(40, [station, { type: 55, value: now() }])), undefined);
      port = saved;
      assert.equal(narrow.stats.droppedUnknownClient, 1);
    } finally {
      await narrow.close();
    }
  });

  it('its socket is native: IPv6, a port in use refused as dgram refuses it, freed by close() with the counts kept', async () => {
    const make = (host: string): DynamicAuthorizationServer => new DynamicAuthorizationServer({ host, port: 0,
      clients: [{ network: '::1', secret: SECRET }], handle: (got) => { handled.push(got); return verdict; } });
    const six = make('::1');
    const bound = await six.listen();
    assert.equal(bound.address, '::1');
    const client6 = createSocket('udp6');
    try {
      const sent = request(40, [station, { type: 55, value: now() }]);
      const reply = await new Promise<Buffer>((resolve) => {
        client6.once('message', (got: Buffer) => resolve(got));
        client6.send(sent, bound.port, '::1');
      });
      assert.equal(reply[0], 41);
      assertSigned(reply, sent);
      assert.equal(handled[0].client, '::1');
      // The same port again while it is open: refused with dgram's code.
      const again = new DynamicAuthorizationServer({ host: '::1', port: bound.port, clients: [{ network: '::1', secret: SECRET }],
        handle: () => ({ done: true }) });
      await assert.rejects(again.listen(), (error: NodeJS.ErrnoException) => error.code === 'EADDRINUSE');
      await six.close();
      assert.equal(six.stats.acks, 1, 'the counts outlive close()');
      assert.throws(() => six.address(), /not listening/);
      // Closed: the port is free at once, for a server or a plain socket.
      const reused = await again.listen();
      assert.equal(reused.port, bound.port);
      await again.close();
      await new Promise<void>((resolve, reject) => {
        const plain = createSocket('udp6');
        plain.once('error', reject);
        plain.bind(bound.port, '::1', () => plain.close(() => resolve()));
      });
    } finally {
      client6.close();
      await six.close();
    }
  });

  it('refuses bad options with a TypeError or RangeError', () => {
    const handle = (): DasVerdict => ({ done: true });
    assert.throws(() => new DynamicAuthorizationServer(null as never), TypeError);
    assert.throws(() => new DynamicAuthorizationServer({ clients: [], handle }), TypeError);
    assert.throws(() => new DynamicAuthorizationServer({ clients: [{ network: 'nope', secret: 's' }], handle }), TypeError);
    assert.throws(() => new DynamicAuthorizationServer({ clients: [{ network: '127.0.0.1', secret: '' }], handle }), RangeError);
    assert.throws(() => new DynamicAuthorizationServer({ clients: [{ network: '127.0.0.1', secret: 's' }] } as never), TypeError);
    assert.throws(() => new DynamicAuthorizationServer({ clients: [{ network: '127.0.0.1', secret: 's' }], handle,
      windowSeconds: 0 }), RangeError);
    assert.throws(() => new DynamicAuthorizationServer({ clients: [{ network: '127.0.0.1', secret: 's' }], handle,
      nasIpAddress: 'x' }), RangeError);
  });
});
