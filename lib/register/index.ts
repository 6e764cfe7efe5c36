/**
 * `eaphost register` and `eaphost unregister`: the one way this package registers a method module
 * with EAPHost. EapHost runs as LocalSystem and loads the registered module and, through its
 * delay-load hook, the DLLs beside it; so `register` never registers the caller's file. It copies
 * the module and the DLLs it loads from its folder into %ProgramFiles%\eaphost\<version>\<arch>
 * (created owned by Administrators with a DACL of its own), checks every copy's SHA-256 against
 * its source, refuses unless no one but Administrators, SYSTEM and TrustedInstaller can change the
 * copy, its folder or a folder above it, and registers the copy. `unregister` removes the values
 * and, once no registration names it, the copy. The module (node_modules included) stays free to
 * be replaced by npm while EapHost holds the copy.
 */
import { createHash, randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { RegistrationError } from '../core/errors';
import { FILE_LIMITS, readFileBounded } from '../core/file-read';
import { PE_MACHINES, readPeImage } from '../core/pe-image';
import { binding, nativeDir } from '../native';
import { defaultManifestPath } from '../session/builtin';
import type { LineWriter } from './service';
import { MethodRegistration, Sides, registeredDllPaths, removeMethod, writeMethod } from './methods-key';
import { PendingRenamesIo, clearPendingDeletes, describePendingRename } from './pending-renames';
import { DANGEROUS, PROTECTED_FILE_SDDL, PROTECTED_FOLDER_SDDL, ancestorsOf, localAbsolutePath, refuseWritable, trustedSids } from './security';

export { RegistrationError };

export interface RegisterRequest {
  /** The module to register; absent with `shipped` (the package's own eap_methods.dll). */
  module?: string;
  /** Which methods: every shipped one (from the package's manifest), or this one. */
  methods: 'shipped' | MethodRegistration;
  sides: Sides;
}

interface ManifestMethod {
  type: number;
  authorId: number;
  friendlyName: string;
  authorName: string;
  properties: number;
  peerDllPath: string;
}

/** The package's shipped methods, from the manifest beside its method module. */
export function shippedMethods(): { module: string; methods: MethodRegistration[] } {
  const manifest = JSON.parse(fs.readFileSync(defaultManifestPath, 'utf8')) as { methods: ManifestMethod[] };
  const modules = new Set(manifest.methods.map((m) => m.peerDllPath));
  if (modules.size !== 1) throw new Error(`${defaultManifestPath}: the shipped methods are expected in one module`);
  return {
    module: path.resolve(nativeDir, [...modules][0]),
    methods: manifest.methods.map((m) => ({ type: m.type, author: m.authorId, name: m.friendlyName,
      properties: m.properties, authorName: m.authorName })),
  };
}

const sha256 = (bytes: Buffer): string => createHash('sha256').update(bytes).digest('hex');
const sameName = (a: string, b: string): boolean => a.toLowerCase() === b.toLowerCase();

/**
 * Where copies live: <Program Files>\eaphost, Program Files as Windows' known-folder API names it
 * (SHGetKnownFolderPath: FOLDERID_ProgramFiles), or for a 32-bit node.exe or Electron on 64-bit
 * Windows, which that API refuses FOLDERID_ProgramFilesX64, ProgramFilesDir in the registry's
 * 64-bit view (only administrators change it); never an environment variable the caller sets.
 */
function copiesRoot(): string {
  return path.win32.join(localAbsolutePath(programFilesForTests ?? binding.windowsPlatform().programFiles), 'eaphost');
}

let programFilesForTests: string | undefined;
/**
 * Tests only (test/windows/register.test.ts): a Program Files of the test's own, so its
 * registrations never touch the shipped one's copies; undefined restores the known folder.
 * Not reachable from the CLI or the environment.
 */
export function useProgramFilesForTests(folder: string | undefined): void {
  programFilesForTests = folder;
}

/** The folder the copies live in (<Program Files>\eaphost). */
export function copiesFolder(): string {
  return copiesRoot();
}

/**
 * Refuses when a folder from `target` up to its drive's root is a junction, a symbolic link or
 * another reparse point that leads elsewhere: the checks below judge the path, and EapHost
 * would load from wherever the link points. Judged on what Windows resolves (realpath).
 */
function refuseReparsePoints(target: string): void {
  for (const at of [target, ...ancestorsOf(target)].filter((folder) => fs.existsSync(folder))) {
    const real = fs.realpathSync.native(at);
    if (fs.lstatSync(at).isSymbolicLink() || !sameName(path.win32.normalize(real), path.win32.normalize(at))) {
      throw new RegistrationError('reparse-point', at, `${at} is a junction or link (to ${real}): the copies' folders ` +
        'must be real folders, or EapHost would load from where it points');
    }
  }
}

/** Where registrations live, and Windows' list of file operations at boot: for the registry's refusals. */
const METHODS_KEY_PATH = 'HKLM\\SYSTEM\\CurrentControlSet\\Services\\EapHost\\Methods';
const SESSION_MANAGER_PATH = 'HKLM\\SYSTEM\\CurrentControlSet\\Control\\Session Manager';

/** An EPERM or EACCES from what only an administrator may do, typed as such; anything else as it was. */
export function asNeedsAdministrator(error: unknown, at: string): unknown {
  const code = (error as NodeJS.ErrnoException).code;
  const denied = code === 'EPERM' || code === 'EACCES' || (error as { win32Error?: number }).win32Error === 5;
  return denied ? new RegistrationError('needs-administrator', at, `${at}: access denied. eaphost register and ` +
    'unregister write under Program Files and HKLM: run them from an elevated prompt (Run as administrator)') : error;
}

/** `action` at `at`, its access denied typed as needs-administrator. */
function asAdministrator<T>(at: string, action: () => T): T {
  try {
    return action();
  } catch (error) {
    throw asNeedsAdministrator(error, at);
  }
}

/** Gives `at` the protected owner and DACL: writing them needs an administrator (WRITE_DAC, WRITE_OWNER). */
const protect = (at: string, sddl: string): void => asAdministrator(at, () => binding.setFileSecurity({ path: at, sddl }));

/** A file read once: its bytes (all later checks are of these), and its PE image. */
interface ReadFile {
  file: string;
  bytes: Buffer;
  image: ReturnType<typeof readPeImage>;
}

function readModule(file: string, bytes?: Buffer): ReadFile {
  let read: Buffer;
  try {
    // Bounded: a device or a FIFO named as the module would stream without end.
    read = bytes ?? readFileBounded(file, FILE_LIMITS.module);
  } catch (error) {
    throw new RegistrationError('not-a-module', file, `cannot read ${file}: ${(error as Error).message}`);
  }
  try {
    return { file, bytes: read, image: readPeImage(read, file) };
  } catch (error) {
    throw new RegistrationError('not-a-module', file, (error as Error).message);
  }
}

/** The file's PE image (from `bytes` when given), refused unless it is for `machine`. */
function readForMachine(file: string, machine: number, bytes?: Buffer): ReadFile {
  const read = readModule(file, bytes);
  const { image } = read;
  if (image.machine !== machine) {
    const what = (m: number): string => PE_MACHINES[m] ?? `machine 0x${m.toString(16)}`;
    throw new RegistrationError('machine-mismatch', file, `${file} is built for ${what(image.machine)}, but this ` +
      `Windows runs on ${what(machine)}: EapHost (a native service) cannot load it`);
  }
  return read;
}

/**
 * The module and every DLL it loads, directly or through another of them, that is in the
 * module's own folder (the rest come from System32), each checked to be for `machine`.
 */
function filesToCopy(module: string, machine: number): ReadFile[] {
  const folder = path.win32.dirname(module);
  const present = fs.readdirSync(folder);
  const files = [readForMachine(module, machine)];
  for (let i = 0; i < files.length; i++) {
    for (const dll of [...files[i].image.imports, ...files[i].image.delayImports]) {
      const beside = present.find((name) => sameName(name, dll));
      const file = beside && path.win32.join(folder, beside);
      if (file && !files.some((known) => sameName(known.file, file))) files.push(readForMachine(file, machine));
    }
  }
  return files;
}

/** Creates each missing folder down to `target`, each owned by Administrators with the protected DACL. */
function makeProtectedFolders(target: string): void {
  const missing: string[] = [];
  for (let at = target; !fs.existsSync(at); at = path.win32.dirname(at)) missing.unshift(at);
  for (const folder of missing) {
    asAdministrator(folder, () => fs.mkdirSync(folder));
    protect(folder, PROTECTED_FOLDER_SDDL);
  }
}

/** How long a file the EapHost service's process held is waited for once the service stopped. */
export const RELEASE_WAIT_MS = 10_000;

/**
 * Runs `act` (a rename over, or a removal of, a copy EapHost loaded), again every `pollMs` while it
 * fails busy (EBUSY, EPERM), for up to `waitMs`: right after the service is STOPPED its svchost may
 * not have exited and unloaded the module yet. The last busy error is thrown after that.
 */
export function whenReleased<T>(act: () => T, waitMs = RELEASE_WAIT_MS, pollMs = 250): T {
  const deadline = Date.now() + waitMs;
  for (;;) {
    try {
      return act();
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if ((code !== 'EBUSY' && code !== 'EPERM') || Date.now() >= deadline) throw error;
      Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, pollMs);
    }
  }
}

