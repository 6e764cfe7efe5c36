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
    const acct = await runRadclient(serve.port, SECRET, 'acct', 'Acct-Status-Type = Start, Acct-Session-Id = "m-1", User-Name = "frank"', 2);
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
});
