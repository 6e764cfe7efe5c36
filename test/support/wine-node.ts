/**
 * The Windows node.exe of the Wine lane, started from this (Linux) process: for tests whose peer
 * is a Linux program (eapol_test, FreeRADIUS) and whose subject runs in Windows node.exe.
 * scripts/wine/run.sh names the prefix and node.exe in the environment (WINEPREFIX,
 * EAPHOST_WINE_NODE_EXE) and the Windows build (EAPHOST_WINE_ADDON_PATH, as a Windows path),
 * which reaches node.exe as its EAPHOST_ADDON_PATH: this process keeps its own (a Linux addon,
 * for a bench that runs serve both ways).
 *
 * Node under Wine fails with EBADF when its stdio is a pipe, so its output goes to a file that
 * is read as it grows.
 */
import { strict as assert } from 'node:assert';
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { closeSync, mkdirSync, mkdtempSync, openSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { makeTempDir } from './programs';
import { loggedIn, type ServeProcess } from './eaphost-serve';

const repoRoot = join(__dirname, '..', '..', '..');

/** Windows node.exe, and the environment it runs in: this one's, with the Windows addon. */
export function wineNode(env: NodeJS.ProcessEnv = {}): { exe: string; env: NodeJS.ProcessEnv } {
  const exe = process.env.EAPHOST_WINE_NODE_EXE;
  const addon = process.env.EAPHOST_WINE_ADDON_PATH;
  if (!exe || !process.env.WINEPREFIX || !addon) {
    throw new Error('test/wine-host/** runs from scripts/wine/run.sh, which names WINEPREFIX, EAPHOST_WINE_NODE_EXE ' +
      'and EAPHOST_WINE_ADDON_PATH; run `npm test -- win32`');
  }
  return { exe, env: { ...process.env, WINEDEBUG: '-all', ...env, EAPHOST_ADDON_PATH: addon } };
}

/** `eaphost serve ARGS` in Windows node.exe, ready once it printed "listening on 127.0.0.1:PORT";
 *  `env` over the lane's (WINEDEBUG's channels land in its output). */
export async function startWineServe(args: string[], env: NodeJS.ProcessEnv = {}): Promise<ServeProcess> {
  const dir = makeTempDir('wine-serve');
  const log = join(dir.path, 'serve.log');
  const fd = openSync(log, 'w');
  const node = wineNode(env);
  const child = spawn('wine', [node.exe, join('dist', 'lib', 'cli', 'main.js'), 'serve', '--port', '0',
    '--host', '127.0.0.1', ...args], { cwd: repoRoot, stdio: ['ignore', fd, fd], env: node.env });
  closeSync(fd);
  return servingFrom(child, log, dir, 'Windows node.exe', () => child.kill('SIGTERM'), () => child.kill('SIGKILL'));
}

/**
 * `eaphost serve ARGS` in the official 32-bit node.exe under the chroot's 32-bit Wine
 * (scripts/wine/x86-node.sh, as runWineX86Cli): the files ARGS name must lie in the tree
 * (x86TreeDir); `env` is all of node.exe's environment beside the script's (WINEDEBUG's channels
 * land in its output). Stopped by ending its process group (the chroot's Wine and node.exe in it).
 */
export async function startWineX86Serve(args: string[], env: Record<string, string> = {}): Promise<ServeProcess> {
  if (!process.env.EAPHOST_WINE_X86_NODE_EXE) {
    throw new Error('the 32-bit node.exe runs from scripts/wine/run.sh, which names EAPHOST_WINE_X86_NODE_EXE; run `npm test -- win32`');
  }
  const dir = x86TreeDir('x86-serve');
  const log = join(dir.path, 'serve.log');
  writeFileSync(log, '');
  const child = spawn('bash', [join(repoRoot, 'scripts', 'wine', 'x86-node.sh'), log, ...x86Environment(env), '--',
    join('dist', 'lib', 'cli', 'main.js'), 'serve', '--port', '0', '--host', '127.0.0.1', ...args],
  { cwd: repoRoot, stdio: 'ignore', detached: true });
  const group = (signal: NodeJS.Signals) => () => { try { process.kill(-child.pid!, signal); } catch { /* already gone */ } };
  return servingFrom(child, log, dir, '32-bit node.exe', group('SIGTERM'), group('SIGKILL'));
}

/** A serve `child` writing to `log`, once it printed "listening on 127.0.0.1:PORT" (60 s at most);
 *  `terminate` asks it to end, `kill` ends it. */
async function servingFrom(child: ChildProcess, log: string, dir: { remove(): void }, where: string,
  terminate: () => void, kill: () => void): Promise<ServeProcess> {
  const output = (): string => readFileSync(log, 'utf8');
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  let port = 0;
  try {
    // Wine starts node.exe in a few seconds on an idle machine; a loaded one takes longer.
    const deadline = Date.now() + 60_000;
    for (;;) {
      const listening = /listening on 127\.0\.0\.1:(\d+)/.exec(output());
      if (listening) { port = Number(listening[1]); break; }
      if (child.exitCode !== null) throw new Error(`serve in ${where} exited (${child.exitCode}):\n${output()}`);
      if (Date.now() > deadline) throw new Error(`serve in ${where} did not listen within 60 s:\n${output()}`);
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
  } catch (error) {
    if (child.exitCode === null) kill();
    await exited;
    dir.remove();
    throw error;
  }
  return {
    port,
    pid: child.pid!,
    output,
    logged: loggedIn(output),
    stop: async () => {
      if (child.exitCode === null && child.signalCode === null) terminate();
      const timer = setTimeout(kill, 10_000);
      const code = await exited;
      clearTimeout(timer);
      dir.remove();
      return code;
    },
  };
}

/** `eaphost ARGS` in Windows node.exe to its end: the exit code and what it printed. */
export function runWineCli(args: string[], env: NodeJS.ProcessEnv = {}): Promise<{ code: number | null; output: string }> {
  return runWineNode([join('dist', 'lib', 'cli', 'main.js'), ...args], env);
}

/**
 * Windows node.exe with `args` (a script and its arguments, from the repository's root) to its
 * end; started by `launcher` (a Windows program that takes the command line to run) when given,
 * and in the network namespace `netns` when given (`ip netns exec`: the prefix's wineserver must
 * not be running, or Wine's network stack stays in the namespace that server started in).
 */
export async function runWineNode(args: string[], env: NodeJS.ProcessEnv = {},
  launcher?: string, netns?: string): Promise<{ code: number | null; output: string }> {
  const dir = makeTempDir('wine-cli');
  try {
    const log = join(dir.path, 'cli.log');
    const fd = openSync(log, 'w');
    const node = wineNode(env);
    // A launcher gets node.exe as Windows names it (CreateProcessW knows no Unix path); wine
    // quotes each argument into the launcher's command line.
    const command = launcher
      ? [launcher, execFileSync('winepath', ['-w', node.exe], { env: node.env, encoding: 'utf8' }).trim(), ...args]
      : [node.exe, ...args];
    const [program, ...rest] = netns ? ['ip', 'netns', 'exec', netns, 'wine', ...command] : ['wine', ...command];
    const child = spawn(program, rest, { cwd: repoRoot, stdio: ['ignore', fd, fd], env: node.env });
    closeSync(fd);
    const code = await new Promise<number | null>((resolve, reject) => {
      const timer = setTimeout(() => { child.kill('SIGKILL'); reject(new Error(`${args.slice(0, 2).join(' ')} in Windows node.exe ran past 120 s`)); },
        120_000);
      child.on('exit', (exitCode) => { clearTimeout(timer); resolve(exitCode); });
    });
    return { code, output: readFileSync(log, 'utf8') };
  } finally {
    dir.remove();
  }
}

/**
 * `eaphost ARGS` in the official 32-bit node.exe (node-win-x86) with the x86 cross-build's addon,
 * under the chroot's 32-bit Wine (scripts/wine/x86-node.sh): the exit code and what it printed. Only
 * `env` reaches node.exe's environment; the files it names must lie in the tree (x86TreeDir),
 * the one part of this machine the chroot sees. Ends at 120 s, as runWineNode.
 */
export async function runWineX86Cli(args: string[], env: Record<string, string> = {}): Promise<{ code: number | null; output: string }> {
  if (!process.env.EAPHOST_WINE_X86_NODE_EXE) {
    throw new Error('the 32-bit node.exe runs from scripts/wine/run.sh, which names EAPHOST_WINE_X86_NODE_EXE; run `npm test -- win32`');
  }
  const dir = x86TreeDir('x86-cli');
  try {
    const log = join(dir.path, 'cli.log');
    const child = spawn('bash', [join(repoRoot, 'scripts', 'wine', 'x86-node.sh'), log, ...x86Environment(env), '--',
      join('dist', 'lib', 'cli', 'main.js'), ...args], { cwd: repoRoot, stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => { stderr += chunk.toString(); });
    const code = await new Promise<number | null>((resolve, reject) => {
      const timer = setTimeout(() => { child.kill('SIGKILL'); reject(new Error(`${args[0]} in 32-bit node.exe ran past 120 s`)); }, 120_000);
      child.on('exit', (exitCode) => { clearTimeout(timer); resolve(exitCode); });
    });
    // 125: x86-node.sh could not start node.exe (its reason on stderr), which no eaphost command exits with.
    if (code === 125) throw new Error(`32-bit node.exe did not start: ${stderr}`);
    let output = '';
    try { output = readFileSync(log, 'utf8'); } catch { /* node.exe never started: stderr says why */ }
    return { code, output: output + stderr };
  } finally {
    dir.remove();
  }
}

/** x86-node.sh's NAME=VALUE arguments: node.exe's whole environment, Wine's debug channels off unless `env` names them. */
function x86Environment(env: Record<string, string>): string[] {
  return Object.entries({ WINEDEBUG: '-all', ...env }).map(([name, value]) => `${name}=${value}`);
}

/** A fresh directory in the Wine lane's work directory (build-wine/), which the Wine chroot sees
 *  at the same path: for the files a 32-bit node.exe reads or writes. */
export function x86TreeDir(prefix: string): { path: string; remove(): void } {
  const base = join(repoRoot, 'build-wine', 'x86-files');
  mkdirSync(base, { recursive: true });
  const path = mkdtempSync(join(base, `${prefix}-`));
  return { path, remove: () => rmSync(path, { recursive: true, force: true }) };
}

/** What `eaphost auth --json` reports, the fields the Windows tests judge. */
export interface WineAuthReport { success?: boolean; result?: string; reason?: string; mppeKeysMatch?: boolean }

/** `eaphost auth ARGS --json` with EAPHOST_PASSWORD `password`, run by `run` (runWineCli, runWineX86Cli): its
 *  exit code, what it printed, and its JSON report, which must be there. */
export async function wineAuth(run: (args: string[], env: Record<string, string>) => Promise<{ code: number | null; output: string }>,
  args: string[], password: string): Promise<{ code: number | null; output: string; report: WineAuthReport }> {
  const { code, output } = await run(['auth', ...args, '--json'], { EAPHOST_PASSWORD: password });
  const json = output.split('\n').find((line) => line.startsWith('{'));
  assert.ok(json, `no JSON report:\n${output}`);
  return { code, output, report: JSON.parse(json) as WineAuthReport };
}
