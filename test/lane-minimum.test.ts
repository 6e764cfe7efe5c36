/**
 * test/support/lane-minimum.ts, the lanes' floor on how many tests ran, in a mocha of its own: a
 * file that registers no test must fail the run too (mocha runs no root hook then).
 */
import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

const root = path.join(__dirname, '..', '..');
const mocha = path.join(root, 'node_modules', 'mocha', 'bin', 'mocha.js');
const plugin = path.join(root, 'dist', 'test', 'support', 'lane-minimum.js');

describe('the lanes\' minimum test count (test/support/lane-minimum)', function () {
  this.timeout(60000);
  let dir: string;
  before(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'eaphost-lane-minimum-'));
    fs.writeFileSync(path.join(dir, 'none.test.js'), '// registers no test\n');
    fs.writeFileSync(path.join(dir, 'two.test.js'), "it('one', () => {});\nit('two', () => {});\n");
  });
  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  function run(file: string, minimum?: number, laneNode?: string): { status: number | null; err: string } {
    const env = { ...process.env };
    delete env.EAPHOST_LANE_MIN_TESTS;
    delete env.EAPHOST_LANE_NODE;
    if (minimum !== undefined) env.EAPHOST_LANE_MIN_TESTS = String(minimum);
    if (laneNode !== undefined) env.EAPHOST_LANE_NODE = laneNode;
    const r = spawnSync(process.execPath, [mocha, '--no-config', '--require', plugin, path.join(dir, file)],
      { encoding: 'utf8', env, stdio: ['ignore', 'pipe', 'pipe'] });
    return { status: r.status, err: `${r.stdout}${r.stderr}` };
  }

  it('a file with no test fails a lane that wants one, and passes without a floor', () => {
    const floor = run('none.test.js', 1);
    assert.equal(floor.status, 1, floor.err);
    assert.match(floor.err, /only 0 tests ran, this lane runs at least 1/);
    assert.equal(run('none.test.js').status, 0);
  });

  it('two tests pass a floor of 2 and fail one of 3', () => {
    assert.equal(run('two.test.js', 2).status, 0);
    const short = run('two.test.js', 3);
    assert.notEqual(short.status, 0, short.err);
    assert.match(short.err, /only 2 tests ran, this lane runs at least 3/);
  });

  it('a lane that promises a Node version fails on another one (EAPHOST_LANE_NODE)', () => {
    assert.equal(run('two.test.js', 2, process.versions.node).status, 0);
    const wrong = run('two.test.js', 2, '0.0.1');
    assert.notEqual(wrong.status, 0, wrong.err);
    assert.match(wrong.err, new RegExp(`this lane runs on Node 0\\.0\\.1, but mocha runs on ${process.version.replace(/\./g, '\\.')}`));
  });
});
