import { strict as assert } from 'node:assert';
import { readdirSync, readlinkSync, writeFileSync } from 'node:fs';
import { get } from 'node:http';
import { connect, Socket } from 'node:net';
import { join } from 'node:path';
import { runRadclient, secretFlag } from '../support/cli-run';
import { ServeProcess, startEaphostServe } from '../support/eaphost-serve';
import { makeTempDir } from '../support/programs';
import { runEapolTest } from '../support/eapol-test';
import { promtoolCheck } from '../support/exposition';
import { makeInteropPki, SERVER_NAME } from '../support/interop-pki';
import { CarriedCounts, ServingCounts, ServingStats } from '../../lib/metrics/counts';

/**
 * serve --metrics: the exposition as Prometheus's own promtool judges it (`check metrics`), and
 * counts that match what radclient, FreeRADIUS's client, sent: one EAP-Response/Identity answered
 * with a Challenge, one request signed with another secret dropped, one Accounting-Request.
 */
const SECRET = 'metrics-secret';

/**
 * The time-to-verdict histogram of `method`: `count` verdicts, buckets that never fall, the
 * +Inf bucket equal to the count, and a sum no verdict's time past the time the test has run.
 */
function assertHistogram(exposition: string, method: string, count: number, elapsedSeconds: number): void {
  const name = 'eaphost_authentication_duration_seconds';
  const buckets = [...exposition.matchAll(new RegExp(`^${name}_bucket\\{method="${method}",le="([^"]+)"\\} (\\S+)$`, 'gm'))]
    .map((m) => ({ le: m[1], value: Number(m[2]) }));
  assert.deepEqual(buckets.map((bucket) => bucket.le),
    ['0.001', '0.0025', '0.005', '0.01', '0.025', '0.05', '0.1', '0.25', '0.5', '1', '2.5', '5', '+Inf'], exposition);
  buckets.forEach((bucket, i) => assert.ok(i === 0 || bucket.value >= buckets[i - 1].value, `${bucket.le} falls\n${exposition}`));
  assert.equal(buckets[buckets.length - 1].value, count, exposition);
  assert.match(exposition, new RegExp(`^${name}_count\\{method="${method}"\\} ${count}$`, 'm'));
  const sum = Number(new RegExp(`^${name}_sum\\{method="${method}"\\} (\\S+)$`, 'm').exec(exposition)?.[1]);
  assert.ok(sum >= 0 && sum <= count * elapsedSeconds, `${name}_sum ${sum}, ${count} verdicts within ${elapsedSeconds} s`);
}

/** The sockets process `pid` holds open now (its descriptors that are sockets). */
function openSockets(pid: number): number {
  return readdirSync(`/proc/${pid}/fd`).filter((fd) => {
    try {
      return readlinkSync(`/proc/${pid}/fd/${fd}`).startsWith('socket:');
    } catch {
      return false; // closed meanwhile
    }
  }).length;
}

/** A connection to the metrics port that sends half a request and stalls; `closed` settles when the server closes it, with what it said. */
async function stalledRequest(port: number): Promise<{ socket: Socket; closed: Promise<string> }> {
  const socket = connect(port, '127.0.0.1');
  let said = '';
  socket.on('data', (chunk) => { said += chunk; });
  const closed = new Promise<string>((resolve) => socket.once('close', () => resolve(said)));
  socket.on('error', () => undefined);
  await new Promise<void>((resolve, reject) => socket.once('connect', resolve).once('error', reject));
  socket.write('GET /metrics HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: ');
  return { socket, closed };
}

/** GET over a connection of its own (fetch would reuse a pooled one the cap may just have closed). */
function freshGet(url: string): Promise<{ status: number; text: string }> {
  return new Promise((resolve, reject) => {
    get(url, { agent: false }, (response) => {
      let text = '';
      response.setEncoding('utf8').on('data', (chunk: string) => { text += chunk; });
      response.on('end', () => resolve({ status: response.statusCode ?? 0, text }));
    }).on('error', reject);
  });
}


