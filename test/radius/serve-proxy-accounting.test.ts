import { strict as assert } from 'node:assert';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { runRadclient } from '../support/cli-run';
import { sampleOf } from '../support/exposition';
import { startEaphostServe, ServeProcess } from '../support/eaphost-serve';
import { FreeRadiusInstance, startFreeRadius } from '../support/freeradius';
import { InteropPki, SERVER_NAME, makeInteropPki, plainClientKeyFile } from '../support/interop-pki';
import { freeTcpPort, makeTempDir } from '../support/programs';
import { PostgresInstance, startPostgres } from '../support/postgres';

/**
 * Accounting proxied by realm (docs/proxy.md#accounting): radclient (the NAS) → serve (UDP, no
 * --accounting) → FreeRADIUS 3.2.1, whose accounting listener is on the port after its
 * authentication one, as a UDP home's is. FreeRADIUS's debug log shows each Accounting-Request as
 * it arrived, with its attributes; its Accounting-Response is what lets serve acknowledge to the
 * NAS. A home stopped (SIGSTOP) acknowledges nothing, so the NAS gets nothing, never a false ack.
 */
const NAS_SECRET = 'nas-side secret';
const HOME_SECRET = 'home-side-secret';

function accountingRequest(session: string, status: 'Start' | 'Stop' | 'Interim-Update', extra = ''): string {
  return `User-Name = "ada@home.test"\nAcct-Status-Type = ${status}\nAcct-Session-Id = "${session}"\n` +
    `NAS-IP-Address = 192.0.2.7\nCalling-Station-Id = "02-00-00-00-00-01"\n${extra}`;
}

/** The Accounting-Requests FreeRADIUS received, each its block of attribute lines, in order. */
function received(home: FreeRadiusInstance, from = 0): string[] {
  return home.log().slice(from).split(/^\(\d+\) Received Accounting-Request /m).slice(1)
    .map((block) => block.split(/^\(\d+\) (?!\s)/m)[0]);
}

/** FreeRADIUS as the home (its accounting on its port + 1, its debug log kept), and serve's route to it with its secret. */
async function startHome(dir: string): Promise<{ home: FreeRadiusInstance; route: string[] }> {
  const home = await startFreeRadius({ secret: HOME_SECRET, users: [], accounting: true, accountingNextPort: true, debug: true });
  const secrets = join(dir, 'proxy-secrets');
  writeFileSync(secrets, `${HOME_SECRET}\n`, { mode: 0o600 });
  return { home, route: ['--proxy-secret-file', secrets, '--proxy-realm', `*=udp://127.0.0.1:${home.port}`] };
}

/** serve with `args` and --metrics: the process and its /metrics URL. */
async function serveWithMetrics(args: string[]): Promise<{ serve: ServeProcess; metricsUrl: string }> {
  const serve = await startEaphostServe(0, [...args, '--metrics', `127.0.0.1:${await freeTcpPort()}`]);
  return { serve, metricsUrl: /metrics on (http:\/\/\S+)/.exec(await serve.logged(/metrics on http:\/\/127\.0\.0\.1:\d+\/metrics/))![1] };
}

