/**
 * The EAPHost peer runtime (EapHostPeer*) as promise-based objects. The same code drives
 * Windows' eappprxy.dll (backend 'windows') and the portable EAPHost shipped with this package
 * (backend 'portable'); only the library behind the native function table differs.
 */
import { existsSync } from 'node:fs';
import { EapAttribute, checkAttributes } from '../core/attributes';
import { portableEapHostPath, resolveMethod } from './builtin';
import { INSECURE_WARNING_CODE, insecureTrustWarnings } from '../core/connection-data';
import {
  EapFlags, EapHostPeerAuthParams, EapHostPeerMethodResultReason, EapHostPeerResponseAction, ResponseAction, actionName,
} from '../core/constants';
import {
  EapConfigInputField, EapInteractiveUiData, EapMethodProperty, NativeWindowHandle, eapConfig,
} from './configuration-api';
import { EapError, EapMethodTypeInfo, Win32 } from '../core/errors';
import { checkBuffer, checkMethodType, checkModulePath, checkText, checkUint32 } from '../core/input-checks';
import { binding } from '../native';
import type { EapHostPeerBeginSessionArgs, NativeEapHostSession, NativeHandle, SessionBase } from '../native/contract';
import { Ending, NativeObject, adopt } from '../native/native-object';
import { PeerMethodResult } from './peer-method';
import { rememberCredentials } from '../profile/interactive-ui';
import { SessionProfile, needsSessionProfile, sessionProfile } from '../profile/session-config';
import { NativeCredentials, credentialsFor, tlsConnectionData } from './session-begin';
import type { BeginSessionOptions } from '../core/session-options';
import type { EapTlsOutcome } from '../native/generated/result-types';
import { beginPrepared, holdUntilEnd, notificationToken, prepareBegin, sessionCall } from './internal';

export type { BeginSessionOptions } from '../core/session-options';

export type EapHostBackend = 'windows' | 'portable';

export interface OpenEapHostOptions {
  /** 'windows' (eappprxy.dll from System32; the default on win32) or 'portable' (elsewhere). */
  backend?: EapHostBackend;
  /** Portable backend only: the library to load (default: the one shipped beside the addon). */
  libraryPath?: string;
}

// The facade's name of each EapHostPeerResponseAction code, by code: read on every step.
const RESPONSE_ACTION_NAMES: ResponseAction[] = [];
for (const name of Object.keys(EapHostPeerResponseAction) as ResponseAction[]) {
  RESPONSE_ACTION_NAMES[EapHostPeerResponseAction[name]] = name;
}

/** The facade's name of an EapHostPeerResponseAction code. */
export function responseActionName(code: number): ResponseAction {
  return RESPONSE_ACTION_NAMES[code] ?? actionName(EapHostPeerResponseAction, code);
}

export interface EapMethodInfo extends EapMethodTypeInfo {
  friendlyName: string;
  authorName: string;
  properties: number;
}

/** EapHostPeerGetResult: the method's result (as a peer method reports it) and EAPHost's own. */
export interface EapHostResult extends PeerMethodResult {
  isolationState: number;
  method?: EapMethodTypeInfo & { friendlyName: string; authorName: string };
  /** What the TLS handshake of one of this package's TLS-based methods established: the
   *  negotiated version and the chain the server sent. Absent for other methods (and Windows'
   *  own). Why a handshake failed is the error's `tls`. */
  tls?: EapTlsOutcome;
}

// Only sessions with 'notification' listeners are reachable from here, and only until they
// end: a session nobody listens to stays collectable (WeakRef/FinalizationRegistry would keep
// every session's native handle alive far longer than needed).
const listeningSessions = new Map<number, EapHostSession>();
/** What the addon calls with each EAPHost notification it hands JS. */
export function dispatchNotification(token: number, connectionId: string): void {
  listeningSessions.get(token)?.emit('notification', { connectionId });
}
binding.configure({ notificationDispatcher: dispatchNotification });

