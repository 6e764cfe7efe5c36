/**
 * Three attacks of hostile-input round 9, rerun on loopback against `eaphost serve` (child processes).
 *
 *   node dist/bench/hostile-rerun.js [--scale 1] [--part proxy,dtls,metrics]
 *
 * --scale (0 < s ≤ 1) shortens every duration (the flood's seconds, the wait after it, the hold
 * on the metrics port) for a quick run; the rates and counts stay.
 *
 * proxy: serve forwards realm silent.test to a UDP home that reads and never answers, and
 * home.test to a second serve (--pap). NASes (UDP sockets, 256 Identifiers each, none reused, no
 * retransmission) send 6,000 Access-Requests a second for 10 s to silent.test while a bystander
 * NAS sends 32 PAP requests for a home.test user spread over the same seconds. Printed: the
 * bystander's Accepts, the flood's "home server busy" Rejects and 4.5 s ("did not answer within
 * 4500 ms") Rejects, anything else, and the flood requests still unanswered 60 s after it ended.
 *
 * dtls: serve --radsec; a flood of RADIUS/DTLS handshakes that return the cookie and go no
 * further (test/support/dtls-hello-flood.ts), about 200 a second, each from a loopback address
 * of its own (127.0.1.1 onwards), for 10 s, while a NAS 100 ms away (a relay on 127.0.0.1, an
 * address sorting before every flood source) runs `eaphost ping --radsec --radsec-transport dtls`
 * one after another: the handshakes it completed, of those it started.
 *
 * metrics: serve --radsec --metrics, its descriptor limit set to 4,096 (prlimit, as the attack
 * found it); 4,500 connections to the metrics port, each sending half a request and a header
 * byte every 2 s. While they are held (10 s): the descriptors serve holds (/proc/PID/fd), whether
 * `eaphost ping --radsec` over TLS and GET /healthz still answer (3 tries each), and how many of
 * the slow connections serve closed.
 */
import { spawnSync } from 'node:child_process';
import { createSocket, Socket } from 'node:dgram';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { get } from 'node:http';
import { connect, Socket as TcpSocket } from 'node:net';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { startEaphostServe } from '../test/support/eaphost-serve';
import type { ServeProcess } from '../test/support/eaphost-serve';
import { makeInteropPki } from '../test/support/interop-pki';
import { makeTempDir } from '../test/support/programs';
import { decodeRadiusPacket, signAccessRequest, verifyResponse } from '../test/support/radius-oracle';
import { dtlsClientHello } from '../test/support/radsec-peers';
import { startDtlsHelloFlood } from '../test/support/dtls-hello-flood';
import { eaphost } from './support/child-runs';
import { delayingUdpRelay, radsecFlags } from './support/radsec-nas';

const NAS_SECRET = 'hostile-rerun-nas';
const HOME_SECRET = 'hostile-rerun-home';
const USER = { identity: 'alice@home.test', password: 'alice pa55' };
const REPLY_MESSAGE = 18;
const ACCESS_ACCEPT = 2;

type Row = Record<string, string | number>;
const sleep = (ms: number) => new Promise((done) => setTimeout(done, ms));

/** NAS sockets sending Access-Requests, each Identifier of each socket used once; replies verified and kept. */
class Nases {
  private readonly sockets: Socket[] = [];
  private readonly out = new Map<string, { authenticator: Buffer; done: (reply: ReturnType<typeof decodeRadiusPacket>) => void }>();
  private sent = 0;

  private constructor(private readonly port: number) {}

  static async open(port: number, requests: number): Promise<Nases> {
    const nases = new Nases(port);
    for (let i = 0; i < Math.ceil(requests / 256); i++) {
      const socket = createSocket('udp4');
      socket.on('message', (datagram) => {
        const reply = decodeRadiusPacket(datagram);
        const key = `${i}/${reply.identifier}`;
        const asked = nases.out.get(key);
        if (asked === undefined || !verifyResponse(reply, asked.authenticator, Buffer.from(NAS_SECRET))) return;
        nases.out.delete(key);
        asked.done(reply);
      });
      await new Promise<void>((bound) => socket.bind(0, '127.0.0.1', bound));
      nases.sockets.push(socket);
    }
    return nases;
  }

  /** The next Access-Request out (User-Password `password`); its verified reply. */
  ask(identity: string, password: string, onReply: (reply: ReturnType<typeof decodeRadiusPacket>) => void): void {
    const index = Math.floor(this.sent / 256);
    const identifier = this.sent++ % 256;
    const { datagram, requestAuthenticator } = signAccessRequest(identifier, [{ type: 1, value: Buffer.from(identity) }],
      Buffer.from(NAS_SECRET), 1, Buffer.from(password));
    this.out.set(`${index}/${identifier}`, { authenticator: requestAuthenticator, done: onReply });
    this.sockets[index].send(datagram, this.port, '127.0.0.1');
  }

  close(): void {
    for (const socket of this.sockets) socket.close();
  }
}

