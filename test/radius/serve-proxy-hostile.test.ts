import { strict as assert } from 'node:assert';
import { createSocket, Socket } from 'node:dgram';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Authenticator, createAuthenticator } from '../../lib';
import { RadiusConversationRecord, RadiusServer } from '../../lib/radius';
import { startEaphostServe, ServeProcess } from '../support/eaphost-serve';
import { freeTcpPort, freeUdpPort, makeTempDir } from '../support/programs';
import { decodeRadiusPacket, OraclePacket, signAccessRequest, verifyResponse } from '../support/radius-oracle';
import { replyServer, unsignedReplyServer, UnsignedReplyServer } from '../support/unsigned-reply-server';

/**
 * The proxy (docs/proxy.md) against hostile peers: a realm routed back to the proxy itself, or
 * two proxies routing `*` to each other (a loop); home servers whose replies are unsigned, too
 * large once the NAS's Proxy-States go back on, past 4096 bytes, or under the wrong Identifier;
 * and one silent home server flooded while another realm's users go on being served. The NAS
 * here is a UDP socket speaking RFC 2865 through test/support/radius-oracle.ts, and it
 * retransmits every second as a NAS does, so a datagram the loaded machine drops is not a
 * request left unanswered.
 */
const NAS_SECRET = 'nas-side-secret';
const HOME_SECRET = 'home-side-secret';
const USER = { identity: 'alice@home.test', password: 'alice pa55' };
const USER_NAME = 1;
const REPLY_MESSAGE = 18;
const PROXY_STATE = 33;
const ACCESS_ACCEPT = 2;
const ACCESS_REJECT = 3;

/** A NAS on its own UDP socket: up to 256 Access-Requests out (its Identifiers), each reply verified. */
class Nas {
  private readonly socket: Socket = createSocket('udp4');
  private readonly out = new Map<number, { datagram: Buffer; authenticator: Buffer; resolve: (reply: OraclePacket) => void }>();
  private readonly resend = setInterval(() => {
    for (const { datagram } of this.out.values()) this.socket.send(datagram, this.port, '127.0.0.1');
  }, 1000);
  private next = 0;

  constructor(private readonly port: number) {
    this.socket.on('message', (datagram) => {
      const reply = decodeRadiusPacket(datagram);
      const asked = this.out.get(reply.identifier);
      if (asked === undefined || !verifyResponse(reply, asked.authenticator, Buffer.from(NAS_SECRET))) return;
      this.out.delete(reply.identifier);
      asked.resolve(reply);
    });
  }

  ask(identity: string, password: string, proxyStates: Buffer[] = []): Promise<OraclePacket> {
    const identifier = this.next++ % 256;
    assert.ok(!this.out.has(identifier), 'every Identifier of this NAS is out');
    const attributes = [{ type: USER_NAME, value: Buffer.from(identity) }, ...proxyStates.map((value) => ({ type: PROXY_STATE, value }))];
    const { datagram, requestAuthenticator } = signAccessRequest(identifier, attributes, Buffer.from(NAS_SECRET), 1, Buffer.from(password));
    return new Promise((resolve) => {
      this.out.set(identifier, { datagram, authenticator: requestAuthenticator, resolve });
      this.socket.send(datagram, this.port, '127.0.0.1');
    });
  }

  close(): void {
    clearInterval(this.resend);
    this.socket.close();
  }
}

function replyMessage(reply: OraclePacket): string {
  return reply.attributes.filter(({ type }) => type === REPLY_MESSAGE).map(({ value }) => value.toString('utf8')).join('');
}

/** One request from a NAS of its own: its verified reply. */
async function askOnce(port: number, identity: string, password = 'x', proxyStates: Buffer[] = []): Promise<OraclePacket> {
  const nas = new Nas(port);
  try {
    return await nas.ask(identity, password, proxyStates);
  } finally {
    nas.close();
  }
}

/** What each of `pending` came to within `ms` (undefined: not yet). */
async function settledWithin<T>(pending: Promise<T>[], ms: number): Promise<(T | undefined)[]> {
  const got: (T | undefined)[] = pending.map(() => undefined);
  let left = pending.length;
  pending.forEach((promise, i) => void promise.then((value) => {
    got[i] = value;
    left--;
  }));
  for (const until = Date.now() + ms; left > 0 && Date.now() < until;) await new Promise((resolve) => setTimeout(resolve, 100));
  return got;
}

