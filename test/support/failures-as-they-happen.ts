/**
 * A mocha root-hook plugin: with EAPHOST_FAILURES_AS_THEY_HAPPEN=1, each failing test's error is
 * written to stderr the moment it fails. The spec reporter lists failures only when the run ends,
 * so a run that later hangs and is stopped (the Wine lane's node.exe, seen once) would otherwise
 * say which tests failed but never why.
 */
import type { Context } from 'mocha';

export const mochaHooks = {
  afterEach(this: Context): void {
    if (process.env.EAPHOST_FAILURES_AS_THEY_HAPPEN !== '1') return;
    const test = this.currentTest;
    if (test?.state !== 'failed') return;
    const error = (test as unknown as { err?: Error }).err;
    const text = error?.stack ?? String(error);
    process.stderr.write(`\n[failed now] ${test.fullTitle()}\n${text.split('\n').slice(0, 20).join('\n')}\n\n`);
  },
};
