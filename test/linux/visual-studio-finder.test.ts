/**
 * A Windows source build says which Visual Studio versions the node-gyp it found can use
 * (scripts/install/node-gyp.js, visualStudioNote): read from node-gyp's own finder,
 * lib/find-visualstudio.js. Visual Studio 2026 (version 18, on windows-2025 images since June
 * 2026) is known from node-gyp 12.1.0 on (its changelog); an older node-gyp, as older npm
 * releases bundle, reports "no Visual Studio" where only 2026 is installed, and the note says
 * what to do. Checked against the node-gyp npm on this machine bundles, and against finder
 * layouts of the older and the half-patched kind written here.
 */
import { strict as assert } from 'assert';
import { spawnSync } from 'child_process';
import { mkdirSync, mkdtempSync, realpathSync, rmSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import * as path from 'path';

interface Found { version: string; years: number[] }
const install = require(path.join(__dirname, '..', '..', '..', 'scripts', 'install', 'node-gyp.js')) as {
  visualStudioYears(nodeGypJs: string): Found | null;
  visualStudioNote(nodeGyp: { command: string; args: string[] }): string[];
};

/** A node-gyp package laid out as npm installs one, with the given finder text. */
function fakeNodeGyp(dir: string, version: string, finder: string): string {
  mkdirSync(path.join(dir, 'bin'), { recursive: true });
  mkdirSync(path.join(dir, 'lib'));
  writeFileSync(path.join(dir, 'package.json'), JSON.stringify({ name: 'node-gyp', version }));
  writeFileSync(path.join(dir, 'lib', 'find-visualstudio.js'), finder);
  writeFileSync(path.join(dir, 'bin', 'node-gyp.js'), '');
  return path.join(dir, 'bin', 'node-gyp.js');
}

/** A finder's text: the year lists its queries pass and the versions it maps to years. */
function finderText(asked: number[], mapped: Array<[number, number]>): string {
  return [
    `  async findVisualStudio2019OrNewer () {\n    return this.findNewVS([${asked.join(', ')}])\n  }`,
    ...mapped.map(([major, year]) => `    if (ret.versionMajor === ${major}) {\n      ret.versionYear = ${year}\n      return ret\n    }`),
  ].join('\n');
}

const semver = (version: string): number[] => version.split('.').map((part) => Number.parseInt(part, 10));
const atLeast = (version: string, floor: string): boolean => {
  const [a, b] = [semver(version), semver(floor)];
  for (let i = 0; i < 3; i++) if (a[i] !== b[i]) return a[i] > b[i];
  return true;
};

describe('the source build names the Visual Studio versions node-gyp finds', () => {
  let dir: string;
  before(() => { dir = mkdtempSync(path.join(tmpdir(), 'eaphost-vs-finder-')); });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it("npm's own node-gyp: 2026 among its years exactly when it is 12.1.0 or later", () => {
    // npm's own folder, from the npm on PATH (bin/npm-cli.js behind its link), whichever node runs this.
    const npm = spawnSync('sh', ['-c', 'command -v npm'], { encoding: 'utf8' }).stdout.trim();
    assert.notEqual(npm, '', 'no npm on PATH');
    const script = path.join(path.dirname(path.dirname(realpathSync(npm))), 'node_modules', 'node-gyp', 'bin', 'node-gyp.js');
    const found = install.visualStudioYears(script);
    assert.ok(found !== null, `npm's node-gyp finder is not readable at ${script}`);
    assert.ok(found.years.includes(2022), `node-gyp ${found.version} finds ${found.years.join(', ')}`);
    assert.equal(found.years.includes(2026), atLeast(found.version, '12.1.0'), `node-gyp ${found.version}: ${found.years.join(', ')}`);
    const note = install.visualStudioNote({ command: process.execPath, args: [script] });
    assert.equal(note[0], `node-gyp ${found.version} finds Visual Studio ${found.years.join(', ')}`);
    assert.equal(note.length, found.years.includes(2026) ? 1 : 2);
  });

  it('an older finder (2019 and 2022 only): the note says 2026 needs node-gyp 12.1.0 and what to do', () => {
    const script = fakeNodeGyp(path.join(dir, 'old'), '11.5.0', finderText([2019, 2022], [[16, 2019], [17, 2022]]));
    assert.deepEqual(install.visualStudioYears(script), { version: '11.5.0', years: [2019, 2022] });
    const note = install.visualStudioNote({ command: process.execPath, args: [script] });
    assert.equal(note.length, 2);
    assert.match(note[1], /^Visual Studio 2026 needs node-gyp 12\.1\.0 or later: .*npm_config_node_gyp.*Visual Studio 2022 Build Tools$/);
  });

  it('a half-patched finder (asks for 2026, maps no version 18 to it) does not count 2026', () => {
    const script = fakeNodeGyp(path.join(dir, 'half'), '11.5.0', finderText([2019, 2022, 2026], [[16, 2019], [17, 2022]]));
    assert.deepEqual(install.visualStudioYears(script)?.years, [2019, 2022]);
    const whole = fakeNodeGyp(path.join(dir, 'whole'), '11.5.0', finderText([2019, 2022, 2026], [[16, 2019], [17, 2022], [18, 2026]]));
    assert.deepEqual(install.visualStudioYears(whole)?.years, [2019, 2022, 2026]);
    assert.equal(install.visualStudioNote({ command: process.execPath, args: [whole] }).length, 1);
  });

  it('a node-gyp shim on PATH: the note says it cannot tell, and the build goes on', () => {
    assert.equal(install.visualStudioYears(path.join(dir, 'nowhere', 'bin', 'node-gyp.js')), null);
    assert.deepEqual(install.visualStudioNote({ command: 'node-gyp', args: [] }),
      ['node-gyp (node-gyp) builds with the Visual Studio versions it knows; this install cannot tell which']);
  });
});
