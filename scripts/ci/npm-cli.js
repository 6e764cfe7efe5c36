// npm's own JavaScript entry, run by this node (process.execPath): no .cmd shim, so no cmd.exe
// and its quoting on Windows, and no package from npm to start npm with (the workflows run
// scripts/ci/* in jobs that install nothing first). npm ships with node: beside node.exe on
// Windows (node_modules\npm), under <prefix>/lib/node_modules/npm elsewhere; the npm running this
// script (npm_execpath), when there is one, comes first.
'use strict';
const fs = require('fs');
const path = require('path');

/** The npm-cli.js to run with process.execPath; an Error naming where it looked when there is none. */
function npmCli(env = process.env) {
  const nodeDir = path.dirname(process.execPath);
  const candidates = [
    env.npm_execpath && /npm-cli\.js$/.test(env.npm_execpath) ? env.npm_execpath : undefined,
    path.join(nodeDir, 'node_modules', 'npm', 'bin', 'npm-cli.js'),
    path.join(nodeDir, '..', 'lib', 'node_modules', 'npm', 'bin', 'npm-cli.js'),
  ].filter(Boolean);
  const found = candidates.find((file) => fs.existsSync(file));
  if (!found) throw new Error(`npm's npm-cli.js is not beside this node: looked at ${candidates.join(', ')}`);
  return found;
}

module.exports = { npmCli };
