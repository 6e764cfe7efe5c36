/**
 * `eaphost auth --radius … --nagios`: the monitoring-plugin form of one authentication. One
 * status line, "EAPHOST STATE - text | perfdata", and the plugin exit codes 0 OK, 1 WARNING,
 * 2 CRITICAL, 3 UNKNOWN (Nagios, Icinga, Zabbix, Checkmk and friends all read these).
 *
 * The authentication itself is `eaphost auth --radius … --json`; this file only grades it.
 */
import { X509Certificate } from 'node:crypto';
import { AuthHooks, runRadiusAuth } from './radius';
import { ServerCertificateWatcher } from './server-certificate';

type LineWriter = (line: string) => void;

export const NagiosState = { OK: 0, WARNING: 1, CRITICAL: 2, UNKNOWN: 3 } as const;
type State = typeof NagiosState[keyof typeof NagiosState];
const STATE_NAMES = ['OK', 'WARNING', 'CRITICAL', 'UNKNOWN'];
const TLS_METHODS = new Set(['peap', 'ttls', 'tls']);
const DAY_MS = 86_400_000;

/** Worst of two states: CRITICAL over WARNING over UNKNOWN over OK. */
function worse(a: State, b: State): State {
  const rank = (state: State): number => [0, 2, 3, 1][state];
  return rank(a) >= rank(b) ? a : b;
}

interface NagiosFlags {
  warnMs?: number;
  critMs?: number;
  certWarnDays?: number;
  rest: string[];
}

class NagiosUsageError extends Error {}

function splitFlags(argv: readonly string[]): NagiosFlags {
  const flags: NagiosFlags = { rest: [] };
  const number = (name: string, text: string | undefined, integer: boolean): number => {
    const value = Number(text);
    if (text === undefined || text === '' || !Number.isFinite(value) || value < 0 || (integer && !Number.isInteger(value))) {
      throw new NagiosUsageError(`--${name} needs a non-negative ${integer ? 'integer' : 'number'}, not "${text ?? ''}"`);
    }
    return value;
  };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    const eq = arg.indexOf('=');
    const name = arg.startsWith('--') ? arg.slice(2, eq > 0 ? eq : undefined) : '';
    const value = (): string | undefined => (eq > 0 ? arg.slice(eq + 1) : argv[++i]);
    if (name === 'nagios') continue;
    if (name === 'warn-ms') flags.warnMs = number(name, value(), true);
    else if (name === 'crit-ms') flags.critMs = number(name, value(), true);
    else if (name === 'cert-warn-days') flags.certWarnDays = number(name, value(), false);
    else flags.rest.push(arg);
  }
  if (flags.warnMs !== undefined && flags.critMs !== undefined && flags.warnMs > flags.critMs) {
    throw new NagiosUsageError(`--warn-ms ${flags.warnMs} is above --crit-ms ${flags.critMs}`);
  }
  return flags;
}

function methodOf(argv: readonly string[]): string {
  const at = argv.findIndex((arg) => arg === '--method' || arg.startsWith('--method='));
  if (at === -1) return 'md5';
  return (argv[at].includes('=') ? argv[at].slice(argv[at].indexOf('=') + 1) : argv[at + 1] ?? '').toLowerCase();
}

/** "|" and ";" and newlines would break the plugin output format. */
function clean(text: string): string {
  return text.replace(/[|\r\n]+/g, ' ').trim();
}

export async function runNagios(argv: readonly string[], out: LineWriter = console.log): Promise<number> {
  const emit = (state: State, text: string, perf: string[] = []): number => {
    out(`EAPHOST ${STATE_NAMES[state]} - ${clean(text)}${perf.length ? ` | ${perf.join(' ')}` : ''}`);
    return state;
  };
  let flags: NagiosFlags;
  try {
    flags = splitFlags(argv[0] === 'auth' ? argv.slice(1) : argv);
    if (flags.certWarnDays !== undefined && !TLS_METHODS.has(methodOf(flags.rest))) {
      throw new NagiosUsageError('--cert-warn-days applies to the TLS methods (peap, ttls, tls) only');
    }
  } catch (error) {
    if (error instanceof NagiosUsageError) return emit(NagiosState.UNKNOWN, error.message);
    throw error;
  }

  const watcher = new ServerCertificateWatcher();
  const hooks: AuthHooks = flags.certWarnDays === undefined ? {}
    : { onPacket: (direction, packet) => { if (direction === 'in') watcher.observe(packet); } };
  const json: string[] = [];
  const errors: string[] = [];
  let code: number;
  try {
    code = await runRadiusAuth([...flags.rest, '--json'], (line) => json.push(line), (line) => errors.push(line), hooks);
  } catch (error) {
    return emit(NagiosState.UNKNOWN, `eaphost: ${(error as Error).message}`);
  }
  let result: Record<string, unknown> | undefined;
  try {
    result = json.length > 0 ? JSON.parse(json[json.length - 1]) : undefined;
  } catch {
    result = undefined;
  }
  if (!result || code === 2) {
    return emit(NagiosState.UNKNOWN, String(result?.reason ?? errors[0] ?? `eaphost auth exited ${code}`));
  }

  const elapsed = Number(result.elapsedMs);
  const perf = [`time=${elapsed}ms;${flags.warnMs ?? ''};${flags.critMs ?? ''};0`];
  let state: State;
  let text = String(result.reason);
  if (result.result === 'accept') {
    state = flags.critMs !== undefined && elapsed >= flags.critMs ? NagiosState.CRITICAL
      : flags.warnMs !== undefined && elapsed >= flags.warnMs ? NagiosState.WARNING : NagiosState.OK;
    if (state !== NagiosState.OK) text += ` (slower than ${state === NagiosState.CRITICAL ? flags.critMs : flags.warnMs} ms)`;
  } else {
    // Reject, timeout, wrong secret, unprotected replies: the service is not doing its job.
    state = NagiosState.CRITICAL;
  }

  if (flags.certWarnDays !== undefined) {
    const leaf: X509Certificate | undefined = watcher.chain()[0];
    if (!leaf) {
      if (result.result === 'accept') {
        state = worse(state, NagiosState.UNKNOWN);
        text += '; server certificate not visible (TLS 1.3 encrypts it: --tls-max 1.2 shows it)';
      }
    } else {
      const days = Math.floor((new Date(leaf.validTo).getTime() - Date.now()) / DAY_MS * 10) / 10;
      const subject = leaf.subject.replace(/\n/g, ', ');
      if (days < 0) {
        state = worse(state, NagiosState.CRITICAL);
        text += `; server certificate ${subject} expired ${-days} days ago`;
      } else if (days <= flags.certWarnDays) {
        state = worse(state, NagiosState.WARNING);
        text += `; server certificate ${subject} expires in ${days} days (${leaf.validTo})`;
      } else {
        text += `; server certificate expires in ${days} days`;
      }
      perf.push(`cert_days=${days};${flags.certWarnDays};;`);
    }
  }
  return emit(state, text, perf);
}