function methodTypeOf(method: BeginSessionOptions['method']): EapMethodTypeInfo {
  if (typeof method === 'string') return { ...resolveMethod(method).methodType };
  return checkMethodType(method);
}

// One for every session: the end call releases the handle in the same host-thread job.
const SESSION_ENDING: Ending = {
  call: 'EapHostPeerEndSession', state: 'Ended', end: (h) => binding.eapHostEndSession({ session: h }),
  endReleases: true,
};

// Shared by every session (EventEmitter calls a listener with the emitter as `this`): a session
// costs no closures for tracking its 'notification' listeners, and watches removals only while
// it has one.
function noticeListener(this: EapHostSession, event: string | symbol): void {
  if (event !== 'notification') return;
  const token = this[notificationToken];
  if (listeningSessions.has(token)) return;
  listeningSessions.set(token, this);
  this.on('removeListener', forgetListener);
  if (listeningSessions.size === 1) binding.configure({ notificationsHeard: true });
}
function forgetListener(this: EapHostSession, event: string | symbol): void {
  if (event !== 'notification' || this.listenerCount('notification') > 0) return;
  this.off('removeListener', forgetListener);
  forgetListening(this[notificationToken]);
}
/** The addon hands JS EAPHost's notifications only while some session listens for them. */
function forgetListening(token: number): void {
  if (listeningSessions.delete(token) && listeningSessions.size === 0) binding.configure({ notificationsHeard: false });
}

let newSession: (handle: NativeHandle | undefined, sessionId: number, connectionId: string, methodType: EapMethodTypeInfo,
  token: number, identity: string | undefined) => EapHostSession;

export class EapHostSession extends NativeObject {
  readonly #token: number;

  static {
    newSession = (handle, sessionId, connectionId, methodType, token, identity) =>
      new EapHostSession(handle, sessionId, connectionId, methodType, token, identity);
  }

  private constructor(handle: NativeHandle | undefined, readonly sessionId: number, readonly connectionId: string,
                      readonly methodType: EapMethodTypeInfo, token: number,
                      /** The identity given to beginSession, when one was. */ readonly identity?: string) {
    super(handle, 'EAPHost session', true, SESSION_ENDING);
    this.#token = token;
    this.on('newListener', noticeListener);
  }

  /** @internal Runs `work` with the native handle through the call gate (one call at a time). */
  [sessionCall]<T>(call: string, work: (handle: NativeHandle) => Promise<T>): Promise<T> {
    return this.call(call, work);
  }

  /** @internal Key material handed out for the session: zero-filled when it ends. */
  [holdUntilEnd](buffers: Buffer[]): void {
    this.keep(buffers);
  }

  /** @internal */
  get [notificationToken](): number {
    return this.#token;
  }

  get ended(): boolean {
    return this.gate.closed;
  }

  processReceivedPacket(packet: Buffer): Promise<ResponseAction> {
    checkBuffer(packet, 'packet');
    return this.call('EapHostPeerProcessReceivedPacket', async (h) =>
      actionName(EapHostPeerResponseAction,
        await binding.eapHostProcessReceivedPacket({ session: h, packet })));
  }

  getSendPacket(): Promise<Buffer> {
    return this.call('EapHostPeerGetSendPacket', (h) => binding.eapHostGetSendPacket({ session: h }));
  }

  getResult(reason: 'fromMethod' | 'altSuccessReceived' | 'timeout' = 'fromMethod'): Promise<EapHostResult> {
    const code = {
      fromMethod: EapHostPeerMethodResultReason.FromMethod,
      altSuccessReceived: EapHostPeerMethodResultReason.AltSuccessReceived,
      timeout: EapHostPeerMethodResultReason.Timeout,
    }[reason];
    if (code === undefined) throw new TypeError("reason must be 'fromMethod', 'altSuccessReceived' or 'timeout'");
    return this.call('EapHostPeerGetResult', async (h) => {
      const result: EapHostResult = await binding.eapHostGetResult({ session: h, reason: code });
      // Result attributes may carry the MSK and EMSK: they live as long as the session.
      this.keep(result.attributes.map((attribute) => attribute.value));
      return result;
    });
  }

