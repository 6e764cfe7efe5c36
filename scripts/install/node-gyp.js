// Finds the node-gyp that the package manager running this install provides, and the Node-API
// headers to compile against, so a source build needs no global node-gyp and no download.
'use strict';
const fs = require('fs');
const path = require('path');
const { onPath } = require('./toolchain');

const BIN = path.join('node-gyp', 'bin', 'node-gyp.js');

function isFile(file) {
  try {
    return fs.statSync(file).isFile();
  } catch {
    return false;
  }
}

/**
 * Returns { command, args } that runs node-gyp (a shim is started with cross-spawn). Order: what the package manager says
 * (npm and pnpm set npm_config_node_gyp), a node-gyp the consumer installed, the one inside
 * the package manager that runs us (npm_execpath), npm's own beside this node, then PATH
 * (yarn puts a node-gyp shim there).
 */
function findNodeGyp(root) {
  const candidates = [];
  const configured = process.env.npm_config_node_gyp;
  if (configured) {
    if (!/\.[cm]?js$/.test(configured) && isFile(configured)) return { command: configured, args: [] };
    candidates.push(configured);
  }
  try {
    candidates.push(require.resolve('node-gyp/bin/node-gyp.js', { paths: [root] }));
  } catch { /* not installed beside the package */ }
  if (process.env.npm_execpath) {
    const managerDir = path.dirname(process.env.npm_execpath);
    candidates.push(path.join(managerDir, '..', 'node_modules', BIN), path.join(managerDir, 'node_modules', BIN));
  }
  const nodeDir = path.dirname(process.execPath);
  candidates.push(path.join(nodeDir, '..', 'lib', 'node_modules', 'npm', 'node_modules', BIN),
    path.join(nodeDir, 'node_modules', 'npm', 'node_modules', BIN));
  const found = candidates.find(isFile);
  if (found) return { command: process.execPath, args: [found] };
  if (onPath('node-gyp')) return { command: 'node-gyp', args: [] };
  return undefined;
}

/**
 * A --nodedir holding only the Node-API headers (from node-api-headers, as cmake-js uses)
 * and the build settings in scripts/install/common.gypi: the addon uses Node-API alone, so it
 * needs none of node's internal headers, and node-gyp downloads nothing. Off Windows only:
 * on Windows node-gyp also needs node.lib, which it fetches for the running node.
 */
function prepareNodeDir(root) {
  const headers = path.join(path.dirname(require.resolve('node-api-headers/package.json', { paths: [root] })), 'include');
  const nodeDir = path.join(root, 'build-node-api');
  const include = path.join(nodeDir, 'include', 'node');
  fs.rmSync(nodeDir, { recursive: true, force: true });
  fs.mkdirSync(include, { recursive: true });
  for (const name of fs.readdirSync(headers)) {
    if (name.endsWith('.h')) fs.copyFileSync(path.join(headers, name), path.join(include, name));
  }
  fs.copyFileSync(path.join(root, 'scripts', 'install', 'common.gypi'), path.join(include, 'common.gypi'));
  return nodeDir;
}

module.exports = { findNodeGyp, prepareNodeDir };
