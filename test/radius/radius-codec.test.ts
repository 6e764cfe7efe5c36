import { strict as assert } from 'node:assert';
import { spawn } from 'node:child_process';
import { createSocket, Socket } from 'node:dgram';
import { once } from 'node:events';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { decodeAttributes, decodePacketAttributes, encodeAttributes, RadiusDecodedAttribute, textOf, TypedAttribute }
  from '../../lib/radius/attribute-codec';
import { createAuthenticator } from '../../lib';
import { isOptionError } from '../../lib/core/option-error';
import { RadiusServer } from '../../lib/radius';
import type { AuthorizeRequest } from '../../lib/radius/policy';
import { runRadclient } from '../support/cli-run';
import { findProgram } from '../support/programs';

/**
 * native/radius's attribute codec against the vectors of test/fixtures/radius-codec/*.json: each
 * a request's bytes (a whole packet, or its attributes under a 20-byte Accounting-Request header)
 * and the attributes they decode to, typed, written from the RFCs' text; every well-formed one
 * written back to the same bytes (or to its `reencoded` form); malformed ones with the typed error
 * or the per-attribute `error` the codec gives. Where a vector has `peer` lines, FreeRADIUS's
 * radclient is given the same values and the request it sends must carry exactly these bytes:
 * the vectors are FreeRADIUS's encoding too, not only ours. The engine reads the same bytes: a
 * RadiusServer's authorize() sees NAS-IP-Address, NAS-IPv6-Address, NAS-Port-Type and the station
 * ids as the vectors decode them.
 */
interface Vector {
  name: string;
  packet?: string;
  attributes?: string;
  decoded?: RadiusDecodedAttribute[];
  reencoded?: string;
  peer?: string[];
  encode?: TypedAttribute;
  /** What the codec refuses: a TypeError, or a RangeError naming the field apart (`option`, its `detail` the rest). */
  error?: { name: string; message: string; option?: string };
}

const dir = path.resolve(__dirname, '..', '..', '..', 'test', 'fixtures', 'radius-codec');
const files = fs.readdirSync(dir).filter((name) => name.endsWith('.json')).sort();
const vectors = files.map((file) => ({ file, vectors: (JSON.parse(fs.readFileSync(path.join(dir, file), 'utf8')) as { vectors: Vector[] }).vectors }));

/** A request around `attributes`: Accounting-Request (4), Identifier 0, a zero authenticator. */
function packetOf(attributes: Buffer): Buffer {
  const header = Buffer.alloc(20);
  header[0] = 4;
  header.writeUInt16BE(20 + attributes.length, 2);
  return Buffer.concat([header, attributes]);
}

/** The attribute section of a packet, by its Length. */
function attributeBytes(packet: Buffer): Buffer {
  return packet.subarray(20, packet.readUInt16BE(2));
}

/** A decoded attribute as encodeAttributes takes it back. */
function typedOf({ type, format, value, tag, vendor, vendorType }: RadiusDecodedAttribute): TypedAttribute {
  return { type, format, value, ...(tag !== undefined ? { tag } : {}), ...(vendor !== undefined ? { vendor, vendorType } : {}) };
}

