#!/usr/bin/env node
/**
 * The `eaphost` program, the one skeleton every command stands on. It alone answers `help`,
 * `--help` / `-h` (for the program and for each command) and `--version`, parses a command's
 * flags, prints the usage hint, and turns errors into the exit-code convention: 0 success,
 * 1 authentication failure, 2 bad usage or input, 3 no answer in time.
 *
 * A command is one folder in ./commands/, named as the command: its command.ts exports `command` (a
 * CommandDefinition: name, summary, forms with their flag families, and how each form runs), and
 * its body lives beside it. The folder is read when the program needs it, so there is no table to
 * keep, and only the declaration of the command that runs is loaded: `eaphost --version` loads none, `eaphost help` loads their
 * declarations, never a command's body (those are imported by the form's run, when it runs).
 */
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { isOptionError } from '../core/option-error';
import type { FlagDeclaration, FlagFamily } from './flags';

/** Where a command's lines go: the program passes console.log / console.error, tests collect them. */
export type LineWriter = (line: string) => void;

export type FlagValues = Record<string, string | boolean | string[] | undefined>;

export const ExitCode = { Accept: 0, Reject: 1, Usage: 2, NoAnswer: 3 } as const;

/** Bad usage or input on the command line: exit 2, one line saying why, then the usage hint. */
export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}

/**
 * The one way a library check's failure becomes a flag's usage error: an option error
 * (core/option-error.ts) reads `before`, the words `label` gives for its option, then its detail
 * (`label` a flag's name, or for each option the words that stand for it, '' for none); an option
 * `label` has no words for keeps the library's message after `before`, as does a TypeError or
 * RangeError that names no option. Anything else is returned as it is, to be thrown on.
 */
export function usageErrorOf(error: unknown, label: string | ((option: string) => string | undefined), before = ''): Error {
  if (isOptionError(error)) {
    const words = typeof label === 'string' ? label : label(error.option);
    if (words !== undefined) return new UsageError(`${before}${words === '' ? '' : `${words} `}${error.detail}`);
  }
  if (error instanceof TypeError || error instanceof RangeError) return new UsageError(`${before}${error.message}`);
  return error as Error;
}

/** What a running command is given besides its flags. */
export interface CommandIo {
  out: LineWriter;
  err: LineWriter;
  /** Ends a serving or load command early, as SIGINT does. */
  stop?: AbortSignal;
  /** A terminal for live progress lines (the program passes stderr when it is one). */
  tty?: { write(text: string): boolean };
  /** Stop on SIGINT / SIGTERM (the program does; tests use `stop`). */
  handleSignals?: boolean;
}

export interface ParsedArgs {
  values: FlagValues;
  /** Words that are not flags, for a form that takes them. */
  positionals: string[];
}

/** One form of a command: what it takes, and what runs it. */
export interface CommandForm {
  /** Synopsis lines, without the leading "eaphost". */
  usage: string[];
  families: FlagFamily[];
  /** Words that are not flags (acct start|stop|update). */
  positionals?: boolean;
  /** Whether the arguments ask for this form; the first form that says so runs, else the one without `when`. */
  when?: (argv: readonly string[]) => boolean;
  /** Resolves with the exit code; throws UsageError for bad usage or input. */
  run(args: ParsedArgs, io: CommandIo): Promise<number>;
  /** A form with its own output convention (the Nagios plugin's) reports a usage error itself. */
  usageError?(message: string, io: CommandIo): number | Promise<number>;
}

export interface CommandDefinition {
  /** The word after `eaphost`; the command's file is named the same. */
  name: string;
  /** What it is for, one line. */
  summary: string;
  /** Where `eaphost help` and docs/cli.md list it: lower first. */
  order: number;
  forms: CommandForm[];
}

export const HELP: FlagFamily = {
  title: 'Help',
  flags: [{ name: 'help', short: 'h', type: 'boolean', help: 'print this help and exit 0' }],
};

