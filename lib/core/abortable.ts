/**
 * Bounds for waits that user code or a remote party controls: a promise raced against an
 * AbortSignal and a deadline, so neither a user store that never answers nor a transport that
 * ignores its signal can hold a conversation (and the process) forever.
 */
import { EapError, Win32, abortError } from './errors';

/** Settles with `work`, or rejects when `signal` aborts or `timeoutMs` passes, whichever is first.
 *  `work` keeps running when abandoned; its late outcome is ignored. */
export function bounded<T>(work: Promise<T>, call: string, signal?: AbortSignal,
  timeout?: { ms: number; what: string }): Promise<T> {
  if (!signal && !timeout) return work;
  if (signal?.aborted) {
    work.catch(() => undefined);
    return Promise.reject(abortError(call));
  }
  return new Promise<T>((resolve, reject) => {
    let timer: NodeJS.Timeout | undefined;
    const onAbort = (): void => finish(() => reject(abortError(call)));
    const finish = (settle: () => void): void => {
      if (timer) clearTimeout(timer);
      signal?.removeEventListener('abort', onAbort);
      settle();
    };
    signal?.addEventListener('abort', onAbort, { once: true });
    if (timeout) {
      timer = setTimeout(() => finish(() => reject(new EapError({
        win32Error: Win32.ERROR_TIMEOUT, call, origin: 'host',
        rootCause: `${timeout.what} did not answer within ${timeout.ms} ms`,
      }))), timeout.ms);
    }
    work.then((value) => finish(() => resolve(value)), (error) => finish(() => reject(error)));
  });
}

/** maxRoundTrips: a positive integer; anything else would switch the bound off. */
export function checkRoundTripBound(value: unknown, fallback: number): number {
  if (value === undefined) return fallback;
  if (typeof value !== 'number' || !Number.isInteger(value)) {
    throw new TypeError(`maxRoundTrips must be an integer, not ${typeof value === 'number' ? value : typeof value}`);
  }
  if (value < 1 || value > 0xffff) throw new RangeError(`maxRoundTrips must be in 1..65535, not ${value}`);
  return value;
}
