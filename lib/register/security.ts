/**
 * Which paths `eaphost register` may hand to EAPHost: EapHost runs as LocalSystem and loads the
 * registered module, and through the module's delay-load hook the DLLs beside it, so anyone who
 * can replace one of those files, their folder or a folder above it runs code as SYSTEM. This
 * file is the policy, over what Windows reports (the addon's fileSecurity: the owner and the
 * DACL's allow and deny ACEs, generic rights mapped); docs/WINDOWS-CONTRACT.md says what it rests on.
 */
import * as path from 'node:path';
import { RegistrationError } from '../core/errors';
import type { NativeFileSecurity } from '../native';

export const SID = {
  SYSTEM: 'S-1-5-18',
  ADMINISTRATORS: 'S-1-5-32-544',
  TRUSTED_INSTALLER: 'S-1-5-80-956008885-3418522649-1831038044-1853292631-2271478464',
  CREATOR_OWNER: 'S-1-3-0',
  CREATOR_GROUP: 'S-1-3-1',
  OWNER_RIGHTS: 'S-1-3-4',
  /** Wine's one user, owner of every file in a prefix (Wine derives file security from Unix modes). */
  WINE_USER: 'S-1-5-21-0-0-0-1000',
} as const;

// File and folder rights (winnt.h); a folder's FILE_WRITE_DATA is FILE_ADD_FILE, its
// FILE_APPEND_DATA FILE_ADD_SUBDIRECTORY.
const RIGHTS: ReadonlyArray<[number, string]> = [
  [0x2, 'write data / add file'],
  [0x4, 'append data / add subfolder'],
  [0x40, 'delete child'],
  [0x10000, 'delete'],
  [0x40000, 'write DAC'],
  [0x80000, 'write owner'],
];
const INHERIT_ONLY_ACE = 0x08;

/**
 * What would let someone change what EAPHost loads, by the place of the path: the file's content;
 * what its folder holds (a file added beside the module is loaded from there); and for a folder
 * above, only what replaces or redirects the folder below it (delete, delete child, the DACL or
 * the owner): adding a new entry to it changes no existing one, and Windows grants Authenticated
 * Users "add subfolder" on C:\ itself.
 */
export const DANGEROUS: Readonly<Record<'file' | 'folder' | 'ancestor', number>> = {
  file: 0x2 | 0x4 | 0x10000 | 0x40000 | 0x80000,
  folder: 0x2 | 0x4 | 0x40 | 0x10000 | 0x40000 | 0x80000,
  ancestor: 0x40 | 0x10000 | 0x40000 | 0x80000,
};

export function trustedSids(wine: boolean): ReadonlySet<string> {
  return new Set<string>([SID.SYSTEM, SID.ADMINISTRATORS, SID.TRUSTED_INSTALLER, ...(wine ? [SID.WINE_USER] : [])]);
}

export interface Writer {
  sid: string;
  rights: string[];
}

const named = (mask: number): string[] => RIGHTS.filter(([bit]) => (mask & bit) !== 0).map(([, name]) => name);

/**
 * The SIDs outside `trusted` that hold a right of `dangerous` on the object, with those rights.
 * Deny ACEs are not subtracted (an ACE order mistake cannot make a path pass). ACEs that apply
 * only to children (inherit-only) are skipped, as are effective CREATOR OWNER / CREATOR GROUP
 * ACEs, which match no token. The owner may always change the DACL unless an OWNER RIGHTS ACE
 * says what it may do.
 */
export function untrustedWriters(security: NativeFileSecurity, dangerous: number, trusted: ReadonlySet<string>): Writer[] {
  if (security.nullDacl) return [{ sid: 'Everyone (no DACL)', rights: named(dangerous) }];
  if (security.otherAces > 0) return [{ sid: `${security.otherAces} object or conditional ACE(s)`, rights: ['not read'] }];
  const granted = new Map<string, number>();
  const grant = (sid: string, mask: number): void => { granted.set(sid, (granted.get(sid) ?? 0) | mask); };
  let ownerRights: number | undefined;
  for (const ace of security.aces) {
    if (!ace.allow || (ace.flags & INHERIT_ONLY_ACE) !== 0) continue;
    if (ace.sid === SID.CREATOR_OWNER || ace.sid === SID.CREATOR_GROUP) continue;
    if (ace.sid === SID.OWNER_RIGHTS) ownerRights = (ownerRights ?? 0) | ace.mask;
    else grant(ace.sid, ace.mask);
  }
  // Without an OWNER RIGHTS ACE the owner holds WRITE_DAC implicitly.
  grant(security.owner, ownerRights ?? 0x40000);
  const writers: Writer[] = [];
  for (const [sid, mask] of granted) {
    if (trusted.has(sid) || (mask & dangerous) === 0) continue;
    writers.push({ sid, rights: named(mask & dangerous) });
  }
  return writers;
}

/** Refuses `target` when untrustedWriters finds anyone; the message names the path, the SIDs and their rights. */
export function refuseWritable(target: string, security: NativeFileSecurity, dangerous: number,
  trusted: ReadonlySet<string>): void {
  const writers = untrustedWriters(security, dangerous, trusted);
  if (writers.length === 0) return;
  throw new RegistrationError('writable-path', target, `${target} can be changed by someone who is not an administrator ` +
    `(${writers.map((w) => `${w.sid}: ${w.rights.join(', ')}`).join('; ')}), and EapHost would load from it as SYSTEM`);
}

/**
 * A module's path as the caller gave it, as a local absolute Windows path, or a typed refusal:
 * UNC (\\server\share, \\?\UNC\…) and device paths name another machine's or no file, and a
 * relative path would be resolved from the service's directory, not the caller's.
 */
export function localAbsolutePath(given: string): string {
  let text = given.replace(/\//g, '\\');
  // \\?\C:\… is a local path written to skip Win32 path parsing.
  if (/^\\\\\?\\[A-Za-z]:\\/.test(text)) text = text.slice(4);
  if (text.startsWith('\\\\')) {
    throw new RegistrationError('unc-path', given, `${given} is a network (UNC) or device path: register a module from a ` +
      'local drive (the copy EapHost loads must come from this machine)');
  }
  if (!/^[A-Za-z]:\\/.test(text)) {
    throw new RegistrationError('relative-path', given, `${given} is not an absolute path (C:\\...): ` +
      'EapHost resolves paths from its own directory, not this one');
  }
  return path.win32.normalize(text);
}

/** `target`'s folders from its parent up to the drive's root, nearest first. */
export function ancestorsOf(target: string): string[] {
  const found: string[] = [];
  for (let at = path.win32.dirname(target); ; at = path.win32.dirname(at)) {
    found.push(at);
    if (path.win32.dirname(at) === at) return found;
  }
}

/**
 * The security descriptors of what `register` creates: owned by Administrators, a DACL of its own
 * (not inherited from above): SYSTEM and Administrators full control, Users and ALL APPLICATION
 * PACKAGES (AC, S-1-15-2-1) read and execute, as Program Files grants them: without AC a packaged
 * or sandboxed (AppContainer) client cannot load the module from the copy.
 */
export const PROTECTED_FOLDER_SDDL = 'O:BAD:P(A;OICI;FA;;;SY)(A;OICI;FA;;;BA)(A;OICI;0x1200a9;;;BU)(A;OICI;0x1200a9;;;AC)';
export const PROTECTED_FILE_SDDL = 'O:BAD:P(A;;FA;;;SY)(A;;FA;;;BA)(A;;0x1200a9;;;BU)(A;;0x1200a9;;;AC)';
