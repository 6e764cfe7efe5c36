/**
 * The EAPHost peer runtime (EapHostPeer*) as promise-based objects. The same code drives
 * Windows' eappprxy.dll (backend 'windows') and the portable EAPHost shipped with this package
 * (backend 'portable'); only the library behind the native function table differs.
 */
import { EventEmitter } from 'events';
import { EapAttribute, checkAttributes } from './attributes';
import { BuiltinMethodName, builtinMethods, isTlsMethodName, portableEapHostPath, resolveMethod } from './builtin';
import { CONNECTION_OPTION_NAMES, ConnectionDataOptions, peerConnectionData } from './connection-data';
import { CallGate, checkBuffer, checkUint32 } from './call-gate';
import {
  EapHostPeerAuthParams, EapHostPeerMethodResultReason, EapHostPeerResponseAction, ResponseAction, actionName,
} from './constants';
import {
  EapConfigInputField, EapInteractiveUiData, EapMethodProperty, NativeWindowHandle, eapConfig,
} from './eap-config';
import { EapError, EapMethodTypeInfo, stateError } from './errors';
import { checkMethodType, checkModulePath, checkText } from './input-checks';
import { binding } from './native';
import { PeerMethod, loadPeerMethod } from './peer-method';
import { rememberCredentials } from './profile/interactive-ui';
import { ProfileOptions, sessionProfile } from './profile/session-config';

export type EapHostBackend = 'windows' | 'portable';

export interface OpenEapHostOptions {
  /** 'windows' (eappprxy.dll from System32; the default on win32) or 'portable' (elsewhere). */
  backend?: EapHostBackend;
  /** Portable backend only: the library to load (default: the one shipped beside the addon). */
  libraryPath?: string;
}

export interface EapMethodInfo extends EapMethodTypeInfo {
  friendlyName: string;
  authorName: string;
  properties: number;
}

export interface EapHostResult {
  success: boolean;
  failureReasonCode: number;
  saveConnectionData: boolean;
  connectionData: Buffer;
  saveUserData: boolean;
  userData: Buffer;
  attributes: EapAttribute[];
  isolationState: number;
  method?: EapMethodTypeInfo & { friendlyName: string; authorName: string };
  error?: EapError;
}

/**
 * For the shipped TLS methods ('tls', 'peap', 'ttls') the TLS options (ca, serverName, insecure,
 * tls: { min, max }, innerMethod, phase2, cert, key, keyPassword, anonymousIdentity, …) become
 * the method's connection data. There is no silent trust: without `ca`, `insecure: true` must
 * say so, or beginSession rejects with a TypeError before anything native runs.
 */
export interface BeginSessionOptions extends ConnectionDataOptions, ProfileOptions {
  /** A shipped method by name, or any installed method by its EAP_METHOD_TYPE (none with configXml).
   *  On the windows backend 'peap', 'tls' and 'ttls' are Windows' own methods, configured from
   *  these same options through Microsoft's XML (lib/profile/). */
  method?: BuiltinMethodName | EapMethodTypeInfo;
  identity?: string;
  /** The password (inner method's, for PEAP / TTLS). EAP-TLS needs none. */
  password?: string;
  /** The method's user blob, when not made from identity/password. */
  userData?: Buffer;
  /** The method's configuration as a blob (e.g. Windows' own methods' ConfigXml2Blob output);
   *  for the shipped TLS methods it is made from the TLS options instead. */
  connectionData?: Buffer;
  attributes?: EapAttribute[];
  flags?: number;
  maxSendPacketSize?: number;
  /** GUID string naming the connection (a random one by default). */
  connectionId?: string;
}

// Only sessions with 'notification' listeners are reachable from here, and only until they
// end: a session nobody listens to stays collectable (WeakRef/FinalizationRegistry would keep
// every session's native handle alive far longer than needed).
const listeningSessions = new Map<number, EapHostSession>();
binding.setNotificationDispatcher((token: number, connectionId: string) => {
  listeningSessions.get(token)?.emit('notification', { connectionId });
});

function methodTypeOf(method: BeginSessionOptions['method']): EapMethodTypeInfo {
  if (typeof method === 'string') return { ...resolveMethod(method).methodType };
  return checkMethodType(method);
}

