#!/usr/bin/env node
// The native prebuild legs windows.yml's prebuild job runs, for this repository: ubuntu-24.04-arm
// runners are offered to public repositories only, and a leg on a runner that does not exist
// waits until it times out. win32-x64 and win32-ia32 are the cross-builds of
// prebuild-windows.yml, not legs here, but they are targets of the package. Usage:
//   node scripts/ci/release-legs.js [--private true|false]
// Writes include=<matrix JSON> and targets=<platform-arch ...> to $GITHUB_OUTPUT (stdout without it).
'use strict';
const fs = require('fs');

const LEGS = [
  { os: 'windows-2025', platform: 'win32', arch: 'arm64', 'node-arch': 'x64', loadable: false, cross: true },
  { os: 'ubuntu-24.04', platform: 'linux', arch: 'x64', 'node-arch': 'x64', loadable: true },
  { os: 'macos-15', platform: 'darwin', arch: 'arm64', 'node-arch': 'arm64', loadable: true },
  { os: 'macos-15-intel', platform: 'darwin', arch: 'x64', 'node-arch': 'x64', loadable: true },
];
const PUBLIC_ONLY = [{ os: 'ubuntu-24.04-arm', platform: 'linux', arch: 'arm64', 'node-arch': 'arm64', loadable: true }];

function legs(isPrivate) {
  const include = isPrivate ? LEGS : [...LEGS, ...PUBLIC_ONLY];
  const targets = [...include.map((l) => `${l.platform}-${l.arch}`), 'win32-x64', 'win32-ia32'];
  return { include, targets };
}

if (require.main === module) {
  const argv = process.argv.slice(2);
  const at = argv.indexOf('--private');
  const value = at >= 0 ? argv[at + 1] : 'false';
  if ((at >= 0 && argv.length !== 2) || (at < 0 && argv.length !== 0)) {
    process.stderr.write('usage: release-legs.js [--private true|false]\n');
    process.exit(2);
  }
  const { include, targets } = legs(value === 'true');
  const out = `include=${JSON.stringify(include)}\ntargets=${targets.join(' ')}\n`;
  if (process.env.GITHUB_OUTPUT) fs.appendFileSync(process.env.GITHUB_OUTPUT, out);
  else process.stdout.write(out);
  for (const l of include) process.stdout.write(`${l.platform}-${l.arch} on ${l.os}\n`);
}
module.exports = { legs };