describe('serve --proxy-realm: a loop is refused after at most two hops; an unsigned reply, as the flags say', function () {
  this.timeout(30_000);
  const dir = makeTempDir('serve-proxy-loop');
  const serves: ServeProcess[] = [];
  after(async () => {
    for (const serve of serves) assert.equal(await serve.stop(), 0, serve.output());
    dir.remove();
  });

  /** serve on `port`, every realm it names forwarded as `routes` say, one secret on every hop. */
  async function proxy(port: number, routes: string[], flags: string[] = []): Promise<ServeProcess> {
    const users = join(dir.path, 'users.json');
    writeFileSync(users, '{}', { mode: 0o600 });
    const secrets = join(dir.path, 'proxy-secrets');
    writeFileSync(secrets, `${NAS_SECRET}\n`, { mode: 0o600 });
    const serve = await startEaphostServe(port, ['--secret', NAS_SECRET, '--users', users, '--log', '--proxy-secret-file', secrets,
      ...routes.flatMap((route) => ['--proxy-realm', route]), ...flags]);
    serves.push(serve);
    return serve;
  }

  function verdicts(serve: ServeProcess, identity: string): number {
    return serve.output().split('\n').filter((line) => line.includes(`identity="${identity}"`)).length;
  }

  it('a realm routed to the serve itself: the NAS gets an Access-Reject naming the loop', async () => {
    const [port, metrics] = [await freeUdpPort(), await freeTcpPort()];
    const serve = await proxy(port, [`loop.test=udp://127.0.0.1:${port}`], ['--metrics', `127.0.0.1:${metrics}`]);
    const reply = await askOnce(port, 'ann@loop.test');
    assert.equal(reply.code, ACCESS_REJECT, serve.output());
    assert.match(replyMessage(reply), /^eaphost proxy: proxy loop: the request came back to this proxy \(its own Proxy-State\)/);
    // Two verdicts: the loop refused on the second hop, and that Reject passed back on the first.
    await serve.logged(/identity="ann@loop\.test" .*outcome=reject .*proxy loop/);
    await serve.logged(/identity="ann@loop\.test" .*outcome=reject /, 2);
    assert.equal(verdicts(serve, 'ann@loop.test'), 2, serve.output());
    const exposition = await (await fetch(`http://127.0.0.1:${metrics}/metrics`)).text();
    assert.match(exposition, /^eaphost_radius_proxy_total\{event="loop",transport="udp"\} 1$/m);
  });

  it('a realm with escapes and bidi controls, routed nowhere: the Reply-Message quotes its bytes, never carries them', async () => {
    const port = await freeUdpPort();
    await proxy(port, [`home.test=udp://127.0.0.1:${await freeUdpPort()}`]);
    // An OSC that would set a terminal's title, a CR/LF that would draw a fake log line, U+202E.
    const reply = await askOnce(port, 'eve@ev\u001b]0;owned\u0007\r\nil\u202e.test');
    assert.equal(reply.code, ACCESS_REJECT);
    const message = replyMessage(reply);
    assert.equal(message, 'eaphost proxy: no route: realm "ev\\x1b]0;owned\\x07\\x0d\\x0ail\\xe2\\x80\\xae.test" is not served here ' +
      'and no default (*) realm is set');
    assert.doesNotMatch(message, /[\u0000-\u001f\u007f\u202e]/u);
  });

  it('two serves routing * to each other: the first sees its own Proxy-State come back, and refuses it', async () => {
    const [a, b] = [await freeUdpPort(), await freeUdpPort()];
    const first = await proxy(a, [`*=udp://127.0.0.1:${b}`]);
    const second = await proxy(b, [`*=udp://127.0.0.1:${a}`]);
    const reply = await askOnce(a, 'bob@anywhere.test');
    assert.equal(reply.code, ACCESS_REJECT);
    assert.match(replyMessage(reply), /^eaphost proxy: proxy loop: .* on its way to udp:\/\/127\.0\.0\.1:/);
    await first.logged(/identity="bob@anywhere\.test" .*outcome=reject /, 2);
    await second.logged(/identity="bob@anywhere\.test" .*outcome=reject /);
    assert.equal(verdicts(first, 'bob@anywhere.test'), 2, first.output());
    assert.equal(verdicts(second, 'bob@anywhere.test'), 1, second.output());
  });

  it('--proxy-allow-unsigned-replies: a home server\'s Accept without Message-Authenticator is taken', async () => {
    const unsigned = await unsignedReplyServer(ACCESS_ACCEPT, NAS_SECRET);
    try {
      const port = await freeUdpPort();
      await proxy(port, [`lax.test=udp://127.0.0.1:${unsigned.port}`], ['--proxy-allow-unsigned-replies']);
      assert.equal((await askOnce(port, 'gus@lax.test')).code, ACCESS_ACCEPT);
    } finally {
      await unsigned.close();
    }
  });
});

