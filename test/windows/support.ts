/**
 * Shared by test/windows/**: the platform guard, credentials nobody chose in advance, the CLI run
 * in this process, EAPHost's Methods key as the addon reads it, and other registry keys as
 * reg.exe reports them (an independent reading of what Windows' certificate stores wrote).
 */
import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import * as path from 'node:path';
import { METHODS_KEY } from '../../lib/register/methods-key';
import { main } from '../../lib/cli/main';
import { openEapHost } from '../../lib/index';
import type { EapHost } from '../../lib/index';
import { binding } from '../../lib/native';
import type { NativeRegistryValue } from '../../lib/native';

export const repoRoot = path.join(__dirname, '..', '..', '..');
export const cliScript = path.join(repoRoot, 'dist', 'lib', 'cli', 'main.js');
/** The Methods key below HKLM, as the addon's registry calls name it. */
export const methodsKey = METHODS_KEY;

/** These files exercise Windows code paths: loaded anywhere else they fail rather than skip. */
export function requireWindows(): void {
  if (process.platform !== 'win32') {
    throw new Error(`test/windows/** runs only on win32 (this is ${process.platform}); ` +
      'the Linux mocharc must not load it');
  }
}

/**
 * Fails, naming the service, unless Windows reports `name` RUNNING (SERVICE_RUNNING, 4, through the
 * service control manager: binding.serviceControl): a test that needs a service Windows does not
 * run says so instead of failing somewhere inside EAPHost.
 */
export function requireRunningService(name: string, label: string, why: string): void {
  let state: number;
  try {
    state = binding.serviceControl({ service: name, action: 'query', timeoutMs: 1000 }).state;
  } catch (error) {
    throw new Error(`the ${label} (${name}) is missing: ${why}; the service control manager said: ${(error as Error).message}`);
  }
  if (state === 4) return;
  throw new Error(`the ${label} (${name}) is in state ${state}, not RUNNING (4): ${why} (Start-Service -Name ${name})`);
}

export function randomCredentials(): { identity: string; password: string } {
  return {
    identity: `user-${randomBytes(6).toString('hex')}`,
    password: randomBytes(12).toString('base64url'),
  };
}

/**
 * `eaphost argv…` in this process: its exit code and what it printed. Under Wine each process
 * started is one more chance of Wine's own rare failure to start one (docs/windows.md), so the
 * CLI runs here, and it starts none itself.
 */
export async function runCli(argv: string[]): Promise<{ status: number; output: string }> {
  const printed: string[] = [];
  const collect = (line: string): void => { printed.push(line); };
  const status = await main(argv, collect, collect);
  return { status, output: printed.join('\n') };
}

/** A key below HKLM\SYSTEM\CurrentControlSet\Services\EapHost\Methods, its values by name, or null. */
export function methodRegistration(key: string): Map<string, NativeRegistryValue> | null {
  const read = binding.registryRead({ key });
  return read ? new Map(read.values.map((value) => [value.name, value])) : null;
}

/**
 * `reg query <key>`'s values, or null when there is no such key: lines "    Name    REG_TYPE
 * data", indented and separated by four spaces in reg.exe and Wine's reg alike. `view` (/reg:32,
 * /reg:64) names the registry view read; by default reg.exe's own.
 */
export function queryRegistry(key: string, view?: 32 | 64): Map<string, { type: string; data: string }> | null {
  const args = ['query', key, ...(view === undefined ? [] : [`/reg:${view}`])];
  const result = spawnSync('reg.exe', args, { encoding: 'utf8', windowsHide: true });
  if (result.error) throw new Error(`cannot run reg.exe: ${result.error.message}`);
  if (result.status !== 0) return null;
  const values = new Map<string, { type: string; data: string }>();
  for (const line of result.stdout.split(/\r?\n/)) {
    const value = /^ {4}(\S(?:.*?\S)?) {4}(REG_[A-Z_]+)(?: {4}(.*))?$/.exec(line);
    if (value) values.set(value[1], { type: value[2], data: value[3] ?? '' });
  }
  return values;
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
