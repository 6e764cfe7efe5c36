/**
 * What beginSession checks and makes before anything native runs: the connection data (the
 * caller's blob, or one made from the TLS options) and the credentials to make the user blob
 * from natively, checked against the shipped method's field limits. Every session begins
 * through here, so once a method's module is loaded nothing here waits for a turn of the loop.
 */
import { BuiltinMethod, BuiltinMethodName, builtinMethods, isTlsMethodName } from './builtin';
import { CONNECTION_OPTION_NAMES, ConnectionDataOptions, peerConnectionData } from '../core/connection-data';
import { EapMethodTypeInfo, sameMethodType } from '../core/errors';
import { checkText } from '../core/input-checks';
import type { NativeHandle } from '../native/contract';
import { CredentialField, PeerMethod, checkCredentialLimits, loadPeerMethod } from './peer-method';
import { credentialLimits, methodHandle } from './internal';
import type { BeginSessionOptions } from '../core/session-options';

/** The connection data to begin with: the caller's blob, or one made from the TLS options. */
export function tlsConnectionData(options: BeginSessionOptions): Buffer | undefined {
  const method = typeof options.method === 'string' ? options.method.toLowerCase() : undefined;
  if (method === undefined || !isTlsMethodName(method)) {
    const given = givenConnectionOptions(options);
    if (given.length > 0) {
      throw new TypeError(`${given.join(', ')} ${given.length === 1 ? 'applies' : 'apply'} to the shipped TLS methods ` +
        `(tls, peap, ttls) only${method ? '' : ': give other methods their configuration as connectionData'}`);
    }
    return options.connectionData;
  }
  const given = givenConnectionOptions(options);
  if (options.connectionData !== undefined) {
    if (given.length > 0) throw new TypeError('give connectionData or the TLS options, not both');
    return options.connectionData;
  }
  const tlsOptions: ConnectionDataOptions = {};
  for (const name of given) (tlsOptions as Record<string, unknown>)[name] = options[name];
  return peerConnectionData(method, tlsOptions);
}

const NO_OPTIONS: readonly (keyof ConnectionDataOptions)[] = [];

/** Each TLS option's place in the documented order. */
const CONNECTION_OPTION_PLACE = new Map<string, number>(CONNECTION_OPTION_NAMES.map((name, place) => [name, place]));

/** The TLS options given (not undefined), in their documented order; no array for none. The
 *  options object's few keys are read, not every TLS option's name looked up on it: that was a
 *  large share of an authentication's JS time for the methods that take none. */
function givenConnectionOptions(options: BeginSessionOptions): readonly (keyof ConnectionDataOptions)[] {
  let given: (keyof ConnectionDataOptions)[] | undefined;
  for (const name in options) {
    if (CONNECTION_OPTION_PLACE.has(name) && options[name as keyof ConnectionDataOptions] !== undefined) {
      (given ??= []).push(name as keyof ConnectionDataOptions);
    }
  }
  if (given === undefined) return NO_OPTIONS;
  return given.sort((a, b) => (CONNECTION_OPTION_PLACE.get(a) as number) - (CONNECTION_OPTION_PLACE.get(b) as number));
}

/** What makes the user blob natively: the peer module's handle and the checked credentials. */
export interface NativeCredentials { method: NativeHandle; identity: string; password: string }

// identity/password: checked here (types, the method's length limits), made into the user blob
// natively, in the job that begins the session. A promise only until the method's module is
// loaded and its limits known.
export function credentialsFor(options: BeginSessionOptions, type: EapMethodTypeInfo):
    NativeCredentials | undefined | Promise<NativeCredentials> {
  if (options.identity === undefined && options.password === undefined) return undefined;
  const tlsMethod = typeof options.method === 'string' && isTlsMethodName(options.method.toLowerCase());
  const identity = checkText(options.identity, 'identity');
  // EAP-TLS authenticates with the certificate, also inside TEAP: its credentials are the identity alone.
  const certificateOnly = tlsMethod && (options.method === 'tls' || (options.method === 'teap' && options.innerMethod === 'tls'));
  const password = checkText(options.password ?? (certificateOnly ? '' : undefined), 'password');
  const maker = credentialMaker(type);
  // A closure only while the module loads: every later session is checked without one.
  if (maker instanceof Promise) return maker.then((ready) => checkedCredentials(ready, identity, password));
  return checkedCredentials(maker, identity, password);
}

function checkedCredentials(maker: CredentialMaker, identity: string, password: string): NativeCredentials {
  checkCredentialLimits(maker.limits, identity, password);
  return { method: maker.method[methodHandle](), identity, password };
}

/** A shipped peer module whose credential function makes user blobs, and its field limits. */
interface CredentialMaker { method: PeerMethod; limits: readonly CredentialField[] }

// Shipped peer modules stay loaded once used for credentials: loading per session would
// initialize and shut the module down for every authentication.
const credentialMakers = new Map<string, CredentialMaker | Promise<CredentialMaker>>();
const shippedMethods: readonly BuiltinMethod[] = Object.values(builtinMethods);

/** The shipped method of EAP method type `type`. A loop, not find() with a closure over `type`:
 *  every session that is given credentials asks. */
function shippedMethodOf(type: EapMethodTypeInfo): BuiltinMethod | undefined {
  for (let i = 0; i < shippedMethods.length; i++) {
    if (sameMethodType(shippedMethods[i].methodType, type)) return shippedMethods[i];
  }
  return undefined;
}

/** The shipped peer module whose credential function makes the user blob for `type`. */
function credentialMaker(type: EapMethodTypeInfo): CredentialMaker | Promise<CredentialMaker> {
  const builtin = shippedMethodOf(type);
  if (!builtin) {
    throw new TypeError('identity/password are supported for the shipped methods; pass userData for other methods');
  }
  const known = credentialMakers.get(builtin.name);
  if (known) return known;
  const loading = loadPeerMethod(builtin.name as BuiltinMethodName).then(async (method) =>
    ({ method, limits: await method[credentialLimits]() }));
  credentialMakers.set(builtin.name, loading);
  loading.then((ready) => credentialMakers.set(builtin.name, ready), () => credentialMakers.delete(builtin.name));
  return loading;
}
