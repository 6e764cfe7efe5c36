/**
 * Secrets off the command line (a file, the environment, standard input), and weak trust said
 * out loud: on stderr every time, in --json, and from the API as a process warning with a code.
 * Verdicts come from the real embedded authenticator and our RadiusServer.
 */
import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { createAuthenticator, Authenticator, openEapHost } from '../../lib';
import { resolveSecrets } from '../../lib/cli/secrets';
import { main } from '../../lib/cli/main';
import { processEphemeralCa } from '../../lib/core/ephemeral-ca';
import { RadiusServer } from '../../lib/radius';
import { randomCredentials } from '../helpers';
import { CliRun, runCli } from '../support/cli-run';

const cli = path.resolve(__dirname, '..', '..', 'lib', 'cli', 'main.js');

function spawn(args: string[], options: { env?: NodeJS.ProcessEnv; input?: string } = {}): { status: number | null; stdout: string; stderr: string } {
  const result = spawnSync(process.execPath, [cli, ...args], {
    encoding: 'utf8', timeout: 60_000, env: { ...process.env, ...options.env }, ...(options.input !== undefined ? { input: options.input } : {}),
  });
  return { status: result.status, stdout: result.stdout ?? '', stderr: result.stderr ?? '' };
}

const run = (argv: string[]): Promise<CliRun> => runCli(main, argv);

