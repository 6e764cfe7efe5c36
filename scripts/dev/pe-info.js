#!/usr/bin/env node
// Reads what a Windows PE file (an addon .node or a DLL) says about itself: its machine, the
// DLLs it imports and the DLLs it delay-loads. scripts/dev/prebuild.js uses it to prove each Windows prebuild is for
// the architecture it is filed under and delay-loads node.exe, the hook that lets an addon
// load in Electron (whose executable is not called node.exe). Parsed here rather than with
// dumpbin so it runs on any machine, and on the mingw artifacts too.
//   node scripts/dev/pe-info.js <file> [--expect-delay-load node.exe | --forbid-vc-runtime]
// prints JSON { machine, arch, imports, delayImports }; with --expect-delay-load it also fails
// unless the file delay-loads that DLL and does not import it as well. vcRuntimeImports() names the imports that need the VC++
// redistributable, which users may not have installed (the builds link the runtime statically).
'use strict';
const fs = require('fs');

// The one PE reader is the package's own (lib/core/pe-image.ts, which `eaphost register` uses):
// this script runs where dist/ is built (npm ci builds it).
const { readPeImage, PE_MACHINES } = require('../../dist/lib/core/pe-image.js');

function readPe(file) {
  const { machine, imports, delayImports } = readPeImage(fs.readFileSync(file), file);
  return { machine: `0x${machine.toString(16)}`, arch: PE_MACHINES[machine] ?? 'unknown', imports, delayImports };
}

// The VC++ runtime's own DLLs (vcruntime140, msvcp140 and its _1/_2/_atomic_wait siblings,
// concrt140, the debug ucrtbased): a build with /MD imports them, one with /MT does not.
const VC_RUNTIME = /^(vcruntime\d+(_\d+)?d?|msvcp\d+(_\w+)?d?|concrt\d+d?|ucrtbased)\.dll$/i;
function vcRuntimeImports(info) {
  return [...info.imports, ...info.delayImports].filter((dll) => VC_RUNTIME.test(dll));
}

if (require.main === module) {
  try {
    const [file, flag, expected] = process.argv.slice(2);
    const info = readPe(file);
    console.log(JSON.stringify(info, null, 2));
    const named = (dll) => dll.toLowerCase() === String(expected).toLowerCase();
    if (flag === '--expect-delay-load' && !info.delayImports.some(named)) {
      throw new Error(`${file} does not delay-load ${expected} (delay imports: ${info.delayImports.join(', ') || 'none'})`);
    }
    // A DLL both delay-loaded and imported is loaded with the module, where the delay-load was for.
    if (flag === '--expect-delay-load' && info.imports.some(named)) throw new Error(`${file} also imports ${expected}`);
    if (flag === '--forbid-vc-runtime' && vcRuntimeImports(info).length > 0) {
      throw new Error(`${file} imports ${vcRuntimeImports(info).join(', ')}: it needs the VC++ redistributable (build with /MT)`);
    }
  } catch (err) {
    console.error(`pe-info: ${err.message}`);
    process.exitCode = 1;
  }
}

module.exports = { readPe, vcRuntimeImports };
