/**
 * What beginSession begins with when a profile is involved: raw XML (`configXml`,
 * `credentialsXml`, any installed method, both backends), or — on the windows backend —
 * Windows' own PEAP / EAP-TLS / EAP-TTLS / TEAP / EAP-MSCHAPv2 from the same options the portable
 * backend gives the shipped modules (`method: 'peap', identity, password, ca, serverName`).
 * Either way the XML goes through the host's ConfigXml2Blob / CredentialsXml2Blob, so the blobs
 * are the ones EAPHost itself makes. Everything else begins as before (undefined here).
 */
import { requireWindowsRoots } from './root-store';
import { checkAttributes } from '../core/attributes';
import { CONNECTION_OPTION_NAMES } from '../core/connection-data';
import { EapMethodTypeInfo, sameMethodType } from '../core/errors';
import { checkText, checkUint32 } from '../core/input-checks';
import type { BeginSessionOptions, ProfileOptions } from '../core/session-options';
import {
  MicrosoftConfigOptions, WINDOWS_METHOD_TYPES, WindowsMethodName, microsoftConfigXml, microsoftCredentialsXml,
} from './microsoft-config';

export type { ProfileOptions } from '../core/session-options';

/** The part of EapHost this needs (the configuration API). */
export interface ProfileHost {
  readonly backend: 'windows' | 'portable';
  configXml2Blob(xml: string, flags?: number): Promise<{ methodType: EapMethodTypeInfo; config: Buffer }>;
  credentialsXml2Blob(xml: string, config: Buffer, flags?: number):
    Promise<{ methodType: EapMethodTypeInfo; credentials: Buffer }>;
}

export interface SessionProfile {
  /** The options to begin with: method as its EAP_METHOD_TYPE, connectionData / userData made. */
  options: BeginSessionOptions;
  /** Identity and password, kept to answer the method's InvokeUI (see interactive-ui.ts). */
  credentials?: { identity: string; password?: string };
  /** Zero-fills the blobs made here once the native side has its copies. */
  wipe(): void;
}

const SESSION_KEYS = ['flags', 'machineAuth', 'maxSendPacketSize', 'attributes', 'connectionId'] as const;

/** Windows' own method that `method` names on the windows backend, if any. The shipped modules
 *  keep serving what they are built for on Windows (MD5, GTC, MSCHAPv2 by name); PEAP, EAP-TLS,
 *  EAP-TTLS and TEAP by name, and any of the five by its EAP_METHOD_TYPE, are Windows' own. */
/** Whether beginSession's options make a profile (sessionProfile): configXml, or one of Windows'
 *  own methods on the windows backend. Decided without a turn of the event loop. */
export function needsSessionProfile(host: ProfileHost, options: BeginSessionOptions & ProfileOptions): boolean {
  if (options.credentialsXml !== undefined && options.configXml === undefined) throw new TypeError('credentialsXml needs configXml');
  return options.configXml !== undefined || windowsMethod(host, options.method) !== undefined;
}

function windowsMethod(host: ProfileHost, method: BeginSessionOptions['method']): WindowsMethodName | undefined {
  if (host.backend !== 'windows') return undefined;
  if (typeof method === 'string') {
    const name = method.toLowerCase();
    return name === 'peap' || name === 'tls' || name === 'ttls' || name === 'teap' ? name : undefined;
  }
  if (typeof method !== 'object' || method === null) return undefined;
  return (Object.keys(WINDOWS_METHOD_TYPES) as WindowsMethodName[]).find((name) => sameMethodType(WINDOWS_METHOD_TYPES[name], method));
}

function sessionKeys(options: BeginSessionOptions): Partial<BeginSessionOptions> {
  const out: Record<string, unknown> = {};
  for (const key of SESSION_KEYS) if (options[key] !== undefined) out[key] = options[key];
  return out as Partial<BeginSessionOptions>;
}

function checkXml(value: unknown, name: string): string {
  if (typeof value !== 'string' || value.length === 0) throw new TypeError(`${name} must be a non-empty XML string`);
  return value;
}

function given(options: object, keys: readonly string[]): string[] {
  return keys.filter((key) => (options as Record<string, unknown>)[key] !== undefined);
}

