/**
 * RADIUS/DTLS beside RadSec over TLS, both against one `eaphost serve --radsec` (a child process).
 *
 *   node dist/bench/radsec-dtls.js [--count 20000] [--concurrency 64] [--rounds 3] [--flood-rate 10000]
 *     [--flood-seconds 6] [--nas-attempts 5]
 *
 * Throughput: `eaphost load --method pap --radsec` over TLS and over DTLS (each in a process of
 * its own), the same requests, alternated round by round (which goes first alternates too); for
 * each run, its rate, the requests lost (unanswered or failed, of --count), and serve's CPU time
 * per request (its /proc/PID/stat utime + stime over the run). The medians of the rounds and
 * their ratios (DTLS over TLS) are printed.
 *
 * Flood: a child sends --flood-rate real ClientHellos a second (one captured from our DTLS
 * client) from 1,000 loopback addresses (127.1-100.0-9.1, none of them the NAS's), never returning
 * a cookie, and counts the bytes it sent and the bytes serve sent back to those sources. Meanwhile
 * serve's resident set (VmRSS) is sampled, and a NAS 100 ms away (a userspace relay delaying each
 * datagram 50 ms each way; netem is not in this machine's kernel) makes --nas-attempts
 * `eaphost ping --radsec --radsec-transport dtls` runs, each a new DTLS handshake and one
 * Status-Server: each one's result and time are printed.
 */
import { spawn } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { startEaphostServe } from '../test/support/eaphost-serve';
import { makeInteropPki } from '../test/support/interop-pki';
import { makeTempDir } from '../test/support/programs';
import { eaphost, median } from './support/child-runs';
import { cpuMs } from './support/proc-cpu';
import { dtlsClientHello } from '../test/support/radsec-peers';
import { delayingUdpRelay, radsecFlags } from './support/radsec-nas';

const USERS = Array.from({ length: 16 }, (_, i) => ({ identity: `dtls${i}`, password: `pw-${i}` }));

function rssKb(pid: number): number {
  return Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? NaN);
}

/** The flood's child: --flood-rate ClientHellos a second from 1,000 loopback sources for the
 *  given seconds; prints the bytes sent and received as JSON. */
const FLOOD = `
const dgram = require('node:dgram');
const [port, rate, seconds, hex] = process.argv.slice(1);
const hello = Buffer.from(hex, 'hex');
const sockets = [];
let sent = 0, sentBytes = 0, received = 0, receivedBytes = 0, bound = 0;
for (let i = 0; i < 1000; i++) {
  const socket = dgram.createSocket('udp4');
  socket.on('message', (reply) => { received++; receivedBytes += reply.length; });
  socket.on('error', () => {});
  socket.bind(0, '127.' + (1 + (i % 100)) + '.' + Math.floor(i / 100) + '.1', () => { if (++bound === 1000) start(); });
  sockets.push(socket);
}
function start() {
  const started = Date.now();
  const timer = setInterval(() => {
    const due = Math.min(Math.floor((Date.now() - started) * Number(rate) / 1000), Number(rate) * Number(seconds));
    for (; sent < due; sent++) { sockets[sent % 1000].send(hello, Number(port), '127.0.0.1'); sentBytes += hello.length; }
    if (Date.now() - started >= Number(seconds) * 1000) {
      clearInterval(timer);
      const elapsed = (Date.now() - started) / 1000;
      // Replies still on their way are counted for half a second more.
      setTimeout(() => {
        process.stdout.write(JSON.stringify({ sent, sentBytes, received, receivedBytes, seconds: elapsed }) + '\\n');
        for (const socket of sockets) socket.close();
      }, 500);
    }
  }, 5);
}
`;

