#!/usr/bin/env node
// Prints the GCC flags that stand for a target's node-gyp build on Windows, so the Wine lane's
// mingw-w64 build of the addon compiles under the same rules (scripts/wine/run.sh).
//   windows-flags.js [--gyp <binding.gyp>] [--separator <s>] <target>
// It runs gyp itself (node-gyp's copy) the way node-gyp runs it on Windows: OS=win, node's
// common.gypi and node-gyp's addon.gypi included, and reads the Release configuration of the
// target that results (gyp's gypd output). Then:
//   RuntimeTypeInfo 'false' (/GR-, node's default)                 -> -fno-rtti
//   ExceptionHandling 0 or absent (no /EH), or _HAS_EXCEPTIONS=0     -> -fno-exceptions
//   each define                                                      -> -D<define>
// except the defines that only silence MSVC's CRT deprecations (_CRT_SECURE_NO_DEPRECATE,
// _CRT_NONSTDC_NO_DEPRECATE): the cross-build keeps the UCRT marks of scripts/cmake/, as the
// CMake build under /sdl does; any define gyp left unexpanded (a node-gyp generator variable); and
// the test-only contract probe's define, which CMake's EAPHOST_BUILD_CONTRACT_PROBE option gives
// to the probes and their registration alone (CMakeLists.txt), so the rest of a test build's addon
// compiles as the prebuild that ships it does.
'use strict';
const { spawnSync } = require('child_process');
const fs = require('fs');
const path = require('path');
const { findNodeGyp } = require('../install/node-gyp');

const root = path.join(__dirname, '..', '..');
const SILENCES_CRT = new Set(['_CRT_SECURE_NO_DEPRECATE', '_CRT_NONSTDC_NO_DEPRECATE', '_CRT_SECURE_NO_WARNINGS',
  '_CRT_NONSTDC_NO_WARNINGS']);
const CMAKE_OPTION = 'EAPHOST_BUILD_CONTRACT_PROBE';

function parseArgs(argv) {
  const options = { gyp: path.join(root, 'binding.gyp'), separator: ' ', target: undefined };
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === '--gyp') options.gyp = path.resolve(argv[++i]);
    else if (argv[i] === '--separator') options.separator = argv[++i];
    else if (!options.target) options.target = argv[i];
    else throw new Error(`unexpected argument "${argv[i]}"`);
  }
  if (!options.target) throw new Error('usage: windows-flags.js [--gyp <binding.gyp>] [--separator <s>] <target>');
  return options;
}

/** node-gyp's own directory (its gyp and addon.gypi) and the node headers' common.gypi. */
function locateGyp() {
  const nodeGyp = findNodeGyp(root);
  if (!nodeGyp || nodeGyp.args.length === 0) throw new Error('node-gyp not found (npm ships one)');
  const gypDir = path.dirname(path.dirname(nodeGyp.args[0]));
  const headers = path.join(path.dirname(process.execPath), '..', 'include', 'node');
  for (const file of [path.join(gypDir, 'gyp', 'gyp_main.py'), path.join(gypDir, 'addon.gypi'),
    path.join(headers, 'common.gypi'), path.join(headers, 'config.gypi')]) {
    if (!fs.existsSync(file)) throw new Error(`${file} is missing (node-gyp and node's headers are needed)`);
  }
  return { gypDir, headers };
}

/** The targets of a .gyp file as gyp resolves it for Windows (gypd: every condition applied), for
 *  `arch` (x64 unless named) in the environment `env` (this process's unless given). */
