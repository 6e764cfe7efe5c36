/**
 * The RadSec flood of issue round 8: connections that each send one real ClientHello (caught from
 * Node's TLS client) and never answer the server's flight, from 1,000 loopback /24s in 100 /16s
 * (127.1-100.0-9.1; the whole of 127.0.0.0/8 is this host's loopback, so no address is added),
 * in a child process of its own; and the NAS beside it, 100 ms away, that has never
 * authenticated. Shared by test/radius/radsec-hello-flood.test.ts (300 a second) and
 * bench/radsec-hello-churn.ts (1,000 a second).
 */
import { spawn } from 'node:child_process';
import type { Server } from 'node:net';
import type { InteropPki } from './interop-pki';
import { delayingProxy, nasConnection, statusServer } from './radsec-peers';

/**
 * radsecproxy 1.9.2's tlsconnect() gives the TLS handshake 5 s (sslconnecttimeout(ssl, 5)) and
 * its TCP connect 5 s when it has more than one server to try; past that it closes the
 * connection and tries again later. A handshake that takes longer is, for such a NAS, no
 * handshake: the bystander is held to it.
 */
export const NAS_HANDSHAKE_TIMEOUT_MS = 5000;

/** Opens `rate` connections a second round the 1,000 addresses, each writing the ClientHello as
 *  it connects and reading whatever comes back; every 200 ms prints how many it opened and how
 *  many had bytes back from the server (a flight). */
const HELLO_CHURN = `
const net = require('node:net');
const tls = require('node:tls');
const [port, rate] = process.argv.slice(1).map(Number);
const addresses = [];
for (let i = 0; i < 1000; i++) addresses.push('127.' + (1 + (i % 100)) + '.' + Math.floor(i / 100) + '.1');
let opened = 0;
let answered = 0;
const capture = net.createServer((socket) => socket.once('data', (hello) => {
  socket.destroy();
  capture.close();
  const started = Date.now();
  setInterval(() => {
    const due = Math.floor((Date.now() - started) * rate / 1000);
    for (; opened < due; opened++) {
      const socket = net.connect({ port, host: '127.0.0.1', localAddress: addresses[opened % addresses.length] }, () => socket.write(hello));
      socket.on('error', () => {});
      socket.once('data', () => { answered++; socket.on('data', () => {}); });
    }
  }, 5);
  setInterval(() => process.stdout.write('opened ' + opened + ' answered ' + answered + '\\n'), 200);
}));
capture.listen(0, '127.0.0.1', () => {
  tls.connect({ port: capture.address().port, host: '127.0.0.1', rejectUnauthorized: false }).on('error', () => {});
});
`;

export interface HelloChurn {
  /** Ends the churn: the connections it opened, and how many of them had a server flight back. */
  stop(): { opened: number; answered: number };
}

/** The churn against a RadSec listener on 127.0.0.1:`port`, once its first count is out. */
export async function startHelloChurn(port: number, rate: number): Promise<HelloChurn> {
  const child = spawn(process.execPath, ['-e', HELLO_CHURN, String(port), String(rate)], { stdio: ['ignore', 'pipe', 'inherit'] });
  let last = { opened: 0, answered: 0 };
  child.stdout.setEncoding('utf8');
  let pending = '';
  child.stdout.on('data', (chunk: string) => {
    pending += chunk;
    const lines = pending.split('\n');
    pending = lines.pop() ?? '';
    const count = /^opened (\d+) answered (\d+)$/.exec(lines.at(-1) ?? '');
    if (count) last = { opened: Number(count[1]), answered: Number(count[2]) };
  });
  await new Promise<void>((resolve, reject) => {
    child.stdout.once('data', () => resolve());
    child.once('exit', (code) => reject(new Error(`the churn ended (${code}) before it began`)));
  });
  return {
    stop: () => {
      child.kill('SIGKILL');
      return last;
    },
  };
}

/** One handshake of a NAS 100 ms away (a proxy delaying each direction 50 ms, its connection to
 *  the listener from `localAddress`), and one Status-Server over it: the time from the NAS's
 *  connect to the answer, or why it failed. The NAS gives up at NAS_HANDSHAKE_TIMEOUT_MS from its
 *  connect, as radsecproxy does; the Status-Server has as long again. */
export async function bystanderAttempt(pki: InteropPki, port: number, localAddress: string, sequence: number):
  Promise<{ ok: true; handshakeMs: number; totalMs: number } | { ok: false; reason: string }> {
  const proxy: Server = await delayingProxy(port, 50, localAddress);
  const begun = performance.now();
  let timer: NodeJS.Timeout | undefined;
  const deadline = (ms: number, what: string): Promise<never> => new Promise((_, fail) => {
    timer = setTimeout(() => fail(new Error(what)), ms);
  });
  const connecting = nasConnection(pki, '127.0.0.1', (proxy.address() as { port: number }).port);
  try {
    const nas = await Promise.race([connecting, deadline(NAS_HANDSHAKE_TIMEOUT_MS, `no handshake in ${NAS_HANDSHAKE_TIMEOUT_MS} ms`)]);
    clearTimeout(timer);
    const handshakeMs = performance.now() - begun;
    try {
      await Promise.race([statusServer(nas, sequence), deadline(NAS_HANDSHAKE_TIMEOUT_MS, `no answer in ${NAS_HANDSHAKE_TIMEOUT_MS} ms`)]);
      return { ok: true, handshakeMs, totalMs: performance.now() - begun };
    } finally {
      nas.socket.destroy();
    }
  } catch (error) {
    return { ok: false, reason: (error as Error).message };
  } finally {
    clearTimeout(timer);
    // A handshake given up on ends too (its NAS closes it), and the proxy with it.
    connecting.then((nas) => nas.socket.destroy(), () => undefined);
    proxy.close();
  }
}
