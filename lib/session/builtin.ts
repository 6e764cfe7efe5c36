/** The method modules shipped in this package, and the portable EAPHost beside them. */
import * as path from 'path';
import { EapMethodTypeInfo } from '../core/errors';
import { checkModulePath } from '../core/input-checks';
import { BuiltinMethodName, EAPHOST_AUTHOR_ID, METHOD_TABLE, SHIPPED_METHOD_NAMES, TlsMethodName } from '../core/method-table';
import { nativeDir } from '../native';

export { BuiltinMethodName, EAPHOST_AUTHOR_ID, SHIPPED_METHOD_NAMES, TlsMethodName };

const moduleSuffix = process.platform === 'win32' ? '.dll' : process.platform === 'darwin' ? '.dylib' : '.so';

export interface BuiltinMethod {
  name: string;
  friendlyName: string;
  methodType: EapMethodTypeInfo;
  /** Absolute path of the module (peer and authenticator side in one library). */
  path: string;
}

// The one method table (native/methods/methods.json), as lib/core/method-table.ts is generated from it.
const allShippedMethods = METHOD_TABLE;
// Every build has the TLS engine (GnuTLS) but Windows on Arm's, for which there is no GnuTLS
// build (docs/windows.md): there Windows' own EAPHost methods serve those types.
/** Whether this platform's build has the TLS engine and so the TLS-based methods: all but win32-arm64. */
export const TLS_ENGINE_BUILT = !(process.platform === 'win32' && process.arch === 'arm64');
const shippedMethods = allShippedMethods.filter((m) => !m.tls || TLS_ENGINE_BUILT);

/** The shipped method of an EAP type (whether this platform builds it or not). */
export function shippedMethodOfType(type: number): BuiltinMethodName | undefined {
  return allShippedMethods.find((m) => m.type === type)?.name;
}

/** Every shipped method lives in one module, eap_methods: GetInfo is told which type is wanted. */
const methodModulePath = path.join(nativeDir, `eap_methods${moduleSuffix}`);

const tlsMethodNames: ReadonlySet<string> = new Set(allShippedMethods.filter((m) => m.tls).map((m) => m.name));

export function isTlsMethodName(name: string): name is TlsMethodName {
  return tlsMethodNames.has(name);
}

/** The shipped methods of this platform's build. On Windows on Arm the TLS methods (tls, ttls,
 *  peap, teap) are absent: Windows' own EAPHost methods serve them (author id 0; TTLS author 311). */
export const builtinMethods: Readonly<Record<BuiltinMethodName, BuiltinMethod>> = Object.freeze(
  Object.fromEntries(shippedMethods.map((m) => [m.name, Object.freeze({
    name: m.name,
    friendlyName: `${m.title} (eaphost)`,
    methodType: Object.freeze({ type: m.type, vendorId: 0, vendorType: 0, authorId: EAPHOST_AUTHOR_ID }),
    path: methodModulePath,
  })])) as Record<BuiltinMethodName, BuiltinMethod>);

/** The portable EAPHost library (on Windows builds: the stand-in eappprxy.dll). */
export const portableEapHostPath = path.join(
  nativeDir, process.platform === 'win32' ? 'eappprxy.dll' : `eaphost_portable${moduleSuffix}`);
/** The manifest the portable EAPHost reads by default. */
export const defaultManifestPath = path.join(nativeDir, 'eaphost-methods.json');

export function resolveMethod(method: BuiltinMethodName | string): BuiltinMethod {
  if (typeof method !== 'string') throw new TypeError('method must be a string');
  const builtin = (builtinMethods as Record<string, BuiltinMethod>)[method.toLowerCase()];
  if (builtin) return builtin;
  if (isTlsMethodName(method.toLowerCase())) {
    throw new TypeError(`the shipped ${method} method is not built for Windows on Arm: Windows' own EAPHost method serves ` +
      `it (pass its EAP_METHOD_TYPE, e.g. { type: ${allShippedMethods.find((m) => m.name === method.toLowerCase())!.type}, ` +
      'vendorId: 0, vendorType: 0, authorId: 0 }, and its configuration as connectionData)');
  }
  throw new TypeError(`unknown method "${method}": shipped methods are ${Object.keys(builtinMethods).join(', ')}`);
}

/** The module a method loader opens: a shipped method by name, with the EAP type GetInfo is to be
 *  asked for (one module serves several types), or any module by absolute path, which is asked
 *  what it serves (methodType undefined). */
export function methodModuleFor(method: BuiltinMethodName | { path: string }): { path: string; methodType?: EapMethodTypeInfo } {
  if (typeof method === 'object' && method !== null) return { path: checkModulePath(method.path) };
  const builtin = resolveMethod(method as string);
  return { path: builtin.path, methodType: builtin.methodType };
}