async function main(): Promise<void> {
  const { values } = parseArgs({ options: {
    count: { type: 'string', default: '20000' }, concurrency: { type: 'string', default: '64' }, rounds: { type: 'string', default: '3' },
    'flood-rate': { type: 'string', default: '10000' }, 'flood-seconds': { type: 'string', default: '6' },
    'nas-attempts': { type: 'string', default: '5' },
  } });
  const pki = await makeInteropPki();
  const dir = makeTempDir('bench-radsec-dtls');
  const users = join(dir.path, 'users.json');
  writeFileSync(users, JSON.stringify(Object.fromEntries(USERS.map((user) => [user.identity, { password: user.password }]))));
  const serve = await startEaphostServe(0, ['--users', users, '--methods', 'md5', '--pap', '--radsec', '--radsec-cert', pki.files.serverCert,
    '--radsec-key', pki.files.serverKey, '--radsec-ca', pki.files.ca]);
  try {
    const rows: Record<'tls' | 'dtls', { rate: number; lost: number; cpuUs: number }[]> = { tls: [], dtls: [] };
    for (let round = 0; round < Number(values.rounds); round++) {
      for (const transport of (round % 2 === 0 ? ['tls', 'dtls'] : ['dtls', 'tls']) as ('tls' | 'dtls')[]) {
        const before = cpuMs(serve.pid);
        const run = await eaphost(['load', '--radius', `127.0.0.1:${serve.port}`, ...radsecFlags(pki, transport), '--method', 'pap',
          '--users', users, '--count', values.count!, '--concurrency', values.concurrency!, '--json']);
        const cpu = cpuMs(serve.pid) - before;
        const summary = JSON.parse(run.output.trim().split('\n').pop() ?? '{}');
        const lost = Number(values.count) - summary.successes;
        rows[transport].push({ rate: summary.rate, lost, cpuUs: (cpu * 1000) / Math.max(1, summary.completed) });
        console.log(`round ${round + 1} ${transport.padEnd(4)} ${Math.round(summary.rate)}/s, ${lost} lost, serve ` +
          `${((cpu * 1000) / Math.max(1, summary.completed)).toFixed(1)} µs CPU a request`);
      }
    }
    const rate = { tls: median(rows.tls.map((row) => row.rate)), dtls: median(rows.dtls.map((row) => row.rate)) };
    const cpu = { tls: median(rows.tls.map((row) => row.cpuUs)), dtls: median(rows.dtls.map((row) => row.cpuUs)) };
    console.log(`medians: TLS ${Math.round(rate.tls)}/s, DTLS ${Math.round(rate.dtls)}/s (${(rate.dtls / rate.tls).toFixed(2)}x); serve CPU a ` +
      `request TLS ${cpu.tls.toFixed(1)} µs, DTLS ${cpu.dtls.toFixed(1)} µs (${(cpu.dtls / cpu.tls).toFixed(2)}x); lost TLS ` +
      `${rows.tls.map((row) => row.lost).join('/')}, DTLS ${rows.dtls.map((row) => row.lost).join('/')}`);

    // The flood, with serve's memory sampled and the NAS 100 ms away.
    const hello = await dtlsClientHello(pki);
    const rssBefore = rssKb(serve.pid);
    const samples: number[] = [];
    const sampler = setInterval(() => samples.push(rssKb(serve.pid)), 250);
    const flood = spawn(process.execPath, ['-e', FLOOD, String(serve.port), values['flood-rate']!, values['flood-seconds']!,
      hello.toString('hex')], { stdio: ['ignore', 'pipe', 'inherit'] });
    let floodOutput = '';
    flood.stdout.on('data', (chunk) => { floodOutput += chunk; });
    const floodDone = new Promise<void>((done) => flood.on('close', () => done()));
    const relay = await delayingUdpRelay(serve.port, 50);
    const nas: string[] = [];
    try {
      // The flood's sockets bind first: give it a second before the NAS starts.
      await new Promise((r) => setTimeout(r, 1000));
      for (let attempt = 0; attempt < Number(values['nas-attempts']); attempt++) {
        const started = Date.now();
        const ping = await eaphost(['ping', '--radius', `127.0.0.1:${relay.port}`, ...radsecFlags(pki, 'dtls'), '--timeout', '10000', '--json']);
        const report = JSON.parse(ping.output.trim().split('\n').pop() ?? '{}');
        nas.push(`${report.result ?? 'no report'} in ${Date.now() - started} ms`);
      }
      await floodDone;
    } finally {
      relay.close();
      clearInterval(sampler);
    }
    const rssAfter = rssKb(serve.pid);
    const counted = JSON.parse(floodOutput.trim() || '{}');
    console.log(`flood: ${counted.sent} ClientHellos in ${counted.seconds} s (${Math.round(counted.sent / counted.seconds)}/s), ` +
      `${counted.sentBytes} bytes in, ${counted.received} replies of ${counted.receivedBytes} bytes out ` +
      `(${(counted.receivedBytes / counted.sentBytes).toFixed(3)} out per byte in)`);
    console.log(`serve's VmRSS: ${rssBefore} kB before, ${Math.min(...samples)}-${Math.max(...samples)} kB during, ${rssAfter} kB after`);
    console.log(`NAS 100 ms away over DTLS during the flood: ${nas.join('; ')}`);
  } finally {
    await serve.stop();
    dir.remove();
    pki.remove();
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