async function fromXml(host: ProfileHost, options: BeginSessionOptions & ProfileOptions): Promise<SessionProfile> {
  const configXml = checkXml(options.configXml, 'configXml');
  const conflicting = given(options, ['method', 'connectionData', 'identity', 'password', ...CONNECTION_OPTION_NAMES]);
  if (conflicting.length > 0) {
    throw new TypeError(`configXml carries the method and its configuration: drop ${conflicting.join(', ')} ` +
      '(give the credentials as credentialsXml, or userData)');
  }
  if (options.credentialsXml !== undefined && options.userData !== undefined) {
    throw new TypeError('give credentialsXml or userData, not both');
  }
  const { methodType, config } = await host.configXml2Blob(configXml);
  let userData = options.userData;
  let made: Buffer | undefined;
  try {
    if (options.credentialsXml !== undefined) {
      const credentials = await host.credentialsXml2Blob(checkXml(options.credentialsXml, 'credentialsXml'), config);
      made = credentials.credentials;
      if (!sameMethodType(credentials.methodType, methodType)) {
        throw new TypeError(`credentialsXml is for EAP type ${credentials.methodType.type} (author ` +
          `${credentials.methodType.authorId}), configXml for type ${methodType.type} (author ${methodType.authorId})`);
      }
      userData = made;
    }
  } catch (error) {
    config.fill(0);
    made?.fill(0);
    throw error;
  }
  return {
    options: { ...sessionKeys(options), method: methodType, connectionData: config, ...(userData ? { userData } : {}) },
    wipe() {
      config.fill(0);
      made?.fill(0);
    },
  };
}

async function fromWindowsOptions(host: ProfileHost, name: WindowsMethodName,
                                  options: BeginSessionOptions): Promise<SessionProfile> {
  const config: MicrosoftConfigOptions = {};
  for (const key of given(options, CONNECTION_OPTION_NAMES)) {
    if (key === 'cert' && name === 'tls') continue; // the client certificate goes into the credentials
    (config as Record<string, unknown>)[key] = options[key as keyof BeginSessionOptions];
  }
  if (options.connectionData !== undefined || options.userData !== undefined) {
    const blobs = given(options, ['connectionData', 'userData']);
    throw new TypeError(`Windows' own ${name} is configured here from the options: drop ${blobs.join(', ')}, ` +
      'or give configXml / credentialsXml');
  }
  if (name === 'teap' && options.password !== undefined && typeof options.identity !== 'string') {
    throw new TypeError("Windows' own TEAP: a password is handed over with its identity (give identity)");
  }
  const configXml = microsoftConfigXml(name, config);
  // A CA Windows does not hold in a Root store fails every authentication: say so now.
  if (config.ca !== undefined) await requireWindowsRoots(config.ca);
  const { methodType, config: connectionData } = await host.configXml2Blob(configXml);
  let userData: Buffer | undefined;
  try {
    // TEAP has no documented credentials document (microsoft-config.ts): identity and password
    // reach Windows' TEAP only as the answer to its InvokeUI (interactive-ui.ts), not as user data.
    if (name !== 'teap' && (options.identity !== undefined || options.password !== undefined)) {
      if (typeof options.identity !== 'string') throw new TypeError('identity must be a string');
      const credentialsXml = microsoftCredentialsXml(name, {
        identity: options.identity,
        ...(options.password !== undefined ? { password: options.password } : {}),
        ...(name === 'tls' && options.cert !== undefined ? { cert: options.cert } : {}),
      });
      userData = (await host.credentialsXml2Blob(credentialsXml, connectionData)).credentials;
    }
  } catch (error) {
    connectionData.fill(0);
    throw error;
  }
  return {
    options: { ...sessionKeys(options), method: methodType, connectionData, ...(userData ? { userData } : {}),
      ...(options.identity !== undefined ? { identity: options.identity } : {}) },
    credentials: options.identity !== undefined
      ? { identity: options.identity, ...(options.password !== undefined ? { password: options.password } : {}) }
      : undefined,
    wipe() {
      connectionData.fill(0);
      userData?.fill(0);
    },
  };
}

/**
 * The profile-made options for beginSession, or undefined when the options need none (the
 * shipped methods on the portable backend, and blobs given directly).
 */
export async function sessionProfile(host: ProfileHost, options: BeginSessionOptions & ProfileOptions):
    Promise<SessionProfile | undefined> {
  if (!needsSessionProfile(host, options)) return undefined;
  const name = options.configXml === undefined ? windowsMethod(host, options.method) : undefined;
  // beginSession checks these again after the blobs exist: checked first, nothing it checks can
  // throw between making the blobs (which may hold a key or a password) and wiping them.
  checkUint32(options.flags, 'flags', 0);
  checkUint32(options.maxSendPacketSize, 'maxSendPacketSize', 1400);
  checkAttributes(options.attributes);
  if (options.connectionId !== undefined) {
    if (typeof options.connectionId !== 'string') throw new TypeError('connectionId must be a GUID string');
    checkText(options.connectionId, 'connectionId');
  }
  return name === undefined ? fromXml(host, options) : fromWindowsOptions(host, name, options);
}
