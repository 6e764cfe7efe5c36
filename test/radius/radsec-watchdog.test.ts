import { strict as assert } from 'node:assert';
import { createAuthenticator } from '../../lib';
import { RadiusAttributeType, RadiusCode, RadiusServer, RadSecClient } from '../../lib/radius';
import { RadSecUnresponsiveError } from '../../lib/radius/errors';
import type { RadSecClientOptions, RadSecConnectionEvent } from '../../lib/radius';
import type { StatusServerReply } from '../../lib/radius/status-server';
import { RADSEC_SECRET } from '../../lib/radius/radsec/client';
import { RADSEC_DTLS_SECRET } from '../../lib/radius/radsec/dtls';
import { RadSecWatchdog } from '../../lib/radius/radsec/watchdog';
import { ClientEngine } from '../../lib/radius/client-engine';
import { startFreeRadius } from '../support/freeradius';
import { CLIENT_KEY_PASSWORD, SERVER_NAME } from '../support/interop-pki';
import { interopServer } from '../support/interop-server';
import { runMain, scratchUser } from '../support/cli-run';
import { startEaphostServe } from '../support/eaphost-serve';

/**
 * Status-Server per RadSec connection (the RadSec revision §3.8): the client's liveness check of a
 * connection that brought nothing for a while, and the server's answer on each connection.
 * FreeRADIUS 3.2.1 is the server whose Access-Accept says "alive"; stopped with SIGSTOP, its
 * kernel still holds the TCP connection open while nothing answers, the failure TCP cannot see.
 */
const USER = { identity: 'wanda', password: 'w4tch dog' };

