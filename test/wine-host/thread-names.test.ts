/**
 * On Windows the addon's own threads carry descriptions (SetThreadDescription, through
 * native/common/thread_name_win32.cc), which Visual Studio, WinDbg, WPA and Process Explorer show
 * where every other thread of node.exe is nameless. The truth is Wine's own record of each thread
 * renamed in Windows node.exe (WINEDEBUG's threadname channel), from a node.exe that runs one
 * in-process authentication and opens a RADIUS server. Run from scripts/wine/run.sh
 * (test/support/wine-node.ts); test/linux/thread-names.test.ts reads the same names in /proc.
 */
import { strict as assert } from 'node:assert';
import { runWineNode } from '../support/wine-node';

const CHILD = `
const { authenticate, createAuthenticator, openEapHost } = require('./dist/lib');
const { RadiusServer } = require('./dist/lib/radius');
(async () => {
  const host = await openEapHost();
  const authenticator = await createAuthenticator({ users: { ida: { password: 'pw' } } });
  const session = await host.beginSession({ method: 'md5', identity: 'ida', password: 'pw' });
  const result = await authenticate({ session, transport: authenticator.createConversation() });
  await session.endSession();
  await host.close();
  const server = new RadiusServer({ port: 0, secret: 'thread-names', authenticator });
  await server.listen();
  await server.close();
  await authenticator.close();
  console.log(JSON.stringify({ success: result.success, cores: require('os').cpus().length }));
})().catch((error) => { console.error(error); process.exit(1); });
`;

describe('thread names in Windows node.exe under Wine', function () {
  this.timeout(120_000);

  it("the host thread, EAPHost's owner thread, the RADIUS engine's thread and its step threads name themselves", async () => {
    const { code, output } = await runWineNode(['-e', CHILD], { WINEDEBUG: '-all,warn+threadname' });
    assert.equal(code, 0, output);
    const line = output.split('\n').find((text) => text.startsWith('{'));
    assert.ok(line, `no report:\n${output}`);
    const { success, cores } = JSON.parse(line) as { success: boolean; cores: number };
    assert.equal(success, true);
    const renamed = [...output.matchAll(/Thread renamed to L"(eaphost [^"]*)"/g)].map((match) => match[1]);
    const count = (name: string) => renamed.filter((given) => given === name).length;
    assert.equal(count('eaphost host'), 1, `one host thread: ${renamed.join(', ')}`);
    assert.equal(count('eaphost owner'), 1, `one owner thread: ${renamed.join(', ')}`);
    // The engine hands TLS-based steps to a thread per core (2 to 8), none on a single core.
    assert.equal(count('eaphost step'), cores >= 2 ? Math.min(cores, 8) : 0, `step threads: ${renamed.join(', ')}`);
    assert.equal(count('eaphost radius'), 1, `one RADIUS engine thread: ${renamed.join(', ')}`);
    assert.equal(renamed.length, count('eaphost host') + count('eaphost owner') + count('eaphost step') + count('eaphost radius'),
      `no other name: ${renamed.join(', ')}`);
  });
});
