/**
 * The one lifecycle of every facade object that owns a native handle (EAPHost and its sessions,
 * peer and authenticator method modules and their sessions): calls pass the object's CallGate,
 * closing runs the native end call (when there is one) and then, whatever it answered, marks
 * the object closed and releases the handle, and `await using` closes it. Each is an
 * EventEmitter, as Node's resources are (an EAPHost session emits 'notification').
 */
import { EventEmitter } from 'events';
import { CallGate } from './call-gate';
import { stateError } from '../core/errors';
import { binding } from './loader';
import type { NativeHandle } from './contract';

export interface Ending {
  /** The call named in errors (e.g. 'EapPeerEndSession'). */
  call: string;
  /** What later calls are told: 'Ended' (a session) or 'Closed' (a host or module). */
  state: 'Ended' | 'Closed';
  /** The native end call, when the object has one; the handle is released after it either way. */
  end?: (handle: NativeHandle) => Promise<void>;
  /** The native end call releases the handle itself, in the same host-thread job, once it was
   *  made: no release() after it. */
  endReleases?: boolean;
}

// What happens to an object collected without being closed. A handle is a number the addon
// keeps its resource under (native/addon/runtime/addon_state.h): it is released here, and the addon
// closes the resource on the host thread. The key material the object's results handed out
// (keep()) is zero-filled. Collection may come late or never (process exit): closing is the
// reliable way.
const dropped = new FinalizationRegistry<NativeHandle>((handle) => binding.release({ handle }));
const keysOfCollected = new FinalizationRegistry<Buffer[]>((buffers) => zeroFill(buffers.splice(0)));

function zeroFill(buffers: Buffer[]): void {
  for (let i = 0; i < buffers.length; i++) buffers[i].fill(0);
}

// The key material an object keeps is registered only if the object is still open once the
// callbacks of the turn of the event loop that handed it out have run: most sessions are ended
// within that turn (await authenticate(), then endSession()) and never cost keysOfCollected
// anything. V8 makes each registration's cell in the old generation, and the young array a cell
// holds stays alive through every young collection until the next full one, even once
// unregistered: registered at once, 20,000 sessions a second made each young collection promote
// about 17 KB, beside 7 KB. Until then this list holds the objects (one turn at most); its slots
// are cleared one by one, since a slot left holding an object would keep it alive the same way.
const waiting: (NativeObject | undefined)[] = [];
let waitingCount = 0;
let registerKeysIfOpen: (object: NativeObject) => void;

function registerKeysLater(object: NativeObject): void {
  if (waitingCount === 0) setImmediate(registerWaiting);
  waiting[waitingCount++] = object;
}

function registerWaiting(): void {
  const count = waitingCount;
  waitingCount = 0;
  for (let i = 0; i < count; i++) {
    const object = waiting[i] as NativeObject;
    waiting[i] = undefined;
    registerKeysIfOpen(object);
  }
}

export abstract class NativeObject extends EventEmitter implements AsyncDisposable {
  protected readonly gate: CallGate;
  protected readonly handle: NativeHandle;
  /** False for an object whose native side a native job already ended and released (a session
   *  a single job began, ran and ended): it has no handle, its calls are refused as after its
   *  end, and ending it only closes the facade. */
  private readonly native: boolean;
  /** What keep() kept, until the object closes. */
  #secrets: Buffer[] | undefined;
  /** #secrets is registered with keysOfCollected. */
  #keysRegistered = false;

  static {
    registerKeysIfOpen = (object) => {
      if (object.gate.closed || object.#secrets === undefined || object.#keysRegistered) return;
      object.#keysRegistered = true;
      keysOfCollected.register(object, object.#secrets, object);
    };
  }

  /** `exclusive`: one call at a time (sessions); otherwise calls may overlap (hosts, modules).
   *  `handle` undefined: the native side is ended already. */
  protected constructor(handle: NativeHandle | undefined, private readonly what: string, exclusive: boolean,
                        private readonly ending: Ending) {
    super();
    this.gate = new CallGate(what, exclusive);
    this.native = handle !== undefined;
    this.handle = handle as NativeHandle;
    if (handle !== undefined) dropped.register(this, handle, this);
  }

  /** Runs `work` on this object's handle through the gate (refused once closed, or while busy). */
  protected call<T>(call: string, work: (handle: NativeHandle) => Promise<T>, signal?: AbortSignal): Promise<T> {
    if (!this.native) return Promise.reject(stateError(call, this.ending.state, `the ${this.what} has ended`));
    return this.gate.run(call, work, signal, this.handle);
  }

  /** Key material the object's results handed out: zero-filled when it closes, or when it is
   *  collected unclosed; at once when it is closed already. */
  protected keep(buffers: Buffer[]): void {
    if (this.gate.closed) {
      zeroFill(buffers);
      return;
    }
    if (buffers.length === 0) return;
    let secrets = this.#secrets;
    if (secrets === undefined) {
      secrets = this.#secrets = [];
      registerKeysLater(this);
    }
    // One by one: a spread would copy them into an arguments array first.
    for (let i = 0; i < buffers.length; i++) secrets.push(buffers[i]);
  }

  /** Before the native end call: zero-fills what keep() kept. */
  #forgetSecrets(): void {
    const secrets = this.#secrets;
    if (secrets === undefined) return;
    this.#secrets = undefined;
    if (this.#keysRegistered) {
      this.#keysRegistered = false;
      keysOfCollected.unregister(this);
    }
    zeroFill(secrets);
  }

  /** Ends the object once; later calls do nothing. The handle is released even when the native
   *  end call fails (its error still reaches the caller). Not an async function: one reaction
   *  on the end call's promise is all an end costs the JS thread. */
  protected finish(): Promise<void> {
    if (this.gate.closed) return Promise.resolve();
    const { call, state, end, endReleases } = this.ending;
    if (!this.native) {
      try {
        this.gate.checkIdle(call);
      } catch (error) {
        return Promise.reject(error);
      }
      this.#forgetSecrets();
      this.gate.markClosed(state);
      this.released();
      return Promise.resolve();
    }
    if (!end) {
      this.#forgetSecrets();
      this.gate.markClosed(state);
      dropped.unregister(this);
      this.released();
      binding.release({ handle: this.handle });
      return Promise.resolve();
    }
    // An overlapping end is refused before anything is ended: the caller may retry it.
    try {
      this.gate.checkIdle(call);
    } catch (error) {
      return Promise.reject(error);
    }
    this.#forgetSecrets();
    let endCalled = false;
    const close = (): void => {
      this.gate.markClosed(state);
      dropped.unregister(this);
      this.released();
      if (!(endReleases && endCalled)) binding.release({ handle: this.handle });
    };
    return this.gate.run(call, () => {
      const ending = end(this.handle);
      endCalled = true;
      return ending;
    }).then(close, (error: unknown) => {
      close();
      throw error;
    });
  }

  /** After the object is closed: what the subclass forgets (e.g. event registrations). */
  protected released(): void {}

  async [Symbol.asyncDispose](): Promise<void> {
    await this.finish();
  }
}

/** Wraps a new handle in its facade object, releasing the handle if that throws. */
export function adopt<T, H extends NativeHandle | undefined>(handle: H, make: (handle: H) => T): T {
  try {
    return make(handle);
  } catch (error) {
    if (handle !== undefined) binding.release({ handle });
    throw error;
  }
}
