/**
 * What every form of `eaphost auth` against the embedded authenticator shares besides the method
 * (`--method …` in embedded.ts, `--config-xml` in config-xml.ts): the users file, the backend, the
 * output flags, the conversation itself and how its outcome is printed.
 */
import { AuthenticationResult, authenticate } from '../../../session/authenticate';
import type { Authenticator } from '../../../session/authenticator';
import type { EapHostSession, OpenEapHostOptions } from '../../../session/eaphost';
import { describeEapPacket } from '../../../core/packet';
import type { UserRecord } from '../../../core/users';
import { requiredFlag } from '../../command-line';
import { FlagValues, LineWriter } from '../../main';
import { ConversationRecord } from './conversation';
import { peerHostOptions } from './peer-host';
import { outcomeJson, outcomeLines } from './outcome';
import { readUsersFile } from '../../users-file';

export interface EmbeddedAuthFlags {
  users: Record<string, UserRecord>;
  hostOptions: OpenEapHostOptions;
  json: boolean;
  showKeys: boolean;
  verbose: boolean;
  /** With --json: the conversation's packets, for the report. */
  conversation?: ConversationRecord;
}

export function embeddedAuthFlags(args: FlagValues): EmbeddedAuthFlags {
  const users = readUsersFile(requiredFlag(args, 'users'));
  return {
    users,
    hostOptions: peerHostOptions(args),
    json: args['json'] === true,
    showKeys: args['show-keys'] === true,
    verbose: args['verbose'] === true,
    ...(args['json'] === true ? { conversation: new ConversationRecord() } : {}),
  };
}

/** The session's whole conversation with the embedded authenticator; --verbose prints each packet. */
export function authenticateEmbedded(session: EapHostSession, authenticator: Authenticator, flags: EmbeddedAuthFlags,
    out: LineWriter): Promise<AuthenticationResult> {
  return authenticate({
    session,
    transport: authenticator.createConversation(),
    onPacket: flags.verbose || flags.conversation ? (direction, packet) => {
      flags.conversation?.observe(direction, packet);
      if (flags.verbose) out(`${direction === 'in' ? '<-' : '->'} ${describeEapPacket(packet)}`);
    } : undefined,
  });
}

/**
 * Prints the outcome: with --json one report, built by `report` from the outcome's fields, else
 * the summary line and the outcome's extra lines. Returns the exit code.
 */
export function printEmbeddedOutcome(result: AuthenticationResult, line: string, flags: EmbeddedAuthFlags, out: LineWriter,
    report: (outcome: Record<string, unknown>) => string): number {
  if (flags.json) {
    out(report({ ...outcomeJson(result, { showKeys: flags.showKeys }), ...flags.conversation?.json() }));
  } else {
    out(line);
    for (const extra of outcomeLines(result, { showKeys: flags.showKeys })) out(extra);
  }
  return result.success ? 0 : 1;
}