describe('RadiusServer proxy: hostile home servers, and one flooded while another serves', function () {
  this.timeout(60_000);
  const stands: UnsignedReplyServer[] = [];
  const records: RadiusConversationRecord[] = [];
  const dir = makeTempDir('serve-proxy-hostile');
  let authenticator: Authenticator | undefined;
  let server: RadiusServer | undefined;
  let silent: Socket | undefined;
  let home: ServeProcess | undefined;
  let port = 0;

  /** A stand-in home server: `attributes` in an Access-Accept signed with the home secret, or as `reply` makes it. */
  async function standIn(reply: Parameters<typeof replyServer>[1]): Promise<number> {
    const stand = await replyServer(HOME_SECRET, reply);
    stands.push(stand);
    return stand.port;
  }
  const filler = (count: number) => Array.from({ length: count }, () => ({ type: REPLY_MESSAGE, value: Buffer.alloc(250, 0x61) }));

  before(async () => {
    silent = createSocket('udp4');
    silent.on('message', () => undefined);  // read, never answered
    await new Promise<void>((resolve) => silent!.bind(0, '127.0.0.1', () => resolve()));
    const users = join(dir.path, 'users.json');
    writeFileSync(users, JSON.stringify({ [USER.identity]: { password: USER.password } }), { mode: 0o600 });
    home = await startEaphostServe(0, ['--secret', HOME_SECRET, '--users', users, '--pap']);
    const unsigned = await unsignedReplyServer(ACCESS_ACCEPT, HOME_SECRET);
    stands.push(unsigned);
    const routes: [string, number, boolean?][] = [
      ['home.test', home.port], ['silent.test', silent.address().port],
      ['unsigned.test', unsigned.port], ['lax.test', unsigned.port, true],
      ['big.test', await standIn(() => ({ code: ACCESS_ACCEPT, attributes: filler(15), messageAuthenticator: 'right' }))],
      ['oversize.test', await standIn(() => ({ code: ACCESS_ACCEPT, attributes: filler(17), messageAuthenticator: 'right' }))],
      ['shifted.test', await standIn((request) => ({ code: ACCESS_ACCEPT, messageAuthenticator: 'right', identifier: (request[1] + 1) % 256 }))],
    ];
    authenticator = await createAuthenticator({ methods: ['md5'], users: {} });
    server = new RadiusServer({
      port: 0, secret: NAS_SECRET, authenticator, onConversationEnd: (record) => records.push(record),
      proxy: routes.map(([realm, at, allowUnsignedReplies]) => ({
        realm, home: { host: '127.0.0.1', port: at, secret: HOME_SECRET, ...(allowUnsignedReplies ? { allowUnsignedReplies } : {}) },
      })),
    });
    port = (await server.listen()).port;
  });
  after(async () => {
    await server?.close();
    await authenticator?.close();
    for (const stand of stands) await stand.close();
    silent?.close();
    if (home) assert.equal(await home.stop(), 0, home.output());
    dir.remove();
  });

  it('an Accept without Message-Authenticator: refused by default and counted; taken where the home allows it', async () => {
    const refused = await askOnce(port, 'dan@unsigned.test');
    assert.equal(refused.code, ACCESS_REJECT);
    assert.match(replyMessage(refused), /^eaphost proxy: home server udp:\/\/127\.0\.0\.1:\d+ replied without Message-Authenticator \(refused/);
    assert.equal(server!.stats.proxyRepliesUnsigned, 1);
    const taken = await askOnce(port, 'dan@lax.test');
    assert.equal(taken.code, ACCESS_ACCEPT);
    assert.equal(server!.stats.proxyRepliesUnsigned, 2);
  });

  it('a reply the NAS\'s Proxy-States push past 4096 bytes: a Reject that says reply-too-large, and a record that says so', async () => {
    const fits = await askOnce(port, 'eve@big.test');
    assert.equal(fits.code, ACCESS_ACCEPT);
    const states = [Buffer.alloc(200, 1), Buffer.alloc(200, 2)];
    const tooLarge = await askOnce(port, 'eve@big.test', 'x', states);
    assert.equal(tooLarge.code, ACCESS_REJECT);
    assert.match(replyMessage(tooLarge), /^eaphost proxy: reply-too-large: home server udp:\/\/127\.0\.0\.1:\d+'s reply would pass 4096 bytes/);
    assert.deepEqual(tooLarge.attributes.filter(({ type }) => type === PROXY_STATE).map(({ value }) => value), states);
    assert.equal(server!.stats.proxyRepliesTooLarge, 1);
    // The records reach JS a turn of the event loop after the replies went out.
    const eves = () => records.filter((record) => record.identity === 'eve@big.test');
    await settledWithin([new Promise<void>((resolve) => {
      const poll = setInterval(() => eves().length >= 2 && resolve(), 20);
      setTimeout(() => clearInterval(poll), 10_000);
    })], 10_000);
    assert.deepEqual(eves().map(({ outcome }) => outcome), ['accept', 'reject']);
    assert.match(eves()[1].reason ?? '', /eaphost proxy: reply-too-large: /);
  });

  it('replies past 4096 bytes, or under another Identifier, are named as what they are', async () => {
    const [oversize, shifted] = await Promise.all([askOnce(port, 'fay@oversize.test'), askOnce(port, 'fay@shifted.test')]);
    assert.equal(oversize.code, ACCESS_REJECT);
    assert.match(replyMessage(oversize), /replies that are not RADIUS packets \(malformed, or past 4096 bytes\)$/);
    assert.equal(shifted.code, ACCESS_REJECT);
    assert.match(replyMessage(shifted), /replies that answered no request out to it \(a wrong Identifier or source port\)$/);
  });

  it('a flood to a silent home server: each request answered (busy at once, or the timeout), another realm unharmed', async () => {
    const floods = Array.from({ length: 12 }, () => new Nas(port));
    const bystander = new Nas(port);
    try {
      const flood = floods.flatMap((nas, n) => Array.from({ length: 256 }, (_, i) => nas.ask(`flood-${n}-${i}@silent.test`, 'x')));
      const served = Array.from({ length: 32 }, () => bystander.ask(USER.identity, USER.password));
      // Bounded well past 4.5 s: each request is answered by its deadline, queued or sent.
      const replies = await settledWithin([...flood, ...served], 25_000);
      const floodReplies = replies.slice(0, flood.length);
      assert.equal(floodReplies.filter((reply) => reply === undefined).length, 0, 'flood requests left unanswered');
      assert.deepEqual(replies.slice(flood.length).map((reply) => reply?.code), served.map(() => ACCESS_ACCEPT));
      const messages = floodReplies.map((reply) => (reply?.code === ACCESS_REJECT ? replyMessage(reply) : `code ${reply?.code}`));
      const busy = messages.filter((message) => message.startsWith('eaphost proxy: home server busy: ')).length;
      const timedOut = messages.filter((message) => / did not answer within 4500 ms /.test(message)).length;
      assert.equal(busy + timedOut, flood.length, messages.find((message) => !/busy|did not answer/.test(message)));
      // Its window (256) and queue (1024) waited; the rest was refused at once.
      assert.ok(busy >= flood.length - 1280, `${busy} busy of ${flood.length}`);
      assert.equal(server!.stats.proxyBusy, busy);
    } finally {
      for (const nas of [...floods, bystander]) nas.close();
    }
  });
});
