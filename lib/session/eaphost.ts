/**
 * The EAPHost peer runtime (EapHostPeer*) as promise-based objects. The same code drives
 * Windows' eappprxy.dll (backend 'windows') and the portable EAPHost shipped with this package
 * (backend 'portable'); only the library behind the native function table differs.
 */
import { EapAttribute, checkAttributes } from '../core/attributes';
import { portableEapHostPath, resolveMethod } from './builtin';
import { INSECURE_WARNING_CODE, insecureTrustWarnings } from '../core/connection-data';
import {
  EapFlags, EapHostPeerAuthParams, EapHostPeerMethodResultReason, EapHostPeerResponseAction, ResponseAction, actionName,
} from '../core/constants';
import {
  EapConfigInputField, EapInteractiveUiData, EapMethodProperty, NativeWindowHandle, eapConfig,
} from './eap-config';
import { EapError, EapMethodTypeInfo } from '../core/errors';
import { checkBuffer, checkMethodType, checkModulePath, checkText, checkUint32 } from '../core/input-checks';
import { binding } from '../native';
import type {
  NativeAnswerOut, NativeAuthenticatorSettings, NativeAuthenticatorStep, NativeConverseOut, NativeEapHostSession, NativeHandle,
  NativeAuthenticateOut, NativeBeginArgs, NativeBeginConverseOut, NativeConversationMethods, NativeKnownAnswer,
  NativeWholeAuthentication,
} from '../native/contract';
import { Ending, NativeObject, adopt } from '../native/native-object';
import { PeerMethodResult } from './peer-method';
import { rememberCredentials } from '../profile/interactive-ui';
import { SessionProfile, needsSessionProfile, sessionProfile } from '../profile/session-config';
import { NativeCredentials, credentialsFor, tlsConnectionData } from './session-begin';
import type { BeginSessionOptions } from '../core/session-options';

export type { BeginSessionOptions } from '../core/session-options';

export type EapHostBackend = 'windows' | 'portable';

export interface OpenEapHostOptions {
  /** 'windows' (eappprxy.dll from System32; the default on win32) or 'portable' (elsewhere). */
  backend?: EapHostBackend;
  /** Portable backend only: the library to load (default: the one shipped beside the addon). */
  libraryPath?: string;
}

/** @internal What EapHostSession.converse() returns: the raw round trip, the action named. */
export type ConverseOutcome = Omit<NativeConverseOut, 'action'> & { action: ResponseAction };

// The facade's name of each EapHostPeerResponseAction code, by code: read on every hop.
const RESPONSE_ACTION_NAMES: ResponseAction[] = [];
for (const name of Object.keys(EapHostPeerResponseAction) as ResponseAction[]) {
  RESPONSE_ACTION_NAMES[EapHostPeerResponseAction[name]] = name;
}

/** @internal The facade's name of an EapHostPeerResponseAction code. */
export function responseActionName(code: number): ResponseAction {
  return RESPONSE_ACTION_NAMES[code] ?? actionName(EapHostPeerResponseAction, code);
}

/** The hop's outcome with its action named, in place (the raw object is nobody else's). */
function actionNamed(out: NativeConverseOut): ConverseOutcome {
  const named = out as unknown as ConverseOutcome;
  named.action = responseActionName(out.action);
  return named;
}

/** @internal eapHostBeginConverse's parts, the rounds ahead with their action named. */
export function partsNamed(parts: NativeBeginConverseOut): [NativeAuthenticatorStep, NativeHandle, ConverseOutcome | undefined] {
  return withAheadNamed<[NativeAuthenticatorStep, NativeHandle]>(parts);
}

/** A hop's parts, the rounds ahead (its last part) with their action named. */
function withAheadNamed<T extends unknown[]>(parts: [...T, NativeConverseOut | undefined]): [...T, ConverseOutcome | undefined] {
  const ahead = parts[parts.length - 1] as NativeConverseOut | undefined;
  if (ahead) actionNamed(ahead);
  return parts as unknown as [...T, ConverseOutcome | undefined];
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
}

