/**
 * The users file of `eaphost auth --users` and `eaphost serve --users`: a JSON object
 * {"<identity>": {"password": "<password>"}} or {"<identity>": {"ntHash": "<32 hex digits>"}}.
 * Problems are reported through `fail`, so each command raises its own usage error.
 */
import { FILE_LIMITS, FileTooLargeError, readFileBounded } from '../core/file-read';
import { utf8Text } from '../core/input-checks';
import { UserRecord, checkUserRecord } from '../core/users';

export function readUsersFile(file: string, fail: (message: string) => Error): Record<string, UserRecord> {
  let bytes: Buffer;
  try {
    bytes = readFileBounded(file, FILE_LIMITS.users);
  } catch (error) {
    if (error instanceof FileTooLargeError) throw fail(`users file ${file}: over ${FILE_LIMITS.users} bytes`);
    throw fail(`cannot read users file ${file}: ${(error as NodeJS.ErrnoException).code ?? 'error'}`);
  }
  const text = utf8Text(bytes);
  if (text === undefined) throw fail(`users file ${file} is not valid UTF-8`);
  let users: unknown;
  try {
    users = JSON.parse(text);
  } catch {
    throw fail(`users file ${file} is not valid JSON`);
  }
  if (typeof users !== 'object' || users === null || Array.isArray(users)) {
    throw fail(`users file ${file} must be an object {"<identity>": {"password": "<password>"} | {"ntHash": "<32 hex>"}}`);
  }
  for (const [identity, record] of Object.entries(users as Record<string, unknown>)) {
    try {
      checkUserRecord(record, `entry "${identity}"`);
    } catch (error) {
      throw fail(`users file ${file}: ${(error as Error).message}`);
    }
  }
  return users as Record<string, UserRecord>;
}
