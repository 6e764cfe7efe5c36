/**
 * The embedded EAP authenticator: the native authenticator host (Identity, method proposal,
 * Nak, Success/Failure framing, retransmission) over authenticator method modules, with a
 * user store in JS. Each conversation is an EapTransport, so `authenticate()` can run a peer
 * against it in-process, and the RADIUS server mode can put it behind RADIUS.
 */
import { bounded } from './abortable';
import { BuiltinMethodName, TlsMethodName, isTlsMethodName, resolveMethod } from './builtin';
import { Pem, Phase2Name, InnerMethodName, TlsVersion, authenticatorConnectionData } from './connection-data';
import { processEphemeralCa } from './ephemeral-ca';
import { EapAttributeType } from './constants';
import { abortError, stateError } from './errors';
import { checkBuffer, checkSignal } from './input-checks';
import { resumedOf } from './keys';
import { AuthenticatorMethod, loadAuthenticatorMethod } from './authenticator-method';
import type { EapAttribute } from './attributes';
import { CallGate, Ending, NativeObject, adopt, binding } from './native';
import type { NativeAuthenticatorSettings, NativeAuthenticatorStep, NativeHandle } from './native/contract';
import { EapTransport, TransportBeginOptions, TransportReply } from './transport';
import { UserRecord, UserStore, answerAttributeQuestions, checkUserRecord, toUserStore } from './users';

export type { UserRecord, UserStore } from './users';

export interface CreateAuthenticatorOptions {
  /** Methods to propose, most preferred first: shipped names or module paths. The first is
   *  proposed; a peer's Nak may choose any other in the list. Default ['md5']. */
  methods?: (BuiltinMethodName | { path: string })[];
  /** A UserStore, or a plain object { "<identity>": { password } | { ntHash } }. */
  users: UserStore | Record<string, UserRecord>;
  maxSendPacketSize?: number;
  /** How long to wait for a response before retransmitting (RFC 3748 §4.3). Default 3000. */
  retransmitTimeoutMs?: number;
  /** Retransmissions before giving up (RFC 4137 MaxRetrans). Default 4. */
  maxRetransmits?: number;
  /** TLS methods: the server certificate chain (PEM). Without cert and key the authenticator
   *  makes an ephemeral CA and server certificate for this process (see `trust`). */
  cert?: Pem;
  key?: Pem;
  keyPassword?: string;
  /** TLS methods: certificate and key as DER PKCS#12 (keyPassword is its password). */
  pkcs12?: Buffer;
  /** EAP-TLS: the CAs that issue client certificates (default with the ephemeral CA: that CA). */
  ca?: Pem;
  tls?: { min?: TlsVersion; max?: TlsVersion };
  /** PEAP (and TTLS with phase2 'eap'): the inner EAP method. Default 'mschapv2'. */
  innerMethod?: InnerMethodName;
  /** EAP-TTLS phase 2. */
  phase2?: Phase2Name;
  /** PEAP: require the peer's cryptobinding. */
  requireCryptoBinding?: boolean;
  /** EAP-TLS: accept client certificates with an RSA key under 2048 bits (refused by default). */
  allowWeakRsa?: boolean;
  /** TLS methods: seconds a TLS session stays resumable by the peer that made it (session
   *  cache and tickets, TLS 1.2 and 1.3; PEAP may then skip phase 2, see fastReconnect); 0 turns
   *  resumption off. Default 3600, at most 604800. */
  tlsSessionLifetime?: number;
  /** PEAP (MS-PEAP fast reconnect) and EAP-TTLS: a peer resuming a TLS 1.2 session whose phase 2
   *  succeeded skips phase 2, once the user store still answers for the identity phase 2
   *  authenticated with the same secret (a session whose phase 2 failed or never ended runs it
   *  in full; TLS 1.3 sessions always do). Default true, as Microsoft's profiles; false runs
   *  phase 2 on every resumption. */
  fastReconnect?: boolean;
  /** How long the user store may take to answer lookup() before the conversation fails. Default 30000. */
  lookupTimeoutMs?: number;
}

/** What a peer must trust to accept this authenticator's ephemeral server certificate. */
export interface AuthenticatorTrust {
  /** The ephemeral CA certificate, PEM. */
  ca: string;
  /** The name in the server certificate's SAN dNSName. */
  serverName: string;
}

type NativeStep = NativeAuthenticatorStep;

/** The native conversation behind an AuthenticatorConversation, from begin() on: the handle's
 *  lifecycle is NativeObject's. Ending it ends the native conversation unless its outcome
 *  already did (an outcome ends it natively in the same step), then releases the handle. */
