#!/usr/bin/env node
// npm run lint: ESLint over the TypeScript and the scripts (eslint.config.js); knip (knip.json)
// for an export used nowhere (not in its own file, not by another, not by a package entry), a file
// nothing reaches from an entry, a dependency nothing uses; then clang-format (.clang-format, the
// binary the clang-format npm package ships) over the tracked C++ of native/, test/standins/ and
// fuzz/, generated files aside. Files clang-format would still reformat are
// listed in scripts/dev/clang-format-pending.txt and left alone for now (other work edits them;
// a whole-tree reformat would bury it): a file not listed must already be in format, and a
// listed file that is in format (or gone) fails too, so the list only shrinks.
//
//   node scripts/dev/lint.js            every check; exit 1 on any finding
//   node scripts/dev/lint.js --pending  print the C++ files clang-format would change (the list's content)
'use strict';
const fs = require('fs');
const path = require('path');
const { spawnSync } = require('child_process');

const root = path.resolve(__dirname, '..', '..');
const PENDING = path.join('scripts', 'dev', 'clang-format-pending.txt');

function cppFiles() {
  const listed = spawnSync('git', ['ls-files', '-z', '--', 'native', 'test/standins', 'fuzz'], { cwd: root, encoding: 'utf8' });
  if (listed.status !== 0) throw new Error(`git ls-files failed: ${listed.stderr}`);
  return listed.stdout.split('\0').filter((f) => /\.(cc|h)$/.test(f) && !f.includes('/generated/'));
}

/** Whether clang-format leaves the file as it is. */
function inFormat(binary, file) {
  const run = spawnSync(binary, ['--style=file', '--dry-run', '--Werror', file], { cwd: root, encoding: 'utf8' });
  if (run.error) throw run.error;
  return run.status === 0;
}

function pendingList() {
  return fs.readFileSync(path.join(root, PENDING), 'utf8').split('\n').map((l) => l.trim()).filter((l) => l && !l.startsWith('#'));
}

function clangFormatFindings(binary) {
  const pending = new Set(pendingList());
  const findings = [];
  const files = cppFiles();
  for (const file of files) {
    const ok = inFormat(binary, file);
    if (!ok && !pending.has(file)) findings.push(`${file}: not in clang-format's format (run ${path.relative(root, binary)} -i --style=file ${file})`);
    if (ok && pending.has(file)) findings.push(`${file}: in format now: take it off ${PENDING}`);
  }
  for (const file of pending) if (!files.includes(file)) findings.push(`${file}: listed in ${PENDING} but not a tracked C++ file`);
  return findings;
}

module.exports = { cppFiles, clangFormatFindings, pendingList, PENDING };

if (require.main === module) {
  const binary = require('clang-format').getNativeBinary();
  if (process.argv.includes('--pending')) {
    for (const file of cppFiles()) if (!inFormat(binary, file)) console.log(file);
    process.exit(0);
  }
  const eslint = spawnSync(process.execPath, [path.join(root, 'node_modules', 'eslint', 'bin', 'eslint.js'), '.'], { cwd: root, stdio: 'inherit' });
  // knip resolves imports: the method table build:ts generates first must be there (a fresh clone has none).
  if (!fs.existsSync(path.join(root, 'lib', 'core', 'method-table.ts'))) {
    spawnSync(process.execPath, [path.join(root, 'scripts', 'shipped-methods.js'), 'ts', path.join('lib', 'core', 'method-table.ts')],
      { cwd: root, stdio: 'inherit' });
  }
  const knip = spawnSync(process.execPath, [path.join(root, 'node_modules', 'knip', 'bin', 'knip.js'), '--no-progress'], { cwd: root, stdio: 'inherit' });
  if (knip.status === 0) console.log('knip: no unused export, file or dependency');
  const findings = clangFormatFindings(binary);
  for (const finding of findings) console.error(finding);
  if (findings.length === 0) console.log(`clang-format: ${cppFiles().length - pendingList().length} C++ files in format, ${pendingList().length} pending (${PENDING})`);
  process.exit(eslint.status !== 0 || knip.status !== 0 || findings.length > 0 ? 1 : 0);
}