// Only sessions with 'notification' listeners are reachable from here, and only until they
// end: a session nobody listens to stays collectable (WeakRef/FinalizationRegistry would keep
// every session's native handle alive far longer than needed).
const listeningSessions = new Map<number, EapHostSession>();
/** @internal What the addon calls with each EAPHost notification it hands JS. */
export function dispatchNotification(token: number, connectionId: string): void {
  listeningSessions.get(token)?.emit('notification', { connectionId });
}
binding.configure({ notificationDispatcher: dispatchNotification });

function methodTypeOf(method: BeginSessionOptions['method']): EapMethodTypeInfo {
  if (typeof method === 'string') return { ...resolveMethod(method).methodType };
  return checkMethodType(method);
}

// A session dropped without endSession() still zero-fills the keys its results exposed once it is
// collected. Collection may come late or never (process exit): ending the session is the
// reliable way. The registry holds only the array of key Buffers, never the session; a session
// is registered when it first holds a key, so one that never does costs the registry nothing.
const keysOfCollectedSessions = new FinalizationRegistry<Buffer[]>((buffers) => {
  for (const buffer of buffers.splice(0)) buffer.fill(0);
});

// One for every session: the end call releases the handle in the same host-thread job.
const SESSION_ENDING: Ending = {
  call: 'EapHostPeerEndSession', state: 'Ended', end: (h) => binding.eapHostSessionCall({ session: h, call: 'endSession' }),
  endReleases: true,
};

// Shared by every session (EventEmitter calls a listener with the emitter as `this`): a session
// costs no closures for tracking its 'notification' listeners.
function noticeListener(this: EapHostSession, event: string | symbol): void {
  if (event !== 'notification') return;
  listeningSessions.set(this.notificationToken, this);
  if (listeningSessions.size === 1) binding.configure({ notificationsHeard: true });
}
function forgetListener(this: EapHostSession, event: string | symbol): void {
  if (event === 'notification' && this.listenerCount('notification') === 0) forgetListening(this.notificationToken);
}
/** The addon hands JS EAPHost's notifications only while some session listens for them. */
function forgetListening(token: number): void {
  if (listeningSessions.delete(token) && listeningSessions.size === 0) binding.configure({ notificationsHeard: false });
}

export class EapHostSession extends NativeObject {
  private readonly secrets: Buffer[] = [];
  /** @internal The addon's token for this session's notifications. */
  readonly notificationToken: number;

  /** @internal */
  constructor(handle: NativeHandle | undefined, readonly sessionId: number, readonly connectionId: string,
              readonly methodType: EapMethodTypeInfo, token: number,
              /** The identity given to beginSession, when one was. */ readonly identity?: string) {
    super(handle, 'EAPHost session', true, SESSION_ENDING);
    this.notificationToken = token;
    this.on('newListener', noticeListener);
    this.on('removeListener', forgetListener);
  }

  get ended(): boolean {
    return this.gate.closed;
  }

  processReceivedPacket(packet: Buffer): Promise<ResponseAction> {
    checkBuffer(packet, 'packet');
    return this.call('EapHostPeerProcessReceivedPacket', async (h) =>
      actionName(EapHostPeerResponseAction,
        await binding.eapHostSessionCall({ session: h, call: 'processReceivedPacket', packet })));
  }

  /** @internal ProcessReceivedPacket, then GetSendPacket when the action is 'send', in one native hop. */
  exchange(packet: Buffer): Promise<{ action: ResponseAction; packet?: Buffer }> {
    checkBuffer(packet, 'packet');
    return this.call('EapHostPeerProcessReceivedPacket', async (h) => {
      const out = await binding.eapHostExchange(h, packet);
      return { action: responseActionName(out.action), packet: out.packet };
    });
  }

  /** @internal Whether a call could start now: not ended, and none in progress. */
  get ready(): boolean {
    return !this.gate.closed && this.gate.idle;
  }