  getUIContext(): Promise<Buffer> {
    return this.call('EapHostPeerGetUIContext', (h) => binding.eapHostGetUIContext({ session: h }));
  }

  setUIContext(context: Buffer): Promise<ResponseAction> {
    checkBuffer(context, 'context');
    return this.call('EapHostPeerSetUIContext', async (h) =>
      actionName(EapHostPeerResponseAction, await binding.eapHostSetUIContext({ session: h, context })));
  }

  getResponseAttributes(): Promise<EapAttribute[]> {
    return this.call('EapHostPeerGetResponseAttributes', (h) =>
      binding.eapHostGetResponseAttributes({ session: h }));
  }

  setResponseAttributes(attributes: EapAttribute[]): Promise<ResponseAction> {
    checkAttributes(attributes);
    return this.call('EapHostPeerSetResponseAttributes', async (h) =>
      actionName(EapHostPeerResponseAction,
        await binding.eapHostSetResponseAttributes({ session: h, attributes })));
  }

  getAuthStatus(): Promise<{ status: number; errorCode: number; reasonCode: number }> {
    return this.call('EapHostPeerGetAuthStatus', (h) =>
      binding.eapHostGetAuthStatus({ session: h, authParam: EapHostPeerAuthParams.AuthStatus }));
  }

  getAuthIdentity(): Promise<string> {
    return this.call('EapHostPeerGetAuthStatus', (h) =>
      binding.eapHostGetAuthStatus({ session: h, authParam: EapHostPeerAuthParams.Identity }));
  }

  /** Ends the session (EapHostPeerEndSession), zero-filling the keys its results exposed.
   *  Safe to call twice; later calls do nothing. A session dropped without it has its keys
   *  zero-filled only when the garbage collector gets to it, if ever: end every session. */
  endSession(): Promise<void> {
    return this.finish();
  }

  protected released(): void {
    forgetListening(this.#token);
  }
}

/** What a session's beginning made that may hold secrets: the profile's blobs, and connection
 *  data made from the TLS options (a private key, perhaps; the caller's own Buffer is left alone). */
function wipeMade(profile: SessionProfile | undefined, connectionData: Buffer | undefined, options: BeginSessionOptions): void {
  profile?.wipe();
  if (connectionData !== options.connectionData) connectionData?.fill(0);
}

/** What a native call that began a session settles with (its handle absent: already ended). */
type Begun = Omit<NativeEapHostSession, 'handle'> & { handle?: NativeHandle };

/** A session's beginning, checked and made up to the native call (EapHost.prepareBegin): the
 *  native call's `begin` object, and what makes the facade's session of what it began. */
export class PreparedBegin {
  /** The identity given, when one was. */
  readonly identity: string | undefined;
  private wiped = false;

  constructor(private readonly host: EapHost, private readonly given: BeginSessionOptions,
              private readonly profile: SessionProfile | undefined, readonly begin: EapHostPeerBeginSessionArgs,
              private readonly methodType: EapMethodTypeInfo, private readonly builtinType: boolean) {
    this.identity = (profile ? profile.options : given).identity;
  }

  /** The facade's session of what the native call began; its handle absent: already ended. */
  adopt(begun: Begun): EapHostSession {
    const { host, given, profile } = this;
    // The session's own copy of a shipped method's type, which the method table shares.
    const shared = this.methodType;
    const methodType = this.builtinType
      ? { type: shared.type, vendorId: shared.vendorId, vendorType: shared.vendorType, authorId: shared.authorId }
      : shared;
    const connectionId = begun.connectionId ?? this.begin.extras?.connectionId as string;
    const session = adopt(begun.handle, (h) => newSession(h, begun.sessionId, connectionId, methodType,
      begun.notificationToken, this.identity));
    // Only Windows' own methods ask for UI: elsewhere the password is not kept in JS at all.
    if (host.backend === 'windows' && begun.handle !== undefined) {
      rememberCredentials(session, host, profile ? profile.credentials : given, (buffers) => session[holdUntilEnd](buffers));
    }
    return session;
  }

