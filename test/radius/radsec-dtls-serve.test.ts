import { strict as assert } from 'node:assert';
import { createSocket, Socket } from 'node:dgram';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { authenticate, createAuthenticator, openEapHost } from '../../lib';
import type { Authenticator } from '../../lib';
import { binding } from '../../lib/native';
import type { RadiusDtlsServerCounters } from '../../lib/native';
import { RadSecClient, RadiusEapTransport, RadiusServer } from '../../lib/radius';
import { RadiusAttributeType, RadiusCode } from '../../lib/radius/constants';
import { RADSEC_DTLS_SECRET } from '../../lib/radius/radsec/dtls';
import { runMain } from '../support/cli-run';
import { startEaphostServe } from '../support/eaphost-serve';
import { assertPeapThroughRadsecproxy, dtlsServeArgs } from '../support/radsec-dtls-serve';
import type { ServeProcess } from '../support/eaphost-serve';
import { CLIENT_KEY_PASSWORD, makeInteropPki, SERVER_NAME } from '../support/interop-pki';
import type { InteropPki } from '../support/interop-pki';
import { makeTempDir } from '../support/programs';
import { dtlsClientHello } from '../support/radsec-peers';
import { cookieOf, startDtlsHelloFlood, withCookie } from '../support/dtls-hello-flood';
import { UNKNOWN_HANDSHAKE_BURST, UNKNOWN_HANDSHAKES_PER_SECOND } from '../../lib/radius/radsec/handshake-budget';

/**
 * `eaphost serve --radsec` speaks RADIUS/DTLS (RFC 7360) on its port over UDP beside TLS over
 * TCP: eapol_test → radsecproxy 1.9.2 (UDP in, `server { type dtls }` out, and `server { type tls }`
 * out to the TLS listener) → serve, PEAP, with eapol_test judging the MPPE keys; our own DTLS client; and the cookie exchange's promise that
 * a ClientHello from a source that never returns the cookie gets a HelloVerifyRequest no larger
 * than itself and no association.
 */
const USER = { identity: 'dtls-user', password: 'dtl5 pass' };

