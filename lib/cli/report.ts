/**
 * The one JSON shape of `auth` (embedded and RADIUS), `load`, `ping`, `acct`, `disconnect`, `coa`, `audit` and `discover` output: the core
 * fields below in every object, in both modes, then what the command adds. The shape is
 * schema/cli-output.schema.json, shipped in the package; the README describes it field by field.
 */
import { insecureTrustWarnings } from '../core/connection-data';
import { LineWriter } from './main';

export type CommandName = 'auth' | 'load' | 'ping' | 'acct' | 'disconnect' | 'coa' | 'audit' | 'discover';

export interface CoreReport {
  command: CommandName;
  /** The one boolean to test: the command did what was asked (accept, alive, acknowledged, all loads succeeded). */
  success: boolean;
  /** What happened, as a word: accept, reject, inconsistent, timeout, secret-mismatch, no-message-authenticator, invalid-message-authenticator,
   *  identifier-mismatch, error, usage, alive, acknowledged, nak, malformed, done, interrupted, found, not-found. */
  result: string;
  exitCode: number;
  /** The human-readable line. */
  reason: string;
  mode: 'embedded' | 'radius' | 'radsec' | 'eapol' | 'dns';
  /** HOST:PORT (discover: the DNS servers asked), or null in embedded mode. */
  server: string | null;
  method: string | null;
  identity: string | null;
  roundTrips: number | null;
  elapsedMs: number;
  /** Server validation was weak (--insecure, or --ca without --server-name): see warnings. */
  insecure: boolean;
  warnings: string[];
}

/** The core fields first, then the command's own; a command cannot overwrite a core field. */
export function reportJson(core: CoreReport, extra: Record<string, unknown> = {}): string {
  return JSON.stringify({ ...extra, ...core });
}

/**
 * The warnings about the peer's trust settings, said on stderr every time (also with --json, whose
 * object carries them too): weak validation must never pass unnoticed.
 */
export function trustWarnings(method: string | undefined, tls: { insecure?: boolean; ca?: unknown; serverName?: unknown },
  stderr: LineWriter): string[] {
  const warnings = insecureTrustWarnings({ method, ...tls });
  for (const warning of warnings) stderr(`eaphost: warning: ${warning}`);
  return warnings;
}
