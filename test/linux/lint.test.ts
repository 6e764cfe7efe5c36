/**
 * npm run lint (scripts/dev/lint.js) passes on the tree: ESLint with eslint.config.js over the
 * TypeScript and the scripts, knip with knip.json (no export used nowhere, no file nothing reaches,
 * no dependency nothing uses), clang-format with .clang-format over the C++ (the files listed as
 * pending aside, a list that may only shrink). Proof on scratch files that each check fires.
 */
import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

const root = path.resolve(__dirname, '..', '..', '..');
// eslint-disable-next-line @typescript-eslint/no-require-imports
const lint = require(path.join(root, 'scripts', 'dev', 'lint.js')) as {
  cppFiles(): string[]; clangFormatFindings(binary: string): string[]; pendingList(): string[];
};
// eslint-disable-next-line @typescript-eslint/no-require-imports
const clangFormat = require('clang-format') as { getNativeBinary(): string };

describe('npm run lint', function () {
  this.timeout(600_000);

  it('passes: ESLint finds nothing, and every C++ file not pending is in clang-format\'s format', () => {
    const run = spawnSync(process.execPath, [path.join(root, 'scripts', 'dev', 'lint.js')], { cwd: root, encoding: 'utf8' });
    assert.equal(run.status, 0, `npm run lint failed:\n${run.stdout}\n${run.stderr}`);
    assert.match(run.stdout, /knip: no unused export, file or dependency/);
    assert.match(run.stdout, /clang-format: \d+ C\+\+ files in format/);
  });

  it('knip fires on an export used nowhere and on a file nothing reaches, not on what an entry exports', () => {
    // A scratch package under the tree's knip.json: its main is the entry, as the package's exports are.
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'eaphost-knip-'));
    try {
      fs.copyFileSync(path.join(root, 'knip.json'), path.join(dir, 'knip.json'));
      fs.writeFileSync(path.join(dir, 'package.json'), JSON.stringify({ name: 'scratch', private: true, main: 'lib/index.ts' }));
      fs.mkdirSync(path.join(dir, 'lib'));
      fs.writeFileSync(path.join(dir, 'lib', 'index.ts'), "import { used } from './parts';\nexport const publicValue = used + 1;\n");
      fs.writeFileSync(path.join(dir, 'lib', 'parts.ts'), 'export const used = 1;\nexport const usedNowhere = 2;\n');
      fs.writeFileSync(path.join(dir, 'lib', 'orphan.ts'), 'export const orphaned = 3;\n');
      const run = spawnSync(process.execPath, [path.join(root, 'node_modules', 'knip', 'bin', 'knip.js'), '--no-progress'],
        { cwd: dir, encoding: 'utf8' });
      assert.equal(run.status, 1, run.stdout + run.stderr);
      assert.match(run.stdout, /Unused files \(1\)\nlib\/orphan\.ts\n/);
      assert.match(run.stdout, /Unused exports \(1\)\nusedNowhere +lib\/parts\.ts:2:14/);
      assert.doesNotMatch(run.stdout, /publicValue|\bused\b/);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('checks most of the C++ and lists only files that exist', () => {
    const files = lint.cppFiles();
    const pending = lint.pendingList();
    assert.ok(files.length > 300, `${files.length} C++ files`);
    assert.deepEqual(pending.filter((file) => !files.includes(file)), []);
    assert.ok(files.length - pending.length >= 140, `only ${files.length - pending.length} C++ files are checked`);
  });

  it('the checks fire: ESLint on an unused name, clang-format on a file out of format', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'eaphost-lint-'));
    try {
      // Linted as if it were lib/scratch.ts, from standard input: nothing is written into the tree.
      const eslint = spawnSync(process.execPath, [path.join(root, 'node_modules', 'eslint', 'bin', 'eslint.js'),
        '--stdin', '--stdin-filename', 'lib/scratch.ts'],
        { cwd: root, encoding: 'utf8', input: 'export function f(): number {\n  const unused = 1;\n  return 2;\n}\n' });
      assert.equal(eslint.status, 1, eslint.stdout + eslint.stderr);
      assert.match(eslint.stdout, /'unused' is assigned a value but never used/);
      const cc = path.join(dir, 'scratch.cc');
      fs.copyFileSync(path.join(root, '.clang-format'), path.join(dir, '.clang-format'));
      fs.writeFileSync(cc, 'int   f( int a ){return a;}\n');
      const format = spawnSync(clangFormat.getNativeBinary(), ['--style=file', '--dry-run', '--Werror', cc], { encoding: 'utf8' });
      assert.notEqual(format.status, 0, 'clang-format accepted a file out of format');
      fs.writeFileSync(cc, 'int f(int a) { return a; }\n');
      const formatted = spawnSync(clangFormat.getNativeBinary(), ['--style=file', '--dry-run', '--Werror', cc], { encoding: 'utf8' });
      assert.equal(formatted.status, 0, formatted.stderr);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
