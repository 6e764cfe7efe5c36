#!/usr/bin/env node
// The native sources: native/sources.json, with each method's own files added from its row in
// native/methods/methods.json: to methods, or to methods_tls for a method built on the TLS engine,
// which a build compiles only where it has that engine (scripts/shipped-methods.js tlsEngine).
// binding.gyp expands groups through it (<!@(...)); CMakeLists.txt reads the whole list as
// JSON, so both builds compile the same files.
//
// Both builds also compile them in the same unity batches, decided here once: each group's files,
// in order, eight to a batch (a batch never spans two groups, so it is the same whichever target
// compiles the group), but for the files that must compile alone (ALONE below). The headers every
// file includes (node-addon-api, the standard library, windows.h, GnuTLS) are then parsed once per
// batch: a cold CMake build took 99 s of processor time against 183 s file by file. CMakeLists.txt
// gives each file its batch as UNITY_GROUP; binding.gyp compiles the batch files --unity writes.
//   node scripts/install/sources.js <group>...           the groups' files, space-separated
//   node scripts/install/sources.js --unity <group>...   the groups' unity batches (written to
//        build/unity/, each including its files) and the files compiled alone, space-separated;
//        with EAPHOST_UNITY_BUILD=OFF in the environment, the files themselves
//   node scripts/install/sources.js --json               every group, and "unity": each batched
//        file's batch name, as JSON
'use strict';
const fs = require('fs');
const path = require('path');
const { allShippedMethods, methodSourcesOf } = require('../shipped-methods');

const root = path.join(__dirname, '..', '..');

function nativeSources() {
  const sources = JSON.parse(JSON.stringify(require(path.join(root, 'native', 'sources.json'))));
  for (const m of allShippedMethods) sources[m.tls ? 'methods_tls' : 'methods'].push(...methodSourcesOf(m.name));
  return sources;
}

const BATCH_SIZE = 8;
// Compiled alone, never in a batch: the files that include Windows' own wlanapi.h (its EAP_FLAG_*
// macros would rewrite the ABI's names in native/abi in any file batched after them), the file that
// registers the contract probes (built with the probes' define in a test build and without it in a
// prebuild, so every other file falls into the same batches in both), and the probes themselves.
const ALONE_FILES = [/\/wlan_[a-z]+_win32\.cc$/, /\/seam_registration\.cc$/];
const ALONE_GROUPS = ['addon_contract_probe'];

/** Each batched file's batch name (group_N): a group's files in order, BATCH_SIZE to a batch. */
function unityBatches(sources) {
  const batchOf = {};
  for (const [group, files] of Object.entries(sources)) {
    if (!Array.isArray(files) || ALONE_GROUPS.includes(group)) continue;
    const batched = files.filter((f) => f.endsWith('.cc') && !ALONE_FILES.some((re) => re.test(f)));
    batched.forEach((file, i) => {
      if (batchOf[file] !== undefined) throw new Error(`sources.js: ${file} is in two groups (${batchOf[file]}, ${group})`);
      batchOf[file] = `${group}_${Math.floor(i / BATCH_SIZE)}`;
    });
  }
  return batchOf;
}

/** Writes the batch files of `files` under `dir` (only where their text changed) and returns what
 *  a build compiles for them: each batch file once, in order, and the files compiled alone. */
function unitySources(files, batchOf, dir) {
  const out = [];
  const batches = new Map();
  for (const file of files) {
    const batch = batchOf[file];
    if (batch === undefined) {
      out.push(file);
      continue;
    }
    if (!batches.has(batch)) {
      batches.set(batch, []);
      out.push(path.posix.join(dir, `unity_${batch}.cc`));
    }
    batches.get(batch).push(file);
  }
  fs.mkdirSync(path.join(root, dir), { recursive: true });
  for (const [batch, members] of batches) {
    const text = `// ${batch}: a unity batch of scripts/install/sources.js (CMakeLists.txt batches the same files)\n` +
      members.map((f) => `#include "${path.posix.relative(dir, f)}"\n`).join('');
    const target = path.join(root, dir, `unity_${batch}.cc`);
    if (!fs.existsSync(target) || fs.readFileSync(target, 'utf8') !== text) fs.writeFileSync(target, text);
  }
  return out;
}

if (require.main === module) {
  const sources = nativeSources();
  let groups = process.argv.slice(2);
  const unity = groups[0] === '--unity';
  if (unity) groups = groups.slice(1);
  if (groups.length === 1 && groups[0] === '--json') {
    process.stdout.write(JSON.stringify({ ...sources, unity: unityBatches(sources) }));
  } else {
    const out = [];
    for (const group of groups) {
      if (!Array.isArray(sources[group])) {
        console.error(`sources.js: no group "${group}" in native/sources.json`);
        process.exit(2);
      }
      out.push(...sources[group]);
    }
    const off = /^(off|0|false|no)$/i.test(process.env.EAPHOST_UNITY_BUILD ?? '');
    process.stdout.write((unity && !off ? unitySources(out, unityBatches(sources), 'build/unity') : out).join(' '));
  }
}

module.exports = { nativeSources, unityBatches };