class NativeConversation extends NativeObject {
  private readonly nativeEnding: Ending;

  constructor(handle: NativeHandle) {
    const ending: Ending = {
      call: 'close', state: 'Ended',
      end: (h) => binding.authenticatorEnd(h).then(() => undefined, () => undefined),
    };
    super(handle, 'conversation', false, ending);
    this.nativeEnding = ending;
  }

  /** @internal */
  get nativeHandle(): NativeHandle {
    return this.handle;
  }

  /** Ends it: natively only when no outcome did already (then only the handle is released). */
  end(outcomeReached: boolean): Promise<void> {
    if (outcomeReached) this.nativeEnding.end = undefined;
    return this.finish();
  }
}

/**
 * Native conversations alive in this process, and the most there were since freed memory was
 * last handed back. A flood of half-open TLS conversations grows the native heap by hundreds of
 * megabytes, and glibc keeps what they free for reuse; once their count falls to a quarter of
 * the peak, and again when none is left, the addon trims the heap after their releases.
 */
const heapReturn = { live: 0, peak: 0 };
const TRIM_QUARTER_ABOVE = 1024;
const TRIM_EMPTY_ABOVE = 64;

function nativeConversationOpened(): void {
  heapReturn.live++;
  if (heapReturn.live > heapReturn.peak) heapReturn.peak = heapReturn.live;
}

function nativeConversationReleased(): void {
  heapReturn.live--;
  const { live, peak } = heapReturn;
  if ((peak >= TRIM_QUARTER_ABOVE && live <= peak / 4) || (live === 0 && peak >= TRIM_EMPTY_ABOVE)) {
    heapReturn.peak = live;
    binding.trimHeap();
    // Once more a moment later: other threads that share the host thread's arena (the
    // engine's own workers) free their part of the burst's memory after it.
    setTimeout(() => binding.trimHeap(), 1000).unref();
  }
}

/** How the respond step hands the user store's answer to the native side: alone, or (an
 *  in-process pairing) with the peer's processing of the outcome in the same hop. */
export type AnswerStep = (conversation: NativeHandle, attributes: EapAttribute[]) => Promise<NativeStep>;

const answerAlone: AnswerStep = (conversation, attributes) => binding.authenticatorSetAttributes(conversation, attributes);

/** How begin() starts the native conversation: alone, or (an in-process pairing) with the
 *  peer's first rounds in the same hop. Resolves with the first step and the handle. */
export type StartStep = (methods: NativeHandle[], settings: NativeAuthenticatorSettings, identityResponse?: Buffer)
  => Promise<[NativeStep, NativeHandle]>;

const startAlone: StartStep = (methods, settings, identityResponse) =>
  binding.authenticatorStart(methods, settings, identityResponse).then((started) => [started, started.handle]);

/** One authentication, from the authenticator's side. */
export class AuthenticatorConversation implements EapTransport {
  /** Undefined before begin(), null once closed. */
  private native: NativeConversation | null | undefined;
  private finished = false;
  // One call at a time, as on every session: the gate refuses an overlapping one.
  private readonly gate = new CallGate('conversation', true);
  /** The method the authenticator settled on (EAP type), once known. */
  methodType = 0;
  /** The peer's identity, once known. */
  identity = '';

  /** @internal */
  constructor(private readonly owner: Authenticator) {}

  begin(options: TransportBeginOptions = {}): Promise<TransportReply> {
    return this.beginWith(options, startAlone);
  }

  /** @internal Begins as begin() does, the native conversation started by `start`. */
  async beginWith(options: TransportBeginOptions, start: StartStep): Promise<TransportReply> {
    if (this.native !== undefined) throw stateError('begin', 'Started', 'the conversation has already begun');
    if (options.identityResponse !== undefined) checkBuffer(options.identityResponse, 'identityResponse');
    const signal = checkSignal(options.signal);
    return this.step('begin', signal, async () => {
      const [started, handle] = await start(this.owner.methodHandles(), this.owner.settings, options.identityResponse);
      this.native = adopt(handle, (h) => new NativeConversation(h));
      nativeConversationOpened();
      return started;
    });
  }

  respond(response: Buffer, options: { signal?: AbortSignal } = {}): Promise<TransportReply> {
    checkBuffer(response, 'response');
    const signal = checkSignal(options.signal);
    if (this.native === undefined) return Promise.reject(stateError('respond', 'Created', 'call begin() first'));
    return this.step('respond', signal, () => binding.authenticatorReceive(this.handle(), response));
  }

