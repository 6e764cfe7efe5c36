#!/usr/bin/env node
/**
 * The `eaphost` command. Exit codes: 0 success, 1 authentication failure, 2 bad usage or
 * input, 3 no answer from a server in time. Errors are one line on stderr; passwords are
 * never printed. `eaphost help` and `eaphost COMMAND --help` print text generated from the
 * flag declarations (flags.ts, forms.ts); commands.ts is the table it dispatches from.
 */
import { LineWriter, UsageError, helpAsked, helpText } from './command-line';
import { COMMAND_TABLE, COMMANDS, isCommandName } from './commands';

async function dispatch(argv: string[], out: LineWriter, err: LineWriter): Promise<number> {
  const command = argv[0];
  if (command === undefined) throw new UsageError('no command given');
  if (command === '--version' || command === '-V') {
    // The package's own manifest, two folders above dist/lib/cli/ (and above lib/cli/ in the tree).
    const manifest = require(require('path').join(__dirname, '..', '..', '..', 'package.json')) as { version: string };
    out(manifest.version);
    return 0;
  }
  // `eaphost --help` is `eaphost help`, whatever follows it.
  const name = command === '--help' || command === '-h' ? 'help' : command;
  const rest = name === command ? argv.slice(1) : [];
  const entry = COMMAND_TABLE.find((candidate) => candidate.name === name);
  if (!entry || !isCommandName(name)) throw new UsageError(`unknown command "${name}"`);
  if (name !== 'help' && helpAsked(COMMANDS.filter((form) => form.name === name), rest)) {
    out(helpText(name, COMMANDS));
    return 0;
  }
  return entry.run(rest, out, err);
}

export async function main(argv: string[], out: LineWriter = console.log, err: LineWriter = console.error): Promise<number> {
  try {
    return await dispatch(argv, out, err);
  } catch (error) {
    // Usage errors, bad input (TypeError / RangeError from the option checks), EAPHost refusing
    // the configuration: one line saying why, exit 2.
    err(`eaphost: ${(error as Error).message ?? String(error)}`);
    if (error instanceof UsageError) err(`(eaphost ${isCommandName(argv[0] ?? '') ? `${argv[0]} ` : ''}--help for usage)`);
    return 2;
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
  main(process.argv.slice(2)).then((code) => { process.exitCode = code; });
}
