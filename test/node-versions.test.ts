/**
 * The Node lines the package promises (package.json engines.node) against the lines the lanes run:
 * the node-versions lane (scripts/ci/node-versions.sh) must run the oldest line engines admits, so
 * a raised or lowered floor cannot go untested; the linux lane (scripts/ci/node-binary.sh) runs an
 * LTS line engines admits; and the README says the same lines.
 */
import { strict as assert } from 'assert';
import { readFileSync } from 'fs';
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

  it('the README names the lines the lanes run', () => {
    const readme = read('README.md');
    const floor = enginesFloor();
    assert.match(readme, new RegExp(`Node\\.js ${floor} and later \\(\`engines\``));
    const [version] = laneSetting('scripts/ci/node-binary.sh', 'LINUX_LANE_NODE_VERSION');
    assert.match(readme, new RegExp(`linux lane runs on Node ${major(version)}\\b`));
  });
});