describe('RADIUS/DTLS server: eaphost serve --radsec', function () {
  this.timeout(60_000);
  let pki: InteropPki;
  let dir: { path: string; remove(): void };
  let serve: ServeProcess;

  before(async () => {
    pki = await makeInteropPki();
    dir = makeTempDir('radsec-dtls-serve');
    const users = join(dir.path, 'users.json');
    writeFileSync(users, JSON.stringify({ [USER.identity]: { password: USER.password } }));
    serve = await startEaphostServe(0, [...dtlsServeArgs(users, pki), '--metrics', '127.0.0.1:0']);
  });
  after(async () => {
    await serve?.stop();
    dir?.remove();
    pki?.remove();
  });

  it('eapol_test → radsecproxy (UDP in, DTLS out) → serve: PEAP, "MPPE keys OK"; radsecproxy\'s log shows the DTLS hop', async () => {
    assert.match(serve.output(), /\(RadSec, TCP\) \(RADIUS\/DTLS, UDP\)/);
    await assertPeapThroughRadsecproxy(serve.port, pki, USER, serve.output);
  });

  it('eapol_test → radsecproxy (UDP in, TLS out) → serve\'s RadSec TLS listener: PEAP, "MPPE keys OK"; radsecproxy\'s log shows the TLS hop', async () => {
    await assertPeapThroughRadsecproxy(serve.port, pki, USER, serve.output, 'tls');
  });

  it('our DTLS client → serve: PEAP-MSCHAPv2 accepted, MPPE keys = the MSK', async () => {
    const radsec = new RadSecClient({ transport: 'dtls', cert: pki.clientCert, key: pki.clientKey, passphrase: CLIENT_KEY_PASSWORD, ca: pki.ca,
      serverName: SERVER_NAME, timeoutMs: 5000 });
    const host = await openEapHost();
    const session = await host.beginSession({ method: 'peap', identity: USER.identity, password: USER.password, ca: pki.ca,
      serverName: SERVER_NAME });
    try {
      const result = await authenticate({ session, transport: new RadiusEapTransport({
        server: { host: '127.0.0.1', port: serve.port, secret: RADSEC_DTLS_SECRET }, client: radsec }) });
      assert.equal(result.success, true, serve.output().slice(-2000));
      assert.equal(result.mppeKeysMatch, true);
    } finally {
      await session.endSession();
      await host.close();
      await radsec.close();
    }
  });
  it('a round over DTLS hands JS no packet: the association and the client engine pass them natively (over TLS, two a round)', async () => {
    const ROUNDS = 5;
    const handOffs: Record<string, number> = {};
    for (const transport of ['tls', 'dtls'] as const) {
      const radsec = new RadSecClient({ transport, cert: pki.clientCert, key: pki.clientKey, passphrase: CLIENT_KEY_PASSWORD, ca: pki.ca,
        serverName: SERVER_NAME, timeoutMs: 5000 });
      try {
        for (let round = 0; round < ROUNDS; round++) {
          // serve answers a Status-Server with an Access-Accept signed under the secret it holds (dtlsServeArgs).
          const reply = await radsec.statusServer({ host: '127.0.0.1', port: serve.port, secret: RADSEC_DTLS_SECRET });
          assert.equal(reply.code, RadiusCode.AccessAccept, transport);
        }
        const counters = radsec.counters();
        assert.equal(counters.repliesAccepted, ROUNDS, transport);
        handOffs[transport] = counters.streamHandOffs;
      } finally {
        await radsec.close();
      }
    }
    // Over TLS each request is handed to JS to write and each reply's bytes handed back from Node's socket.
    assert.ok(handOffs.tls >= 2 * ROUNDS, `TLS: ${handOffs.tls} hand-offs in ${ROUNDS} rounds`);
    assert.equal(handOffs.dtls, 0, `DTLS: ${handOffs.dtls} hand-offs in ${ROUNDS} rounds`);
  });

  const ping = (port: number, transport: 'tls' | 'dtls', secret: string[] = []) => pingRadsec(pki, port, transport, secret);

  it('serve --metrics counts RADIUS/DTLS associations by event beside the RadSec connections', async () => {
    const alive = await ping(serve.port, 'dtls');
    assert.equal(alive.code, 0, alive.stdout + alive.stderr);
    const url = /metrics on (http:\/\/\S+)/.exec(await serve.logged(/metrics on http:\/\/127\.0\.0\.1:\d+\/metrics/))![1];
    const exposition = await (await fetch(url)).text();
    const made = /^eaphost_radsec_dtls_associations_total\{event="made"\} (\d+)$/m.exec(exposition);
    assert.ok(made, exposition.slice(0, 3000));
    // This ping's association at least, and the earlier tests' (eapol_test's, our client's).
    assert.ok(Number(made[1]) >= 1, made[0]);
    for (const event of ['evicted', 'refused', 'handshake-timeout', 'idle-timeout', 'failed']) {
      assert.match(exposition, new RegExp(`^eaphost_radsec_dtls_associations_total\\{event="${event}"\\} \\d+$`, 'm'));
    }
  });

  it('`eaphost ping --radsec --radsec-transport dtls` → serve: alive, the secret "radius/dtls" by default, signed', async () => {
    const alive = await ping(serve.port, 'dtls');
    assert.equal(alive.code, 0, alive.stdout + alive.stderr + serve.output().slice(-2000));
    const report = JSON.parse(alive.stdout) as { code: string; messageAuthenticator: boolean };
    // serve signs its Access-Accept with the secret it holds ("radius/dtls"): ping verified it with the default.
    assert.equal(report.code, 'Access-Accept');
    assert.equal(report.messageAuthenticator, true);
  });

  it('serve --radsec without --secret holds each transport\'s default: "radsec" over TLS, "radius/dtls" over DTLS', async () => {
    const defaults = await startEaphostServe(0, ['--users', join(dir.path, 'users.json'), '--methods', 'peap', '--cert', pki.files.serverCert,
      '--key', pki.files.serverKey, '--radsec', '--radsec-cert', pki.files.serverCert, '--radsec-key', pki.files.serverKey,
      '--radsec-ca', pki.files.ca]);
    try {
      for (const transport of ['tls', 'dtls'] as const) {
        const alive = await ping(defaults.port, transport);
        assert.equal(alive.code, 0, `${transport}: ${alive.stdout}${alive.stderr}${defaults.output().slice(-2000)}`);
      }
      // Each transport's secret is its own: the other's is not answered (serve drops what fails its signature).
      const crossed = await ping(defaults.port, 'dtls', ['--secret-file', secretFile('radsec')]);
      assert.equal(crossed.code, 3, crossed.stdout);
      assert.equal(JSON.parse(crossed.stdout).result, 'timeout');
    } finally {
      await defaults.stop();
    }
  });

  /** A file holding `secret`, mode 0600. */
  function secretFile(secret: string): string {
    const file = join(dir.path, `secret-${secret.replace(/\W/g, '_')}`);
    writeFileSync(file, secret, { mode: 0o600 });
    return file;
  }
});

