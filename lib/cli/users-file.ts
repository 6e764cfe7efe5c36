/**
 * The users file of `eaphost auth --users` and `eaphost serve --users`: a JSON object
 * {"<identity>": {"password": "<password>"}} or {"<identity>": {"ntHash": "<32 hex digits>"}}.
 * A problem is a UsageError, led by `flag` ("--users: ") when a command names it.
 */
import { FILE_LIMITS, FileTooLargeError, readFileBounded } from '../core/file-read';
import { utf8Text } from '../core/input-checks';
import { UserRecord, checkUserRecord } from '../core/users';
import { UsageError } from './main';

export function readUsersFile(file: string, flag?: string): Record<string, UserRecord> {
  const refused = (message: string): UsageError => new UsageError(flag === undefined ? message : `${flag}: ${message}`);
  let bytes: Buffer;
  try {
    bytes = readFileBounded(file, FILE_LIMITS.users);
  } catch (error) {
    if (error instanceof FileTooLargeError) throw refused(`users file ${file}: over ${FILE_LIMITS.users} bytes`);
    throw refused(`cannot read users file ${file}: ${(error as NodeJS.ErrnoException).code ?? 'error'}`);
  }
  const text = utf8Text(bytes);
  if (text === undefined) throw refused(`users file ${file} is not valid UTF-8`);
  let users: unknown;
  try {
    users = JSON.parse(text);
  } catch {
    throw refused(`users file ${file} is not valid JSON`);
  }
  if (typeof users !== 'object' || users === null || Array.isArray(users)) {
    throw refused(`users file ${file} must be an object {"<identity>": {"password": "<password>"} | {"ntHash": "<32 hex>"}}`);
  }
  for (const [identity, record] of Object.entries(users as Record<string, unknown>)) {
    try {
      checkUserRecord(record, `entry "${identity}"`);
    } catch (error) {
      throw refused(`users file ${file}: ${(error as Error).message}`);
    }
  }
  return users as Record<string, UserRecord>;
}
