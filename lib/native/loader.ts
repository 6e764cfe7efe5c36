/**
 * The one module through which lib/ reaches native code. The addon is found by ./addon-path
 * (build/Release, then prebuilds/<platform>-<arch>/, unless EAPHOST_ADDON_PATH names a .node
 * file; in an Electron app's asar archive, from its .asar.unpacked folder). Method modules, the
 * portable EAPHost and the method manifest are shipped beside the addon.
 */
import * as path from 'path';
import { resolveAddon } from './addon-path';
import { EapError, codeIntegrityRepair } from '../core/errors';
import type { NativeBinding } from './contract';
import { resultShapes } from './generated/result-shapes';

const root = path.resolve(__dirname, '..', '..', '..');

export const addonPath = resolveAddon(root);
/** Directory holding the addon, the method modules and eaphost-methods.json. */
export const nativeDir = path.dirname(addonPath);

/**
 * The addon, or the reason it cannot load. Node words a failed LoadLibrary with the system's
 * message only; where Code Integrity refused the file (its English message is about the digital
 * signature; the code itself does not reach JS) the error says so and where Windows logs why.
 */
function loadAddon(): NativeBinding {
  try {
    // eslint-disable-next-line @typescript-eslint/no-var-requires
    return require(addonPath) as NativeBinding;
  } catch (error) {
    if (process.platform !== 'win32' || !/digital signature/i.test((error as Error).message)) throw error;
    throw new Error(`${(error as Error).message.trim()}\n${codeIntegrityRepair(577)}`, { cause: error });
  }
}

export const binding: NativeBinding = loadAddon();

binding.configure({ eapErrorClass: EapError, resultShapes });
