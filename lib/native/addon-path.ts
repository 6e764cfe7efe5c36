/**
 * Where the addon is, without loading it and without any package but node's own: the package's
 * build/Release/eaphost.node (a source build: the install hook makes one exactly when no prebuild
 * serves the machine, so it comes first), then prebuilds/<platform>-<arch>/ (the packed tarball's,
 * and a release tag's of the GitHub Action, which carries no node_modules), unless
 * EAPHOST_ADDON_PATH names a .node file. The one resolver: lib/native/loader.ts at run time,
 * scripts/install/prebuild-match.js (prebuilds only) at install time.
 *
 * Native files are loaded by the operating system's loader (dlopen, LoadLibrary), which cannot
 * read inside an Electron app's asar archive: a path through `<name>.asar` is taken from
 * `<name>.asar.unpacked` instead, where Electron's packagers put what asarUnpack names
 * (docs/api.md, "Electron").
 */
import * as fs from 'fs';
import * as path from 'path';

/** The addon's file name in build/Release, and in a prebuild directory. */
const BUILT = 'eaphost.node';
const PREBUILT = 'eaphost.napi.node';

/** `file` with every `<name>.asar` folder in it read as `<name>.asar.unpacked`. */
export function unpackedPath(file: string): string {
  return file.replace(/([^\\/]+\.asar)(?=[\\/]|$)/gi, '$1.unpacked');
}

const isFile = (file: string): boolean => {
  try {
    return fs.statSync(file).isFile();
  } catch {
    return false;
  }
};

export interface AddonSearch {
  /** Look in prebuilds/ only (the install hook: whether a shipped prebuild serves this machine). */
  prebuildsOnly?: boolean;
  /** Where EAPHOST_ADDON_PATH is read; process.env by default. */
  env?: NodeJS.ProcessEnv;
}

/** The addon's absolute path for the package at `root`; an Error naming where it looked when there is none. */
export function resolveAddon(root: string, search: AddonSearch = {}): string {
  const override = (search.env ?? process.env).EAPHOST_ADDON_PATH;
  if (override) return unpackedPath(path.resolve(override));
  const base = unpackedPath(path.resolve(root));
  const tried: string[] = [];
  const built = path.join(base, 'build', 'Release', BUILT);
  if (!search.prebuildsOnly) {
    if (isFile(built)) return built;
    tried.push(built);
  }
  const folder = path.join(base, 'prebuilds', `${process.platform}-${process.arch}`);
  const prebuilt = path.join(folder, PREBUILT);
  if (isFile(prebuilt)) return prebuilt;
  tried.push(prebuilt);
  throw Object.assign(new Error(`no eaphost addon for ${process.platform}-${process.arch}: none of ${tried.join(', ')} ` +
    'exists (EAPHOST_ADDON_PATH may name one)'), { code: 'MODULE_NOT_FOUND' });
}
