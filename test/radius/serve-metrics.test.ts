import { strict as assert } from 'node:assert';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { runRadclient, runWithInput, secretFlag } from '../support/cli-run';
import { ServeProcess, startEaphostServe } from '../support/eaphost-serve';
import { findProgram, makeTempDir } from '../support/programs';

/**
 * serve --metrics: the exposition as Prometheus's own promtool judges it (`check metrics`), and
 * counts that match what radclient, FreeRADIUS's client, sent: one EAP-Response/Identity answered
 * with a Challenge, one request signed with another secret dropped, one Accounting-Request.
 */
const SECRET = 'metrics-secret';

const promtoolCheck = (exposition: string) => runWithInput(findProgram(['promtool'], 'prometheus'), ['check', 'metrics'], exposition);

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
      '--accounting', join(files.path, 'accounting.db'), '--metrics', '127.0.0.1:0']);
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
    // serve without TLS methods has no step threads: nothing queued, nothing lent.
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
    } finally {
      await reloading.stop();
    }
  });
});