/** Test hooks: called with the temporary copy once written, before it is checked (a tamperer's moment). */
export interface RegisterHooks {
  written?: (temporary: string) => void;
}

export interface RegisterOptions {
  /** EapHost was stopped for the work (--restart-service after a busy copy): a copy it held is
   *  waited for (whenReleased) before the rename over it is refused as busy. */
  waitForRelease?: boolean;
}

/**
 * Puts the bytes read from `source` (once: what was checked is what is written) at `target`
 * unless it holds them already: written to a temporary name beside it, protected, read back and
 * checked (hash and machine), then renamed over the target. Any mismatch or failure deletes the
 * temporary file: nothing unchecked is ever left in the protected folder. True when it wrote.
 */
function copyVerified(source: ReadFile, target: string, machine: number, trusted: ReadonlySet<string>, hooks: RegisterHooks,
  waitForRelease: boolean): boolean {
  const want = sha256(source.bytes);
  if (fs.existsSync(target) && sha256(fs.readFileSync(target)) === want) {
    protect(target, PROTECTED_FILE_SDDL);
    refuseWritable(target, binding.fileSecurity({ path: target }), DANGEROUS.file, trusted);
    return false;
  }
  const temporary = `${target}.${randomBytes(6).toString('hex')}.partial`;
  let renamed = false;
  try {
    asAdministrator(temporary, () => fs.writeFileSync(temporary, source.bytes, { flag: 'wx' }));
    protect(temporary, PROTECTED_FILE_SDDL);
    hooks.written?.(temporary);
    refuseWritable(temporary, binding.fileSecurity({ path: temporary }), DANGEROUS.file, trusted);
    const written = fs.readFileSync(temporary);
    if (sha256(written) !== want) {
      throw new RegistrationError('copy-mismatch', target, `${target}: the copy written does not hash as ${source.file} ` +
        `read (SHA-256 ${want}); nothing was registered`);
    }
    // The copy is what EapHost loads: its machine is judged again there, out of the source's owner's reach.
    readForMachine(target, machine, written);
    try {
      whenReleased(() => fs.renameSync(temporary, target), waitForRelease ? RELEASE_WAIT_MS : 0);
      renamed = true;
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code === 'EBUSY' || code === 'EPERM') {
        throw new RegistrationError('busy', target, `${target} is in use (${code}): EapHost has the previous copy loaded; ` +
          'run eaphost unregister --restart-service, then register again');
      }
      throw error;
    }
  } finally {
    if (!renamed) fs.rmSync(temporary, { force: true });
  }
  return true;
}