  /** The peer discarded the last request: after the retransmission timeout, resend it (or fail
   *  once MaxRetrans is reached), as RFC 3748 §4.3 has the authenticator do. */
  retransmission(options: { signal?: AbortSignal } = {}): Promise<TransportReply> {
    const signal = checkSignal(options.signal);
    if (this.native === undefined) return Promise.reject(stateError('retransmission', 'Created', 'call begin() first'));
    return this.step('retransmission', signal, async () => {
      await delay(this.owner.settings.retransmitTimeoutMs, signal);
      return binding.authenticatorTimeout(this.handle());
    });
  }

  /** The retransmission timer fired: resend the last request, or fail once MaxRetrans is reached. */
  retransmit(): Promise<TransportReply> {
    if (this.native === undefined) return Promise.reject(stateError('retransmit', 'Created', 'call begin() first'));
    return this.step('retransmit', undefined, () => binding.authenticatorTimeout(this.handle()));
  }

  /** @internal Closed already: close() has nothing left to do. */
  get closed(): boolean {
    return this.native === null;
  }

  /** @internal The handle an in-process pairing may hand to the native round trip, when the
   *  conversation can take a response now (begun, not finished, no call in progress). */
  get readyHandle(): NativeHandle | undefined {
    return this.native && !this.finished && this.gate.idle ? this.native.nativeHandle : undefined;
  }

  /** @internal Continues as respond() would, from the step the native round trip already took
   *  with the peer's response (or its error); `answer` hands the user store's answers on. */
  continueFrom(taken: { step?: NativeStep; stepError?: Error }, signal: AbortSignal | undefined,
               answer: AnswerStep): Promise<TransportReply> {
    if (taken.stepError || !taken.step) {
      return this.step('respond', checkSignal(signal), () => Promise.reject(taken.stepError), answer);
    }
    return this.step('respond', checkSignal(signal), taken.step, answer);
  }

  async close(): Promise<void> {
    const native = this.native;
    if (native === undefined || native === null) return;
    this.native = null;
    const concluded = this.finished;
    this.finished = true;
    try {
      await native.end(concluded);
    } finally {
      // The handle is released (posted to the host thread) by now, so a trim follows it.
      nativeConversationReleased();
    }
  }

  private handle(): NativeHandle {
    if (!this.native) throw stateError('respond', 'Ended', 'the conversation has ended');
    return this.native.nativeHandle;
  }

  /** `first`: the native call that makes the first step, or the step a hop already took. */
  private step(call: string, signal: AbortSignal | undefined, first: (() => Promise<NativeStep>) | NativeStep,
               answerWith: AnswerStep = answerAlone): Promise<TransportReply> {
    if (this.finished) return Promise.reject(stateError(call, 'Ended', 'the conversation has ended'));
    return this.gate.run(call, async () => {
      let step = typeof first === 'function' ? await first() : first;
      for (;;) {
        if (signal?.aborted) {
          await this.close();
          throw abortError(call);
        }
        if (step.methodType) this.methodType = step.methodType;
        if (step.identity) this.identity = step.identity;
        switch (step.kind) {
          case 'send':
            return { kind: 'request', packet: step.packet };
          case 'respond': {
            const asked = this.answer(step, call, signal);
            const answer = asked instanceof Promise ? await asked : asked;
            try {
              step = await answerWith(this.handle(), answer);
            } finally {
              for (const attribute of answer) attribute.value.fill(0);
            }
            continue;
          }
          case 'discard':
            // The response was not acceptable; RFC 3748 has the authenticator wait for a
            // valid one and retransmit its request when the timer runs out.
            await delay(this.owner.settings.retransmitTimeoutMs, signal);
            step = await binding.authenticatorTimeout(this.handle());
            continue;
          case 'success':
          case 'failure': {
            const reply: TransportReply = {
              kind: step.kind, packet: step.packet, attributes: step.attributes,
            };
            if (step.kind === 'failure') reply.reason = step.error?.message ?? 'EAP-Failure';
            const resumed = resumedOf(step.attributes);
            if (resumed !== undefined) reply.resumed = resumed;
            this.finished = true;
            await this.close();
            return reply;
          }
        }
      }
    }, signal);
  }

