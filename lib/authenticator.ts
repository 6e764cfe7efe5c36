/**
 * The embedded EAP authenticator: the native authenticator host (Identity, method proposal,
 * Nak, Success/Failure framing, retransmission) over authenticator method modules, with a
 * user store in JS. Each conversation is an EapTransport, so `authenticate()` can run a peer
 * against it in-process, and the RADIUS server mode can put it behind RADIUS.
 */
import { BuiltinMethodName, resolveMethod } from './builtin';
import { checkBuffer, checkSignal } from './call-gate';
import { EapAttributeType } from './constants';
import { EapError, Win32, abortError, stateError } from './errors';
import { AuthenticatorMethod, loadAuthenticatorMethod } from './authenticator-method';
import { binding } from './native';
import { EapTransport, TransportBeginOptions, TransportReply } from './transport';

export interface UserRecord {
  password: string;
}

/** Answers the authenticator's questions about a user; undefined means "no such user". */
export interface UserStore {
  lookup(identity: string): UserRecord | undefined | Promise<UserRecord | undefined>;
}

export interface CreateAuthenticatorOptions {
  /** Methods to propose, most preferred first: shipped names or module paths. Default ['md5']. */
  methods?: (BuiltinMethodName | { path: string })[];
  /** A UserStore, or a plain object { "<identity>": { password } }. */
  users: UserStore | Record<string, UserRecord>;
  maxSendPacketSize?: number;
  /** How long to wait for a response before retransmitting (RFC 3748 §4.3). Default 3000. */
  retransmitTimeoutMs?: number;
  /** Retransmissions before giving up (RFC 4137 MaxRetrans). Default 4. */
  maxRetransmits?: number;
}

interface NativeStep {
  kind: 'send' | 'respond' | 'success' | 'failure' | 'discard';
  packet: Buffer;
  timeoutMs: number;
  identity: string;
  attributes: { type: number; value: Buffer }[];
  failureReason: number;
  methodType: number;
  error?: EapError;
}

function toStore(users: CreateAuthenticatorOptions['users']): UserStore {
  if (typeof users !== 'object' || users === null) throw new TypeError('users must be a UserStore or an object');
  if (typeof (users as UserStore).lookup === 'function') return users as UserStore;
  const table = users as Record<string, UserRecord>;
  for (const [identity, record] of Object.entries(table)) {
    if (typeof record !== 'object' || record === null || typeof record.password !== 'string') {
      throw new TypeError(`users["${identity}"] must be { password: string }`);
    }
  }
  return { lookup: (identity) => (Object.prototype.hasOwnProperty.call(table, identity) ? table[identity] : undefined) };
}

/** One authentication, from the authenticator's side. */
export class AuthenticatorConversation implements EapTransport {
  private handle: unknown;
  private finished = false;
  private busy = false;
  /** The method the authenticator settled on (EAP type), once known. */
  methodType = 0;
  /** The peer's identity, once known. */
  identity = '';

  /** @internal */
  constructor(private readonly owner: Authenticator) {}

  async begin(options: TransportBeginOptions = {}): Promise<TransportReply> {
    if (this.handle !== undefined) throw stateError('begin', 'Started', 'the conversation has already begun');
    if (options.identityResponse !== undefined) checkBuffer(options.identityResponse, 'identityResponse');
    const signal = checkSignal(options.signal);
    return this.step('begin', signal, async () => {
      const started = await binding.authenticatorStart(this.owner.methodHandles(), this.owner.settings,
        options.identityResponse);
      this.handle = started.handle;
      return started;
    });
  }

  respond(response: Buffer, options: { signal?: AbortSignal } = {}): Promise<TransportReply> {
    checkBuffer(response, 'response');
    const signal = checkSignal(options.signal);
    if (this.handle === undefined) return Promise.reject(stateError('respond', 'Created', 'call begin() first'));
    return this.step('respond', signal, () => binding.authenticatorReceive(this.handle, response));
  }

  /** The retransmission timer fired: resend the last request, or fail once MaxRetrans is reached. */
  retransmit(): Promise<TransportReply> {
    if (this.handle === undefined) return Promise.reject(stateError('retransmit', 'Created', 'call begin() first'));
    return this.step('retransmit', undefined, () => binding.authenticatorTimeout(this.handle));
  }

