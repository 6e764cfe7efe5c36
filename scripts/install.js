#!/usr/bin/env node
// npm install hook. A prebuild for this platform, or an existing build, is used as is.
// In a development checkout (cmake-js present) the native code is built with cmake-js;
// a consumer without prebuilds falls back to node-gyp (bundled with npm), from the same
// source list. Nothing is downloaded: headers come from the node-api-headers package.
'use strict';
const fs = require('fs');
const path = require('path');
const { spawnSync } = require('child_process');

const root = path.resolve(__dirname, '..');
const prebuild = path.join(root, 'prebuilds', `${process.platform}-${process.arch}`, 'eaphost.node');
if (fs.existsSync(prebuild) && !process.env.EAPHOST_BUILD_FROM_SOURCE) process.exit(0);

function run(command, args) {
  const result = spawnSync(command, args, { cwd: root, stdio: 'inherit', shell: process.platform === 'win32' });
  if (result.status !== 0) process.exit(result.status === null ? 1 : result.status);
}

let cmakeJs;
try {
  cmakeJs = require.resolve('cmake-js/bin/cmake-js', { paths: [root] });
} catch {
  cmakeJs = undefined;
}
if (cmakeJs) {
  run(process.execPath, [cmakeJs, 'compile', '--CDCMAKE_BUILD_TYPE=Release']);
} else {
  run(process.execPath, [require.resolve('node-gyp/bin/node-gyp.js', { paths: [path.dirname(process.execPath), root] }), 'rebuild']);
}