describe('serve --proxy-realm: Accounting-Requests forwarded to the realm\'s home, acknowledged once the home did', function () {
  this.timeout(60_000);
  const dir = makeTempDir('serve-proxy-accounting');
  let home: FreeRadiusInstance | undefined;
  let serve: ServeProcess | undefined;
  let metricsUrl = '';

  before(async () => {
    const started = await startHome(dir.path);
    home = started.home;
    ({ serve, metricsUrl } = await serveWithMetrics(['--secret', NAS_SECRET, ...started.route]));
  });
  after(async () => {
    if (serve) assert.equal(await serve.stop(), 0, serve.output());
    await home?.stop();
    dir.remove();
  });

  async function metric(event: string): Promise<number> {
    const exposition = await (await fetch(metricsUrl)).text();
    const found = new RegExp(`^eaphost_radius_proxy_total\\{event="${event}",transport="udp"\\} (\\d+)$`, 'm').exec(exposition);
    return found ? Number(found[1]) : 0;
  }

  it('a Start: the home receives it with the NAS\'s attributes and Proxy-State, and radclient gets the Accounting-Response', async () => {
    const from = home!.log().length;
    const start = await runRadclient(serve!.port, NAS_SECRET, 'acct', accountingRequest('s-1', 'Start', 'Proxy-State = 0x6e6173\n'), 10);
    assert.match(start.output, /Received Accounting-Response/, `${start.output}\n${serve!.output()}\n${home!.log().slice(from)}\n${await (await fetch(metricsUrl)).text()}`);
    // The NAS's Proxy-State comes back as it sent it, serve's own is not in the reply.
    assert.match(start.output, /Proxy-State = 0x6e6173\n/);
    await home!.logUntil(from, /Sent Accounting-Response/);
    const [request, more] = received(home!, from);
    assert.equal(more, undefined, home!.log().slice(from));
    assert.match(request, /User-Name = "ada@home\.test"/);
    assert.match(request, /Acct-Status-Type = Start/);
    assert.match(request, /Acct-Session-Id = "s-1"/);
    assert.match(request, /Calling-Station-Id = "02-00-00-00-00-01"/);
    // The NAS's Proxy-State first, then serve's own (RFC 2865 §5.33): two of them.
    assert.match(request, /Proxy-State = 0x6e6173\n[\s\S]*Proxy-State = 0x65617068/);
    // FreeRADIUS checked the Request Authenticator with the home's secret, or it would have dropped it.
    assert.equal(await metric('accounting-forwarded'), 1);
    assert.equal(await metric('accounting-acknowledged'), 1);
    // Its home, alone in its realm, counted too: one Accounting-Request sent, one Accounting-Response.
    const exposition = await (await fetch(metricsUrl)).text();
    assert.equal(sampleOf(exposition, 'eaphost_radius_proxy_home_requests_total', { kind: 'accounting' }), 1, exposition);
    assert.equal(sampleOf(exposition, 'eaphost_radius_proxy_home_responses_total', { code: 'Accounting-Response' }), 1, exposition);
    assert.equal(sampleOf(exposition, 'eaphost_radius_proxy_home_latency_seconds_count'), 1, exposition);
  });

  it('a home stopped (SIGSTOP): no Accounting-Response for the NAS; continued (SIGCONT), the NAS\'s next try is acknowledged', async () => {
    process.kill(home!.pid, 'SIGSTOP');
    let stopped = true;
    try {
      const lost = await runRadclient(serve!.port, NAS_SECRET, 'acct', accountingRequest('s-1', 'Stop', 'Acct-Session-Time = 60\n'), 6);
      assert.doesNotMatch(lost.output, /Received Accounting-Response/, lost.output);
      assert.match(lost.output, /No reply from server/, lost.output);
      assert.equal(await metric('accounting-unanswered'), 1);
      const from = home!.log().length;
      process.kill(home!.pid, 'SIGCONT');
      stopped = false;
      const acked = await runRadclient(serve!.port, NAS_SECRET, 'acct', accountingRequest('s-1', 'Stop', 'Acct-Session-Time = 60\n'), 10);
      assert.match(acked.output, /Received Accounting-Response/, `${acked.output}\n${serve!.output()}`);
      await home!.logUntil(from, /Acct-Session-Time = 60/);
      assert.ok(received(home!, from).every((request) => /Acct-Status-Type = Stop/.test(request)));
      assert.equal(await metric('accounting-acknowledged'), 2);
    } finally {
      if (stopped) process.kill(home!.pid, 'SIGCONT');
    }
  });

  it('an Accounting-Request with a wrong Request Authenticator (another secret) is dropped, never forwarded', async () => {
    const forwarded = await metric('accounting-forwarded');
    const wrong = await runRadclient(serve!.port, 'not the secret', 'acct', accountingRequest('s-2', 'Start'), 2);
    assert.doesNotMatch(wrong.output, /Received Accounting-Response/);
    assert.equal(await metric('accounting-forwarded'), forwarded);
  });
});

/**
 * The spool (docs/proxy.md#the-accounting-spool): with --accounting, a routed realm's request is
 * recorded, spooled in the same store and acknowledged to the NAS at once; the spool goes to the
 * home one request at a time, in order, each deleted once the home acknowledged it. A home
 * stopped (SIGSTOP) holds the spool back; continued (SIGCONT), it gets every request in the order
 * the NAS sent them, even across a restart of serve (the spool is in the store). FreeRADIUS's
 * debug log is the proof of what arrived and in which order.
 */
