/**
 * A mocha root-hook plugin: with EAPHOST_TEST_TIMES=FILE, the wall time each test file took (the
 * sum of its tests' durations, hooks excluded) is written to FILE as JSON lines when the run ends,
 * so a lane can name its slowest files (scripts/test-all.sh prints them). Where a lane's minutes
 * go is then read, not guessed; a file that waits on time instead of events shows up here.
 */
import { appendFileSync } from 'node:fs';
import { relative } from 'node:path';
import type { Context } from 'mocha';

const byFile = new Map<string, { ms: number; tests: number }>();

export const mochaHooks = {
  afterEach(this: Context): void {
    const test = this.currentTest;
    if (process.env.EAPHOST_TEST_TIMES === undefined || test === undefined) return;
    const file = test.file === undefined ? '(no file)' : relative(process.cwd(), test.file);
    const entry = byFile.get(file) ?? { ms: 0, tests: 0 };
    entry.ms += test.duration ?? 0;
    entry.tests += 1;
    byFile.set(file, entry);
  },
  afterAll(): void {
    const out = process.env.EAPHOST_TEST_TIMES;
    if (out === undefined || out === '') return;
    const lines = [...byFile].map(([file, { ms, tests }]) => JSON.stringify({ file, ms, tests }));
    if (lines.length > 0) appendFileSync(out, `${lines.join('\n')}\n`);
  },
};
