/**
 * What the RADIUS commands (auth --radius, serve, ping, load, acct) share in parsing their
 * arguments and reporting: line writers, exit codes, usage errors, method names, and the
 * BlastRADIUS switch.
 */
import { BuiltinMethodName, builtinMethods } from '../builtin';

/** Where a command's lines go: main.ts passes console.log / console.error, tests collect them. */
export type LineWriter = (line: string) => void;

export interface CliOutput {
  stdout: LineWriter;
  stderr: LineWriter;
}

export const ExitCode = { Accept: 0, Reject: 1, Usage: 2, NoAnswer: 3 } as const;

export function shippedMethodName(text: string, flag: string): BuiltinMethodName {
  const name = text.trim().toLowerCase();
  if (!Object.prototype.hasOwnProperty.call(builtinMethods, name)) {
    throw new UsageError(`${flag} ${text}: shipped methods are ${Object.keys(builtinMethods).join(', ')}`);
  }
  return name as BuiltinMethodName;
}

export function withoutSubcommand(argv: readonly string[], name: string): string[] {
  return argv[0] === name ? argv.slice(1) : [...argv];
}

export function positiveInteger(text: string | undefined, name: string, fallback: number): number {
  if (text === undefined) return fallback;
  const value = Number(text);
  if (!Number.isInteger(value) || value <= 0) throw new UsageError(`${name} must be a positive integer, not "${text}"`);
  return value;
}

export class UsageError extends Error {}

/** BlastRADIUS (CVE-2024-3596) protection is on unless turned off explicitly. */
export const MESSAGE_AUTHENTICATOR_FLAGS = {
  'require-message-authenticator': { type: 'boolean' as const },
  'no-require-message-authenticator': { type: 'boolean' as const },
};

export function requireMessageAuthenticator(values: Record<string, unknown>): boolean {
  if (values['require-message-authenticator'] && values['no-require-message-authenticator']) {
    throw new UsageError('--require-message-authenticator and --no-require-message-authenticator contradict each other');
  }
  return values['no-require-message-authenticator'] !== true;
}
