/**
 * Run by test/list-bounds.test.ts in a child process: each case hands a list argument a sparse
 * array of length 2^32 - 1 (nothing in it) and prints one JSON line { name, error } with what the
 * call threw or rejected with. A reader that reserved by that length aborted the process
 * (std::bad_alloc, which nothing caught); one that walked the holes held the thread for minutes.
 * The parent sees either as a child that stopped before printing every line.
 */
import { binding } from '../../lib/native';
import { createAuthenticator } from '../../lib';
import { RadiusClient, RadiusServer } from '../../lib/radius';
import { loadPeerMethod } from '../../lib/session/peer-method';

const sparse = (): never[] => {
  const list: never[] = [];
  list.length = 2 ** 32 - 1;
  return list;
};

const settings = (extra: Record<string, unknown> = {}) => ({
  maxSendPacketSize: 1400, retransmitTimeoutMs: 1000, maxRetransmits: 3, connectionData: [], ...extra,
});
const engineArgs = (extra: Record<string, unknown>) => ({
  methods: [], settings: settings(), port: 0, secret: Buffer.from('s'), idleTimeoutMs: 1000, replyCacheMs: 1000,
  maxConversations: 1, maxTlsConversations: 1, requireMessageAuthenticator: true, tlsTypes: [], records: false,
  onEvents: () => undefined, ...extra,
});
const sendArgs = (extra: Record<string, unknown>) => ({
  id: 1, target: 1, code: 1, attributes: [], messageAuthenticator: true, requireMessageAuthenticator: true,
  secretProbe: false, answerCodes: [2], tries: 1, timeoutMs: 10, ...extra,
});

type Case = [string, () => unknown];
const raw = binding as unknown as Record<string, (args: unknown) => unknown>;
const cases: Case[] = [
  ['radiusEngineOpen methods', () => raw.radiusEngineOpen(engineArgs({ methods: sparse() }))],
  ['radiusEngineOpen settings.connectionData', () => raw.radiusEngineOpen(engineArgs({ settings: settings({ connectionData: sparse() }) }))],
  ['radiusEngineOpen clients', () => raw.radiusEngineOpen(engineArgs({ clients: sparse() }))],
  ['radiusEngineOpen allowed', () => raw.radiusEngineOpen(engineArgs({ allowed: sparse() }))],
  ['radiusEngineOpen tlsTypes', () => raw.radiusEngineOpen(engineArgs({ tlsTypes: sparse() }))],
  ['radiusEngineOpen users', () => raw.radiusEngineOpen(engineArgs({ users: sparse() }))],
  ['dynamicAuthorizationOpen clients', () => raw.dynamicAuthorizationOpen({
    host: '127.0.0.1', port: 0, onRequests: () => undefined, clients: sparse(), requireMessageAuthenticator: true,
    requireEventTimestamp: true, windowSeconds: 300, replayCacheSize: 16,
  })],
  ['NativeRadiusClient.send attributes', () => withClient((client) => client.send(sendArgs({ attributes: sparse() })))],
  ['NativeRadiusClient.send answerCodes', () => withClient((client) => client.send(sendArgs({ answerCodes: sparse() })))],
  ['NativeRadiusClient.load columns', () => withClient((client) => client.load({
    target: 1, attributes: [], columns: sparse(), requireMessageAuthenticator: true, tries: 1, timeoutMs: 10, concurrency: 1,
  }))],
  ['registryDelete values', () => raw.registryDelete({ key: 'Software\\eaphost-test-none', values: sparse() })],
  ['RadiusServer allowedClients', async () => new RadiusServer({ secret: 's', allowedClients: sparse(), authenticator: await createAuthenticator({ users: {} }) })],
  ['RadiusServer clients', async () => new RadiusServer({ clients: sparse(), authenticator: await createAuthenticator({ users: {} }) })],
  ['RadiusClient.accessRequest attributes', async () => {
    const client = new RadiusClient({ secretProbe: false });
    try {
      return await client.accessRequest({ host: '127.0.0.1', port: 9, secret: 's' }, sparse(), { timeoutMs: 100, tries: 1 });
    } finally {
      await client.close();
    }
  }],
  ['PeerMethod.queryUserBlobFromCredentialInputFields fields', async () => {
    await using method = await loadPeerMethod('md5');
    return await method.queryUserBlobFromCredentialInputFields(sparse());
  }],
];

type NativeClient = Record<string, (args: unknown) => unknown>;
function withClient(use: (client: NativeClient) => unknown): unknown {
  const client = raw.radiusClientOpen({ host: '127.0.0.1', onEvents: () => undefined }) as NativeClient;
  try {
    return use(client);
  } finally {
    client.close({});
  }
}

async function main(): Promise<void> {
  for (const [name, call] of cases) {
    let error: string;
    try {
      await call();
      error = 'none';
    } catch (thrown) {
      error = thrown instanceof Error ? `${thrown.name}: ${thrown.message}` : String(thrown);
    }
    process.stdout.write(`${JSON.stringify({ name, error })}\n`);
  }
}

main().then(() => process.exit(0), (error: unknown) => {
  process.stderr.write(`${String(error)}\n`);
  process.exit(1);
});