function randomGuid(): string {
  return globalThis.crypto.randomUUID();
}

export class EapHostSession extends EventEmitter implements AsyncDisposable {
  private readonly gate = new CallGate('EAPHost session');
  private readonly secrets: Buffer[] = [];

  /** @internal */
  constructor(private readonly handle: unknown, readonly sessionId: number, readonly connectionId: string,
              readonly methodType: EapMethodTypeInfo, token: number,
              /** The identity given to beginSession, when one was. */ readonly identity?: string) {
    super();
    this.token = token;
    this.on('newListener', (event) => { if (event === 'notification') listeningSessions.set(token, this); });
    this.on('removeListener', (event) => {
      if (event === 'notification' && this.listenerCount('notification') === 0) listeningSessions.delete(token);
    });
  }

  private readonly token: number;

  get ended(): boolean {
    return this.gate.closed;
  }

  processReceivedPacket(packet: Buffer): Promise<ResponseAction> {
    checkBuffer(packet, 'packet');
    return this.gate.run('EapHostPeerProcessReceivedPacket', async () =>
      actionName(EapHostPeerResponseAction, await binding.eapHostProcessReceivedPacket(this.handle, packet)));
  }

  /** @internal ProcessReceivedPacket, then GetSendPacket when the action is 'send', in one native hop. */
  exchange(packet: Buffer): Promise<{ action: ResponseAction; packet?: Buffer }> {
    checkBuffer(packet, 'packet');
    return this.gate.run('EapHostPeerProcessReceivedPacket', async () => {
      const out = await binding.eapHostExchange(this.handle, packet);
      return { action: actionName(EapHostPeerResponseAction, out.action), packet: out.packet };
    });
  }

  getSendPacket(): Promise<Buffer> {
    return this.gate.run('EapHostPeerGetSendPacket', () => binding.eapHostGetSendPacket(this.handle));
  }

  getResult(reason: 'fromMethod' | 'altSuccessReceived' | 'timeout' = 'fromMethod'): Promise<EapHostResult> {
    const code = {
      fromMethod: EapHostPeerMethodResultReason.FromMethod,
      altSuccessReceived: EapHostPeerMethodResultReason.AltSuccessReceived,
      timeout: EapHostPeerMethodResultReason.Timeout,
    }[reason];
    if (code === undefined) throw new TypeError("reason must be 'fromMethod', 'altSuccessReceived' or 'timeout'");
    return this.gate.run('EapHostPeerGetResult', async () => {
      const result: EapHostResult = await binding.eapHostGetResult(this.handle, code);
      // Result attributes may carry the MSK and EMSK: they live as long as the session.
      this.holdSecrets(result.attributes.map((attribute) => attribute.value));
      return result;
    });
  }

  getUIContext(): Promise<Buffer> {
    return this.gate.run('EapHostPeerGetUIContext', () => binding.eapHostGetUIContext(this.handle));
  }

  setUIContext(context: Buffer): Promise<ResponseAction> {
    checkBuffer(context, 'context');
    return this.gate.run('EapHostPeerSetUIContext', async () =>
      actionName(EapHostPeerResponseAction, await binding.eapHostSetUIContext(this.handle, context)));
  }

  getResponseAttributes(): Promise<EapAttribute[]> {
    return this.gate.run('EapHostPeerGetResponseAttributes', () => binding.eapHostGetResponseAttributes(this.handle));
  }

  setResponseAttributes(attributes: EapAttribute[]): Promise<ResponseAction> {
    checkAttributes(attributes);
    return this.gate.run('EapHostPeerSetResponseAttributes', async () =>
      actionName(EapHostPeerResponseAction, await binding.eapHostSetResponseAttributes(this.handle, attributes)));
  }

  getAuthStatus(): Promise<{ status: number; errorCode: number; reasonCode: number }> {
    return this.gate.run('EapHostPeerGetAuthStatus', () =>
      binding.eapHostGetAuthStatus(this.handle, EapHostPeerAuthParams.AuthStatus));
  }

  getAuthIdentity(): Promise<string> {
    return this.gate.run('EapHostPeerGetAuthStatus', () =>
      binding.eapHostGetAuthStatus(this.handle, EapHostPeerAuthParams.Identity));
  }

