#!/usr/bin/env node
// Writes the manifests a build carries:
//   write-manifest.js <dir> [module-suffix [1|0]]
// eaphost-methods.json, the manifest the portable hosts read by default, beside the build's
// artifacts. Both builds call it: binding.gyp as an action, CMakeLists.txt at configure time (with
// the target's module suffix, which differs from this node's when cross-building).
// (1|0: whether the build compiled the TLS engine, as scripts/shipped-methods.js tls-engine told
// it; default: whether a build for this machine has one. A module without it serves the others.)
//   write-manifest.js --prebuild <dir> <platform-arch> [--gnutls <prefix>] [--toolchain <text>] [--inputs <sha256>]
// eaphost-prebuild.json, the manifest of a prebuild (scripts/dev/prebuild.js writes it last): the
// SHA-256 of every file beside it, the toolchain, the inputs' digest, and for Windows the GnuTLS it
// carries (the source packages it was built from, read from the prefix). The lanes check what they
// ran against it and the release packs it (docs/windows.md "What each Windows prebuild carries").
//   write-manifest.js --verify <dir>
// Recomputes every hash (here, in whichever node runs it: the packaging lane runs it in the Windows
// node.exe on the installed package) and exits 1 naming each file that differs, is missing or is
// not listed.
'use strict';
const fs = require('fs');
const path = require('path');
const { allShippedMethods, hasTlsEngine } = require('../shipped-methods');

const crypto = require('crypto');

const PREBUILD_MANIFEST = 'eaphost-prebuild.json';

function sha256(file) {
  return crypto.createHash('sha256').update(fs.readFileSync(file)).digest('hex');
}

/**
 * A PE file's Authenticode digest (SHA-256), the one a signature covers: the whole file but the
 * header's CheckSum, the certificate table's directory entry and the certificate table itself
 * (pecoff.md, "Calculating the PE Image Hash"; the sections laid out in file order, as every
 * build here lays them). Signing changes the file's SHA-256 and leaves this unchanged, so a signed
 * release file is shown to be the built one. Undefined for a file that is not a PE image.
 */
function authenticodeDigest(file) {
  const bytes = fs.readFileSync(file);
  if (bytes.length < 0x40 || bytes.readUInt16LE(0) !== 0x5a4d) return undefined;
  const pe = bytes.readUInt32LE(0x3c);
  if (pe + 24 > bytes.length || bytes.readUInt32LE(pe) !== 0x00004550) return undefined;
  const optional = pe + 24;
  const magic = bytes.readUInt16LE(optional);
  if (magic !== 0x10b && magic !== 0x20b) return undefined;
  const checksum = optional + 64;
  const security = optional + (magic === 0x20b ? 112 : 96) + 4 * 8;
  if (security + 8 > bytes.length) return undefined;
  const tableAt = bytes.readUInt32LE(security);
  const tableSize = bytes.readUInt32LE(security + 4);
  const end = tableSize > 0 ? tableAt : bytes.length;
  if (end > bytes.length || end < security + 8) return undefined;
  const hash = crypto.createHash('sha256');
  hash.update(bytes.subarray(0, checksum)).update(bytes.subarray(checksum + 4, security)).update(bytes.subarray(security + 8, end));
  // A signature is appended at an 8-byte boundary; the signer hashes the zero padding it adds.
  if (tableSize === 0 && end % 8 !== 0) hash.update(Buffer.alloc(8 - (end % 8)));
  return hash.digest('hex');
}

/** The files of a prebuild directory (its manifest aside), sorted: the manifest's "files". */
function prebuildFiles(dir) {
  return fs.readdirSync(dir).filter((name) => name !== PREBUILD_MANIFEST && fs.statSync(path.join(dir, name)).isFile()).sort();
}

/** What a GnuTLS prefix of scripts/ci/gnutls-mingw.sh was built from (its debian-sources.txt and gnutls.pc)
 *  and how (build-options.txt). */
function gnutlsOf(prefix) {
  const sources = {};
  const listed = path.join(prefix, 'debian-sources.txt');
  if (fs.existsSync(listed)) {
    for (const line of fs.readFileSync(listed, 'utf8').split(/\r?\n/)) {
      const [name, version] = line.trim().split(/\s+/);
      if (name && version) sources[name] = version;
    }
  }
  const pc = path.join(prefix, 'lib', 'pkgconfig', 'gnutls.pc');
  const version = fs.existsSync(pc) ? (/^Version:\s*(\S+)/m.exec(fs.readFileSync(pc, 'utf8')) || [])[1] : undefined;
  if (!version) throw new Error(`${prefix} is not a GnuTLS prefix (no lib/pkgconfig/gnutls.pc with a Version)`);
  // How it was configured (build-options.txt): "system-priority-file none", no C:\etc\gnutls\config;
  // and each change made to Debian's source ("patch <file> <sha256>", scripts/ci/patches/).
  const options = {};
  const patches = [];
  const optionsFile = path.join(prefix, 'build-options.txt');
  if (fs.existsSync(optionsFile)) {
    for (const line of fs.readFileSync(optionsFile, 'utf8').split(/\r?\n/)) {
      const [name, value, digest] = line.trim().split(/\s+/);
      if (name === 'patch' && value && digest) patches.push({ file: value, sha256: digest });
      else if (name && value) options[name] = value;
    }
  }
  return { version, sources, systemPriorityFile: options['system-priority-file'] ?? null, patches };
}