/** Registers the request's methods from a protected copy of the module; returns the registered DLL path. */
export function register(request: RegisterRequest, out: LineWriter, hooks: RegisterHooks = {}): string {
  return registerCopy(request, out, hooks).dll;
}

/**
 * register(), also saying whether anything changed: `changed` is false when every copy already
 * held its source's bytes and the Methods key every value (EapHost then has nothing to re-read).
 */
export function registerCopy(request: RegisterRequest, out: LineWriter, hooks: RegisterHooks = {},
  options: RegisterOptions = {}): { dll: string; changed: boolean } {
  const shipped = request.methods === 'shipped' ? shippedMethods() : undefined;
  const source = localAbsolutePath(request.module ?? shipped?.module ?? '');
  const platform = binding.windowsPlatform();
  const trusted = trustedSids(platform.wine);
  const files = filesToCopy(source, platform.nativeMachine);
  const version = (require(path.join(__dirname, '..', '..', '..', 'package.json')) as { version: string }).version;
  const target = path.win32.join(copiesRoot(), version, PE_MACHINES[platform.nativeMachine] ?? `0x${platform.nativeMachine.toString(16)}`);

  // The folders first, before anything is made in them and again once they are all there: nothing
  // is copied into a place someone else could change.
  const refuseChain = (): void => {
    refuseReparsePoints(target);
    if (fs.existsSync(target)) refuseWritable(target, binding.fileSecurity({ path: target }), DANGEROUS.folder, trusted);
    for (const above of ancestorsOf(target).filter((at) => fs.existsSync(at))) {
      refuseWritable(above, binding.fileSecurity({ path: above }), DANGEROUS.ancestor, trusted);
    }
  };
  refuseChain();
  // A delete Session Manager would do at the next boot of a file about to be used takes the
  // registration with it: the package's own are cleared, any other operation on them refused.
  const dll = path.win32.join(target, path.win32.basename(source));
  const uses = [target, dll, ...files.map((file) => path.win32.join(target, path.win32.basename(file.file)))];
  const cleared = asAdministrator(SESSION_MANAGER_PATH,
    () => clearPendingDeletes(uses, pendingRenamesIo));
  for (const pair of cleared) out(`cleared a pending delete from PendingFileRenameOperations: ${describePendingRename(pair)}`);
  makeProtectedFolders(target);
  refuseChain();
  let changed = false;
  for (const file of files) {
    const copy = path.win32.join(target, path.win32.basename(file.file));
    const wrote = copyVerified(file, copy, platform.nativeMachine, trusted, hooks, options.waitForRelease === true);
    changed ||= wrote;
    out(`${wrote ? 'copied' : 'kept'} ${file.file} ${wrote ? 'to' : 'as'} ${copy} (SHA-256 ${sha256(file.bytes)})`);
  }

  for (const method of shipped?.methods ?? [request.methods as MethodRegistration]) {
    const written = asAdministrator(METHODS_KEY_PATH, () => writeMethod(method, dll, request.sides));
    const { key } = written;
    changed ||= written.changed;
    const sides = [request.sides.peer && 'peer', request.sides.authenticator && 'authenticator'].filter(Boolean);
    out(`registered the ${sides.join(' and ')} side of ${method.name} at HKLM\\${key}`);
  }
  return { dll, changed };
}

