/** The method modules shipped in this package, and the portable EAPHost beside them. */
import * as fs from 'fs';
import * as path from 'path';
import { EapMethodTypeInfo } from './errors';
import { nativeDir } from './native';

const moduleSuffix = process.platform === 'win32' ? '.dll' : process.platform === 'darwin' ? '.dylib' : '.so';

export interface BuiltinMethod {
  name: string;
  friendlyName: string;
  methodType: EapMethodTypeInfo;
  /** Absolute path of the module (peer and authenticator side in one library). */
  path: string;
}

/** IANA's documentation Private Enterprise Number (RFC 5612), our modules' author id. */
export const EAPHOST_AUTHOR_ID = 32473;

export const builtinMethods: Readonly<Record<'md5', BuiltinMethod>> = Object.freeze({
  md5: Object.freeze({
    name: 'md5',
    friendlyName: 'EAP-MD5 (eaphost)',
    methodType: Object.freeze({ type: 4, vendorId: 0, vendorType: 0, authorId: EAPHOST_AUTHOR_ID }),
    path: path.join(nativeDir, `eap_md5${moduleSuffix}`),
  }),
});

export type BuiltinMethodName = keyof typeof builtinMethods;

/** The portable EAPHost library (on Windows builds: the stand-in eappprxy.dll). */
export const portableEapHostPath = path.join(
  nativeDir, process.platform === 'win32' ? 'eappprxy.dll' : `eaphost_portable${moduleSuffix}`);
/** The manifest the portable EAPHost reads by default. */
export const defaultManifestPath = path.join(nativeDir, 'eaphost-methods.json');

export function resolveMethod(method: BuiltinMethodName | string): BuiltinMethod {
  if (typeof method !== 'string') throw new TypeError('method must be a string');
  const builtin = (builtinMethods as Record<string, BuiltinMethod>)[method.toLowerCase()];
  if (builtin) return builtin;
  throw new TypeError(`unknown method "${method}": shipped methods are ${Object.keys(builtinMethods).join(', ')}`);
}

export function builtinMethodsPresent(): boolean {
  return fs.existsSync(builtinMethods.md5.path);
}
