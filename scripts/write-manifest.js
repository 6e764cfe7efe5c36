#!/usr/bin/env node
// Writes eaphost-methods.json beside a node-gyp build's artifacts (CMake builds write the
// same file from scripts/cmake/method_manifest.cmake). Usage: write-manifest.js <dir>
'use strict';
const fs = require('fs');
const path = require('path');
const dir = process.argv[2];
if (!dir) {
  console.error('usage: write-manifest.js <dir>');
  process.exit(2);
}
const suffix = process.platform === 'win32' ? '.dll' : process.platform === 'darwin' ? '.dylib' : '.so';
const md5 = `eap_md5${suffix}`;
const manifest = {
  methods: [{
    type: 4, vendorId: 0, vendorType: 0, authorId: 32473,
    friendlyName: 'EAP-MD5 (eaphost)', authorName: 'eaphost', properties: 0,
    peerDllPath: md5, authenticatorDllPath: md5,
  }],
};
fs.mkdirSync(dir, { recursive: true });
fs.writeFileSync(path.join(dir, 'eaphost-methods.json'), JSON.stringify(manifest, null, 2) + '\n');