  /** @internal Key material handed out for this session: zero-filled when the session ends. */
  holdSecrets(buffers: Buffer[]): void {
    if (this.gate.closed) {
      for (const buffer of buffers) buffer.fill(0);
      return;
    }
    this.secrets.push(...buffers);
  }

  /** Ends the session (EapHostPeerEndSession), zero-filling the keys its results exposed.
   *  Safe to call twice; later calls do nothing. */
  async endSession(): Promise<void> {
    if (this.gate.closed) return;
    // An overlapping endSession is refused before anything is ended: the caller may retry it.
    this.gate.checkIdle('EapHostPeerEndSession');
    for (const buffer of this.secrets.splice(0)) buffer.fill(0);
    try {
      await this.gate.run('EapHostPeerEndSession', () => binding.eapHostEndSession(this.handle));
    } finally {
      this.gate.markClosed();
      listeningSessions.delete(this.token);
      binding.release(this.handle);
    }
  }

  async [Symbol.asyncDispose](): Promise<void> {
    await this.endSession();
  }
}

export class EapHost implements AsyncDisposable {
  private readonly gate = new CallGate('EAPHost');

  /** @internal */
  constructor(private readonly handle: unknown, readonly backend: EapHostBackend) {}

  /** Installed methods: EapHostPeerGetMethods (the registry on Windows, the manifest elsewhere). */
  getMethods(): Promise<EapMethodInfo[]> {
    return this.ensureOpen('EapHostPeerGetMethods', () => binding.eapHostGetMethods(this.handle));
  }

  async beginSession(options: BeginSessionOptions): Promise<EapHostSession> {
    if (typeof options !== 'object' || options === null) throw new TypeError('options must be an object');
    // configXml, and Windows' own methods on the windows backend: blobs made by the configuration API.
    const profile = await sessionProfile(this, options);
    const given = options;
    if (profile) options = profile.options;
    const methodType = methodTypeOf(options.method);
    const flags = checkUint32(options.flags, 'flags', 0);
    const maxSendPacketSize = checkUint32(options.maxSendPacketSize, 'maxSendPacketSize', 1400);
    const attributes = checkAttributes(options.attributes);
    if (options.userData !== undefined) checkBuffer(options.userData, 'userData');
    if (options.connectionData !== undefined) checkBuffer(options.connectionData, 'connectionData');
    const connectionId = options.connectionId ?? randomGuid();
    if (typeof connectionId !== 'string') throw new TypeError('connectionId must be a GUID string');
    checkText(connectionId, 'connectionId');
    const tlsMethod = typeof options.method === 'string' && isTlsMethodName(options.method.toLowerCase());
    // Checked (and the blob made) before anything native runs: a TLS peer with no trust refuses here.
    const connectionData = tlsConnectionData(options);
    let userData = options.userData;
    try {
      if (!profile && (options.identity !== undefined || options.password !== undefined)) {
        checkText(options.identity, 'identity');
        // EAP-TLS authenticates with the certificate: its credentials are the identity alone.
        const password = options.password ?? (tlsMethod && options.method === 'tls' ? '' : undefined);
        checkText(password, 'password');
        userData = await credentialsBlob(methodType, options.identity as string, password as string);
      }
      const begun: { handle: unknown; sessionId: number; notificationToken: number } = await this.ensureOpen('EapHostPeerBeginSession', () => binding.eapHostBeginSession(
        this.handle, methodType, flags, attributes, connectionData, userData, maxSendPacketSize, connectionId));
      const session = new EapHostSession(begun.handle, begun.sessionId, connectionId, methodType, begun.notificationToken,
        options.identity);
      rememberCredentials(session, this, profile ? profile.credentials : given);
      return session;
    } finally {
      profile?.wipe();
      // Both may carry secrets (a password, a private key): the native side has its copies.
      if (userData !== options.userData) userData?.fill(0);
      if (connectionData !== options.connectionData) connectionData?.fill(0);
    }
  }

