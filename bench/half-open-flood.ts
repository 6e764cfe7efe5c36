/**
 * What a flood of half-open PEAP conversations costs `serve`: RadiusServer in front of the
 * embedded PEAP authenticator, one NAS client (127.0.0.2) opening N conversations and abandoning
 * each after its ClientHello, as a flooder would. Reports the resident set size before, with the
 * N conversations live, and after they ended (memory returned), plus the share of a second
 * client's (127.0.0.1) EAP-MD5 authentications, answered with node:crypto, that succeed while the
 * flood holds the whole table.
 *
 *   node --expose-gc dist/bench/half-open-flood.js [--conversations 20000] [--in-flight 16]
 *        [--max-tls-conversations N]   (default: the server's own default, 2048)
 *        [--idle-first MS]   (default 0: the flood starts as the server opens)
 *
 * `--idle-first 1000` floods a server that has been idle a second: its engine keeps the first
 * handshakes itself until its share of a core says otherwise (keepStepsBelow), then hands the rest
 * over, and the kept conversations' TLS state, freed as the flood evicts them, is what the engine
 * hands back to the OS (heapReturns; native/radius/server/radius_stranded_heap.h).
 *
 * Target (issue: server memory under a half-open flood): under 200 MB with 20,000 opened. With
 * the server's defaults the TLS cap holds the flood's handshakes to 2,048 (the flooder evicts its
 * own oldest); `--max-tls-conversations 20000` keeps all of them, which shows the cost of each.
 *
 * Where one half-open conversation's memory goes (TLS 1.3, the ephemeral P-256 certificate, the
 * server's first flight fragmented at 1,400 bytes; heaptrack's peak attribution over 2,000
 * conversations, GnuTLS 3.7.9, glibc 2.36):
 *   GnuTLS, the floor while a handshake is in progress            ≈ 17.1 KB
 *     gnutls_init: the session structure 7.3 KB, its first epoch 0.7 KB
 *     the handshake so far: two 2 KB buffers (handshake messages kept for the transcript and
 *     the record layer), four 0.63 KB record cipher states (handshake and application traffic
 *     keys, both directions: TLS 1.3 derives them with the server's Finished), two more
 *     0.73 KB epochs, the key share and certificate status ≈ 0.7 KB
 *   ours, native                                                  ≈ 5.5 KB
 *     the method adapter's copy of the request it built (repeated on a retried SendPacket) 1.5 KB,
 *     the authenticator host's copy (repeated on retransmission) 1.4 KB, the PEAP and TLS
 *     method objects with the unsent rest of the flight 1.5 KB, the addon's conversation
 *     objects 1.1 KB
 *   JS: the server's conversation entry and the AuthenticatorConversation, ≈ 1.4 KB of V8 heap
 * Gone from that list: a GnuTLS priority cache per session (8.3 KB, now one per TLS version
 * range), the ClientHello kept twice (0.8 KB), the whole first flight kept while its first
 * fragment waits for an acknowledgement (1.6 KB). V8's young generation grows by a fixed
 * ≈ 30–60 MB under the flood's allocation rate and shrinks only later (rssLiveMb includes it).
 */
import { createSocket, Socket } from 'node:dgram';
import { parseArgs } from 'node:util';
import { createAuthenticator, openEapHost } from '../lib';
import { RadiusServer } from '../lib/radius';
import { openOverRadius, radiusRequester, RadiusRequest, recordPeapResponses } from '../test/support/half-open-peap';
import { eapMessageAttributes, reassembleEapMessage } from '../test/support/radius-oracle';
import { identityResponse, md5ChallengeResponse } from '../test/radius/md5-oracle';

const SECRET = Buffer.from('half-open-flood-secret');
const IDENTITY = 'flood';
const PASSWORD = 'flood-password';

function rssMb(): number {
  (globalThis as { gc?: () => void }).gc?.();
  return Math.round(process.memoryUsage().rss / 1048576);
}

/** The V8 heap's share of the RSS (committed, MB), to tell it from the native side. */
function v8HeapMb(): number {
  return Math.round(process.memoryUsage().heapTotal / 1048576);
}

/** RSS once conversations ended: collected, their handles released, the heap handed back. */
async function settledRssMb(): Promise<number> {
  for (let round = 0; round < 3; round++) {
    rssMb();
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
  return rssMb();
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

/** Access-Requests from a socket bound to `address`. */
async function requester(address: string, port: number): Promise<RadiusRequest> {
  const socket = await boundSocket(address);
  sockets.push(socket);
  return radiusRequester(socket, port, SECRET);
}

async function main(): Promise<void> {
  const { values } = parseArgs({ options: {
    conversations: { type: 'string', default: '20000' }, 'in-flight': { type: 'string', default: '16' },
    'max-tls-conversations': { type: 'string' }, 'idle-first': { type: 'string', default: '0' },
  } });
  const tlsCap = values['max-tls-conversations'] === undefined ? {} : { maxTlsConversations: Number(values['max-tls-conversations']) };
  const total = Number(values.conversations);
  const inFlight = Number(values['in-flight']);
  const authenticator = await createAuthenticator({ methods: ['peap', 'md5'], users: { [IDENTITY]: { password: PASSWORD } } });
  const host = await openEapHost();
  const { clientHello } = await recordPeapResponses(authenticator, host, { identity: IDENTITY, password: PASSWORD });
  await host.close();
  const idleTimeoutMs = 600_000;
  const server = new RadiusServer({ port: 0, secret: SECRET, maxConversations: total, ...tlsCap, idleTimeoutMs, authenticator });
  const { port } = await server.listen();
  const flooder = await requester('127.0.0.2', port);
  const legitimate = await requester('127.0.0.1', port);
  const baseline = rssMb();
  const idleFirstMs = Number(values['idle-first']);
  if (idleFirstMs > 0) await new Promise((resolve) => setTimeout(resolve, idleFirstMs));

  let opened = 0;
  let cursor = 0;
  const started = Date.now();
  await Promise.all(Array.from({ length: inFlight }, async () => {
    while (cursor < total) {
      const n = cursor++;
      if (await openOverRadius(flooder, `${IDENTITY}${n}`, clientHello)) opened++;
    }
  }));
  const floodSeconds = (Date.now() - started) / 1000;
  const live = rssMb();
  const liveHeap = v8HeapMb();

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
  const activeTls = server.activeTlsConversations;
  const { kept, handedOver, heapReturns } = server.stepPool;
  await server.close();
  for (const socket of sockets) socket.close();
  const expired = await settledRssMb();
  const expiredHeap = v8HeapMb();
  await authenticator.close();
  console.log(JSON.stringify({
    measurement: 'half-open PEAP flood through RadiusServer', conversations: total, opened, live: activeBefore,
    liveTls: activeTls, maxTlsConversations: tlsCap.maxTlsConversations ?? 'default', idleFirstMs,
    handshakeSteps: { kept, handedOver }, heapReturns,
    floodSeconds: Number(floodSeconds.toFixed(1)), rssBaselineMb: baseline, rssLiveMb: live, v8HeapLiveMb: liveHeap,
    perConversationKb: Math.round(((live - baseline) * 1024) / Math.max(1, activeBefore)), rssAfterExpiryMb: expired,
    v8HeapAfterExpiryMb: expiredHeap,
    target: 'rssLiveMb < 200', legitimateAccepted: `${accepted}/${attempts}`,
    legitimateShare: Number((accepted / attempts).toFixed(3)),
  }));
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
