/**
 * Serializes the calls on one native object and refuses what cannot be right: a call while
 * another is still in progress on the same session (EAP sessions are strictly sequential),
 * and any call after close. Both are typed EapErrors raised before native code is reached.
 */
import { EapError, Win32, abortError, stateError } from '../core/errors';

export class CallGate {
  private busy: string | undefined;
  private closedState: string | undefined;

  /** `exclusive`: one call at a time (sessions); otherwise calls may overlap (loaded modules,
   *  whose calls are independent and serialized by the host thread anyway). */
  constructor(private readonly what: string, private readonly exclusive = true) {}

  get closed(): boolean {
    return this.closedState !== undefined;
  }

  /** No call in progress. */
  get idle(): boolean {
    return this.busy === undefined;
  }

  markClosed(state = 'Ended'): void {
    this.closedState = state;
  }

  /** Refuses `call` while another call is in progress; nothing changes on refusal. */
  checkIdle(call: string): void {
    if (this.busy !== undefined) {
      throw new EapError({
        win32Error: Win32.ERROR_BUSY, call, state: 'Busy', origin: 'host',
        rootCause: `${call} overlaps ${this.busy}, still in progress on this ${this.what}; await each call first ` +
          `(the ${this.what} stays open)`,
      });
    }
  }

  /** Runs `work` unless refused; a refusal, or a throw from `work` itself, is a rejection.
   *  Not an async function: every native call passes here, and the promise `work` returns is
   *  handed back as it is (an overlapping gate only adds one reaction, which frees the gate
   *  before the caller's own continuation runs), sparing the microtask turns of a wrapper. */
  run<T>(call: string, work: () => Promise<T>, signal?: AbortSignal): Promise<T> {
    if (this.closedState !== undefined) {
      return Promise.reject(stateError(call, this.closedState,
        `the ${this.what} is ${this.closedState === 'Ended' ? 'ended' : 'closed'}`));
    }
    if (!this.exclusive) {
      if (signal?.aborted) return Promise.reject(abortError(call));
      return attempt(work);
    }
    try {
      this.checkIdle(call);
    } catch (error) {
      return Promise.reject(error);
    }
    if (signal?.aborted) return Promise.reject(abortError(call));
    this.busy = call;
    const running = attempt(work);
    const idle = (): void => { this.busy = undefined; };
    running.then(idle, idle);
    return running;
  }
}

/** `work`'s promise, or its synchronous throw as a rejection. */
function attempt<T>(work: () => Promise<T>): Promise<T> {
  try {
    return work();
  } catch (error) {
    return Promise.reject(error);
  }
}
