/**
 * scripts/ci/windows/run-as-system.js, the script windows.yml's "as a service" step runs, in
 * node.exe with the step's own arguments plus --direct (Wine has no Task Scheduler service to run
 * a task as SYSTEM: the account and session 0 are shown only by that windows-latest step). The
 * .cmd it writes runs in cmd.exe and its last line carries the program's exit status, 0 and not
 * 0 alike; and the spelling it avoids (the status right before >>) is shown losing the digit in
 * this cmd.exe, which is why scripts/ci/lint-workflows.js refuses it.
 */
import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { requireWindows } from './support';

const root = path.join(__dirname, '..', '..', '..');
const script = path.join(root, 'scripts', 'ci', 'windows', 'run-as-system.js');

function runDirect(code: number): { status: number | null; out: string } {
  const run = spawnSync(process.execPath, [script, '--direct', '--name', 'eaphost-test', '--env', 'EAPHOST_PROBE=seen here',
    '--', 'node', '-e', `process.stdout.write('probe ' + process.env.EAPHOST_PROBE); process.exit(${code})`],
  { encoding: 'utf8', timeout: 60000, stdio: ['ignore', 'pipe', 'pipe'] });
  return { status: run.status, out: `${run.stdout}${run.stderr}` };
}

describe('scripts/ci/windows/run-as-system.js in cmd.exe (--direct: as this user)', function () {
  this.timeout(90000);
  before(requireWindows);

  it('a program that exits 0: its output, "exit 0" as the last line, exit 0', () => {
    const { status, out } = runDirect(0);
    assert.match(out, /probe seen here/);
    assert.match(out, /^exit 0\r?$/m);
    assert.match(out, /as this user \(--direct\): exit 0/);
    assert.equal(status, 0, out);
  });

  it('a program that exits 7: "exit 7", and the script fails', () => {
    const { status, out } = runDirect(7);
    assert.match(out, /^exit 7\r?$/m);
    assert.equal(status, 1, out);
  });

  it('the status written right before >> loses its digit in cmd.exe (the lint rule\'s reason)', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'eaphost-cmd-'));
    try {
      const log = path.join(dir, 'out.log');
      const cmd = path.join(dir, 'run.cmd');
      // cmd /c exit 1 sets ERRORLEVEL 1; the broken line then redirects handle 1, not stdout's text.
      fs.writeFileSync(cmd, ['@echo off', 'cmd /c exit 1', `echo exit %ERRORLEVEL%>> "${log}"`, 'cmd /c exit 1',
        `(echo fixed %ERRORLEVEL%)>> "${log}"`, ''].join('\r\n'));
      const run = spawnSync('cmd.exe', ['/d', '/c', cmd], { encoding: 'utf8', timeout: 30000, stdio: ['ignore', 'pipe', 'pipe'] });
      assert.ok(!run.error, run.error?.message);
      const text = fs.readFileSync(log, 'utf8');
      assert.match(text, /^fixed 1\r?$/m, text);
      assert.doesNotMatch(text, /^exit 1\r?$/m, text);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
