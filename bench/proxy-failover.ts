/**
 * A pool's failover as a NAS sees it: `eaphost serve --proxy-realm 'REALM=radsec://A,radsec://B'`
 * (or `udp://`), a steady stream of PAP requests, and home A stopped (SIGSTOP) in the middle.
 *
 *   node dist/bench/proxy-failover.js [--transport radsec|udp] [--rate 50] [--before-ms 3000] [--after-ms 12000] [--runs 3]
 *
 * Two homes, `eaphost serve --pap` (over RadSec TLS with certificates, or UDP), each a child
 * process; the proxy in failover mode (A preferred) with --log, whose verdict lines name the home
 * that answered each request. The NAS is this process's RadiusClient, one request every 1000/rate
 * ms, each with a User-Name of its own (one try, 10 s to answer: the proxy answers within its
 * 4.5 s whatever the homes do). Each run starts A and B afresh, sends for --before-ms, stops A,
 * sends for --after-ms, then continues A. It prints, from the stop:
 * - `switch`: when the first request was sent from which every later one was accepted through B;
 * - `recovered`: when the requests sent from the stop on that were held up waiting on A (each
 *   answered more than 10x the median answer before the stop, and 250 ms at least, after it was
 *   sent; those in a row from the stop, a later request slowed by the machine is not one) had all
 *   been answered;
 * - `failover`, the later of the two: from a home stopping to every new request answered through
 *   the next (the figure);
 * - the slowest answer of a request sent after the stop, the Rejects (each with its Reply-Message)
 *   and the requests left unanswered (none expected);
 * and the load average.
 */
import { createPrivateKey } from 'node:crypto';
import { loadavg } from 'node:os';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { RadiusClient } from '../lib/radius';
import { ServeProcess, startEaphostServe } from '../test/support/eaphost-serve';
import { CLIENT_KEY_PASSWORD, InteropPki, makeInteropPki, SERVER_NAME } from '../test/support/interop-pki';
import { makeTempDir } from '../test/support/programs';
import { median } from './support/child-runs';

const NAS_SECRET = 'failover nas secret';
const HOME_SECRET = 'failover-home-secret';
const PASSWORD = 'failover pw';
const REALM = 'failover.test';

interface Sent {
  n: number;
  sentMs: number;
  answeredMs?: number;
  code?: number;
  message?: string;
}

interface RunFigures {
  switchMs: number;
  recoveredMs: number;
  held: number;
  slowestMs: number;
  rejects: number;
  unanswered: number;
  throughA: number;
  throughB: number;
  load: number;
}

async function run(transport: 'radsec' | 'udp', rate: number, beforeMs: number, afterMs: number, files: { users: string; secrets: string;
  plainKey: string; pki: InteropPki }): Promise<RunFigures> {
  const { pki } = files;
  const homeFlags = transport === 'radsec'
    ? ['--radsec', '--radsec-cert', pki.files.serverCert, '--radsec-key', pki.files.serverKey, '--radsec-ca', pki.files.ca]
    : ['--secret', HOME_SECRET];
  const started: ServeProcess[] = [];
  try {
    const a = await startEaphostServe(0, ['--users', files.users, '--methods', 'md5', '--pap', ...homeFlags]);
    started.push(a);
    const b = await startEaphostServe(0, ['--users', files.users, '--methods', 'md5', '--pap', ...homeFlags]);
    started.push(b);
    const url = (home: ServeProcess): string => `${transport === 'radsec' ? 'radsec' : 'udp'}://127.0.0.1:${home.port}`;
    const proxyFlags = transport === 'radsec'
      ? ['--proxy-radsec-cert', pki.files.clientCert, '--proxy-radsec-key', files.plainKey, '--proxy-radsec-ca', pki.files.ca,
        '--proxy-radsec-server-name', SERVER_NAME]
      : ['--proxy-secret-file', files.secrets];
    const proxy = await startEaphostServe(0, ['--secret', NAS_SECRET, '--users', files.users, '--log', '--proxy-realm', `${REALM}=${url(a)},${url(b)}`, ...proxyFlags]);
    started.push(proxy);
    const client = new RadiusClient({ timeoutMs: 10_000, tries: 1 });
    const endpoint = { host: '127.0.0.1', port: proxy.port, secret: NAS_SECRET };
    const sent: Sent[] = [];
    const pending: Promise<void>[] = [];
    const origin = performance.now();
    const now = (): number => performance.now() - origin;
    let stoppedAt = Infinity;
    let load = 0;
    const intervalMs = 1000 / rate;
    for (let n = 0; ; n++) {
      const dueMs = n * intervalMs;
      if (dueMs >= beforeMs && stoppedAt === Infinity) {
        load = loadavg()[0];
        process.kill(a.pid, 'SIGSTOP');
        stoppedAt = now();
      }
      if (dueMs >= beforeMs + afterMs) break;
      const wait = dueMs - now();
      if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
      const request: Sent = { n, sentMs: now() };
      sent.push(request);
      pending.push(client.accessRequest(endpoint, [{ type: 1, value: Buffer.from(`n${n}@${REALM}`) }],
        { userPassword: Buffer.from(PASSWORD), requireMessageAuthenticator: true }).then(({ reply }) => {
        request.answeredMs = now();
        request.code = reply.code;
        request.message = reply.attributes.find((attribute) => attribute.type === 18)?.value.toString('utf8');
      }, () => undefined));
    }
    await Promise.all(pending);
    process.kill(a.pid, 'SIGCONT');
    await client.close();
    // The proxy's verdict lines name the home that answered each identity.
    await proxy.logged(/outcome=/, sent.filter((request) => request.code !== undefined).length);
    const homeOf = new Map<string, string>();
    for (const [, identity, home] of proxy.output().matchAll(/identity="([^"]+)" .*home=(\S+)$/gm)) homeOf.set(identity, home);
    const through = (request: Sent): string | undefined => homeOf.get(`n${request.n}@${REALM}`);
    const after = sent.filter((request) => request.sentMs >= stoppedAt);
    // The first request after which every one was accepted through B.
    let switchAt = after.length;
    while (switchAt > 0 && after[switchAt - 1].code === 2 && through(after[switchAt - 1]) === url(b)) switchAt--;
    const latency = (request: Sent): number => request.answeredMs! - request.sentMs;
    const usual = median(sent.filter((request) => request.sentMs < stoppedAt && request.answeredMs !== undefined).map(latency));
    const heldUp = (request: Sent): boolean => request.answeredMs !== undefined && latency(request) > Math.max(250, 10 * usual);
    const firstPrompt = after.findIndex((request) => !heldUp(request));
    const held = after.slice(0, firstPrompt < 0 ? after.length : firstPrompt);
    const rejects = after.filter((request) => request.code === 3);
    for (const reason of new Set(rejects.map((request) => request.message ?? '(no Reply-Message)'))) console.log(`  reject: ${reason}`);
    return {
      switchMs: switchAt < after.length ? after[switchAt].sentMs - stoppedAt : Infinity,
      recoveredMs: Math.max(0, ...held.map((request) => request.answeredMs! - stoppedAt)),
      held: held.length,
      slowestMs: Math.max(0, ...after.filter((request) => request.answeredMs !== undefined).map(latency)),
      rejects: rejects.length,
      unanswered: after.filter((request) => request.code === undefined).length,
      throughA: after.filter((request) => through(request) === url(a)).length,
      throughB: after.filter((request) => through(request) === url(b)).length,
      load,
    };
  } finally {
    for (const serve of started.reverse()) await serve.stop();
  }
}

