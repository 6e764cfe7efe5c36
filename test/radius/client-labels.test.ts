import { strict as assert } from 'node:assert';
import { createSocket } from 'node:dgram';
import { createAuthenticator, Authenticator } from '../../lib';
import { RadiusServer } from '../../lib/radius';
import { runRadclient } from '../support/cli-run';
import { eapMessageAttributes, signAccessRequest } from '../support/radius-oracle';

/**
 * A client address takes a label of its own (serve --metrics' `client`) only once one of its
 * requests proves its secret. Before, 4,100 addresses that only sent with a wrong secret took
 * every one of the 4,096 labels, and a real NAS arriving after them was counted as "other".
 * The flood is signed with node:crypto (RFC 3579 §3.2) from 127.1.0.0/16, all loopback; the real
 * NAS is radclient, FreeRADIUS's client, from 127.0.0.1.
 */
const SECRET = 'labels-secret';
const FLOOD = 4100;
const BATCH = 100;

/** An EAP-Response/Identity of `name` (RFC 3748 §5.1). */
function identityResponse(name: string): Buffer {
  const packet = Buffer.concat([Buffer.from([2, 1, 0, 0, 1]), Buffer.from(name)]);
  packet.writeUInt16BE(packet.length, 2);
  return packet;
}

/** Until `done()` holds, looking every 10 ms (the mocha timeout bounds it). */
async function until(done: () => boolean): Promise<void> {
  while (!done()) await new Promise((resolve) => setTimeout(resolve, 10));
}

/** One request from `address`, from a socket of its own. */
async function sendFrom(address: string, port: number, datagram: Buffer): Promise<void> {
  const socket = createSocket('udp4');
  try {
    await new Promise<void>((resolve, reject) => socket.once('error', reject).bind(0, address, () => resolve()));
    await new Promise<void>((resolve, reject) => socket.send(datagram, port, '127.0.0.1', (error) => (error ? reject(error) : resolve())));
  } finally {
    socket.close();
  }
}

describe('client labels: taken only by a client whose request proves its secret', function () {
  this.timeout(60_000);
  let authenticator: Authenticator;
  let server: RadiusServer;
  let port: number;

  before(async () => {
    authenticator = await createAuthenticator({ methods: ['md5'], users: { frank: { password: 'pw' } } });
    server = new RadiusServer({ port: 0, secret: SECRET, authenticator, pap: true, requireMessageAuthenticator: false });
    ({ port } = await server.listen());
  });
  after(async () => {
    await server?.close();
    await authenticator?.close();
  });

  it('4,100 addresses with a wrong secret count as "unverified"; a real NAS after them has its own label', async () => {
    const wrong = Buffer.from('not-the-secret');
    for (let first = 0; first < FLOOD; first += BATCH) {
      const sends = [];
      for (let i = first; i < Math.min(FLOOD, first + BATCH); i++) {
        const { datagram } = signAccessRequest(i & 0xff, eapMessageAttributes(identityResponse('mallory')), wrong);
        sends.push(sendFrom(`127.1.${i >> 8}.${i & 0xff}`, port, datagram));
      }
      await Promise.all(sends);
      // Paced: each batch counted before the next is sent, so no datagram is lost to a full socket buffer.
      await until(() => server.stats.droppedUnauthenticated >= Math.min(FLOOD, first + BATCH));
    }
    assert.equal(server.stats.droppedUnauthenticated, FLOOD);
    // PAP unsigned with a wrong secret from the NAS's own address: its password does not match, which proves nothing.
    const forged = await runRadclient(port, 'not-the-secret', 'auth', 'User-Name = "frank"\nUser-Password = "pw"\n', 1);
    assert.doesNotMatch(forged.output, /Received Access-Accept/, forged.output);
    await until(() => server.stats.rejects >= 1);
    const challenge = await runRadclient(port, SECRET, 'auth',
      'User-Name = "frank"\nEAP-Message = 0x0201000a016672616e6b\nMessage-Authenticator = 0x00\nResponse-Packet-Type = Access-Challenge\n', 2);
    assert.equal(challenge.code, 0, challenge.output);
    const pap = await runRadclient(port, SECRET, 'auth', 'User-Name = "frank"\nUser-Password = "pw"\nMessage-Authenticator = 0x00\n', 2);
    assert.match(pap.output, /Received Access-Accept/, pap.output);

    const byClient = new Map(server.clientCounts.map((tally) => [tally.client, tally]));
    assert.deepEqual([...byClient.keys()].sort(), ['127.0.0.1', 'unverified']);
    const nas = byClient.get('127.0.0.1')!;
    assert.deepEqual([nas.accessRequests, nas.valid, nas.challenges, nas.accepts], [2, 2, 1, 1]);
    const unverified = byClient.get('unverified')!;
    assert.deepEqual([unverified.accessRequests, unverified.invalid, unverified.absent, unverified.rejects], [FLOOD + 1, FLOOD, 1, 1]);
    const outcomes = server.verdictCounts.outcomes.map(({ client, accept, reason, count }) => ({ client, accept, reason, count }));
    assert.deepEqual(outcomes.sort((a, b) => a.client.localeCompare(b.client)), [
      { client: '127.0.0.1', accept: true, reason: '', count: 1 },
      { client: 'unverified', accept: false, reason: 'wrong-password', count: 1 },
    ]);
  });
});
