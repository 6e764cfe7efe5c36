/**
 * What a flood of half-open PEAP conversations costs `serve`: RadiusServer in front of the
 * embedded PEAP authenticator, one NAS client (127.0.0.2) opening N conversations and abandoning
 * each after its ClientHello, as a flooder would. Reports the resident set size before, with the
 * N conversations live, and after they ended (memory returned), plus the share of a second
 * client's (127.0.0.1) EAP-MD5 authentications, answered with node:crypto, that succeed while the
 * flood holds the whole table.
 *
 *   node --expose-gc dist/bench/half-open-flood.js [--conversations 20000] [--in-flight 16]
 *
 * Target (issue: server memory under a half-open flood): under 200 MB with 20,000 live.
 */
import { createSocket, Socket } from 'node:dgram';
import { parseArgs } from 'node:util';
import { authenticate, createAuthenticator, EapTransport, openEapHost, TransportReply } from '../lib';
import {
  decodeRadiusPacket, eapMessageAttributes, RadiusServer, reassembleEapMessage, signAccessRequest,
} from '../lib/radius';
import { identityResponse, md5ChallengeResponse } from '../test/radius/md5-oracle';

const SECRET = Buffer.from('half-open-flood-secret');
const IDENTITY = 'flood';
const PASSWORD = 'flood-password';

function rssMb(): number {
  (globalThis as { gc?: () => void }).gc?.();
  return Math.round(process.memoryUsage().rss / 1048576);
}

/** The EAP-Response carrying a real peer's ClientHello, recorded once and replayed with each conversation's identifier. */
async function recordClientHello(authenticator: Awaited<ReturnType<typeof createAuthenticator>>): Promise<Buffer> {
  const host = await openEapHost();
  const responses: Buffer[] = [];
  const inner = authenticator.createConversation();
  const recording: EapTransport = {
    begin: (options) => inner.begin(options),
    respond: (packet, options): Promise<TransportReply> => {
      responses.push(Buffer.from(packet));
      return inner.respond(packet, options);
    },
    close: () => inner.close(),
  };
  const session = await host.beginSession({ method: 'peap', identity: IDENTITY, password: PASSWORD, ...authenticator.trust });
  try {
    await authenticate({ session, transport: recording });
  } finally {
    await session.endSession();
    await host.close();
  }
  const hello = responses.find((packet) => packet[4] === 25 && packet.length > 6 && packet.includes(0x16));
  if (!hello) throw new Error('no PEAP ClientHello recorded');
  return hello;
}

const sockets: Socket[] = [];

async function boundSocket(address: string): Promise<Socket> {
  const socket = createSocket('udp4');
  await new Promise<void>((resolve, reject) => {
    socket.once('error', reject);
    socket.bind(0, address, () => resolve());
  });
  return socket;
}

/** Access-Requests and their replies, matched by identifier (one socket, at most 256 outstanding). */
function requester(socket: Socket, port: number) {
  sockets.push(socket);
  const waiting = new Map<number, (reply: Buffer) => void>();
  socket.on('message', (message) => {
    const resolve = waiting.get(message[1]);
    waiting.delete(message[1]);
    resolve?.(message);
  });
  let next = 0;
  return async (attributes: { type: number; value: Buffer }[]) => {
    let identifier = next++ & 0xff;
    while (waiting.has(identifier)) identifier = next++ & 0xff;
    const { datagram } = signAccessRequest(identifier, attributes, SECRET);
    const reply = new Promise<Buffer | undefined>((resolve) => {
      const timer = setTimeout(() => { waiting.delete(identifier); resolve(undefined); }, 10_000);
      waiting.set(identifier, (message) => { clearTimeout(timer); resolve(message); });
    });
    socket.send(datagram, port, '127.0.0.1');
    const message = await reply;
    return message ? decodeRadiusPacket(message) : undefined;
  };
}