  /** The beginning with the credentials to make the user blob of natively, when there are: then
   *  no user data of the caller's goes. */
  withCredentials(credentials: NativeCredentials | undefined): this {
    if (credentials) {
      const begin = this.begin;
      begin.userData = undefined;
      begin.credentialMethod = credentials.method;
      begin.identity = credentials.identity;
      begin.password = credentials.password;
    }
    return this;
  }

  /** What the beginning made that may hold secrets, zero-filled once the call has its copy. */
  wipe(): void {
    if (this.wiped) return;
    this.wiped = true;
    const { given, profile } = this;
    wipeMade(profile, this.begin.extras?.connectionData, profile ? profile.options : given);
  }
}

/** A beginning whose credentials are checked once the method's module is loaded (its first
 *  session). */
function credentialsLater(beginning: PreparedBegin, checked: Promise<NativeCredentials>): Promise<PreparedBegin> {
  return checked.then((credentials) => beginning.withCredentials(credentials), (error: unknown) => {
    beginning.wipe();
    throw error;
  });
}

let newHost: (handle: NativeHandle, backend: EapHostBackend) => EapHost;

/** How many session bases (EapHost's #bases) one EAPHost keeps, each found by a look along them:
 *  every shipped method with its usual flags; a caller that varies flags or packet size past it
 *  makes a base a session. */
const BASES_KEPT = 16;

export class EapHost extends NativeObject {
  #warnedWeakTrust = false;
  /** The bases its sessions begin from (SessionBase), by method type, flags and packet size: the
   *  addon reads each once and keeps what it read with it, so a beginning reads one field of them.
   *  Never changed once made; at most BASES_KEPT, past which a beginning gets one of its own. */
  readonly #bases: SessionBase[] = [];

  static {
    newHost = (handle, backend) => new EapHost(handle, backend);
  }

  private constructor(handle: NativeHandle, readonly backend: EapHostBackend) {
    super(handle, 'EAPHost', false, { call: 'close', state: 'Closed' });
  }

  /** Installed methods: EapHostPeerGetMethods (the registry on Windows, the manifest elsewhere). */
  getMethods(): Promise<EapMethodInfo[]> {
    return this.call('EapHostPeerGetMethods', (h) => binding.eapHostGetMethods({ host: h }));
  }

  /** Not an async function: every session begins here, and a beginning whose checks need no
   *  turn of the event loop reaches the native call without one. */
  beginSession(options: BeginSessionOptions): Promise<EapHostSession> {
    try {
      const prepared = this[prepareBegin](options);
      return prepared instanceof Promise ? prepared.then((begin) => this[beginPrepared](begin)) : this[beginPrepared](prepared);
    } catch (error) {
      return Promise.reject(error);
    }
  }

  /** @internal beginSession() from its checked beginning, which it wipes once the native call has its copy. */
  [beginPrepared](prepared: PreparedBegin): Promise<EapHostSession> {
    let begun: Promise<NativeEapHostSession>;
    try {
      begun = this.call('EapHostPeerBeginSession', () => binding.eapHostBeginSession(prepared.begin));
    } finally {
      prepared.wipe();
    }
    return begun.then((session) => prepared.adopt(session));
  }

