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

const MACHINES = { 0x14c: 'ia32', 0x8664: 'x64', 0xaa64: 'arm64' };

function readPe(file) {
  const buf = fs.readFileSync(file);
  const fail = (why) => { throw new Error(`${file}: ${why}`); };
  if (buf.length < 0x40 || buf.readUInt16LE(0) !== 0x5a4d) fail('not an MZ executable');
  const pe = buf.readUInt32LE(0x3c);
  if (pe + 24 > buf.length || buf.readUInt32LE(pe) !== 0x4550) fail('no PE signature');
  const machine = buf.readUInt16LE(pe + 4);
  const sectionCount = buf.readUInt16LE(pe + 6);
  const optionalSize = buf.readUInt16LE(pe + 20);
  const optional = pe + 24;
  const magic = buf.readUInt16LE(optional);
  if (magic !== 0x10b && magic !== 0x20b) fail(`unknown optional-header magic 0x${magic.toString(16)}`);
  const pe32plus = magic === 0x20b;
  const imageBase = pe32plus ? Number(buf.readBigUInt64LE(optional + 24)) : buf.readUInt32LE(optional + 28);
  const directories = optional + (pe32plus ? 112 : 96);
  const directoryCount = buf.readUInt32LE(optional + (pe32plus ? 108 : 92));

  const sections = [];
  for (let i = 0, at = optional + optionalSize; i < sectionCount; i++, at += 40) {
    sections.push({ rva: buf.readUInt32LE(at + 12), size: Math.max(buf.readUInt32LE(at + 8), buf.readUInt32LE(at + 16)),
      raw: buf.readUInt32LE(at + 20) });
  }
  const offsetOf = (rva) => {
    const s = sections.find((x) => rva >= x.rva && rva < x.rva + x.size);
    if (!s) fail(`RVA 0x${rva.toString(16)} is in no section`);
    return rva - s.rva + s.raw;
  };
  const cString = (offset) => {
    const end = buf.indexOf(0, offset);
    if (end < 0 || end - offset > 260) fail('unterminated name');
    return buf.toString('latin1', offset, end);
  };

  // The import directory (1): 20-byte descriptors up to a null one, the DLL's name at +12.
  const imports = [];
  if (directoryCount > 1) {
    const rva = buf.readUInt32LE(directories + 8);
    if (rva !== 0) {
      for (let at = offsetOf(rva); at + 20 <= buf.length; at += 20) {
        const name = buf.readUInt32LE(at + 12);
        if (name === 0) break;
        imports.push(cString(offsetOf(name)));
      }
    }
  }

  const delayImports = [];
  if (directoryCount > 13) {
    const rva = buf.readUInt32LE(directories + 13 * 8);
    const size = buf.readUInt32LE(directories + 13 * 8 + 4);
    if (rva !== 0) {
      const start = offsetOf(rva);
      // The table ends at a null descriptor or at the directory's size, whichever comes first.
      const end = Math.min(buf.length, size > 0 ? start + size : buf.length);
      for (let at = start; at + 32 <= end; at += 32) {
        const attributes = buf.readUInt32LE(at);
        const name = buf.readUInt32LE(at + 4);
        if (name === 0) break;
        // Attribute bit 0 set: fields are RVAs (every current linker); clear: virtual addresses.
        delayImports.push(cString(offsetOf(attributes & 1 ? name : name - imageBase)));
      }
    }
  }
  return { machine: `0x${machine.toString(16)}`, arch: MACHINES[machine] ?? 'unknown', imports, delayImports };
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