  async close(): Promise<void> {
    if (this.handle === undefined || this.handle === null) return;
    const handle = this.handle;
    this.handle = null;
    const concluded = this.finished;
    this.finished = true;
    if (!concluded) {
      // Ended before its outcome (an outcome ends it natively in the same step).
      await binding.authenticatorEnd(handle).catch(() => undefined);
    }
    binding.release(handle);
  }

  private async step(call: string, signal: AbortSignal | undefined, first: () => Promise<NativeStep>): Promise<TransportReply> {
    if (this.finished) throw stateError(call, 'Ended', 'the conversation has ended');
    if (this.busy) {
      throw new EapError({ win32Error: Win32.ERROR_BUSY, call, state: 'Busy', origin: 'host',
        rootCause: `${call} overlaps a call still in progress on this conversation` });
    }
    if (signal?.aborted) throw abortError(call);
    this.busy = true;
    try {
      let step = await first();
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
          case 'respond':
            step = await binding.authenticatorSetAttributes(this.handle, await this.answer(step));
            continue;
          case 'discard':
            // The response was not acceptable; RFC 3748 has the authenticator wait for a
            // valid one and retransmit its request when the timer runs out.
            await delay(this.owner.settings.retransmitTimeoutMs, signal);
            step = await binding.authenticatorTimeout(this.handle);
            continue;
          case 'success':
          case 'failure': {
            const reply: TransportReply = {
              kind: step.kind, packet: step.packet.length ? step.packet : undefined, attributes: step.attributes,
            };
            if (step.kind === 'failure') reply.reason = step.error?.message ?? 'EAP-Failure';
            this.busy = false;
            this.finished = true;
            await this.close();
            return reply;
          }
        }
      }
    } finally {
      this.busy = false;
    }
  }

  // RESPOND: the method said what it needs (e.g. the clear-text password); the store answers.
  private async answer(step: NativeStep): Promise<{ type: number; value: Buffer }[]> {
    const wanted = new Set(step.attributes.map((a) => a.type));
    const record = await this.owner.store.lookup(step.identity);
    if (!record) return [];
    const out: { type: number; value: Buffer }[] = [];
    if (wanted.has(EapAttributeType.ClearTextPassword)) {
      out.push({ type: EapAttributeType.ClearTextPassword, value: Buffer.from(record.password, 'utf8') });
    }
    return out;
  }
}

function delay(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(resolve, ms);
    signal?.addEventListener('abort', () => { clearTimeout(timer); resolve(); }, { once: true });
  });
}

export class Authenticator implements AsyncDisposable {
  private closed = false;

  /** @internal */
  constructor(private readonly methods: AuthenticatorMethod[], readonly store: UserStore,
              /** @internal */ readonly settings: { maxSendPacketSize: number; retransmitTimeoutMs: number; maxRetransmits: number }) {}

  /** The EAP types this authenticator proposes, in order. */
  get methodTypes(): number[] {
    return this.methods.map((m) => m.type.type);
  }

  /** A new conversation (one authentication), usable as an EapTransport. */
  createConversation(): AuthenticatorConversation {
    if (this.closed) throw stateError('createConversation', 'Closed', 'the authenticator is closed');
    return new AuthenticatorConversation(this);
  }

  /** @internal */
  methodHandles(): unknown[] {
    if (this.closed) throw stateError('begin', 'Closed', 'the authenticator is closed');
    return this.methods.map((m) => m.handle);
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await Promise.all(this.methods.map((m) => m.close()));
  }

  async [Symbol.asyncDispose](): Promise<void> {
    await this.close();
  }
}

export async function createAuthenticator(options: CreateAuthenticatorOptions): Promise<Authenticator> {
  if (typeof options !== 'object' || options === null) throw new TypeError('options must be an object');
  const store = toStore(options.users);
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
  const settings = {
    maxSendPacketSize: positive(options.maxSendPacketSize, 'maxSendPacketSize', 1400),
    retransmitTimeoutMs: positive(options.retransmitTimeoutMs, 'retransmitTimeoutMs', 3000),
    maxRetransmits: positive(options.maxRetransmits, 'maxRetransmits', 4),
  };
  const methods = await Promise.all(specs.map((spec) => loadAuthenticatorMethod(spec)));
  return new Authenticator(methods, store, settings);
}
