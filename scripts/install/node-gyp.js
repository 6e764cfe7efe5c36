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

// node-gyp's Visual Studio finder knows each version by its year; VS 2026 (version 18, on GitHub's
// windows-2025 images since June 2026) is known from node-gyp 12.1.0. Older ones, still bundled
// with older npm releases, say no Visual Studio was found where only 2026 is installed.
const NEWEST_VISUAL_STUDIO = 2026;

/**
 * The Visual Studio years the node-gyp whose bin/node-gyp.js is `nodeGypJs` can build with, read
 * from its own finder (lib/find-visualstudio.js): a year counts when the finder both looks for it
 * (the year lists it passes its queries) and maps a version number to it. Also its version. null
 * where the finder cannot be read (a shim on PATH, a node-gyp laid out otherwise).
 */
function visualStudioYears(nodeGypJs) {
  const packageDir = path.join(path.dirname(nodeGypJs), '..');
  let finder;
  let version;
  try {
    finder = fs.readFileSync(path.join(packageDir, 'lib', 'find-visualstudio.js'), 'utf8');
    version = JSON.parse(fs.readFileSync(path.join(packageDir, 'package.json'), 'utf8')).version;
  } catch {
    return null;
  }
  const asked = new Set();
  for (const [, list] of finder.matchAll(/this\.find\w*\(\s*\[([\d,\s]+)\]\s*\)/g)) {
    for (const year of list.split(',')) asked.add(Number(year));
  }
  const mapped = new Set([...finder.matchAll(/versionYear\s*=\s*(\d{4})\b/g)].map(([, year]) => Number(year)));
  const years = [...asked].filter((year) => mapped.has(year)).sort((a, b) => a - b);
  return { version: typeof version === 'string' ? version : 'of unknown version', years };
}

/**
 * What a Windows source build says before node-gyp runs: which Visual Studio versions the node-gyp
 * it found can use, and what to do where the newest is not among them. Lines to print.
 */
function visualStudioNote(nodeGyp) {
  const script = nodeGyp.args[0];
  const found = script === undefined ? null : visualStudioYears(script);
  if (found === null) return [`node-gyp (${nodeGyp.command}) builds with the Visual Studio versions it knows; this install cannot tell which`];
  const lines = [`node-gyp ${found.version} finds Visual Studio ${found.years.length > 0 ? found.years.join(', ') : '(no version this install can read)'}`];
  if (!found.years.includes(NEWEST_VISUAL_STUDIO)) {
    lines.push(`Visual Studio ${NEWEST_VISUAL_STUDIO} needs node-gyp 12.1.0 or later: with only ${NEWEST_VISUAL_STUDIO} installed, ` +
      'run `npm install -g node-gyp@latest` and set npm_config_node_gyp to its bin/node-gyp.js, or install the ' +
      `Visual Studio ${found.years.at(-1) ?? 2022} Build Tools`);
  }
  return lines;
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

module.exports = { findNodeGyp, prepareNodeDir, visualStudioNote, visualStudioYears };
