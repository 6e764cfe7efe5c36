/**
 * A mocha root-hook plugin: with EAPHOST_TEST_TIMES=FILE, what each test file cost is written to
 * FILE as JSON lines when the run ends, so a lane can name its slowest files (scripts/test-all.sh
 * prints them). Where a lane's minutes go is then read, not guessed.
 * - `ms`: wall time from the end of the test before to the end of the file's last test, so the
 *   file's own before hooks count (a file's after hooks count toward the file that follows).
 * - `cpuMs`: processor time spent in that span by mocha's process and by the children it reaped
 *   (servers, peers, compilers: /proc/self/stat's cutime and cstime), on Linux.
 * A file whose wall time is far above its processor time waits on time or on something slow; one
 * whose processor time is high competes with the other lane for the machine's cores.
 */
import { appendFileSync, readFileSync } from 'node:fs';
import { relative } from 'node:path';
import type { Context } from 'mocha';

const byFile = new Map<string, { ms: number; cpuMs: number; tests: number }>();

/** Clock ticks a second (sysconf(_SC_CLK_TCK)): 100 on every Linux the suite runs on. */
const TICKS_PER_SECOND = 100;

/** Processor time of this process and of its reaped children, in ms (children only on Linux). */
function cpuNow(): number {
  const own = process.cpuUsage();
  let children = 0;
  try {
    // Fields after the command's closing parenthesis: state is field 3; cutime and cstime are 16, 17.
    const stat = readFileSync('/proc/self/stat', 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    children = ((Number(fields[13]) + Number(fields[14])) * 1000) / TICKS_PER_SECOND;
  } catch {
    children = 0;
  }
  return (own.user + own.system) / 1000 + children;
}

let lastWall = Date.now();
let lastCpu = cpuNow();

export const mochaHooks = {
  afterEach(this: Context): void {
    const test = this.currentTest;
    if (process.env.EAPHOST_TEST_TIMES === undefined || test === undefined) return;
    const wall = Date.now();
    const cpu = cpuNow();
    const file = test.file === undefined ? '(no file)' : relative(process.cwd(), test.file);
    const entry = byFile.get(file) ?? { ms: 0, cpuMs: 0, tests: 0 };
    entry.ms += wall - lastWall;
    entry.cpuMs += cpu - lastCpu;
    entry.tests += 1;
    byFile.set(file, entry);
    lastWall = wall;
    lastCpu = cpu;
  },
  afterAll(): void {
    const out = process.env.EAPHOST_TEST_TIMES;
    if (out === undefined || out === '') return;
    const lines = [...byFile].map(([file, { ms, cpuMs, tests }]) => JSON.stringify({ file, ms, cpuMs: Math.round(cpuMs), tests }));
    if (lines.length > 0) appendFileSync(out, `${lines.join('\n')}\n`);
  },
};
