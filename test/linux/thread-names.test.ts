/**
 * The addon's own threads carry names (native/common/thread_name.h), so `top -H`, perf and
 * /proc/PID/task/TID/comm tell their CPU from the JS thread's and V8's. The truth is the kernel's
 * own list of the process's threads, read in a fresh child process.
 */
import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import { resolve } from 'node:path';
import { inNamespace, makeWiredLink } from '../support/netns';

const LIB = resolve(__dirname, '..', '..', 'lib');
const RADIUS = resolve(LIB, 'radius');

const CHILD = `
const fs = require('fs');
const { authenticate, createAuthenticator, openEapHost } = require(${JSON.stringify(LIB)});
const names = () => fs.readdirSync('/proc/self/task').map((t) => fs.readFileSync('/proc/self/task/' + t + '/comm', 'utf8').trim());
(async () => {
  const host = await openEapHost({ backend: 'portable' });
  const authenticator = await createAuthenticator({ users: { ida: { password: 'pw' } } });
  const session = await host.beginSession({ method: 'md5', identity: 'ida', password: 'pw' });
  const result = await authenticate({ session, transport: authenticator.createConversation() });
  const during = names();
  await session.endSession();
  await authenticator.close();
  await host.close();
  console.log(JSON.stringify({ during, success: result.success }));
})().catch((error) => { console.error(error); process.exit(1); });
`;

// A RADIUS server's engine thread and a Dynamic Authorization Server's, listening; the names read
// again once they have closed.
const SERVER_CHILD = `
const fs = require('fs');
const { createAuthenticator } = require(${JSON.stringify(LIB)});
const { DynamicAuthorizationServer, RadiusServer } = require(${JSON.stringify(RADIUS)});
const names = () => fs.readdirSync('/proc/self/task').map((t) => fs.readFileSync('/proc/self/task/' + t + '/comm', 'utf8').trim());
(async () => {
  const authenticator = await createAuthenticator({ methods: ['md5'], users: { ida: { password: 'pw' } } });
  const server = new RadiusServer({ host: '127.0.0.1', port: 0, secret: Buffer.from('thread-names'), authenticator });
  await server.listen();
  const das = new DynamicAuthorizationServer({ port: 0, clients: [{ network: '127.0.0.1', secret: 'thread-names' }],
    handle: () => ({ done: true }) });
  await das.listen();
  const during = names();
  await server.close();
  await das.close();
  const after = names();
  await authenticator.close();
  console.log(JSON.stringify({ during, after }));
})().catch((error) => { console.error(error); process.exit(1); });
`;

// An EAPOL port's reader thread on an interface of a namespace the test makes; the names read
// again once the port has closed.
const PORT_CHILD = `
const fs = require('fs');
const { openEapolPort } = require(${JSON.stringify(resolve(LIB, 'eapol'))});
const names = () => fs.readdirSync('/proc/self/task').map((t) => fs.readFileSync('/proc/self/task/' + t + '/comm', 'utf8').trim());
const port = openEapolPort(process.argv[1]);
const during = names();
port.close();
console.log(JSON.stringify({ during, after: names() }));
`;

describe('thread names', function () {
  this.timeout(30_000);

  it("the host thread and EAPHost's owner thread are named in /proc; the JS thread keeps its own", () => {
    const child = spawnSync(process.execPath, ['-e', CHILD], { encoding: 'utf8', timeout: 25_000 });
    assert.equal(child.status, 0, child.stderr);
    const { during, success } = JSON.parse(child.stdout.trim().split('\n').pop() as string);
    assert.equal(success, true);
    assert.equal(during.filter((name: string) => name === 'eaphost host').length, 1, `one host thread: ${during.join(', ')}`);
    assert.equal(during.filter((name: string) => name === 'eaphost owner').length, 1, `one owner thread: ${during.join(', ')}`);
    // What this node calls its own JS thread ('node' up to Node 22, 'MainThread' from 24), read in a
    // child that never loads the addon.
    const own = spawnSync(process.execPath, ['-e', "process.stdout.write(require('fs').readFileSync('/proc/self/task/' + process.pid + '/comm', 'utf8').trim())"],
      { encoding: 'utf8', timeout: 25_000 });
    assert.equal(own.status, 0, own.stderr);
    assert.notEqual(own.stdout, '');
    assert.equal(during[0], own.stdout, 'the JS thread (the first task) is not renamed');
  });

  it("a RADIUS server's and a DAS's engine threads are named while they listen, and gone once they close", () => {
    const child = spawnSync(process.execPath, ['-e', SERVER_CHILD], { encoding: 'utf8', timeout: 25_000 });
    assert.equal(child.status, 0, child.stderr);
    const { during, after } = JSON.parse(child.stdout.trim().split('\n').pop() as string);
    assert.equal(during.filter((name: string) => name === 'eaphost radius').length, 1, `one engine thread: ${during.join(', ')}`);
    assert.equal(after.filter((name: string) => name === 'eaphost radius').length, 0, `closed: ${after.join(', ')}`);
    assert.equal(during.filter((name: string) => name === 'eaphost das').length, 1, `one DAS thread: ${during.join(', ')}`);
    assert.equal(after.filter((name: string) => name === 'eaphost das').length, 0, `DAS closed: ${after.join(', ')}`);
  });

  it("an EAPOL port's reader thread is named while the port is open, and gone once it closes", async () => {
    const link = await makeWiredLink();
    try {
      const [program, args] = inNamespace(link.authenticator.ns, process.execPath, ['-e', PORT_CHILD, link.authenticator.ifname]);
      const child = spawnSync(program, args, { encoding: 'utf8', timeout: 25_000 });
      assert.equal(child.status, 0, child.stderr);
      const { during, after } = JSON.parse(child.stdout.trim().split('\n').pop() as string);
      assert.equal(during.filter((name: string) => name === 'eaphost eapol').length, 1, `one reader thread: ${during.join(', ')}`);
      assert.equal(after.filter((name: string) => name === 'eaphost eapol').length, 0, `closed: ${after.join(', ')}`);
    } finally {
      await link.remove();
    }
  });
});
