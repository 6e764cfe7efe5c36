/** `eaphost help [COMMAND]`: the overall usage, or one command's, generated from forms.ts. */
import { LineWriter, UsageError, helpText } from './command-line';
import { COMMANDS, isCommandName, overallHelp } from './forms';

export async function runHelp(argv: readonly string[], out: LineWriter): Promise<number> {
  const word = argv[0];
  const topic = word === '--help' || word === '-h' ? 'help' : word;
  if (topic !== undefined && !isCommandName(topic)) throw new UsageError(`unknown command "${topic}"`);
  out(topic !== undefined ? helpText(topic, COMMANDS) : overallHelp());
  return 0;
}
