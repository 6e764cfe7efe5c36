/**
 * The Node lines the package promises (package.json engines.node) against the lines the lanes run:
 * the node-versions lane (scripts/ci/node-versions.sh) must run the oldest line engines admits, so
 * a raised or lowered floor cannot go untested; the linux lane (scripts/ci/node-binary.sh) runs an
 * LTS line engines admits; the Windows lane (scripts/wine/run.sh) runs the node.exe line the GitHub
 * Action runs (action.yml's runs.using); and the README says the same lines.
 */
import { strict as assert } from 'assert';
import { existsSync, readFileSync } from 'fs';
import * as path from 'path';

const root = path.join(__dirname, '..', '..');
const read = (file: string): string => readFileSync(path.join(root, file), 'utf8');
const major = (version: string): number => Number(version.split('.')[0]);

/** engines.node's floor: the package states it as ">=N" (one range, no alternatives). */
function enginesFloor(): number {
  const range = (JSON.parse(read('package.json')) as { engines: { node: string } }).engines.node;
  const match = /^>=\s*(\d+)$/.exec(range);
  assert.ok(match, `engines.node is "${range}", not the ">=N" this check reads`);
  return Number(match[1]);
}

/** A shell variable's default value in a lane script: NAME=${OVERRIDE:-"a b"} or NAME=value. */
function laneSetting(file: string, name: string): string[] {
  const match = new RegExp(`^${name}=(?:\\$\\{[A-Z_]+:-"([^"]+)"\\}|([0-9.]+))$`, 'm').exec(read(file));
  assert.ok(match, `${file} sets no ${name}`);
  return (match[1] ?? match[2]).split(/\s+/);
}

describe('Node lines: engines.node and the lanes', () => {
  it('the node-versions lane runs the oldest line engines.node admits, a later LTS and the newest release', () => {
    const floor = enginesFloor();
    const versions = laneSetting('scripts/ci/node-versions.sh', 'NODE_VERSIONS');
    for (const version of versions) assert.match(version, /^\d+\.\d+\.\d+$/, `an exact version: ${version}`);
    const majors = versions.map(major);
    assert.equal(Math.min(...majors), floor, `node-versions runs ${versions.join(', ')}, engines.node admits ${floor} and later`);
    assert.ok(majors.some((m) => m > floor && m % 2 === 0), 'a later LTS (even) line besides the floor');
  });

  it('the linux lane runs an LTS line engines.node admits, not one node-versions already runs', () => {
    const [version] = laneSetting('scripts/ci/node-binary.sh', 'LINUX_LANE_NODE_VERSION');
    const lane = major(version);
    assert.ok(lane >= enginesFloor() && lane % 2 === 0, `the linux lane's Node ${version} is an admitted LTS line`);
    assert.ok(!laneSetting('scripts/ci/node-versions.sh', 'NODE_VERSIONS').map(major).includes(lane),
      `node-versions would run Node ${lane} a second time`);
  });

  it('the Windows lane runs the suite\'s core and the Action in the node.exe line action.yml runs', () => {
    const using = /^\s+using:\s*'?node(\d+)'?\s*$/m.exec(read('action.yml'));
    assert.ok(using, 'action.yml names no nodeNN runtime');
    const [version] = laneSetting('scripts/wine/run.sh', 'NODE_WIN_ACTION_VERSION');
    assert.equal(major(version), Number(using[1]), `the Windows lane runs node.exe ${version}, the Action node${using[1]}`);
    const lane = read('scripts/wine/run.sh');
    assert.match(lane, /^\s*run_chroot_core x64 "\$NODE_WIN_ACTION_VERSION" "[^"]+" "\$\{WIN_ACTION_SPECS\[@\]\}"/m, 'no step runs it');
    const specs = /^WIN_ACTION_SPECS=\(([^)]*)\)$/m.exec(lane);
    assert.ok(specs, 'scripts/wine/run.sh sets no WIN_ACTION_SPECS');
    const action = specs[1].split(/\s+/).filter((spec) => !spec.startsWith('"'));
    assert.deepEqual(action, ['action', 'action-release']);
    // mocha only warns about a named file that is not there: a renamed test would drop out unseen.
    for (const spec of action) assert.ok(existsSync(path.join(root, 'test', `${spec}.test.ts`)), `test/${spec}.test.ts`);
  });

  it('the README names the lines the lanes run', () => {
    const readme = read('README.md');
    const floor = enginesFloor();
    assert.match(readme, new RegExp(`Node\\.js ${floor} and later \\(\`engines\``));
    const [version] = laneSetting('scripts/ci/node-binary.sh', 'LINUX_LANE_NODE_VERSION');
    assert.match(readme, new RegExp(`linux lane runs on Node ${major(version)}\\b`));
    const [windows] = laneSetting('scripts/wine/run.sh', 'NODE_WIN_ACTION_VERSION');
    assert.match(readme, new RegExp(`core and the Action on Windows Node ${major(windows)}\\b`));
  });
});
