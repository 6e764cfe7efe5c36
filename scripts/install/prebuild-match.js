// Decides whether a shipped prebuild serves this machine: the package's own resolver
// (lib/native/addon-path.ts, in dist/) picks it exactly as lib/native/loader.ts will at run time,
// its companions (method modules, manifest) are beside it, and it actually loads here (a prebuild for the right platform can still need a newer libc).
'use strict';
const fs = require('fs');
const path = require('path');
const { spawnSync } = require('child_process');

/** Returns { addon } or { reason } saying why no prebuild is used. */
function matchPrebuild(root) {
  let addon;
  try {
    // prebuilds/ only, never an earlier build/; nor EAPHOST_ADDON_PATH, which names no shipped file.
    const { resolveAddon } = require(path.join(root, 'dist', 'lib', 'native', 'addon-path.js'));
    addon = resolveAddon(root, { prebuildsOnly: true, env: {} });
  } catch {
    return { reason: `no prebuild for ${process.platform}-${process.arch}` };
  }

  const dir = path.dirname(addon);
  const manifestFile = path.join(dir, 'eaphost-methods.json');
  let manifest;
  try {
    manifest = JSON.parse(fs.readFileSync(manifestFile, 'utf8'));
  } catch (err) {
    return { reason: `prebuild ${path.relative(root, dir)} has no readable eaphost-methods.json (${err.code || err.message})` };
  }
  const modules = new Set((manifest.methods || []).flatMap((m) => [m.peerDllPath, m.authenticatorDllPath]).filter(Boolean));
  for (const file of modules) {
    if (!fs.existsSync(path.resolve(dir, file))) return { reason: `prebuild ${path.relative(root, dir)} lacks ${file}` };
  }

  const loaded = spawnSync(process.execPath, ['-e', 'require(process.argv[1])', addon], { encoding: 'utf8' });
  if (loaded.status !== 0) {
    const why = (loaded.stderr || '').split('\n').find((line) => /Error/.test(line)) || `exit ${loaded.status}`;
    return { reason: `prebuild ${path.relative(root, addon)} does not load here: ${why.trim()}` };
  }
  return { addon };
}

module.exports = { matchPrebuild };
