/**
 * What every form of `eaphost auth` against the embedded authenticator reads besides the method
 * (`--method …` in auth.ts, `--config-xml` in auth-xml.ts): the users file, the backend, and the
 * output flags.
 */
import type { UserRecord } from '../users';
import type { OpenEapHostOptions } from '../eaphost';
import { FlagValues, UsageError, requiredFlag } from './command-line';
import { readUsersFile } from './users-file';

export interface EmbeddedAuthFlags {
  users: Record<string, UserRecord>;
  hostOptions: OpenEapHostOptions;
  json: boolean;
  showKeys: boolean;
  verbose: boolean;
}

export function embeddedAuthFlags(args: FlagValues): EmbeddedAuthFlags {
  const users = readUsersFile(requiredFlag(args, 'users'), (message) => new UsageError(message));
  const backend = args['backend'];
  if (backend !== undefined && backend !== 'windows' && backend !== 'portable') {
    throw new UsageError("--backend must be 'windows' or 'portable'");
  }
  return {
    users,
    hostOptions: backend ? { backend } : {},
    json: args['json'] === true,
    showKeys: args['show-keys'] === true,
    verbose: args['verbose'] === true,
  };
}
