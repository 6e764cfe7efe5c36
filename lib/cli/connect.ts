/**
 * `eaphost connect`: reads the profile (or takes an installed one's name), runs connect(), prints
 * each state change as it happens and then the outcome in words with the next step. Exit codes:
 * 0 connected, 1 refused, 3 nothing answered in time (timeout, no authenticator), 2 usage.
 */
import { EapError, Win32 } from '../core/errors';
import { ProfileError } from '../profile/network-profile';
import { connect, ConnectOptions, MAX_CONNECT_TIMEOUT_MS, DEFAULT_CONNECT_TIMEOUT_MS } from '../profile/connect';
import type { ConnectCategory, ConnectCode, ConnectEvent, ConnectOutcome } from '../profile/connect/outcome';
import { positiveInteger, stringFlag } from './command-line';
import { CommandIo, ExitCode, FlagValues, UsageError } from './main';
import { readProfileFile } from './profile';
import { resolveSecrets } from './secrets';

/** 0 connected; 3 when nothing answered in time; 1 for every refusal. */
export function connectExitCode(category: ConnectCategory): number {
  if (category === 'connected') return ExitCode.Accept;
  return category === 'timeout' || category === 'no-authenticator' ? ExitCode.NoAnswer : ExitCode.Reject;
}

function seconds(ms: number): string {
  return `${(ms / 1000).toFixed(1)} s`;
}

export function codeText(code: ConnectCode): string {
  const value = typeof code.value === 'number'
    ? (code.value >>> 0 > 0xffff ? `0x${(code.value >>> 0).toString(16)}` : String(code.value))
    : JSON.stringify(code.value);
  return `${code.source} ${value}${code.name ? ` ${code.name}` : ''}`;
}

const EVENT_WORDS: Record<ConnectEvent['state'], string> = {
  installing: 'installing the profile',
  associating: 'associating',
  associated: 'associated',
  '802.1x-started': '802.1X started',
  method: 'method',
  authenticating: 'authenticating',
  authenticated: 'authenticated',
  configuring: 'configuring the address',
  connected: 'connected',
  failed: 'failed',
  'cleaning-up': 'cleaning up',
};

/** One line for one state change: when, what, and the OS's own words and code when it gave them. */
export function eventLine(event: ConnectEvent): string {
  const what = event.state === 'method' && event.method ? `method ${event.method}` : EVENT_WORDS[event.state] ?? event.state;
  const extra = [event.detail, event.code ? codeText(event.code) : undefined].filter((part) => part);
  return `[${seconds(event.elapsedMs).padStart(7)}] ${what}${extra.length ? ` (${extra.join('; ')})` : ''}`;
}

/** The outcome in words: what happened, the raw codes behind it, and what to do next. */
export function outcomeLines(outcome: ConnectOutcome): string[] {
  const where = [outcome.interface ? `on ${outcome.interface}` : '', `via ${outcome.via}`,
    outcome.method ? `method ${outcome.method}` : '', `after ${seconds(outcome.elapsedMs)}`].filter((part) => part).join(', ');
  const lines = [`${outcome.connected ? 'connected' : `not connected: ${outcome.category}`} (${where})`, outcome.message];
  if (outcome.codes.length > 0) lines.push(`codes: ${outcome.codes.map(codeText).join('; ')}`);
  if (!outcome.connected && outcome.nextStep) lines.push(`next: ${outcome.nextStep}`);
  return lines;
}

function connectOptions(values: FlagValues, err: (line: string) => void): ConnectOptions {
  const file = stringFlag(values, 'profile');
  const name = stringFlag(values, 'name');
  if (file !== undefined && name !== undefined) throw new UsageError('give --profile or --name, not both');
  if (file === undefined && name === undefined) throw new UsageError('--profile FILE or --name NAME is required');
  if (name !== undefined && values.install) throw new UsageError('--install applies to --profile, not to an installed --name');
  const network = stringFlag(values, 'network');
  if (network !== undefined && network !== 'wifi' && network !== 'wired') throw new UsageError(`--network must be wifi or wired, not "${network}"`);
  const timeoutMs = positiveInteger(stringFlag(values, 'timeout'), '--timeout', DEFAULT_CONNECT_TIMEOUT_MS, MAX_CONNECT_TIMEOUT_MS);
  const common: ConnectOptions = {
    timeoutMs,
    ...(network ? { network } : {}),
    ...(stringFlag(values, 'interface') !== undefined ? { interface: stringFlag(values, 'interface') } : {}),
  };
  if (name !== undefined) {
    if (values.identity !== undefined || values.password !== undefined || values['password-file'] !== undefined) {
      throw new UsageError('--identity and --password go with --profile: an installed profile keeps its own credentials');
    }
    if (name === '') throw new UsageError('--name must not be empty');
    return { ...common, name };
  }
  resolveSecrets(values, ['password'], err);
  const { profile, notes } = readProfileFile(String(file), '--profile');
  for (const note of notes) err(`note: ${note.path}: ${note.message}`);
  const identity = profile.credentials?.identity ?? stringFlag(values, 'identity');
  const password = profile.credentials?.password ?? stringFlag(values, 'password');
  const credentials = { ...(identity !== undefined ? { identity } : {}), ...(password !== undefined ? { password } : {}) };
  return {
    ...common,
    profile: { ...profile, ...(Object.keys(credentials).length > 0 ? { credentials } : {}) },
    ...(values.install ? { install: true } : {}),
  };
}

/** --json: one object, every field present (null when unknown) so a script can rely on the keys. */
export function outcomeJson(outcome: ConnectOutcome): string {
  return JSON.stringify({
    connected: outcome.connected, category: outcome.category, method: outcome.method ?? null, codes: outcome.codes,
    elapsedMs: outcome.elapsedMs, interface: outcome.interface ?? null, via: outcome.via, message: outcome.message,
    ...(outcome.nextStep ? { nextStep: outcome.nextStep } : {}),
  });
}

export async function runConnect(values: FlagValues, io: CommandIo): Promise<number> {
  const json = values.json === true;
  const options = connectOptions(values, io.err);
  // With --json stdout holds the one object; the progress goes to stderr.
  const progress = json ? io.err : io.out;
  const controller = new AbortController();
  const stop = (): void => controller.abort();
  io.stop?.addEventListener('abort', stop, { once: true });
  if (io.handleSignals) {
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  }
  let outcome: ConnectOutcome;
  try {
    outcome = await connect({ ...options, signal: controller.signal, onEvent: (event) => progress(eventLine(event)) });
  } catch (error) {
    if (error instanceof ProfileError) throw new UsageError(error.code === 'unsupported' ? error.message : `--profile: ${error.message}`);
    if (error instanceof EapError && error.win32Error === Win32.ERROR_CANCELLED) {
      io.err('eaphost connect: stopped before the attempt ended');
      return ExitCode.NoAnswer;
    }
    throw error;
  } finally {
    io.stop?.removeEventListener('abort', stop);
    if (io.handleSignals) {
      process.removeListener('SIGINT', stop);
      process.removeListener('SIGTERM', stop);
    }
  }
  if (json) io.out(outcomeJson(outcome));
  else for (const line of outcomeLines(outcome)) io.out(line);
  return connectExitCode(outcome.category);
}