/** `eaphost ping --radsec` over `transport` to `port`, its secret the transport's default, as JSON. */
function pingRadsec(pki: InteropPki, port: number, transport: 'tls' | 'dtls', secret: string[] = []): ReturnType<typeof runMain> {
  return runMain(['ping', '--radius', `127.0.0.1:${port}`,
    '--radsec', '--radsec-transport', transport, '--radsec-ca', pki.files.ca, '--radsec-cert', pki.files.clientCert,
    '--radsec-key', pki.files.clientKey, '--radsec-key-password', CLIENT_KEY_PASSWORD, '--radsec-server-name', SERVER_NAME,
    '--timeout', '3000', '--json', ...secret]);
}

describe('RADIUS/DTLS server in process: the cookie exchange, records sharing a datagram, the engine\'s listener', function () {
  this.timeout(30_000);
  let pki: InteropPki;
  let authenticator: Authenticator;
  before(async () => {
    pki = await makeInteropPki();
    authenticator = await createAuthenticator({ methods: ['md5'], users: { [USER.identity]: { password: USER.password } } });
  });
  after(async () => {
    await authenticator?.close();
    pki?.remove();
  });

  it('one counter numbers TLS connections and DTLS associations: TLS links past 2^31 are still answered over TLS, with TLS\'s secret', async () => {
    // Links were once told apart by range (DTLS's from 0x80000000), so after 2^31 TLS connections
    // a TLS reply went to the DTLS listener, signed with DTLS's secret. The engine's numbers start
    // just below that boundary here; each ping is a connection of its own, and verifies the
    // reply's signature with its transport's default secret ("radsec" over TLS, "radius/dtls" over DTLS).
    const server = new RadiusServer({ host: '127.0.0.1', port: 0, authenticator,
      radsec: { cert: pki.serverCert, key: pki.serverKey, ca: pki.ca, dtls: true } });
    server.firstLink = 0x7fffffff;
    try {
      const { port } = await server.listen();
      for (const transport of ['tls', 'tls', 'tls', 'dtls', 'tls'] as const) {
        const alive = await pingRadsec(pki, port, transport);
        assert.equal(alive.code, 0, `${transport}: ${alive.stdout}${alive.stderr}`);
        assert.equal((JSON.parse(alive.stdout) as { messageAuthenticator: boolean }).messageAuthenticator, true);
      }
      // Each transport's secret is still its own: DTLS's is not TLS's.
      const crossed = await pingRadsec(pki, port, 'tls', ['--secret', RADSEC_DTLS_SECRET]);
      assert.equal(JSON.parse(crossed.stdout).result, 'timeout', crossed.stdout);
    } finally {
      await server.close();
    }
  });

  it('a ClientHello that never returns the cookie gets one HelloVerifyRequest no larger than itself, and no association', async () => {
    // A whole server, its engine counting every request that would reach it: none may.
    const server = new RadiusServer({ host: '127.0.0.1', port: 0, authenticator, pap: true,
      radsec: { cert: pki.serverCert, key: pki.serverKey, ca: pki.ca, dtls: true } });
    const spoofed: Socket[] = [];
    try {
      const { port } = await server.listen();
      const counters = (): RadiusDtlsServerCounters => {
        const counted = server.radsecDtlsCounters;
        assert.ok(counted, 'serve listens for RADIUS/DTLS');
        return counted;
      };
      const hello = await dtlsClientHello(pki);
      assert.equal(hello[0], 22, 'a handshake record');
      assert.equal(hello[13], 1, 'a ClientHello');
      // 40 sources (the same address, 40 ports), each sending the ClientHello once, never answering.
      const replies: Buffer[] = [];
      for (let i = 0; i < 40; i++) {
        const socket = createSocket('udp4');
        spoofed.push(socket);
        await new Promise<void>((bound) => socket.bind(0, '127.0.0.1', bound));
        socket.on('message', (reply) => replies.push(reply));
        socket.send(hello, port, '127.0.0.1');
      }
      for (let i = 0; i < 200 && replies.length < 40; i++) await new Promise((r) => setTimeout(r, 10));
      assert.equal(replies.length, 40);
      for (const reply of replies) {
        assert.equal(reply[0], 22);
        assert.equal(reply[13], 3, 'a HelloVerifyRequest');
        assert.ok(reply.length <= hello.length, `${reply.length} bytes out for ${hello.length} in`);
      }
      const stats = counters();
      assert.equal(stats.associations, 0);
      assert.equal(stats.cookiesSent, 40);
      assert.ok(stats.cookieBytesOut <= stats.cookieBytesIn, JSON.stringify(stats));
      // Datagrams that are no ClientHello get nothing at all: counted in, nothing out.
      const junk = spoofed[0];
      junk.send(Buffer.from('not a DTLS record at all'), port, '127.0.0.1');
      junk.send(Buffer.from([22, 0xfe, 0xfd]), port, '127.0.0.1');
      for (let i = 0; i < 200 && counters().cookieDatagramsIn < 42; i++) await new Promise((r) => setTimeout(r, 10));
      const after = counters();
      assert.equal(after.cookieDatagramsIn, 42);
      assert.equal(after.cookiesSent, 40);
      assert.equal(after.associations, 0);
      assert.equal(replies.length, 40);
      // The engine counted nothing at all: no request, no malformed or dropped packet.
      assert.deepEqual(Object.entries(server.stats).filter(([, count]) => count !== 0), []);
    } finally {
      for (const socket of spoofed) socket.close();
      await server.close();
    }
  });

  it('the cookie key is renewed every handshake timeout: a cookie returned at once opens a handshake; kept two timeouts, it is refused', async () => {
    // A cookie once seen stayed good for as long as the listener ran: anyone who saw one could
    // replay its ClientHello from that source and be sent a whole flight each time.
    const server = new RadiusServer({ host: '127.0.0.1', port: 0, authenticator, pap: true,
      radsec: { cert: pki.serverCert, key: pki.serverKey, ca: pki.ca, dtls: true, handshakeTimeoutMs: 2000 } });
    const sockets: Socket[] = [];
    /** A source of its own; send() resolves with the listener's next datagram to it. */
    const peer = async (port: number) => {
      const socket = createSocket('udp4');
      sockets.push(socket);
      const heard: Buffer[] = [];
      let wake: (() => void) | undefined;
      socket.on('message', (datagram) => {
        heard.push(datagram);
        wake?.();
      });
      await new Promise<void>((bound) => socket.bind(0, '127.0.0.1', bound));
      return async (datagram: Buffer): Promise<Buffer> => {
        heard.length = 0;
        socket.send(datagram, port, '127.0.0.1');
        while (heard.length === 0) await new Promise<void>((resolve) => { wake = resolve; });
        return heard[0];
      };
    };
    try {
      const { port } = await server.listen();
      const hello = await dtlsClientHello(pki);
      const prompt = await peer(port);
      const cookie = cookieOf(await prompt(hello));
      assert.ok(cookie, 'a HelloVerifyRequest');
      assert.equal(cookieOf(await prompt(withCookie(hello, cookie))), undefined, 'the listener\'s flight, not another cookie');
      assert.equal(server.radsecDtlsCounters!.associations, 1);
      const late = await peer(port);
      const kept = cookieOf(await late(hello))!;
      await new Promise((resolve) => setTimeout(resolve, 4200));
      const renewed = cookieOf(await late(withCookie(hello, kept)));
      assert.ok(renewed && !renewed.equals(kept), 'a new cookie for the stale one');
      assert.equal(server.radsecDtlsCounters!.associations, 1, 'no slot for a stale cookie');
      assert.equal(cookieOf(await late(withCookie(hello, renewed))), undefined, 'the new cookie opens the handshake');
      assert.equal(server.radsecDtlsCounters!.associations, 2);
    } finally {
      for (const socket of sockets) socket.close();
      await server.close();
    }
  });

  it('a hello flood from 127.0.1.x holding the listener at its cap: a NAS at 127.0.0.1, sorting before them all, is answered', async () => {
    // RADIUS/DTLS's admission is RadSec's (native/radius/io/radius_admission.h): at the cap the
    // oldest half-open handshake that made no progress goes, never the one whose address sorts
    // first. The flood's handshakes return the cookie and go no further, each from a loopback
    // address of its own; the listener once displaced, among equals, the lowest address: the NAS,
    // at every newcomer, until its handshake timed out.
    const cap = 64;
    const server = new RadiusServer({ host: '127.0.0.1', port: 0, authenticator, pap: true, secret: RADSEC_DTLS_SECRET,
      radsec: { cert: pki.serverCert, key: pki.serverKey, ca: pki.ca, dtls: true, maxConnections: cap } });
    const nas = new RadSecClient({ transport: 'dtls', cert: pki.clientCert, key: pki.clientKey, passphrase: CLIENT_KEY_PASSWORD,
      ca: pki.ca, serverName: SERVER_NAME, timeoutMs: 8000 });
    const { port } = await server.listen();
    const flood = startDtlsHelloFlood(port, await dtlsClientHello(pki), { lanes: 2, paceMs: 5, limit: 3000 });
    try {
      // The flood fills the listener, then goes on displacing its own while the NAS handshakes.
      await flood.admittedMore(cap + 8);
      const before = server.radsecDtlsCounters!;
      assert.ok(before.evicted > 0, `the flood reached the cap: ${JSON.stringify(before)}`);
      const reply = await nas.accessRequest({ host: '127.0.0.1', port, secret: RADSEC_DTLS_SECRET },
        [{ type: RadiusAttributeType.UserName, value: Buffer.from(USER.identity) }], { userPassword: Buffer.from(USER.password) });
      assert.equal(reply.reply.code, RadiusCode.AccessAccept);
      const during = server.radsecDtlsCounters!;
      assert.ok(during.associations > before.associations, `newcomers met the NAS's handshake: ${JSON.stringify(during)}`);
    } finally {
      await flood.stop();
      await nas.close();
      await server.close();
    }
  });

  it('handshakes of prefixes never authenticated start at RadSec over TCP\'s budget: the burst at once, then the rate', async () => {
    // One native budget (radius_admission.h's HandshakeBudget) for both record layers: 64
    // ClientHellos that return the cookie at once from a /24 never authenticated get the
    // listener's flight (its signature's cost) no faster than the burst and the rate allow; the
    // rest wait, their ClientHello unread. Each source's flight is timed where it lands: the
    // k-th can come no sooner than (k - burst) / rate after the first ClientHello left.
    const server = new RadiusServer({ host: '127.0.0.1', port: 0, authenticator, pap: true, secret: RADSEC_DTLS_SECRET,
      radsec: { cert: pki.serverCert, key: pki.serverKey, ca: pki.ca, dtls: true } });
    const { port } = await server.listen();
    const hello = await dtlsClientHello(pki);
    const sources = 64;
    const started = performance.now();
    const flood = startDtlsHelloFlood(port, hello, { lanes: sources, paceMs: 0, limit: sources });
    try {
      await flood.stop();
      const counters = server.radsecDtlsCounters!;
      assert.ok(flood.admitted > UNKNOWN_HANDSHAKE_BURST, `${flood.admitted} of ${sources} sources got a flight: ${JSON.stringify(counters)}`);
      assert.ok(counters.budgetWaits > 0, `handshakes past the burst waited for the budget: ${JSON.stringify(counters)}`);
      flood.admittedAt.forEach((at, i) => {
        const earliest = ((i + 1 - UNKNOWN_HANDSHAKE_BURST) * 1000) / UNKNOWN_HANDSHAKES_PER_SECOND - 2;
        assert.ok(at - started >= earliest, `flight ${i + 1} came ${(at - started).toFixed(1)} ms after the flood began, before ${earliest} ms`);
      });
    } finally {
      await flood.stop();
      await server.close();
    }
  });

  it('eight requests whose records share one datagram are each answered, the eight replies sharing one datagram too', async () => {
    // The RadSec revision (§5.1) lets a datagram carry several records, one packet each. A relay
    // between our DTLS client and the server gathers the eight requests' records into one
    // datagram, and the eight replies' into one: both sides must read every record of it.
    const server = new RadiusServer({ host: '127.0.0.1', port: 0, authenticator, pap: true, secret: RADSEC_DTLS_SECRET,
      radsec: { cert: pki.serverCert, key: pki.serverKey, ca: pki.ca, dtls: true } });
    const client = new RadSecClient({ transport: 'dtls', cert: pki.clientCert, key: pki.clientKey, passphrase: CLIENT_KEY_PASSWORD,
      ca: pki.ca, serverName: SERVER_NAME, timeoutMs: 10_000 });
    let relay: GatheringRelay | undefined;
    try {
      const { port } = await server.listen();
      relay = await gatheringRelay(port);
      const pap = async (password: string): Promise<number> => (await client.accessRequest(
        { host: '127.0.0.1', port: relay!.port, secret: RADSEC_DTLS_SECRET },
        [{ type: RadiusAttributeType.UserName, value: Buffer.from(USER.identity) }], { userPassword: Buffer.from(password) })).reply.code;
      // The handshake and a first request pass one datagram at a time.
      assert.equal(await pap(USER.password), RadiusCode.AccessAccept);
      relay.gather(8);
      const passwords = Array.from({ length: 8 }, (_, i) => (i % 2 === 0 ? USER.password : 'not it'));
      const codes = await Promise.all(passwords.map(pap));
      assert.deepEqual(codes, passwords.map((password) => (password === USER.password ? RadiusCode.AccessAccept : RadiusCode.AccessReject)));
      assert.deepEqual(relay.gathered, { up: 1, down: 1 }, 'each way, the eight records went in one datagram');
    } finally {
      await client.close();
      relay?.close();
      await server.close();
    }
  });

  it('the addon directly: one listener an engine (a second is EBUSY); the engine closed first stops it; none after close', async () => {
    const engine = await binding.radiusEngineOpen({ methods: [], port: 0, secret: Buffer.from(RADSEC_DTLS_SECRET),
      settings: { maxSendPacketSize: 1400, retransmitTimeoutMs: 1000, maxRetransmits: 3, connectionData: [] },
      idleTimeoutMs: 1000, replyCacheMs: 1000, maxConversations: 4, maxTlsConversations: 4, requireMessageAuthenticator: true,
      tlsTypes: [], records: false, onEvents: () => undefined });
    const listen = () => engine.dtlsListen({ host: '127.0.0.1', port: 0, cert: Buffer.from(pki.serverCert),
      key: Buffer.from(pki.serverKey), ca: Buffer.from(pki.ca), maxConnections: 4, maxConnectionsPerAddress: 4,
      handshakeTimeoutMs: 1000, idleTimeoutMs: 1000 });
    const listener = listen();
    assert.throws(listen, (error: NodeJS.ErrnoException) => error.code === 'EBUSY');
    // A ClientHello gets its HelloVerifyRequest while the engine is open; the engine closed,
    // its listener has stopped too: the port is free again, the counters still readable.
    const hello = await dtlsClientHello(pki);
    const socket = createSocket('udp4');
    const successor = createSocket('udp4');
    try {
      await new Promise<void>((bound) => socket.bind(0, '127.0.0.1', bound));
      const answered = new Promise<Buffer>((got) => socket.once('message', got));
      socket.send(hello, listener.port, '127.0.0.1');
      assert.equal((await answered)[13], 3, 'a HelloVerifyRequest');
      engine.close();
      await new Promise<void>((bound, failed) => {
        successor.once('error', failed);
        successor.bind(listener.port, '127.0.0.1', bound);
      });
      assert.equal(listener.stats().cookiesSent, 1);
      assert.throws(listen, /closed/);
      listener.close();
      listener.close();
    } finally {
      socket.close();
      successor.close();
    }
  });
});

