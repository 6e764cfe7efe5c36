/**
 * The workflows' scripts (scripts/ci/windows/*.js) in node.exe, with the options the workflow
 * steps give them (windows.yml): what each decides is run here before a runner runs it. What
 * Wine cannot show stays with the workflow step: eaphost-service.js (PowerShell's service
 * cmdlets and the real EapHost service), electron-smoke.js (Electron), sign.js (signtool),
 * run-as-system.js as SYSTEM (a scheduled task; its --direct mode runs in run-as-system.test.ts),
 * registered-copy.js (run by the Wine lane itself on the shipped prebuild's registration).
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
