#!/usr/bin/env node
// Install hook (npm, yarn, pnpm). In an installed package a prebuild that serves this machine
// is used as is and no compiler runs; otherwise, or with --build-from-source
// (npm_config_build_from_source) or EAPHOST_BUILD_FROM_SOURCE=1, the native code is built with
// node-gyp from binding.gyp. A development checkout always builds with cmake-js, because its
// tests run against build/Release. Nothing is downloaded: Node-API headers come from the
// node-api-headers package. Any failure ends with one line saying what is missing.
'use strict';
const fs = require('fs');
const path = require('path');
// A node-gyp other than a JS entry is a .cmd shim on Windows: cross-spawn starts it through
// cmd.exe with cmd's escaping (paths such as C:\Users\Ann Lee\... stay one argument).
const crossSpawn = require('cross-spawn');
const { checkPrerequisites, MissingPrerequisite } = require('./toolchain');
const { findNodeGyp, prepareNodeDir, visualStudioNote } = require('./node-gyp');
const { matchPrebuild } = require('./prebuild-match');

const root = path.resolve(__dirname, '..', '..');
const say = (line) => console.error(`eaphost: ${line}`);

class BuildFailed extends Error {}

function isTrue(value) {
  return value !== undefined && value !== '' && value !== '0' && value !== 'false';
}

function isDevelopmentCheckout() {
  return fs.existsSync(path.join(root, 'test')) && fs.existsSync(path.join(root, 'node_modules', 'cmake-js'));
}

function run(command, args, env) {
  const result = crossSpawn.sync(command, args, { cwd: root, stdio: 'inherit', env: { ...process.env, ...env } });
  if (result.error) throw new BuildFailed(`could not start ${command}: ${result.error.message}`);
  return result.status === null ? 1 : result.status;
}

function buildWithCmakeJs() {
  const env = checkPrerequisites(root, 'cmake-js');
  const cmakeJs = require.resolve('cmake-js/bin/cmake-js', { paths: [root] });
  // A development checkout is this project's own build: warnings are errors there. The node-gyp
  // fallback below, a consumer's build, leaves them warnings.
  const status = run(process.execPath, [cmakeJs, 'compile', '--CDCMAKE_BUILD_TYPE=Release', '--CDEAPHOST_WARNINGS_AS_ERRORS=ON'], env);
  if (status !== 0) throw new BuildFailed(`cmake-js compile failed (exit ${status}); the compiler's message is above`);
}

function buildWithNodeGyp() {
  const env = checkPrerequisites(root, 'node-gyp');
  const nodeGyp = findNodeGyp(root);
  if (!nodeGyp) {
    throw new MissingPrerequisite('node-gyp not found (npm ships one; with another package manager: npm install -g node-gyp)');
  }
  if (process.platform === 'win32') visualStudioNote(nodeGyp).forEach(say);
  const args = [...nodeGyp.args, 'rebuild', '--jobs', process.env.JOBS || 'max'];
  if (process.platform !== 'win32') args.push(`--nodedir=${prepareNodeDir(root)}`, '--force-process-config');
  const status = run(nodeGyp.command, args, env);
  if (status !== 0) throw new BuildFailed(`node-gyp rebuild failed (exit ${status}); the compiler's message is above`);
}

function main() {
  if (isDevelopmentCheckout()) {
    buildWithCmakeJs();
    return;
  }
  const forced = isTrue(process.env.EAPHOST_BUILD_FROM_SOURCE) || isTrue(process.env.npm_config_build_from_source);
  if (!forced) {
    const match = matchPrebuild(root);
    if (match.addon) {
      say(`using the prebuild ${path.relative(root, match.addon)}`);
      return;
    }
    say(`${match.reason}; building from source`);
  } else {
    say('building from source, as asked');
  }
  buildWithNodeGyp();
}

try {
  main();
} catch (err) {
  if (err instanceof MissingPrerequisite) say(`cannot build from source: ${err.message}`);
  else if (err instanceof BuildFailed) say(err.message);
  else say(`install failed: ${err && err.message ? err.message : err}`);
  process.exitCode = 1;
}
