#!/usr/bin/env node
// Writes eaphost-methods.json, the manifest the portable hosts read by default, beside the
// build's artifacts. Both builds call it: binding.gyp as an action, CMakeLists.txt at configure
// time (with the target's module suffix, which differs from this node's when cross-building).
//   write-manifest.js <dir> [module-suffix [target-arch]]
// (target-arch: the build's process.arch value, default this node's; only win32-arm64 differs,
// whose module has no TLS engine.)
'use strict';
const fs = require('fs');
const path = require('path');
const { shippedMethodsFor } = require('../shipped-methods');

const dir = process.argv[2];
if (!dir) {
  console.error('usage: write-manifest.js <dir> [module-suffix [target-arch]]');
  process.exit(2);
}
const suffix = process.argv[3] ||
  (process.platform === 'win32' ? '.dll' : process.platform === 'darwin' ? '.dylib' : '.so');
// One library serves every method: paths are relative to the manifest.
const moduleFile = `eap_methods${suffix}`;
// A cross-built Windows module is the target's; the manifest lists what that build serves.
const target = suffix === '.dll' ? 'win32' : process.platform;
const arch = process.argv[4] || process.arch;
const manifest = {
  methods: shippedMethodsFor(target, arch).map((m) => ({
    type: m.type, vendorId: 0, vendorType: 0, authorId: m.authorId,
    friendlyName: m.friendlyName, authorName: m.authorName, properties: m.properties,
    peerDllPath: moduleFile, authenticatorDllPath: moduleFile,
  })),
};
fs.mkdirSync(dir, { recursive: true });
fs.writeFileSync(path.join(dir, 'eaphost-methods.json'), JSON.stringify(manifest, null, 2) + '\n');
