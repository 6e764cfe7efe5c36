/**
 * The `eaphost` commands: each name with the module that runs it, loaded only when that command
 * runs (main.ts dispatches from this table and nothing else). What each command takes, by form
 * and flag family, is declared in forms.ts, which the parsers and `--help` read. A new command is
 * its module, its forms and one row here; test/cli-help.test.ts checks the two tables agree.
 */
import type { LineWriter } from './command-line';

export {
  ACCT_COMMAND, AUTH_EAPOL, AUTH_EMBEDDED, AUTH_NAGIOS, AUTH_PLAIN, AUTH_RADIUS, COMMANDS, CONFIG_COMMAND, HELP_COMMAND, LOAD_COMMAND,
  METHODS_COMMAND, PING_COMMAND, SERVE_COMMAND, SERVE_EAPOL, isCommandName, overallHelp,
} from './forms';

export interface CommandEntry {
  name: string;
  /** Runs the command on the arguments after its name; resolves with the exit code. */
  run(argv: readonly string[], out: LineWriter, err: LineWriter): Promise<number>;
}

export const COMMAND_TABLE: readonly CommandEntry[] = [
  { name: 'auth', run: async (argv, out, err) => (await import('./auth')).runAuth(argv, out, err) },
  { name: 'serve', run: async (argv, out, err) => (await import('./serve')).runServe(argv, out, err) },
  {
    name: 'load',
    run: async (argv, out, err) => (await import('./load')).runLoad(argv, out, err,
      { tty: process.stderr.isTTY ? process.stderr : undefined, handleSignals: true }),
  },
  { name: 'ping', run: async (argv, out, err) => (await import('./ping')).runPing(argv, out, err) },
  { name: 'acct', run: async (argv, out, err) => (await import('./acct')).runAcct(argv, out, err) },
  { name: 'methods', run: async (argv, out) => (await import('./methods')).runMethods(argv, out) },
  { name: 'config', run: async (argv, out, err) => (await import('./config')).runConfig(argv, out, err) },
  { name: 'profile', run: async (argv, out, err) => (await import('./profile')).runProfile(argv, out, err) },
  { name: 'help', run: async (argv, out) => (await import('./help')).runHelp(argv, out) },
];