/** What radclient sends for `lines` (an Accounting-Request), caught on our own socket. */
async function radclientRequest(socket: Socket, lines: string[]): Promise<Buffer> {
  const { port } = socket.address();
  const child = spawn(findProgram(['radclient'], 'freeradius-utils'), ['-r', '1', '-t', '5', `127.0.0.1:${port}`, 'acct', 'codec-secret'],
    { stdio: ['pipe', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr!.on('data', (chunk) => { stderr += chunk; });
  const exited = once(child, 'exit');
  child.stdin!.end(`${lines.join('\n')}\n`);
  const received = once(socket, 'message') as Promise<[Buffer]>;
  const first = await Promise.race([received, exited.then(() => { throw new Error(`radclient sent nothing: ${stderr}`); })]);
  child.kill();
  await exited;
  return first[0];
}

describe('RADIUS codec vectors (test/fixtures/radius-codec) through native/radius', function () {
  this.timeout(120_000);

  it('holds vectors: RFC 2865 §7\'s packets, every RFC 2868 tag, the address types, malformed ones', () => {
    const all = vectors.flatMap((entry) => entry.vectors);
    assert.ok(all.length >= 80, `${all.length} vectors`);
    const tags = new Set(all.flatMap((vector) => vector.decoded ?? []).map((attribute) => attribute.tag));
    for (let tag = 0; tag <= 0x1f; tag++) assert.ok(tags.has(tag), `a vector under tag ${tag}`);
    const formats = new Set(all.flatMap((vector) => vector.decoded ?? []).map((attribute) => attribute.format));
    assert.deepEqual([...formats].sort(), ['integer', 'ipaddr', 'ipv6addr', 'ipv6prefix', 'octets', 'string']);
  });

  for (const { file, vectors: list } of vectors) {
    describe(file, () => {
      for (const vector of list) {
        it(vector.name, () => {
          if (vector.encode !== undefined) {
            const { name, message, option } = vector.error!;
            assert.throws(() => encodeAttributes([vector.encode!]), (error: Error) => error.name === name && new RegExp(message).test(error.message));
            // A refused value names its field apart, as native/radius throws it: no caller reads the words.
            if (option !== undefined) {
              assert.throws(() => encodeAttributes([textOf(1, 'ok'), vector.encode!]), (error: Error) => isOptionError(error) &&
                error.option === option.replace('[0]', '[1]') && error.detail !== '' && error.message === `${error.option}: ${error.detail}`);
            }
            return;
          }
          const packet = vector.packet !== undefined ? Buffer.from(vector.packet, 'hex') : packetOf(Buffer.from(vector.attributes!, 'hex'));
          if (vector.decoded === undefined) {
            assert.throws(() => decodePacketAttributes(packet),
              (error: Error) => error.name === vector.error!.name && new RegExp(vector.error!.message).test(error.message));
            return;
          }
          const decoded = decodePacketAttributes(packet);
          assert.deepEqual(decoded, vector.decoded);
          // The same values from the attribute list the client engine hands over.
          const section = attributeBytes(packet);
          const list = [];
          for (let at = 0; at < section.length; at += section[at + 1]) list.push({ type: section[at], value: section.subarray(at + 2, at + section[at + 1]) });
          assert.deepEqual(decodeAttributes(list), vector.decoded);
          // Back: what decodes cleanly is written to the same bytes (or the canonical form given).
          if (decoded.some((attribute) => attribute.error !== undefined)) return;
          const written = Buffer.concat(encodeAttributes(decoded.map(typedOf)).map(({ type, value }) => Buffer.concat([Buffer.from([type, value.length + 2]), value])));
          assert.equal(written.toString('hex'), vector.reencoded ?? section.toString('hex'));
        });
      }
    });
  }

  it('radclient (FreeRADIUS) sends exactly the vectors\' bytes for the same values', async () => {
    const socket = createSocket('udp4');
    await new Promise<void>((resolve) => socket.bind(0, '127.0.0.1', resolve));
    try {
      let checked = 0;
      for (const { file, vectors: list } of vectors) {
        for (const vector of list.filter((candidate) => candidate.peer !== undefined)) {
          const sent = await radclientRequest(socket, vector.peer!);
          assert.equal(attributeBytes(sent).toString('hex'), vector.attributes, `${file}: ${vector.name}`);
          checked++;
        }
      }
      assert.ok(checked >= 40, `${checked} vectors checked against radclient`);
    } finally {
      socket.close();
    }
  });

  it('the engine reads what the vectors decode: authorize() sees their NAS address, NAS-Port-Type and station ids', async () => {
    const SECRET = 'codec-engine';
    const seen: AuthorizeRequest[] = [];
    const authenticator = await createAuthenticator({ methods: ['md5'], users: { bob: { password: 'bob pa55' } },
      authorize: (request) => { seen.push(request); return undefined; } });
    const server = new RadiusServer({ port: 0, secret: SECRET, authenticator, pap: true });
    const READ = new Set([4, 95, 61, 30, 31, 32]);
    try {
      const { port } = await server.listen();
      let checked = 0;
      for (const { file, vectors: list } of vectors) {
        // Service-Type Call-Check (10) makes a request MAB, which this server has no list for.
        const readable = list.filter((candidate) => candidate.peer !== undefined && candidate.decoded!.some(({ type }) => READ.has(type)) &&
          !candidate.decoded!.some(({ type, value }) => type === 6 && value === 10));
        for (const vector of readable) {
          const reply = await runRadclient(port, SECRET, 'auth',
            `${['User-Name = "bob"', 'User-Password = "bob pa55"', ...vector.peer!, 'Message-Authenticator = 0x00'].join('\n')}\n`, 2);
          assert.match(reply.output, /Received Access-Accept/, `${file}: ${vector.name}\n${reply.output}`);
          const request = seen.pop()!;
          const first = (types: number[]) => vector.decoded!.find(({ type }) => types.includes(type))?.value;
          const address = first([4, 95]);
          if (address !== undefined) assert.equal(request.nasAddress, address, vector.name);
          assert.equal(request.nasPortType, first([61]), vector.name);
          assert.equal(request.nasIdentifier, first([32]), vector.name);
          assert.equal(request.calledStationId, first([30]), vector.name);
          assert.equal(request.callingStationId, first([31]), vector.name);
          checked++;
        }
      }
      assert.ok(checked >= 3, `${checked} vectors through the engine`);
    } finally {
      await server.close();
      await authenticator.close();
    }
  });
});
