#!/usr/bin/env node
// The native sources: native/sources.json, with each method's own files added from its row in
// native/methods/methods.json: to methods, or to methods_tls for a method built on the TLS engine,
// which a build compiles only where it has that engine (scripts/shipped-methods.js tlsEngine).
// binding.gyp expands groups through it (<!@(...)); CMakeLists.txt reads the whole list as
// JSON, so both builds compile the same files.
//   node scripts/install/sources.js <group>...   the groups' files, space-separated
//   node scripts/install/sources.js --json       every group, as JSON
'use strict';
const path = require('path');
const { allShippedMethods, methodSourcesOf } = require('../shipped-methods');

function nativeSources() {
  const sources = JSON.parse(JSON.stringify(require(path.join(__dirname, '..', '..', 'native', 'sources.json'))));
  for (const m of allShippedMethods) sources[m.tls ? 'methods_tls' : 'methods'].push(...methodSourcesOf(m.name));
  return sources;
}

if (require.main === module) {
  const sources = nativeSources();
  const groups = process.argv.slice(2);
  if (groups.length === 1 && groups[0] === '--json') {
    process.stdout.write(JSON.stringify(sources));
  } else {
    const out = [];
    for (const group of groups) {
      if (!Array.isArray(sources[group])) {
        console.error(`sources.js: no group "${group}" in native/sources.json`);
        process.exit(2);
      }
      out.push(...sources[group]);
    }
    process.stdout.write(out.join(' '));
  }
}

module.exports = { nativeSources };
