/**
 * Shared by test/windows/**: the platform guard, credentials nobody chose in advance, and the
 * registry as reg.exe reports it (an independent reading of what EAPHost will see).
 */
import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import * as path from 'node:path';
import { openEapHost } from '../../lib/index';
import type { EapHost } from '../../lib/index';

// eslint-disable-next-line @typescript-eslint/no-var-requires
const registerMethod = require(path.join(__dirname, '..', '..', '..', 'scripts', 'register-method.js')) as {
  main(argv: string[]): number;
  queryKey(key: string): { values: Map<string, { type: string; data: string }>; subkeys: string[] } | null;
  METHODS_KEY: string;
};

export const repoRoot = path.join(__dirname, '..', '..', '..');
export const cliScript = path.join(repoRoot, 'dist', 'lib', 'cli', 'main.js');
export const methodsKey = registerMethod.METHODS_KEY;

/** These files exercise Windows code paths: loaded anywhere else they fail rather than skip. */
export function requireWindows(): void {
  if (process.platform !== 'win32') {
    throw new Error(`test/windows/** runs only on win32 (this is ${process.platform}); ` +
      'the Linux mocharc must not load it');
  }
}

/**
 * Fails, naming the service, unless Windows reports `name` RUNNING (sc.exe query): a test that
 * needs a service Windows does not run says so instead of failing somewhere inside EAPHost.
 */
export function requireRunningService(name: string, label: string, why: string): void {
  const query = spawnSync('sc.exe', ['query', name], { encoding: 'utf8', windowsHide: true });
  const state = /STATE\s*:\s*\d+\s+(\w+)/.exec(query.stdout ?? '')?.[1];
  if (state === 'RUNNING') return;
  const said = `${query.stdout ?? ''}${query.stderr ?? ''}`.trim() || String(query.error);
  throw new Error(state === undefined
    ? `the ${label} (${name}) is missing: ${why}; sc.exe query ${name} said: ${said}`
    : `the ${label} (${name}) is ${state}, not RUNNING: ${why} (Start-Service -Name ${name})`);
}

export function randomCredentials(): { identity: string; password: string } {
  return {
    identity: `user-${randomBytes(6).toString('hex')}`,
    password: randomBytes(12).toString('base64url'),
  };
}

/**
 * scripts/register-method.js's main() with these arguments, in this process: its exit status and
 * what it printed. It still drives reg.exe for every registry access; only the node.exe around
 * it is not started again (under Wine each process started is one more chance of Wine's own rare
 * failure to start one, which libuv reports as UNKNOWN: docs/windows.md).
 */
export function runRegisterScript(argv: string[]): { status: number; output: string } {
  const printed: string[] = [];
  const { log, error } = console;
  console.log = (...parts: unknown[]) => { printed.push(parts.join(' ')); };
  console.error = console.log;
  try {
    return { status: registerMethod.main(argv), output: printed.join('\n') };
  } finally {
    Object.assign(console, { log, error });
  }
}

export function queryRegistry(key: string): Map<string, { type: string; data: string }> | null {
  return registerMethod.queryKey(key)?.values ?? null;
}

/**
 * The describe block's 'windows' backend (System32 EAPHost: under Wine the stand-in, on
 * windows-latest Windows' own), opened before its tests and closed after them. The method list
 * must come from the registry, so a manifest override from the environment is dropped.
 */
export function windowsHostHooks(opened: (host: EapHost) => void): void {
  let host: EapHost | undefined;
  before(async function () {
    requireWindows();
    delete process.env.EAPHOST_METHODS_MANIFEST;
    host = await openEapHost({ backend: 'windows' });
    opened(host);
  });
  after(async function () {
    await host?.close();
  });
}
