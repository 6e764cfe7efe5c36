#!/usr/bin/env node
// Writes eaphost-methods.json, the manifest the portable hosts read by default, beside the
// build's artifacts. Both builds call it: binding.gyp as an action, CMakeLists.txt at configure
// time (with the target's module suffix, which differs from this node's when cross-building).
//   write-manifest.js <dir> [module-suffix [1|0]]
// (1|0: whether the build compiled the TLS engine, as scripts/shipped-methods.js tls-engine told
// it; default: whether a build for this machine has one. A module without it serves the others.)
'use strict';
const fs = require('fs');
const path = require('path');
const { allShippedMethods, hasTlsEngine } = require('../shipped-methods');

const dir = process.argv[2];
if (!dir) {
  console.error('usage: write-manifest.js <dir> [module-suffix [1|0]]');
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