for (const store of ['sqlite', 'postgres'] as const) {
  describe(`serve --accounting (${store}) --proxy-realm: the accounting spool, replayed in order when the home is back`, function () {
    this.timeout(120_000);
    const dir = makeTempDir(`serve-proxy-spool-${store}`);
    let home: FreeRadiusInstance | undefined;
    let postgres: PostgresInstance | undefined;
    let serve: ServeProcess | undefined;
    let args: string[] = [];
    let metricsUrl = '';

    const startServe = async (): Promise<void> => {
      ({ serve, metricsUrl } = await serveWithMetrics(args));
    };

    before(async () => {
      const started = await startHome(dir.path);
      home = started.home;
      if (store === 'postgres') postgres = await startPostgres();
      const target = postgres ? postgres.url : join(dir.path, 'accounting.db');
      args = ['--secret', NAS_SECRET, '--accounting', target, ...started.route];
      await startServe();
    });
    after(async () => {
      if (serve) assert.equal(await serve.stop(), 0, serve.output());
      await home?.stop();
      await postgres?.stop();
      dir.remove();
    });

    async function spoolMetric(series: string): Promise<number> {
      const exposition = await (await fetch(metricsUrl)).text();
      const found = new RegExp(`^eaphost_radius_proxy_spool_${series} (\\d+)$`, 'm').exec(exposition);
      return found ? Number(found[1]) : -1;
    }

    /** Until the spool holds `depth` requests (the gauge follows each write and each acknowledgement). */
    async function depthReaches(depth: number): Promise<void> {
      while (await spoolMetric('depth') !== depth) await new Promise((resolve) => setTimeout(resolve, 100));
    }

    /** Three requests of one session, each acknowledged to the NAS while the home is stopped; `retry`: the Start sent
     *  twice, the second time as a NAS's retry (an Acct-Delay-Time of its own, RFC 5080 §2.2.1). */
    async function sendSession(session: string, retry = false): Promise<void> {
      const requests: ['Start' | 'Stop' | 'Interim-Update', string][] = [['Start', ''], ...(retry ? [['Start', 'Acct-Delay-Time = 2\n']] as ['Start', string][] : []),
        ['Interim-Update', 'Acct-Session-Time = 30\n'], ['Stop', 'Acct-Session-Time = 60\n']];
      for (const [status, extra] of requests) {
        const sent = await runRadclient(serve!.port, NAS_SECRET, 'acct', accountingRequest(session, status, extra), 3);
        assert.match(sent.output, /Received Accounting-Response/, `${sent.output}\n${serve!.output()}`);
      }
    }

    /** The statuses of `session`'s requests the home received since `from`, a request sent again (a retry) once. */
    async function arrived(from: number, session: string): Promise<string[]> {
      await home!.logUntil(from, new RegExp(`Acct-Session-Id = "${session}"[\\s\\S]*Acct-Status-Type = Stop|Acct-Status-Type = Stop[\\s\\S]*Acct-Session-Id = "${session}"`));
      const statuses = received(home!, from).filter((request) => request.includes(`Acct-Session-Id = "${session}"`))
        .map((request) => /Acct-Status-Type = (\S+)/.exec(request)![1]);
      return statuses.filter((status, i) => status !== statuses[i - 1]);
    }

    it('a home stopped past its 4.5 s: the NAS is answered at once, the spool kept (a NAS\'s retry spooled and counted once); ' +
      'continued, Start, Interim-Update and Stop arrive in order', async () => {
      const from = home!.log().length;
      process.kill(home!.pid, 'SIGSTOP');
      let stopped = true;
      try {
        await sendSession('spool-1', true);
        await depthReaches(3);
        // The Start's first forward goes unanswered (4.5 s): kept, and sent again later.
        const unanswered = /^eaphost_radius_proxy_total\{event="accounting-unanswered",transport="udp"\} [1-9]/m;
        while (!unanswered.test(await (await fetch(metricsUrl)).text())) await new Promise((resolve) => setTimeout(resolve, 200));
        assert.equal(await spoolMetric('depth'), 3);
        process.kill(home!.pid, 'SIGCONT');
        stopped = false;
        assert.deepEqual(await arrived(from, 'spool-1'), ['Start', 'Interim-Update', 'Stop'], home!.log().slice(from));
        // The Start waited in the spool past the 4.5 s: its Acct-Delay-Time says so (RFC 2866 §5.2).
        const start = received(home!, from).filter((request) => /Acct-Status-Type = Start/.test(request)).at(-1)!;
        assert.ok(Number(/Acct-Delay-Time = (\d+)/.exec(start)?.[1]) >= 4, start);
        await depthReaches(0);
        const exposition = await (await fetch(metricsUrl)).text();
        assert.match(exposition, /^eaphost_radius_proxy_spool_total\{event="spooled"\} 3$/m);
        assert.match(exposition, /^eaphost_radius_proxy_spool_total\{event="replayed"\} 3$/m);
      } finally {
        if (stopped) process.kill(home!.pid, 'SIGCONT');
      }
    });

    it('serve restarted while the home is stopped: the spool is in the store, and every request still arrives, in order', async () => {
      const from = home!.log().length;
      process.kill(home!.pid, 'SIGSTOP');
      let stopped = true;
      try {
        await sendSession('spool-2');
        assert.equal(await serve!.stop(), 0, serve!.output());
        serve = undefined;
        await startServe();
        process.kill(home!.pid, 'SIGCONT');
        stopped = false;
        assert.deepEqual(await arrived(from, 'spool-2'), ['Start', 'Interim-Update', 'Stop'], home!.log().slice(from));
        await depthReaches(0);
        assert.match(await (await fetch(metricsUrl)).text(), /^eaphost_radius_proxy_spool_total\{event="replayed"\} 3$/m);
      } finally {
        if (stopped) process.kill(home!.pid, 'SIGCONT');
      }
    });
  });
}

