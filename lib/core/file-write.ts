/**
 * The one way files that may hold a secret (a profile with its password, a NetworkManager keyfile,
 * the EAP user data handed to netsh) are written: into a new file beside the target, created with
 * O_CREAT | O_EXCL | O_NOFOLLOW and the mode asked (0600 unless said otherwise), then renamed over
 * the target. So the secret is never in a file that existed before (whose mode another user may
 * have set to 0644, or that is a symbolic link to somewhere else), a reader of the target sees the
 * old file or the whole new one, and a leftover from an interrupted run is never reused.
 */
import { randomBytes } from 'node:crypto';
import { Stats, closeSync, constants, fsyncSync, lstatSync, mkdirSync, openSync, renameSync, statSync, unlinkSync, writeSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';

/** The target is there and is no regular file (nor a symbolic link): a device, a FIFO, a socket,
 *  a directory. It is left exactly as it was. */
export class NotARegularFileError extends Error {
  readonly code = 'ERR_NOT_REGULAR_FILE';
  readonly path: string;
  /** What is there: 'character device', 'block device', 'FIFO', 'socket', 'directory'. */
  readonly kind: string;

  constructor(path: string, kind: string) {
    super(`${path} is a ${kind}, not a regular file: refused, and left as it is`);
    this.name = 'NotARegularFileError';
    this.path = path;
    this.kind = kind;
  }
}

/** The folder documents are to be written into is there and is no directory (a device node, a
 *  regular file, a FIFO): it is left exactly as it was. */
export class NotADirectoryError extends Error {
  readonly code = 'ERR_NOT_A_DIRECTORY';
  readonly path: string;
  readonly kind: string;

  constructor(path: string, kind: string) {
    super(`${path} is a ${kind}, not a directory: refused, and left as it is`);
    this.name = 'NotADirectoryError';
    this.path = path;
    this.kind = kind;
  }
}

function kindOf(stats: Stats): string {
  if (stats.isFile()) return 'regular file';
  if (stats.isCharacterDevice()) return 'character device';
  if (stats.isBlockDevice()) return 'block device';
  if (stats.isFIFO()) return 'FIFO';
  if (stats.isSocket()) return 'socket';
  if (stats.isDirectory()) return 'directory';
  return 'special file';
}

/** Writes `content` to `target` (replacing a file or a symbolic link there, never writing through
 *  one) as a new file of `mode` (as narrowed by the umask). Anything else at `target` (a device
 *  node such as /dev/null, a FIFO, a socket, a directory) is refused with NotARegularFileError
 *  before anything is written: renaming over it would replace the node itself. Throws the file
 *  system's error otherwise. */
export function writeFileReplacing(target: string, content: string | Uint8Array, mode = 0o600): void {
  let existing: Stats | undefined;
  try {
    existing = lstatSync(target);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
  if (existing && !existing.isFile() && !existing.isSymbolicLink()) throw new NotARegularFileError(target, kindOf(existing));
  const bytes = typeof content === 'string' ? Buffer.from(content, 'utf8') : content;
  // A hidden name ending in .tmp: NetworkManager's keyfile plugin, for one, reads no such file.
  const fresh = join(dirname(target), `.${basename(target)}.${randomBytes(6).toString('hex')}.tmp`);
  // O_NOFOLLOW is absent on Windows, where O_EXCL alone refuses whatever exists at the name.
  const fd = openSync(fresh, constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL | (constants.O_NOFOLLOW ?? 0), mode);
  try {
    try {
      for (let written = 0; written < bytes.length;) written += writeSync(fd, bytes, written, bytes.length - written);
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    renameSync(fresh, target);
  } catch (error) {
    try {
      unlinkSync(fresh);
    } catch {
      // Renamed already, or gone: nothing of the secret is left under the temporary name.
    }
    throw error;
  }
}

/** `directory` (its parents too) made unless it is a directory already, or a link to one; anything
 *  else there is refused with NotADirectoryError before anything is made. Throws the file
 *  system's error otherwise. */
export function makeDirectory(directory: string): void {
  let existing: Stats | undefined;
  try {
    existing = statSync(directory);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
  if (existing?.isDirectory()) return;
  if (existing) throw new NotADirectoryError(directory, kindOf(existing));
  mkdirSync(directory, { recursive: true });
}
