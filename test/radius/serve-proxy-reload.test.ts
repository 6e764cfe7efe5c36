import { strict as assert } from 'node:assert';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { runWithInput } from '../support/cli-run';
import { startEaphostServe } from '../support/eaphost-serve';
import { sampleOf } from '../support/exposition';
import { findProgram, freeTcpPort, freeUdpPort, makeTempDir } from '../support/programs';
import { replyServer } from '../support/unsigned-reply-server';

/**
 * serve's reload (SIGHUP) keeps the requests it proxied in flight (docs/proxy.md): the home's
 * answer to a request forwarded before the reload still reaches the NAS, so the NAS never sends it
 * again and the home never sees it twice (a one-time password is used once). The home is a
 * stand-in (test/support/unsigned-reply-server.ts) that holds its Accept until serve says it is
 * reloading (waiting for that answer) or has reloaded (having dropped it); the NAS is radclient,
 * which tries again after 4 s. The home's series on /metrics count on across the reload: both
 * requests sent to it, both answered.
 */
const NAS_SECRET = 'nas-side-secret';
const HOME_SECRET = 'home-side-secret';
const ACCESS_REQUEST = 1;
const ACCESS_ACCEPT = 2;

describe('serve --proxy-realm: SIGHUP keeps the proxied requests in flight', function () {
  this.timeout(30_000);
  const dir = makeTempDir('serve-proxy-reload');
  after(() => dir.remove());

  it('a reload while the home holds its answer: the NAS gets the Accept, and the home saw one request', async () => {
    const users = join(dir.path, 'users.json');
    writeFileSync(users, '{}', { mode: 0o600 });
    const secrets = join(dir.path, 'proxy-secrets');
    writeFileSync(secrets, `${HOME_SECRET}\n`, { mode: 0o600 });
    const port = await freeUdpPort();
    let reloaded: () => boolean = () => false;
    let hangUp: () => void = () => undefined;
    const home = await replyServer(HOME_SECRET, () => ({ code: ACCESS_ACCEPT, messageAuthenticator: 'right' }), async () => {
      hangUp();
      for (const until = Date.now() + 10_000; !reloaded() && Date.now() < until;) await new Promise((resolve) => setTimeout(resolve, 20));
    });
    const metricsPort = await freeTcpPort();
    const serve = await startEaphostServe(port, ['--secret', NAS_SECRET, '--users', users, '--proxy-secret-file', secrets,
      '--proxy-realm', `home.test=udp://127.0.0.1:${home.port}`, '--metrics', `127.0.0.1:${metricsPort}`]);
    try {
      reloaded = () => /^reload(?:ing|ed): /m.test(serve.output());
      let hungUp = false;
      hangUp = () => {
        if (hungUp) return;
        hungUp = true;
        process.kill(serve.pid, 'SIGHUP');
      };
      const radclient = findProgram(['radclient'], 'freeradius-utils');
      const { output } = await runWithInput(radclient, ['-x', '-r', '3', '-t', '4', `127.0.0.1:${port}`, 'auth', NAS_SECRET],
        'User-Name = "olive@home.test"\nUser-Password = "123456"\nMessage-Authenticator = 0x00\n');
      assert.match(output, /Received Access-Accept/, `${output}\n${serve.output()}`);
      assert.equal(home.distinct(ACCESS_REQUEST), 1, `the home saw the request again\n${output}\n${serve.output()}`);
      assert.match(serve.output(), /^reloading: answering the 1 request out to home servers first$/m);
      await serve.logged(/reloaded: listening on/);
      // The reloaded serve proxies as before.
      const after = await runWithInput(radclient, ['-x', '-r', '1', '-t', '6', `127.0.0.1:${port}`, 'auth', NAS_SECRET],
        'User-Name = "olive@home.test"\nUser-Password = "654321"\nMessage-Authenticator = 0x00\n');
      assert.match(after.output, /Received Access-Accept/, `${after.output}\n${serve.output()}`);
      assert.equal(home.distinct(ACCESS_REQUEST), 2);
      const exposition = await (await fetch(`http://127.0.0.1:${metricsPort}/metrics`)).text();
      const homeSeries = (name: string, labels: Record<string, string> = {}): number | undefined =>
        sampleOf(exposition, `eaphost_radius_proxy_home_${name}`, { home: `udp://127.0.0.1:${home.port}`, ...labels });
      assert.equal(homeSeries('requests_total', { kind: 'access' }), 2, exposition);
      assert.equal(homeSeries('responses_total', { code: 'Access-Accept' }), 2, exposition);
      assert.equal(homeSeries('latency_seconds_count'), 2, exposition);
    } finally {
      assert.equal(await serve.stop(), 0, serve.output());
      await home.close();
    }
  });
});