/**
 * The spool over RadSec, its order per home (docs/proxy.md#the-accounting-spool): radclient →
 * serve (`--accounting` on SQLite) → two `eaphost serve` RadSec (TLS) listeners, A and B, each
 * recording what it acknowledged in a store of its own and a --log line per request, in the order
 * it took them. `one.test` goes to A alone, `pool.test` to the pool A,B (failover). A is stopped
 * (SIGSTOP), then continued.
 */
describe('serve --accounting --proxy-realm radsec://: the spool over RadSec, in order per home server', function () {
  this.timeout(120_000);
  const dir = makeTempDir('serve-proxy-spool-radsec');
  let pki: InteropPki;
  let a: ServeProcess | undefined;
  let b: ServeProcess | undefined;
  let serve: ServeProcess | undefined;
  let metricsUrl = '';

  const home = (name: string, users: string) => startEaphostServe(0, ['--users', users, '--accounting', join(dir.path, `${name}.db`),
    '--radsec', '--radsec-cert', pki.files.serverCert, '--radsec-key', pki.files.serverKey, '--radsec-ca', pki.files.ca, '--log']);
  const url = (at: ServeProcess) => `radsec://127.0.0.1:${at.port}`;

  before(async () => {
    pki = await makeInteropPki();
    const users = join(dir.path, 'users.json');
    writeFileSync(users, '{}', { mode: 0o600 });
    a = await home('a', users);
    b = await home('b', users);
    ({ serve, metricsUrl } = await serveWithMetrics(['--secret', NAS_SECRET, '--users', users, '--accounting', join(dir.path, 'proxy.db'),
      '--proxy-realm', `one.test=${url(a)}`, '--proxy-realm', `pool.test=${url(a)},${url(b)}`,
      '--proxy-radsec-cert', pki.files.clientCert, '--proxy-radsec-key', plainClientKeyFile(pki, dir.path), '--proxy-radsec-ca', pki.files.ca,
      '--proxy-radsec-server-name', SERVER_NAME]));
  });
  after(async () => {
    for (const started of [serve, a, b]) if (started) assert.equal(await started.stop(), 0, started.output());
    dir.remove();
  });

  /** One request of `user`'s session, acknowledged to the NAS at once (it is spooled). */
  async function send(user: string, session: string, status: 'Start' | 'Stop' | 'Interim-Update'): Promise<void> {
    const sent = await runRadclient(serve!.port, NAS_SECRET, 'acct',
      accountingRequest(session, status).replace('ada@home.test', user), 3);
    assert.match(sent.output, /Received Accounting-Response/, `${sent.output}\n${serve!.output()}`);
  }

  /** The statuses a home took (its --log lines) for `session`, in order, a request sent again once: a stopped home's
   *  socket kept what was sent before it stopped, and the spool sent it again meanwhile (its store records it once). */
  function recorded(at: ServeProcess, session: string): string[] {
    const statuses = [...at.output().matchAll(new RegExp(`accounting client=\\S+ status=(\\S+) session="${session}" .* recorded$`, 'gm'))]
      .map((line) => line[1]);
    return statuses.filter((status, i) => status !== statuses[i - 1]);
  }

  async function scrape(): Promise<string> {
    return (await fetch(metricsUrl)).text();
  }

  async function until(check: () => Promise<boolean> | boolean, what: string): Promise<void> {
    const deadline = Date.now() + 50_000;
    while (!await check()) {
      assert.ok(Date.now() < deadline, `${what}\n${serve!.output()}\n${await scrape()}`);
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
  }

  /** Runs `body` with `at` stopped (SIGSTOP), continuing it whatever happens. */
  async function stopped(at: ServeProcess, body: (resume: () => void) => Promise<void>): Promise<void> {
    process.kill(at.pid, 'SIGSTOP');
    let resumed = false;
    const resume = (): void => {
      resumed = true;
      process.kill(at.pid, 'SIGCONT');
    };
    try {
      await body(resume);
    } finally {
      if (!resumed) process.kill(at.pid, 'SIGCONT');
    }
  }

  it('a RadSec home stopped: Start, Interim-Update and Stop spooled; continued, it records all three in order, none lost', async () => {
    await send('ada@one.test', 'tls-0', 'Start');
    await a!.logged(/session="tls-0" .* recorded$/m);
    await until(async () => /^eaphost_radius_proxy_spool_depth 0$/m.test(await scrape()), 'the spool empties');
    await stopped(a!, async (resume) => {
      for (const status of ['Start', 'Interim-Update', 'Stop'] as const) await send('ada@one.test', 'tls-1', status);
      // The Start's first forward goes unanswered (4.5 s): all three kept.
      await until(async () => /^eaphost_radius_proxy_total\{event="accounting-unanswered",transport="udp"\} [1-9]/m.test(await scrape()),
        'the Start goes unanswered');
      assert.match(await scrape(), /^eaphost_radius_proxy_spool_depth 3$/m);
      resume();
      await a!.logged(/status=Stop session="tls-1" .* recorded$/m, 1, 50_000);
    });
    assert.deepEqual(recorded(a!, 'tls-1'), ['Start', 'Interim-Update', 'Stop'], a!.output());
    await until(async () => /^eaphost_radius_proxy_spool_depth 0$/m.test(await scrape()), 'the spool empties');
    assert.deepEqual(recorded(b!, 'tls-1'), []);
  });

  it('a pool\'s first home stopped: what was spooled for it waits for it, while the second home gets its own at once, in order', async () => {
    await stopped(a!, async (resume) => {
      // Spooled for A (alive still), and out to it, unanswered: A is judged zombie after 2 s.
      await send('bob@pool.test', 'to-a', 'Start');
      await until(async () => (await scrape()).includes(`eaphost_radius_proxy_home_state{home="${url(a!)}",state="alive"} 0\n`), 'A is judged');
      // Spooled now for B, the home the pool picks: delivered while A's two still wait.
      for (const status of ['Start', 'Interim-Update', 'Stop'] as const) await send('cy@pool.test', 'to-b', status);
      await b!.logged(/status=Stop session="to-b" .* recorded$/m, 1, 30_000);
      assert.deepEqual(recorded(b!, 'to-b'), ['Start', 'Interim-Update', 'Stop'], b!.output());
      await until(async () => /^eaphost_radius_proxy_spool_depth 1$/m.test(await scrape()), 'B\'s three acknowledged, A\'s one kept');
      resume();
      await a!.logged(/session="to-a" .* recorded$/m, 1, 50_000);
    });
    assert.deepEqual(recorded(a!, 'to-a'), ['Start'], a!.output());
    // Never sent to B: its order is A's.
    assert.deepEqual(recorded(b!, 'to-a'), [], b!.output());
    await until(async () => /^eaphost_radius_proxy_spool_depth 0$/m.test(await scrape()), 'the spool empties');
  });
});