  /** @internal beginSession's checks and making, up to the native call; `wipe()` once the call is made. */
  [prepareBegin](options: BeginSessionOptions): PreparedBegin | Promise<PreparedBegin> {
    if (typeof options !== 'object' || options === null) throw new TypeError('options must be an object');
    // configXml, and Windows' own methods on the windows backend: blobs made by the configuration
    // API. A session that needs neither skips the profile's turn.
    if (!needsSessionProfile(this, options)) return this.#prepareFrom(options, undefined);
    return sessionProfile(this, options).then((profile) => this.#prepareFrom(options, profile));
  }

  /** prepareBegin() once the profile (if any) is made; a promise only until the method's module
   *  is loaded, so a session can begin in the call that asks for it. */
  #prepareFrom(given: BeginSessionOptions, profile: SessionProfile | undefined): PreparedBegin | Promise<PreparedBegin> {
    const options = profile ? profile.options : given;
    let connectionData: Buffer | undefined;
    try {
      // A shipped method's type is its table's, shared: copied only for a session that is made of it.
      const builtinType = typeof options.method === 'string';
      const methodType = builtinType ? resolveMethod(options.method as string).methodType : checkMethodType(options.method);
      let flags = checkUint32(options.flags, 'flags', 0);
      if (options.machineAuth !== undefined && typeof options.machineAuth !== 'boolean') {
        throw new TypeError('machineAuth must be a boolean');
      }
      if (options.machineAuth) flags |= EapFlags.MACHINE_AUTH;
      // Credentials we pass must win over the method's own (Windows' MSCHAPv2 would otherwise use
      // the logged-on user's): BeginSession's page documents EAP_FLAG_PREFER_ALT_CREDENTIALS.
      if (options.identity !== undefined || options.password !== undefined || options.userData !== undefined || profile) {
        flags |= EapFlags.PREFER_ALT_CREDENTIALS;
      }
      flags >>>= 0;
      const maxSendPacketSize = checkUint32(options.maxSendPacketSize, 'maxSendPacketSize', 1400);
      // No array made when none are given.
      const attributes = options.attributes === undefined ? undefined : checkAttributes(options.attributes);
      if (options.userData !== undefined) checkBuffer(options.userData, 'userData');
      if (options.connectionData !== undefined) checkBuffer(options.connectionData, 'connectionData');
      // None given: the native call makes one (a version-4 GUID, random once per process, then
      // counted), as a string only for a session that reaches JS.
      const connectionId = options.connectionId;
      if (connectionId !== undefined) {
        if (typeof connectionId !== 'string') throw new TypeError('connectionId must be a GUID string');
        checkText(connectionId, 'connectionId');
      }
      // Checked (and the blob made) before anything native runs: a TLS peer with no trust refuses here.
      connectionData = tlsConnectionData(options);
      // Weak trust is allowed, never silent: once per EAPHost, with a code a program can filter on.
      const weakTrust = insecureTrustWarnings(options);
      if (weakTrust.length > 0 && !this.#warnedWeakTrust) {
        this.#warnedWeakTrust = true;
        for (const message of weakTrust) process.emitWarning(message, { code: INSECURE_WARNING_CODE, type: 'SecurityWarning' });
      }
      // A profile's blobs are the user data itself: no credentials to make natively. Once the
      // method's module is loaded they are checked without a turn of the event loop.
      const checked = profile ? undefined : credentialsFor(options, methodType);
      const withAttributes = attributes !== undefined && attributes.length > 0;
      const beginning = new PreparedBegin(this, given, profile, {
        base: this.#baseFor(methodType, flags, maxSendPacketSize),
        extras: withAttributes || connectionData !== undefined || connectionId !== undefined
          ? { attributes: withAttributes ? attributes : undefined, connectionData, connectionId } : undefined,
        // Every field withCredentials() may set is made here: setting them then adds no property.
        credentialMethod: undefined, identity: undefined, password: undefined,
        userData: options.userData,
      }, methodType, builtinType);
      if (!(checked instanceof Promise)) return beginning.withCredentials(checked);
      return credentialsLater(beginning, checked);
    } catch (error) {
      wipeMade(profile, connectionData, options);
      throw error;
    }
  }

