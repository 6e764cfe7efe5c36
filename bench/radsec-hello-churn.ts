/**
 * A NAS that never authenticated, 100 ms away, beside a churn of RadSec connections that each send
 * one ClientHello and then nothing, against `eaphost serve --radsec` in a process of its own.
 *
 *   node dist/bench/radsec-hello-churn.js [--rate 1000] [--attempts 24] [--baseline-attempts 4]
 *
 * serve (the default 256 slots, the interop PKI's certificates) in a child; the churn in another
 * (test/support/radsec-hello-churn.ts): `--rate` connections a second, each from the next of 1,000
 * loopback /24s in 100 /16s, each sending a ClientHello captured from Node's TLS client and never
 * answering the server's flight. The NAS (this package's test peer with a client certificate)
 * connects through a proxy that delays each direction by 50 ms, each attempt from a /24 of its own
 * that never authenticated, and sends one Status-Server; it gives up at radsecproxy's 5 s.
 * First `--baseline-attempts` of them without the churn (the same NAS on the same machine, the
 * baseline), then `--attempts` with it. Printed: handshakes completed, their times, serve's CPU
 * seconds per wall second over each phase (/proc/PID/stat utime + stime, 10 ms ticks), how many
 * of the churn's connections had a flight back, and the load average.
 */
import { loadavg } from 'node:os';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { startEaphostServe } from '../test/support/eaphost-serve';
import { makeInteropPki } from '../test/support/interop-pki';
import { makeTempDir } from '../test/support/programs';
import { bystanderAttempt, startHelloChurn } from '../test/support/radsec-hello-churn';
import { cpuMs } from './support/proc-cpu';

const median = (values: number[]): number => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? NaN;

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { rate: { type: 'string', default: '1000' }, attempts: { type: 'string', default: '24' },
    'baseline-attempts': { type: 'string', default: '4' } } });
  const rate = Number(values.rate);
  const attempts = Number(values.attempts);
  const baselineAttempts = Number(values['baseline-attempts']);
  if (![rate, attempts, baselineAttempts].every((n) => Number.isInteger(n) && n >= 0) || rate < 1 || attempts < 1 || attempts + baselineAttempts > 250) {
    throw new RangeError('--rate, --attempts and --baseline-attempts want whole numbers (at most 250 attempts in all)');
  }
  const pki = await makeInteropPki();
  const dir = makeTempDir('bench-radsec-hello-churn');
  const users = join(dir.path, 'users.json');
  writeFileSync(users, JSON.stringify({ u: { password: 'p' } }));
  const serve = await startEaphostServe(0, ['--users', users, '--methods', 'md5', '--radsec', '--radsec-cert', pki.files.serverCert,
    '--radsec-key', pki.files.serverKey, '--radsec-ca', pki.files.ca]);
  let next = 0;
  /** `count` attempts, each from the next /24 of 127.0.0.0/16 (the churn uses 127.1-100). */
  const phase = async (count: number): Promise<{ times: number[]; failures: string[]; cpuPerSecond: number; seconds: number }> => {
    const times: number[] = [];
    const failures: string[] = [];
    const cpuBefore = cpuMs(serve.pid);
    const started = performance.now();
    for (let i = 0; i < count; i++) {
      next++;
      const outcome = await bystanderAttempt(pki, serve.port, `127.0.${next}.1`, next);
      if (outcome.ok) times.push(outcome.handshakeMs);
      else failures.push(outcome.reason);
    }
    const seconds = (performance.now() - started) / 1000;
    return { times, failures, cpuPerSecond: (cpuMs(serve.pid) - cpuBefore) / 1000 / seconds, seconds };
  };
  try {
    const load = loadavg()[0];
    const baseline = await phase(baselineAttempts);
    const churn = await startHelloChurn(serve.port, rate);
    let flooded;
    let counts;
    try {
      // The churn fills every slot, and its first connections stall.
      await new Promise((done) => setTimeout(done, 1500));
      flooded = await phase(attempts);
    } finally {
      counts = churn.stop();
    }
    const row = (name: string, run: typeof baseline, of: number): Record<string, unknown> => ({
      phase: name, completed: `${run.times.length}/${of}`, medianMs: Math.round(median(run.times)),
      slowestMs: Math.round(Math.max(...run.times, 0)), serveCpuPerWallSecond: Number(run.cpuPerSecond.toFixed(3)),
      seconds: Number(run.seconds.toFixed(1)),
    });
    process.stdout.write(`${rate} hello-only connections/s from 1,000 /24s; a NAS 100 ms away, never authenticated; ` +
      `load average ${load.toFixed(1)} at the start, ${loadavg()[0].toFixed(1)} at the end\n`);
    console.table([row('no churn', baseline, baselineAttempts), row('churn', flooded, attempts)]);
    process.stdout.write(`handshakes under the churn (ms): ${flooded.times.map((ms) => Math.round(ms)).join(', ')}\n`);
    if (flooded.failures.length > 0) process.stdout.write(`failed: ${flooded.failures.join('; ')}\n`);
    process.stdout.write(`the churn opened ${counts.opened} connections (${Math.round(counts.opened / (flooded.seconds + 1.5))}/s), ` +
      `${counts.answered} had a server flight back\n`);
  } finally {
    await serve.stop();
    pki.remove();
    dir.remove();
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.stack : String(error)}\n`);
  process.exit(1);
});