const pendingRenamesIo: PendingRenamesIo = {
  read: (value) => binding.pendingRenamesRead({ value }),
  write: (value, data) => binding.pendingRenamesWrite({ value, data }),
};

/** The file operations setAsideForReboot uses; a test's recorder may stand in for them. */
export interface SetAsideIo {
  readdir(folder: string): string[];
  remove(file: string): void;
  rename(from: string, to: string): void;
  deleteAtReboot(file: string): void;
}

const realSetAsideIo: SetAsideIo = {
  readdir: (folder) => fs.readdirSync(folder),
  remove: (file) => fs.rmSync(file, { force: true }),
  rename: (from, to) => fs.renameSync(from, to),
  deleteAtReboot: (file) => binding.deleteAtReboot({ path: file }),
};

/**
 * What is left of a busy copy: each file that can go is deleted now; each one held (EapHost has
 * it loaded; a loaded image can be renamed, not deleted) is first renamed to a unique name in its
 * folder, and only that name is handed to Windows to delete at the next restart. Never the real
 * name, and never the folder: a later `register` of the same version writes its files under the
 * real names, and Session Manager would delete those at boot (PendingFileRenameOperations is
 * processed by name). Returns the names set aside; the empty folder goes with the next unregister.
 */
export function setAsideForReboot(copy: string, io: SetAsideIo = realSetAsideIo): string[] {
  const setAside: string[] = [];
  for (const name of io.readdir(copy)) {
    const file = path.win32.join(copy, name);
    try {
      io.remove(file);
      continue;
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code !== 'EBUSY' && code !== 'EPERM') throw error;
    }
    // A loaded image can be renamed: a rename refused too is the folder's DACL (Users may only read
    // it), and the delete at reboot writes Session Manager's list in HKLM.
    const aside = path.win32.join(copy, `${name}.${randomBytes(6).toString('hex')}.deleted`);
    asAdministrator(file, () => io.rename(file, aside));
    asAdministrator(SESSION_MANAGER_PATH, () => io.deleteAtReboot(aside));
    setAside.push(aside);
  }
  return setAside;
}

