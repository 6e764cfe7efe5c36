#!/usr/bin/env node
// Checks that the module EapHost has registered for the shipped methods is a protected copy of a
// prebuild's files: its PeerDllPath (HKLM\...\EapHost\Methods\32473\26, read with reg.exe) is not
// under the workspace, and each file there hashes as the prebuild's eaphost-prebuild.json says.
// Usage: node scripts/ci/windows/registered-copy.js <prebuild dir>
'use strict';
const runMain = require('../run-main');
const { spawnSync } = require('child_process');
const crypto = require('crypto');
const fs = require('fs');
const path = require('path');

const KEY = 'HKLM\\SYSTEM\\CurrentControlSet\\Services\\EapHost\\Methods\\32473\\26';
const FILES = ['eap_methods.dll', 'libgnutls-30.dll', 'libnettle-8.dll', 'libhogweed-6.dll', 'libgmp-10.dll'];

// reg.exe's lines are "    <name>    <type>    <data>": names and types are not translated.
function peerDllPath(regOutput) {
  const m = /^\s*PeerDllPath\s+REG_(?:EXPAND_)?SZ\s+(.+?)\s*$/m.exec(regOutput);
  return m ? m[1].replace(/%([^%]+)%/g, (all, name) => process.env[name] ?? all) : undefined;
}

function main(prebuild) {
  const manifest = JSON.parse(fs.readFileSync(path.join(prebuild, 'eaphost-prebuild.json'), 'utf8'));
  const query = spawnSync('reg.exe', ['query', KEY, '/v', 'PeerDllPath'], { encoding: 'utf8' });
  const dll = peerDllPath(query.stdout || '');
  if (query.status !== 0 || !dll) throw new Error(`no PeerDllPath under ${KEY}: ${query.stderr || query.stdout}`);
  const dir = path.dirname(dll);
  const workspace = process.env.GITHUB_WORKSPACE || process.cwd();
  if (path.resolve(dir).toLowerCase().startsWith(path.resolve(workspace).toLowerCase())) {
    throw new Error(`PeerDllPath ${dll} is the workspace's file, not a protected copy`);
  }
  for (const name of FILES) {
    const hash = crypto.createHash('sha256').update(fs.readFileSync(path.join(dir, name))).digest('hex');
    if (hash !== manifest.files[name]) throw new Error(`${path.join(dir, name)} is not the prebuild's (${hash})`);
  }
  process.stdout.write(`PeerDllPath ${dll}: the prebuild's files (${FILES.length} hashed)\n`);
}

module.exports = { peerDllPath };
if (require.main === module) {
  runMain((argv) => {
    if (argv.length !== 1) throw new RangeError('usage: registered-copy.js <prebuild dir>');
    main(argv[0]);
  });
}
