#!/usr/bin/env node
// Prints one group of native/sources.json for binding.gyp's <!@(...) expansion, so node-gyp
// builds from the same list as CMakeLists.txt. Usage: node scripts/install/sources.js <group>...
'use strict';
const path = require('path');
const sources = require(path.join(__dirname, '..', '..', 'native', 'sources.json'));
const out = [];
for (const group of process.argv.slice(2)) {
  if (!Array.isArray(sources[group])) {
    console.error(`sources.js: no group "${group}" in native/sources.json`);
    process.exit(2);
  }
  out.push(...sources[group]);
}
process.stdout.write(out.join(' '));
