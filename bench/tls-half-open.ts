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
import { createAuthenticator, openEapHost } from '../lib';
import { recordPeapOpening } from '../test/support/half-open-peap';

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

  const openOne = await recordPeapOpening(authenticator, host, { identity: IDENTITY, password: PASSWORD });
  const before = rssMb();
  const open = [];
  const started = Date.now();
  for (let i = 0; i < count; i++) open.push(await openOne());
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
