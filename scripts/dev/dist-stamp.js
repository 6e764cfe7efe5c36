#!/usr/bin/env node
// What dist/ was built from: the SHA-256 of every file `npm run build:ts` (and prepare, the same
// command) reads — the TypeScript under lib/, test/ and bench/, the compiler settings, the method
// table and the scripts that generate from it, the package's manifest and lock (which pin the
// compiler and the @types) — each by its path and contents, not its time (scripts/dev/files-digest.js).
//   node scripts/dev/dist-stamp.js write   after a build: writes dist/.inputs.sha256
//   node scripts/dev/dist-stamp.js check   exits 0 when dist/ was built from exactly these inputs,
//                                          1 (and says why) when it must be built again
// npm test builds dist/ once for every lane; right after set-up (whose npm ci ran prepare) the
// check spares that second, identical build. Any added, removed or changed input builds again.
'use strict';
const fs = require('fs');
const path = require('path');
const runMain = require('../ci/run-main');
const { filesDigest } = require('./files-digest');

const root = path.resolve(__dirname, '..', '..');
const STAMP = path.join(root, 'dist', '.inputs.sha256');
const TREES = ['lib', 'test', 'bench'];
const FILES = ['tsconfig.json', 'package.json', 'package-lock.json', 'native/methods/methods.json',
  'scripts/shipped-methods.js', 'scripts/dev/esm-entries.js'];

/** The digest of the inputs under `base` (the package's root) as they are now. */
function inputsDigest(base = root) {
  return filesDigest(base, [...TREES, ...FILES], { include: (rel) => !TREES.some((dir) => rel.startsWith(`${dir}/`)) || rel.endsWith('.ts') });
}

function main(argv) {
  const [mode] = argv;
  if (mode === 'write') {
    fs.writeFileSync(STAMP, `${inputsDigest()}\n`);
    return 0;
  }
  if (mode !== 'check') throw new RangeError('usage: dist-stamp.js write|check');
  let stamped;
  try {
    stamped = fs.readFileSync(STAMP, 'utf8').trim();
  } catch (error) {
    if (error.code !== 'ENOENT') throw error;
    process.stdout.write('dist/ has no record of its inputs: building it\n');
    return 1;
  }
  if (stamped !== inputsDigest()) {
    process.stdout.write('dist/ was built from other inputs: building it again\n');
    return 1;
  }
  process.stdout.write('dist/ was built from these inputs (dist/.inputs.sha256): not built again\n');
  return 0;
}

module.exports = { inputsDigest };
if (require.main === module) runMain(main);
