/**
 * The memory of half-open PEAP conversations in the embedded authenticator (what `eaphost serve`
 * holds per conversation): N conversations each given an EAP-Response/Identity and a real
 * ClientHello (recorded once from our peer), then left waiting for the peer's next message, as a
 * flood of abandoned handshakes leaves them. Reports RSS per conversation, and RSS once they are
 * all closed (the memory given back).
 *
 *   node --expose-gc dist/bench/tls-half-open.js [--conversations 20000]
 *
 * Where the memory goes, and GnuTLS's floor: see half-open-flood.ts.
 */
import { parseArgs } from 'node:util';
import { authenticate, createAuthenticator, openEapHost } from '../lib';
import type { EapTransport, TransportReply } from '../lib';

const IDENTITY = 'bench';
const PASSWORD = 'bench-password';

function rssMb(): number {
  (globalThis as { gc?: () => void }).gc?.();
  return process.memoryUsage().rss / 2 ** 20;
}

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { conversations: { type: 'string', default: '20000' } } });
  const count = Number(values.conversations);
  const authenticator = await createAuthenticator({ methods: ['peap'], users: { [IDENTITY]: { password: PASSWORD } } });
  const host = await openEapHost();

  // One real peer's first two responses: Identity, then the PEAP response carrying its ClientHello.
  const responses: Buffer[] = [];
  const real = authenticator.createConversation();
  const recorder: EapTransport = {
    begin: (options) => real.begin(options),
    respond: async (response, options) => {
      responses.push(Buffer.from(response));
      if (responses.length === 2) throw new Error('recorded');
      return real.respond(response, options);
    },
    close: () => real.close(),
  };
  const session = await host.beginSession({ method: 'peap', identity: IDENTITY, password: PASSWORD, ...authenticator.trust });
  await authenticate({ session, transport: recorder }).catch(() => undefined);
  await session.endSession();
  await real.close();
  const [identity, clientHello] = responses;
  if (!clientHello || clientHello[4] !== 25) throw new Error('no ClientHello recorded');

  const answer = (reply: TransportReply, response: Buffer): Buffer => {
    const copy = Buffer.from(response);
    copy[1] = reply.packet![1];
    return copy;
  };
  const before = rssMb();
  const open = [];
  const started = Date.now();
  for (let i = 0; i < count; i++) {
    const conversation = authenticator.createConversation();
    let reply = await conversation.begin();
    reply = await conversation.respond(answer(reply, identity));  // → PEAP Start
    reply = await conversation.respond(answer(reply, clientHello));  // → the server's first flight
    if (reply.kind !== 'request') throw new Error(`conversation ${i}: ${reply.kind} ${reply.reason ?? ''}`);
    open.push(conversation);
  }
  const held = rssMb();
  const seconds = (Date.now() - started) / 1000;
  for (const conversation of open) await conversation.close();
  open.length = 0;
  // Collected, handles released, the heap handed back (the last ends trim it).
  for (let round = 0; round < 3; round++) {
    rssMb();
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
  const after = rssMb();
  console.log(JSON.stringify({
    measurement: 'half-open PEAP conversations (Identity + ClientHello answered, then abandoned)',
    conversations: count, rssBeforeMb: Math.round(before), rssHeldMb: Math.round(held),
    perConversationKb: Number((((held - before) * 1024) / count).toFixed(1)),
    rssAfterCloseMb: Math.round(after), setupPerSecond: Math.round(count / seconds), target: '< 200 MB for 20,000',
  }));
  await authenticator.close();
  await host.close();
}

main().catch((error) => {
  console.error(error);
  process.exitCode = 1;
});