/** `eaphost help` is the program's own; the commands' files list everything else. */
const HELP_COMMAND: CommandDefinition = {
  name: 'help',
  summary: 'this text; `eaphost COMMAND --help` for one command',
  order: Number.MAX_SAFE_INTEGER,
  forms: [{ usage: ['help [COMMAND]'], families: [], positionals: true, run: async () => ExitCode.Accept }],
};

export const COMMANDS_DIRECTORY = join(__dirname, 'commands');

/** A command's definition by name, from `directory`; undefined when there is no such command. */
export function findCommand(name: string, directory = COMMANDS_DIRECTORY): CommandDefinition | undefined {
  if (name === HELP_COMMAND.name) return HELP_COMMAND;
  // A name is a folder name: nothing that could reach outside the folder.
  if (!/^[a-z][a-z0-9-]*$/.test(name)) return undefined;
  const file = join(directory, name, 'command.js');
  if (!existsSync(file)) return undefined;
  const { command } = require(file) as { command?: CommandDefinition };
  if (command?.name !== name) throw new Error(`${file} does not export the command "${name}"`);
  return command;
}

/** Every command in `directory`, in the order help lists them, `help` last. */
export function listCommands(directory = COMMANDS_DIRECTORY): CommandDefinition[] {
  const names = readdirSync(directory, { withFileTypes: true }).filter((entry) => entry.isDirectory()).map((entry) => entry.name);
  const commands = names.map((name) => findCommand(name, directory)).filter((found): found is CommandDefinition => !!found);
  commands.sort((a, b) => a.order - b.order || a.name.localeCompare(b.name));
  return [...commands, HELP_COMMAND];
}

/** The flags of a form; a flag declared by two families must be declared the same way. */
export function commandFlags(form: Pick<CommandForm, 'families'>): FlagDeclaration[] {
  const byName = new Map<string, FlagDeclaration>();
  for (const flag of [...form.families.flatMap((family) => family.flags), ...HELP.flags]) {
    const known = byName.get(flag.name);
    if (known && (known.type !== flag.type || known.multiple !== flag.multiple)) {
      throw new Error(`--${flag.name} is declared twice, differently`);
    }
    if (!known) byName.set(flag.name, flag);
  }
  return [...byName.values()];
}

/**
 * A flag that takes a value takes the next word, whatever it looks like (getopt's rule): a
 * password or secret may begin with "-", which node:util's parser would otherwise refuse as
 * ambiguous. Written as `--name=value` before parsing, so `--password -x7` means the password "-x7".
 */
