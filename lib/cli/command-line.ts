/**
 * The skeleton every `eaphost` command stands on: one parser (node:util parseArgs, strict), one
 * usage error, one line writer, one positive-integer reader, and `--help` text generated from
 * the same flag declarations the parser is given, so help and behaviour cannot drift apart.
 */
import { parseArgs } from 'node:util';
import { BuiltinMethodName, builtinMethods } from '../session/builtin';
import { FlagDeclaration, FlagFamily, HELP } from './flags';
import { parseHostPort } from '../radius/endpoint';

/** Where a command's lines go: main.ts passes console.log / console.error, tests collect them. */
export type LineWriter = (line: string) => void;

export interface CliOutput {
  stdout: LineWriter;
  stderr: LineWriter;
}

export const ExitCode = { Accept: 0, Reject: 1, Usage: 2, NoAnswer: 3 } as const;

/** Bad usage or input on the command line: exit 2, one line saying why. */
export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}

/** A command (or one form of it) as the parser and the help text both see it. */
export interface CommandDeclaration {
  /** The word after `eaphost`. */
  name: string;
  /** What it is for, one line. */
  summary: string;
  /** Synopsis lines, without the leading "eaphost". */
  usage: string[];
  families: FlagFamily[];
  /** Words that are not flags (acct start|stop|update). */
  positionals?: boolean;
}

export type FlagValues = Record<string, string | boolean | string[] | undefined>;

export interface ParsedCommand {
  values: FlagValues;
  positionals: string[];
  /** --help / -h was given: print helpText and exit 0, nothing else is checked. */
  help: boolean;
}

/** The flags of a command; a flag declared by two families must be declared the same way. */
export function commandFlags(command: CommandDeclaration): FlagDeclaration[] {
  const byName = new Map<string, FlagDeclaration>();
  for (const flag of [...command.families.flatMap((family) => family.flags), ...HELP.flags]) {
    const known = byName.get(flag.name);
    if (known && (known.type !== flag.type || known.multiple !== flag.multiple)) {
      throw new Error(`--${flag.name} is declared twice, differently, for eaphost ${command.name}`);
    }
    if (!known) byName.set(flag.name, flag);
  }
  return [...byName.values()];
}

/** Parses argv (a leading command word is tolerated) against the command's declarations. */
export function parseCommand(command: CommandDeclaration, argv: readonly string[]): ParsedCommand {
  const flags = commandFlags(command);
  const args = attachValues(argv[0] === command.name ? argv.slice(1) : [...argv], flags);
  // Help wins over everything else, even over flags that would be refused.
  if (args.some((arg) => arg === '--help' || arg === '-h')) return { values: {}, positionals: [], help: true };
  const options: Record<string, { type: 'string' | 'boolean'; multiple?: boolean; short?: string }> = {};
  for (const flag of flags) {
    options[flag.name] = { type: flag.type, ...(flag.multiple ? { multiple: true } : {}), ...(flag.short ? { short: flag.short } : {}) };
  }
  try {
    const { values, positionals } = parseArgs({ args, options, strict: true, allowPositionals: command.positionals === true });
    return { values: values as FlagValues, positionals, help: false };
  } catch (error) {
    throw new UsageError(((error as Error).message.split('\n')[0] ?? '').replace(/\. To specify a positional.*$/, ''));
  }
}

/** Whether `--help` / `-h` is asked for among `args`, where it is not the value of a flag of any
 *  form of the command (`--password -h` is a password). */
export function helpAsked(forms: readonly CommandDeclaration[], args: readonly string[]): boolean {
  const flags = forms.flatMap((form) => commandFlags(form));
  return attachValues([...args], flags).some((arg) => arg === '--help' || arg === '-h');
}

/**
 * A flag that takes a value takes the next word, whatever it looks like (getopt's rule): a
 * password or secret may begin with "-", which node:util's parser would otherwise refuse as
 * ambiguous. Written as `--name=value` before parsing, so `--password -x7` means the password "-x7".
 */
function attachValues(args: string[], flags: FlagDeclaration[]): string[] {
  const takesValue = new Map<string, string>();
  for (const flag of flags) {
    if (flag.type !== 'string') continue;
    takesValue.set(`--${flag.name}`, flag.name);
    if (flag.short) takesValue.set(`-${flag.short}`, flag.name);
  }
  const attached: string[] = [];
  for (let i = 0; i < args.length; i++) {
    if (args[i] === '--') return attached.concat(args.slice(i));  // the rest is positional
    const name = takesValue.get(args[i]);
    if (name !== undefined && i + 1 < args.length) {
      attached.push(`--${name}=${args[i + 1]}`);
      i++;
    } else {
      attached.push(args[i]);
    }
  }
  return attached;
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

/** The flag lookup the TLS / NAS / RadSec readers take. */
export function flagReader(values: FlagValues): (name: string) => string | boolean | undefined {
  return (name) => {
    const value = values[name];
    return Array.isArray(value) ? value[value.length - 1] : value;
  };
}

/** A whole number above 0 (and at most `max`), or `fallback` when the flag is absent. */
export function positiveInteger(text: string | undefined, flag: string, fallback: number, max = Number.MAX_SAFE_INTEGER): number {
  if (text === undefined) return fallback;
  const value = Number(text);
  if (!/^\d+$/.test(text.trim()) || !Number.isSafeInteger(value) || value <= 0 || value > max) {
    throw new UsageError(`${flag} must be a whole number above 0${max < Number.MAX_SAFE_INTEGER ? ` and at most ${max}` : ''}, ` +
      `not "${text}"`);
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

function flagSpelling(flag: FlagDeclaration): string {
  const value = flag.type === 'string' ? ` ${flag.value ?? 'VALUE'}` : '';
  return `${flag.short ? `-${flag.short}, ` : ''}--${flag.name}${value}`;
}

/** The flags of some families as help lines, grouped and aligned. */
export function familyHelp(families: readonly FlagFamily[]): string[] {
  const lines: string[] = [];
  const seen = new Set<string>();
  for (const family of families) {
    const flags = family.flags.filter((flag) => !seen.has(flag.name));
    if (flags.length === 0) continue;
    for (const flag of flags) seen.add(flag.name);
    lines.push('', `${family.title}:`);
    for (const flag of flags) {
      const spelling = flagSpelling(flag);
      const repeat = flag.multiple ? ' (repeatable)' : '';
      lines.push(spelling.length <= 30 ? `  ${spelling.padEnd(30)} ${flag.help}${repeat}` : `  ${spelling}\n  ${''.padEnd(30)} ${flag.help}${repeat}`);
    }
  }
  return lines;
}

/** The full help of a command name, from every declaration of that name (auth has several forms). */
export function helpText(name: string, declarations: readonly CommandDeclaration[]): string {
  const forms = declarations.filter((command) => command.name === name);
  const lines = [`eaphost ${name}: ${forms[0]?.summary ?? ''}`, '', 'usage:'];
  for (const form of forms) for (const usage of form.usage) lines.push(`  eaphost ${usage}`);
  const families: FlagFamily[] = [];
  for (const form of forms) for (const family of form.families) if (!families.includes(family)) families.push(family);
  lines.push(...familyHelp([...families, HELP]));
  return lines.join('\n');
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