function writePrebuildManifest(dir, { target, gnutlsPrefix, toolchain, inputs }) {
  const manifest = { target, toolchain: toolchain || null, inputs: inputs || null,
    gnutls: gnutlsPrefix ? gnutlsOf(gnutlsPrefix) : null, files: {}, authenticode: {} };
  for (const name of prebuildFiles(dir)) {
    manifest.files[name] = sha256(path.join(dir, name));
    const digest = authenticodeDigest(path.join(dir, name));
    if (digest) manifest.authenticode[name] = digest;
  }
  fs.writeFileSync(path.join(dir, PREBUILD_MANIFEST), JSON.stringify(manifest, null, 2) + '\n');
  return manifest;
}

/** Every difference between a prebuild directory and its manifest, as lines; none when they agree. */
function verifyPrebuildManifest(dir) {
  const file = path.join(dir, PREBUILD_MANIFEST);
  if (!fs.existsSync(file)) return [`${file} is missing`];
  const { files, authenticode = {} } = JSON.parse(fs.readFileSync(file, 'utf8'));
  const problems = [];
  for (const [name, hash] of Object.entries(files || {})) {
    const at = path.join(dir, name);
    if (!fs.existsSync(at)) {
      problems.push(`${name}: listed, not present`);
    } else if (sha256(at) !== hash && !(authenticode[name] && signed(at) && authenticodeDigest(at) === authenticode[name])) {
      problems.push(`${name}: SHA-256 ${sha256(at)}, the manifest says ${hash}` +
        (authenticode[name] ? ` (Authenticode digest ${authenticodeDigest(at)}, the manifest says ${authenticode[name]})` : ''));
    }
  }
  for (const name of prebuildFiles(dir)) if (!(name in (files || {}))) problems.push(`${name}: present, not listed`);
  return problems;
}

/** Whether a PE file carries a certificate table (an Authenticode signature). */
function signed(file) {
  const bytes = fs.readFileSync(file);
  const pe = bytes.readUInt32LE(0x3c);
  const optional = pe + 24;
  const security = optional + (bytes.readUInt16LE(optional) === 0x20b ? 112 : 96) + 4 * 8;
  return bytes.readUInt32LE(security + 4) > 0;
}

module.exports = { PREBUILD_MANIFEST, writePrebuildManifest, verifyPrebuildManifest, gnutlsOf, authenticodeDigest };

function option(args, name) {
  const at = args.indexOf(name);
  return at >= 0 ? args[at + 1] : undefined;
}

function mainPrebuild(args) {
  if (args[0] === '--verify') {
    const dir = args[1];
    const problems = verifyPrebuildManifest(dir);
    for (const line of problems) console.error(`write-manifest: ${dir}: ${line}`);
    if (problems.length > 0) process.exit(1);
    const { files } = JSON.parse(fs.readFileSync(path.join(dir, PREBUILD_MANIFEST), 'utf8'));
    console.log(`write-manifest: ${dir}: ${Object.keys(files).length} file(s) hash as ${PREBUILD_MANIFEST} says`);
    return;
  }
  const [, dir, target] = args;
  if (!dir || !target) {
    console.error('usage: write-manifest.js --prebuild <dir> <platform-arch> [--gnutls <prefix>] [--toolchain <text>] [--inputs <sha256>]');
    process.exit(2);
  }
  writePrebuildManifest(dir, { target, gnutlsPrefix: option(args, '--gnutls'), toolchain: option(args, '--toolchain'),
    inputs: option(args, '--inputs') });
}

if (require.main !== module) return;
if (process.argv[2] === '--prebuild' || process.argv[2] === '--verify') {
  mainPrebuild(process.argv.slice(2));
  return;
}
const dir = process.argv[2];
if (!dir) {
  console.error('usage: write-manifest.js <dir> [module-suffix [1|0]] | --prebuild ... | --verify <dir>');
  process.exit(2);
}
const suffix = process.argv[3] ||
  (process.platform === 'win32' ? '.dll' : process.platform === 'darwin' ? '.dylib' : '.so');
// One library serves every method: paths are relative to the manifest.
const moduleFile = `eap_methods${suffix}`;
// A cross-built Windows module is the target's; the manifest lists what that build serves.
const target = suffix === '.dll' ? 'win32' : process.platform;
const tls = process.argv[4] ? process.argv[4] === '1' : hasTlsEngine(target, process.arch);
const manifest = {
  methods: allShippedMethods.filter((m) => tls || !m.tls).map((m) => ({
    type: m.type, vendorId: 0, vendorType: 0, authorId: m.authorId,
    friendlyName: m.friendlyName, authorName: m.authorName, properties: m.properties,
    peerDllPath: moduleFile, authenticatorDllPath: moduleFile,
  })),
};
fs.mkdirSync(dir, { recursive: true });
fs.writeFileSync(path.join(dir, 'eaphost-methods.json'), JSON.stringify(manifest, null, 2) + '\n');