  // RESPOND: the method said what it needs (the clear-text password, or the NT hash); the
  // store answers what it has. The answer is a secret: wiped once the method has it. A store
  // that answers with a plain value is answered from at once (no turn of the event loop).
  private answer(step: NativeStep, call: string, signal?: AbortSignal): EapAttribute[] | Promise<EapAttribute[]> {
    // The method names the user it asks about: for PEAP and EAP-TTLS that is the inner identity,
    // proven inside the tunnel, not the (often anonymous) outer EAP identity.
    const named = step.attributes.find((a) => a.type === EapAttributeType.UserName && a.value.length > 0);
    const identity = named ? named.value.toString('utf8') : step.identity;
    const found = this.lookup(identity, call, signal);
    return found instanceof Promise
      ? found.then((record) => this.answerFrom(step, identity, record))
      : this.answerFrom(step, identity, found);
  }

  private answerFrom(step: NativeStep, identity: string, found: UserRecord | undefined | null): EapAttribute[] {
    if (found === undefined || found === null) return [];
    const record: UserRecord = checkUserRecord(found, `the user store's record for "${identity}"`);
    return answerAttributeQuestions(step.attributes, record);
  }

  // A store that never settles must not hold the conversation: the signal and a deadline bound
  // it. One that answers at once (a plain value, or a throw) needs neither.
  private lookup(identity: string, call: string, signal?: AbortSignal):
      UserRecord | undefined | null | Promise<UserRecord | undefined | null> {
    let found: ReturnType<UserStore['lookup']> | null;
    try {
      found = this.owner.store.lookup(identity);
    } catch (error) {
      return this.closeAfter(error);
    }
    if (!isThenable(found)) return found;
    return bounded(Promise.resolve(found), call, signal, { ms: this.owner.settings.lookupTimeoutMs, what: 'the user store' })
      .catch((error: unknown) => this.closeAfter(error));
  }

  private async closeAfter(error: unknown): Promise<never> {
    await this.close();
    throw error;
  }
}

function isThenable(value: unknown): value is PromiseLike<unknown> {
  return typeof value === 'object' && value !== null && typeof (value as PromiseLike<unknown>).then === 'function';
}

function delay(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(resolve, ms);
    signal?.addEventListener('abort', () => { clearTimeout(timer); resolve(); }, { once: true });
  });
}

interface AuthenticatorSettings extends NativeAuthenticatorSettings {
  lookupTimeoutMs: number;
}

const TLS_OPTION_NAMES = ['cert', 'key', 'keyPassword', 'pkcs12', 'ca', 'tls', 'innerMethod', 'phase2',
  'requireCryptoBinding', 'tlsSessionLifetime', 'allowWeakRsa', 'fastReconnect'] as const;

/**
 * Each TLS method's connection data: the given certificate, or the process's ephemeral one
 * (then `trust` says what the in-process peer must trust). Options for no listed TLS method
 * are a TypeError, so a misplaced certificate never goes unnoticed.
 */
function tlsConfiguration(specs: CreateAuthenticatorOptions['methods'] & object, options: CreateAuthenticatorOptions)
  : { connectionData: (Buffer | undefined)[]; trust?: AuthenticatorTrust } {
  const names = specs.map((spec) => (typeof spec === 'string' ? spec.toLowerCase() : ''));
  const tlsNames = names.filter(isTlsMethodName);
  const given = TLS_OPTION_NAMES.filter((name) => options[name] !== undefined);
  if (tlsNames.length === 0) {
    if (given.length > 0) throw new TypeError(`${given.join(', ')}: no TLS method (tls, peap, ttls) in methods`);
    return { connectionData: names.map(() => undefined) };
  }
  const needs: [keyof CreateAuthenticatorOptions, TlsMethodName[], string][] = [
    ['ca', ['tls'], 'EAP-TLS (the CAs of client certificates)'],
    ['phase2', ['ttls'], 'EAP-TTLS'],
    ['innerMethod', ['peap', 'ttls'], 'PEAP and EAP-TTLS'],
    ['requireCryptoBinding', ['peap'], 'PEAP'],
    ['fastReconnect', ['peap', 'ttls'], 'PEAP and EAP-TTLS'],
    ['allowWeakRsa', ['tls'], 'EAP-TLS (the keys of client certificates)'],
  ];
  for (const [name, methods, what] of needs) {
    if (options[name] !== undefined && !methods.some((method) => tlsNames.includes(method))) {
      throw new TypeError(`${name} applies to ${what}, which methods does not list`);
    }
  }
  let trust: AuthenticatorTrust | undefined;
  let server: { cert?: Pem; key?: Pem; keyPassword?: string; pkcs12?: Buffer } =
    { cert: options.cert, key: options.key, keyPassword: options.keyPassword, pkcs12: options.pkcs12 };
  let clientCa = options.ca;
  if (options.cert === undefined && options.pkcs12 === undefined) {
    if (options.key !== undefined || options.keyPassword !== undefined) throw new TypeError('key needs its certificate: give cert too');
    const ephemeral = processEphemeralCa();
    server = { cert: ephemeral.server.cert, key: ephemeral.server.key };
    trust = { ca: ephemeral.ca, serverName: ephemeral.serverName };
    clientCa ??= ephemeral.ca;
  }
  const connectionData = names.map((name) => {
    if (!isTlsMethodName(name)) return undefined;
    const method: TlsMethodName = name;
    return authenticatorConnectionData(method, {
      ...server,
      tls: options.tls,
      tlsSessionLifetime: options.tlsSessionLifetime,
      ...(method === 'tls' ? { ca: clientCa, allowWeakRsa: options.allowWeakRsa } : {}),
      ...(method !== 'tls' ? { innerMethod: options.innerMethod } : {}),
      ...(method !== 'tls' ? { fastReconnect: options.fastReconnect } : {}),
      ...(method === 'peap' ? { requireCryptoBinding: options.requireCryptoBinding } : {}),
      ...(method === 'ttls' ? { phase2: options.phase2 } : {}),
    });
  });
  return { connectionData, trust };
}

