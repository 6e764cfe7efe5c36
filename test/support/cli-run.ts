import { strict as assert } from 'node:assert';
import { spawn, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { main } from '../../lib/cli/main';
import { randomCredentials } from '../helpers';
import { inNamespace } from './netns';
import { findProgram } from './programs';

/** What a CLI entry point (main, or one command through it) printed: its exit code and its lines. */
export interface CliRun { code: number; out: string[]; err: string[] }

type LineWriter = (line: string) => void;

/** Runs a CLI entry point in this process with `argv`, collecting its stdout and stderr lines. */
export async function runCli(entry: (argv: string[], out: LineWriter, err: LineWriter) => Promise<number>,
  argv: string[]): Promise<CliRun> {
  const out: string[] = [];
  const err: string[] = [];
  const code = await entry(argv, (line) => out.push(line), (line) => err.push(line));
  return { code, out, err };
}

/**
 * `eaphost NAME argv…` in this process, through the program (help, parsing, usage errors and exit
 * codes included), as an entry point runCli takes. `stop` ends a serving or load command as SIGINT does.
 */
export function eaphostCommand(name: string): (argv: readonly string[], out: LineWriter, err: LineWriter, stop?: AbortSignal) => Promise<number> {
  return (argv, out, err, stop) => main([name, ...argv], out, err, stop ? { stop } : {});
}

/** `eaphost argv…` in this process, through the CLI's own entry point: exit code and joined output. */
export async function runMain(argv: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  const run = await runCli(main, argv);
  return { code: run.code, stdout: run.out.join('\n'), stderr: run.err.join('\n') };
}

const cliScript = path.resolve(__dirname, '..', '..', 'lib', 'cli', 'main.js');

/** `eaphost args…` as a user runs it: a child node process, its exit status and output. */
export function runCliProcess(args: string[]): { status: number | null; stdout: string; stderr: string } {
  const started = Date.now();
  const result = spawnSync(process.execPath, [cliScript, ...args], { encoding: 'utf8', env: process.env, timeout: 60000 });
  // A child that had to be stopped has no status: its stderr then says what happened and when,
  // so an assertion on the status reads as a hang or a signal, not as an empty message.
  const stopped = result.status === null
    ? `\n[the child was stopped: ${result.error ? `${(result.error as NodeJS.ErrnoException).code ?? result.error.message}, ` : ''}` +
      `signal ${result.signal ?? 'none'}, after ${Date.now() - started} ms]` : '';
  return { status: result.status, stdout: result.stdout ?? '', stderr: (result.stderr ?? '') + stopped };
}

/**
 * runCliProcess without blocking this process: several children then run at once, which is what a
 * test of many invocations wants on a slow or loaded machine (under Wine, each node.exe takes seconds
 * to start).
 */
export function runCliChild(args: string[]): Promise<{ status: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [cliScript, ...args], { env: process.env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => { stdout += chunk; });
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => { stderr += chunk; });
    child.on('error', reject);
    child.on('close', (status, signal) => resolve({ status, stdout, stderr: signal === null ? stderr : `${stderr}\n[the child was stopped: signal ${signal}]` }));
  });
}

/** A suite's scratch directory (removed after the suite) with a users file for one random user.
 *  Call it in a describe body. */
export function scratchUser(prefix: string): { dir: string; identity: string; password: string; users: string } {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  const { identity, password } = randomCredentials();
  const users = path.join(dir, 'users.json');
  fs.writeFileSync(users, JSON.stringify({ [identity]: { password } }));
  after(() => fs.rmSync(dir, { recursive: true, force: true }));
  return { dir, identity, password, users };
}

/**
 * A profile printed by `eaphost config --method <method> --shipped --print-xml` (with
 * `configFlags`) and its `--credentials` document, fed back to `eaphost auth --config-xml`: the
 * embedded authenticator must accept the user with `eapType`, MPPE keys equal to the peer's MSK,
 * and the password printed nowhere. Returns the two files, for further runs.
 */
export async function printedProfileAuthenticates(dir: string, method: string, configFlags: string[], eapType: number,
  user: { identity: string; password: string; users: string }): Promise<{ configFile: string; credentialsFile: string }> {
  const { identity, password, users } = user;
  const config = await runMain(['config', '--method', method, '--shipped', ...configFlags, '--print-xml']);
  assert.equal(config.code, 0, config.stderr);
  const credentials = await runMain(['config', '--method', method, '--shipped', '--credentials', '--identity', identity,
    '--password', password, '--print-xml']);
  assert.equal(credentials.code, 0, credentials.stderr);
  const configFile = path.join(dir, `${method}.xml`);
  const credentialsFile = path.join(dir, `${method}-credentials.xml`);
  fs.writeFileSync(configFile, config.stdout);
  fs.writeFileSync(credentialsFile, credentials.stdout);
  const auth = await runMain(['auth', '--config-xml', configFile, '--credentials-xml', credentialsFile, '--users', users, '--json']);
  assert.equal(auth.code, 0, auth.stderr + auth.stdout);
  const out = JSON.parse(auth.stdout);
  assert.equal(out.success, true);
  assert.equal(out.eapType, eapType);
  assert.equal(out.identity, identity);
  assert.equal(out.mppeKeysMatch, true);
  assert.ok(!auth.stdout.includes(password), 'the password is never printed');
  return { configFile, credentialsFile };
}

/** radclient (freeradius-utils) sending `input` as one `command` request to 127.0.0.1:`port`, once, waiting
 *  `timeoutSeconds`; in network namespace `ns` when given. */
export function runRadclient(port: number, secret: string, command: 'auth' | 'acct' | 'status' | 'disconnect' | 'coa', input: string,
  timeoutSeconds: number, ns?: string): Promise<{ code: number | null; output: string }> {
  const args = ['-x', '-r', '1', '-t', String(timeoutSeconds), `127.0.0.1:${port}`, command, secret];
  const [program, argv] = ns === undefined ? [findProgram(['radclient'], 'freeradius-utils'), args]
    : inNamespace(ns, findProgram(['radclient'], 'freeradius-utils'), args);
  return runWithInput(program, argv, input);
}

/** `program` with `input` on its stdin: its exit code and its stdout and stderr together. */
export function runWithInput(program: string, argv: string[], input: string): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(program, argv, { stdio: ['pipe', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (chunk) => { output += chunk; });
    child.stderr.on('data', (chunk) => { output += chunk; });
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, output }));
    child.stdin.end(input);
  });
}

let secretDir: string | undefined;
const secretFiles = new Map<string, string>();

/**
 * `--NAME-file FILE` for a secret, as a careful user gives it: the file (mode 0600, in a scratch
 * directory removed when the process exits) holds `value`. Tests use it wherever they do not test
 * the literal flag itself, which is warned about on stderr (test/tls/cli-secrets.test.ts).
 */
export function secretFlag(name: 'secret' | 'password' | 'key-password', value: string): string[] {
  let file = secretFiles.get(value);
  if (file === undefined) {
    if (secretDir === undefined) {
      const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'eaphost-secrets-'));
      secretDir = dir;
      process.once('exit', () => fs.rmSync(dir, { recursive: true, force: true }));
    }
    file = path.join(secretDir, `secret-${secretFiles.size}`);
    fs.writeFileSync(file, value, { mode: 0o600 });
    secretFiles.set(value, file);
  }
  return [`--${name}-file`, file];
}
