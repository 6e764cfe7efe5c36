/**
 * A CurrentUser\Root change makes Windows ask the user to confirm; in a process whose window
 * station nobody sees (a service, an SSH session, a CI runner: WSF_VISIBLE clear) the dialog
 * would wait for nobody, so the install is refused at once, typed
 * (ERROR_REQUIRES_INTERACTIVE_WINDOWSTATION), and the store is left as it was. Windows node.exe
 * runs in a window station of its own (test/fixtures/hidden_station_launcher.cc, compiled here
 * with mingw-w64: Wine makes the station the process names, not visible), and, beside it, in
 * Wine's visible WinSta0, where the same install goes through. The store is read back by the
 * same process; the visible run's removal names the CA, so it was really there.
 */
import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { makeTempDir } from '../support/programs';
import { repoRoot } from '../support/scratch';
import { runWineNode } from '../support/wine-node';

const ERROR_REQUIRES_INTERACTIVE_WINDOWSTATION = 1459;
const CHILD = join('dist', 'test', 'fixtures', 'root-install-child.js');

interface Outcome {
  installed: boolean; removed?: string[]; thumbprint: string; win32Error?: number; message?: string; storesAfter: string[];
}

function outcomeOf(code: number | null, output: string): Outcome {
  assert.equal(code, 0, output);
  const line = output.split('\n').find((text) => text.startsWith('{'));
  assert.ok(line, `no report:\n${output}`);
  return JSON.parse(line) as Outcome;
}

describe('CurrentUser\\Root from a process nobody sees (Windows node.exe under Wine)', function () {
  this.timeout(180_000);
  const dir = makeTempDir('hidden-station');
  const launcher = join(dir.path, 'hidden_station_launcher.exe');
  after(() => dir.remove());

  before(() => {
    const build = spawnSync('x86_64-w64-mingw32-g++-posix', ['-std=c++17', '-O1', '-Wall', '-Wextra', '-Werror', '-municode', '-static',
      join(repoRoot, 'test', 'fixtures', 'hidden_station_launcher.cc'), '-o', launcher], { encoding: 'utf8' });
    assert.equal(build.status, 0, `the launcher did not compile:\n${build.stderr}`);
  });

  it('is refused at once with ERROR_REQUIRES_INTERACTIVE_WINDOWSTATION, the store untouched', async () => {
    const { code, output } = await runWineNode([CHILD], {}, launcher);
    const outcome = outcomeOf(code, output);
    assert.equal(outcome.installed, false, output);
    assert.equal(outcome.win32Error, ERROR_REQUIRES_INTERACTIVE_WINDOWSTATION, output);
    assert.match(outcome.message ?? '', /no visible window station.*UOI_FLAGS 0, WSF_VISIBLE clear.*LocalMachine\\Root/);
    assert.deepEqual(outcome.storesAfter, []);
  });

  it('goes through in the visible WinSta0', async () => {
    const { code, output } = await runWineNode([CHILD]);
    const outcome = outcomeOf(code, output);
    assert.equal(outcome.installed, true, output);
    assert.deepEqual(outcome.removed, [outcome.thumbprint]);  // it was there to remove
    assert.deepEqual(outcome.storesAfter, []);
  });
});