/** Removes `copy`, waiting up to RELEASE_WAIT_MS for the stopped service's process to let it go. */
function removeWhenReleased(copy: string): void {
  whenReleased(() => fs.rmSync(copy, { recursive: true }));
}

/**
 * Removes the registrations, then every copy under %ProgramFiles%\eaphost that no registration
 * names any more (this run's and any an earlier run could not remove), and the folders left
 * empty. A copy EapHost still holds cannot be deleted: it stays, is named in the result, and the
 * next unregister (after the service let it go) removes it.
 */
export function unregister(methods: 'shipped' | Array<Pick<MethodRegistration, 'type' | 'author' | 'vendorId' | 'vendorType'>>,
  sides: Sides, out: LineWriter): { busy: string[] } {
  const targets = methods === 'shipped' ? shippedMethods().methods : methods;
  for (const method of targets) out(`unregistered: ${asAdministrator(METHODS_KEY_PATH, () => removeMethod(method, sides))}`);
  const root = copiesRoot();
  const named = new Set(registeredDllPaths().map((dll) => path.win32.dirname(dll).toLowerCase()));
  const busy: string[] = [];
  const entries = (folder: string): string[] => (fs.existsSync(folder) ? fs.readdirSync(folder) : []);
  for (const version of entries(root)) {
    const versionFolder = path.win32.join(root, version);
    for (const arch of entries(versionFolder)) {
      const copy = path.win32.join(versionFolder, arch);
      if (named.has(copy.toLowerCase())) continue;
      try {
        removeWhenReleased(copy);
        out(`removed the copy ${copy}`);
      } catch (error) {
        const code = (error as NodeJS.ErrnoException).code;
        if (code !== 'EBUSY' && code !== 'EPERM') throw error;
        busy.push(copy);
        let aside: string[] = [];
        try {
          aside = setAsideForReboot(copy);
        } catch (setAsideError) {
          if (setAsideError instanceof RegistrationError) throw setAsideError;
          out(`could not set ${copy}'s files aside: ${(setAsideError as Error).message}`);
        }
        out(`kept the copy ${copy}: it is in use (${code}); ${aside.length} file(s) renamed aside, which Windows ` +
          'deletes at the next restart; or stop EapHost (unregister --restart-service) and run unregister again');
      }
    }
    if (entries(versionFolder).length === 0) asAdministrator(versionFolder, () => fs.rmdirSync(versionFolder));
  }
  if (fs.existsSync(root) && entries(root).length === 0) asAdministrator(root, () => fs.rmdirSync(root));
  return { busy };
}
