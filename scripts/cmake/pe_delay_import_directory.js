#!/usr/bin/env node
// GNU ld (binutils 2.40) links a dlltool delay-import library correctly but leaves the PE
// header's delay-import data directory (entry 13) empty. Windows' delay-load helper does not
// need it, but every tool that asks a DLL what it delay-loads reads it (dumpbin, and
// scripts/dev/pe-info.js, which proves each Windows prebuild delay-loads node.exe). This fills the
// entry from the descriptor's address in the linker map, after checking the descriptor there
// really names the DLL.
//   node pe_delay_import_directory.js <file.node|file.dll> <linker map> <dll name>
'use strict';
const fs = require('fs');

const DESCRIPTOR_SIZE = 32; // IMAGE_DELAYLOAD_DESCRIPTOR: eight 32-bit fields
const DELAY_IMPORT_DIRECTORY = 13;

function fail(why) {
  console.error(`pe_delay_import_directory: ${why}`);
  process.exit(1);
}

const [file, mapFile, dll] = process.argv.slice(2);
if (!file || !mapFile || !dll) fail('usage: pe_delay_import_directory.js <pe file> <linker map> <dll name>');

const map = fs.readFileSync(mapFile, 'utf8');
// x64 maps name it __DELAY_IMPORT_DESCRIPTOR_<lib>; i686 maps show one underscore fewer.
const symbol = map.match(/^\s+0x([0-9a-f]+)\s+_{1,2}DELAY_IMPORT_DESCRIPTOR_\S+\s*$/m);
if (!symbol) fail(`${mapFile} has no __DELAY_IMPORT_DESCRIPTOR_ symbol: nothing is delay-loaded`);
const address = BigInt(`0x${symbol[1]}`);

const buf = fs.readFileSync(file);
const pe = buf.readUInt32LE(0x3c);
if (buf.readUInt32LE(pe) !== 0x4550) fail(`${file} is not a PE file`);
const optional = pe + 24;
const pe32plus = buf.readUInt16LE(optional) === 0x20b;
const imageBase = pe32plus ? buf.readBigUInt64LE(optional + 24) : BigInt(buf.readUInt32LE(optional + 28));
const directories = optional + (pe32plus ? 112 : 96);
if (buf.readUInt32LE(optional + (pe32plus ? 108 : 92)) <= DELAY_IMPORT_DIRECTORY) fail(`${file} has too few data directories`);
const rva = Number(address - imageBase);

// Map the descriptor to its file offset and check that it names the DLL.
const sectionCount = buf.readUInt16LE(pe + 6);
const sectionTable = optional + buf.readUInt16LE(pe + 20);
function offsetOf(at) {
  for (let i = 0; i < sectionCount; i++) {
    const s = sectionTable + i * 40;
    const start = buf.readUInt32LE(s + 12);
    const size = Math.max(buf.readUInt32LE(s + 8), buf.readUInt32LE(s + 16));
    if (at >= start && at < start + size) return at - start + buf.readUInt32LE(s + 20);
  }
  return fail(`RVA 0x${at.toString(16)} lies in no section of ${file}`);
}
const descriptor = offsetOf(rva);
if (buf.readUInt32LE(descriptor) !== 1) fail('the descriptor does not use RVAs (attributes != 1)');
const nameAt = offsetOf(buf.readUInt32LE(descriptor + 4));
const name = buf.toString('latin1', nameAt, buf.indexOf(0, nameAt));
if (name.toLowerCase() !== dll.toLowerCase()) fail(`the delay-import descriptor names ${name}, not ${dll}`);

buf.writeUInt32LE(rva, directories + DELAY_IMPORT_DIRECTORY * 8);
buf.writeUInt32LE(DESCRIPTOR_SIZE, directories + DELAY_IMPORT_DIRECTORY * 8 + 4);
fs.writeFileSync(file, buf);
