/**
 * A NAS that never authenticated, 100 ms away, beside a churn of RadSec connections that each send
 * one ClientHello and then nothing.
 *
 *   node dist/bench/radsec-hello-churn.js [--rate 1000] [--attempts 24] [--configured]
 *
 * A RadSec listener (RadiusServer, the default 256 slots) in this process; a child opens `--rate`
 * connections a second, each from the next of 1,000 loopback /24s in 100 /16s, each sending a
 * ClientHello captured from Node's TLS client and never answering the server's flight. The NAS
 * (this package's test peer with a client certificate) connects through a proxy that delays each
 * direction by 50 ms, each attempt from a /24 of its own that never authenticated, and sends one
 * Status-Server. --configured: the server is given the NAS's network as a client network
 * (`clients`, 127.0.0.0/16), whose /24s then rank as known from the start; without it the NAS is
 * known nowhere. Printed: handshakes completed of `--attempts`, their times, and this process's
 * CPU (the listener, the proxy and the NAS) over the run. No ratio: the bystander's count is the figure.
 */
import { spawn } from 'node:child_process';
import { Server } from 'node:net';
import { parseArgs } from 'node:util';
import { createAuthenticator } from '../lib';
import { RadiusServer } from '../lib/radius';
import { makeInteropPki } from '../test/support/interop-pki';
import { delayingProxy, nasConnection, statusServer } from '../test/support/radsec-peers';

const HELLO_CHURN = `
const net = require('node:net');
const tls = require('node:tls');
const [port, rate] = process.argv.slice(1).map(Number);
const addresses = [];
for (let i = 0; i < 1000; i++) addresses.push('127.' + (1 + (i % 100)) + '.' + Math.floor(i / 100) + '.1');
const capture = net.createServer((socket) => socket.once('data', (hello) => {
  socket.destroy();
  capture.close();
  let n = 0;
  const started = Date.now();
  setInterval(() => {
    const due = Math.floor((Date.now() - started) * rate / 1000);
    for (; n < due; n++) {
      const socket = net.connect({ port, host: '127.0.0.1', localAddress: addresses[n % addresses.length] }, () => socket.write(hello));
      socket.on('error', () => {});
      socket.on('data', () => {});
    }
  }, 5);
  process.stdout.write('churning\\n');
}));
capture.listen(0, '127.0.0.1', () => {
  tls.connect({ port: capture.address().port, host: '127.0.0.1', rejectUnauthorized: false }).on('error', () => {});
});
`;

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { rate: { type: 'string', default: '1000' }, attempts: { type: 'string', default: '24' },
    configured: { type: 'boolean', default: false } } });
  const rate = Number(values.rate);
  const attempts = Number(values.attempts);
  if (!Number.isInteger(rate) || rate < 1 || !Number.isInteger(attempts) || attempts < 1 || attempts > 250) {
    throw new RangeError('--rate and --attempts (at most 250) want whole numbers');
  }
  const pki = await makeInteropPki();
  const authenticator = await createAuthenticator({ methods: ['md5'], users: { u: { password: 'p' } } });
  const server = new RadiusServer({ host: '127.0.0.1', port: 0, authenticator, radsec: { cert: pki.serverCert, key: pki.serverKey, ca: pki.ca },
    ...(values.configured ? { clients: [{ network: '127.0.0.0/16', secret: 'radsec' }] } : {}) });
  const { port } = await server.listen();
  const churn = spawn(process.execPath, ['-e', HELLO_CHURN, String(port), String(rate)], { stdio: ['ignore', 'pipe', 'inherit'] });
  const proxies: Server[] = [];
  const outcomes: string[] = [];
  try {
    await new Promise<void>((resolve, reject) => {
      churn.stdout.once('data', () => resolve());
      churn.once('exit', (code) => reject(new Error(`the churn ended (${code}) before it began`)));
    });
    // The churn fills every slot, and its first connections stall.
    await new Promise((done) => setTimeout(done, 1500));
    const cpuBefore = process.cpuUsage();
    const started = performance.now();
    for (let attempt = 1; attempt <= attempts; attempt++) {
      const proxy = await delayingProxy(port, 50, `127.0.${attempt}.1`);
      proxies.push(proxy);
      const begun = performance.now();
      try {
        const nas = await nasConnection(pki, '127.0.0.1', (proxy.address() as { port: number }).port);
        try {
          await Promise.race([statusServer(nas, attempt), new Promise((_, fail) => setTimeout(() => fail(new Error('no answer in 5 s')), 5000))]);
          outcomes.push(`ok ${Math.round(performance.now() - begun)} ms`);
        } finally {
          nas.socket.destroy();
        }
      } catch (error) {
        outcomes.push(`failed (${(error as Error).message})`);
      }
    }
    const cpu = process.cpuUsage(cpuBefore);
    const seconds = (performance.now() - started) / 1000;
    process.stdout.write(`${rate} hello-only connections/s from 1,000 /24s; a NAS 100 ms away, never authenticated` +
      `${values.configured ? ', of a configured client network' : ''}:\n`);
    console.table([{ completed: outcomes.filter((outcome) => outcome.startsWith('ok')).length, attempts, seconds: Number(seconds.toFixed(1)),
      cpuPercentOfOneCore: Math.round(((cpu.user + cpu.system) / 1e6 / seconds) * 100) }]);
    process.stdout.write(`${outcomes.join('\n')}\n`);
  } finally {
    churn.kill('SIGKILL');
    for (const proxy of proxies) await new Promise<void>((resolve) => proxy.close(() => resolve()));
    await server.close();
    await authenticator.close();
    pki.remove();
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.stack : String(error)}\n`);
  process.exit(1);
});
