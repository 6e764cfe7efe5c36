/**
 * Serializes the calls on one native object and refuses what cannot be right: a call while
 * another is still in progress on the same session (EAP sessions are strictly sequential),
 * and any call after close. Both are typed EapErrors raised before native code is reached.
 */
import { EapError, Win32, abortError, stateError } from '../errors';

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

  async run<T>(call: string, work: () => Promise<T>, signal?: AbortSignal): Promise<T> {
    if (this.closedState !== undefined) {
      throw stateError(call, this.closedState, `the ${this.what} is ${this.closedState === 'Ended' ? 'ended' : 'closed'}`);
    }
    if (!this.exclusive) {
      if (signal?.aborted) throw abortError(call);
      return work();
    }
    this.checkIdle(call);
    if (signal?.aborted) throw abortError(call);
    this.busy = call;
    try {
      return await work();
    } finally {
      this.busy = undefined;
    }
  }
}
