#!/usr/bin/env node
/**
 * The `eaphost` command. Exit codes: 0 success, 1 authentication failure, 2 bad usage or
 * input, 3 no answer from a server in time. Errors are one line on stderr; passwords are
 * never printed. `eaphost help` and `eaphost COMMAND --help` print text generated from the
 * flag declarations (flags.ts, commands.ts).
 */
import { runEmbeddedAuth } from './auth';
import { LineWriter, UsageError, helpAsked, helpText, parseCommand } from './command-line';
import { AUTH_EMBEDDED, COMMANDS, CONFIG_COMMAND, METHODS_COMMAND, isCommandName, overallHelp } from './commands';
import { runMethods } from './methods';
import { resolveSecrets } from './secrets';

async function dispatch(argv: string[], out: LineWriter, err: LineWriter): Promise<number> {
  const command = argv[0];
  if (command === undefined) throw new UsageError('no command given');
  if (command === '--version' || command === '-V') {
    // The package's own manifest, two folders above dist/lib/cli/ (and above lib/cli/ in the tree).
    const manifest = require(require('path').join(__dirname, '..', '..', '..', 'package.json')) as { version: string };
    out(manifest.version);
    return 0;
  }
  if (command === 'help' || command === '--help' || command === '-h') {
    const word = command === 'help' ? argv[1] : undefined;
    const topic = word === '--help' || word === '-h' ? 'help' : word;
    if (topic !== undefined && !isCommandName(topic)) throw new UsageError(`unknown command "${topic}"`);
    out(topic !== undefined ? helpText(topic, COMMANDS) : overallHelp());
    return 0;
  }
  if (!isCommandName(command)) throw new UsageError(`unknown command "${command}"`);
  if (helpAsked(COMMANDS.filter((form) => form.name === command), argv.slice(1))) {
    out(helpText(command, COMMANDS));
    return 0;
  }
  const rest = argv.slice(1);
  if (command === 'auth') {
    if (rest.some((a) => a === '--radius' || a.startsWith('--radius='))) {
      const { wantsPlainRadius, runPapAuth } = await import('./pap');
      if (wantsPlainRadius(rest)) return runPapAuth(rest, out, err);
      if (rest.includes('--nagios')) {
        const { runNagios } = await import('./nagios');
        return runNagios(rest, out, err);
      }
      const { runRadiusAuth } = await import('./radius');
      return runRadiusAuth(rest, out, err);
    }
    const { values } = parseCommand(AUTH_EMBEDDED, rest);
    resolveSecrets(values, ['password', 'key-password']);
    return runEmbeddedAuth(values, out, err);
  }
  if (command === 'serve') {
    const { runServe } = await import('./serve');
    return runServe(rest, out, err);
  }
  if (command === 'load') {
    const { runLoad } = await import('./load');
    return runLoad(rest, out, err, { tty: process.stderr.isTTY ? process.stderr : undefined, handleSignals: true });
  }
  if (command === 'acct') {
    const { runAcct } = await import('./acct');
    return runAcct(rest, out, err);
  }
  if (command === 'ping') {
    const { runPing } = await import('./ping');
    return runPing(rest, out, err);
  }
  if (command === 'methods') return runMethods(parseCommand(METHODS_COMMAND, rest).values, out);
  const { runConfig } = await import('./config');
  const { values } = parseCommand(CONFIG_COMMAND, rest);
  resolveSecrets(values, ['password', 'key-password']);
  return runConfig(values, out);
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