async function proxyPart(scale: number): Promise<Row[]> {
  const rate = 6000;
  const seconds = 10 * scale;
  const total = Math.round(rate * seconds);
  const dir = makeTempDir('bench-hostile-proxy');
  const silent = createSocket('udp4');
  silent.on('message', () => undefined);
  await new Promise<void>((bound) => silent.bind(0, '127.0.0.1', bound));
  const users = join(dir.path, 'users.json');
  writeFileSync(users, JSON.stringify({ [USER.identity]: { password: USER.password } }), { mode: 0o600 });
  const secrets = join(dir.path, 'proxy-secrets');
  writeFileSync(secrets, `${HOME_SECRET}\n`, { mode: 0o600 });
  const serves: ServeProcess[] = [];
  try {
    const home = await startEaphostServe(0, ['--secret', HOME_SECRET, '--users', users, '--pap']);
    serves.push(home);
    const proxy = await startEaphostServe(0, ['--secret', NAS_SECRET, '--users', users, '--proxy-secret-file', secrets,
      '--proxy-realm', `home.test=udp://127.0.0.1:${home.port}`, '--proxy-realm', `silent.test=udp://127.0.0.1:${silent.address().port}`]);
    serves.push(proxy);
    const flood = await Nases.open(proxy.port, total);
    const bystander = await Nases.open(proxy.port, 32);
    const counts = { busy: 0, timedOut: 0, other: 0, answered: 0, accepted: 0, bystanderAnswered: 0 };
    const started = Date.now();
    let sent = 0;
    let asked = 0;
    while (sent < total) {
      const due = Math.min(total, Math.floor(((Date.now() - started) / 1000) * rate));
      for (; sent < due; sent++) {
        flood.ask(`flood-${sent}@silent.test`, 'x', (reply) => {
          counts.answered++;
          const message = reply.attributes.filter(({ type }) => type === REPLY_MESSAGE).map(({ value }) => value.toString()).join('');
          if (message.startsWith('eaphost proxy: home server busy: ')) counts.busy++;
          else if (/ did not answer within 4500 ms /.test(message)) counts.timedOut++;
          else counts.other++;
        });
      }
      for (; asked < 32 && asked < (sent / total) * 32; asked++) {
        bystander.ask(USER.identity, USER.password, (reply) => {
          counts.bystanderAnswered++;
          if (reply.code === ACCESS_ACCEPT) counts.accepted++;
        });
      }
      await sleep(5);
    }
    const floodSeconds = (Date.now() - started) / 1000;
    const drainMs = Math.max(60_000 * scale, 6000);
    await sleep(drainMs);
    flood.close();
    bystander.close();
    return [
      { attack: 'proxy', measure: 'flood to the silent home', value: `${total} in ${floodSeconds.toFixed(1)} s (${Math.round(total / floodSeconds)}/s)` },
      { attack: 'proxy', measure: 'bystander realm Accepts', value: `${counts.accepted} of 32 (${counts.bystanderAnswered} answered)` },
      { attack: 'proxy', measure: '"home server busy" Rejects', value: counts.busy },
      { attack: 'proxy', measure: '4.5 s Rejects', value: counts.timedOut },
      { attack: 'proxy', measure: 'other replies', value: counts.other },
      { attack: 'proxy', measure: `unanswered ${(drainMs / 1000).toFixed(0)} s after`, value: total - counts.answered },
    ];
  } finally {
    for (const serve of serves) await serve.stop();
    silent.close();
    dir.remove();
  }
}

async function dtlsPart(scale: number): Promise<Row[]> {
  const seconds = 10 * scale;
  const pki = await makeInteropPki();
  const dir = makeTempDir('bench-hostile-dtls');
  const users = join(dir.path, 'users.json');
  writeFileSync(users, JSON.stringify({ [USER.identity]: { password: USER.password } }));
  const serve = await startEaphostServe(0, ['--users', users, '--pap', '--radsec', '--radsec-cert', pki.files.serverCert,
    '--radsec-key', pki.files.serverKey, '--radsec-ca', pki.files.ca]);
  const relay = await delayingUdpRelay(serve.port, 50);
  try {
    // A source every 5 ms, whatever serve admits (its budget for unknown prefixes is lower).
    const flood = startDtlsHelloFlood(serve.port, await dtlsClientHello(pki),
      { lanes: 0, paceMs: 0, everyMs: 5, limit: Math.round(200 * seconds) });
    const started = Date.now();
    let attempts = 0;
    let completed = 0;
    const times: number[] = [];
    while (Date.now() - started < seconds * 1000) {
      const at = Date.now();
      attempts++;
      const ping = await eaphost(['ping', '--radius', `127.0.0.1:${relay.port}`, ...radsecFlags(pki, 'dtls'), '--timeout', '5000', '--json']);
      const report = JSON.parse(ping.output.trim().split('\n').pop() ?? '{}') as { success?: boolean };
      if (report.success === true) {
        completed++;
        times.push(Date.now() - at);
      }
    }
    await flood.stop();
    return [
      { attack: 'dtls', measure: 'cookie-returning ClientHellos', value: `${flood.started} sources in ${seconds} s ` +
        `(${Math.round(flood.started / seconds)}/s), ${flood.admitted} given a flight` },
      { attack: 'dtls', measure: 'NAS at 127.0.0.1, 100 ms away: handshakes completed', value: `${completed} of ${attempts}` +
        (times.length > 0 ? ` (slowest ${Math.max(...times)} ms)` : '') },
    ];
  } finally {
    relay.close();
    await serve.stop();
    dir.remove();
    pki.remove();
  }
}