  /** @internal The embedded authenticator's SetAttributes with the user store's answer, and the
   *  peer's processing of the outcome when that makes one, in one native hop (InProcessPairing);
   *  when it makes a request instead, up to `rounds` of the peer's rounds from it on (the second part). */
  answerFor(conversation: NativeHandle, attributes: EapAttribute[], rounds = 0, keepPackets = true):
    Promise<[NativeAnswerOut, ConverseOutcome | undefined]> {
    // The rounds ahead are calls on this session: they pass its gate, when it is free.
    const answer = rounds > 0 && this.ready
      ? this.call('EapHostPeerProcessReceivedPacket', (h) => binding.eapHostAnswer(conversation, h, attributes, rounds, keepPackets))
      : binding.eapHostAnswer(conversation, this.handle, attributes, 0, keepPackets);
    return answer.then((parts) => withAheadNamed<[NativeAnswerOut]>(parts));
  }

  /** @internal Up to `rounds` round trips against the embedded authenticator's `conversation` in
   *  one native hop (InProcessPairing): the peer's exchange, the authenticator's step (its next
   *  request going straight back to the peer while rounds remain), and the peer's processing of
   *  the outcome when that step is one. Without `keepPackets` the rounds passed are only counted. */
  converse(conversation: NativeHandle, packet: Buffer, rounds = 1, keepPackets = true): Promise<ConverseOutcome> {
    return this.call('EapHostPeerProcessReceivedPacket', (h) =>
      binding.eapHostConverse(h, conversation, packet, rounds, keepPackets).then(actionNamed));
  }

  /** @internal The embedded authenticator's start (as authenticatorStart) and, when its first step
   *  is a request, up to `rounds` of the peer's rounds from it on, in one native hop: [step, handle, ahead];
   *  the method's questions `knownAnswer` covers are answered on the way. */
  beginConverse(methods: NativeConversationMethods, settings: NativeAuthenticatorSettings, identityResponse: Buffer | undefined,
                rounds: number, keepPackets: boolean, knownAnswer?: NativeKnownAnswer):
    Promise<[NativeAuthenticatorStep, NativeHandle, ConverseOutcome | undefined]> {
    return this.call('EapHostPeerProcessReceivedPacket', (h) =>
      binding.eapHostBeginConverse(h, methods, settings, identityResponse, rounds, keepPackets, knownAnswer)
        .then((parts) => withAheadNamed<[NativeAuthenticatorStep, NativeHandle]>(parts)));
  }

  /** @internal beginConverse() with a known answer and nobody looking at the packets: when the
   *  peer processed the conversation's outcome into its result in the same job, the summary
   *  authenticate() makes its result of (the session goes on); otherwise beginConverse()'s parts,
   *  raw (partsNamed() names them), so that the whole path costs no reaction of its own here. */
  converseWhole(methods: NativeConversationMethods, settings: NativeAuthenticatorSettings, rounds: number,
                knownAnswer: NativeKnownAnswer): Promise<NativeBeginConverseOut | NativeWholeAuthentication> {
    // The answer's parts as arguments, which the addon reads for nothing (every table record
    // makes at most two rules: a password's and an NT hash's).
    const rules = knownAnswer[1];
    const first = rules[0];
    const second = rules[1];
    return this.call('EapHostPeerProcessReceivedPacket', (h) => rules.length > 2
      ? binding.eapHostConverseWhole(h, methods, settings, undefined, rounds, false, knownAnswer)
      : binding.eapHostConverseWhole(h, methods, settings, undefined, rounds, false, knownAnswer[0],
        first?.[0], first?.[1], first?.[2], first?.[3], second?.[0], second?.[1], second?.[2], second?.[3]));
  }

  /** @internal The outcome a transport delivered (EAP-Success/Failure): ProcessReceivedPacket,
   *  then GetResult('fromMethod') when the action is 'result', in one native hop. */
  conclude(packet: Buffer): Promise<{ action: ResponseAction; result?: EapHostResult }> {
    checkBuffer(packet, 'packet');
    return this.call('EapHostPeerProcessReceivedPacket', async (h) => {
      const out = await binding.eapHostConclude(h, packet);
      if (out.result) this.holdSecrets(out.result.attributes.map((attribute) => attribute.value));
      return { action: responseActionName(out.action), result: out.result };
    });
  }

