/**
 * One deadline for a whole connect: every step a backend waits on (reaching the bus, each call,
 * the activation, the watch) is raced against the same end time and the caller's AbortSignal, so
 * nothing can hold the command past its timeout, and an abort is seen at the next await, not at
 * the end of the attempt. Clean-up gets a deadline of its own, started when it starts.
 */

/** The time ran out while waiting for `what`. */
export class DeadlineError extends Error {
  readonly what: string;

  constructor(what: string) {
    super(`no answer to ${what} before the time ran out`);
    this.name = 'DeadlineError';
    this.what = what;
  }
}

export class Deadline {
  private readonly end: number;
  private ending: AbortController | undefined;

  constructor(started: number, timeoutMs: number, readonly signal?: AbortSignal) {
    this.end = started + timeoutMs;
  }

  /** A signal that fires at the deadline or at the caller's abort: for work that must stop then (a socket to close). */
  expired(): AbortSignal {
    if (!this.ending) {
      const ending = new AbortController();
      this.ending = ending;
      const timer = setTimeout(() => ending.abort(new DeadlineError('the deadline')), this.remaining());
      timer.unref();
      const onAbort = (): void => {
        clearTimeout(timer);
        ending.abort(this.signal?.reason);
      };
      this.signal?.addEventListener('abort', onAbort, { once: true });
      if (this.signal?.aborted) onAbort();
    }
    return this.ending.signal;
  }

  remaining(): number {
    return Math.max(0, this.end - Date.now());
  }

  /** Throws the abort's reason, or a DeadlineError naming `what`, when either has come. */
  check(what: string): void {
    this.signal?.throwIfAborted();
    if (this.remaining() === 0) throw new DeadlineError(what);
  }

  /**
   * `promise`'s value, unless the deadline or the abort comes first (then DeadlineError or the
   * abort's reason). A promise left behind is still observed, so its later rejection is no
   * unhandled one.
   */
  async step<T>(what: string, promise: Promise<T>): Promise<T> {
    promise.catch(() => undefined);
    this.check(what);
    let timer: NodeJS.Timeout | undefined;
    let onAbort: (() => void) | undefined;
    try {
      return await Promise.race([promise, new Promise<never>((_resolve, reject) => {
        timer = setTimeout(() => reject(new DeadlineError(what)), this.remaining());
        onAbort = (): void => reject(this.signal?.reason);
        this.signal?.addEventListener('abort', onAbort, { once: true });
      })]);
    } finally {
      clearTimeout(timer);
      if (onAbort) this.signal?.removeEventListener('abort', onAbort);
    }
  }
}
