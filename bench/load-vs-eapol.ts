/**
 * `eaphost load` against an 8-process eapol_test fleet (the way load is tested without it), in
 * one run against the same FreeRADIUS on loopback: EAP-MSCHAPv2 and PEAP-MSCHAPv2 (TLS 1.2,
 * certificates made for the run), each side for the same number of seconds, figures side by side.
 *
 *   node dist/bench/load-vs-eapol.js [--seconds 10] [--concurrency 32] [--fleet 8] [--methods mschapv2,peap]
 *
 * The fleet starts the next eapol_test as soon as one of its processes ends, as shell loops
 * do; a run's latency is that process's wall time (start-up included: that is what it costs).
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { main as eaphost } from '../lib/cli/main';
import { percentile } from '../lib/cli/commands/load/summary';
import { runEapolTest } from '../test/support/eapol-test';
import { startFreeRadius } from '../test/support/freeradius';
import { SERVER_NAME, makeInteropPki } from '../test/support/interop-pki';
import { makeTempDir } from '../test/support/programs';

/** `eaphost load argv…` in this process. */
const runLoad = (argv: string[], out: (line: string) => void, err: (line: string) => void): Promise<number> => eaphost(['load', ...argv], out, err);

type Method = 'mschapv2' | 'peap';
const SECRET = 'bench-load-secret';
const USERS = Array.from({ length: 16 }, (_, i) => ({ identity: `load${i}`, password: `pw-${i}` }));

interface Figures {
  side: string;
  method: string;
  completed: number;
  failed: number;
  authsPerSecond: number;
  p50Ms: number;
  p95Ms: number;
  p99Ms: number;
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: { seconds: { type: 'string' }, concurrency: { type: 'string' }, fleet: { type: 'string' },
      methods: { type: 'string' } },
  });
  const seconds = Number(values.seconds ?? 10);
  const concurrency = Number(values.concurrency ?? 32);
  const fleet = Number(values.fleet ?? 8);
  const methods = (values.methods ?? 'mschapv2,peap').split(',') as Method[];
  const pki = await makeInteropPki();
  const dir = makeTempDir('bench-load');
  const usersFile = join(dir.path, 'users.json');
  writeFileSync(usersFile, JSON.stringify(Object.fromEntries(USERS.map((user) => [user.identity, { password: user.password }]))));
  const server = await startFreeRadius({
    secret: SECRET, users: USERS, tlsMaxVersion: '1.2',
    certificates: { ca: pki.files.ca, serverCert: pki.files.serverCert, serverKey: pki.files.serverKey },
  });
  const rows: Figures[] = [];
  try {
    for (const method of methods) {
      const lines: string[] = [];
      const code = await runLoad(['--radius', `${server.host}:${server.port}`, '--secret', SECRET, '--method', method,
        '--users', usersFile, '--concurrency', String(concurrency), '--duration', String(seconds), '--json',
        ...(method === 'peap' ? ['--ca', pki.files.ca, '--server-name', SERVER_NAME, '--tls-max', '1.2'] : [])],
      (line) => lines.push(line), (line) => lines.push(line));
      const summary = JSON.parse(lines[lines.length - 1]);
      if (code !== 0) console.error(`eaphost load ${method} exited ${code}: ${summary.errorSamples?.join('; ')}`);
      rows.push({ side: `eaphost load (concurrency ${concurrency})`, method, completed: summary.successes,
        failed: summary.failures + summary.timeouts + summary.errors, authsPerSecond: Number(summary.rate.toFixed(1)),
        p50Ms: summary.latencyMs?.p50 ?? 0, p95Ms: summary.latencyMs?.p95 ?? 0, p99Ms: summary.latencyMs?.p99 ?? 0 });

      const latencies: number[] = [];
      let ok = 0;
      let failed = 0;
      const deadline = Date.now() + seconds * 1000;
      const started = Date.now();
      await Promise.all(Array.from({ length: fleet }, async (_, index) => {
        for (let n = index; Date.now() < deadline; n += fleet) {
          const user = USERS[n % USERS.length];
          const begun = performance.now();
          const run = await runEapolTest({ host: server.host, port: server.port, secret: SECRET, ...user, timeoutSeconds: 10,
            ...(method === 'peap'
              ? { method: 'PEAP' as const, phase2: 'auth=MSCHAPV2', caCert: pki.files.ca, serverName: SERVER_NAME }
              : { method: 'MSCHAPV2' as const }) });
          if (run.success) {
            ok++;
            latencies.push(performance.now() - begun);
          } else {
            failed++;
          }
        }
      }));
      latencies.sort((a, b) => a - b);
      const round = (value: number): number => Math.round(value * 10) / 10;
      rows.push({ side: `eapol_test fleet (${fleet} processes)`, method, completed: ok, failed,
        authsPerSecond: round(ok / ((Date.now() - started) / 1000)), p50Ms: round(percentile(latencies, 50)),
        p95Ms: round(percentile(latencies, 95)), p99Ms: round(percentile(latencies, 99)) });
    }
  } finally {
    await server.stop();
    pki.remove();
    dir.remove();
  }
  console.log(`FreeRADIUS on loopback, ${seconds} s per side, ${USERS.length} users`);
  console.table(rows);
  for (const method of methods) {
    const [ours, theirs] = rows.filter((row) => row.method === method);
    console.log(`${method}: eaphost load ${(ours.authsPerSecond / theirs.authsPerSecond).toFixed(1)}x the eapol_test fleet`);
  }
}

main().catch((error) => {
  console.error(error);
  process.exitCode = 1;
});