  getSendPacket(): Promise<Buffer> {
    return this.call('EapHostPeerGetSendPacket', (h) => binding.eapHostSessionCall({ session: h, call: 'getSendPacket' }));
  }

  getResult(reason: 'fromMethod' | 'altSuccessReceived' | 'timeout' = 'fromMethod'): Promise<EapHostResult> {
    const code = {
      fromMethod: EapHostPeerMethodResultReason.FromMethod,
      altSuccessReceived: EapHostPeerMethodResultReason.AltSuccessReceived,
      timeout: EapHostPeerMethodResultReason.Timeout,
    }[reason];
    if (code === undefined) throw new TypeError("reason must be 'fromMethod', 'altSuccessReceived' or 'timeout'");
    return this.call('EapHostPeerGetResult', async (h) => {
      const result: EapHostResult = await binding.eapHostSessionCall({ session: h, call: 'getResult', reason: code });
      // Result attributes may carry the MSK and EMSK: they live as long as the session.
      this.holdSecrets(result.attributes.map((attribute) => attribute.value));
      return result;
    });
  }

  getUIContext(): Promise<Buffer> {
    return this.call('EapHostPeerGetUIContext', (h) => binding.eapHostSessionCall({ session: h, call: 'getUIContext' }));
  }

  setUIContext(context: Buffer): Promise<ResponseAction> {
    checkBuffer(context, 'context');
    return this.call('EapHostPeerSetUIContext', async (h) =>
      actionName(EapHostPeerResponseAction, await binding.eapHostSessionCall({ session: h, call: 'setUIContext', context })));
  }

  getResponseAttributes(): Promise<EapAttribute[]> {
    return this.call('EapHostPeerGetResponseAttributes', (h) =>
      binding.eapHostSessionCall({ session: h, call: 'getResponseAttributes' }));
  }

  setResponseAttributes(attributes: EapAttribute[]): Promise<ResponseAction> {
    checkAttributes(attributes);
    return this.call('EapHostPeerSetResponseAttributes', async (h) =>
      actionName(EapHostPeerResponseAction,
        await binding.eapHostSessionCall({ session: h, call: 'setResponseAttributes', attributes })));
  }

  getAuthStatus(): Promise<{ status: number; errorCode: number; reasonCode: number }> {
    return this.call('EapHostPeerGetAuthStatus', (h) =>
      binding.eapHostSessionCall({ session: h, call: 'getAuthStatus', authParam: EapHostPeerAuthParams.AuthStatus }));
  }

  getAuthIdentity(): Promise<string> {
    return this.call('EapHostPeerGetAuthStatus', (h) =>
      binding.eapHostSessionCall({ session: h, call: 'getAuthStatus', authParam: EapHostPeerAuthParams.Identity }));
  }

  /** @internal Key material handed out for this session: zero-filled when the session ends. */
  holdSecrets(buffers: Buffer[]): void {
    if (this.gate.closed) {
      for (const buffer of buffers) buffer.fill(0);
      return;
    }
    if (buffers.length === 0) return;
    const secrets = this.secrets;
    if (secrets.length === 0) keysOfCollectedSessions.register(this, secrets, this);
    // One by one: a spread would copy them into an arguments array first.
    for (let i = 0; i < buffers.length; i++) secrets.push(buffers[i]);
  }

  /** Ends the session (EapHostPeerEndSession), zero-filling the keys its results exposed.
   *  Safe to call twice; later calls do nothing. A session dropped without it has its keys
   *  zero-filled only when the garbage collector gets to it, if ever: end every session. */
  endSession(): Promise<void> {
    return this.finish();
  }

  protected beforeEnd(): void {
    const secrets = this.secrets;
    if (secrets.length === 0) return;
    keysOfCollectedSessions.unregister(this);
    for (let i = 0; i < secrets.length; i++) secrets[i].fill(0);
    secrets.length = 0;
  }

