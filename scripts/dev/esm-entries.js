#!/usr/bin/env node
// Writes the ES module side of every entry point in package.json's `exports`: a thin .mjs that
// re-exports the CommonJS build tsc made, and a .d.mts that re-exports its declarations. One
// instance of each module serves require() and import alike (no dual-package state), and the
// exports map stays the one list of public entry points. Run after tsc (npm run build:ts).
'use strict';
const fs = require('fs');
const path = require('path');

const root = path.resolve(__dirname, '..', '..');
const { exports: entries } = require(path.join(root, 'package.json'));

function relativeSpecifier(from, to) {
  const specifier = path.relative(path.dirname(from), to).split(path.sep).join('/');
  return specifier.startsWith('.') ? specifier : `./${specifier}`;
}

let written = 0;
for (const [subpath, target] of Object.entries(entries)) {
  if (typeof target === 'string') continue;  // ./package.json
  const esm = path.join(root, target.import.default);
  const esmTypes = path.join(root, target.import.types);
  const cjs = path.join(root, target.require.default);
  const cjsTypes = path.join(root, target.require.types);
  for (const file of [cjs, cjsTypes]) {
    if (!fs.existsSync(file)) throw new Error(`esm-entries: ${subpath} needs ${path.relative(root, file)}; run tsc first`);
  }
  fs.mkdirSync(path.dirname(esm), { recursive: true });
  const banner = `// The ES module face of eaphost's "${subpath}" entry (scripts/dev/esm-entries.js).\n`;
  fs.writeFileSync(esm, `${banner}export * from '${relativeSpecifier(esm, cjs)}';\n`);
  fs.writeFileSync(esmTypes, `${banner}export * from '${relativeSpecifier(esmTypes, cjs)}';\n`);
  written++;
}
if (written === 0) throw new Error('esm-entries: package.json lists no entry points');
