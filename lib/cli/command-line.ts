/**
 * Readers of parsed flag values that several commands share: a string flag, a required one, a
 * positive integer, the RADIUS server flags, a shipped method's name, a file a flag names. Each refuses bad input with
 * a UsageError, which the program (main.ts) turns into exit 2 and the usage hint.
 */
import { BuiltinMethodName, builtinMethods } from '../session/builtin';
import { parseHostPort } from '../radius/endpoint';
import { FileTooLargeError, readFileBounded } from '../core/file-read';
import { FlagValues, LineWriter, UsageError } from './main';

export interface CliOutput {
  stdout: LineWriter;
  stderr: LineWriter;
}

/** A string flag's value, or undefined. */
export function stringFlag(values: FlagValues, name: string): string | undefined {
  const value = values[name];
  return typeof value === 'string' ? value : undefined;
}

export function requiredFlag(values: FlagValues, name: string): string {
  const value = stringFlag(values, name);
  if (value === undefined || value === '') throw new UsageError(`--${name} is required`);
  return value;
}

/**
 * How the flag families (TLS, NAS attributes, RadSec, a profile's) read the parsed flags: a flag's
 * value (a repeated flag's last), undefined when it is absent; `all` gives every value of a
 * repeatable one.
 */
export interface FlagReader {
  (name: string): string | boolean | undefined;
  all(name: string): string[] | undefined;
}

/** The reader of a command's parsed flags. */
export function flagReader(values: FlagValues): FlagReader {
  const flag = (name: string): string | boolean | undefined => {
    const value = values[name];
    return Array.isArray(value) ? value[value.length - 1] : value;
  };
  return Object.assign(flag, {
    all: (name: string): string[] | undefined => {
      const value = values[name];
      return Array.isArray(value) ? value.map(String) : typeof value === 'string' ? [value] : undefined;
    },
  });
}

/** A whole number above 0 (and at most `max`), or `fallback` when the flag is absent. */
export function positiveInteger(text: string | undefined, flag: string, fallback: number, max = Number.MAX_SAFE_INTEGER): number {
  return wholeNumber(text, flag, fallback, 1, max);
}

/** A flag's whole number from `min` to `max`, or `fallback` when the flag is absent (undefined). */
export function wholeNumber(text: string | undefined, flag: string, fallback: number, min: number, max: number): number {
  if (text === undefined) return fallback;
  const value = Number(text);
  if (!/^\d+$/.test(text.trim()) || !Number.isSafeInteger(value) || value < min || value > max) {
    const bounds = min === 1 ? `above 0${max < Number.MAX_SAFE_INTEGER ? ` and at most ${max}` : ''}` : `from ${min} to ${max}`;
    throw new UsageError(`${flag} must be a whole number ${bounds}, not "${text}"`);
  }
  return value;
}

/** BlastRADIUS (CVE-2024-3596) protection is on unless turned off explicitly. */
export function requireMessageAuthenticator(values: FlagValues): boolean {
  if (values['require-message-authenticator'] && values['no-require-message-authenticator']) {
    throw new UsageError('--require-message-authenticator and --no-require-message-authenticator contradict each other');
  }
  return values['no-require-message-authenticator'] !== true;
}

/** A method this package ships, by name; anything else is a usage error naming them all. */
export function shippedMethodName(text: string, flag: string, extra: readonly string[] = []): BuiltinMethodName {
  const name = text.trim().toLowerCase();
  if (!Object.prototype.hasOwnProperty.call(builtinMethods, name) && !extra.includes(name)) {
    throw new UsageError(`${flag} ${text}: shipped methods are ${[...Object.keys(builtinMethods), ...extra].join(', ')}`);
  }
  return name as BuiltinMethodName;
}

/** --radius HOST[:PORT] and --secret (required, not empty): the RADIUS server a command talks to. */
export function radiusServerFlags(values: FlagValues): { host: string; port: number; secret: string } {
  const radius = stringFlag(values, 'radius');
  const secret = stringFlag(values, 'secret');
  if (radius === undefined) throw new UsageError('--radius is required');
  if (secret === undefined || secret === '') throw new UsageError('--secret is required and must not be empty');
  try {
    return { ...parseHostPort(radius), secret };
  } catch (error) {
    throw new UsageError(`--radius: ${(error as Error).message}`);
  }
}

/** The file a flag names, at most `limit` bytes; too large or unreadable is a UsageError naming
 *  the flag and the file ("--ca ca.pem: over 4194304 bytes", "--ca ca.pem: cannot read it (ENOENT)"). */
export function readFlagFile(flag: string, file: string, limit: number): Buffer {
  try {
    return readFileBounded(file, limit);
  } catch (error) {
    if (error instanceof FileTooLargeError) throw new UsageError(`${flag} ${file}: over ${limit} bytes`);
    throw new UsageError(`${flag} ${file}: cannot read it (${(error as NodeJS.ErrnoException).code ?? 'error'})`);
  }
}