  /** The base a session of `methodType` with these flags and packet size begins from. Found by
   *  comparing numbers, not by a key made of them: a beginning allocates nothing to find it. */
  #baseFor(methodType: EapMethodTypeInfo, flags: number, maxSendPacketSize: number): SessionBase {
    const bases = this.#bases;
    for (let i = 0; i < bases.length; i++) {
      const base = bases[i];
      const kept = base.methodType;
      if (kept.type === methodType.type && kept.vendorId === methodType.vendorId && kept.vendorType === methodType.vendorType &&
          kept.authorId === methodType.authorId && base.flags === flags && base.maxSendPacketSize === maxSendPacketSize) {
        return base;
      }
    }
    const base: SessionBase = {
      host: this.handle,
      methodType: { type: methodType.type, vendorId: methodType.vendorId, vendorType: methodType.vendorType,
        authorId: methodType.authorId },
      flags, maxSendPacketSize,
    };
    if (bases.length < BASES_KEPT) bases.push(base);
    return base;
  }

  getIdentity(options: { method: BeginSessionOptions['method']; flags?: number; connectionData?: Buffer;
    userData?: Buffer }): Promise<{ invokeUI: boolean; userData: Buffer; identity: string }> {
    const methodType = methodTypeOf(options?.method);
    const flags = checkUint32(options.flags, 'flags', 0);
    return this.call('EapHostPeerGetIdentity', (h) =>
      binding.eapHostGetIdentity({ host: h, methodType, flags, connectionData: options.connectionData,
        userData: options.userData }));
  }

  clearConnection(connectionId: string): Promise<void> {
    if (typeof connectionId !== 'string') throw new TypeError('connectionId must be a GUID string');
    return this.call('EapHostPeerClearConnection', (h) =>
      binding.eapHostClearConnection({ host: h, connectionId }));
  }

  // ---- configuration API (eappcfg.dll; configuration-api.ts): no session or Initialize needed ----

  /** EapHostPeerConfigXml2Blob: an EapHostConfig document to the method's configuration blob. */
  configXml2Blob(xml: string, flags?: number): Promise<{ methodType: EapMethodTypeInfo; config: Buffer }> {
    return this.call('EapHostPeerConfigXml2Blob', (h) => eapConfig.configXml2Blob(h, xml, flags));
  }

  /** EapHostPeerConfigBlob2Xml: a configuration blob to its EapHostConfig document. */
  configBlob2Xml(methodType: EapMethodTypeInfo, config: Buffer, flags?: number): Promise<string> {
    return this.call('EapHostPeerConfigBlob2Xml', (h) => eapConfig.configBlob2Xml(h, methodType, config, flags));
  }

  /** EapHostPeerCredentialsXml2Blob: an EapHostUserCredentials document to the user blob. */
  credentialsXml2Blob(xml: string, config: Buffer, flags?: number):
  Promise<{ methodType: EapMethodTypeInfo; credentials: Buffer }> {
    return this.call('EapHostPeerCredentialsXml2Blob', (h) => eapConfig.credentialsXml2Blob(h, xml, config, flags));
  }

  queryCredentialInputFields(methodType: EapMethodTypeInfo, config: Buffer, flags?: number): Promise<EapConfigInputField[]> {
    return this.call('EapHostPeerQueryCredentialInputFields', (h) => eapConfig.queryCredentialInputFields(h, methodType, config, flags));
  }

  queryUserBlobFromCredentialInputFields(methodType: EapMethodTypeInfo, config: Buffer, fields: EapConfigInputField[],
    flags?: number): Promise<Buffer> {
    return this.call('EapHostPeerQueryUserBlobFromCredentialInputFields', (h) => eapConfig.queryUserBlobFromCredentialInputFields(h, methodType, config, fields, flags));
  }

  queryInteractiveUIInputFields(uiContext: Buffer, flags?: number): Promise<EapInteractiveUiData> {
    return this.call('EapHostPeerQueryInteractiveUIInputFields', (h) => eapConfig.queryInteractiveUIInputFields(h, uiContext, flags));
  }

