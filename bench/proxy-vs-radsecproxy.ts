/**
 * `eaphost serve` as the RadSec sidecar beside radsecproxy: the NAS speaks RADIUS over UDP, the hop
 * to the home server is RadSec over TLS (certificates both ways), PAP.
 *
 *   node dist/bench/proxy-vs-radsecproxy.js [--count 20000] [--concurrency 64] [--rounds 3]
 *
 * One home, `eaphost serve --radsec --pap` (a child process), behind each proxy in turn: `eaphost
 * serve --proxy-realm '*=radsec://…'` and radsecproxy (Debian's, ListenUDP, a `type tls` server),
 * both started once. The NAS is `eaphost load --method pap` (a process of its own), the same
 * requests through each, alternated round by round (which goes first alternates too). For each
 * run: its rate, the requests lost (unanswered or failed, of --count), the latency's p50 and p99, and
 * the proxy's CPU time per request (its /proc/PID/stat utime + stime over the run). The medians and their ratios (serve over
 * radsecproxy) are printed, and the load average.
 */
import { createPrivateKey } from 'node:crypto';
import { loadavg } from 'node:os';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { startEaphostServe } from '../test/support/eaphost-serve';
import { CLIENT_KEY_PASSWORD, makeInteropPki, SERVER_NAME } from '../test/support/interop-pki';
import { makeTempDir } from '../test/support/programs';
import { startRadsecProxy } from '../test/support/radsecproxy';
import { eaphost, median } from './support/child-runs';
import { cpuMs } from './support/proc-cpu';

const NAS_SECRET = 'sidecar nas secret';
const USERS = Array.from({ length: 16 }, (_, i) => ({ identity: `p${i}@sidecar.test`, password: `pw-${i}` }));

type Proxy = 'serve' | 'radsecproxy';

async function main(): Promise<void> {
  const { values } = parseArgs({ options: {
    count: { type: 'string', default: '20000' }, concurrency: { type: 'string', default: '64' }, rounds: { type: 'string', default: '3' },
  } });
  const pki = await makeInteropPki();
  const dir = makeTempDir('bench-proxy-vs-radsecproxy');
  const users = join(dir.path, 'users.json');
  writeFileSync(users, JSON.stringify(Object.fromEntries(USERS.map((user) => [user.identity, { password: user.password }]))));
  // serve's --proxy-radsec-key takes an unencrypted PEM.
  const plainKey = join(dir.path, 'client.plain.key');
  writeFileSync(plainKey, createPrivateKey({ key: readFileSync(pki.files.clientKey), passphrase: CLIENT_KEY_PASSWORD })
    .export({ type: 'pkcs8', format: 'pem' }), { mode: 0o600 });
  const home = await startEaphostServe(0, ['--users', users, '--methods', 'md5', '--pap', '--radsec', '--radsec-cert', pki.files.serverCert,
    '--radsec-key', pki.files.serverKey, '--radsec-ca', pki.files.ca]);
  const serve = await startEaphostServe(0, ['--secret', NAS_SECRET, '--proxy-realm', `*=radsec://127.0.0.1:${home.port}`,
    '--proxy-radsec-cert', pki.files.clientCert, '--proxy-radsec-key', plainKey, '--proxy-radsec-ca', pki.files.ca,
    '--proxy-radsec-server-name', SERVER_NAME]);
  const radsecproxy = await startRadsecProxy({ listen: 'udp', clientSecret: NAS_SECRET, server: { type: 'tls', port: home.port, secret: 'radsec' },
    tls: { ca: pki.files.ca, cert: pki.files.clientCert, key: pki.files.clientKey, keyPassword: CLIENT_KEY_PASSWORD } });
  const proxies: Record<Proxy, { port: number; pid: number }> = { serve, radsecproxy };
  const load = [] as number[];
  try {
    const rows: Record<Proxy, { rate: number; lost: number; cpuUs: number }[]> = { serve: [], radsecproxy: [] };
    for (let round = 0; round < Number(values.rounds); round++) {
      for (const name of (round % 2 === 0 ? ['serve', 'radsecproxy'] : ['radsecproxy', 'serve']) as Proxy[]) {
        const { port, pid } = proxies[name];
        load.push(loadavg()[0]);
        const before = cpuMs(pid);
        const run = await eaphost(['load', '--radius', `127.0.0.1:${port}`, '--secret', NAS_SECRET, '--method', 'pap', '--users', users,
          '--count', values.count!, '--concurrency', values.concurrency!, '--json']);
        const cpu = cpuMs(pid) - before;
        const summary = JSON.parse(run.output.trim().split('\n').pop() ?? '{}') as { rate: number; successes: number; completed: number;
          latencyMs: { p50: number; p99: number } | null };
        const lost = Number(values.count) - summary.successes;
        const cpuUs = (cpu * 1000) / Math.max(1, summary.completed);
        rows[name].push({ rate: summary.rate, lost, cpuUs });
        console.log(`round ${round + 1} ${name.padEnd(11)} ${Math.round(summary.rate)}/s, ${lost} lost, latency p50 ${summary.latencyMs?.p50 ?? '?'} ms ` +
          `p99 ${summary.latencyMs?.p99 ?? '?'} ms, proxy ${cpuUs.toFixed(1)} µs CPU a request`);
      }
    }
    const pick = (name: Proxy, key: 'rate' | 'cpuUs'): number => median(rows[name].map((row) => row[key]));
    console.log(`medians: serve ${Math.round(pick('serve', 'rate'))}/s, radsecproxy ${Math.round(pick('radsecproxy', 'rate'))}/s ` +
      `(${(pick('serve', 'rate') / pick('radsecproxy', 'rate')).toFixed(2)}x); proxy CPU a request serve ${pick('serve', 'cpuUs').toFixed(1)} µs, ` +
      `radsecproxy ${pick('radsecproxy', 'cpuUs').toFixed(1)} µs (${(pick('serve', 'cpuUs') / pick('radsecproxy', 'cpuUs')).toFixed(2)}x); lost serve ` +
      `${rows.serve.map((row) => row.lost).join('/')}, radsecproxy ${rows.radsecproxy.map((row) => row.lost).join('/')}; ` +
      `load average ${Math.min(...load).toFixed(1)} to ${Math.max(...load).toFixed(1)}`);
  } finally {
    await radsecproxy.stop();
    await serve.stop();
    await home.stop();
    dir.remove();
  }
}

main().catch((error) => {
  console.error(error);
  process.exitCode = 1;
});