function attachValues(args: readonly string[], flags: readonly FlagDeclaration[]): string[] {
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

/**
 * Parses a form's arguments strictly: a flag the form does not declare is a usage error. One that
 * another of the command's forms (`others`) declares is named with that form's first usage line,
 * so `serve --interface IF --step-threads 2` says where --step-threads belongs.
 */
export function parseForm(form: CommandForm, argv: readonly string[], others: readonly CommandForm[] = []): ParsedArgs {
  const flags = commandFlags(form);
  const options: Record<string, { type: 'string' | 'boolean'; multiple?: boolean; short?: string }> = {};
  for (const flag of flags) {
    options[flag.name] = { type: flag.type, ...(flag.multiple ? { multiple: true } : {}), ...(flag.short ? { short: flag.short } : {}) };
  }
  try {
    const { values, positionals } = parseArgs({ args: attachValues(argv, flags), options, strict: true,
      allowPositionals: form.positionals === true });
    return { values: values as FlagValues, positionals };
  } catch (error) {
    const message = ((error as Error).message.split('\n')[0] ?? '').replace(/\. To specify a positional.*$/, '');
    const unknown = (error as { code?: unknown }).code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION' ? undeclared(flags, argv) : undefined;
    const owner = unknown ? others.find((other) => other !== form && declares(other, unknown)) : undefined;
    throw new UsageError(owner ? `${message}: it belongs to \`eaphost ${owner.usage[0]}\`` : message);
  }
}

/** The first flag in `argv` that `flags` do not declare, spelled as given (`--name` or `-x`). */
function undeclared(flags: readonly FlagDeclaration[], argv: readonly string[]): string | undefined {
  for (const arg of attachValues(argv, flags)) {
    if (arg === '--') return undefined;
    if (arg.startsWith('--')) {
      const name = arg.slice(2).split('=')[0];
      if (!flags.some((flag) => flag.name === name)) return `--${name}`;
    } else if (arg.length > 1 && arg.startsWith('-')) {
      for (const letter of arg.slice(1)) {
        const flag = flags.find((declared) => declared.short === letter);
        if (!flag) return `-${letter}`;
        if (flag.type === 'string') break;  // the rest is its value
      }
    }
  }
  return undefined;
}

/** Whether a form declares a flag spelled `--name` or `-x`. */
function declares(form: CommandForm, spelling: string): boolean {
  return commandFlags(form).some((flag) => `--${flag.name}` === spelling || (flag.short !== undefined && `-${flag.short}` === spelling));
}

function flagSpelling(flag: FlagDeclaration): string {
  const value = flag.type === 'string' ? ` ${flag.value ?? 'VALUE'}` : '';
  return `${flag.short ? `-${flag.short}, ` : ''}--${flag.name}${value}`;
}

/** The flags of some families as help lines, grouped and aligned; a flag already shown is not repeated. */
function familyHelp(families: readonly FlagFamily[], seen = new Set<string>()): string[] {
  const lines: string[] = [];
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

/** Each family once, in the order the forms name them. */
export function commandFamilies(command: CommandDefinition): FlagFamily[] {
  return [...new Set(command.forms.flatMap((form) => form.families))];
}

/** `eaphost COMMAND --help`: its summary, every form's usage, then every flag of every form. */
export function helpText(command: CommandDefinition): string {
  const lines = [`eaphost ${command.name}: ${command.summary}`, '', 'usage:',
    ...command.forms.flatMap((form) => form.usage.map((usage) => `  eaphost ${usage}`))];
  return [...lines, ...familyHelp([...commandFamilies(command), HELP])].join('\n');
}

/** The exit codes and where secrets should come from, as `eaphost help` opens (and docs/cli.md says). */
export const PREAMBLE = [
  'Exit codes: 0 success, 1 authentication failure (or a NAS\'s NAK), 2 bad usage or input, 3 no answer in time',
  '(--nagios: 0 OK, 1 WARNING, 2 CRITICAL, 3 UNKNOWN). Secrets: prefer --password-file, --secret-file,',
  '--key-password-file or EAPHOST_PASSWORD, EAPHOST_SECRET, EAPHOST_KEY_PASSWORD over the literal flags.',
];

/** `eaphost help`: every command's forms, then each command's flags, a family shown under the first command that takes it. */
export function overallHelp(commands = listCommands()): string {
  const lines = ['eaphost: EAP authentications through EAPHost, from the command line', '', ...PREAMBLE, '', 'usage:',
    ...commands.flatMap((command) => command.forms.flatMap((form) => form.usage.map((usage) => `  eaphost ${usage}`)))];
  const shown = new Set<FlagFamily>();
  for (const command of commands) {
    const fresh = commandFamilies(command).filter((family) => !shown.has(family));
    for (const family of fresh) shown.add(family);
    const body = fresh.flatMap((family) => familyHelp([family]));
    if (body.length === 0) continue;
    lines.push('', `eaphost ${command.name} flags:`, ...body.map((line) => (line === '' ? line : `  ${line.replace(/\n  /g, '\n    ')}`)));
  }
  return [...lines, ...familyHelp([HELP])].join('\n');
}

/** Whether `--help` / `-h` is among `args` where it is not the value of a flag (`--password -h` is a password). */
function helpAsked(command: CommandDefinition, args: readonly string[]): boolean {
  const flags = command.forms.flatMap((form) => commandFlags(form));
  return attachValues(args, flags).some((arg) => arg === '--help' || arg === '-h');
}

function formFor(command: CommandDefinition, argv: readonly string[]): CommandForm {
  const form = command.forms.find((candidate) => candidate.when?.(argv)) ?? command.forms.find((candidate) => !candidate.when);
  if (!form) throw new UsageError(`these arguments fit no form of eaphost ${command.name}`);
  return form;
}

async function dispatch(command: CommandDefinition, argv: readonly string[], io: CommandIo, directory: string): Promise<number> {
  if (command === HELP_COMMAND) {
    const word = argv[0] === '--help' || argv[0] === '-h' ? HELP_COMMAND.name : argv[0];
    if (word === undefined) {
      io.out(overallHelp(listCommands(directory)));
      return ExitCode.Accept;
    }
    const topic = findCommand(word, directory);
    if (!topic) throw new UsageError(`unknown command "${word}"`);
    io.out(helpText(topic));
    return ExitCode.Accept;
  }
  // Help wins over everything else, even over flags that would be refused.
  if (helpAsked(command, argv)) {
    io.out(helpText(command));
    return ExitCode.Accept;
  }
  const form = formFor(command, argv);
  try {
    return await form.run(parseForm(form, argv, command.forms), io);
  } catch (error) {
    if (error instanceof UsageError && form.usageError) return await form.usageError(error.message, io);
    throw error;
  }
}

export interface ProgramOptions extends Partial<Omit<CommandIo, 'out' | 'err'>> {
  /** The folder the commands are read from (a test gives its own). */
  commands?: string;
}

/** `eaphost argv…`: resolves with the exit code; prints through `out` and `err` only. */
export async function main(argv: readonly string[], out: LineWriter = console.log, err: LineWriter = console.error,
  options: ProgramOptions = {}): Promise<number> {
  const { commands: directory = COMMANDS_DIRECTORY, ...controls } = options;
  const io: CommandIo = { out, err, ...controls };
  const word = argv[0];
  let command: CommandDefinition | undefined;
  try {
    if (word === '--version' || word === '-V') {
      // The package's own manifest, two folders above dist/lib/cli/.
      out((require(join(__dirname, '..', '..', '..', 'package.json')) as { version: string }).version);
      return ExitCode.Accept;
    }
    if (word === undefined) throw new UsageError('no command given');
    // `eaphost --help` is `eaphost help`, whatever follows it.
    const asksHelp = word === '--help' || word === '-h';
    command = findCommand(asksHelp ? HELP_COMMAND.name : word, directory);
    if (!command) throw new UsageError(`unknown command "${word}"`);
    return await dispatch(command, asksHelp ? [] : argv.slice(1), io, directory);
  } catch (error) {
    // Usage errors, bad input (TypeError / RangeError from the option checks), EAPHost refusing
    // the configuration: one line saying why, exit 2; the usage hint after a usage error.
    const name = command && command !== HELP_COMMAND ? `${command.name} ` : '';
    err(`eaphost ${name}`.trimEnd() + `: ${(error as Error).message ?? String(error)}`);
    if (error instanceof UsageError) err(`(eaphost ${name}--help for usage)`);
    return ExitCode.Usage;
  }
}

if (require.main === module) {
  // The command reports insecure trust itself, on stderr and in --json; the API's process
  // warning for the same thing would only say it twice.
  const nodeWarnings = process.listeners('warning');
  process.removeAllListeners('warning');
  process.on('warning', (warning: Error & { code?: string }) => {
    if (warning.code === 'EAPHOST_INSECURE') return;
    for (const listener of nodeWarnings) listener(warning);
  });
  // A command whose promise never settles (an answer that can no longer come) must not end as a success.
  let settled = false;
  process.on('beforeExit', () => {
    if (settled) return;
    settled = true;
    console.error('eaphost: the command ended without an outcome: nothing was left to wait for');
    process.exitCode = ExitCode.Reject;
  });
  main(process.argv.slice(2), console.log, console.error, { tty: process.stderr.isTTY ? process.stderr : undefined, handleSignals: true })
    .then((code) => { settled = true; process.exitCode = code; });
}