async function main(): Promise<void> {
  const { values } = parseArgs({ options: {
    conversations: { type: 'string', default: '20000' }, 'in-flight': { type: 'string', default: '16' },
  } });
  const total = Number(values.conversations);
  const inFlight = Number(values['in-flight']);
  const authenticator = await createAuthenticator({ methods: ['peap', 'md5'], users: { [IDENTITY]: { password: PASSWORD } } });
  const clientHello = await recordClientHello(authenticator);
  const idleTimeoutMs = 600_000;
  const server = new RadiusServer({ port: 0, secret: SECRET, maxConversations: total, idleTimeoutMs,
    conversationFactory: () => authenticator.createConversation() });
  const { port } = await server.listen();
  const flooder = requester(await boundSocket('127.0.0.2'), port);
  const legitimate = requester(await boundSocket('127.0.0.1'), port);
  const baseline = rssMb();

  let opened = 0;
  let cursor = 0;
  const started = Date.now();
  await Promise.all(Array.from({ length: inFlight }, async () => {
    while (cursor < total) {
      const n = cursor++;
      const name = Buffer.from(`${IDENTITY}${n}`);
      const start = await flooder([{ type: 1, value: name }, ...eapMessageAttributes(identityResponse(1, name.toString()))]);
      const request = start && reassembleEapMessage(start);
      const state = start?.attributes.find((attribute) => attribute.type === 24)?.value;
      if (!request || !state) continue;
      const hello = Buffer.from(clientHello);
      hello[1] = request[1];
      const flight = await flooder([{ type: 1, value: name }, { type: 24, value: state }, ...eapMessageAttributes(hello)]);
      if (flight?.code === 11) opened++;
    }
  }));
  const floodSeconds = (Date.now() - started) / 1000;
  const live = rssMb();

  // While the flood holds the table, another client authenticates (EAP-MD5 computed with node:crypto).
  let accepted = 0;
  const attempts = 50;
  for (let n = 0; n < attempts; n++) {
    const challenge = await legitimate([{ type: 1, value: Buffer.from(IDENTITY) },
      ...eapMessageAttributes(identityResponse(1, IDENTITY))]);
    const state = challenge?.attributes.find((attribute) => attribute.type === 24)?.value;
    if (!challenge || !state) continue;
    // The server proposes PEAP first; a Nak asks for MD5 (RFC 3748 §5.3.1).
    const proposal = reassembleEapMessage(challenge)!;
    const nak = Buffer.from([2, proposal[1], 0, 6, 3, 4]);
    const md5 = await legitimate([{ type: 1, value: Buffer.from(IDENTITY) }, { type: 24, value: state }, ...eapMessageAttributes(nak)]);
    const md5State = md5?.attributes.find((attribute) => attribute.type === 24)?.value;
    if (!md5 || !md5State) continue;
    const answer = md5ChallengeResponse(reassembleEapMessage(md5)!, PASSWORD);
    const verdict = await legitimate([{ type: 1, value: Buffer.from(IDENTITY) }, { type: 24, value: md5State },
      ...eapMessageAttributes(answer)]);
    if (verdict?.code === 2) accepted++;
  }

  // Expiry: what the conversations held goes back (close() ends every one, as the idle sweep does).
  const activeBefore = server.activeConversations;
  await server.close();
  for (const socket of sockets) socket.close();
  await new Promise((resolve) => setTimeout(resolve, 500));
  const expired = rssMb();
  await authenticator.close();
  console.log(JSON.stringify({
    measurement: 'half-open PEAP flood through RadiusServer', conversations: total, opened, live: activeBefore,
    floodSeconds: Number(floodSeconds.toFixed(1)), rssBaselineMb: baseline, rssLiveMb: live,
    perConversationKb: Math.round(((live - baseline) * 1024) / Math.max(1, activeBefore)), rssAfterExpiryMb: expired,
    target: 'rssLiveMb < 200', legitimateAccepted: `${accepted}/${attempts}`,
    legitimateShare: Number((accepted / attempts).toFixed(3)),
  }));
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