  queryUIBlobFromInteractiveUIInputFields(uiContext: Buffer, data: EapInteractiveUiData, flags?: number): Promise<Buffer> {
    return this.call('EapHostPeerQueryUIBlobFromInteractiveUIInputFields', (h) => eapConfig.queryUIBlobFromInteractiveUIInputFields(h, uiContext, data, flags));
  }

  getMethodProperties(methodType: EapMethodTypeInfo, options?: { config?: Buffer; userData?: Buffer; flags?: number }):
  Promise<EapMethodProperty[]> {
    return this.call('EapHostPeerGetMethodProperties', (h) => eapConfig.getMethodProperties(h, methodType, options));
  }

  /** The three UI calls take BrowserWindow.getNativeWindowHandle() (or a bigint HWND). */
  invokeConfigUI(parentWindow: NativeWindowHandle, methodType: EapMethodTypeInfo, config?: Buffer): Promise<Buffer> {
    return this.call('EapHostPeerInvokeConfigUI', (h) => eapConfig.invokeConfigUI(h, parentWindow, methodType, config));
  }

  invokeIdentityUI(parentWindow: NativeWindowHandle, methodType: EapMethodTypeInfo, config?: Buffer, userData?: Buffer,
    flags?: number): Promise<{ identity: string; userData: Buffer }> {
    return this.call('EapHostPeerInvokeIdentityUI', (h) => eapConfig.invokeIdentityUI(h, parentWindow, methodType, config, userData, flags));
  }

  invokeInteractiveUI(parentWindow: NativeWindowHandle, uiContext: Buffer): Promise<Buffer> {
    return this.call('EapHostPeerInvokeInteractiveUI', (h) => eapConfig.invokeInteractiveUI(h, parentWindow, uiContext));
  }

  /** Uninitializes EAPHost (ending any session still open) and unloads it. */
  close(): Promise<void> {
    return this.finish();
  }
}

/**
 * On Windows the portable EAPHost is the stand-in eappprxy.dll, which a checkout builds for its
 * tests and no prebuild ships (a DLL of that name beside the addon could be taken for System32's).
 * Where it is absent the backend cannot work: refused here, with the way that does, before any
 * load fails with a bare error 126.
 */
function refuseMissingPortableHost(): void {
  if (process.platform !== 'win32' || existsSync(portableEapHostPath)) return;
  throw new EapError({
    win32Error: Win32.ERROR_MOD_NOT_FOUND, call: 'openEapHost', origin: 'host',
    rootCause: "the portable EAPHost is not part of eaphost's Windows package (no stand-in eappprxy.dll beside the addon): " +
      "use the windows backend (the default on Windows), where the shipped methods run once registered " +
      '(npx eaphost register --shipped, as an administrator)',
    repair: "use backend 'windows'; register the shipped methods with npx eaphost register --shipped",
  });
}

/** Opens EAPHost: Windows' own on win32, the portable one elsewhere (override with `backend`). */
export async function openEapHost(options: OpenEapHostOptions = {}): Promise<EapHost> {
  if (typeof options !== 'object' || options === null) throw new TypeError('options must be an object');
  const backend = options.backend ?? (process.platform === 'win32' ? 'windows' : 'portable');
  if (backend !== 'windows' && backend !== 'portable') throw new TypeError("backend must be 'windows' or 'portable'");
  if (options.libraryPath !== undefined) checkModulePath(options.libraryPath, 'libraryPath');
  if (backend === 'portable' && options.libraryPath === undefined) refuseMissingPortableHost();
  const handle = backend === 'windows'
    ? await binding.eapHostOpen({ backend: 'system' })
    : await binding.eapHostOpen({ backend: 'portable', libraryPath: options.libraryPath ?? portableEapHostPath });
  return adopt(handle, (h) => newHost(h, backend));
}