/** GET `url` with a connection of its own: its status, or the error, within 5 s. */
function getStatus(url: string): Promise<string> {
  return new Promise((done) => {
    const request = get(url, { agent: false, timeout: 5000 }, (response) => {
      response.resume();
      done(String(response.statusCode));
    });
    request.on('timeout', () => request.destroy(new Error('no answer within 5 s')));
    request.on('error', (error) => done(error.message));
  });
}

async function metricsPart(scale: number): Promise<Row[]> {
  const connections = 4500;
  const pki = await makeInteropPki();
  const dir = makeTempDir('bench-hostile-metrics');
  const users = join(dir.path, 'users.json');
  writeFileSync(users, JSON.stringify({ [USER.identity]: { password: USER.password } }));
  const serve = await startEaphostServe(0, ['--users', users, '--pap', '--radsec', '--radsec-cert', pki.files.serverCert,
    '--radsec-key', pki.files.serverKey, '--radsec-ca', pki.files.ca, '--secret', 'radsec', '--metrics', '127.0.0.1:0']);
  const slow: TcpSocket[] = [];
  let closedByServe = 0;
  try {
    spawnSync('prlimit', ['--pid', String(serve.pid), '--nofile=4096:4096']);
    const limit = /^Max open files\s+(\d+)/m.exec(readFileSync(`/proc/${serve.pid}/limits`, 'utf8'))?.[1] ?? '?';
    const url = /metrics on (http:\/\/\S+)\/metrics/.exec(await serve.logged(/metrics on http:\/\/127\.0\.0\.1:\d+\/metrics/))![1];
    const { hostname, port } = new URL(url);
    const fdsBefore = readdirSync(`/proc/${serve.pid}/fd`).length;
    for (let i = 0; i < connections; i++) {
      const socket = connect(Number(port), hostname, () => socket.write('GET /metrics HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: '));
      socket.on('error', () => undefined);
      socket.on('close', () => { closedByServe++; });
      slow.push(socket);
      if (i % 100 === 99) await sleep(10);
    }
    const drip = setInterval(() => { for (const socket of slow) if (!socket.destroyed) socket.write('a'); }, 2000);
    await sleep(Math.max(10_000 * scale, 3000) / 2);
    let fds = readdirSync(`/proc/${serve.pid}/fd`).length;
    const radsec: string[] = [];
    const healthz: string[] = [];
    for (let i = 0; i < 3; i++) {
      const ping = await eaphost(['ping', '--radius', `127.0.0.1:${serve.port}`, ...radsecFlags(pki, 'tls'), '--timeout', '5000', '--json']);
      radsec.push((JSON.parse(ping.output.trim().split('\n').pop() ?? '{}') as { success?: boolean }).success === true ? 'alive' : 'failed');
      healthz.push(await getStatus(`${url}/healthz`));
      fds = Math.max(fds, readdirSync(`/proc/${serve.pid}/fd`).length);
    }
    await sleep(Math.max(10_000 * scale, 3000) / 2);
    fds = Math.max(fds, readdirSync(`/proc/${serve.pid}/fd`).length);
    clearInterval(drip);
    return [
      { attack: 'metrics', measure: 'slow connections opened', value: `${connections}; serve closed ${closedByServe} of them` },
      { attack: 'metrics', measure: `serve's descriptors (limit ${limit})`, value: `${fdsBefore} before, at most ${fds} during` },
      { attack: 'metrics', measure: 'RadSec TLS ping', value: radsec.join(', ') },
      { attack: 'metrics', measure: '/healthz', value: healthz.join(', ') },
    ];
  } finally {
    for (const socket of slow) socket.destroy();
    await serve.stop();
    dir.remove();
    pki.remove();
  }
}

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { scale: { type: 'string', default: '1' }, part: { type: 'string', default: 'proxy,dtls,metrics' } } });
  const scale = Number(values.scale);
  if (!(scale > 0 && scale <= 1)) throw new RangeError('--scale wants a number above 0, at most 1');
  const parts = values.part!.split(',');
  const known: Record<string, (s: number) => Promise<Row[]>> = { proxy: proxyPart, dtls: dtlsPart, metrics: metricsPart };
  const unknown = parts.filter((part) => !(part in known));
  if (unknown.length > 0) throw new RangeError(`--part: ${unknown.join(', ')} (proxy, dtls, metrics)`);
  const rows: Row[] = [];
  for (const part of parts) rows.push(...await known[part](scale));
  console.table(rows);
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.stack : String(error)}\n`);
  process.exit(1);
});
