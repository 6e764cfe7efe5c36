#!/usr/bin/env node
// GNU ld (binutils 2.40) links a dlltool delay-import library correctly but leaves the PE
// header's delay-import data directory (entry 13) empty. Windows' delay-load helper does not
// need it, but every tool that asks a DLL what it delay-loads reads it (dumpbin, and
// scripts/dev/pe-info.js, which proves each Windows prebuild delay-loads node.exe). This fills the
// entry from the descriptors' addresses in the linker map, after checking the descriptors there
// really name the DLLs. A module that delay-loads several DLLs (the addon: node.exe, and
// libgnutls-30.dll where it has RADIUS/DTLS) has one descriptor per DLL, laid side by side in
// .text$2; the entry covers them all, whichever DLL's link step runs this (each gives the same).
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
// x64 maps name them __DELAY_IMPORT_DESCRIPTOR_<lib>; i686 maps show one underscore fewer.
const addresses = [...map.matchAll(/^\s+0x([0-9a-f]+)\s+_{1,2}DELAY_IMPORT_DESCRIPTOR_\S+\s*$/gm)]
  .map((symbol) => BigInt(`0x${symbol[1]}`)).sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
if (addresses.length === 0) fail(`${mapFile} has no __DELAY_IMPORT_DESCRIPTOR_ symbol: nothing is delay-loaded`);
addresses.forEach((at, i) => {
  if (i > 0 && at !== addresses[i - 1] + BigInt(DESCRIPTOR_SIZE)) fail(`${mapFile}: the delay-import descriptors are not side by side`);
});

const buf = fs.readFileSync(file);
const pe = buf.readUInt32LE(0x3c);
if (buf.readUInt32LE(pe) !== 0x4550) fail(`${file} is not a PE file`);
const optional = pe + 24;
const pe32plus = buf.readUInt16LE(optional) === 0x20b;
const imageBase = pe32plus ? buf.readBigUInt64LE(optional + 24) : BigInt(buf.readUInt32LE(optional + 28));
const directories = optional + (pe32plus ? 112 : 96);
if (buf.readUInt32LE(optional + (pe32plus ? 108 : 92)) <= DELAY_IMPORT_DIRECTORY) fail(`${file} has too few data directories`);

// An RVA's offset in the file.
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
// Every slot of the delay-import address table must hold the address of its thunk (code that
// calls the delay-load helper) until the first call replaces it. i686 GNU ld drops a thunk that
// nothing names directly: code built with dllimport declarations (node_api.h's under
// BUILDING_NODE_EXTENSION) names only the slot, the dropped thunk leaves the slot 0, and the first
// call jumps to the image's relocation delta (mingw_node_import.cmake). A DLL built so would load
// and crash at its first Node-API call: refuse it here, at the link.
const width = pe32plus ? 8 : 4;
const readSlot = (at) => (pe32plus ? buf.readBigUInt64LE(at) : BigInt(buf.readUInt32LE(at)));
function inCode(va) {
  const at = va - imageBase;
  for (let i = 0; i < sectionCount; i++) {
    const s = sectionTable + i * 40;
    const start = BigInt(buf.readUInt32LE(s + 12));
    const executable = (buf.readUInt32LE(s + 36) & 0x20000000) !== 0;
    if (executable && at >= start && at < start + BigInt(buf.readUInt32LE(s + 8))) return true;
  }
  return false;
}
/** Checks one descriptor (its RVA): the DLL it names, each of whose slots must hold its thunk's address. */
function checkDescriptor(rva) {
  const descriptor = offsetOf(rva);
  if (buf.readUInt32LE(descriptor) !== 1) fail('the descriptor does not use RVAs (attributes != 1)');
  const nameAt = offsetOf(buf.readUInt32LE(descriptor + 4));
  const name = buf.toString('latin1', nameAt, buf.indexOf(0, nameAt));
  const iat = offsetOf(buf.readUInt32LE(descriptor + 12));
  const names = offsetOf(buf.readUInt32LE(descriptor + 16));
  let slots = 0;
  for (let i = 0; readSlot(names + i * width) !== 0n; i++, slots++) {
    const slot = readSlot(iat + i * width);
    if (!inCode(slot)) {
      fail(`delay-import slot ${i} of ${name} holds 0x${slot.toString(16)}, not a thunk's address: ` +
        'its thunk was dropped at the link (compile the callers without dllimport)');
    }
  }
  if (slots === 0) fail(`the delay-import descriptor of ${name} imports nothing`);
  return name;
}
const rvas = addresses.map((address) => Number(address - imageBase));
const named = rvas.map(checkDescriptor);
if (!named.some((name) => name.toLowerCase() === dll.toLowerCase())) fail(`the delay-import descriptors name ${named.join(', ')}, not ${dll}`);

buf.writeUInt32LE(rvas[0], directories + DELAY_IMPORT_DIRECTORY * 8);
buf.writeUInt32LE(DESCRIPTOR_SIZE * rvas.length, directories + DELAY_IMPORT_DIRECTORY * 8 + 4);
fs.writeFileSync(file, buf);
