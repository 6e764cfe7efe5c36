/**
 * The README's one PEAP example, run as written against a real FreeRADIUS on loopback: the code
 * block is taken from README.md, only the server address, secret, CA file and credentials are
 * put in for this run's, and what it prints must be what the README says it prints.
 */
import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as ts from 'typescript';
import { FreeRadiusInstance, startFreeRadius } from '../support/freeradius';
import { InteropPki, SERVER_NAME, makeInteropPki } from '../support/interop-pki';

const repo = join(__dirname, '..', '..', '..');

/** The ```ts block that follows "One PEAP example" in the README. */
function readmeExample(): string {
  const readme = readFileSync(join(repo, 'README.md'), 'utf8');
  const start = readme.indexOf('One PEAP example');
  assert.ok(start >= 0, 'README has its PEAP example');
  const block = /```ts\n([\s\S]*?)```/.exec(readme.slice(start));
  assert.ok(block, 'the PEAP example is a ts code block');
  return block[1];
}

describe("the README's PEAP example", function () {
  this.timeout(60000);
  const user = { identity: 'alice', password: 'correct horse battery staple' };
  let pki: InteropPki | undefined;
  let server: FreeRadiusInstance | undefined;

  before(async () => {
    pki = await makeInteropPki();
    server = await startFreeRadius({
      secret: 'testing123', users: [user],
      certificates: { ca: pki.files.ca, serverCert: pki.files.serverCert, serverKey: pki.files.serverKey },
    });
  });

  after(async () => {
    await server?.stop();
    pki?.remove();
  });

  it('authenticates against FreeRADIUS and prints "true 64 true"', async () => {
    let code = readmeExample();
    for (const [from, to] of [
      ["'root-ca.pem'", JSON.stringify(pki!.files.ca)],
      ["'radius.example.net'", JSON.stringify(SERVER_NAME)],
      ["host: '192.0.2.10', port: 1812", `host: ${JSON.stringify(server!.host)}, port: ${server!.port}`],
      ["from 'eaphost/dist/lib/radius'", `from ${JSON.stringify(join(repo, 'dist', 'lib', 'radius'))}`],
      ["from 'eaphost'", `from ${JSON.stringify(join(repo, 'dist', 'lib', 'index'))}`],
    ]) {
      assert.ok(code.includes(from), `the example still contains ${from}`);
      code = code.split(from).join(to);
    }
    // The README's credentials and secret are the ones this server was given.
    assert.ok(code.includes(`identity: '${user.identity}'`) && code.includes(`password: '${user.password}'`));
    assert.ok(code.includes("secret: 'testing123'"));
    const js = ts.transpileModule(`export {};\n${code}`, {
      compilerOptions: { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2022, lib: ['esnext.disposable'] },
    }).outputText;
    const printed: unknown[][] = [];
    // Run as a module body in an async function: the example uses top-level await.
    const run = new Function('require', 'exports', 'console', `return (async () => {\n${js}\n})();`) as
      (req: NodeRequire, exp: object, con: Pick<Console, 'log'>) => Promise<void>;
    await run(require, {}, { log: (...values: unknown[]) => printed.push(values) });
    assert.deepEqual(printed, [[true, 64, true]]);
  });
});
