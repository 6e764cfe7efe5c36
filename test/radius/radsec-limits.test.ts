import { strict as assert } from 'node:assert';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Socket } from 'node:net';
import type { TLSSocket } from 'node:tls';
import { authenticate, Authenticator, createAuthenticator, openEapHost } from '../../lib';
import { RadiusEapTransport, RadiusServer, RadSecClient, RadSecListenOptions } from '../../lib/radius';
import { RADSEC_SECRET } from '../../lib/radius/radsec/client';
import type { RadSecConnectionEvent } from '../../lib/radius/radsec/listener';
import { eaphostCommand } from '../support/cli-run';
import { makeTempDir } from '../support/programs';
import { CLIENT_KEY_PASSWORD, InteropPki, makeInteropPki, SERVER_NAME } from '../support/interop-pki';
import {
  answersStatusServer, idleConnection, nasConnection, PacketReader, PeerConnection, statusServer, statusServerPacket,
} from '../support/radsec-peers';

/**
 * The RadSec listener's limits, with real TLS on loopback: 127.0.0.1 plays the host that floods
 * and ::1 the NAS that must still get in. The listener reports what it closes, pauses and resumes
 * (onConnectionEvent); each test waits for those reports or for the sockets' own events.
 */
const USER = { identity: 'nora', password: 'n0ra pass' };
const runServe = eaphostCommand('serve');

/** What the listener reported, with a way to wait until the reports say something. */
class Reports {
  readonly seen: RadSecConnectionEvent[] = [];
  private waiting: { holds: () => boolean; resolve: () => void }[] = [];
  /** Called with each report as it is made, before anything else runs. */
  also: ((event: RadSecConnectionEvent) => void) | undefined;

  readonly hear = (event: RadSecConnectionEvent): void => {
    this.seen.push(event);
    this.also?.(event);
    this.waiting = this.waiting.filter((waiter) => !(waiter.holds() && (waiter.resolve(), true)));
  };

  until(holds: () => boolean): Promise<void> {
    if (holds()) return Promise.resolve();
    return new Promise((resolve) => this.waiting.push({ holds, resolve }));
  }

  closed(reason: RadSecConnectionEvent['reason']): RadSecConnectionEvent[] {
    return this.seen.filter((event) => event.event === 'closed' && event.reason === reason);
  }
}

/** The address a dual-stack listener reports for a client on 127.0.0.1. */
const isLoopbackV4 = (address: string): boolean => address === '127.0.0.1' || address === '::ffff:127.0.0.1';

