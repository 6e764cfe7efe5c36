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
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { RegistrationError } from '../../core/errors';
import { PE_MACHINES, readPeImage } from '../../core/pe-image';
import { binding, nativeDir } from '../../native';
import { defaultManifestPath } from '../../session/builtin';
import type { LineWriter } from '../main';
import { MethodRegistration, Sides, registeredDllPaths, removeMethod, writeMethod } from './methods-key';
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

const sha256 = (file: string): string => createHash('sha256').update(fs.readFileSync(file)).digest('hex');
const sameName = (a: string, b: string): boolean => a.toLowerCase() === b.toLowerCase();

/** Where copies live: %ProgramFiles%\eaphost (the 64-bit one for a 32-bit node.exe). */
function copiesRoot(): string {
  const programFiles = process.env.ProgramW6432 ?? process.env.ProgramFiles;
  if (!programFiles) throw new Error('neither ProgramW6432 nor ProgramFiles is set: cannot tell where Program Files is');
  return path.win32.join(localAbsolutePath(programFiles), 'eaphost');
}

function readModule(file: string): ReturnType<typeof readPeImage> {
  let bytes: Buffer;
  try {
    bytes = fs.readFileSync(file);
  } catch (error) {
    throw new RegistrationError('not-a-module', file, `cannot read ${file}: ${(error as Error).message}`);
  }
  try {
    return readPeImage(bytes, file);
  } catch (error) {
    throw new RegistrationError('not-a-module', file, (error as Error).message);
  }
}

/** The file's PE image, refused unless it is for `machine`. */
function readForMachine(file: string, machine: number): ReturnType<typeof readPeImage> {
  const image = readModule(file);
  if (image.machine !== machine) {
    const what = (m: number): string => PE_MACHINES[m] ?? `machine 0x${m.toString(16)}`;
    throw new RegistrationError('machine-mismatch', file, `${file} is built for ${what(image.machine)}, but this ` +
      `Windows runs on ${what(machine)}: EapHost (a native service) cannot load it`);
  }
  return image;
}

/**
 * The module and every DLL it loads, directly or through another of them, that is in the
 * module's own folder (the rest come from System32), each checked to be for `machine`.
 */
function filesToCopy(module: string, machine: number): string[] {
  const folder = path.win32.dirname(module);
  const present = fs.readdirSync(folder);
  const files = [module];
  for (let i = 0; i < files.length; i++) {
    const image = readForMachine(files[i], machine);
    for (const dll of [...image.imports, ...image.delayImports]) {
      const beside = present.find((name) => sameName(name, dll));
      const file = beside && path.win32.join(folder, beside);
      if (file && !files.some((known) => sameName(known, file))) files.push(file);
    }
  }
  return files;
}

/** Creates each missing folder down to `target`, each owned by Administrators with the protected DACL. */
function makeProtectedFolders(target: string): void {
  const missing: string[] = [];
  for (let at = target; !fs.existsSync(at); at = path.win32.dirname(at)) missing.unshift(at);
  for (const folder of missing) {
    fs.mkdirSync(folder);
    binding.setFileSecurity({ path: folder, sddl: PROTECTED_FOLDER_SDDL });
  }
}

/** Copies `source` to `target` unless it is there already with the same bytes, protects it, and checks its hash. */
function copyVerified(source: string, target: string): void {
  const want = sha256(source);
  if (!fs.existsSync(target) || sha256(target) !== want) {
    try {
      fs.copyFileSync(source, target);
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code === 'EBUSY' || code === 'EPERM') {
        throw new RegistrationError('busy', target, `${target} is in use (${code}): EapHost has the previous copy loaded; ` +
          'run eaphost unregister and restart the EapHost service (Restart-Service EapHost), then register again');
      }
      throw error;
    }
  }
  binding.setFileSecurity({ path: target, sddl: PROTECTED_FILE_SDDL });
  if (sha256(target) !== want) {
    throw new RegistrationError('copy-mismatch', target, `${target} does not hash as ${source} does (SHA-256 ${want})`);
  }
}

/** Registers the request's methods from a protected copy of the module; returns the registered DLL path. */
export function register(request: RegisterRequest, out: LineWriter): string {
  const shipped = request.methods === 'shipped' ? shippedMethods() : undefined;
  const source = localAbsolutePath(request.module ?? shipped?.module ?? '');
  const platform = binding.windowsPlatform();
  const trusted = trustedSids(platform.wine);
  const files = filesToCopy(source, platform.nativeMachine);
  const version = (require(path.join(__dirname, '..', '..', '..', '..', 'package.json')) as { version: string }).version;
  const target = path.win32.join(copiesRoot(), version, PE_MACHINES[platform.nativeMachine] ?? `0x${platform.nativeMachine.toString(16)}`);

  // The folders first, before anything is made in them and again once they are all there: nothing
  // is copied into a place someone else could change.
  const refuseChain = (): void => {
    if (fs.existsSync(target)) refuseWritable(target, binding.fileSecurity({ path: target }), DANGEROUS.folder, trusted);
    for (const above of ancestorsOf(target).filter((at) => fs.existsSync(at))) {
      refuseWritable(above, binding.fileSecurity({ path: above }), DANGEROUS.ancestor, trusted);
    }
  };
  refuseChain();
  makeProtectedFolders(target);
  refuseChain();
  for (const file of files) {
    const copy = path.win32.join(target, path.win32.basename(file));
    copyVerified(file, copy);
    // The copy is what EapHost loads: its machine is judged again there, out of the source's owner's reach.
    readForMachine(copy, platform.nativeMachine);
    refuseWritable(copy, binding.fileSecurity({ path: copy }), DANGEROUS.file, trusted);
    out(`copied ${file} to ${copy} (SHA-256 ${sha256(copy)})`);
  }

  const dll = path.win32.join(target, path.win32.basename(source));
  for (const method of shipped?.methods ?? [request.methods as MethodRegistration]) {
    const key = writeMethod(method, dll, request.sides);
    const sides = [request.sides.peer && 'peer', request.sides.authenticator && 'authenticator'].filter(Boolean);
    out(`registered the ${sides.join(' and ')} side of ${method.name} at HKLM\\${key}`);
  }
  return dll;
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
  for (const method of targets) out(`unregistered: ${removeMethod(method, sides)}`);
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
        fs.rmSync(copy, { recursive: true });
        out(`removed the copy ${copy}`);
      } catch (error) {
        const code = (error as NodeJS.ErrnoException).code;
        if (code !== 'EBUSY' && code !== 'EPERM') throw error;
        busy.push(copy);
        out(`kept the copy ${copy}: it is in use (${code}); restart EapHost (Restart-Service EapHost) and run unregister again`);
      }
    }
    if (entries(versionFolder).length === 0) fs.rmdirSync(versionFolder);
  }
  if (fs.existsSync(root) && entries(root).length === 0) fs.rmdirSync(root);
  return { busy };
}
