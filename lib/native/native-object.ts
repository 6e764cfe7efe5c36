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

// A handle is a number the addon keeps its resource under (native/addon/addon_state.h): an
// object collected without being closed has its handle released here, and the addon closes the
// resource on the host thread. Closing unregisters it, so a closed object costs nothing more.
const dropped = new FinalizationRegistry<NativeHandle>((handle) => binding.release({ handle }));

export abstract class NativeObject extends EventEmitter implements AsyncDisposable {
  protected readonly gate: CallGate;
  protected readonly handle: NativeHandle;
  /** False for an object whose native side a native job already ended and released (a session
   *  a single job began, ran and ended): it has no handle, its calls are refused as after its
   *  end, and ending it only closes the facade. */
  private readonly native: boolean;

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
      this.beforeEnd();
      this.gate.markClosed(state);
      this.released();
      return Promise.resolve();
    }
    if (!end) {
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
    this.beforeEnd();
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

  /** Before the native end call: what the subclass must drop first (e.g. key material). */
  protected beforeEnd(): void {}
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
