/**
 * `eaphost connect`: reads the profile (or takes an installed one's name), runs connect(), prints
 * each state change as it happens and then the outcome in words with the next step. Exit codes:
 * 0 connected (or authenticated, with --until authenticated), 1 refused, 3 nothing refused but not
 * on (timeout, no authenticator, no address, interrupted, stopped by Ctrl-C), 2 usage.
 */
import { EapError, Win32 } from '../../../core/errors';
import { ProfileError } from '../../../profile/network-profile';
import { connect, ConnectOptions, MAX_CONNECT_TIMEOUT_MS, DEFAULT_CONNECT_TIMEOUT_MS, succeeded } from '../../../profile/connect';
import type { ConnectCategory, ConnectCode, ConnectEvent, ConnectOutcome } from '../../../profile/connect/outcome';
import { positiveInteger, stringFlag } from '../../command-line';
import { CommandIo, ExitCode, FlagValues, UsageError } from '../../main';
import { readProfileFile } from '../profile';
import { resolveSecrets } from '../../secrets';

/** Nothing refused the credentials, yet the machine is not on: try again, or look at the network. */
const NOT_REFUSED: readonly ConnectCategory[] = ['timeout', 'no-authenticator', 'no-address', 'interrupted'];

/** 0 connected (or authenticated, as asked); 3 when nothing refused but the machine is not on; 1 for every refusal. */
export function connectExitCode(category: ConnectCategory): number {
  if (succeeded({ category })) return ExitCode.Accept;
  return NOT_REFUSED.includes(category) ? ExitCode.NoAnswer : ExitCode.Reject;
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
  const verdict = outcome.connected ? 'connected' : outcome.category === 'authenticated' ? 'authenticated' : `not connected: ${outcome.category}`;
  const lines = [`${verdict} (${where})`, outcome.message];
  if (outcome.codes.length > 0) lines.push(`codes: ${outcome.codes.map(codeText).join('; ')}`);
  if (!succeeded(outcome) && outcome.nextStep) lines.push(`next: ${outcome.nextStep}`);
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
  const until = stringFlag(values, 'until');
  if (until !== undefined && until !== 'connected' && until !== 'authenticated') {
    throw new UsageError(`--until must be connected or authenticated, not "${until.slice(0, 40)}"`);
  }
  const common: ConnectOptions = {
    timeoutMs,
    ...(until === 'authenticated' ? { until } : {}),
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
    connected: outcome.connected, authenticated: outcome.authenticated, category: outcome.category, method: outcome.method ?? null, codes: outcome.codes,
    elapsedMs: outcome.elapsedMs, interface: outcome.interface ?? null, via: outcome.via, message: outcome.message,
    ...(outcome.nextStep ? { nextStep: outcome.nextStep } : {}),
  });
}

/** A stop the user asked for (Ctrl-C, SIGTERM, the caller's signal), whichever layer reported it. */
function isStop(error: unknown, signal: AbortSignal): boolean {
  if (error instanceof EapError && error.win32Error === Win32.ERROR_CANCELLED) return true;
  return signal.aborted && (error === signal.reason || (error instanceof Error && error.name === 'AbortError'));
}

/** A signal that arrives while a stopped connect exits: no effect (Node's signal handles keep no process alive). */
function swallow(): void {}

export async function runConnect(values: FlagValues, io: CommandIo): Promise<number> {
  const json = values.json === true;
  const options = connectOptions(values, io.err);
  // With --json stdout holds the one object; the progress goes to stderr.
  const progress = json ? io.err : io.out;
  const controller = new AbortController();
  // The first Ctrl-C (or SIGTERM) stops the attempt, which then takes down what it made (within
  // a bound); the ones after it are told so instead of killing the process half-way through.
  const stop = (): void => {
    if (controller.signal.aborted) {
      io.err('eaphost connect: still taking the attempt down (a few seconds at most)');
      return;
    }
    controller.abort();
  };
  io.stop?.addEventListener('abort', stop, { once: true });
  if (io.handleSignals) {
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
  }
  let outcome: ConnectOutcome;
  try {
    outcome = await connect({ ...options, signal: controller.signal, onEvent: (event) => progress(eventLine(event)) });
  } catch (error) {
    if (error instanceof ProfileError) throw new UsageError(error.code === 'unsupported' ? error.message : `--profile: ${error.message}`);
    if (isStop(error, controller.signal)) {
      io.err('eaphost connect: stopped before the attempt ended; what it had started was taken down');
      return ExitCode.NoAnswer;
    }
    // No NetworkManager to answer, or the bus gone: nothing refused the credentials (3); NetworkManager refusing the settings: 1.
    const code = error instanceof Error && error.name === 'NetworkManagerConnectError' ? (error as { code?: string }).code : undefined;
    if (code === 'no-networkmanager' || code === 'bus-lost' || code === 'refused') {
      io.err(`eaphost connect: ${error instanceof Error ? error.message : String(error)}`);
      return code === 'refused' ? ExitCode.Reject : ExitCode.NoAnswer;
    }
    throw error;
  } finally {
    io.stop?.removeEventListener('abort', stop);
    if (io.handleSignals) {
      process.removeListener('SIGINT', stop);
      process.removeListener('SIGTERM', stop);
      // Once stopped, a Ctrl-C that comes after the clean-up, while the process ends, must not kill
      // it by the signal either (its exit code is the one above): that one is swallowed.
      if (controller.signal.aborted) {
        process.on('SIGINT', swallow);
        process.on('SIGTERM', swallow);
      }
    }
  }
  if (json) io.out(outcomeJson(outcome));
  else for (const line of outcomeLines(outcome)) io.out(line);
  return connectExitCode(outcome.category);
}