const failover = (figure: RunFigures): number => Math.max(figure.switchMs, figure.recoveredMs);

async function main(): Promise<void> {
  const { values } = parseArgs({ options: {
    transport: { type: 'string', default: 'radsec' }, rate: { type: 'string', default: '50' }, 'before-ms': { type: 'string', default: '3000' },
    'after-ms': { type: 'string', default: '12000' }, runs: { type: 'string', default: '3' },
  } });
  const transport = values.transport === 'udp' ? 'udp' : 'radsec';
  const rate = Number(values.rate);
  const beforeMs = Number(values['before-ms']);
  const afterMs = Number(values['after-ms']);
  const pki = await makeInteropPki();
  const dir = makeTempDir('bench-proxy-failover');
  try {
    const count = Math.ceil(((beforeMs + afterMs) * rate) / 1000) + 1;
    const users = join(dir.path, 'users.json');
    writeFileSync(users, JSON.stringify(Object.fromEntries(Array.from({ length: count }, (_, n) => [`n${n}@${REALM}`, { password: PASSWORD }]))));
    const secrets = join(dir.path, 'proxy-secrets');
    writeFileSync(secrets, `${HOME_SECRET}\n`, { mode: 0o600 });
    // serve's --proxy-radsec-key takes an unencrypted PEM.
    const plainKey = join(dir.path, 'client.plain.key');
    writeFileSync(plainKey, createPrivateKey({ key: readFileSync(pki.files.clientKey), passphrase: CLIENT_KEY_PASSWORD })
      .export({ type: 'pkcs8', format: 'pem' }), { mode: 0o600 });
    const figures: RunFigures[] = [];
    for (let i = 0; i < Number(values.runs); i++) {
      const figure = await run(transport, rate, beforeMs, afterMs, { users, secrets, plainKey, pki });
      figures.push(figure);
      console.log(`run ${i + 1} (${transport}, ${rate}/s): failover ${(failover(figure) / 1000).toFixed(2)} s (switch ` +
        `${(figure.switchMs / 1000).toFixed(2)} s after the stop, ${figure.held} held-up requests answered by ${(figure.recoveredMs / 1000).toFixed(2)} s), slowest answer ` +
        `${(figure.slowestMs / 1000).toFixed(2)} s; after the stop ${figure.throughA} answered through A, ${figure.throughB} through B, ` +
        `${figure.rejects} rejected, ${figure.unanswered} unanswered; load average ${figure.load.toFixed(1)}`);
    }
    console.log(`failover ${figures.map((figure) => (failover(figure) / 1000).toFixed(2)).join(', ')} s (median ` +
      `${(median(figures.map(failover)) / 1000).toFixed(2)} s), ` +
      `slowest answer ${(Math.max(...figures.map((figure) => figure.slowestMs)) / 1000).toFixed(2)} s, ` +
      `rejects ${figures.map((figure) => figure.rejects).join('/')}, unanswered ${figures.map((figure) => figure.unanswered).join('/')}`);
  } finally {
    dir.remove();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