  getIdentity(options: { method: BeginSessionOptions['method']; flags?: number; connectionData?: Buffer;
    userData?: Buffer }): Promise<{ invokeUI: boolean; userData: Buffer; identity: string }> {
    const methodType = methodTypeOf(options?.method);
    const flags = checkUint32(options.flags, 'flags', 0);
    return this.ensureOpen('EapHostPeerGetIdentity', () => binding.eapHostGetIdentity(
      this.handle, methodType, flags, options.connectionData, options.userData));
  }

  clearConnection(connectionId: string): Promise<void> {
    if (typeof connectionId !== 'string') throw new TypeError('connectionId must be a GUID string');
    return this.ensureOpen('EapHostPeerClearConnection', () => binding.eapHostClearConnection(this.handle, connectionId));
  }

  // ---- configuration API (eappcfg.dll; lib/eap-config.ts): no session or Initialize needed ----

  /** EapHostPeerConfigXml2Blob: an EapHostConfig document to the method's configuration blob. */
  configXml2Blob(xml: string, flags?: number): Promise<{ methodType: EapMethodTypeInfo; config: Buffer }> {
    return this.ensureOpen('EapHostPeerConfigXml2Blob', () => eapConfig.configXml2Blob(this.handle, xml, flags));
  }

  /** EapHostPeerConfigBlob2Xml: a configuration blob to its EapHostConfig document. */
  configBlob2Xml(methodType: EapMethodTypeInfo, config: Buffer, flags?: number): Promise<string> {
    return this.ensureOpen('EapHostPeerConfigBlob2Xml', () => eapConfig.configBlob2Xml(this.handle, methodType, config, flags));
  }

  /** EapHostPeerCredentialsXml2Blob: an EapHostUserCredentials document to the user blob. */
  credentialsXml2Blob(xml: string, config: Buffer, flags?: number):
  Promise<{ methodType: EapMethodTypeInfo; credentials: Buffer }> {
    return this.ensureOpen('EapHostPeerCredentialsXml2Blob', () => eapConfig.credentialsXml2Blob(this.handle, xml, config, flags));
  }

  queryCredentialInputFields(methodType: EapMethodTypeInfo, config: Buffer, flags?: number): Promise<EapConfigInputField[]> {
    return this.ensureOpen('EapHostPeerQueryCredentialInputFields',
      () => eapConfig.queryCredentialInputFields(this.handle, methodType, config, flags));
  }

  queryUserBlobFromCredentialInputFields(methodType: EapMethodTypeInfo, config: Buffer, fields: EapConfigInputField[],
    flags?: number): Promise<Buffer> {
    return this.ensureOpen('EapHostPeerQueryUserBlobFromCredentialInputFields',
      () => eapConfig.queryUserBlobFromCredentialInputFields(this.handle, methodType, config, fields, flags));
  }

  queryInteractiveUIInputFields(uiContext: Buffer, flags?: number): Promise<EapInteractiveUiData> {
    return this.ensureOpen('EapHostPeerQueryInteractiveUIInputFields',
      () => eapConfig.queryInteractiveUIInputFields(this.handle, uiContext, flags));
  }

  queryUIBlobFromInteractiveUIInputFields(uiContext: Buffer, data: EapInteractiveUiData, flags?: number): Promise<Buffer> {
    return this.ensureOpen('EapHostPeerQueryUIBlobFromInteractiveUIInputFields',
      () => eapConfig.queryUIBlobFromInteractiveUIInputFields(this.handle, uiContext, data, flags));
  }

  getMethodProperties(methodType: EapMethodTypeInfo, options?: { config?: Buffer; userData?: Buffer; flags?: number }):
  Promise<EapMethodProperty[]> {
    return this.ensureOpen('EapHostPeerGetMethodProperties', () => eapConfig.getMethodProperties(this.handle, methodType, options));
  }

  /** The three UI calls take BrowserWindow.getNativeWindowHandle() (or a bigint HWND). */
  invokeConfigUI(parentWindow: NativeWindowHandle, methodType: EapMethodTypeInfo, config?: Buffer): Promise<Buffer> {
    return this.ensureOpen('EapHostPeerInvokeConfigUI', () => eapConfig.invokeConfigUI(this.handle, parentWindow, methodType, config));
  }

