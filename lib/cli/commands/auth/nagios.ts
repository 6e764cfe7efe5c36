/**
 * `eaphost auth --radius … --nagios`: the monitoring-plugin form of one authentication. One
 * status line, "EAPHOST STATE - text | perfdata", and the plugin exit codes 0 OK, 1 WARNING,
 * 2 CRITICAL, 3 UNKNOWN (Nagios, Icinga, Zabbix, Checkmk and friends all read these).
 *
 * The authentication itself is `eaphost auth --radius … --json`; this file only grades it.
 */
import { isTlsMethodName } from '../../../session/builtin';
import { AuthHooks, radiusAuth } from './radius';
import { CommandIo, FlagValues, LineWriter, UsageError } from '../../main';
import { crlExpiryWarnings } from '../../crl-dates';
import { ocspStapleLine, summariseOcspStaple } from './ocsp-staple';
import type { PresentedTls } from './server-cert-report';
import { chainOf } from '../../../audit/certificates';

export const NagiosState = { OK: 0, WARNING: 1, CRITICAL: 2, UNKNOWN: 3 } as const;
type State = typeof NagiosState[keyof typeof NagiosState];
const STATE_NAMES = ['OK', 'WARNING', 'CRITICAL', 'UNKNOWN'];
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
}

/** Takes the monitoring flags out of the parsed values; what is left is `auth --radius`'s. */
function nagiosFlags(values: FlagValues): NagiosFlags {
  const flags: NagiosFlags = {};
  const number = (name: string, integer: boolean): number | undefined => {
    const text = values[name];
    delete values[name];
    if (text === undefined) return undefined;
    const value = Number(text);
    if (typeof text !== 'string' || text === '' || !Number.isFinite(value) || value < 0 || (integer && !Number.isInteger(value))) {
      throw new UsageError(`--${name} needs a non-negative ${integer ? 'integer' : 'number'}, not "${String(text)}"`);
    }
    return value;
  };
  delete values.nagios;
  const warnMs = number('warn-ms', true);
  const critMs = number('crit-ms', true);
  const certWarnDays = number('cert-warn-days', false);
  if (warnMs !== undefined) flags.warnMs = warnMs;
  if (critMs !== undefined) flags.critMs = critMs;
  if (certWarnDays !== undefined) flags.certWarnDays = certWarnDays;
  if (flags.warnMs !== undefined && flags.critMs !== undefined && flags.warnMs > flags.critMs) {
    throw new UsageError(`--warn-ms ${flags.warnMs} is above --crit-ms ${flags.critMs}`);
  }
  return flags;
}

/** "|" and ";" and newlines would break the plugin output format. */
function clean(text: string): string {
  return text.replace(/[|\r\n]+/g, ' ').trim();
}

/** The one plugin status line; its state is the exit code. */
function statusLine(out: LineWriter, state: State, text: string, perf: string[] = []): number {
  out(`EAPHOST ${STATE_NAMES[state]} - ${clean(text)}${perf.length ? ` | ${perf.join(' ')}` : ''}`);
  return state;
}

/** Bad usage, as a monitoring system reads it: UNKNOWN. */
export function nagiosUnknown(message: string, out: LineWriter): number {
  return statusLine(out, NagiosState.UNKNOWN, message);
}

export async function runNagios(values: FlagValues, { out, err }: CommandIo): Promise<number> {
  const emit = (state: State, text: string, perf: string[] = []): number => statusLine(out, state, text, perf);
  const flags = nagiosFlags(values);
  if (flags.certWarnDays !== undefined && !isTlsMethodName(String(values.method ?? 'md5').toLowerCase())) {
    throw new UsageError('--cert-warn-days applies to the TLS methods (peap, ttls, tls) only');
  }

  let tls: PresentedTls | undefined;
  const hooks: AuthHooks = { onTlsOutcome: (outcome) => { tls = outcome; } };
  const json: string[] = [];
  const errors: string[] = [];
  let code: number;
  try {
    values.json = true;
    // Warnings (weak trust) still reach stderr; the status line carries them too.
    code = await radiusAuth(values, (line) => json.push(line), (line) => {
      errors.push(line);
      if (line.startsWith('eaphost: warning:')) err(line);
    }, hooks);
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
    // The first error, not a warning said before the run (a literal secret's): that one is on stderr already.
    const firstError = errors.find((line) => !line.startsWith('eaphost: warning:'));
    return emit(NagiosState.UNKNOWN, String(result?.reason ?? firstError ?? `eaphost auth exited ${code}`));
  }

  const elapsed = Number(result.elapsedMs);
  const perf = [`time=${elapsed}ms;${flags.warnMs ?? ''};${flags.critMs ?? ''};0`];
  let state: State;
  let text = String(result.reason);
  if (result.result === 'accept') {
    state = flags.critMs !== undefined && elapsed >= flags.critMs ? NagiosState.CRITICAL
      : flags.warnMs !== undefined && elapsed >= flags.warnMs ? NagiosState.WARNING : NagiosState.OK;
    if (state !== NagiosState.OK) text += ` (slower than ${state === NagiosState.CRITICAL ? flags.critMs : flags.warnMs} ms)`;
    if (result.mppeKeysMatch === false) {
      // The NAS would derive other keys than the client: no traffic would pass.
      state = NagiosState.CRITICAL;
      text += '; the MPPE keys in the Access-Accept do not match the MSK';
    }
    if (result.insecure === true) {
      state = worse(state, NagiosState.WARNING);
      text += `; insecure: ${(result.warnings as string[]).join('; ')}`;
    }
  } else {
    // Reject, inconsistent verdicts, timeout, wrong secret, unprotected replies: the service is not doing its job.
    state = NagiosState.CRITICAL;
  }

  if (flags.certWarnDays !== undefined) {
    const leaf = chainOf(tls?.serverCertificates)[0];
    if (!leaf) {
      if (result.result === 'accept') {
        state = worse(state, NagiosState.UNKNOWN);
        text += '; the server sent no certificate';
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
      const crls = values.crl === undefined ? [] : Array.isArray(values.crl) ? values.crl.map(String) : [String(values.crl)];
      const expiring = crlExpiryWarnings(crls, flags.certWarnDays);
      if (expiring.stale.length > 0) state = worse(state, NagiosState.CRITICAL);
      else if (expiring.soon.length > 0) state = worse(state, NagiosState.WARNING);
      for (const warning of [...expiring.stale, ...expiring.soon]) text += `; ${warning}`;
      const stapled = tls?.ocspStaple;
      if (stapled) {
        const staple = summariseOcspStaple(stapled);
        const hoursLeft = staple?.nextUpdate ? Math.floor((Date.parse(staple.nextUpdate) - Date.now()) / 3_600_000) : undefined;
        if (!staple || staple.status !== 'good' || (hoursLeft !== undefined && hoursLeft < 0)) {
          state = worse(state, NagiosState.CRITICAL);
        } else if (hoursLeft !== undefined && hoursLeft < flags.certWarnDays * 24) {
          state = worse(state, NagiosState.WARNING);
        }
        text += `; ${ocspStapleLine(staple, true)}`;
      }
    }
  }
  return emit(state, text, perf);
}