describe('RadSec Status-Server per connection (liveness check)', function () {
  this.timeout(60_000);
  const user = scratchUser('radsec-watchdog-');
  // FreeRADIUS's RadSec listener over TLS 1.2, its UDP side unused.
  const fixture = interopServer((certificates) =>
    startFreeRadius({ users: [USER], certificates, radsec: certificates, tlsMaxVersion: '1.2', secret: 'unused' }));

  function client(check: Pick<RadSecClientOptions, 'statusServerAfterMs' | 'statusServerTimeoutMs' | 'onStatusServer'> = {}) {
    const { pki } = fixture;
    return new RadSecClient({ ...check, cert: pki.clientCert, key: pki.clientKey, passphrase: CLIENT_KEY_PASSWORD, ca: pki.ca,
      serverName: SERVER_NAME, timeoutMs: 5000 });
  }
  const endpoint = (port = fixture.server.radsecPort!) => ({ host: '127.0.0.1', port, secret: RADSEC_SECRET });
  const papRequest = (radsec: RadSecClient, port?: number, timeoutMs?: number) => radsec.accessRequest(endpoint(port),
    [{ type: RadiusAttributeType.UserName, value: Buffer.from(USER.identity) }],
    // FreeRADIUS 3.2.1 signs no reply with a Message-Authenticator (3.2.5 does); TLS protects it here.
    { userPassword: Buffer.from(USER.password), requireMessageAuthenticator: false, ...(timeoutMs ? { timeoutMs } : {}) });

  /** A check's outcome as a client reports it: answered (the reply) or unanswered (the error). */
  interface CheckEvent { event: 'answered' | 'unanswered'; server: string; reply?: StatusServerReply; error?: Error }

  /** The checks a client reports; next(kind): the first of that kind not yet taken, when it comes;
   *  skip(): what came so far is taken. */
  function watched() {
    const events: CheckEvent[] = [];
    let taken = 0;
    let waiter: (() => void) | undefined;
    const next = async (kind: CheckEvent['event']): Promise<CheckEvent> => {
      for (;;) {
        const at = events.findIndex((event, index) => index >= taken && event.event === kind);
        if (at >= 0) {
          taken = at + 1;
          return events[at];
        }
        await new Promise<void>((done) => { waiter = done; });
      }
    };
    return {
      events, next,
      skip: () => { taken = events.length; },
      report: (server: string, outcome: StatusServerReply | Error) => {
        events.push(outcome instanceof Error ? { event: 'unanswered', server, error: outcome }
          : { event: 'answered', server, reply: outcome });
        waiter?.();
      },
    };
  }

  it('FreeRADIUS answers a Status-Server on the connection, and on an idle one the check finds it alive', async () => {
    const watch = watched();
    const radsec = client({ statusServerAfterMs: 100, statusServerTimeoutMs: 5000, onStatusServer: watch.report });
    try {
      const reply = await radsec.statusServer(endpoint());
      assert.equal(reply.code, RadiusCode.AccessAccept);
      // Its Response Authenticator verified with the secret; FreeRADIUS 3.2.1 adds no Message-Authenticator.
      assert.equal(reply.messageAuthenticator, false);
      // Then nothing is asked: the connection is idle, and its check goes out and is answered.
      const answered = await watch.next('answered');
      assert.equal(answered.server, `127.0.0.1:${fixture.server.radsecPort}`);
      assert.equal(answered.reply?.code, RadiusCode.AccessAccept);
      // The same connection still carries requests: FreeRADIUS accepts the user.
      assert.equal((await papRequest(radsec)).reply.code, RadiusCode.AccessAccept);
    } finally {
      await radsec.close();
    }
  });

  it('a server that stops answering: the request out fails with RadSecUnresponsiveError, not its timeout; a new connection then works',
    async () => {
      const watch = watched();
      const radsec = client({ statusServerAfterMs: 200, statusServerTimeoutMs: 2000, onStatusServer: watch.report });
      const pid = fixture.server.pid;
      let stopped = false;
      try {
        assert.equal((await papRequest(radsec)).reply.code, RadiusCode.AccessAccept);
        // Right after an answer the connection has just brought something: stop the server before
        // the next check goes out, then ask. The request's own timeout is a minute.
        watch.skip();
        await watch.next('answered');
        process.kill(pid, 'SIGSTOP');
        stopped = true;
        const unanswered = watch.next('unanswered');
        await assert.rejects(papRequest(radsec, undefined, 60_000), (error: unknown) => error instanceof RadSecUnresponsiveError &&
          error.code === 'ERR_RADSEC_UNRESPONSIVE' && error.pending === 1 && error.silentMs === 200 && error.waitedMs === 2000 &&
          error.server === `127.0.0.1:${fixture.server.radsecPort}` && /closed as dead \(1 request out on it failed\)/.test(error.message));
        assert.equal(((await unanswered).error as RadSecUnresponsiveError).pending, 1);
        process.kill(pid, 'SIGCONT');
        stopped = false;
        // The dead connection is not reused: the next request opens a new one and is answered.
        assert.equal((await papRequest(radsec)).reply.code, RadiusCode.AccessAccept);
      } finally {
        if (stopped) process.kill(pid, 'SIGCONT');
        await radsec.close();
      }
    });

  it('`eaphost serve --radsec` in its own process answers Status-Server on each connection, signed; with the check off none is sent',
    async () => {
      const { pki } = fixture;
      const serve = await startEaphostServe(0, ['--users', user.users, '--methods', 'md5', '--radsec', '--radsec-cert',
        pki.files.serverCert, '--radsec-key', pki.files.serverKey, '--radsec-ca', pki.files.ca]);
      const watches = [watched(), watched()];
      const clients = watches.map((watch) => client({ statusServerAfterMs: 100, onStatusServer: watch.report }));
      const quiet = watched();
      const off = client({ statusServerAfterMs: 0, onStatusServer: quiet.report });
      try {
        // Two connections at once, each asked on its own: each answer verified with its connection's request.
        const replies = await Promise.all(clients.map((radsec) => radsec.statusServer(endpoint(serve.port))));
        for (const reply of replies) {
          assert.equal(reply.code, RadiusCode.AccessAccept);
          assert.equal(reply.messageAuthenticator, true);
        }
        await Promise.all(watches.map((watch) => watch.next('answered')));
        // With the check off, the connection carries what is asked and nothing else.
        assert.equal((await off.statusServer(endpoint(serve.port))).code, RadiusCode.AccessAccept);
        await Promise.all(watches.map((watch) => watch.next('answered')));
        assert.deepEqual(quiet.events, []);
        // The command line's ping over RadSec: serve's answer carries a Message-Authenticator.
        const ping = await pingOverRadSec(serve.port);
        assert.equal(ping.code, 0, ping.stdout + ping.stderr);
        assert.equal(JSON.parse(ping.stdout).messageAuthenticator, true);
      } finally {
        await Promise.all([...clients, off].map((radsec) => radsec.close()));
        assert.equal(await serve.stop(), 0, serve.output());
      }
    });

  it("the check keeps an idle connection open past the listener's idle timeout", async () => {
    const authenticator = await createAuthenticator({ methods: ['md5'], users: { [USER.identity]: { password: USER.password } } });
    let closedByServer: (event: RadSecConnectionEvent) => void = () => undefined;
    const closed = new Promise<RadSecConnectionEvent>((done) => { closedByServer = done; });
    const server = new RadiusServer({ host: '127.0.0.1', port: 0, authenticator, radsec: {
      cert: fixture.pki.serverCert, key: fixture.pki.serverKey, ca: fixture.pki.ca, idleTimeoutMs: 1000,
      onConnectionEvent: (event) => { if (event.event === 'closed') closedByServer(event); },
    } });
    const watch = watched();
    const radsec = client({ statusServerAfterMs: 100, onStatusServer: watch.report });
    try {
      const { port } = await server.listen();
      await radsec.statusServer(endpoint(port));
      // Fifteen checks answered, at least 100 ms apart: well past the 1000 ms idle timeout, on one connection.
      const answered = (async () => {
        for (let count = 0; count < 15; count++) await watch.next('answered');
        return 'answered' as const;
      })();
      assert.equal(await Promise.race([answered, closed.then((event) => `closed: ${event.reason}`)]), 'answered');
      assert.equal(watch.events.filter((event) => event.event === 'unanswered').length, 0);
    } finally {
      await radsec.close();
      await server.close();
      await authenticator.close();
    }
  });

  /** `eaphost ping --radsec` to `port` with the client certificate, as JSON. */
  async function pingOverRadSec(port: number, extra: string[] = []) {
    const { files } = fixture.pki;
    return runMain(['ping', '--radius', `127.0.0.1:${port}`, '--radsec', '--radsec-ca', files.ca, '--radsec-cert', files.clientCert,
      '--radsec-key', files.clientKey, '--radsec-key-password', CLIENT_KEY_PASSWORD, '--radsec-server-name', SERVER_NAME, '--json', ...extra]);
  }

  it('`eaphost ping --radsec`: FreeRADIUS alive over TLS, the secret "radsec" by default; --tries refused over RadSec', async () => {
    const alive = await pingOverRadSec(fixture.server.radsecPort!);
    assert.equal(alive.code, 0, alive.stdout + alive.stderr);
    const report = JSON.parse(alive.stdout);
    assert.equal(report.result, 'alive');
    assert.equal(report.mode, 'radsec');
    assert.equal(report.code, 'Access-Accept');
    assert.equal(report.messageAuthenticator, false);
    const usage = await pingOverRadSec(fixture.server.radsecPort!, ['--tries', '2']);
    assert.equal(usage.code, 2);
    assert.match(usage.stderr, /--tries applies over UDP: over RadSec a request is never sent again/);
  });

  it('check settings out of range are refused with a RangeError', () => {
    for (const statusServerAfterMs of [-1, 1.5, 2 ** 31]) {
      assert.throws(() => client({ statusServerAfterMs }), (error: unknown) => error instanceof RangeError &&
        /statusServerAfterMs must be a whole number from 0/.test(error.message));
    }
    for (const statusServerTimeoutMs of [0, Number.NaN, 2 ** 31]) {
      assert.throws(() => client({ statusServerTimeoutMs }), (error: unknown) => error instanceof RangeError &&
        /statusServerTimeoutMs must be a whole number from 1/.test(error.message));
    }
  });
});

