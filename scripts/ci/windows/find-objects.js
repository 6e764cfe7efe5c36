#!/usr/bin/env node
// Fails unless the build compiled a given source: lists the object files under <dir> whose name
// starts with <stem> (sdk_layout_check: native/abi/sdk_layout_check.cc, whose static_asserts hold
// the ABI to the Windows SDK's layouts and run only where they compile). Usage:
//   node scripts/ci/windows/find-objects.js <dir> <stem>
'use strict';
const fs = require('fs');
const path = require('path');

function find(dir, stem) {
  const found = [];
  const walk = (at) => {
    for (const entry of fs.readdirSync(at, { withFileTypes: true })) {
      const file = path.join(at, entry.name);
      if (entry.isDirectory()) walk(file);
      else if (entry.name.startsWith(stem) && /\.(obj|o)$/.test(entry.name)) found.push(file);
    }
  };
  walk(dir);
  return found.sort();
}

if (require.main === module) {
  const [dir, stem] = process.argv.slice(2);
  if (!dir || !stem || !fs.existsSync(dir)) {
    process.stderr.write('usage: find-objects.js <existing build dir> <object name stem>\n');
    process.exit(2);
  }
  const found = find(dir, stem);
  for (const file of found) process.stdout.write(`${file}\n`);
  if (found.length === 0) {
    process.stderr.write(`no ${stem}* object under ${dir}: that source was not compiled\n`);
    process.exitCode = 1;
  }
}
module.exports = { find };
