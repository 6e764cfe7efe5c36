/**
 * Every code block of README.md and docs/*.md, run as a user would run it. TypeScript blocks are compiled with
 * the tsconfig.json the README states (an ES module, or CommonJS for the variant that says so) in
 * an empty project that has this package in node_modules, and run; what they print must be what
 * their comments say. Shell blocks run through an `eaphost` command on PATH in a directory that
 * holds the files they name, against servers this test starts on loopback (FreeRADIUS with a
 * test PKI, accounting, Status-Server and RadSec, CoA over RadSec; hostapd's Dynamic Authorization
 * Server for Disconnect and CoA); the only edits are the substitutions below
 * (addresses, ports, this run's password, a shorter load duration). XML blocks go through the
 * configuration API, the architecture block is checked against the tree. A block no handler
 * claims fails the test, and so does a handler whose block is gone.
 */
import { strict as assert } from 'node:assert';
import { createHash, createPrivateKey } from 'node:crypto';
import { chmodSync, copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { openEapHost } from '../../lib';
import { encodeConnectionData } from '../../lib/core/connection-data';
import { NATIVE_FUNCTION_NAMES } from '../../lib/native/contract';
import { eventLine } from '../../lib/cli/commands/connect/connect';
import type { ConnectCode, ConnectEvent, ConnectOutcome } from '../../lib/profile/connect/outcome';
import { categoryOfCodes, nameOf } from '../../lib/profile/connect/reasons';
import { CATEGORIES } from '../support/connect-categories';
import { FreeRadiusInstance, startFreeRadius } from '../support/freeradius';
import { DasHostapd, startDasHostapd } from '../support/hostapd-das';
import { InteropPki, SERVER_NAME, makeInteropPki } from '../support/interop-pki';
import { makeTempDir } from '../support/programs';
import { runEapolTest } from '../support/eapol-test';
import { startEaphostServe } from '../support/eaphost-serve';
import { runRadclient } from '../support/cli-run';
import { openBackend } from '../../lib/accounting';
import { sqliteRows, sqliteSchema } from '../support/accounting-oracle';
import { MAB_METHOD, checkPolicy } from '../../lib/radius/policy';
import { mabFile } from '../../lib/cli/commands/serve/serve-policy';
import {
  CodeBlock, compileTypeScript, documentationBlocks, expectedPrints, makeConsumerProject, readmeWindowsCommand, repo, run, shellCommands,
} from '../support/readme-blocks';

const SECRET = 'testing123';
const CONNECT_STATES: ConnectEvent['state'][] = ['installing', 'associating', 'associated', '802.1x-started', 'method',
  'authenticating', 'authenticated', 'configuring', 'connected', 'failed', 'cleaning-up'];
/** What the README's `PW` (and its example passwords) stand for in this run. */
const PASSWORD = 'correct horse battery staple';
const MAC = '001122334455';

interface Handler {
  name: string;
  claims(block: CodeBlock): boolean;
  run(block: CodeBlock): Promise<void>;
}

describe('README.md and docs/*.md, every code block run as written', function () {
  this.timeout(300_000);
  const blocks = documentationBlocks();
  /** Where a block is, for messages and file names: README.md:12, docs/api.md:40. */
  const at = (b: CodeBlock) => `${b.file}:${b.line}`;
  const fileName = (b: CodeBlock) => `block-${b.file.replace(/\W+/g, '-')}-${b.line}`;
  let pki: InteropPki;
  let server: FreeRadiusInstance;
  let das: DasHostapd;
  let work: { path: string; remove(): void };
  let project: string;
  let shellDir: string;
  const tsconfigBlock = () => {
    const found = blocks.filter((b) => b.lang === 'json' && b.code.includes('"compilerOptions"'));
    assert.equal(found.length, 1, 'README states one tsconfig.json');
    return found[0].code;
  };

  before(async () => {
    pki = await makeInteropPki();
    server = await startFreeRadius({
      secret: SECRET, statusServer: true, accounting: true,
      users: [{ identity: 'alice', password: PASSWORD }, { identity: 'probe', password: PASSWORD },
        { identity: MAC, password: MAC }],
      certificates: { ca: pki.files.ca, serverCert: pki.files.serverCert, serverKey: pki.files.serverKey },
      radsec: { ca: pki.files.ca, serverCert: pki.files.serverCert, serverKey: pki.files.serverKey }, radsecCoa: true,
    });
    das = await startDasHostapd({ secret: SECRET });
    work = makeTempDir('readme');
    project = join(work.path, 'project');
    shellDir = join(work.path, 'shell');
    mkdirSync(project);
    mkdirSync(shellDir);
    makeConsumerProject(project);
    const tsDirs = [join(project, 'module'), join(project, 'commonjs')];
    for (const dir of tsDirs) mkdirSync(dir);
    // The files the blocks name, in the directories they run in. Keys are encrypted with the one
    // password the blocks' PW stands for.
    const encrypted = (plainKey: string) => createPrivateKey(readFileSync(plainKey)).export(
      { type: 'pkcs8', format: 'pem', cipher: 'aes-256-cbc', passphrase: PASSWORD }) as string;
    const clientKey = encrypted(join(pki.dir, 'client.plain.key'));
    for (const dir of [...tsDirs, shellDir]) {
      for (const name of ['ca.pem', 'root-ca.pem', 'clients-ca.pem', 'nas-ca.pem', 'radsec-ca.pem']) copyFileSync(pki.files.ca, join(dir, name));
      copyFileSync(pki.files.clientCert, join(dir, 'client.pem'));
      copyFileSync(pki.files.clientCert, join(dir, 'nas.pem'));
      copyFileSync(pki.files.serverCert, join(dir, 'server.pem'));
      writeFileSync(join(dir, 'client.key'), clientKey);
      copyFileSync(join(pki.dir, 'client.plain.key'), join(dir, 'nas.key'));
      copyFileSync(pki.files.serverKey, join(dir, 'server.key'));
      writeFileSync(join(dir, 'users.json'), JSON.stringify({ alice: { password: PASSWORD }, probe: { password: PASSWORD } }));
      mkdirSync(join(dir, 'examples'));
      copyFileSync(join(repo, 'examples', 'users.json'), join(dir, 'examples', 'users.json'));
    }
    // `eaphost` on PATH, as `npm install -g eaphost` puts it there.
    mkdirSync(join(work.path, 'bin'));
    const bin = join(work.path, 'bin', 'eaphost');
    writeFileSync(bin, `#!/bin/sh\nexec "${process.execPath}" "${join(repo, 'dist', 'lib', 'cli', 'main.js')}" "$@"\n`);
    chmodSync(bin, 0o755);
  });

  after(async () => {
    await das?.daemon.stop();
    await server?.stop();
    pki?.remove();
    work?.remove();
  });

  /** The README's addresses, ports, names and passwords, made this run's. */
  function substitute(text: string): string {
    const ports: Record<string, number | undefined> = {
      1812: server.port, 1813: server.acctPort, 2083: server.radsecPort, 18121: server.statusPort,
    };
    return text
      .replace(/(?:radius\.example\.com|192\.0\.2\.10|127\.0\.0\.1):(1812|1813|2083|18121)\b/g, (_, p: string) => `127.0.0.1:${ports[p]}`)
      .replace(/nas\.example\.com:3799\b/g, `127.0.0.1:${das.port}`)
      .replace(/nas\.example\.com:2083\b/g, `127.0.0.1:${server.radsecCoaPort}`)
      .replace(/host: '192\.0\.2\.10', port: 1812/g, `host: '127.0.0.1', port: ${server.port}`)
      .replace(/radius\.example\.(?:com|net)/g, SERVER_NAME)
      .replace(/\bPW\b/g, `'${PASSWORD}'`)
      .replace(/keyPassword: 'key password'/g, `keyPassword: '${PASSWORD}'`)
      .replace(/password: 'pw'|'alice', 'pw'/g, (m) => m.replace("'pw'", `'${PASSWORD}'`))
      .replace(/9F0C…E1/g, '$SESSION_ID')
      .replace(/--timeout MS\b/g, '--timeout 5000')
      .replace(/--max-conversations N\b/g, '--max-conversations 100')
      .replace(/--duration 60\b/g, '--duration 3');  // the load example, kept short here
  }

  /** ES module blocks (top-level await) and CommonJS ones, each kind compiled once, in one program. */
  const isModuleBlock = (b: CodeBlock) => /^await /m.test(b.code);
  const compiled = new Map<'module' | 'commonjs', Record<string, string[]>>();
  function compiledDiagnostics(block: CodeBlock, type: 'module' | 'commonjs'): string[] {
    if (!compiled.has(type)) {
      const sources = Object.fromEntries(blocks.filter((b) => b.lang === 'ts' && isModuleBlock(b) === (type === 'module'))
        .map((b) => [fileName(b), substitute(b.code)]));
      compiled.set(type, compileTypeScript(join(project, type), sources, tsconfigBlock(), type));
    }
    return compiled.get(type)![fileName(block)];
  }

  async function runTypeScript(block: CodeBlock, type: 'module' | 'commonjs'): Promise<void> {
    const errors = compiledDiagnostics(block, type);
    assert.deepEqual(errors, [], `${at(block)} does not compile as ${type} with the README's tsconfig.json`);
    const ran = await run(process.execPath, [`${fileName(block)}.js`], { cwd: join(project, type) });
    assert.equal(ran.code, 0, `${at(block)} exited ${ran.code}: ${ran.stderr}`);
    const printed = ran.stdout.trim() === '' ? [] : ran.stdout.trim().split('\n');
    assert.deepEqual(printed, expectedPrints(block.code), `${at(block)} prints what its comments say`);
  }

  /** What a documented command is expected to exit with here, and why, when it is not 0. */
  function expectedExit(command: string): { code: number; why: string } {
    if (/--method pap|--mab/.test(command) && !command.includes('--no-require-message-authenticator')) {
      return { code: 3, why: 'FreeRADIUS 3.2.1 signs only EAP replies: the README says PAP and MAB need --no-require-message-authenticator there' };
    }
    if (/^eaphost (disconnect|coa) .*--radsec /.test(command)) return { code: 0, why: '' };  // FreeRADIUS's CoA listener over TLS: an ACK
    if (/^eaphost (disconnect|coa) /.test(command)) {
      return { code: 1, why: "hostapd's Dynamic Authorization Server here has no stations: a NAK (503, or 401 for what its CoA does not change)" };
    }
    if (command.includes('--cert-warn-days 30')) {
      return { code: 1, why: "the test PKI's server certificate expires within a day: WARNING" };
    }
    return { code: 0, why: '' };
  }

  /** `output` holds the block's lines as written, one after another, "…" standing for what differs run to run (identifiers, lengths, keys). */
  function assertPrinted(output: string, code: string, shown: string): void {
    const lines = code.trim().split('\n').map((line) => line.split('…').map((part) => part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('[^\\n]*'));
    assert.match(output, new RegExp(lines.join('\n')), shown);
  }

  async function runShell(block: CodeBlock): Promise<void> {
    let sessionId = '';
    // A block's `export` lines hold for the commands after them, as in the reader's shell.
    let exported = '';
    for (const written of shellCommands(block.code)) {
      // [optional] parts are given too, but for the password of a key: the keys named only with
      // an optional password (server.key, nas.key) are written unencrypted.
      const command = substitute(written.replace(/\[--(?:radsec-)?key-password PW\]/g, '')).replace(/\[([^\]]*)\]/g, '$1');
      const env = { PATH: `${join(work.path, 'bin')}:${process.env.PATH}`, SESSION_ID: sessionId };
      if (/^export /.test(command)) {
        exported += `${command}; `;
        continue;
      }
      if (/^eaphost serve /.test(command)) {
        // Port 0: the server takes a free one itself (a port probed free here can be taken before it binds).
        const line = command.replace(/--port \d+/, '--port 0');
        const shell = `${exported}${line} & pid=$!; for i in $(seq 600); do sleep 0.1; grep -q 'listening on' out.log && break; done; ` +
          'kill -TERM $pid; wait $pid';
        const ran = await run('bash', ['-c', `(${shell}) >out.log 2>&1; status=$?; cat out.log; exit $status`], { cwd: shellDir, env });
        assert.match(ran.stdout, /listening on/, `${at(block)}: \`${written}\` did not start:\n${ran.stdout}`);
        continue;
      }
      const ran = await run('bash', ['-c', exported + command], { cwd: shellDir, env });
      const expected = expectedExit(command);
      assert.equal(ran.code, expected.code,
        `${at(block)}: \`${written}\` exited ${ran.code}${expected.why ? ` (expected ${expected.code}: ${expected.why})` : ''}\n` +
        `${ran.stdout}\n${ran.stderr}`);
      sessionId = /session ([0-9A-Fa-f]{8,})/.exec(ran.stdout)?.[1] ?? sessionId;
    }
  }

  const handlers: Handler[] = [
    {
      name: "the first command: setup, then the embedded PEAP authentication (setup.sh is what CI's machine runs; here its packages are installed)",
      claims: (b) => /^bash scripts\/setup\.sh && .*node dist\/lib\/cli\/main\.js auth /.test(b.code),
      run: async (b) => {
        const auth = b.code.trim().split(' && ')[1];
        const ran = await run('bash', ['-c', auth], { cwd: repo });
        assert.equal(ran.code, 0, `${auth}\n${ran.stdout}${ran.stderr}`);
        assert.match(ran.stdout, /succe/i);
        assert.equal(ran.stderr, '', 'a newcomer\'s first command runs without a warning');
      },
    },
    {
      name: 'the test command: not run here, it is the command that runs this test (npm test runs every lane)',
      claims: (b) => b.code.trim() === 'bash scripts/setup.sh --all && npm test',
      run: async () => {
        const pkg = JSON.parse(readFileSync(join(repo, 'package.json'), 'utf8'));
        assert.equal(pkg.scripts.test, 'bash scripts/test-all.sh');
        assert.match(readFileSync(join(repo, 'scripts', 'test-all.sh'), 'utf8'), /all_lanes=\(linux win32 packaging node-versions sanitizers fuzz\)/);
      },
    },
    {
      name: 'npm install eaphost: not run here; the packaging lane installs the packed tarball so (scripts/ci/packaging.sh)',
      claims: (b) => b.code.trim() === 'npm install eaphost',
      run: async () => {
        assert.match(readFileSync(join(repo, 'scripts', 'ci', 'packaging.sh'), 'utf8'), /npm install .*"\$tarball"/);
      },
    },
    {
      name: "the Windows way (PowerShell): not run here; the win32 lane runs it as written (test/windows/tls-methods-windows.test.ts) and the packaging lane from the packed tarball (scripts/wine/packed-prebuild.sh)",
      claims: (b) => b.lang === 'powershell',
      run: async () => {
        const { install, env, args } = readmeWindowsCommand();
        assert.equal(install, 'npm install eaphost');
        assert.equal(env.EAPHOST_PASSWORD, PASSWORD);
        assert.match(readFileSync(join(repo, 'test', 'windows', 'tls-methods-windows.test.ts'), 'utf8'), /readmeWindowsCommand\(\)/);
        const packed = readFileSync(join(repo, 'scripts', 'wine', 'packed-prebuild.sh'), 'utf8');
        assert.ok(packed.includes(`main.js" ${args.join(' ')}`), `scripts/wine/packed-prebuild.sh runs: eaphost ${args.join(' ')}`);
        const users = args[args.indexOf('--users') + 1];
        assert.ok(users.startsWith('node_modules/eaphost/') && existsSync(join(repo, users.slice('node_modules/eaphost/'.length))), users);
      },
    },
    {
      name: 'eaphost register on Windows: not run here; the win32 lane registers the shipped methods so (scripts/wine/lib.sh)',
      claims: (b) => b.lang === 'sh' && b.code.includes('npx eaphost register --shipped'),
      run: async (b) => {
        assert.match(b.code, /^npx eaphost register --shipped$/m);
        assert.match(readFileSync(join(repo, 'scripts', 'wine', 'lib.sh'), 'utf8'), /dist\/lib\/cli\/main\.js register --shipped/);
      },
    },
    {
      name: "the GnuTLS a Windows prebuild carries, read from its manifest: run as written in a package whose manifest scripts/install/write-manifest.js wrote from this machine's GnuTLS for Windows",
      claims: (b) => b.lang === 'sh' && b.code.includes("eaphost-prebuild.json').gnutls"),
      run: async (b) => {
        // The prefix the lanes build (cached after the first time), as the release's manifest names its own.
        const prefix = spawnSync('bash', [join(repo, 'scripts', 'ci', 'gnutls-mingw.sh'), 'x64'], { encoding: 'utf8' });
        assert.equal(prefix.status, 0, prefix.stderr);
        const gnutlsPrefix = prefix.stdout.trim().split('\n').pop() as string;
        const pc = readFileSync(join(gnutlsPrefix, 'lib', 'pkgconfig', 'gnutls.pc'), 'utf8');
        const version = (/^Version:\s*(\S+)/m.exec(pc) ?? [])[1];
        const consumer = makeTempDir('readme-prebuild');
        try {
          const dir = join(consumer.path, 'node_modules', 'eaphost', 'prebuilds', 'win32-x64');
          mkdirSync(dir, { recursive: true });
          copyFileSync(join(gnutlsPrefix, 'bin', 'libgnutls-30.dll'), join(dir, 'libgnutls-30.dll'));
          // eslint-disable-next-line @typescript-eslint/no-var-requires
          const { writePrebuildManifest } = require(join(repo, 'scripts', 'install', 'write-manifest.js')) as {
            writePrebuildManifest(dir: string, options: { target: string; gnutlsPrefix: string }): unknown;
          };
          writePrebuildManifest(dir, { target: 'win32-x64', gnutlsPrefix });
          const shown = spawnSync('sh', ['-c', b.code], { cwd: consumer.path, encoding: 'utf8' });
          assert.equal(shown.status, 0, shown.stderr);
          assert.ok(version && shown.stdout.includes(`version: '${version}'`), `GnuTLS ${version} in: ${shown.stdout}`);
          assert.match(shown.stdout, /gnutls28/);
          // The one change to Debian's source, by its digest (scripts/ci/patches/).
          const patch = createHash('sha256').update(readFileSync(join(repo, 'scripts', 'ci', 'patches', 'gnutls-dtls-cookie-size.patch'))).digest('hex');
          assert.ok(shown.stdout.includes(patch), `the cookie-size patch ${patch} in: ${shown.stdout}`);
        } finally {
          consumer.remove();
        }
      },
    },
    {
      name: 'scripts/wine/node.sh commands: not run here (Wine); the win32 lane runs node.sh (scripts/wine/node-check.sh), and every flag is one `eaphost help` documents',
      claims: (b) => b.lang === 'sh' && shellCommands(b.code).every((c) => c.startsWith('bash scripts/wine/node.sh ')),
      run: async (b) => {
        assert.match(readFileSync(join(repo, 'scripts', 'wine', 'run.sh'), 'utf8'), /bash scripts\/wine\/node-check\.sh/);
        assert.match(readFileSync(join(repo, 'scripts', 'wine', 'node-check.sh'), 'utf8'), /bash "\$node_sh"/);
        const help = await run(process.execPath, [join(repo, 'dist', 'lib', 'cli', 'main.js'), 'help'], { cwd: shellDir });
        for (const command of shellCommands(b.code)) {
          const word = command.split(' ')[2];
          assert.match(help.stdout, new RegExp(`^  eaphost ${word}\\b`, 'm'), `eaphost has no command "${word}"`);
          for (const flag of command.match(/--[a-z][a-z0-9-]*/g) ?? []) assert.ok(help.stdout.includes(flag), `eaphost help does not mention ${flag}`);
        }
      },
    },
    {
      name: 'the GitHub Action in a workflow: every `with:` is an input action.yml declares, every output read is one it sets (test/action.test.ts runs the action)',
      claims: (b) => b.lang === 'yaml' && /uses: eaphost\/eaphost@v1/.test(b.code),
      run: async (b) => {
        const action = readFileSync(join(repo, 'action.yml'), 'utf8');
        const declared = (section: string) => new Set([...(new RegExp(`^${section}:\\n((?:  .*\\n|\\n)*)`, 'm').exec(action)?.[1] ?? '')
          .matchAll(/^  ([a-z-]+):/gm)].map((m) => m[1]));
        const inputs = declared('inputs');
        const outputs = declared('outputs');
        assert.ok(inputs.has('password') && outputs.has('success'), 'action.yml read');
        const withBlock = /^(\s*)with:\n((?:\1  .*\n)*)/m.exec(`${b.code}\n`);
        assert.ok(withBlock, 'the example passes inputs');
        for (const m of withBlock[2].matchAll(/^\s*([a-z-]+):/gm)) assert.ok(inputs.has(m[1]), `action.yml has no input "${m[1]}"`);
        for (const m of b.code.matchAll(/steps\.\w+\.outputs\.([a-z-]+)/g)) assert.ok(outputs.has(m[1]), `action.yml has no output "${m[1]}"`);
        assert.match(b.code, /password: \$\{\{ secrets\.\w+ \}\}/, 'the example takes the password from a secret');
      },
    },
    {
      name: 'the tsconfig.json the TypeScript blocks are compiled with',
      claims: (b) => b.lang === 'json' && b.code.includes('"compilerOptions"'),
      run: async (b) => {
        const options = JSON.parse(b.code).compilerOptions;
        assert.equal(options.module, 'nodenext');
        assert.equal(options.strict, true);
      },
    },
    {
      name: 'TypeScript blocks with top-level await: compiled as an ES module, run, printing what they say',
      claims: (b) => b.lang === 'ts' && isModuleBlock(b),
      run: (b) => runTypeScript(b, 'module'),
    },
    {
      name: 'the CommonJS variant of the tour: compiled as CommonJS, run, printing what it says',
      claims: (b) => b.lang === 'ts' && !isModuleBlock(b) && b.code.includes('main().catch'),
      run: (b) => runTypeScript(b, 'commonjs'),
    },
    {
      name: 'the command synopsis: every flag it names is one `eaphost help` documents',
      claims: (b) => b.lang === 'sh' && /--method \w+\|/.test(b.code),
      run: async (b) => {
        const help = await run(process.execPath, [join(repo, 'dist', 'lib', 'cli', 'main.js'), 'help'], { cwd: shellDir });
        const text = help.stdout + help.stderr;
        for (const flag of new Set(b.code.match(/--[a-z][a-z0-9-]*/g))) {
          assert.ok(text.includes(flag), `eaphost help does not mention ${flag}`);
        }
      },
    },
    {
      name: 'shell blocks of eaphost commands (and the exports they use): run against FreeRADIUS and eaphost serve on loopback',
      claims: (b) => b.lang === 'sh' && shellCommands(b.code).every((c) => c.startsWith('eaphost ') || c.startsWith('export ')) &&
        shellCommands(b.code).some((c) => c.startsWith('eaphost ')) && !/--method \w+\|/.test(b.code),
      run: runShell,
    },
    {
      name: 'the EapHostConfig example: the configuration API reads it into the connection data encodeConnectionData makes',
      claims: (b) => b.lang === 'xml' && b.code.startsWith('<EapHostConfig'),
      run: async (b) => {
        const ca = readFileSync(pki.files.ca, 'utf8').trim();
        const xml = b.code.replace('-----BEGIN CERTIFICATE-----…', ca);
        assert.notEqual(xml, b.code, 'the example still has its elided certificate');
        await using host = await openEapHost();
        const { methodType, config } = await host.configXml2Blob(xml);
        assert.equal(methodType.type, 25);
        assert.deepEqual(config, encodeConnectionData({ ca, serverName: 'radius.example.net', innerMethod: 'mschapv2' }));
      },
    },
    {
      name: 'the EapHostUserCredentials example: the configuration API reads it for EAP-MSCHAPv2',
      claims: (b) => b.lang === 'xml' && b.code.startsWith('<EapHostUserCredentials'),
      run: async (b) => {
        await using host = await openEapHost();
        const { methodType, credentials } = await host.credentialsXml2Blob(b.code, Buffer.alloc(0));
        assert.deepEqual([methodType.type, methodType.authorId], [26, 32473]);
        assert.ok(credentials.includes(Buffer.from('alice', 'utf16le')) || credentials.includes(Buffer.from('alice')));
      },
    },
    {
      name: "docs/cli.md's usage blocks (generated, test/cli-reference.test.ts): each line is a usage `eaphost help` prints",
      claims: (b) => b.file === 'docs/cli.md' && b.lang === 'text',
      run: async (b) => {
        const help = await run(process.execPath, [join(repo, 'dist', 'lib', 'cli', 'main.js'), 'help'], { cwd: shellDir });
        assert.equal(help.code, 0, help.stderr);
        const usages = help.stdout.split('\n').map((l) => l.trim());
        for (const line of b.code.trim().split('\n')) assert.ok(usages.includes(line), `eaphost help has no usage line \`${line}\``);
      },
    },
    {
      name: 'the `serve --log` line: `eaphost serve --log` prints its fields, in its order, for a conversation',
      claims: (b) => b.lang === 'text' && /^\d{4}-\d\d-\d\dT\S+Z client=/.test(b.code),
      run: async (b) => {
        const keys = (line: string) => [...line.matchAll(/ ([a-z-]+)=/g)].map((m) => m[1]);
        const env = { PATH: `${join(work.path, 'bin')}:${process.env.PATH}` };
        // Port 0 and the port it printed: a port probed free here can be taken before the server binds it.
        const shell = 'eaphost serve --port 0 --host 127.0.0.1 --secret testing123 --users users.json --log >serve.log 2>&1 & pid=$!; ' +
          "for i in $(seq 600); do sleep 0.1; grep -q 'listening on' serve.log && break; done; " +
          "port=$(sed -n 's/^listening on 127\\.0\\.0\\.1:\\([0-9]*\\).*/\\1/p' serve.log); " +
          `eaphost auth --radius 127.0.0.1:$port --secret testing123 --method mschapv2 --identity alice --password '${PASSWORD}'; ` +
          'status=$?; sleep 0.5; kill -TERM $pid; wait $pid; cat serve.log; exit $status';
        const ran = await run('bash', ['-c', shell], { cwd: shellDir, env });
        assert.equal(ran.code, 0, ran.stdout + ran.stderr);
        const logged = ran.stdout.split('\n').find((l) => /^\d{4}-\d\d-\d\dT\S+Z client=/.test(l));
        assert.ok(logged, `serve --log printed no conversation line:\n${ran.stdout}`);
        assert.deepEqual(keys(logged), keys(b.code.trim()));
        assert.match(logged, /identity="alice" method=mschapv2 outcome=accept round-trips=3 /);
      },
    },
    {
      name: "the accounting schema: what Debian's sqlite3 .schema prints for a file serve --accounting made",
      claims: (b) => b.file === 'docs/operator.md' && b.lang === 'sql',
      run: async (b) => {
        const file = join(shellDir, 'accounting.db');
        await (await openBackend(file)).close();
        assert.equal(sqliteRows(file, 'SELECT count(*) AS n FROM accounting_sessions')[0].n, 0);
        assert.equal(sqliteSchema(file).replace(/\s+/g, ' ').trim(), b.code.replace(/\s+/g, ' ').trim());
      },
    },
    {
      name: 'the serve --policy example: checkPolicy takes it as it is, and the next blocks serve it (policy.json)',
      claims: (b) => b.file === 'docs/radius-testing.md' && b.lang === 'json' && b.code.includes('"guest-wifi"'),
      run: async (b) => {
        const policy = JSON.parse(b.code);
        const compiled = checkPolicy(policy);
        assert.equal(compiled.rules?.length, policy.rules.length);
        assert.equal(compiled.rules?.[0].reject, true);
        writeFileSync(join(shellDir, 'policy.json'), b.code);
      },
    },
    {
      name: 'the policy that limits MAB to wired ports of some switches: checkPolicy takes it, MAB on Ethernet first, any other MAB refused',
      claims: (b) => b.file === 'docs/radius-testing.md' && b.lang === 'json' && b.code.includes('"method": "mab", "nasPortType"'),
      run: async (b) => {
        const compiled = checkPolicy(JSON.parse(b.code));
        assert.deepEqual(compiled.rules?.map((rule) => [rule.methods, rule.nasPortTypes, rule.reject]),
          [[[MAB_METHOD], [15], false], [[MAB_METHOD], undefined, true]]);
      },
    },
    {
      name: 'the serve --mab allow-list: serve reads each line of it (mab.txt)',
      claims: (b) => b.file === 'docs/radius-testing.md' && b.lang === 'text' && b.code.startsWith('# printers'),
      run: async (b) => {
        const list = mabFile('mab.txt', b.code);
        assert.deepEqual(list.devices, [{ mac: 'aabbccddeeff', vlan: '30' }, { mac: '001122334455' }, { mac: 'aabbcc000001', vlan: '40' }]);
        assert.deepEqual(checkPolicy(undefined, list).macs, ['aabbccddeeff', '001122334455', 'aabbcc000001']);
        writeFileSync(join(shellDir, 'mab.txt'), b.code);
      },
    },
    {
      name: "eapol_test's view of the Access-Accept: eapol_test PEAP against serve with the example policy prints these lines",
      claims: (b) => b.file === 'docs/radius-testing.md' && b.lang === 'text' && b.code.startsWith('RADIUS message: code=2 (Access-Accept)'),
      run: async (b) => {
        const serve = await startEaphostServe(0, ['--secret', SECRET, '--users', join(shellDir, 'examples', 'users.json'),
          '--methods', 'peap,mschapv2', '--cert', join(shellDir, 'server.pem'), '--key', join(shellDir, 'server.key'),
          '--policy', join(shellDir, 'policy.json')]);
        try {
          const ran = await runEapolTest({ host: '127.0.0.1', port: serve.port, secret: SECRET, method: 'PEAP', identity: 'alice',
            password: PASSWORD, phase2: 'auth=MSCHAPV2', attributes: ['30:s:00-11-22-33-44-55:corp-wifi'], timeoutSeconds: 10 });
          assert.ok(ran.success, ran.stdout.slice(-3000));
          assertPrinted(ran.stdout, b.code, ran.stdout.slice(ran.stdout.lastIndexOf('(Access-Accept)') - 40).slice(0, 2500));
        } finally {
          await serve.stop();
        }
      },
    },
    {
      name: "radclient's view of a MAB Access-Accept: radclient -x against serve with the example policy and allow-list prints these lines",
      claims: (b) => b.file === 'docs/radius-testing.md' && b.lang === 'text' && b.code.startsWith('Received Access-Accept'),
      run: async (b) => {
        const serve = await startEaphostServe(0, ['--secret', SECRET, '--users', join(shellDir, 'examples', 'users.json'),
          '--policy', join(shellDir, 'policy.json'), '--mab', join(shellDir, 'mab.txt'), '--log']);
        try {
          const mab = (mac: string, spelled: string) => runRadclient(serve.port, SECRET, 'auth', `User-Name = "${mac}"\nUser-Password = "${mac}"\n` +
            `Calling-Station-Id = "${spelled}"\nService-Type = Call-Check\nMessage-Authenticator = 0x00\n`, 2);
          const listed = await mab('aabbccddeeff', 'AA-BB-CC-DD-EE-FF');
          assert.equal(listed.code, 0, listed.output);
          assertPrinted(listed.output, b.code, listed.output);
          assert.match((await mab('665544332211', '66-55-44-33-22-11')).output, /Received Access-Reject/);
          await serve.logged(/identity="665544332211" method=mab outcome=reject [^\n]*reason="policy: MAB: 665544332211 is not in the allow-list/);
        } finally {
          await serve.stop();
        }
      },
    },
    {
      name: 'the architecture map: every folder it names exists',
      claims: (b) => b.lang === '' && /^native\/abi\//m.test(b.code),
      run: async (b) => {
        const folders = [...b.code.matchAll(/^(\S+\/)\s/gm)].map((m) => m[1]);
        assert.ok(folders.length >= 4);
        for (const folder of folders) assert.ok(existsSync(join(repo, folder)), `${folder} is named but does not exist`);
      },
    },
    {
      name: "docs/connect.md's recorded outcomes: every line is one the CLI prints, every code's name and category the reason table's",
      claims: (b) => b.file === 'docs/connect.md' && (b.lang === 'text' || b.lang === 'json'),
      run: async (b) => {
        const categories = new Set<string>(CATEGORIES);
        const checkCodes = (codes: ConnectCode[]): void => {
          for (const code of codes) {
            if (code.name !== undefined) assert.equal(code.name, nameOf(code), `${at(b)}: ${code.source} ${code.value}`);
          }
        };
        const checkCategory = (category: string, connected: boolean, codes: ConnectCode[]): void => {
          assert.ok(categories.has(category), `${at(b)}: ${category} is no category`);
          // A backend decides these two from what did not happen (no EAP-Request, no final record),
          // and `authenticated` from where the attempt was asked to end (--until authenticated).
          if (!connected && !['no-authenticator', 'timeout', 'authenticated'].includes(category) && codes.length > 0) {
            assert.equal(categoryOfCodes(codes), category, `${at(b)}: the table reads these codes otherwise`);
          }
        };
        if (b.lang === 'json') {
          const outcome = JSON.parse(b.code) as ConnectOutcome;
          assert.equal(typeof outcome.connected, 'boolean');
          checkCodes(outcome.codes);
          checkCategory(outcome.category, outcome.connected, outcome.codes);
          return;
        }
        const states = CONNECT_STATES.map((state) => eventLine({ state, elapsedMs: 0 }).replace(/^\[[^\]]*\] /, ''));
        const parseCodes = (text: string): ConnectCode[] => text.split('; ').map((part) => {
          const m = /^([a-z0-9-]+) ("(?:[^"\\]|\\.)*"|0x[0-9a-f]+|\d+)(?: ([A-Z][A-Za-z0-9_]*))?$/.exec(part);
          assert.ok(m, `${at(b)}: "${part}" is not a code as the CLI prints one`);
          const value = m[2].startsWith('"') ? JSON.parse(m[2]) as string : Number(m[2]);
          return { source: m[1] as ConnectCode['source'], value, ...(m[3] ? { name: m[3] } : {}) };
        });
        let outcome: { category: string; connected: boolean } | undefined;
        let codes: ConnectCode[] = [];
        for (const line of b.code.split('\n')) {
          if (line.startsWith('[')) {
            const m = /^\[\s*\d+\.\d s\] (.+?)(?: \((.*)\))?$/.exec(line);
            assert.ok(m && (states.includes(m[1]) || /^method \S+$/.test(m[1])), `${at(b)}: "${line}" is no line the CLI prints`);
            const code = m[2] && /((?:[a-z]+-)+[a-z]+ (?:"(?:[^"\\]|\\.)*"|0x[0-9a-f]+|\d+)(?: [A-Z][A-Za-z0-9_]*)?)$/.exec(m[2]);
            if (code) checkCodes(parseCodes(code[1]));
          } else if (line.startsWith('codes: ')) {
            codes = parseCodes(line.slice('codes: '.length));
            checkCodes(codes);
          } else {
            const m = /^(connected|authenticated|not connected: ([a-z-]+)) \(.*via (networkmanager|wlan|wired-autoconfig)/.exec(line);
            if (m) outcome = { category: m[2] ?? m[1], connected: m[1] === 'connected' };
          }
        }
        if (outcome) checkCategory(outcome.category, outcome.connected, codes);
      },
    },
    {
      name: "the threads picture: the threads it names are exactly those the native code names",
      claims: (b) => b.lang === '' && /"eaphost host"/.test(b.code),
      run: async (b) => {
        const pictured = [...new Set([...b.code.matchAll(/"(eaphost [a-z]+)"/g)].map((m) => m[1]))].sort();
        const named = new Set<string>();
        const walk = (dir: string): void => {
          for (const entry of readdirSync(dir, { withFileTypes: true })) {
            const path = join(dir, entry.name);
            if (entry.isDirectory()) walk(path);
            else if (/\.(cc|h)$/.test(entry.name)) {
              // A thread of its own, or a RADIUS role's thread on the one loop (RadiusLoop::Start names it).
              for (const m of readFileSync(path, 'utf8').matchAll(/(?:StartNamedThread|loop_\.Start)\("([^"]+)"/g)) named.add(m[1]);
            }
          }
        };
        walk(join(repo, 'native'));
        assert.deepEqual(pictured, [...named].sort());
      },
    },
    {
      name: "the conversation picture: every addon call it names is one the contract declares, every host a class",
      claims: (b) => b.lang === '' && /conversationBegin/.test(b.code),
      run: async (b) => {
        const calls = [...new Set([...b.code.matchAll(/\b(conversation[A-Z]\w*)/g)].map((m) => m[1]))];
        assert.deepEqual(calls.sort(), ['conversationBegin', 'conversationEnd', 'conversationRun']);
        for (const call of calls) assert.ok((NATIVE_FUNCTION_NAMES as readonly string[]).includes(call), `${call} is not an addon call`);
        const hosts = readFileSync(join(repo, 'native', 'hosts', 'authenticator_host.h'), 'utf8');
        assert.match(hosts, /class AuthenticatorHost\b/);
      },
    },
    {
      name: "the RADIUS engine picture: the engine's calls it names are the contract's, the files it names exist",
      claims: (b) => b.lang === '' && /stream\(\)/.test(b.code) && /answer\(\)/.test(b.code),
      run: async (b) => {
        // NativeBinding's objects (native-binding.ts) and the argument objects they take (arg-types.ts).
        const contract = ['generated/native-binding.ts', 'generated/arg-types.ts'].map((file) => readFileSync(join(repo, 'lib', 'native', file), 'utf8')).join('\n');
        assert.ok((NATIVE_FUNCTION_NAMES as readonly string[]).includes('radiusEngineOpen'));
        const engine = /\binterface NativeRadiusEngine \{\n([\s\S]*?)\n\}/.exec(contract)?.[1] ?? '';
        for (const call of ['stream', 'answer']) {
          assert.ok(b.code.includes(`${call}()`));
          assert.match(engine, new RegExp(`^\\s+${call}\\(args: RadiusEngine`, 'm'), call);
        }
        assert.match(contract, /interface RadiusEngineOpenArgs \{[^}]*\bonEvents: /);
        for (const file of b.code.matchAll(/\b(\w+\.h)\b/g)) {
          assert.ok(existsSync(join(repo, 'native', 'hosts', file[1])), `${file[1]} is named but is not in native/hosts/`);
        }
      },
    },
  ];

  it('every block is claimed by exactly one handler, and every handler by a block', () => {
    for (const block of blocks) {
      const claimed = handlers.filter((h) => h.claims(block)).map((h) => h.name);
      assert.equal(claimed.length, 1,
        `${at(block)} (\`\`\`${block.lang}) is claimed by ${claimed.length} handlers: ${claimed.join('; ') || 'none — handle it here'}`);
    }
    for (const handler of handlers) assert.ok(blocks.some((b) => handler.claims(b)), `no README block for: ${handler.name}`);
  });

  for (const block of blocks) {
    const handler = handlers.find((h) => h.claims(block));
    const title = block.code.split('\n').find((l) => l.trim() !== '')!.slice(0, 70);
    it(`${at(block)} ${block.lang || 'text'} — ${handler ? handler.name.split(':')[0] : 'unhandled'} (${title})`, async function () {
      assert.ok(handler, 'no handler');
      await handler.run(block);
    });
  }
});