/** A UDP relay on 127.0.0.1 to `target`, for one client. Once told to gather `records`, it holds
 *  what each side sends until that many DTLS records have come from it, then sends them on, back
 *  to back, in one datagram; `gathered` counts the datagrams so made. */
interface GatheringRelay {
  port: number;
  gathered: { up: number; down: number };
  gather(records: number): void;
  close(): void;
}

/** How many DTLS records a datagram holds (13-byte headers, the length in bytes 11-12). */
function dtlsRecords(datagram: Buffer): number {
  let count = 0;
  for (let at = 0; at + 13 <= datagram.length; at += 13 + datagram.readUInt16BE(at + 11)) count++;
  return count;
}

async function gatheringRelay(target: number): Promise<GatheringRelay> {
  const front = createSocket('udp4');
  const back = createSocket('udp4');
  let client: { address: string; port: number } | undefined;
  let wanted = 0;
  const held = { up: [] as Buffer[], down: [] as Buffer[] };
  const relay: GatheringRelay = {
    port: 0, gathered: { up: 0, down: 0 },
    gather: (records) => { wanted = records; },
    close: () => { front.close(); back.close(); },
  };
  const pass = (way: 'up' | 'down', datagram: Buffer, send: (bytes: Buffer) => void) => {
    if (wanted === 0) {
      send(datagram);
      return;
    }
    held[way].push(datagram);
    if (held[way].reduce((sum, one) => sum + dtlsRecords(one), 0) < wanted) return;
    relay.gathered[way]++;
    send(Buffer.concat(held[way].splice(0)));
  };
  front.on('message', (datagram, from) => {
    client = { address: from.address, port: from.port };
    pass('up', datagram, (bytes) => back.send(bytes, target, '127.0.0.1'));
  });
  back.on('message', (datagram) => pass('down', datagram, (bytes) => { if (client) front.send(bytes, client.port, client.address); }));
  await new Promise<void>((bound) => back.bind(0, '127.0.0.1', bound));
  await new Promise<void>((bound) => front.bind(0, '127.0.0.1', bound));
  relay.port = front.address().port;
  return relay;
}
