/**
 * Resolves when SIGINT or SIGTERM arrives (or `stop` fires): how a serving command ends. With
 * `onHangUp`, each SIGHUP runs it (one at a time; it must not reject), and a stop waits for the
 * one running.
 */
export function untilStopped(stop?: AbortSignal, onHangUp?: () => Promise<void>): Promise<void> {
  return new Promise<void>((resolve) => {
    let hangingUp = Promise.resolve();
    const hangUp = (): void => {
      hangingUp = hangingUp.then(onHangUp);
    };
    const done = (): void => {
      process.removeListener('SIGINT', done);
      process.removeListener('SIGTERM', done);
      if (onHangUp) process.removeListener('SIGHUP', hangUp);
      stop?.removeEventListener('abort', done);
      void hangingUp.then(resolve, resolve);
    };
    process.once('SIGINT', done);
    process.once('SIGTERM', done);
    if (onHangUp) process.on('SIGHUP', hangUp);
    stop?.addEventListener('abort', done, { once: true });
    if (stop?.aborted) done();
  });
}