  protected released(): void {
    forgetListening(this.notificationToken);
  }
}

/** What a session's beginning made that may hold secrets: the profile's blobs, and connection
 *  data made from the TLS options (a private key, perhaps; the caller's own Buffer is left alone). */
function wipeMade(profile: SessionProfile | undefined, connectionData: Buffer | undefined, options: BeginSessionOptions): void {
  profile?.wipe();
  if (connectionData !== options.connectionData) connectionData?.fill(0);
}

/** What a native call that began a session settles with (its handle undefined: already ended). */
type Begun = Omit<NativeEapHostSession, 'handle'> & { handle: NativeHandle | undefined };

/** @internal A session's beginning, checked and made up to the native call (EapHost.prepareBegin). */
export interface PreparedBegin {
  /** The identity given, when one was. */
  readonly identity: string | undefined;
  /** eapHostBeginSession's argument after the EAPHost handle. */
  readonly args: NativeBeginArgs;
  /** The facade's session of what the native call began; its handle undefined: already ended. */
  adopt(begun: Begun): EapHostSession;
  /** What the beginning made that may hold secrets, zero-filled once the call has its copy. */
  wipe(): void;
}

/** A session's beginning as EapHost.prepareFrom() makes it: its parts are fields of one object, not
 *  closures over prepareFrom()'s variables, which cost a context and a function each for every
 *  session. */
class SessionBeginning implements PreparedBegin {
  readonly identity: string | undefined;
  private wiped = false;

  constructor(private readonly host: EapHost, private readonly given: BeginSessionOptions,
              private readonly profile: SessionProfile | undefined, readonly args: NativeBeginArgs,
              private readonly methodType: EapMethodTypeInfo, private readonly builtinType: boolean) {
    this.identity = (profile ? profile.options : given).identity;
  }

  adopt(begun: Begun): EapHostSession {
    const { host, given, profile } = this;
    // The session's own copy of a shipped method's type, which the method table shares: a literal
    // of the four fields, where a spread copy takes the engine's slow clone.
    const shared = this.methodType;
    const methodType = this.builtinType
      ? { type: shared.type, vendorId: shared.vendorId, vendorType: shared.vendorType, authorId: shared.authorId }
      : shared;
    const connectionId = begun.connectionId ?? this.args[9] as string;
    const session = adopt(begun.handle, (h) => new EapHostSession(h, begun.sessionId, connectionId, methodType,
      begun.notificationToken, this.identity));
    // Only Windows' own methods ask for UI: elsewhere the password is not kept in JS at all.
    if (host.backend === 'windows' && begun.handle !== undefined) {
      rememberCredentials(session, host, profile ? profile.credentials : given);
    }
    return session;
  }

  /** The beginning with the credentials to make the user blob of natively, when there are: then
   *  no user data of the caller's goes. */
  withCredentials(credentials: NativeCredentials | undefined): this {
    if (credentials) {
      const args = this.args;
      args[8] = undefined;
      args[10] = credentials.method;
      args[11] = credentials.identity;
      args[12] = credentials.password;
    }
    return this;
  }

  wipe(): void {
    if (this.wiped) return;
    this.wiped = true;
    const { given, profile } = this;
    wipeMade(profile, this.args[7], profile ? profile.options : given);
  }
}

/** A beginning whose credentials are checked once the method's module is loaded (its first
 *  session): apart from prepareFrom(), whose every other call would otherwise make the context
 *  these closures need. */
function credentialsLater(beginning: SessionBeginning, checked: Promise<NativeCredentials>): Promise<PreparedBegin> {
  return checked.then((credentials) => beginning.withCredentials(credentials), (error: unknown) => {
    beginning.wipe();
    throw error;
  });
}

/** @internal A session begun with a conversation's start, and the parts of the job that began them. */
export interface Conversing {
  session: EapHostSession;
  endError?: EapError;
  parts: [NativeAuthenticatorStep, NativeHandle, ConverseOutcome | undefined];
}