function resolveForWindows(gypFile, { arch = 'x64', env = process.env } = {}) {
  const { gypDir, headers } = locateGyp();
  const suffix = `.windows-flags-${process.pid}`;
  const gypd = gypFile.replace(/\.gyp$/, `${suffix}.gypd`);
  // node-gyp writes a config.gypi for the architecture it builds; node's own names its own, whose
  // target_arch would override -Dtarget_arch.
  const config = gypFile.replace(/\.gyp$/, `${suffix}.config.gypi`);
  fs.writeFileSync(config, fs.readFileSync(path.join(headers, 'config.gypi'), 'utf8')
    .replace(/(['"]target_arch['"]:\s*)['"][^'"]*['"]/, `$1'${arch}'`));
  const args = [path.join(gypDir, 'gyp', 'gyp_main.py'), path.basename(gypFile), '-f', 'gypd', `--suffix=${suffix}`,
    '--depth=.', '-DOS=win', `-Dtarget_arch=${arch}`, '-Dhost_arch=x64', '-Dclang=0', '-Dstandalone_static_library=0',
    '-Dlibrary=shared_library', '-Dvisibility=default', '-Dnode_engine=v8', '-Dnode_lib_file=node.lib',
    `-Dnode_root_dir=${path.dirname(path.dirname(headers))}`, `-Dnode_gyp_dir=${gypDir}`,
    `-Dmodule_root_dir=${path.dirname(gypFile)}`,
    '-I', config, '-I', path.join(gypDir, 'addon.gypi'), '-I', path.join(headers, 'common.gypi')];
  const run = spawnSync('python3', args, { cwd: path.dirname(gypFile), encoding: 'utf8', env });
  try {
    if (run.error) throw new Error(`cannot run gyp: ${run.error.message}`);
    if (run.status !== 0) throw new Error(`gyp failed (exit ${run.status}): ${run.stderr}`);
    // gypd is Python's repr of the resolved build file: Python itself turns it into JSON.
    const json = spawnSync('python3', ['-c', 'import ast,json,sys; print(json.dumps(ast.literal_eval(open(sys.argv[1]).read())))', gypd],
      { encoding: 'utf8' });
    if (json.status !== 0) throw new Error(`cannot read gyp's output: ${json.stderr}`);
    const targets = JSON.parse(json.stdout).targets;
    // `files`: what each target compiles, its unity batches (scripts/install/sources.js --unity)
    // read back into the files they include.
    for (const target of targets) target.files = (target.sources ?? []).flatMap((s) => batchMembers(path.dirname(gypFile), s));
    return targets;
  } finally {
    fs.rmSync(gypd, { force: true });
    fs.rmSync(config, { force: true });
  }
}

/** The files a source of a resolved target compiles: a unity batch's members (relative to the
 *  .gyp file's folder, as gyp names sources), or the source itself. */
function batchMembers(dir, source) {
  if (!/^build\/unity\/unity_\w+\.cc$/.test(source)) return [source];
  const text = fs.readFileSync(path.join(dir, source), 'utf8');
  return [...text.matchAll(/^#include "([^"]+)"$/gm)].map((m) => path.posix.normalize(path.posix.join(path.posix.dirname(source), m[1])));
}

/** The Release configuration of one resolved target. */
function releaseConfiguration(targets, name) {
  const found = targets.find((t) => t.target_name === name);
  if (!found) throw new Error(`no target "${name}" for Windows`);
  return found.configurations.Release;
}

/** GCC flags for a resolved Windows configuration (the mapping above). */
function gccFlags(config) {
  const cl = (config.msvs_settings ?? {}).VCCLCompilerTool ?? {};
  const defines = (config.defines ?? []).map(String);
  const flags = [];
  if (String(cl.RuntimeTypeInfo) === 'false') flags.push('-fno-rtti');
  const exceptionsOff = !['1', '2'].includes(String(cl.ExceptionHandling ?? '0')) || defines.includes('_HAS_EXCEPTIONS=0');
  if (exceptionsOff) flags.push('-fno-exceptions');
  for (const define of defines) {
    if (SILENCES_CRT.has(define) || define === CMAKE_OPTION || define.includes('<(') || define.includes('"')) continue;
    flags.push(`-D${define}`);
  }
  return flags;
}

if (require.main === module) {
  try {
    const options = parseArgs(process.argv.slice(2));
    const config = releaseConfiguration(resolveForWindows(options.gyp), options.target);
    process.stdout.write(gccFlags(config).join(options.separator) + '\n');
  } catch (e) {
    console.error(`windows-flags.js: ${e.message}`);
    process.exit(1);
  }
}

module.exports = { resolveForWindows, releaseConfiguration, gccFlags };
