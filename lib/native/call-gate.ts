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

  /** Runs `work` (with `arg`, sparing a caller a closure over it) unless refused; a refusal, or a
   *  throw from `work` itself, is a rejection.
   *  Not an async function: every native call passes here, and the promise `work` returns is
   *  handed back as it is (an overlapping gate only adds one reaction, which frees the gate
   *  before the caller's own continuation runs), sparing the microtask turns of a wrapper. */
  run<T, A = undefined>(call: string, work: (arg: A) => Promise<T>, signal?: AbortSignal, arg?: A): Promise<T> {
    const refused = this.refusal(call, signal);
    if (refused) return refused;
    if (!this.exclusive) return attempt(work, arg as A);
    this.busy = call;
    const running = attempt(work, arg as A);
    const idle = (): void => { this.busy = undefined; };
    running.then(idle, idle);
    return running;
  }

  /** run(work), its value handed to `then`, in one reaction that also frees the gate (once `then`
   *  has run): the gate needs no reaction of its own. For a call whose caller goes on from it
   *  anyway. */
  runThen<T, U>(call: string, work: () => Promise<T>, then: (value: T) => U, signal?: AbortSignal): Promise<U> {
    const refused = this.refusal(call, signal);
    if (refused) return refused;
    if (!this.exclusive) return attempt(work, undefined).then(then);
    this.busy = call;
    return attempt(work, undefined).then((value) => {
      try {
        return then(value);
      } finally {
        this.busy = undefined;
      }
    }, (error: unknown) => {
      this.busy = undefined;
      throw error;
    });
  }

  /** Why `call` cannot run now, as a rejection; undefined when it can. */
  private refusal(call: string, signal: AbortSignal | undefined): Promise<never> | undefined {
    if (this.closedState !== undefined) {
      return Promise.reject(stateError(call, this.closedState,
        `the ${this.what} is ${this.closedState === 'Ended' ? 'ended' : 'closed'}`));
    }
    if (this.exclusive) {
      try {
        this.checkIdle(call);
      } catch (error) {
        return Promise.reject(error);
      }
    }
    if (signal?.aborted) return Promise.reject(abortError(call));
    return undefined;
  }
}

/** `work(arg)`'s promise, or its synchronous throw as a rejection. */
function attempt<T, A>(work: (arg: A) => Promise<T>, arg: A): Promise<T> {
  try {
    return work(arg);
  } catch (error) {
    return Promise.reject(error);
  }
}