describe('eaphost: secrets off the command line, weak trust said out loud', function () {
  this.timeout(60_000);
  const user = randomCredentials();
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'eaphost-secrets-'));
  const users = path.join(dir, 'users.json');
  const passwordFile = path.join(dir, 'password');
  const secretFile = path.join(dir, 'secret');
  const SECRET = 'secrets-test-secret';
  fs.writeFileSync(users, JSON.stringify({ [user.identity]: { password: user.password } }));
  fs.writeFileSync(passwordFile, `${user.password}\n`, { mode: 0o600 });
  fs.writeFileSync(secretFile, `${SECRET}\r\n`, { mode: 0o600 });
  const md5 = ['auth', '--method', 'md5', '--identity', user.identity, '--users', users];
  let authenticator: Authenticator;
  let server: RadiusServer;
  let radius: string;

  before(async () => {
    authenticator = await createAuthenticator({ methods: ['md5'], users: { [user.identity]: { password: user.password } } });
    server = new RadiusServer({ port: 0, secret: SECRET, authenticator: authenticator });
    radius = `127.0.0.1:${(await server.listen()).port}`;
  });
  after(async () => {
    await server?.close();
    await authenticator?.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('--password-file, EAPHOST_PASSWORD and --password - each authenticate, and a wrong one still fails', () => {
    const viaFile = spawn([...md5, '--password-file', passwordFile]);
    assert.equal(viaFile.status, 0, viaFile.stderr);
    const viaEnv = spawn(md5, { env: { EAPHOST_PASSWORD: user.password } });
    assert.equal(viaEnv.status, 0, viaEnv.stderr);
    const viaStdin = spawn([...md5, '--password', '-'], { input: `${user.password}\n` });
    assert.equal(viaStdin.status, 0, viaStdin.stderr);
    assert.equal(spawn(md5, { env: { EAPHOST_PASSWORD: `not-${user.password}` } }).status, 1, 'the environment is really read');
    assert.equal(spawn([...md5, '--password', '-'], { input: 'wrong\n' }).status, 1, 'standard input is really read');
  });

  it('--secret-file and EAPHOST_SECRET reach the RADIUS commands; --password with --password-file is bad usage', async () => {
    const accepted = await run(['auth', '--radius', radius, '--secret-file', secretFile, '--method', 'md5',
      '--identity', user.identity, '--password-file', passwordFile]);
    assert.equal(accepted.code, 0, accepted.err.join('\n'));
    // In this process (a child would block the loop the server answers on), with the variable set for the call.
    const withSecretEnv = async (value: string, argv: string[]): Promise<number> => {
      process.env.EAPHOST_SECRET = value;
      try {
        return (await run(argv)).code;
      } finally {
        delete process.env.EAPHOST_SECRET;
      }
    };
    assert.equal(await withSecretEnv(SECRET, ['ping', '--radius', radius]), 0);
    assert.equal(await withSecretEnv('other', ['ping', '--radius', radius, '--timeout', '300', '--tries', '1']), 3);
    const both = await run([...md5, '--password', 'x', '--password-file', passwordFile]);
    assert.equal(both.code, 2);
    assert.match(both.err[0], /--password or --password-file, not both/);
    const missing = await run([...md5, '--password-file', path.join(dir, 'absent')]);
    assert.equal(missing.code, 2);
    assert.match(missing.err[0], /--password-file .*cannot read it/);
  });

  it('one standard input: two secrets from "-" is bad usage; resolution order flag, stdin, file, environment', () => {
    const warned: string[] = [];
    const warn = (line: string): void => { warned.push(line); };
    assert.throws(() => resolveSecrets({ secret: '-', password: '-' }, ['secret', 'password'], warn, { stdin: () => 'x' }),
      /cannot both read standard input/);
    const values: Record<string, string | undefined> = { 'key-password-file': passwordFile };
    resolveSecrets(values, ['key-password', 'password', 'secret'], warn,
      { env: { EAPHOST_PASSWORD: 'from-env', EAPHOST_KEY_PASSWORD: 'ignored' }, stdin: () => '' });
    assert.deepEqual(values, { 'key-password': user.password, password: 'from-env' });
    assert.deepEqual(warned, [], 'standard input, a file and the environment are not warned about');
  });

  it('a literal --password, --secret or --key-password works and is warned about on stderr, once per flag, every run', async () => {
    const literal = { secret: 's3', password: 'p4', 'key-password': 'k5' };
    const warned: string[] = [];
    resolveSecrets({ ...literal }, ['secret', 'password', 'key-password'], (line) => warned.push(line));
    assert.deepEqual(warned.map((line) => /^eaphost: warning: --([a-z-]+) on the command line can be read by every local user/
      .exec(line)?.[1]), ['secret', 'password', 'key-password']);
    for (const line of warned) assert.ok(!/s3|p4|k5/.test(line), `the warning never shows the secret: ${line}`);
    for (const [name, env] of [['secret', 'EAPHOST_SECRET'], ['password', 'EAPHOST_PASSWORD'],
      ['key-password', 'EAPHOST_KEY_PASSWORD']]) {
      assert.match(warned.shift() ?? '', new RegExp(`use --${name}-file FILE, ${env} or --${name} -`));
    }
    for (let i = 0; i < 2; i++) {
      const { code, err } = await run(['auth', '--method', 'md5', '--identity', user.identity, '--password', user.password,
        '--users', users]);
      assert.equal(code, 0, err.join('\n'));
      assert.equal(err.filter((line) => line.includes('--password on the command line')).length, 1, err.join('\n'));
      assert.ok(!err.join('\n').includes(user.password));
    }
    const fromFile = await run(['auth', '--method', 'md5', '--identity', user.identity, '--password-file', passwordFile,
      '--users', users]);
    assert.equal(fromFile.code, 0, fromFile.err.join('\n'));
    assert.deepEqual(fromFile.err, []);
  });

  it('--client CIDR=SECRET and --das-client CIDR=SECRET are warned about as the other secret flags are; --clients FILE is not', async () => {
    const warning = (flag: string) => new RegExp(`^eaphost: warning: --${flag} on the command line can be read by every local user`);
    const serve = async (flags: string[]): Promise<CliRun> => {
      const out: string[] = [];
      const err: string[] = [];
      const stop = new AbortController();
      const code = await main(['serve', '--users', users, '--methods', 'md5', ...flags],
        (line) => { out.push(line); if (line.startsWith('listening on ')) stop.abort(); }, (line) => err.push(line), { stop: stop.signal });
      return { code, out, err };
    };
    const literal = await serve(['--port', '0', '--client', '127.0.0.0/8=client-s3cret', '--client', '::1=client-s3cret']);
    assert.equal(literal.code, 0, literal.err.join('\n'));
    assert.deepEqual(literal.err.filter((line) => warning('client').test(line)).length, 1, literal.err.join('\n'));
    assert.match(literal.err.join('\n'), /use --clients FILE \(mode 0600\) instead/);
    assert.ok(!literal.err.join('\n').includes('client-s3cret'), 'the warning never shows the secret');
    const clients = path.join(dir, 'clients');
    fs.writeFileSync(clients, '127.0.0.0/8 client-s3cret\n', { mode: 0o600 });
    const fromFile = await serve(['--port', '0', '--clients', clients]);
    assert.equal(fromFile.code, 0, fromFile.err.join('\n'));
    assert.deepEqual(fromFile.err, []);
    // The flags are read before the interface is opened: one that does not exist ends the run after the warning.
    const das = await serve(['--interface', 'eaphost-none0', '--das', '127.0.0.1:3799', '--das-client', '127.0.0.1=das-s3cret']);
    assert.notEqual(das.code, 0);
    assert.equal(das.err.filter((line) => warning('das-client').test(line)).length, 1, das.err.join('\n'));
    assert.match(das.err.join('\n'), /use --das-client CIDR with --das-secret-file FILE instead/);
    assert.ok(!das.err.join('\n').includes('das-s3cret'));
    const dasFile = await serve(['--interface', 'eaphost-none0', '--das', '127.0.0.1:3799', '--das-client', '127.0.0.1',
      '--das-secret-file', secretFile]);
    assert.notEqual(dasFile.code, 0);
    assert.ok(!dasFile.err.some((line) => /warning/.test(line)), dasFile.err.join('\n'));
  });

  it('--help says which form to prefer for every secret', async () => {
    const { out } = await run(['auth', '--help']);
    for (const [flag, env] of [['password', 'EAPHOST_PASSWORD'], ['secret', 'EAPHOST_SECRET'], ['key-password', 'EAPHOST_KEY_PASSWORD']]) {
      assert.match(out.join('\n'), new RegExp(`--${flag} .*Prefer --${flag}-file or ${env}`));
    }
  });

  it('--insecure and --ca without --server-name: a stderr warning every time, "insecure": true in --json', async () => {
    const ca = path.join(dir, 'ca.pem');
    fs.writeFileSync(ca, processEphemeralCa().ca);
    const peap = ['auth', '--method', 'peap', '--identity', user.identity, '--password-file', passwordFile, '--users', users,
      '--json'];
    const pinned = await run([...peap, '--ca', ca, '--server-name', processEphemeralCa().serverName]);
    assert.equal(pinned.code, 0, pinned.err.join('\n'));
    assert.deepEqual(pinned.err, []);
    assert.deepEqual([JSON.parse(pinned.out[0]).insecure, JSON.parse(pinned.out[0]).warnings], [false, []]);
    for (const weak of [['--insecure'], ['--ca', ca]]) {
      for (let i = 0; i < 2; i++) {
        const { code, out, err } = await run([...peap, ...weak]);
        assert.equal(code, 0, err.join('\n'));
        assert.equal(err.length, 1, `warned each time: ${err.join('\n')}`);
        assert.match(err[0], /^eaphost: warning: .*pose as the server/);
        const report = JSON.parse(out[0]);
        assert.equal(report.insecure, true);
        assert.deepEqual(report.warnings, [err[0].replace('eaphost: warning: ', '')]);
      }
    }
    // The command reports it itself; the process warning is not printed a second time.
    const child = spawn(['auth', '--method', 'peap', '--identity', user.identity, '--password-file', passwordFile, '--users',
      users, '--insecure']);
    assert.equal(child.status, 0, child.stderr);
    assert.equal(child.stderr.trim().split('\n').length, 1, child.stderr);
  });

  it('the API: beginSession with insecure (or ca without serverName) emits warning EAPHOST_INSECURE once per EapHost', async () => {
    const seen: Array<{ code?: string; name: string }> = [];
    const listener = (warning: Error & { code?: string }): void => { seen.push({ code: warning.code, name: warning.name }); };
    process.on('warning', listener);
    try {
      for (const options of [{ insecure: true }, { ca: processEphemeralCa().ca }, { ca: processEphemeralCa().ca, serverName: 'a.example' }]) {
        const host = await openEapHost();
        try {
          for (let i = 0; i < 2; i++) {
            const session = await host.beginSession({ method: 'peap', identity: user.identity, password: user.password, ...options });
            await session.endSession();
          }
        } finally {
          await host.close();
        }
        await new Promise((resolve) => setImmediate(resolve));
      }
    } finally {
      process.removeListener('warning', listener);
    }
    assert.deepEqual(seen.filter((warning) => warning.code === 'EAPHOST_INSECURE').length, 2, JSON.stringify(seen));
    assert.ok(seen.every((warning) => warning.code !== 'EAPHOST_INSECURE' || warning.name === 'SecurityWarning'));
  });
});