/** @internal The facade's session and parts of what a job that began a session with a conversation's start settled. */
export function conversingOf(begin: PreparedBegin, [begun, step, handle, ahead, endError]: NativeAuthenticateOut): Conversing {
  return { session: begin.adopt(begun), endError, parts: withAheadNamed<[NativeAuthenticatorStep, NativeHandle]>([step, handle, ahead]) };
}

/** eapHostInstanceCall's beginSession, named, from a prepared beginning's parts (which
 *  eapHostAuthenticate takes as they are). */
function beginSessionArgs(host: NativeHandle, [type, vendorId, vendorType, authorId, flags, maxSendPacketSize, attributes,
  connectionData, userData, connectionId, credentialMethod, identity, password]: NativeBeginArgs) {
  return { host, call: 'beginSession' as const, methodType: { type, vendorId, vendorType, authorId }, flags,
    maxSendPacketSize, attributes, connectionData, userData, connectionId, credentialMethod, identity, password };
}

export class EapHost extends NativeObject {
  private warnedWeakTrust = false;

  /** @internal */
  constructor(handle: NativeHandle, readonly backend: EapHostBackend) {
    super(handle, 'EAPHost', false, { call: 'close', state: 'Closed' });
  }

  /** Installed methods: EapHostPeerGetMethods (the registry on Windows, the manifest elsewhere). */
  getMethods(): Promise<EapMethodInfo[]> {
    return this.call('EapHostPeerGetMethods', (h) => binding.eapHostInstanceCall({ host: h, call: 'getMethods' }));
  }

  /** Not an async function: every session begins here, and a beginning whose checks need no
   *  turn of the event loop reaches the native call without one. */
  beginSession(options: BeginSessionOptions): Promise<EapHostSession> {
    try {
      const prepared = this.prepareBegin(options);
      return prepared instanceof Promise ? prepared.then((begin) => this.beginPrepared(begin)) : this.beginPrepared(prepared);
    } catch (error) {
      return Promise.reject(error);
    }
  }

  /** @internal beginSession() from its checked beginning (prepareBegin), which it wipes once the
   *  native call has its copy. */
  beginPrepared(begin: PreparedBegin): Promise<EapHostSession> {
    let begun: Promise<NativeEapHostSession>;
    try {
      begun = this.call('EapHostPeerBeginSession', (h) => binding.eapHostInstanceCall(beginSessionArgs(h, begin.args)));
    } finally {
      begin.wipe();
    }
    return begun.then((session) => begin.adopt(session));
  }

  /** @internal A session begun with `begin` and, in the same native job, the embedded
   *  authenticator's conversation started against it (as EapHostSession.beginConverse); with
   *  `endWhenConcluded`, the session ends in that job too once the peer has the outcome's result
   *  (the session then has no native side), EndSession's failure coming back as `endError`. */
  async beginConversing(begin: PreparedBegin, methods: NativeConversationMethods, settings: NativeAuthenticatorSettings,
                        identityResponse: Buffer | undefined, rounds: number, keepPackets: boolean,
                        knownAnswer: NativeKnownAnswer | undefined, endWhenConcluded: boolean): Promise<Conversing> {
    return conversingOf(begin, await this.call('EapHostPeerBeginSession', (h) =>
      binding.eapHostAuthenticate(h, begin.args, methods, settings, identityResponse, rounds, keepPackets,
        knownAnswer, endWhenConcluded)));
  }

  /** @internal beginConversing() with a known answer, nobody looking at the packets, the session
   *  ended once concluded: when the job concluded the authentication, its summary and nothing
   *  else (no session, no conversation handle, no step: what JS would only have taken apart);
   *  otherwise beginConversing()'s parts, raw (conversingOf()). */
  authenticateWhole(begin: PreparedBegin, methods: NativeConversationMethods, settings: NativeAuthenticatorSettings,
                    rounds: number, knownAnswer: NativeKnownAnswer): Promise<NativeAuthenticateOut | NativeWholeAuthentication> {
    return this.call('EapHostPeerBeginSession', (h) =>
      binding.eapHostAuthenticateWhole(h, begin.args, methods, settings, undefined, rounds, false, knownAnswer, true));
  }

