/**
 * Disconnect-Request and CoA-Request (RFC 5176) as they leave, checked against node:crypto: the
 * Request Authenticator is MD5 over the packet with a zero authenticator and the secret (§3), the
 * Message-Authenticator HMAC-MD5 over the packet with both zero (§3.3), every try the same bytes.
 * Replies are made here with node:crypto too, right and wrong in each way a reply can be wrong,
 * and bad input is refused with a TypeError or RangeError before anything is sent.
 */
import { strict as assert } from 'node:assert';
import { createHash, createHmac } from 'node:crypto';
import { createSocket, RemoteInfo, Socket } from 'node:dgram';
import { coaRequest, disconnectRequest, ErrorCause, RadiusTimeoutError } from '../../lib/radius';
import { errorCauseName } from '../../lib/radius/das/client';
import {
  RadiusAuthenticatorMismatchError, RadiusMalformedError, RadiusMessageAuthenticatorInvalidError,
  RadiusMessageAuthenticatorMissingError,
} from '../../lib/radius/errors';
import { eaphostCommand } from '../support/cli-run';

const SECRET = 'das-secret';

interface Attribute { type: number; value: Buffer }

/** RFC 2865 §5 framing, decoded here rather than by the code under test. */
function attributesOf(packet: Buffer): Attribute[] {
  const out: Attribute[] = [];
  for (let offset = 20; offset < packet.readUInt16BE(2);) {
    const length = packet[offset + 1];
    out.push({ type: packet[offset], value: packet.subarray(offset + 2, offset + length) });
    offset += length;
  }
  return out;
}

function packet(code: number, identifier: number, authenticator: Buffer, attributes: Attribute[]): Buffer {
  const body = Buffer.concat(attributes.map(({ type, value }) => Buffer.concat([Buffer.from([type, value.length + 2]), value])));
  const header = Buffer.alloc(20);
  header[0] = code;
  header[1] = identifier;
  header.writeUInt16BE(20 + body.length, 2);
  authenticator.copy(header, 4);
  return Buffer.concat([header, body]);
}

/** A reply as a NAS signs it: Message-Authenticator over the reply with the Request Authenticator in place, then the Response Authenticator. */
function signedReply(request: Buffer, code: number, attributes: Attribute[], options: { secret?: string;
  messageAuthenticator?: 'right' | 'wrong' | 'none'; identifier?: number } = {}): Buffer {
  const secret = options.secret ?? SECRET;
  const withMa = options.messageAuthenticator === 'none' ? attributes : [...attributes, { type: 80, value: Buffer.alloc(16) }];
  const reply = packet(code, options.identifier ?? request[1], request.subarray(4, 20), withMa);
  if (options.messageAuthenticator !== 'none') {
    const mac = createHmac('md5', secret).update(reply).digest();
    if (options.messageAuthenticator === 'wrong') mac[0] ^= 1;
    mac.copy(reply, reply.length - 16);
  }
  createHash('md5').update(reply).update(secret).digest().copy(reply, 4);
  return reply;
}

/** A UDP socket on loopback that records what arrives and answers with `answer` (nothing when it returns undefined). */
async function nas(answer: (request: Buffer) => Buffer | Buffer[] | undefined = () => undefined)
  : Promise<{ port: number; received: Buffer[]; socket: Socket; close(): Promise<void> }> {
  const socket = createSocket('udp4');
  const received: Buffer[] = [];
  socket.on('message', (message: Buffer, remote: RemoteInfo) => {
    received.push(Buffer.from(message));
    const replies = answer(message);
    for (const reply of replies === undefined ? [] : Array.isArray(replies) ? replies : [replies]) {
      socket.send(reply, remote.port, remote.address);
    }
  });
  await new Promise<void>((resolve) => socket.bind(0, '127.0.0.1', () => resolve()));
  return { port: socket.address().port, received, socket, close: () => new Promise((resolve) => socket.close(() => resolve())) };
}