describe('serve --metrics: Prometheus exposition and /healthz', function () {
  this.timeout(60_000);
  let files: { path: string; remove(): void };
  let serve: ServeProcess;
  let url: string;

  before(async () => {
    files = makeTempDir('serve-metrics');
    const users = join(files.path, 'users.json');
    writeFileSync(users, JSON.stringify({ frank: { password: 'pw' } }), { mode: 0o600 });
    serve = await startEaphostServe(0, [...secretFlag('secret', SECRET), '--users', users, '--methods', 'md5',
      '--accounting', join(files.path, 'accounting.db'), '--metrics', '127.0.0.1:0', '--step-threads', '3']);
    url = /metrics on (http:\/\/\S+)/.exec(await serve.logged(/metrics on http:\/\/127\.0\.0\.1:\d+\/metrics/))![1];
  });
  after(async () => {
    await serve?.stop();
    files?.remove();
  });

  it('/healthz answers 200 once serve listens; /metrics passes promtool check metrics and counts what radclient sent', async () => {
    const health = await fetch(url.replace('/metrics', '/healthz'));
    assert.equal(health.status, 200);
    const challenge = await runRadclient(serve.port, SECRET, 'auth',
      'User-Name = "frank"\nEAP-Message = 0x0201000a016672616e6b\nMessage-Authenticator = 0x00\nResponse-Packet-Type = Access-Challenge\n', 2);
    assert.equal(challenge.code, 0, challenge.output);
    const forged = await runRadclient(serve.port, 'other-secret', 'auth',
      'User-Name = "frank"\nEAP-Message = 0x0201000a016672616e6b\nMessage-Authenticator = 0x00\n', 1);
    assert.notEqual(forged.code, 0, forged.output);
    // Unsigned, and carrying Proxy-State: the posture BlastRADIUS forges.
    const acct = await runRadclient(serve.port, SECRET, 'acct',
      'Acct-Status-Type = Start, Acct-Session-Id = "m-1", User-Name = "frank", Proxy-State = 0x7031', 2);
    assert.equal(acct.code, 0, acct.output);
    const response = await fetch(url);
    assert.equal(response.status, 200);
    assert.match(response.headers.get('content-type') ?? '', /^text\/plain; version=0\.0\.4/);
    const exposition = await response.text();
    const checked = await promtoolCheck(exposition);
    assert.equal(checked.code, 0, `${checked.output}\n${exposition}`);
    assert.match(exposition, /^eaphost_radius_responses_total\{code="Access-Challenge",transport="udp"\} 1$/m);
    assert.match(exposition, /^eaphost_radius_responses_total\{code="Accounting-Response",transport="udp"\} 1$/m);
    assert.match(exposition, /^eaphost_radius_requests_total\{code="Accounting-Request",transport="udp"\} 1$/m);
    assert.match(exposition, /^eaphost_radius_dropped_total\{reason="invalid-message-authenticator",transport="udp"\} 1$/m);
    assert.match(exposition, /^eaphost_conversations_active\{kind="all"\} 1$/m);
    // The step threads --step-threads asked for; without TLS methods nothing queued, nothing lent.
    assert.match(exposition, /^eaphost_step_pool_threads 3$/m);
    assert.match(exposition, /^eaphost_step_pool_queued 0$/m);
    assert.match(exposition, /^eaphost_step_pool_threads_lent 0$/m);
    // Per client: what radclient sent, by code, and how each request was signed.
    const client = 'client="127.0.0.1"';
    assert.match(exposition, new RegExp(`^eaphost_radius_client_requests_total\\{${client},code="Access-Request",transport="udp"\\} 2$`, 'm'));
    assert.match(exposition, new RegExp(`^eaphost_radius_client_requests_total\\{${client},code="Accounting-Request",transport="udp"\\} 1$`, 'm'));
    assert.match(exposition, new RegExp(`^eaphost_radius_client_responses_total\\{${client},code="Access-Challenge",transport="udp"\\} 1$`, 'm'));
    assert.match(exposition, new RegExp(`^eaphost_radius_client_responses_total\\{${client},code="Accounting-Response",transport="udp"\\} 1$`, 'm'));
    for (const [posture, count] of [['valid', 1], ['invalid', 1], ['absent', 1], ['proxy-state-without', 1]] as const) {
      assert.match(exposition, new RegExp(`^eaphost_radius_message_authenticator_total\\{${client},posture="${posture}"\\} ${count}$`, 'm'));
      const seen = new RegExp(`^eaphost_radius_message_authenticator_last_seen_timestamp_seconds\\{${client},posture="${posture}"\\} (\\S+)$`, 'm')
        .exec(exposition);
      assert.ok(seen && Math.abs(Number(seen[1]) - Date.now() / 1000) < 60, `${posture} last seen now: ${seen?.[1]}`);
    }
  });

  it('connections that stall past the cap take no more descriptors, and /healthz and /metrics still answer', async () => {
    // The cap is 64: 50 more stalled connections than it.
    const port = Number(/:(\d+)\/metrics/.exec(url)![1]);
    const before = openSockets(serve.pid);
    const stalled = [];
    for (let i = 0; i < 114; i++) stalled.push(await stalledRequest(port));
    try {
      const health = await freshGet(url.replace('/metrics', '/healthz'));
      assert.equal(health.status, 200);
      assert.equal(health.text, 'ok\n');
      const metrics = await freshGet(url);
      assert.equal(metrics.status, 200);
      assert.match(metrics.text, /^eaphost_radius_responses_total\{/m);
      // Every stalled connection was accepted before the probes' (one event loop, in order): what serve holds now is bounded.
      const held = openSockets(serve.pid) - before;
      assert.ok(held <= 64, `serve holds ${held} sockets more than before 114 stalled connections (cap 64)`);
    } finally {
      for (const { socket } of stalled) socket.destroy();
    }
  });

  it('a connection whose request headers stall is closed by the server (408) within its headers timeout', async () => {
    const port = Number(/:(\d+)\/metrics/.exec(url)![1]);
    const { closed } = await stalledRequest(port);
    // 5 s for the headers, looked at every second; the old server waited 60 s, looked at every 30.
    assert.match(await closed, /^HTTP\/1\.1 408 /);
  });

  it('a metrics port already taken is a startup error naming it', async () => {
    const port = /:(\d+)\/metrics/.exec(url)![1];
    const second = await startEaphostServe(0, [...secretFlag('secret', SECRET), '--users', join(files.path, 'users.json'),
      '--metrics', `127.0.0.1:${port}`]).then(
      async (started) => ({ started, code: await started.stop(), output: started.output() }),
      (error: Error) => ({ started: undefined, code: null, output: error.message }));
    assert.equal(second.started, undefined, second.output);
    assert.match(second.output, new RegExp(`--metrics 127\\.0\\.0\\.1:${port}: cannot listen there \\(EADDRINUSE: the port is taken\\)`));
  });

  it('SIGHUP reads the users file again, a bad one keeps the running configuration, and the counters carry on', async () => {
    const users = join(files.path, 'reload-users.json');
    writeFileSync(users, JSON.stringify({ rita: { password: 'old-pw' } }), { mode: 0o600 });
    const began = performance.now();
    const reloading = await startEaphostServe(0, [...secretFlag('secret', SECRET), '--users', users, '--methods', 'md5', '--pap',
      '--metrics', '127.0.0.1:0']);
    try {
      const metricsUrl = /metrics on (http:\/\/\S+)/.exec(await reloading.logged(/metrics on http:\/\/127\.0\.0\.1:\d+\/metrics/))![1];
      const pap = async (password: string): Promise<string> => (await runRadclient(reloading.port, SECRET, 'auth',
        `User-Name = "rita"\nUser-Password = "${password}"\nMessage-Authenticator = 0x00\n`, 2)).output;
      assert.match(await pap('old-pw'), /Received Access-Accept/);
      writeFileSync(users, JSON.stringify({ rita: { password: 'new-pw' } }));
      process.kill(reloading.pid, 'SIGHUP');
      await reloading.logged(/reloaded: listening on 127\.0\.0\.1:\d+ \(EAP methods: md5; PAP\)/);
      assert.match(await pap('new-pw'), /Received Access-Accept/);
      assert.match(await pap('old-pw'), /Received Access-Reject/);
      writeFileSync(users, '{ "rita": ');
      process.kill(reloading.pid, 'SIGHUP');
      await reloading.logged(/reload failed, still serving the configuration before it: --users/);
      assert.match(await pap('new-pw'), /Received Access-Accept/, 'the users read at the last good reload');
      const exposition = await (await fetch(metricsUrl)).text();
      assert.match(exposition, /^eaphost_radius_responses_total\{code="Access-Accept",transport="udp"\} 3$/m);
      assert.match(exposition, /^eaphost_radius_responses_total\{code="Access-Reject",transport="udp"\} 1$/m);
      assert.match(exposition, /^eaphost_radius_client_requests_total\{client="127\.0\.0\.1",code="Access-Request",transport="udp"\} 4$/m);
      assert.match(exposition, /^eaphost_radius_message_authenticator_total\{client="127\.0\.0\.1",posture="valid"\} 4$/m);
      // The verdicts radclient received, counted by the engine across both servers (one before each reload).
      const papLabels = 'client="127\\.0\\.0\\.1",method="pap",inner_method=""';
      assert.match(exposition, new RegExp(`^eaphost_authentications_total\\{${papLabels},outcome="accept",reason=""\\} 3$`, 'm'));
      assert.match(exposition, new RegExp(`^eaphost_authentications_total\\{${papLabels},outcome="reject",reason="wrong-password"\\} 1$`, 'm'));
      assertHistogram(exposition, 'pap', 4, (performance.now() - began) / 1000);
    } finally {
      await reloading.stop();
    }
  });

  it('PEAP-MSCHAPv2 from eapol_test: outcomes by inner method and reason, TLS handshakes by version and resumed, the time histogram', async () => {
    const began = performance.now();
    const pki = await makeInteropPki();
    const users = join(files.path, 'peap-users.json');
    writeFileSync(users, JSON.stringify({ rita: { password: 'rita pa55' } }), { mode: 0o600 });
    const peap = await startEaphostServe(0, [...secretFlag('secret', SECRET), '--users', users, '--methods', 'peap',
      '--cert', pki.files.serverCert, '--key', pki.files.serverKey, '--metrics', '127.0.0.1:0']);
    try {
      const metricsUrl = /metrics on (http:\/\/\S+)/.exec(await peap.logged(/metrics on http:\/\/127\.0\.0\.1:\d+\/metrics/))![1];
      const run = (password: string, tls: '1.2' | '1.3', reauthentications = 0) => runEapolTest({ host: '127.0.0.1', port: peap.port,
        secret: SECRET, caCert: pki.files.ca, serverName: SERVER_NAME, timeoutSeconds: 10, reauthentications, method: 'PEAP',
        identity: 'rita', password, phase2: 'auth=MSCHAPV2',
        phase1: `tls_disable_tlsv1_0=1 tls_disable_tlsv1_1=1 tls_disable_tlsv1_2=${tls === '1.2' ? 0 : 1} tls_disable_tlsv1_3=${tls === '1.3' ? 0 : 1}` });
      const resumedFlags = (stdout: string): string[] => [...stdout.matchAll(/Handshake finished - resumed=(\d)/g)].map((m) => m[1]);
      // TLS 1.2 twice with one supplicant: the second run resumes, and fast reconnect skips phase 2 (no MSCHAPV2 in it).
      const twice = await run('rita pa55', '1.2', 1);
      assert.equal(twice.success, true, twice.stdout.slice(-3000));
      assert.deepEqual(resumedFlags(twice.stdout), ['0', '1'], twice.stdout.slice(-3000));
      const second = twice.stdout.slice(twice.stdout.search(/Handshake finished - resumed=1/));
      assert.match(twice.stdout.slice(0, twice.stdout.length - second.length), /EAP-MSCHAPV2: /);
      assert.doesNotMatch(second, /EAP-MSCHAPV2: /);
      // A wrong password over TLS 1.2: the handshake completes, MSCHAPV2 inside refuses.
      const wrong = await run('not rita pa55', '1.2');
      assert.equal(wrong.success, false, wrong.stdout.slice(-3000));
      assert.deepEqual(resumedFlags(wrong.stdout), ['0'], wrong.stdout.slice(-3000));
      assert.match(wrong.stdout, /EAP-MSCHAPV2: /);
      // TLS 1.3 once.
      const tls13 = await run('rita pa55', '1.3');
      assert.equal(tls13.success, true, tls13.stdout.slice(-3000));
      assert.match(tls13.stdout, /TLSv1\.3/);
      assert.deepEqual(resumedFlags(tls13.stdout), ['0'], tls13.stdout.slice(-3000));
      const exposition = await (await fetch(metricsUrl)).text();
      const checked = await promtoolCheck(exposition);
      assert.equal(checked.code, 0, `${checked.output}\n${exposition}`);
      const peapBy = (inner: string, outcome: string, reason: string, count: number): RegExp => new RegExp(
        `^eaphost_authentications_total\\{client="127\\.0\\.0\\.1",method="peap",inner_method="${inner}",outcome="${outcome}",reason="${reason}"\\} ${count}$`, 'm');
      assert.match(exposition, peapBy('mschapv2', 'accept', '', 2));
      assert.match(exposition, peapBy('', 'accept', '', 1));
      assert.match(exposition, peapBy('mschapv2', 'reject', 'credentials-rejected', 1));
      assert.match(exposition, /^eaphost_tls_sessions_total\{method="peap",version="1\.2",resumed="false"\} 2$/m);
      assert.match(exposition, /^eaphost_tls_sessions_total\{method="peap",version="1\.2",resumed="true"\} 1$/m);
      assert.match(exposition, /^eaphost_tls_sessions_total\{method="peap",version="1\.3",resumed="false"\} 1$/m);
      assert.equal([...exposition.matchAll(/^eaphost_tls_sessions_total\{/gm)].length, 3, exposition);
      assertHistogram(exposition, 'peap', 4, (performance.now() - began) / 1000);
      // Each client flight in handshake records ran as a step of its own, on a step thread or kept on the engine's
      // (which, depends on its share of a core): TLS 1.2's full handshakes two each (the ClientHello; the
      // ClientKeyExchange flight), the resumed one two (the ClientHello; the ChangeCipherSpec and Finished), TLS
      // 1.3's one (its Finished is encrypted). No kept handshake's state was left behind: no heap walk.
      const steps = (thread: string): number =>
        Number(new RegExp(`^eaphost_step_pool_steps_total\\{thread="${thread}"\\} (\\d+)$`, 'm').exec(exposition)?.[1] ?? NaN);
      assert.equal(steps('step') + steps('engine'), 2 + 2 + 2 + 1, exposition);
      assert.match(exposition, /^eaphost_step_pool_heap_returns_total 0$/m);
    } finally {
      assert.equal(await peap.stop(), 0, peap.output());
      pki.remove();
    }
  });

  it('policy rule hits by rule name, as radclient saw each rule\'s reply, carried by name across a reload that reorders the rules', async () => {
    const users = join(files.path, 'policy-users.json');
    writeFileSync(users, JSON.stringify({ alice: { password: 'a-pw' }, mallory: { password: 'm-pw' } }), { mode: 0o600 });
    const policy = join(files.path, 'policy.json');
    const staff = { name: 'staff', match: { user: 'alice' }, reply: { vlan: 10 } };
    const blocked = { name: 'blocked', match: { user: 'mallory' }, reject: true };
    const unnamed = { match: { user: 'nobody' }, reply: { vlan: 30 } };
    writeFileSync(policy, JSON.stringify({ rules: [staff, blocked, unnamed] }));
    const served = await startEaphostServe(0, [...secretFlag('secret', SECRET), '--users', users, '--pap', '--policy', policy,
      '--metrics', '127.0.0.1:0']);
    try {
      const metricsUrl = /metrics on (http:\/\/\S+)/.exec(await served.logged(/metrics on http:\/\/127\.0\.0\.1:\d+\/metrics/))![1];
      const pap = async (user: string, password: string): Promise<string> => (await runRadclient(served.port, SECRET, 'auth',
        `User-Name = "${user}"\nUser-Password = "${password}"\nMessage-Authenticator = 0x00\n`, 2)).output;
      assert.match(await pap('alice', 'a-pw'), /Received Access-Accept[\s\S]*Tunnel-Private-Group-Id:0 = "10"/);
      assert.match(await pap('mallory', 'm-pw'), /Received Access-Reject/);
      // The same rules in another order: counted by name, not by place.
      writeFileSync(policy, JSON.stringify({ rules: [blocked, unnamed, staff] }));
      process.kill(served.pid, 'SIGHUP');
      await served.logged(/reloaded: listening on/);
      assert.match(await pap('alice', 'a-pw'), /Received Access-Accept[\s\S]*Tunnel-Private-Group-Id:0 = "10"/);
      const exposition = await (await fetch(metricsUrl)).text();
      const checked = await promtoolCheck(exposition);
      assert.equal(checked.code, 0, `${checked.output}\n${exposition}`);
      assert.match(exposition, /^eaphost_policy_rule_hits_total\{rule="staff"\} 2$/m);
      assert.match(exposition, /^eaphost_policy_rule_hits_total\{rule="blocked"\} 1$/m);
      // Unnamed, it goes by its place: rules[2] before the reload, rules[1] after; neither matched.
      assert.match(exposition, /^eaphost_policy_rule_hits_total\{rule="rules\[1\]"\} 0$/m);
      const papLabels = 'client="127\\.0\\.0\\.1",method="pap",inner_method=""';
      assert.match(exposition, new RegExp(`^eaphost_authentications_total\\{${papLabels},outcome="reject",reason="policy-rejects"\\} 1$`, 'm'));
      assert.match(exposition, new RegExp(`^eaphost_authentications_total\\{${papLabels},outcome="accept",reason=""\\} 2$`, 'm'));
    } finally {
      await served.stop();
    }
  });
});

describe('metrics: the step pool\'s counters carried across a reload', () => {
  it('adds what each closed server counted to the serving one\'s, and leaves what is now (queued, lent) alone', () => {
    const server = (kept: number, handedOver: number, heapReturns: number, queued: number): ServingCounts => ({
      stats: () => ({ stepPool: { threads: 2, queued, lent: 0, kept, handedOver, heapReturns } }) as unknown as ServingStats,
      clients: () => [],
      verdicts: () => ({ outcomes: [], durations: [], tls: [], ruleHits: [] }),
      ruleNames: [],
    });
    const counts = new CarriedCounts();
    counts.serving(server(3, 5, 1, 4));
    counts.serving(server(2, 7, 0, 1));
    assert.deepEqual([counts.stepTotal('kept'), counts.stepTotal('handedOver'), counts.stepTotal('heapReturns')], [5, 12, 1]);
    assert.equal(counts.now()?.stepPool.queued, 1);
    counts.serving(undefined);
    assert.deepEqual([counts.stepTotal('kept'), counts.stepTotal('handedOver'), counts.stepTotal('heapReturns')], [5, 12, 1]);
  });
});