  /** @internal beginSession's checks and making, up to the native call: its arguments, and what
   *  makes the facade's session of what it returns. `wipe()` once the call is made. */
  prepareBegin(options: BeginSessionOptions): PreparedBegin | Promise<PreparedBegin> {
    if (typeof options !== 'object' || options === null) throw new TypeError('options must be an object');
    // configXml, and Windows' own methods on the windows backend: blobs made by the configuration
    // API. A session that needs neither skips the profile's turn.
    if (!needsSessionProfile(this, options)) return this.prepareFrom(options, undefined);
    return sessionProfile(this, options).then((profile) => this.prepareFrom(options, profile));
  }

  /** prepareBegin() once the profile (if any) is made; a promise only until the method's module
   *  is loaded, so a session can begin in the call that asks for it. */
  private prepareFrom(given: BeginSessionOptions, profile: SessionProfile | undefined): PreparedBegin | Promise<PreparedBegin> {
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
      if (weakTrust.length > 0 && !this.warnedWeakTrust) {
        this.warnedWeakTrust = true;
        for (const message of weakTrust) process.emitWarning(message, { code: INSECURE_WARNING_CODE, type: 'SecurityWarning' });
      }
      // A profile's blobs are the user data itself: no credentials to make natively. Once the
      // method's module is loaded they are checked without a turn of the event loop.
      const checked = profile ? undefined : credentialsFor(options, methodType);
      const beginning = new SessionBeginning(this, given, profile, [methodType.type, methodType.vendorId,
        methodType.vendorType, methodType.authorId, flags, maxSendPacketSize,
        attributes && attributes.length > 0 ? attributes : undefined, connectionData, options.userData, connectionId,
        undefined, undefined, undefined], methodType, builtinType);
      if (!(checked instanceof Promise)) return beginning.withCredentials(checked);
      return credentialsLater(beginning, checked);
    } catch (error) {
      wipeMade(profile, connectionData, options);
      throw error;
    }
  }

  getIdentity(options: { method: BeginSessionOptions['method']; flags?: number; connectionData?: Buffer;
    userData?: Buffer }): Promise<{ invokeUI: boolean; userData: Buffer; identity: string }> {
    const methodType = methodTypeOf(options?.method);
    const flags = checkUint32(options.flags, 'flags', 0);
    return this.call('EapHostPeerGetIdentity', (h) =>
      binding.eapHostInstanceCall({ host: h, call: 'getIdentity', methodType, flags, connectionData: options.connectionData,
        userData: options.userData }));
  }

  clearConnection(connectionId: string): Promise<void> {
    if (typeof connectionId !== 'string') throw new TypeError('connectionId must be a GUID string');
    return this.call('EapHostPeerClearConnection', (h) =>
      binding.eapHostInstanceCall({ host: h, call: 'clearConnection', connectionId }));
  }

  // ---- configuration API (eappcfg.dll; eap-config.ts): no session or Initialize needed ----

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

/** Opens EAPHost: Windows' own on win32, the portable one elsewhere (override with `backend`). */
export async function openEapHost(options: OpenEapHostOptions = {}): Promise<EapHost> {
  if (typeof options !== 'object' || options === null) throw new TypeError('options must be an object');
  const backend = options.backend ?? (process.platform === 'win32' ? 'windows' : 'portable');
  if (backend !== 'windows' && backend !== 'portable') throw new TypeError("backend must be 'windows' or 'portable'");
  if (options.libraryPath !== undefined) checkModulePath(options.libraryPath, 'libraryPath');
  const handle = backend === 'windows'
    ? await binding.eapHostOpen({ backend: 'system' })
    : await binding.eapHostOpen({ backend: 'portable', libraryPath: options.libraryPath ?? portableEapHostPath });
  return adopt(handle, (h) => new EapHost(h, backend));
}
