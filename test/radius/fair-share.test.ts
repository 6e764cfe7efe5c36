import { strict as assert } from 'node:assert';
import { createSocket, Socket } from 'node:dgram';
import { createAuthenticator, Authenticator } from '../../lib';
import { RadiusServer } from '../../lib/radius';
import { decodeRadiusPacket, eapMessageAttributes, reassembleEapMessage, signAccessRequest } from '../support/radius-oracle';
import { waitFor } from '../support/radius-probe';
import { identityResponse, md5ChallengeResponse } from './md5-oracle';

/**
 * One NAS client flooding half-open conversations cannot evict another client's conversations:
 * each client holds a fair share of the cap. The legitimate client's verdicts are EAP-MD5
 * responses computed with node:crypto, so an Access-Accept proves the whole conversation survived.
 */
const SECRET = Buffer.from('fair-share-secret');
const CAP = 64;
const FLOOD_PER_STEP = 3 * CAP;
const USER = 'gina';
const PASSWORD = 'correct horse';

describe('RadiusServer fair share of the conversation cap', function () {
  this.timeout(60_000);
  let authenticator: Authenticator;
  let server: RadiusServer;
  let port: number;
  let legitimate: Socket;
  let flooder: Socket;
  let floodReplies = 0;

  before(async () => {
    authenticator = await createAuthenticator({ methods: ['md5'], users: { [USER]: { password: PASSWORD } } });
    server = new RadiusServer({ port: 0, secret: SECRET, maxConversations: CAP, authenticator });
    ({ port } = await server.listen());
    legitimate = await boundSocket('127.0.0.1');
    // Another loopback source address is another NAS client.
    flooder = await boundSocket('127.0.0.2');
    flooder.on('message', () => floodReplies++);
  });
  after(async () => {
    legitimate?.close();
    flooder?.close();
    await server?.close();
    await authenticator?.close();
  });

  /** Half-open conversations: an Identity response each, never followed up. A flood request is
   *  answered, or dropped when all of the flooder's share is busy; both count as handled. */
  async function flood(count: number): Promise<void> {
    const handled = (): number => floodReplies + server.stats.droppedUnexpected;
    const start = handled();
    for (let i = 0; i < count; i++) {
      const { datagram } = signAccessRequest(i & 0xff, [{ type: 1, value: Buffer.from(`flood${i}`) },
        ...eapMessageAttributes(identityResponse(1, `flood${i}`))], SECRET);
      flooder.send(datagram, port, '127.0.0.1');
      // In small bursts, so loopback's socket buffers drop nothing.
      if (i % 16 === 15) await waitFor(() => handled() >= start + i + 1 - 16, 10_000, 2);
    }
    await waitFor(() => handled() >= start + count, 10_000, 2);
  }

  it('every legitimate authentication succeeds while another client floods, and the flooder evicts only its own', async () => {
    const attempts = 10;
    let accepted = 0;
    for (let n = 0; n < attempts; n++) {
      const challenge = await exchange(legitimate, port, 2 * n, [{ type: 1, value: Buffer.from(USER) },
        ...eapMessageAttributes(identityResponse(1, USER))]);
      assert.equal(challenge.code, 11, 'Access-Challenge');
      const state = challenge.attributes.find((attribute) => attribute.type === 24)!.value;
      // Between the challenge and the answer, the other client opens three caps' worth.
      await flood(FLOOD_PER_STEP);
      const answer = md5ChallengeResponse(reassembleEapMessage(challenge)!, PASSWORD);
      const verdict = await exchange(legitimate, port, 2 * n + 1, [{ type: 1, value: Buffer.from(USER) },
        { type: 24, value: state }, ...eapMessageAttributes(answer)]);
      if (verdict.code === 2) accepted++;
    }
    const share = accepted / attempts;
    console.log(`      legitimate authentications accepted during the flood: ${accepted}/${attempts} (${(share * 100).toFixed(0)} %)`);
    assert.equal(share, 1, 'every legitimate authentication survived the flood');
    assert.ok(server.activeConversations <= CAP, `${server.activeConversations} live conversations, cap ${CAP}`);
    assert.ok(server.stats.conversationsEvicted >= attempts * FLOOD_PER_STEP - CAP,
      `${server.stats.conversationsEvicted} evicted: the flood made room at its own expense`);
  });
});

async function boundSocket(address: string): Promise<Socket> {
  const socket = createSocket('udp4');
  await new Promise<void>((resolve, reject) => {
    socket.once('error', reject);
    socket.bind(0, address, () => resolve());
  });
  return socket;
}

/** One Access-Request and its reply (the server is on loopback, so nothing is lost). */
async function exchange(socket: Socket, port: number, identifier: number,
  attributes: { type: number; value: Buffer }[]): Promise<ReturnType<typeof decodeRadiusPacket>> {
  const { datagram } = signAccessRequest(identifier & 0xff, attributes, SECRET);
  const reply = new Promise<Buffer>((resolve, reject) => {
    const timer = setTimeout(() => {
      socket.removeListener('message', onMessage);
      reject(new Error(`no reply to request ${identifier}`));
    }, 5000);
    const onMessage = (message: Buffer): void => {
      if (message[1] !== (identifier & 0xff)) return;
      clearTimeout(timer);
      socket.removeListener('message', onMessage);
      resolve(message);
    };
    socket.on('message', onMessage);
  });
  socket.send(datagram, port, '127.0.0.1');
  return decodeRadiusPacket(await reply);
}
