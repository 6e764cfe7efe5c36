#!/usr/bin/env node
// Authenticode-signs every DLL and addon under <dir> with signtool (SHA-256, RFC 3161 timestamp)
// where the repository has a code-signing certificate (WINDOWS_SIGNING_PFX, base64, and
// WINDOWS_SIGNING_PASSWORD in the environment), then verifies the signatures; without one it
// says so (a workflow notice) and signs nothing. Usage: node scripts/ci/windows/sign.js <dir>
'use strict';
const runMain = require('../run-main');
const { spawnSync } = require('child_process');
const fs = require('fs');
const os = require('os');
const path = require('path');

function files(dir) {
  const out = [];
  const walk = (at) => {
    for (const entry of fs.readdirSync(at, { withFileTypes: true })) {
      const file = path.join(at, entry.name);
      if (entry.isDirectory()) walk(file);
      else if (/\.(dll|node)$/i.test(entry.name)) out.push(file);
    }
  };
  walk(dir);
  return out.sort();
}

// The newest x64 signtool.exe of the installed Windows SDKs.
function signtool() {
  const bin = path.join(process.env['ProgramFiles(x86)'] || 'C:\\Program Files (x86)', 'Windows Kits', '10', 'bin');
  const found = fs.existsSync(bin) ? fs.readdirSync(bin).filter((v) => /^\d/.test(v)).sort()
    .map((v) => path.join(bin, v, 'x64', 'signtool.exe')).filter((f) => fs.existsSync(f)) : [];
  if (found.length === 0) throw new Error('signtool.exe not found in the Windows SDK');
  return found[found.length - 1];
}

function main(dir) {
  if (!process.env.WINDOWS_SIGNING_PFX) {
    process.stdout.write('::notice title=signing::WINDOWS_SIGNING_PFX is not set: the win32 prebuilds are packed unsigned\n');
    return 0;
  }
  const targets = files(dir);
  if (targets.length === 0) throw new Error(`no .dll or .node under ${dir}`);
  const tool = signtool();
  const pfx = path.join(process.env.RUNNER_TEMP || os.tmpdir(), `signing-${process.pid}.pfx`);
  fs.writeFileSync(pfx, Buffer.from(process.env.WINDOWS_SIGNING_PFX, 'base64'), { mode: 0o600 });
  try {
    const sign = spawnSync(tool, ['sign', '/fd', 'SHA256', '/f', pfx, '/p', process.env.WINDOWS_SIGNING_PASSWORD || '',
      '/tr', 'http://timestamp.digicert.com', '/td', 'SHA256', ...targets], { stdio: 'inherit' });
    if (sign.status !== 0) throw new Error(`signtool sign failed (${sign.status})`);
    const verify = spawnSync(tool, ['verify', '/pa', ...targets], { stdio: 'inherit' });
    if (verify.status !== 0) throw new Error(`signtool verify failed (${verify.status})`);
  } finally {
    fs.rmSync(pfx, { force: true });
  }
  return 0;
}

if (require.main === module) {
  runMain((argv) => {
    if (argv.length !== 1) throw new RangeError('usage: sign.js <dir>');
    return main(argv[0]);
  });
}
