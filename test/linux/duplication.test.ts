/**
 * Copy-paste (.jscpd.json, CONTRIBUTING.md "Repetition"): jscpd finds no block of six or more
 * lines repeated in lib/, native/, test/, scripts/ or fuzz/, outside what the configuration
 * ignores (ABI tables): every repetition it once found has been made one piece of code, so any
 * pair it finds now fails. Proof on a small tree that the detector fires.
 */
import { strict as assert } from 'assert';
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { inScratchDir, repoRoot as root } from '../support/scratch';
const jscpd = path.join(root, 'node_modules', 'jscpd', 'bin', 'jscpd');

interface Clone { firstFile: { name: string; start: number; end: number }; secondFile: { name: string; start: number; end: number } }

function detect(cwd: string, config: string): string[] {
  return inScratchDir('eaphost-jscpd-', (out) => {
    const run = spawnSync(process.execPath, [jscpd, '--config', config, '--reporters', 'json', '--output', out, '--silent'],
      { cwd, encoding: 'utf8' });
    assert.equal(run.status, 0, `jscpd failed:\n${run.stdout}\n${run.stderr}`);
    const report = JSON.parse(fs.readFileSync(path.join(out, 'jscpd-report.json'), 'utf8')) as { duplicates: Clone[] };
    return report.duplicates.map((d) => {
      const a = `${d.firstFile.name}:${d.firstFile.start}-${d.firstFile.end}`;
      const b = `${d.secondFile.name}:${d.secondFile.start}-${d.secondFile.end}`;
      return [a, b].sort().join(' ~ ');
    });
  });
}

const pairOf = (clone: string) => clone.split(' ~ ').map((side) => side.replace(/:\d+-\d+$/, '')).sort().join(' ~ ');

describe('repetition (jscpd)', function () {
  // jscpd tokenises every source of the tree: minutes on a loaded two-core machine.
  this.timeout(900_000);

  it('no block of six lines or more is repeated', () => {
    const clones = detect(root, path.join(root, '.jscpd.json'));
    assert.deepEqual(clones, [], 'repeated blocks: make them one piece of code');
  });

  it('a block repeated in two files is reported', () => {
    inScratchDir('eaphost-jscpd-tree-', (dir) => {
      const block = Array.from({ length: 8 }, (_, i) =>
        `  const value${i} = compute(input, ${i}, 'step ${i}') + offset * ${i + 1};`).join('\n');
      fs.mkdirSync(path.join(dir, 'lib'));
      for (const name of ['a', 'b']) {
        fs.writeFileSync(path.join(dir, 'lib', `${name}.ts`),
          `export function ${name}(input: number, offset: number, compute: (x: number, i: number, s: string) => number) {\n${block}\n  return value7;\n}\n`);
      }
      const config = JSON.parse(fs.readFileSync(path.join(root, '.jscpd.json'), 'utf8'));
      config.path = ['lib'];
      fs.writeFileSync(path.join(dir, '.jscpd.json'), JSON.stringify(config));
      const clones = detect(dir, path.join(dir, '.jscpd.json'));
      assert.deepEqual(clones.map(pairOf), ['lib/a.ts ~ lib/b.ts']);
    });
  });
});
