import { strict as assert } from 'node:assert';
import type { TLSSocket } from 'node:tls';
import { Authenticator, createAuthenticator } from '../../lib';
import { RadiusServer } from '../../lib/radius';
import { InteropPki, makeInteropPki } from '../support/interop-pki';
import {
  answersStatusServer, nasConnection, PacketReader, PeerConnection, statusServer, statusServerPacket,
} from '../support/radsec-peers';

/**
 * A RadSec connection's bytes are cut into packets by the RADIUS engine (RFC 6614 §2.5): however
 * the NAS's writes split them, each packet is answered once, in order; a Length out of 20..4096
 * closes that connection alone and is counted as malformed, as a UDP datagram with one is. Real
 * TLS on 127.0.0.1 against a RadiusServer; the replies are checked with node:crypto.
 */
describe('RadSec framing: packets split and joined across TLS writes, a broken Length', function () {
  this.timeout(30_000);
  let pki: InteropPki;
  let authenticator: Authenticator;
  let server: RadiusServer;
  let port: number;
  const peers: PeerConnection<TLSSocket>[] = [];

  before(async () => {
    pki = await makeInteropPki();
    authenticator = await createAuthenticator({ methods: ['md5'], users: { nora: { password: 'n0ra pass' } } });
  });
  beforeEach(async () => {
    server = new RadiusServer({ host: '127.0.0.1', port: 0, authenticator, radsec: { cert: pki.serverCert, key: pki.serverKey, ca: pki.ca } });
    ({ port } = await server.listen());
  });
  afterEach(async () => {
    for (const peer of peers.splice(0)) peer.socket.destroy();
    await server.close();
  });
  after(async () => {
    await authenticator?.close();
    pki?.remove();
  });

  async function nas(): Promise<PeerConnection<TLSSocket>> {
    const peer = await nasConnection(pki, '127.0.0.1', port);
    peers.push(peer);
    return peer;
  }

  /** The next `count` packets the server sends over `peer`. */
  function replies(peer: PeerConnection<TLSSocket>, count: number): Promise<Buffer[]> {
    return new Promise((resolve, reject) => {
      const reader = new PacketReader();
      const got: Buffer[] = [];
      const onData = (chunk: Buffer): void => {
        got.push(...reader.push(chunk));
        if (got.length < count) return;
        peer.socket.removeListener('data', onData);
        resolve(got);
      };
      peer.socket.on('data', onData);
      peer.closed.then(() => reject(new Error(`closed after ${got.length} of ${count} replies`)));
    });
  }

  function write(peer: PeerConnection<TLSSocket>, bytes: Buffer): Promise<void> {
    return new Promise((resolve, reject) => peer.socket.write(bytes, (error) => (error ? reject(error) : resolve())));
  }

  /** A packet header (Status-Server, Identifier 9) whose Length field says `length`, and nothing after. */
  function headerSaying(length: number): Buffer {
    const header = Buffer.alloc(20);
    header[0] = 12;
    header[1] = 9;
    header.writeUInt16BE(length, 2);
    return header;
  }

  it('answers a packet written a byte at a time, two in one write and one split mid-header, each once and in order', async () => {
    const peer = await nas();
    const first = replies(peer, 1);
    for (const byte of statusServerPacket(1)) {
      await write(peer, Buffer.from([byte]));
      await new Promise(setImmediate);
    }
    assert.ok(answersStatusServer((await first)[0], 1));

    const joined = replies(peer, 3);
    const third = statusServerPacket(4);
    await write(peer, Buffer.concat([statusServerPacket(2), statusServerPacket(3), third.subarray(0, 3)]));
    await write(peer, third.subarray(3));
    const answered = await joined;
    assert.deepEqual(answered.map((reply, i) => answersStatusServer(reply, i + 2)), [true, true, true]);
    assert.equal(server.stats.requests, 4);
  });

  it('answers 300 packets of one write, in order, past the share one turn answers', async () => {
    const peer = await nas();
    const all = replies(peer, 300);
    await write(peer, Buffer.concat(Array.from({ length: 300 }, (_, i) => statusServerPacket(i))));
    const answered = await all;
    assert.equal(answered.filter((reply, i) => answersStatusServer(reply, i)).length, 300);
  });

  for (const length of [19, 4097]) {
    it(`closes the connection whose stream says Length ${length}, after answering what came before it; the others go on`, async () => {
      const bystander = await nas();
      const peer = await nas();
      const before = replies(peer, 1);
      // The bystander's packet waits half-written while the other connection breaks.
      const waiting = statusServerPacket(7);
      await write(bystander, waiting.subarray(0, 10));
      await write(peer, Buffer.concat([statusServerPacket(5), headerSaying(length), statusServerPacket(6)]));
      assert.ok(answersStatusServer((await before)[0], 5));
      await peer.closed;
      const rest = replies(bystander, 1);
      await write(bystander, waiting.subarray(10));
      assert.ok(answersStatusServer((await rest)[0], 7));
      assert.ok(answersStatusServer(await statusServer(bystander, 8), 8));
      // Status-Server 6, after the broken Length, was never read.
      assert.equal(server.stats.requests, 3);
      assert.equal(server.stats.droppedMalformed, 1);
    });
  }
});
