/**
 * Every client-side role that sends one request (accounting, Status-Server, CoA, Disconnect and
 * `auth --radius`'s Access-Request) goes out through one long-lived client engine per address
 * family: one UDP socket and one thread, however many requests, in turn or at once. Judged from
 * outside the code under test: the UDP sockets the process holds (/proc/self/fd against
 * /proc/self/net/udp{,6}), its threads by name (/proc/self/task/<id>/comm), the answers of a real
 * FreeRADIUS (which verifies each request's authenticator) and of the Dynamic Authorization Server,
 * and a child process that must end as soon as nothing is out.
 */
import { strict as assert } from 'node:assert';
import { spawn } from 'node:child_process';
import { readdirSync, readFileSync, readlinkSync } from 'node:fs';
import { join } from 'node:path';
import {
  accountingRequest, AcctStatusType, coaRequest, disconnectRequest, DynamicAuthorizationServer, RadiusAttributeType, RadiusCode,
  statusServer,
} from '../../lib/radius';
import { AccountingCode } from '../../lib/radius/accounting';
import { accessRequestOn } from '../../lib/radius/client';
import { closeSharedClientEngine } from '../../lib/radius/client-engine';
import { startFreeRadius, FreeRadiusInstance } from '../support/freeradius';

const SECRET = 'shared-engine-secret';
const DAS_SECRET = 'shared-engine-das-secret';
const USER = { identity: 'sharon', password: 'sh4red pass' };

/** The inodes of the UDP sockets this process holds open. */
function udpSockets(): Set<string> {
  const own = new Set<string>();
  for (const fd of readdirSync('/proc/self/fd')) {
    let target = '';
    try {
      target = readlinkSync(`/proc/self/fd/${fd}`);
    } catch {
      continue;  // closed meanwhile (readdir's own descriptor)
    }
    const inode = /^socket:\[(\d+)\]$/.exec(target)?.[1];
    if (inode) own.add(inode);
  }
  const udp = new Set<string>();
  for (const table of ['/proc/self/net/udp', '/proc/self/net/udp6']) {
    for (const line of readFileSync(table, 'utf8').split('\n').slice(1)) {
      const inode = line.trim().split(/\s+/)[9];
      if (inode !== undefined && own.has(inode)) udp.add(inode);
    }
  }
  return udp;
}

/** This process's threads named `name` (the kernel keeps 15 bytes of it), by task id. */
function threadsNamed(name: string): Set<string> {
  return new Set(readdirSync('/proc/self/task').filter((task) => {
    try {
      return readFileSync(`/proc/self/task/${task}/comm`, 'utf8').trim() === name;
    } catch {
      return false;  // ended meanwhile
    }
  }));
}

/** What `now` holds that `before` did not: what opened since (anything of before's that closed meanwhile,
 *  an engine another test left to the collector, say, is no concern). */
const added = (now: Set<string>, before: Set<string>): string[] => [...now].filter((item) => !before.has(item));
const RCLIENT = 'eaphost rclient';