describe('RadSec listener limits: connection caps, handshake deadline, idle timeout, reply backpressure', function () {
  this.timeout(30_000);
  let pki: InteropPki;
  let authenticator: Authenticator;
  const servers: RadiusServer[] = [];
  const peers: PeerConnection<Socket>[] = [];

  before(async () => {
    pki = await makeInteropPki();
    authenticator = await createAuthenticator({ methods: ['md5'], users: { [USER.identity]: { password: USER.password } } });
  });
  afterEach(async () => {
    for (const peer of peers.splice(0)) peer.socket.destroy();
    for (const server of servers.splice(0)) await server.close();
  });
  after(async () => {
    await authenticator?.close();
    pki?.remove();
  });

  /** A RadiusServer on both loopbacks ('::' takes 127.0.0.1 too) with these RadSec limits. */
  async function serve(limits: Omit<RadSecListenOptions, 'cert' | 'key' | 'ca'>) {
    const reports = new Reports();
    const server = new RadiusServer({
      host: '::', port: 0, authenticator,
      radsec: { cert: pki.serverCert, key: pki.serverKey, ca: pki.ca, ...limits, onConnectionEvent: reports.hear },
    });
    servers.push(server);
    const { port } = await server.listen();
    return { server, port, reports };
  }

  async function idle(host: string, port: number) {
    const peer = await idleConnection(host, port);
    peers.push(peer);
    return peer;
  }

  async function nas(host: string, port: number) {
    const peer = await nasConnection(pki, host, port);
    peers.push(peer);
    return peer;
  }

  function radsecClient(): RadSecClient {
    return new RadSecClient({ cert: pki.clientCert, key: pki.clientKey, passphrase: CLIENT_KEY_PASSWORD, ca: pki.ca,
      serverName: SERVER_NAME, timeoutMs: 5000 });
  }

  /** A whole EAP-MD5 authentication over RadSec from `host`, as a NAS relays it, on `radsec`'s connection. */
  async function authenticateFrom(radsec: RadSecClient, host: string, port: number) {
    const eapHost = await openEapHost();
    const session = await eapHost.beginSession({ method: 'md5', identity: USER.identity, password: USER.password });
    try {
      const transport = new RadiusEapTransport({ server: { host, port, secret: RADSEC_SECRET }, client: radsec });
      return await authenticate({ session, transport });
    } finally {
      await session.endSession();
      await eapHost.close();
    }
  }

  it('closes a connection whose TLS handshake is not done by the deadline, even one that trickles bytes', async () => {
    const { port, reports } = await serve({ handshakeTimeoutMs: 300 });
    const silent = await idle('127.0.0.1', port);
    const trickling = await idle('127.0.0.1', port);
    // A handshake record header announcing 512 bytes, then one byte at a time: each arrival would
    // restart an inactivity timer, never a deadline.
    trickling.socket.write(Buffer.from([0x16, 0x03, 0x01, 0x02, 0x00]));
    const trickle = setInterval(() => trickling.socket.write(Buffer.alloc(1)), 50);
    try {
      await Promise.all([silent.closed, trickling.closed]);
    } finally {
      clearInterval(trickle);
    }
    assert.deepEqual(reports.closed('handshake-timeout').map((event) => event.port).sort(),
      [silent.port, trickling.port].sort());
  });

  it('at the connection cap, a flood from 127.0.0.1 loses its oldest handshakes and a NAS on ::1 authenticates', async () => {
    const cap = 8;
    const { port, reports } = await serve({ maxConnections: cap, maxConnectionsPerAddress: 1000, handshakeTimeoutMs: 60_000 });
    const flood: PeerConnection<Socket>[] = [];
    for (let i = 0; i < 20; i++) flood.push(await idle('127.0.0.1', port));
    await reports.until(() => reports.closed('evicted').length === 20 - cap);
    await Promise.all(flood.slice(0, 20 - cap).map((peer) => peer.closed));
    assert.deepEqual(reports.closed('evicted').map((event) => event.port), flood.slice(0, 20 - cap).map((peer) => peer.port));
    // The NAS shakes hands and authenticates while the flood goes on: each newcomer displaces the
    // oldest handshake of the address holding the most, which is the flood's, never the NAS's.
    const radsec = radsecClient();
    try {
      const more = Array.from({ length: 20 }, () => idle('127.0.0.1', port));
      const [result] = await Promise.all([authenticateFrom(radsec, '::1', port), ...more]);
      assert.equal(result.success, true, result.error?.message);
      // Each arrival at the cap displaced one handshake of the flood: the NAS's and the 20 more.
      await reports.until(() => reports.closed('evicted').length === 20 - cap + 1 + 20);
    } finally {
      await radsec.close();
    }
    assert.ok(reports.seen.every((event) => isLoopbackV4(event.address)), JSON.stringify(reports.seen.filter((e) => !isLoopbackV4(e.address))));
  });

  it('per address: a flood displaces only its own handshakes; a full address with every connection authenticated refuses the next', async () => {
    const { port, reports } = await serve({ maxConnections: 1000, maxConnectionsPerAddress: 4, handshakeTimeoutMs: 60_000 });
    const flood: PeerConnection<Socket>[] = [];
    for (let i = 0; i < 10; i++) flood.push(await idle('127.0.0.1', port));
    await reports.until(() => reports.closed('evicted').length === 6);
    assert.deepEqual(reports.closed('evicted').map((event) => event.port), flood.slice(0, 6).map((peer) => peer.port));
    // ::1 has its own share: its NAS displaces nobody.
    assert.ok(answersStatusServer(await statusServer(await nas('::1', port), 1), 1));
    assert.equal(reports.closed('evicted').length, 6);
    // Four NASes on 127.0.0.1 take the four places of its remaining handshakes, one by one.
    const nases: PeerConnection<TLSSocket>[] = [];
    // Each answered once: over TLS 1.3 a client is connected before the server has checked its
    // certificate, and until then its connection is still a handshake.
    for (let i = 0; i < 4; i++) {
      const peer = await nas('127.0.0.1', port);
      assert.ok(answersStatusServer(await statusServer(peer, 10 + i), 10 + i));
      nases.push(peer);
    }
    await Promise.all(flood.map((peer) => peer.closed));
    assert.equal(reports.closed('evicted').length, 10);
    // Now every place of 127.0.0.1 is an authenticated NAS: a fifth connection is refused, and
    // the four are still answered.
    const fifth = await idle('127.0.0.1', port);
    await fifth.closed;
    assert.deepEqual(reports.closed('refused').map((event) => event.port), [fifth.port]);
    for (const [i, peer] of nases.entries()) assert.ok(answersStatusServer(await statusServer(peer, 20 + i), 20 + i));
  });

  it('counts its connections by state: one still in its TLS handshake, one authenticated', async () => {
    const { server, port } = await serve({});
    assert.deepEqual(server.radsecConnections, { handshaking: 0, open: 0, paused: 0 });
    await idle('127.0.0.1', port);
    const peer = await nas('::1', port);
    // Answered: the listener holds it authenticated, and took the idle one (accepted before it) first.
    assert.ok(answersStatusServer(await statusServer(peer, 1), 1));
    assert.deepEqual(server.radsecConnections, { handshaking: 1, open: 1, paused: 0 });
  });

  it('closes an authenticated connection that sends nothing for idleTimeoutMs', async () => {
    const { port, reports } = await serve({ idleTimeoutMs: 300 });
    const peer = await nas('::1', port);
    await peer.closed;
    // Closed for idleness, which only an authenticated connection is timed for (a handshake has its deadline).
    assert.deepEqual(reports.seen.map((event) => [event.event, event.reason, event.port]), [['closed', 'idle-timeout', peer.port]]);
  });

  it('stops reading a client that leaves its replies unread, holds a bounded amount for it, and answers all once it reads', async () => {
    const bound = 65_536;
    const { server, port, reports } = await serve({ maxBufferedReplyBytes: bound });
    // The engine's count of requests at each pause and each resume.
    const requestsAt: { event: string; requests: number }[] = [];
    // And how many connections the listener counted paused when it first said one was.
    let pausedCount: number | undefined;
    reports.also = (event) => {
      requestsAt.push({ event: event.event, requests: server.stats.requests });
      if (event.event === 'paused' && pausedCount === undefined) pausedCount = server.radsecConnections.paused;
    };
    const peer = await nas('::1', port);
    peer.socket.pause();
    // The client writes Status-Server after Status-Server and reads nothing until the listener
    // stops reading it: the kernel's buffers on both sides fill first (megabytes on loopback),
    // then the listener's own, past the bound. A listener that never stops would read them all.
    const paused = reports.until(() => reports.seen.some((event) => event.event === 'paused'));
    let pausedYet = false;
    paused.then(() => { pausedYet = true; });
    let sent = 0;
    const batch = 2048;
    // Request n is Status-Server number n % 512: two per Identifier, so each differs from the one
    // before it with its Identifier and is a new request, not a retransmission.
    const cycle = 512;
    const packets = Buffer.concat(Array.from({ length: batch }, (_, i) => statusServerPacket(i % cycle)));
    const write = (): Promise<unknown> => {
      sent += batch;
      return new Promise((resolve) => peer.socket.write(packets, resolve));
    };
    // One batch ahead of what the server has read, no more: the test's time goes on the replies
    // that fill the buffers, not on requests queued behind them.
    const serverCaughtUp = async (): Promise<void> => {
      while (!pausedYet && server.stats.requests < sent - batch) await new Promise(setImmediate);
    };
    while (!pausedYet && sent < 1_000_000) await Promise.race([write().then(serverCaughtUp), paused]);
    assert.ok(pausedYet, `the listener read all ${sent} requests and never paused`);
    assert.equal(pausedCount, 1, 'the connection counted paused as it was reported paused');
    // More, which wait unread in the kernel while the listener holds back.
    void write();
    const reader = new PacketReader();
    let answered = 0;
    await new Promise<void>((resolve, reject) => {
      peer.socket.on('data', (chunk: Buffer) => {
        for (const reply of reader.push(chunk)) {
          // Each an Access-Accept with the next Identifier; one in 256 (an Identifier's cycle)
          // checked whole, its Response Authenticator by node:crypto: MD5 for all would cost seconds.
          const whole = answered % 256 === 255 || answered === sent - 1;
          if (reply[0] !== 2 || reply[1] !== (answered & 0xff) || (whole && !answersStatusServer(reply, answered % cycle))) {
            reject(new Error(`reply ${answered} does not answer Status-Server ${answered}`));
          }
          answered++;
        }
        if (answered === sent) resolve();
      });
      peer.closed.then(() => reject(new Error(`closed after ${answered} of ${sent} replies`)));
      peer.socket.resume();
    });
    // Every request answered once, in order; between each pause and the resume after it, not one
    // request was read.
    assert.equal(server.stats.requests, sent);
    assert.ok(requestsAt.length >= 2 && requestsAt[0].event === 'paused', JSON.stringify(requestsAt.slice(0, 4)));
    for (let i = 0; i + 1 < requestsAt.length; i += 2) {
      assert.deepEqual([requestsAt[i].event, requestsAt[i + 1].event], ['paused', 'resumed']);
      assert.equal(requestsAt[i + 1].requests, requestsAt[i].requests, `pause ${i / 2} read requests`);
    }
    // The most it ever held for this client: the bound, and the replies to the few turns' reads
    // already handed on when the bound was passed (64 a turn, 38 bytes each).
    const peak = Math.max(...reports.seen.map((event) => event.peakBufferedBytes));
    assert.ok(peak >= bound && peak < bound + 16_384, `peak ${peak} bytes held for one client`);
  });

  it('`eaphost serve --radsec` takes the limits from its flags, says on exit what it closed, and refuses bad values', async () => {
    const dir = makeTempDir('radsec-limits');
    const users = join(dir.path, 'users.json');
    writeFileSync(users, JSON.stringify({ [USER.identity]: { password: USER.password } }));
    const radsecFlags = ['--radsec', '--radsec-cert', pki.files.serverCert, '--radsec-key', pki.files.serverKey, '--radsec-ca', pki.files.ca];
    const base = ['--port', '0', '--users', users, '--methods', 'md5'];
    try {
      const stop = new AbortController();
      const err: string[] = [];
      let listening: (line: string) => void = () => undefined;
      const bound = new Promise<string>((resolve) => { listening = resolve; });
      const serving = runServe([...base, ...radsecFlags, '--radsec-max-connections-per-address', '1', '--radsec-handshake-timeout', '1'],
        (line) => { if (line.startsWith('listening on ')) listening(line); }, (line) => err.push(line), stop.signal);
      const port = Number(/^listening on 127\.0\.0\.1:(\d+) \(RadSec, TCP\)/.exec(await bound)?.[1]);
      // One place for 127.0.0.1: the second connection displaces the first; the deadline closes the second.
      const first = await idle('127.0.0.1', port);
      const second = await idle('127.0.0.1', port);
      await Promise.all([first.closed, second.closed]);
      stop.abort();
      assert.equal(await serving, 0, err.join('\n'));
      assert.deepEqual(err, ['eaphost serve: closed RadSec connections: 1 evicted, 1 handshake-timeout']);
      for (const [flags, message] of [
        [['--radsec-max-connections', '8'], /--radsec-max-connections applies with --radsec only/],
        [[...radsecFlags, '--radsec-max-reply-buffer', '1000'], /--radsec-max-reply-buffer must be at least 16384/],
        [[...radsecFlags, '--radsec-idle-timeout', 'soon'], /--radsec-idle-timeout must be a whole number/],
        [[...radsecFlags, '--radsec-handshake-timeout', '0'], /--radsec-handshake-timeout must be a whole number above 0/],
      ] as const) {
        const lines: string[] = [];
        assert.equal(await runServe([...base, ...flags], () => undefined, (line) => lines.push(line)), 2, lines.join('\n'));
        assert.match(lines.join('\n'), message);
      }
    } finally {
      dir.remove();
    }
  });
});
