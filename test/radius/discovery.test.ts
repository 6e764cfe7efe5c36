/**
 * Dynamic discovery (RFC 7585) against a real DNS server, dnsmasq on loopback, that holds NAPTR,
 * SRV and address records made for each case: the order of what it finds (NAPTR order and
 * preference, SRV priority), each way of finding nothing as its own reason, the bound on time, and
 * the cache (answers and failures kept, lookups of one realm made once, at most N realms), proved
 * by counting the queries dnsmasq received or by stopping it (SIGSTOP) and being answered anyway.
 */
import { strict as assert } from 'node:assert';
import { Registry } from 'prom-client';
import { RadiusDiscovery, RadiusDiscoveryError, RadiusDiscoveryReason } from '../../lib/radius/discovery';
import { weightedOrder, DiscoveredTarget } from '../../lib/radius/discovery/lookup';
import { registerDiscoveryMetrics } from '../../lib/metrics/registry';
import { main } from '../../lib/cli/main';
import { cliOutputSchema, validate } from '../support/cli-output-schema';
import { Dnsmasq, startDnsmasq } from '../support/dnsmasq';

const TLS = 'aaa+auth:radius.tls.tcp';
const EDUROAM = 'x-eduroam:radius.tls';
const DTLS = 'aaa+auth:radius.dtls.udp';

/** The zone: --naptr-record=NAME,ORDER,PREFERENCE,FLAGS,SERVICE,REGEXP,REPLACEMENT; --srv-host=NAME,TARGET,PORT,PRIORITY,WEIGHT. */
const RECORDS = [
  // order.test: a SIP record of a lower order (not ours, ignored); two of ours at order 10 (preference 10 first);
  // one of ours at order 20, never reached (RFC 3403: a lower order that matched ends the search).
  '--naptr-record=order.test,1,1,s,SIP+D2U,,_sip._udp.order.test',
  `--naptr-record=order.test,10,20,s,${TLS},,_radsec._tcp.b.order.test`,
  `--naptr-record=order.test,10,10,S,${EDUROAM},,_radsec._tcp.a.order.test`,
  `--naptr-record=order.test,20,1,s,${TLS},,_radsec._tcp.c.order.test`,
  // order2.test: the same two of order 10, given the other way round (whatever order the server keeps them in).
  `--naptr-record=order2.test,10,10,s,${EDUROAM},,_radsec._tcp.a.order.test`,
  `--naptr-record=order2.test,10,20,s,${TLS},,_radsec._tcp.b.order.test`,
  '--srv-host=_radsec._tcp.a.order.test,a2.order.test,2084,20,0',
  '--srv-host=_radsec._tcp.a.order.test,a1.order.test,2083,10,0',
  '--srv-host=_radsec._tcp.b.order.test,b1.order.test,2083,0,0',
  '--srv-host=_radsec._tcp.c.order.test,c1.order.test,2083,0,0',
  '--host-record=a1.order.test,127.0.0.11,::1',
  '--host-record=a2.order.test,127.0.0.12',
  '--host-record=b1.order.test,127.0.0.13',
  '--host-record=c1.order.test,127.0.0.14',
  // tie.test and tie2.test: RADIUS/DTLS and RADIUS/TLS at one order and preference, given both ways round.
  `--naptr-record=tie.test,10,10,s,${DTLS},,_radiusdtls._udp.dtls.test`,
  `--naptr-record=tie.test,10,10,s,${TLS},,_radsec._tcp.b.order.test`,
  `--naptr-record=tie2.test,10,10,s,${TLS},,_radsec._tcp.b.order.test`,
  `--naptr-record=tie2.test,10,10,s,${DTLS},,_radiusdtls._udp.dtls.test`,
  // dtls.test: RADIUS/DTLS only.
  `--naptr-record=dtls.test,10,10,s,${DTLS},,_radiusdtls._udp.dtls.test`,
  '--srv-host=_radiusdtls._udp.dtls.test,d1.dtls.test,2083,0,0',
  '--host-record=d1.dtls.test,127.0.0.21',
  // Each way of finding nothing.
  '--host-record=nonaptr.test,127.0.0.31',
  '--naptr-record=sip.test,10,10,s,SIP+D2U,,_sip._udp.sip.test',
  `--naptr-record=sip.test,10,20,a,${TLS},,rs.sip.test`,
  `--naptr-record=nosrv.test,10,10,s,${TLS},,_radsec._tcp.nosrv.test`,
  `--naptr-record=noaddr.test,10,10,s,${TLS},,_radsec._tcp.noaddr.test`,
  '--srv-host=_radsec._tcp.noaddr.test,ghost.noaddr.test,2083,0,0',
  // mixed.test: one target's addresses refused (outside dnsmasq's zone), the other's found; refused.test: only the refused one.
  `--naptr-record=mixed.test,10,10,s,${TLS},,_radsec._tcp.mixed.test`,
  '--srv-host=_radsec._tcp.mixed.test,rs.elsewhere.example,2083,0,0',
  '--srv-host=_radsec._tcp.mixed.test,good.mixed.test,2083,10,0',
  '--host-record=good.mixed.test,127.0.0.51',
  `--naptr-record=refused.test,10,10,s,${TLS},,_radsec._tcp.refused.test`,
  '--srv-host=_radsec._tcp.refused.test,rs.elsewhere.example,2083,0,0',
  // ttl0.test: addresses with a TTL of 0, which no cache may keep.
  `--naptr-record=ttl0.test,10,10,s,${TLS},,_radsec._tcp.ttl0.test`,
  '--srv-host=_radsec._tcp.ttl0.test,rs.ttl0.test,2083,0,0',
  '--host-record=rs.ttl0.test,127.0.0.41,0',
];

