/**
 * scripts/ci/windows/run-as-system.js's scheduled task around its run (windows.yml's "as a
 * service" step). Wine has no Task Scheduler service, so schtasks is a recorder standing in for
 * it here (the .cmd the task runs is run by this Wine's cmd.exe in test/windows/ci-scripts.test.ts):
 * a task still running at the deadline is ended before it is deleted, a failing /End or /Delete
 * is a warning beside the run's own status, and a log the task's node.exe still holds (EBUSY)
 * leaves a warning, not an exception over the result.
 */
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

const { runAsTask, removeRunFolder } = require(path.join(__dirname, '..', '..', 'scripts', 'ci', 'windows', 'run-as-system.js')) as {
  runAsTask: (options: { name: string; timeoutS: number }, script: string, log: string, tools: object) => number | undefined;
  removeRunFolder: (dir: string, warn: (line: string) => void, remove?: (at: string) => void) => void;
};

/** A Task Scheduler stand-in: records each schtasks call; `failing` names the verbs that fail. */
function scheduler(log: string, { writes, failing = [] }: { writes?: string; failing?: string[] }) {
  const calls: string[] = [];
  const warnings: string[] = [];
  let clock = 0;
  const tools = {
    schtasks: (args: string[]) => {
      calls.push(args[0]);
      if (failing.includes(args[0])) throw new Error(`schtasks ${args[0]} failed (exit 1)`);
      if (args[0] === '/Run' && writes !== undefined) fs.writeFileSync(log, writes);
    },
    sleep: (ms: number) => { clock += ms; },
    now: () => clock,
    warn: (line: string) => warnings.push(line),
  };
  return { calls, warnings, tools };
}

describe('run-as-system.js: the scheduled task ended, deleted and cleaned up around the result', () => {
  let dir: string;
  let log: string;
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'eaphost-task-'));
    log = path.join(dir, 'output.log');
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('a task that wrote its status is deleted, not ended; the status is the result', () => {
    const { calls, tools } = scheduler(log, { writes: 'hello\r\nexit 3\r\n' });
    assert.equal(runAsTask({ name: 't', timeoutS: 5 }, 'run.cmd', log, tools), 3);
    assert.deepEqual(calls, ['/Create', '/Run', '/Delete']);
  });

  it('a task still running at the deadline is ended (/End) before it is deleted', () => {
    const { calls, tools } = scheduler(log, {});
    assert.equal(runAsTask({ name: 't', timeoutS: 2 }, 'run.cmd', log, tools), undefined);
    assert.deepEqual(calls, ['/Create', '/Run', '/End', '/Delete']);
  });

  it('/End and /Delete failing are warnings; the run\'s status still comes back', () => {
    const { calls, warnings, tools } = scheduler(log, { writes: 'exit 0\r\n', failing: ['/Delete'] });
    assert.equal(runAsTask({ name: 't', timeoutS: 5 }, 'run.cmd', log, tools), 0);
    assert.deepEqual(calls, ['/Create', '/Run', '/Delete']);
    assert.match(warnings.join('\n'), /warning: schtasks \/Delete failed/);
    const ended = scheduler(log, { failing: ['/End'] });
    fs.rmSync(log, { force: true });
    assert.equal(runAsTask({ name: 't', timeoutS: 1 }, 'run.cmd', log, ended.tools), undefined);
    assert.deepEqual(ended.calls, ['/Create', '/Run', '/End', '/Delete']);
    assert.match(ended.warnings.join('\n'), /schtasks \/End failed/);
  });

  it('a run folder still held (EBUSY) is a warning, not an exception', () => {
    const warnings: string[] = [];
    const busy = () => { throw Object.assign(new Error('resource busy or locked'), { code: 'EBUSY' }); };
    assert.doesNotThrow(() => removeRunFolder(dir, (line) => warnings.push(line), busy));
    assert.match(warnings.join('\n'), /was not removed \(EBUSY\)/);
    removeRunFolder(dir, (line) => warnings.push(line));
    assert.equal(fs.existsSync(dir), false);
  });
});