export class Authenticator implements AsyncDisposable {
  // Open or closed, as every native object's gate says (calls on it may overlap).
  private readonly gate = new CallGate('authenticator', false);

  /** @internal */
  constructor(private readonly methods: AuthenticatorMethod[], readonly store: UserStore,
              /** @internal */ readonly settings: AuthenticatorSettings,
              /** Set when the TLS methods serve an ephemeral certificate: what the peer must trust. */
              readonly trust?: AuthenticatorTrust) {}

  /** The EAP types this authenticator proposes, in order. */
  get methodTypes(): number[] {
    return this.methods.map((m) => m.type.type);
  }

  /** A new conversation (one authentication), usable as an EapTransport. */
  createConversation(): AuthenticatorConversation {
    if (this.gate.closed) throw stateError('createConversation', 'Closed', 'the authenticator is closed');
    return new AuthenticatorConversation(this);
  }

  /** @internal */
  methodHandles(): NativeHandle[] {
    if (this.gate.closed) throw stateError('begin', 'Closed', 'the authenticator is closed');
    return this.methods.map((m) => m.nativeHandle);
  }

  async close(): Promise<void> {
    if (this.gate.closed) return;
    this.gate.markClosed('Closed');
    // The TLS methods' configuration holds the server's private key.
    for (const data of this.settings.connectionData) data?.fill(0);
    await Promise.all(this.methods.map((m) => m.close()));
  }

  async [Symbol.asyncDispose](): Promise<void> {
    await this.close();
  }
}

export async function createAuthenticator(options: CreateAuthenticatorOptions): Promise<Authenticator> {
  if (typeof options !== 'object' || options === null) throw new TypeError('options must be an object');
  const store = toUserStore(options.users);
  const specs = options.methods ?? ['md5'];
  if (!Array.isArray(specs) || specs.length === 0) throw new TypeError('methods must be a non-empty array');
  for (const spec of specs) if (typeof spec === 'string') resolveMethod(spec);
  const positive = (value: unknown, name: string, fallback: number): number => {
    if (value === undefined) return fallback;
    if (typeof value !== 'number' || !Number.isInteger(value) || value < 0 || value > 0x7fffffff) {
      throw new TypeError(`${name} must be a non-negative integer`);
    }
    return value;
  };
  const { connectionData, trust } = tlsConfiguration(specs, options);
  const settings: AuthenticatorSettings = {
    maxSendPacketSize: positive(options.maxSendPacketSize, 'maxSendPacketSize', 1400),
    retransmitTimeoutMs: positive(options.retransmitTimeoutMs, 'retransmitTimeoutMs', 3000),
    maxRetransmits: positive(options.maxRetransmits, 'maxRetransmits', 4),
    lookupTimeoutMs: positive(options.lookupTimeoutMs, 'lookupTimeoutMs', 30_000),
    connectionData,
  };
  let methods: AuthenticatorMethod[];
  try {
    methods = await Promise.all(specs.map((spec) => loadAuthenticatorMethod(spec)));
  } catch (error) {
    for (const data of connectionData) data?.fill(0);
    throw error;
  }
  return new Authenticator(methods, store, settings, trust);
}