/** The discovery's failure, asserting it is a RadiusDiscoveryError. */
async function failureOf(promise: Promise<unknown>): Promise<RadiusDiscoveryError> {
  const error = await promise.then(() => assert.fail('discovery found home servers'), (failure: unknown) => failure);
  assert.ok(error instanceof RadiusDiscoveryError, `a RadiusDiscoveryError, not ${String(error)}`);
  assert.equal(error.code, 'ERR_RADIUS_DISCOVERY');
  assert.ok(error.message.includes(error.reason), error.message);
  return error;
}

const reasonOf = async (promise: Promise<unknown>): Promise<RadiusDiscoveryReason> => (await failureOf(promise)).reason;

describe('dynamic discovery (RFC 7585) against dnsmasq', function () {
  this.timeout(60_000);
  let dns: Dnsmasq;
  const discovery = (options: ConstructorParameters<typeof RadiusDiscovery>[0] = {}) =>
    new RadiusDiscovery({ dnsServers: [dns.server], ...options });

  before(async () => {
    dns = await startDnsmasq(RECORDS);
  });
  afterEach(() => dns.resume());
  after(async () => {
    await dns?.stop();
  });

  it('orders by NAPTR order then preference, then SRV priority, and stops at the first order that matched', async () => {
    const found = await discovery().discover('ORDER.test');
    assert.equal(found.realm, 'order.test');
    assert.equal(found.cached, false);
    const expected = [
      ['a1.order.test', '127.0.0.11', 2083, 'tls', EDUROAM],
      ['a1.order.test', '::1', 2083, 'tls', EDUROAM],
      ['a2.order.test', '127.0.0.12', 2084, 'tls', EDUROAM],
      ['b1.order.test', '127.0.0.13', 2083, 'tls', TLS],
    ];
    assert.deepEqual(found.candidates.map((c) => [c.host, c.address, c.port, c.transport, c.service]), expected);
    const reversed = await discovery().discover('order2.test');
    assert.deepEqual(reversed.candidates.map((c) => [c.host, c.address, c.port, c.transport, c.service]), expected);
    assert.deepEqual(found.candidates.map((c) => c.family), [4, 6, 4, 4]);
    assert.deepEqual(found.candidates[0].certificateNames, { naiRealm: 'order.test', dnsName: 'a1.order.test' });
    assert.deepEqual(found.candidates[0], { ...found.candidates[0], srvName: '_radsec._tcp.a.order.test', order: 10, preference: 10,
      priority: 10, weight: 0 });
    // dnsmasq's --local-ttl (3600 s) is above the 300 s an answer is kept at most.
    assert.ok(found.expiresInMs > 250_000 && found.expiresInMs <= 300_000, String(found.expiresInMs));
  });

  it('finds RADIUS/DTLS services, and only the transports asked for', async () => {
    const found = await discovery().discover('dtls.test');
    assert.deepEqual(found.candidates.map((c) => [c.host, c.address, c.transport]), [['d1.dtls.test', '127.0.0.21', 'dtls']]);
    assert.equal(await reasonOf(discovery({ transports: ['tls'] }).discover('dtls.test')), 'no-service');
  });

  it('RADIUS/TLS and RADIUS/DTLS at one NAPTR order and preference: TLS first, whatever order the DNS gives them in', async () => {
    for (const realm of ['tie.test', 'tie2.test']) {
      const found = await discovery().discover(realm);
      assert.deepEqual(found.candidates.map((c) => [c.host, c.transport]), [['b1.order.test', 'tls'], ['d1.dtls.test', 'dtls']], realm);
    }
  });

  it('tells each way of finding nothing apart', async () => {
    const d = discovery();
    assert.equal(await reasonOf(d.discover('nx.test')), 'nxdomain');
    assert.equal(await reasonOf(d.discover('nonaptr.test')), 'no-naptr');
    assert.equal(await reasonOf(d.discover('sip.test')), 'no-service');
    assert.equal(await reasonOf(d.discover('nosrv.test')), 'no-srv');
    assert.equal(await reasonOf(d.discover('noaddr.test')), 'no-address');
    // Outside its zone, with no upstream, dnsmasq answers REFUSED.
    assert.equal(await reasonOf(d.discover('example.org')), 'dns-error');
    // A target whose address queries fail is passed over; with no other target, its failure is the reason.
    assert.deepEqual((await d.discover('mixed.test')).candidates.map((c) => c.address), ['127.0.0.51']);
    const refused = await failureOf(d.discover('refused.test'));
    assert.equal(refused.reason, 'dns-error');
    assert.match(refused.message, /the DNS failed (A|AAAA) rs\.elsewhere\.example \(EREFUSED\)$/);
    const error = await failureOf(d.discover('nosrv.test'));
    assert.match(error.message, /^no home server found for realm "nosrv\.test": no-srv: no usable SRV record at _radsec\._tcp\.nosrv\.test$/);
    assert.deepEqual(d.stats().failures, { nxdomain: 1, 'no-naptr': 1, 'no-service': 1, 'no-srv': 2, 'no-address': 1, 'dns-error': 2 });
  });

  it('keeps an answer: asked again with dnsmasq stopped, the same home servers come back without a query', async () => {
    const d = discovery();
    const first = await d.discover('order.test');
    const naptr = await dns.queries('NAPTR', 'order.test');
    dns.pause();
    const again = await d.discover('order.test');
    dns.resume();
    assert.equal(again.cached, true);
    assert.deepEqual(again.candidates, first.candidates);
    assert.equal(await dns.queries('NAPTR', 'order.test'), naptr, 'no second NAPTR query');
    assert.deepEqual({ ...d.stats(), failures: undefined }, { hits: 1, misses: 1, coalesced: 0, failures: undefined, entries: 1, lookups: 0 });
  });

  it('keeps an answer no longer than its addresses\' TTL: a TTL of 0 is asked again', async () => {
    const d = discovery();
    assert.equal((await d.discover('ttl0.test')).expiresInMs, 0);
    const before = await dns.queries('NAPTR', 'ttl0.test');
    assert.equal((await d.discover('ttl0.test')).cached, false);
    assert.equal(await dns.queries('NAPTR', 'ttl0.test'), before + 1);
  });

  it('keeps a failure for the negative TTL, then asks again', async () => {
    const d = discovery({ negativeTtlMs: 1000 });
    const before = await dns.queries('NAPTR', 'nx.test');
    assert.equal(await reasonOf(d.discover('nx.test')), 'nxdomain');
    // At once, well within the negative TTL: nothing stands between the two discoveries.
    dns.pause();
    assert.equal(await reasonOf(d.discover('nx.test')), 'nxdomain', 'from the cache: a query would time out');
    dns.resume();
    assert.equal(await dns.queries('NAPTR', 'nx.test'), before + 1);
    await new Promise((resolve) => setTimeout(resolve, 1100));
    assert.equal(await reasonOf(d.discover('nx.test')), 'nxdomain');
    assert.equal(await dns.queries('NAPTR', 'nx.test'), before + 2, 'asked again once the negative TTL was over');
    assert.equal(d.stats().hits, 1);
  });

  it('makes one lookup for the requests of one realm that arrive while it is under way', async () => {
    const d = discovery();
    const before = await dns.queries('NAPTR', 'order.test');
    const answers = await Promise.all(Array.from({ length: 10 }, () => d.discover('order.test')));
    assert.equal(await dns.queries('NAPTR', 'order.test'), before + 1);
    assert.equal(new Set(answers.map((answer) => answer.candidates.length)).size, 1);
    assert.deepEqual([d.stats().misses, d.stats().coalesced], [1, 9]);
  });

  it('fails with timeout within its bound when the DNS server is silent, and refuses a lookup past maxLookups', async () => {
    const d = discovery({ timeoutMs: 500, maxLookups: 1 });
    dns.pause();
    const started = Date.now();
    const silent = reasonOf(d.discover('dtls.test'));
    assert.equal(await reasonOf(d.discover('order.test')), 'busy', 'one lookup is under way: a second realm is refused at once');
    assert.equal(await silent, 'timeout');
    // A limit that catches a hang, never a slow machine: the bound is 500 ms.
    assert.ok(Date.now() - started < 10_000, `settled after ${Date.now() - started} ms`);
    assert.equal(d.stats().lookups, 0);
  });

  it('holds at most maxEntries realms, dropping the least recently asked', async () => {
    const d = discovery({ maxEntries: 2 });
    await d.discover('order.test');
    await d.discover('dtls.test');
    await d.discover('order.test');
    await reasonOf(d.discover('nx.test'));
    assert.equal(d.stats().entries, 2);
    assert.equal((await d.discover('order.test')).cached, true, 'asked most recently but one: kept');
    assert.equal((await d.discover('dtls.test')).cached, false, 'least recently asked: dropped');
  });

  it('refuses a realm that is no DNS name before any query, and looks an internationalized one up in A-labels', async () => {
    const d = discovery();
    const before = await dns.queries('NAPTR');
    for (const realm of ['', 'user@order.test', 'single', 'a..test', '-a.test', 'a-.test', `${'x'.repeat(64)}.test`, 'a.b\u0000.test',
      '127.0.0.1', 'exa mple.test', 'a.b/c.test', '_sip.test', `${'a.'.repeat(127)}test`, 'order.test..']) {
      assert.equal(await reasonOf(d.discover(realm)), 'invalid-realm', JSON.stringify(realm));
    }
    assert.equal(await dns.queries('NAPTR'), before, 'no NAPTR query of any name');
    const error = await failureOf(d.discover('bücher.test'));
    assert.deepEqual([error.reason, error.realm], ['nxdomain', 'xn--bcher-kva.test']);
    await assert.rejects(d.discover(42 as unknown as string), TypeError);
    // A Reply-Message holds at most 253 octets (RFC 2865 §5.18): the longest messages are cut between characters.
    const long = await failureOf(d.discover(`${'l'.repeat(60)}.${'o'.repeat(60)}.${'n'.repeat(60)}.${'g'.repeat(60)}.test`));
    assert.equal(long.reason, 'nxdomain');
    assert.ok(long.message.length > 253);
    assert.equal(Buffer.byteLength(long.replyMessage()), 253);
    assert.ok(long.replyMessage().startsWith('eaphost proxy: no home server found for realm "llll'));
    const wide = await failureOf(d.discover(`${'é'.repeat(63)}@`));
    assert.equal(wide.reason, 'invalid-realm');
    const cut = wide.replyMessage(`${'x'.repeat(150)}: `);
    assert.ok(Buffer.byteLength(cut) <= 253 && Buffer.byteLength(cut) >= 252 && !cut.includes('\ufffd'), cut);
    assert.throws(() => new RadiusDiscovery({ timeoutMs: 10 }), RangeError);
    assert.throws(() => new RadiusDiscovery({ dnsServers: ['not an address'] }), TypeError);
  });

  it('counts hits, misses, failures and entries in the metrics', async () => {
    const d = discovery();
    const registry = new Registry();
    registerDiscoveryMetrics(registry, () => d.stats());
    await d.discover('order.test');
    await d.discover('order.test');
    await reasonOf(d.discover('nosrv.test'));
    const text = await registry.metrics();
    assert.match(text, /^eaphost_radius_discovery_total\{cache="hit"\} 1$/m);
    assert.match(text, /^eaphost_radius_discovery_total\{cache="miss"\} 2$/m);
    assert.match(text, /^eaphost_radius_discovery_failures_total\{reason="no-srv"\} 1$/m);
    assert.match(text, /^eaphost_radius_discovery_failures_total\{reason="timeout"\} 0$/m);
    assert.match(text, /^eaphost_radius_discovery_cache_entries 2$/m);
  });

  describe('eaphost discover', () => {
    const run = async (args: string[]) => {
      const out: string[] = [];
      const err: string[] = [];
      const code = await main(['discover', ...args, '--dns-server', dns.server], (line) => out.push(line), (line) => err.push(line));
      return { code, out, err };
    };
    const json = async (args: string[]) => {
      const { code, out } = await run([...args, '--json']);
      assert.equal(out.length, 1, out.join('\n'));
      const report = JSON.parse(out[0]) as Record<string, unknown>;
      assert.deepEqual(validate(report, cliOutputSchema), [], out[0]);
      assert.equal(report.exitCode, code);
      return report;
    };

    it('prints the home servers in order, and --json in the shape of the schema', async () => {
      const { code, out } = await run(['order.test']);
      assert.equal(code, 0);
      assert.match(out[0], /^realm order\.test: 4 home server addresses \(DNS 127\.0\.0\.1:\d+, \d+ ms; kept 300 s\)$/);
      assert.match(out[1], /^ {2}1\. radsec:\/\/127\.0\.0\.11:2083 {2}a1\.order\.test {2}\(NAPTR x-eduroam:radius\.tls order 10 preference 10/);
      assert.match(out[3], /^ {2}2\. radsec:\/\/\[::1\]:2083 /);
      const report = await json(['order.test']);
      assert.deepEqual([report.success, report.result, report.mode, report.server, report.failure], [true, 'found', 'dns', dns.server, null]);
      assert.deepEqual((report.candidates as { host: string }[]).map((c) => c.host),
        ['a1.order.test', 'a1.order.test', 'a2.order.test', 'b1.order.test']);
    });

    it('says why it found nothing, with an exit code for each kind of failure', async () => {
      const nx = await run(['nx.test']);
      assert.equal(nx.code, 1);
      assert.deepEqual(nx.err, ['eaphost discover: no home server found for realm "nx.test": nxdomain: nx.test does not exist in the DNS (NXDOMAIN)']);
      const report = await json(['nosrv.test']);
      assert.deepEqual([report.success, report.result, report.exitCode, report.failure], [false, 'not-found', 1, 'no-srv']);
      assert.deepEqual([(await json(['user@nx.test'])).result, (await json(['example.org'])).exitCode], ['usage', 3]);
      dns.pause();
      const silent = await json(['dtls.test', '--timeout', '300']);
      assert.deepEqual([silent.result, silent.exitCode, silent.failure], ['timeout', 3, 'timeout']);
    });

    it('refuses bad usage with exit 2', async () => {
      assert.equal((await run([])).code, 2);
      assert.equal((await run(['a.test', 'b.test'])).code, 2);
      const bad = await run(['order.test', '--dns-server', 'dns.example']);
      assert.equal(bad.code, 2);
      assert.match(bad.err[0], /--dns-server/);
    });
  });
});

describe('RFC 2782 weighted order', () => {
  const target = (host: string, priority: number, weight: number): DiscoveredTarget => ({ host, port: 2083, transport: 'tls',
    service: 'aaa+auth:radius.tls.tcp', srvName: '_radsec._tcp.w.test', order: 10, preference: 10, priority, weight, addresses: ['127.0.0.1'] });

  it('draws within one priority by weight, weight 0 first in line, and never across priorities', () => {
    const targets = [target('light', 0, 10), target('heavy', 0, 30), target('zero', 0, 0), target('later', 1, 50)];
    // A draw of 0 takes the first of the running sum: weight 0 ("zero"), then "light", then "heavy".
    assert.deepEqual(weightedOrder(targets, () => 0).map((t) => t.host), ['zero', 'light', 'heavy', 'later']);
    // A draw at the top of [0, 40] takes the last: "heavy" (sum 40), then "light" (sum 10 of 10), then "zero".
    assert.deepEqual(weightedOrder(targets, () => 0.999).map((t) => t.host), ['heavy', 'light', 'zero', 'later']);
    // 15 of [0, 40]: past light's running sum of 10, within heavy's 40.
    assert.deepEqual(weightedOrder(targets, () => 15 / 41).map((t) => t.host)[0], 'heavy');
    // Over many draws the heavier one comes first about three times as often as the lighter one.
    const firsts = { light: 0, heavy: 0 };
    for (let i = 0; i < 4000; i++) {
      const first = weightedOrder(targets.slice(0, 2))[0].host as 'light' | 'heavy';
      firsts[first]++;
    }
    assert.ok(firsts.heavy > 2 * firsts.light && firsts.heavy < 4.5 * firsts.light, JSON.stringify(firsts));
  });
});
