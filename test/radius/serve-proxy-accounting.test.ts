import { strict as assert } from 'node:assert';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { runRadclient } from '../support/cli-run';
import { startEaphostServe, ServeProcess } from '../support/eaphost-serve';
import { FreeRadiusInstance, startFreeRadius } from '../support/freeradius';
import { freeTcpPort, makeTempDir } from '../support/programs';

/**
 * Accounting proxied by realm (docs/proxy.md#accounting): radclient (the NAS) → serve (UDP, no
 * --accounting) → FreeRADIUS 3.2.1, whose accounting listener is on the port after its
 * authentication one, as a UDP home's is. FreeRADIUS's debug log shows each Accounting-Request as
 * it arrived, with its attributes; its Accounting-Response is what lets serve acknowledge to the
 * NAS. A home stopped (SIGSTOP) acknowledges nothing, so the NAS gets nothing, never a false ack.
 */
const NAS_SECRET = 'nas-side secret';
const HOME_SECRET = 'home-side-secret';

function accountingRequest(session: string, status: 'Start' | 'Stop', extra = ''): string {
  return `User-Name = "ada@home.test"\nAcct-Status-Type = ${status}\nAcct-Session-Id = "${session}"\n` +
    `NAS-IP-Address = 192.0.2.7\nCalling-Station-Id = "02-00-00-00-00-01"\n${extra}`;
}

/** The Accounting-Requests FreeRADIUS received, each its block of attribute lines, in order. */
function received(home: FreeRadiusInstance, from = 0): string[] {
  return home.log().slice(from).split(/^\(\d+\) Received Accounting-Request /m).slice(1)
    .map((block) => block.split(/^\(\d+\) (?!\s)/m)[0]);
}

describe('serve --proxy-realm: Accounting-Requests forwarded to the realm\'s home, acknowledged once the home did', function () {
  this.timeout(60_000);
  const dir = makeTempDir('serve-proxy-accounting');
  let home: FreeRadiusInstance | undefined;
  let serve: ServeProcess | undefined;
  let metricsUrl = '';

  before(async () => {
    home = await startFreeRadius({ secret: HOME_SECRET, users: [], accounting: true, accountingNextPort: true, debug: true });
    const secrets = join(dir.path, 'proxy-secrets');
    writeFileSync(secrets, `${HOME_SECRET}\n`, { mode: 0o600 });
    serve = await startEaphostServe(0, ['--secret', NAS_SECRET, '--proxy-secret-file', secrets,
      '--proxy-realm', `*=udp://127.0.0.1:${home.port}`, '--metrics', `127.0.0.1:${await freeTcpPort()}`]);
    metricsUrl = /metrics on (http:\/\/\S+)/.exec(await serve.logged(/metrics on http:\/\/127\.0\.0\.1:\d+\/metrics/))![1];
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