describe('one client engine per address family, shared by accounting, Status-Server, CoA, Disconnect and auth --radius', function () {
  this.timeout(60_000);
  let freeradius: FreeRadiusInstance;
  let das4: DynamicAuthorizationServer;
  let das6: DynamicAuthorizationServer;
  let handled = 0;
  const ports = { das4: 0, das6: 0 };

  before(async () => {
    closeSharedClientEngine();
    freeradius = await startFreeRadius({ secret: SECRET, users: [USER], accounting: true, statusServer: true });
    const das = (host: string, network: string): DynamicAuthorizationServer => new DynamicAuthorizationServer({
      host, port: 0, clients: [{ network, secret: DAS_SECRET }], handle: () => { handled++; return { done: true }; },
    });
    das4 = das('127.0.0.1', '127.0.0.1');
    das6 = das('::1', '::1');
    ports.das4 = (await das4.listen()).port;
    ports.das6 = (await das6.listen()).port;
  });
  after(async () => {
    closeSharedClientEngine();
    await das4?.close();
    await das6?.close();
    await freeradius?.stop();
  });

  it('many requests of every role, in turn and at once, leave one socket and one thread per family, answered by the real peers', async () => {
    const before = udpSockets();
    const threadsBefore = threadsNamed(RCLIENT);
    const acct = { host: '127.0.0.1', port: freeradius.acctPort!, secret: SECRET };
    const status = { host: '127.0.0.1', port: freeradius.statusPort!, secret: SECRET };
    const auth = { host: '127.0.0.1', port: freeradius.port, secret: SECRET };
    const nas4 = { host: '127.0.0.1', port: ports.das4, secret: DAS_SECRET };
    const nas6 = { host: '::1', port: ports.das6, secret: DAS_SECRET };
    const accounting = (n: number) => accountingRequest(acct, [
      { type: RadiusAttributeType.UserName, value: Buffer.from(USER.identity) },
      { type: 40, value: Buffer.from([0, 0, 0, AcctStatusType.InterimUpdate]) },
      { type: 44, value: Buffer.from(`shared-${n}`) },
    ], { timeoutMs: 5000, tries: 3 });
    const session = { callingStationId: '02-00-00-00-00-01' };
    const roles = (n: number): Promise<number>[] => [
      accounting(n).then((answer) => answer.reply.code),
      statusServer(status, { timeoutMs: 5000, tries: 3 }).then((answer) => answer.reply.code),
      disconnectRequest(nas4, { session }, { timeoutMs: 5000 }).then((answer) => answer.code),
      coaRequest(nas4, { session, changes: { sessionTimeout: 60 } }, { timeoutMs: 5000 }).then((answer) => answer.code),
      accessRequestOn(undefined, auth, [{ type: RadiusAttributeType.UserName, value: Buffer.from(USER.identity) }],
        { userPassword: Buffer.from(USER.password), requireMessageAuthenticator: false, timeoutMs: 5000 })
        .then((answer) => answer.reply.code),
    ];
    const expected = [AccountingCode.Response, RadiusCode.AccessAccept, RadiusCode.DisconnectAck, RadiusCode.CoaAck,
      RadiusCode.AccessAccept];
    // In turn: the first request opens the engine, every later one finds it.
    const seen = new Set<string>();
    for (let n = 0; n < 6; n++) {
      for (const [i, made] of roles(n).entries()) {
        const inFlight = added(udpSockets(), before);
        inFlight.forEach((inode) => seen.add(inode));
        assert.equal(await made, expected[i], `role ${i}, round ${n}`);
      }
    }
    assert.equal(seen.size, 1, `sockets while requests went out in turn: ${[...seen].join(', ')}`);
    // At once: 150 requests out together, on the same socket.
    const together = Array.from({ length: 30 }, (_, n) => roles(100 + n)).flat();
    const during = added(udpSockets(), before);
    const threadsDuring = added(threadsNamed(RCLIENT), threadsBefore).length;
    const codes = await Promise.all(together);
    assert.deepEqual(codes, Array.from({ length: 30 }, () => expected).flat());
    assert.deepEqual(during, [...seen], 'the socket of the requests in turn carries the 150 at once');
    assert.equal(threadsDuring, 1, 'one client engine thread');
    // Another family: an engine of its own, and only one.
    const six = await Promise.all(Array.from({ length: 20 }, () => disconnectRequest(nas6, { session }, { timeoutMs: 5000 })));
    assert.ok(six.every((answer) => answer.code === RadiusCode.DisconnectAck));
    assert.equal(added(udpSockets(), before).length, 2, 'one socket per address family');
    assert.equal(added(threadsNamed(RCLIENT), threadsBefore).length, 2, 'one thread per address family');
    assert.equal(handled, 6 * 2 + 30 * 2 + 20, 'each CoA and Disconnect reached the policy once');
    // Closed: its sockets and threads are gone, and the next request opens it again.
    closeSharedClientEngine();
    assert.deepEqual(added(udpSockets(), before), []);
    assert.deepEqual(added(threadsNamed(RCLIENT), threadsBefore), []);
    assert.equal(await roles(999)[0], AccountingCode.Response);
    assert.equal(added(udpSockets(), before).length, 1);
  });

  /** A child that sends one request (`script`, given the lib/radius module as `radius`) and ends
   *  its script there: resolves with its exit code, what it wrote and the time from its "sent"
   *  line to its exit. */
  function child(script: string): Promise<{ code: number | null; out: string; afterSentMs: number }> {
    const lib = join(__dirname, '..', '..', 'lib', 'radius');
    const program = `const radius = require(${JSON.stringify(lib)}); (async () => { ${script} })();`;
    return new Promise((resolve, reject) => {
      const process_ = spawn(process.execPath, ['-e', program], { stdio: ['ignore', 'pipe', 'inherit'] });
      let out = '';
      let sentAt = 0;
      process_.stdout.on('data', (chunk: Buffer) => {
        out += chunk.toString();
        if (sentAt === 0 && out.includes('sent')) sentAt = performance.now();
      });
      process_.on('error', reject);
      process_.on('exit', (code) => resolve({ code, out, afterSentMs: performance.now() - sentAt }));
    });
  }

  it('holds the process open while a request is out, and not a moment longer', async () => {
    // Answered: the child ends at once, though the engine stays open (idle) for the next request.
    const answered = await child(`const reply = await radius.accountingRequest({ host: '127.0.0.1', port: ${freeradius.acctPort},
      secret: '${SECRET}' }, [{ type: 40, value: Buffer.from([0, 0, 0, 3]) }, { type: 44, value: Buffer.from('child') }],
      { timeoutMs: 5000 }); console.log('sent', reply.reply.code);`);
    assert.equal(answered.code, 0, answered.out);
    assert.match(answered.out, /^sent 5$/m);
    assert.ok(answered.afterSentMs < 1500, `the child lived ${Math.round(answered.afterSentMs)} ms after its answer`);
    // Unanswered (a port nothing listens on): the request holds the child open for its whole time.
    const waited = await child(`console.log('sent'); const started = Date.now();
      await radius.statusServer({ host: '127.0.0.1', port: 9, secret: 'x' }, { timeoutMs: 1500, tries: 2 })
        .catch((error) => console.log(error.name, Date.now() - started));`);
    assert.equal(waited.code, 0, waited.out);
    const timedOut = /RadiusTimeoutError (\d+)/.exec(waited.out);
    assert.ok(timedOut && Number(timedOut[1]) >= 1400, waited.out);
  });
});