const errorCause = (value: number): Attribute => {
  const bytes = Buffer.alloc(4);
  bytes.writeUInt32BE(value);
  return { type: 101, value: bytes };
};

describe('RFC 5176 Disconnect-Request and CoA-Request: the codec against node:crypto', () => {
  it('a Disconnect-Request: computed Request Authenticator, Message-Authenticator first, Event-Timestamp now', async () => {
    const server = await nas();
    try {
      const before = Math.floor(Date.now() / 1000);
      await assert.rejects(disconnectRequest({ host: '127.0.0.1', port: server.port, secret: SECRET },
        { session: { userName: 'alice', acctSessionId: '0123456789ABCDEF', callingStationId: '02-00-00-00-00-01',
          nasIdentifier: 'ap1', nasIpAddress: '192.0.2.1' } }, { timeoutMs: 300, tries: 1 }), RadiusTimeoutError);
      const after = Math.floor(Date.now() / 1000);
      assert.equal(server.received.length, 1);
      const sent = server.received[0];
      assert.equal(sent[0], 40, 'code 40, Disconnect-Request');
      assert.equal(sent.readUInt16BE(2), sent.length);
      // §3: MD5(Code + Identifier + Length + 16 zero octets + Attributes + Secret).
      const zeroed = Buffer.from(sent);
      zeroed.fill(0, 4, 20);
      assert.deepEqual(sent.subarray(4, 20), createHash('md5').update(zeroed).update(SECRET).digest());
      // §3.3: HMAC-MD5 over the packet with the authenticator and the Message-Authenticator zero.
      const attributes = attributesOf(sent);
      assert.equal(attributes[0].type, 80, 'Message-Authenticator first');
      const macZeroed = Buffer.from(zeroed);
      macZeroed.fill(0, 22, 38);
      assert.deepEqual(attributes[0].value, createHmac('md5', SECRET).update(macZeroed).digest());
      const byType = new Map(attributes.map((a) => [a.type, a.value]));
      assert.equal(byType.get(1)?.toString(), 'alice');
      assert.equal(byType.get(44)?.toString(), '0123456789ABCDEF');
      assert.equal(byType.get(31)?.toString(), '02-00-00-00-00-01');
      assert.equal(byType.get(32)?.toString(), 'ap1');
      assert.deepEqual([...byType.get(4)!], [192, 0, 2, 1]);
      const timestamp = byType.get(55)!.readUInt32BE(0);
      assert.ok(timestamp >= before && timestamp <= after, `Event-Timestamp ${timestamp} is now`);
    } finally {
      await server.close();
    }
  });

  it('a CoA-Request carries the changes; Authorize-Only brings State (§3.2); every try is the same bytes (RFC 5080)', async () => {
    const server = await nas();
    try {
      await assert.rejects(coaRequest({ host: '127.0.0.1', port: server.port, secret: SECRET },
        { session: { callingStationId: '02:00:00:00:00:02', framedIpAddress: '10.0.0.7', nasIpAddress: '2001:db8::1' },
          changes: { sessionTimeout: 3600, idleTimeout: 300, filterId: 'guest', authorizeOnlyState: Buffer.from('c0ffee', 'hex') } },
        { timeoutMs: 600, tries: 3, eventTimestamp: new Date(1_700_000_000_000) }), RadiusTimeoutError);
      assert.equal(server.received.length, 3, 'three tries');
      assert.ok(server.received.every((datagram) => datagram.equals(server.received[0])), 'the same bytes every try');
      const sent = server.received[0];
      assert.equal(sent[0], 43, 'code 43, CoA-Request');
      const byType = new Map(attributesOf(sent).map((a) => [a.type, a.value]));
      assert.equal(byType.get(27)!.readUInt32BE(0), 3600);
      assert.equal(byType.get(28)!.readUInt32BE(0), 300);
      assert.equal(byType.get(11)!.toString(), 'guest');
      assert.equal(byType.get(6)!.readUInt32BE(0), 17, 'Service-Type Authorize Only');
      assert.equal(byType.get(24)!.toString('hex'), 'c0ffee');
      assert.deepEqual([...byType.get(8)!], [10, 0, 0, 7]);
      assert.equal(byType.get(95)!.toString('hex'), '20010db8000000000000000000000001', 'NAS-IPv6-Address');
      assert.equal(byType.get(55)!.readUInt32BE(0), 1_700_000_000);
      const zeroed = Buffer.from(sent);
      zeroed.fill(0, 4, 20);
      assert.deepEqual(sent.subarray(4, 20), createHash('md5').update(zeroed).update(SECRET).digest());
    } finally {
      await server.close();
    }
  });

  it('without Message-Authenticator and Event-Timestamp when told so', async () => {
    const server = await nas();
    try {
      await assert.rejects(disconnectRequest({ host: '127.0.0.1', port: server.port, secret: SECRET }, { session: { userName: 'a' } },
        { timeoutMs: 200, tries: 1, messageAuthenticator: false, eventTimestamp: false }), RadiusTimeoutError);
      assert.deepEqual(attributesOf(server.received[0]).map((a) => a.type), [1]);
    } finally {
      await server.close();
    }
  });

  it('ACK and NAK: resolved with the verdict and every Error-Cause by name and number', async () => {
    const nak = await nas((request) => signedReply(request, 42, [errorCause(503)]));
    const ack = await nas((request) => signedReply(request, 44, [errorCause(201)]));
    try {
      const refused = await disconnectRequest({ host: '127.0.0.1', port: nak.port, secret: SECRET }, { session: { userName: 'a' } });
      assert.deepEqual([refused.acknowledged, refused.code, refused.codeName], [false, 42, 'Disconnect-NAK']);
      assert.deepEqual(refused.errorCauses, [{ value: 503, name: 'Session Context Not Found' }]);
      const done = await coaRequest({ host: '127.0.0.1', port: ack.port, secret: SECRET }, { session: { userName: 'a' } });
      assert.deepEqual([done.acknowledged, done.code, done.codeName, done.tries], [true, 44, 'CoA-ACK', 1]);
      assert.deepEqual(done.errorCauses, [{ value: 201, name: 'Residual Session Context Removed' }]);
    } finally {
      await nak.close();
      await ack.close();
    }
  });

  it('every Error-Cause of RFC 5176 §3.6 has its name; others are named by their class', () => {
    // RFC 5176 §3.6's table, as written there.
    const names = Object.fromEntries(`
      201 Residual Session Context Removed
      202 Invalid EAP Packet (Ignored)
      401 Unsupported Attribute
      402 Missing Attribute
      403 NAS Identification Mismatch
      404 Invalid Request
      405 Unsupported Service
      406 Unsupported Extension
      407 Invalid Attribute Value
      501 Administratively Prohibited
      502 Request Not Routable (Proxy)
      503 Session Context Not Found
      504 Session Context Not Removable
      505 Other Proxy Processing Error
      506 Resources Unavailable
      507 Request Initiated
      508 Multiple Session Selection Unsupported`.trim().split('\n').map((line) => /^\s*(\d+) (.+)$/.exec(line)!.slice(1)));
    assert.deepEqual(Object.values(ErrorCause).sort(), Object.keys(names).map(Number).sort());
    for (const [value, name] of Object.entries(names)) assert.equal(errorCauseName(Number(value)), name);
    assert.match(errorCauseName(499), /unassigned Error-Cause 499 \(client error\)/);
  });

  it('replies that cannot be trusted are refused, each for its reason', async () => {
    const cases: Array<{ name: string; answer: (request: Buffer) => Buffer | Buffer[]; error: new (...args: never[]) => Error;
      require?: boolean }> = [
      { name: 'signed with another secret', answer: (r) => signedReply(r, 42, [errorCause(503)], { secret: 'other' }),
        error: RadiusAuthenticatorMismatchError },
      { name: 'a Message-Authenticator that does not verify', answer: (r) => signedReply(r, 42, [], { messageAuthenticator: 'wrong' }),
        error: RadiusMessageAuthenticatorInvalidError },
      { name: 'no Message-Authenticator where one is required', answer: (r) => signedReply(r, 41, [], { messageAuthenticator: 'none' }),
        error: RadiusMessageAuthenticatorMissingError, require: true },
      { name: 'another Identifier', answer: (r) => signedReply(r, 41, [], { identifier: (r[1] + 1) & 0xff }), error: RadiusTimeoutError },
      { name: 'the code of the other request (a CoA-ACK to a Disconnect-Request)', answer: (r) => signedReply(r, 44, []),
        error: RadiusTimeoutError },
      { name: 'not a RADIUS packet', answer: () => Buffer.from('not radius'), error: RadiusMalformedError },
      { name: 'a Length past the datagram', answer: (r) => { const bad = signedReply(r, 41, []); bad.writeUInt16BE(4000, 2); return bad; },
        error: RadiusMalformedError },
      { name: 'an Error-Cause of 3 bytes', answer: (r) => signedReply(r, 42, [{ type: 101, value: Buffer.from([0, 1, 247]) }]),
        error: RadiusMalformedError },
    ];
    for (const testCase of cases) {
      const server = await nas(testCase.answer);
      try {
        await assert.rejects(disconnectRequest({ host: '127.0.0.1', port: server.port, secret: SECRET }, { session: { userName: 'a' } },
          { timeoutMs: 300, tries: 1, requireMessageAuthenticator: testCase.require }), testCase.error, testCase.name);
      } finally {
        await server.close();
      }
    }
    // Without the requirement, a reply with no Message-Authenticator is trusted on its Response Authenticator (RFC 5176 makes it optional).
    const plain = await nas((r) => signedReply(r, 41, [], { messageAuthenticator: 'none' }));
    try {
      const done = await disconnectRequest({ host: '127.0.0.1', port: plain.port, secret: SECRET }, { session: { userName: 'a' } });
      assert.equal(done.acknowledged, true);
    } finally {
      await plain.close();
    }
  });

  it('a reply under another Identifier, of another code or from another port is a stray the NAS sent, never "no reply"', async () => {
    const elsewhere = createSocket('udp4');
    await new Promise<void>((resolve) => elsewhere.bind(0, '127.0.0.1', () => resolve()));
    let client: RemoteInfo | undefined;
    const kinds: Record<string, (r: Buffer) => Buffer | undefined> = {
      identifier: (r) => signedReply(r, r[0] + 1, [], { identifier: (r[1] + 1) & 0xff }),
      // A CoA-ACK to a Disconnect-Request, a Disconnect-ACK to a CoA-Request.
      code: (r) => signedReply(r, r[0] === 40 ? 44 : 41, []),
      // The right reply, from a port the request did not go to (RFC 2865 §3).
      port: (r) => {
        if (client) elsewhere.send(signedReply(r, r[0] + 1, []), client.port, client.address);
        return undefined;
      },
    };
    let kind = 'identifier';
    const server = await nas((r) => kinds[kind](r));
    server.socket.prependListener('message', (_message: Buffer, remote: RemoteInfo) => { client = remote; });
    try {
      for (kind of Object.keys(kinds)) {
        await assert.rejects(disconnectRequest({ host: '127.0.0.1', port: server.port, secret: SECRET }, { session: { userName: 'a' } },
          { timeoutMs: 1000, tries: 1 }), (error: RadiusTimeoutError) => error instanceof RadiusTimeoutError && error.strayReplies === 1,
        kind);
        for (const command of ['disconnect', 'coa']) {
          const err: string[] = [];
          const code = await eaphostCommand(command)(['--nas', `127.0.0.1:${server.port}`, '--secret', SECRET, '--identity', 'a',
            ...(command === 'coa' ? ['--session-timeout', '60'] : []), '--timeout', '1000', '--tries', '1'], () => undefined,
          (line) => { if (!line.startsWith('eaphost: warning: --secret')) err.push(line); });
          assert.equal(code, 3, err.join('\n'));
          assert.equal(err.length, 1, err.join('\n'));
          assert.match(err[0], new RegExp(`^NAS 127\\.0\\.0\\.1:${server.port} replied, but 1 reply answered no request sent to it ` +
            '\\(another Identifier, another reply code or another port\\): dropped \\(RFC 2865 §3\\); no verified reply after 1 tries ' +
            'in \\d+ ms$'), `${kind}, ${command}`);
        }
      }
    } finally {
      await server.close();
      await new Promise<void>((resolve) => elsewhere.close(() => resolve()));
    }
  });

  it('200 CoA-Requests out, a NAS answering each under the next one\'s Identifier: an Identifier mismatch, never the secret; ' +
    'a wrong secret stays a secret mismatch', async function () {
    this.timeout(30_000);
    const count = 200;
    /** A stand-in NAS (a loopback socket, replies signed here with node:crypto): it holds every request until all
     *  `count` are out, then answers each with a CoA-ACK signed for it, under `identifierOf`'s Identifier. */
    const holdingNas = (secret: string, identifierOf: (request: Buffer) => number) => {
      const held = new Map<number, Buffer>();
      return nas((request) => {
        held.set(request[1], request);
        if (held.size < count) return undefined;
        return [...held.values()].map((r) => signedReply(r, 44, [], { secret, identifier: identifierOf(r) }));
      });
    };
    const storm = async (port: number) => Promise.allSettled(Array.from({ length: count }, (_, i) =>
      coaRequest({ host: '127.0.0.1', port, secret: SECRET }, { session: { userName: `user-${i}` }, changes: { sessionTimeout: 60 } },
        { timeoutMs: 4000, tries: 1 })));
    const codes = (settled: PromiseSettledResult<unknown>[]): Record<string, number> => {
      const tally: Record<string, number> = {};
      for (const one of settled) {
        const code = one.status === 'fulfilled' ? 'answered' : String((one.reason as { code?: string }).code);
        tally[code] = (tally[code] ?? 0) + 1;
      }
      return tally;
    };
    const shifted = await holdingNas(SECRET, (r) => (r[1] + 1) & 0xff);
    try {
      const settled = await storm(shifted.port);
      // The one whose reply went out under an Identifier nothing was out under is a stray; every other one is misaddressed.
      assert.deepEqual(codes(settled), { ERR_RADIUS_IDENTIFIER_MISMATCH: count - 1, ERR_RADIUS_TIMEOUT: 1 });
      const mismatch = settled.find((one) => one.status === 'rejected' && /Identifier/.test(String(one.reason.message))) as PromiseRejectedResult;
      assert.match(mismatch.reason.message, /under another request's Identifier .*the shared secret is right/);
      assert.doesNotMatch(mismatch.reason.message, /check the shared secret/);
      const stray = settled.find((one) => one.status === 'rejected' && one.reason.code === 'ERR_RADIUS_TIMEOUT') as PromiseRejectedResult;
      assert.equal((stray.reason as RadiusTimeoutError).strayReplies, 1);
    } finally {
      await shifted.close();
    }
    const wrongSecret = await holdingNas('not-the-secret', (r) => r[1]);
    try {
      assert.deepEqual(codes(await storm(wrongSecret.port)), { ERR_RADIUS_AUTHENTICATOR_MISMATCH: count });
    } finally {
      await wrongSecret.close();
    }
  });

  it('bad input is a TypeError or RangeError, and nothing is sent', async () => {
    const server = await nas();
    const endpoint = { host: '127.0.0.1', port: server.port, secret: SECRET };
    const long = 'x'.repeat(254);
    const cases: Array<[string, () => Promise<unknown>, new (...args: never[]) => Error]> = [
      ['no message', () => disconnectRequest(endpoint, undefined as never), TypeError],
      ['no session', () => disconnectRequest(endpoint, {} as never), TypeError],
      ['no session identification attribute', () => disconnectRequest(endpoint, { session: { nasIdentifier: 'ap1' } }), RangeError],
      ['a User-Name that is a number', () => disconnectRequest(endpoint, { session: { userName: 42 as never } }), TypeError],
      ['an empty User-Name', () => disconnectRequest(endpoint, { session: { userName: '' } }), RangeError],
      ['a User-Name of 254 bytes (never cut: it would name another session)',
        () => disconnectRequest(endpoint, { session: { userName: long } }), RangeError],
      ['a Framed-IP-Address that is IPv6', () => disconnectRequest(endpoint, { session: { framedIpAddress: '::1' } }), RangeError],
      ['a NAS-IP-Address that is no address', () => disconnectRequest(endpoint, { session: { userName: 'a', nasIpAddress: 'nas' } }), RangeError],
      ['a NAS-Port of -1', () => disconnectRequest(endpoint, { session: { nasPort: -1 } }), RangeError],
      ['a Session-Timeout of 2^32', () => coaRequest(endpoint, { session: { userName: 'a' }, changes: { sessionTimeout: 2 ** 32 } }), RangeError],
      ['a Session-Timeout as text', () => coaRequest(endpoint, { session: { userName: 'a' }, changes: { sessionTimeout: '60' as never } }), TypeError],
      ['a State that is a string', () => coaRequest(endpoint, { session: { userName: 'a' }, changes: { authorizeOnlyState: 'ab' as never } }),
        TypeError],
      ['an attribute of 254 bytes', () => disconnectRequest(endpoint, { session: { userName: 'a' },
        attributes: [{ type: 26, value: Buffer.alloc(254) }] }), RangeError],
      ['an attribute type of 256', () => disconnectRequest(endpoint, { session: { userName: 'a' },
        attributes: [{ type: 256, value: Buffer.alloc(1) }] }), RangeError],
      ['a Message-Authenticator given', () => disconnectRequest(endpoint, { session: { userName: 'a' },
        attributes: [{ type: 80, value: Buffer.alloc(16) }] }), RangeError],
      ['a User-Password (RFC 5176 §3.6 forbids it)', () => disconnectRequest(endpoint, { session: { userName: 'a' },
        attributes: [{ type: 2, value: Buffer.alloc(16) }] }), RangeError],
      ['attributes that are not an array', () => disconnectRequest(endpoint, { session: { userName: 'a' }, attributes: {} as never }), TypeError],
      ['a packet past 4096 bytes', () => disconnectRequest(endpoint, { session: { userName: 'a' },
        attributes: Array.from({ length: 17 }, () => ({ type: 26, value: Buffer.alloc(253) })) }), RangeError],
      ['an empty secret', () => disconnectRequest({ ...endpoint, secret: '' }, { session: { userName: 'a' } }), RangeError],
      ['port 0', () => disconnectRequest({ ...endpoint, port: 0 }, { session: { userName: 'a' } }), RangeError],
      ['no endpoint', () => disconnectRequest(undefined as never, { session: { userName: 'a' } }), TypeError],
      ['tries 0', () => disconnectRequest(endpoint, { session: { userName: 'a' } }, { tries: 0 }), RangeError],
      ['an Event-Timestamp that is no date', () => disconnectRequest(endpoint, { session: { userName: 'a' } },
        { eventTimestamp: new Date(Number.NaN) }), TypeError],
    ];
    try {
      for (const [name, call, type] of cases) await assert.rejects(call(), type, name);
      await new Promise((resolve) => setTimeout(resolve, 50));
      assert.equal(server.received.length, 0, 'nothing was sent for bad input');
    } finally {
      await server.close();
    }
  });
});
