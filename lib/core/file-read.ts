/**
 * The one way a file named on the command line is read when its size is bounded (a profile, a
 * configuration document, a secret, a clients list): chunk by chunk, never more than the bound
 * plus one byte. A size checked by stat() first holds for a regular file only: a device
 * (/dev/zero, /dev/urandom) or a FIFO reports 0 and then streams without end, so the bound is
 * what is read, not what stat() said. A FIFO or a process substitution (`<(…)`) still works.
 */
import { closeSync, fstatSync, openSync, readSync } from 'node:fs';

/** The file held more than `limit` bytes: a regular file by its size (`size`), anything else
 *  when reading reached one byte past the bound. */
export class FileTooLargeError extends Error {
  readonly code = 'ERR_FILE_TOO_LARGE';
  readonly limit: number;
  /** A regular file's size; undefined where the file has none (a device, a FIFO). */
  readonly size: number | undefined;

  constructor(path: string, limit: number, size?: number) {
    super(`${path}: over ${limit} bytes`);
    this.name = 'FileTooLargeError';
    this.limit = limit;
    this.size = size;
  }

  /** "<size> bytes" when it is known, else "more than <limit> bytes". */
  get amount(): string {
    return this.size !== undefined ? `${this.size} bytes` : `more than ${this.limit} bytes`;
  }
}

const CHUNK = 64 * 1024;

/** The whole of `file`, at most `limit` bytes; more is FileTooLargeError, a failure to open or
 *  read it the system's error (its `code`: ENOENT, EISDIR, EACCES…). The chunks a longer read
 *  leaves behind are wiped: the file may hold a secret. */
export function readFileBounded(file: string, limit: number): Buffer {
  const fd = openSync(file, 'r');
  const chunks: Buffer[] = [];
  try {
    const stats = fstatSync(fd);
    if (stats.isFile() && stats.size > limit) throw new FileTooLargeError(file, limit, stats.size);
    let total = 0;
    for (;;) {
      // One byte past the bound says the file is over it.
      const chunk = Buffer.alloc(Math.min(CHUNK, limit + 1 - total));
      const read = readChunk(fd, chunk);
      if (read === 0) break;
      chunks.push(chunk.subarray(0, read));
      total += read;
      if (total > limit) throw new FileTooLargeError(file, limit);
    }
    if (chunks.length === 1) return chunks.pop() as Buffer;
    return Buffer.concat(chunks, total);
  } finally {
    for (const chunk of chunks) chunk.fill(0);
    closeSync(fd);
  }
}

/** One read; Windows reports the end of a pipe as the error EOF, not a read of 0. */
function readChunk(fd: number, chunk: Buffer): number {
  try {
    return readSync(fd, chunk, 0, chunk.length, null);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EOF') return 0;
    throw error;
  }
}

const MIB = 1024 * 1024;

/** The most each kind of file named on the command line may hold: far past any real one, short of
 *  what a device or a mistaken path would stream. */
export const FILE_LIMITS = {
  /** A certificate chain or a CA bundle, PEM or DER. */
  certificates: 4 * MIB,
  key: MIB,
  /** A CRL (a large CA's runs to tens of megabytes). */
  crl: 64 * MIB,
  ocspResponse: MIB,
  /** A users file (JSON), a MAB allow-list: millions of entries. */
  users: 64 * MIB,
  mab: 64 * MIB,
  /** serve's policy, a clients list. */
  policy: MIB,
  clients: MIB,
  /** A method module (a DLL) to register. */
  module: 64 * MIB,
} as const;
