#!/usr/bin/env node
// Writes eaphost-methods.json, the manifest the portable hosts read by default, beside the
// build's artifacts. Both builds call it: binding.gyp as an action, CMakeLists.txt at configure
// time (with the target's module suffix, which differs from this node's when cross-building).
//   write-manifest.js <dir> [module-suffix]
'use strict';
const fs = require('fs');
const path = require('path');
const { shippedMethodsFor } = require('../shipped-methods');

const dir = process.argv[2];
if (!dir) {
  console.error('usage: write-manifest.js <dir> [module-suffix]');
  process.exit(2);
}
const suffix = process.argv[3] ||
  (process.platform === 'win32' ? '.dll' : process.platform === 'darwin' ? '.dylib' : '.so');
// One library serves every method: paths are relative to the manifest.
const moduleFile = `eap_methods${suffix}`;
// A Windows module (cross-built too) serves no TLS method: the manifest must not list them.
const target = suffix === '.dll' ? 'win32' : process.platform;
const manifest = {
  methods: shippedMethodsFor(target).map((m) => ({
    type: m.type, vendorId: 0, vendorType: 0, authorId: m.authorId,
    friendlyName: m.friendlyName, authorName: m.authorName, properties: m.properties,
    peerDllPath: moduleFile, authenticatorDllPath: moduleFile,
  })),
};
fs.mkdirSync(dir, { recursive: true });
fs.writeFileSync(path.join(dir, 'eaphost-methods.json'), JSON.stringify(manifest, null, 2) + '\n');
