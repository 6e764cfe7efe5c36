/**
 * The workflows' scripts (scripts/ci/windows/*.js) in node.exe, with the options the workflow
 * steps give them (windows.yml): what each decides is run here before a runner runs it.
 * test/windows-steps.test.ts holds every Windows step's script to the place the Wine lane runs
 * it. Elsewhere: eaphost-service.js runs on Wine's own Spooler service through the addon's
 * service control (test/windows/service-control.test.ts; Wine has no EapHost), registered-copy.js
 * and write-manifest.js in the Wine lane itself (scripts/wine/run.sh), install-consumer.js with
 * its step's arguments (test/windows/install-consumer.test.ts). Wine cannot show electron-smoke.js
 * (Electron) or sign.js (signtool), nor run-as-system.js as SYSTEM (a scheduled task: Wine has no
 * Task Scheduler service; its --direct mode, the same .cmd as this user, runs below, and the task's
 * end and cleanup are test/run-as-system.test.ts's recorder). The spelling the .cmd avoids, the
 * status right before >>, is shown losing its digit in this cmd.exe, which is why lint-workflows.js
 * refuses it.
 */
import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { requireWindows } from './support';

const root = path.join(__dirname, '..', '..', '..');
const ci = path.join(root, 'scripts', 'ci', 'windows');

function run(script: string, args: string[], cwd = root): { status: number | null; out: string } {
  const r = spawnSync(process.execPath, [path.join(ci, script), ...args], { cwd, encoding: 'utf8', timeout: 120000,
    stdio: ['ignore', 'pipe', 'pipe'] });
  return { status: r.status, out: `${r.stdout}${r.stderr}` };
}

describe('the Windows workflow steps\' scripts in node.exe (scripts/ci/windows)', function () {
  this.timeout(180000);
  let dir: string;
  before(() => {
    requireWindows();
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'eaphost-ci-scripts-'));
  });
  after(() => { if (dir) fs.rmSync(dir, { recursive: true, force: true }); });

  it('mocha-files.js: one process per file, every failing file named, --min-files and --min-tests enforced', () => {
    const specs = path.join(dir, 'specs');
    fs.mkdirSync(specs);
    fs.writeFileSync(path.join(specs, 'good.test.js'), "it('passes', () => {});\n");
    fs.writeFileSync(path.join(specs, 'bad.test.js'), "it('fails', () => { throw new Error('no'); });\n");
    fs.writeFileSync(path.join(specs, 'empty.test.js'), '// no test\n');
    const pattern = path.join(specs, '*.test.js');
    const all = run('mocha-files.js', ['--min-files', '3', '--timeout', '60000', pattern]);
    assert.equal(all.status, 1, all.out);
    assert.match(all.out, /failing spec files: bad\.test\.js\r?\n/);
    assert.match(all.out, /2 of 3 file\(s\) passed/);
    const minimum = run('mocha-files.js', ['--min-files', '1', '--min-tests', '1', '--timeout', '60000', path.join(specs, '*y.test.js')]);
    assert.equal(minimum.status, 1, minimum.out);
    assert.match(minimum.out, /failing spec files: empty\.test\.js/);
    const good = run('mocha-files.js', ['--min-files', '1', '--min-tests', '1', '--timeout', '60000', path.join(specs, 'good*.test.js')]);
    assert.equal(good.status, 0, good.out);
    const few = run('mocha-files.js', ['--min-files', '20', '--timeout', '30000', pattern]);
    assert.equal(few.status, 1, few.out);
    assert.match(few.out, /3 file\(s\) for .*, expected at least 20/);
  });

  it('find-objects.js: finds a compiled object by its stem, fails when there is none', () => {
    const build = path.join(dir, 'build', 'x', 'y');
    fs.mkdirSync(build, { recursive: true });
    fs.writeFileSync(path.join(build, 'sdk_layout_check.cc.obj'), '');
    const found = run('find-objects.js', [path.join(dir, 'build'), 'sdk_layout_check']);
    assert.equal(found.status, 0, found.out);
    assert.match(found.out, /sdk_layout_check\.cc\.obj/);
    const none = run('find-objects.js', [path.join(dir, 'build'), 'onex_sdk_layout_check']);
    assert.equal(none.status, 1, none.out);
  });
});

function runDirect(code: number): { status: number | null; out: string } {
  const run = spawnSync(process.execPath, [path.join(ci, 'run-as-system.js'), '--direct', '--name', 'eaphost-test', '--env', 'EAPHOST_PROBE=seen here',
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
        `>> "${log}" echo fixed %ERRORLEVEL%`, ''].join('\r\n'));
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
