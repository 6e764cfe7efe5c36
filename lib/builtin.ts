/** The method modules shipped in this package, and the portable EAPHost beside them. */
import * as fs from 'fs';
import * as path from 'path';
import { EapMethodTypeInfo } from './errors';
import { checkModulePath } from './input-checks';
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

interface ShippedMethod { name: string; type: number; friendlyName: string; authorId: number; tls: boolean }
// The one list of shipped methods, shared with the manifest writer and the registration script.
// eslint-disable-next-line @typescript-eslint/no-var-requires
const { shippedMethods, allShippedMethods } = require('../../scripts/shipped-methods.js') as
  { shippedMethods: ShippedMethod[]; allShippedMethods: ShippedMethod[] };

/** Every shipped method lives in one module, eap_methods: GetInfo is told which type is wanted. */
const methodModulePath = path.join(nativeDir, `eap_methods${moduleSuffix}`);

export type BuiltinMethodName = 'md5' | 'gtc' | 'mschapv2' | 'tls' | 'ttls' | 'peap';

/** The methods that run over TLS and take connection data (CA, server names, certificates). */
export type TlsMethodName = 'tls' | 'ttls' | 'peap';

const tlsMethodNames: ReadonlySet<string> = new Set(allShippedMethods.filter((m) => m.tls).map((m) => m.name));

export function isTlsMethodName(name: string): name is TlsMethodName {
  return tlsMethodNames.has(name);
}

/** The shipped methods of this platform's build. On Windows the TLS methods (tls, ttls, peap)
 *  are absent: Windows' own EAPHost methods serve them (author id 0; TTLS author 311). */
export const builtinMethods: Readonly<Record<BuiltinMethodName, BuiltinMethod>> = Object.freeze(
  Object.fromEntries(shippedMethods.map((m) => [m.name, Object.freeze({
    name: m.name,
    friendlyName: m.friendlyName,
    methodType: Object.freeze({ type: m.type, vendorId: 0, vendorType: 0, authorId: m.authorId }),
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
    throw new TypeError(`the shipped ${method} method is not built for Windows: Windows' own EAPHost method serves ` +
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

export function builtinMethodsPresent(): boolean {
  return fs.existsSync(methodModulePath);
}
