/**
 * On Windows the addon's own threads carry descriptions (SetThreadDescription, through
 * native/common/thread_name_win32.cc), which Visual Studio, WinDbg, WPA and Process Explorer show
 * where every other thread of node.exe is nameless. The truth is Wine's own record of each thread
 * renamed in Windows node.exe (WINEDEBUG's threadname channel), from a node.exe that runs one
 * in-process authentication and opens three RADIUS servers (the default step threads, three,
 * none). Run from scripts/wine/run.sh (test/support/wine-node.ts); test/linux/thread-names.test.ts
 * reads the same names in /proc.
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
  // The default (one step thread per CPU, at most 8, none on one), then three and none as asked.
  for (const stepThreads of [undefined, 3, 0]) {
    const server = new RadiusServer({ port: 0, secret: 'thread-names', authenticator, stepThreads });
    await server.listen();
    await server.close();
  }
  await authenticator.close();
  console.log(JSON.stringify({ success: result.success, cores: require('os').availableParallelism() }));
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
    // The engine hands TLS-based steps to a thread per CPU Node counts (2 to 8; none on one), or as many as stepThreads says.
    assert.equal(count('eaphost step'), (cores >= 2 ? Math.min(cores, 8) : 0) + 3 + 0, `step threads: ${renamed.join(', ')}`);
    assert.equal(count('eaphost radius'), 3, `one RADIUS engine thread a server: ${renamed.join(', ')}`);
    assert.equal(renamed.length, count('eaphost host') + count('eaphost owner') + count('eaphost step') + count('eaphost radius'),
      `no other name: ${renamed.join(', ')}`);
  });
});
