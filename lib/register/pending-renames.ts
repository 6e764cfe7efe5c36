/**
 * Session Manager's list of file operations done at the next boot: PendingFileRenameOperations
 * (and PendingFileRenameOperations2) under HKLM\SYSTEM\CurrentControlSet\Control\Session Manager,
 * a REG_MULTI_SZ of pairs, source then destination, each source an NT path (`\??\C:\…`), an
 * empty destination meaning "delete", a destination starting with `!` meaning "replace what is
 * there" (MoveFileEx with MOVEFILE_DELAY_UNTIL_REBOOT appends a pair; Session Manager processes
 * them by name, in order, and stops at an empty source). The list's one reader and writer: the
 * addon only hands its bytes over (pendingRenamesRead / pendingRenamesWrite).
 *
 * `register` consults it before it copies anything: a pending delete of a file it is about to
 * use would remove the fresh registration's DLL at the next boot (an `unregister` of a busy copy
 * by a version that scheduled the real names did exactly that). Such a delete is this package's
 * own (only an administrator can schedule one, the folder is the package's, and no one else has
 * reason to delete its copies): register removes it, keeping every other entry as it was,
 * byte for byte. A rename from or onto one of those files is not one this package ever makes:
 * register refuses (`pending-delete`) and changes nothing, since it cannot know what the
 * administrator who scheduled it meant. A list not in the form Windows writes is refused the same way.
 */
import * as path from 'node:path';
import { RegistrationError } from '../core/errors';

/** One operation as stored: `source` and `destination` as Windows wrote them (NT paths). */
export interface PendingRename {
  source: string;
  /** '' deletes the source; a leading '!' replaces an existing destination. */
  destination: string;
}

export const PENDING_RENAME_VALUES = ['PendingFileRenameOperations', 'PendingFileRenameOperations2'] as const;
export type PendingRenameValue = (typeof PENDING_RENAME_VALUES)[number];

/** How the list is read and written; the addon on Windows, a test's recorder elsewhere. */
export interface PendingRenamesIo {
  read(value: PendingRenameValue): Buffer | null;
  write(value: PendingRenameValue, data: Buffer): void;
}

/** Thrown by decodePendingRenames for bytes that are not a list Windows writes. */
export class PendingRenamesFormatError extends Error {
  override name = 'PendingRenamesFormatError';
}

/** The pairs in `data` (REG_MULTI_SZ, UTF-16LE), refused unless encoding them gives `data` back. */
export function decodePendingRenames(data: Buffer): PendingRename[] {
  if (data.length % 2 !== 0) throw new PendingRenamesFormatError(`${data.length} bytes: not whole UTF-16 units`);
  const strings = data.toString('utf16le').split('\0');
  const pairs: PendingRename[] = [];
  for (let i = 0; i + 1 < strings.length && strings[i] !== ''; i += 2) {
    pairs.push({ source: strings[i], destination: strings[i + 1] });
  }
  if (!encodePendingRenames(pairs).equals(data)) {
    throw new PendingRenamesFormatError('not the pairs of NUL-ended strings and the final NUL MoveFileEx writes');
  }
  return pairs;
}

/** The REG_MULTI_SZ bytes of `pairs`; empty for none (the value is then deleted). */
export function encodePendingRenames(pairs: readonly PendingRename[]): Buffer {
  if (pairs.length === 0) return Buffer.alloc(0);
  for (const { source, destination } of pairs) {
    if (source === '' || source.includes('\0') || destination.includes('\0')) {
      throw new PendingRenamesFormatError('a source is empty, or a name holds a NUL');
    }
  }
  return Buffer.from(`${pairs.map((pair) => `${pair.source}\0${pair.destination}\0`).join('')}\0`, 'utf16le');
}

/** The Win32 path an entry names: without the `!` of a replacing destination and the `\??\` prefix. */
export function win32PathOf(entry: string): string {
  return entry.replace(/^!/, '').replace(/^\\\?\?\\/, '');
}

const sameFile = (a: string, b: string): boolean => path.win32.normalize(a).toLowerCase() === path.win32.normalize(b).toLowerCase();

/** What Session Manager would do at the next boot, in words. */
export function describePendingRename(pair: PendingRename): string {
  return pair.destination === ''
    ? `delete ${win32PathOf(pair.source)}`
    : `rename ${win32PathOf(pair.source)} to ${win32PathOf(pair.destination)}${pair.destination.startsWith('!') ? ' (replacing it)' : ''}`;
}

/**
 * Clears the pending deletes of `files` (the files register is about to use) from both values,
 * keeping every other entry; refuses (`pending-delete`, nothing changed) when an entry renames one
 * of them or onto one of them, or a value is not in the form Windows writes. Everything is read
 * and judged before anything is written. Returns the deletes it removed.
 */
export function clearPendingDeletes(files: readonly string[], io: PendingRenamesIo): PendingRename[] {
  const touches = (entry: string): boolean => entry !== '' && files.some((file) => sameFile(win32PathOf(entry), file));
  const rewrites: Array<{ value: PendingRenameValue; kept: PendingRename[] }> = [];
  const removed: PendingRename[] = [];
  for (const value of PENDING_RENAME_VALUES) {
    const data = io.read(value);
    if (data === null) continue;
    let pairs: PendingRename[];
    try {
      pairs = decodePendingRenames(data);
    } catch (error) {
      if (!(error instanceof PendingRenamesFormatError)) throw error;
      throw new RegistrationError('pending-delete', value, `Session Manager's ${value} cannot be read (${error.message}), ` +
        'so whether it deletes a file register uses at the next restart is unknown; nothing was changed: restart Windows, then register');
    }
    const touching = pairs.filter((pair) => touches(pair.source) || touches(pair.destination));
    const foreign = touching.find((pair) => pair.destination !== '');
    if (foreign) {
      throw new RegistrationError('pending-delete', win32PathOf(foreign.source), `at the next restart Windows will ` +
        `${describePendingRename(foreign)} (${value}), which is not an operation eaphost schedules and would change a ` +
        'file this registration uses; nothing was changed: restart Windows first, then register');
    }
    if (touching.length === 0) continue;
    removed.push(...touching);
    rewrites.push({ value, kept: pairs.filter((pair) => !touching.includes(pair)) });
  }
  for (const { value, kept } of rewrites) io.write(value, encodePendingRenames(kept));
  return removed;
}