describe('RadSec Status-Server per connection: a connection whose bytes JS does not see (RADIUS/DTLS)', () => {
  it('is asked how long it has been quiet when the check comes due, and gets no Status-Server until that is the whole wait', async () => {
    // The real client engine, its stream's writes caught: a Status-Server sent is a write there.
    const written: Buffer[] = [];
    const engine = new ClientEngine({ streams: { write: (_link, datagram) => written.push(datagram), broken: () => undefined,
      resume: () => undefined } });
    const AFTER_MS = 40;
    let quiet = 0;
    let asked = 0;
    let closed: Error | undefined;
    const target = engine.streamTarget(1, '127.0.0.1', 2083, RADSEC_DTLS_SECRET);
    const watchdog = new RadSecWatchdog({ engine, link: 1, server: '127.0.0.1:2083', target: () => target,
      quietMs: () => { asked++; return quiet; }, close: (error) => { closed = error; } }, AFTER_MS, 60_000);
    try {
      // Records keep coming (the association heard from the server just now): the check waits again, each time.
      while (asked < 5) await new Promise((resolve) => setTimeout(resolve, AFTER_MS));
      assert.equal(written.length, 0, 'a Status-Server while the server was heard from');
      // Quiet for the whole wait: the next time it comes due, one Status-Server goes out.
      quiet = AFTER_MS;
      while (written.length === 0) await new Promise((resolve) => setTimeout(resolve, AFTER_MS));
      assert.equal(written[0][0], RadiusCode.StatusServer);
      assert.equal(closed, undefined);
    } finally {
      watchdog.stop();
      engine.close();
    }
  });
});
