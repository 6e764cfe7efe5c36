#!/usr/bin/env node
// The package job's artifacts into prebuilds/<platform>-<arch>: every prebuild-<target> artifact
// downloaded into <prebuilds>, the win32 ones replaced by sign-windows' (signed where a
// certificate is configured) from <signed>, each win32 directory checked against its manifest.
// Usage: node scripts/ci/file-prebuilds.js <prebuilds> <signed>
'use strict';
const runMain = require('./run-main');
const { spawnSync } = require('child_process');
const fs = require('fs');
const path = require('path');

function main(prebuilds, signed) {
  for (const dir of fs.readdirSync(prebuilds)) {
    if (dir.startsWith('prebuild-win32-')) fs.rmSync(path.join(prebuilds, dir), { recursive: true, force: true });
  }
  for (const dir of fs.readdirSync(signed)) {
    if (dir.startsWith('prebuild-win32-')) fs.renameSync(path.join(signed, dir), path.join(prebuilds, dir));
  }
  for (const dir of fs.readdirSync(prebuilds)) {
    if (dir.startsWith('prebuild-')) fs.renameSync(path.join(prebuilds, dir), path.join(prebuilds, dir.slice('prebuild-'.length)));
  }
  const manifest = path.join(__dirname, '..', 'install', 'write-manifest.js');
  for (const dir of fs.readdirSync(prebuilds).filter((d) => d.startsWith('win32-'))) {
    const run = spawnSync(process.execPath, [manifest, '--verify', path.join(prebuilds, dir)], { stdio: 'inherit' });
    if (run.status !== 0) throw new Error(`${dir} differs from its manifest`);
  }
  for (const dir of fs.readdirSync(prebuilds).sort()) {
    process.stdout.write(`${dir}: ${fs.readdirSync(path.join(prebuilds, dir)).sort().join(' ')}\n`);
  }
}

if (require.main === module) {
  runMain((argv) => {
    if (argv.length !== 2) throw new RangeError('usage: file-prebuilds.js <prebuilds> <signed>');
    main(argv[0], argv[1]);
  });
}