  invokeIdentityUI(parentWindow: NativeWindowHandle, methodType: EapMethodTypeInfo, config?: Buffer, userData?: Buffer,
    flags?: number): Promise<{ identity: string; userData: Buffer }> {
    return this.ensureOpen('EapHostPeerInvokeIdentityUI',
      () => eapConfig.invokeIdentityUI(this.handle, parentWindow, methodType, config, userData, flags));
  }

  invokeInteractiveUI(parentWindow: NativeWindowHandle, uiContext: Buffer): Promise<Buffer> {
    return this.ensureOpen('EapHostPeerInvokeInteractiveUI', () => eapConfig.invokeInteractiveUI(this.handle, parentWindow, uiContext));
  }

  /** Uninitializes EAPHost (ending any session still open) and unloads it. */
  async close(): Promise<void> {
    if (this.gate.closed) return;
    this.gate.markClosed('Closed');
    binding.release(this.handle);
  }

  async [Symbol.asyncDispose](): Promise<void> {
    await this.close();
  }

  // Host-level calls may overlap (sessions are independent); only closing is checked here.
  private async ensureOpen<T>(call: string, work: () => Promise<T>): Promise<T> {
    if (this.gate.closed) throw stateError(call, 'Closed', 'the EAPHost is closed');
    return work();
  }
}

/** The connection data to begin with: the caller's blob, or one made from the TLS options. */
function tlsConnectionData(options: BeginSessionOptions): Buffer | undefined {
  const given = CONNECTION_OPTION_NAMES.filter((name) => options[name] !== undefined);
  const method = typeof options.method === 'string' ? options.method.toLowerCase() : undefined;
  if (method === undefined || !isTlsMethodName(method)) {
    if (given.length > 0) {
      throw new TypeError(`${given.join(', ')} ${given.length === 1 ? 'applies' : 'apply'} to the shipped TLS methods ` +
        `(tls, peap, ttls) only${method ? '' : ': give other methods their configuration as connectionData'}`);
    }
    return options.connectionData;
  }
  if (options.connectionData !== undefined) {
    if (given.length > 0) throw new TypeError('give connectionData or the TLS options, not both');
    return options.connectionData;
  }
  const tlsOptions: ConnectionDataOptions = {};
  for (const name of given) (tlsOptions as Record<string, unknown>)[name] = options[name];
  return peerConnectionData(method, tlsOptions);
}

// Shipped peer modules stay loaded once used for credentials: loading per session would
// initialize and shut the module down for every authentication.
const credentialMethods = new Map<string, Promise<PeerMethod>>();

/** The user blob for identity/password, made by the method module's own credential function. */
async function credentialsBlob(type: EapMethodTypeInfo, identity: string, password: string): Promise<Buffer> {
  const builtin = Object.values(builtinMethods).find((m) => m.methodType.type === type.type &&
    m.methodType.authorId === type.authorId && m.methodType.vendorId === type.vendorId &&
    m.methodType.vendorType === type.vendorType);
  if (!builtin) {
    throw new TypeError('identity/password are supported for the shipped methods; pass userData for other methods');
  }
  let method = credentialMethods.get(builtin.name);
  if (!method) {
    method = loadPeerMethod(builtin.name as BuiltinMethodName);
    credentialMethods.set(builtin.name, method);
    method.catch(() => credentialMethods.delete(builtin.name));
  }
  return (await method).userBlob(identity, password);
}

/** Opens EAPHost: Windows' own on win32, the portable one elsewhere (override with `backend`). */
export async function openEapHost(options: OpenEapHostOptions = {}): Promise<EapHost> {
  if (typeof options !== 'object' || options === null) throw new TypeError('options must be an object');
  const backend = options.backend ?? (process.platform === 'win32' ? 'windows' : 'portable');
  if (backend !== 'windows' && backend !== 'portable') throw new TypeError("backend must be 'windows' or 'portable'");
  if (options.libraryPath !== undefined) checkModulePath(options.libraryPath, 'libraryPath');
  const handle = backend === 'windows'
    ? await binding.eapHostOpen('system')
    : await binding.eapHostOpen('portable', options.libraryPath ?? portableEapHostPath);
  return new EapHost(handle, backend);
}
