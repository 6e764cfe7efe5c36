#!/usr/bin/env node
// Checks what `npm pack --json` put in the tarball: everything a consumer needs (LICENSE,
// README, declarations, the CLI and the GitHub Action's module, every native source the fallback build compiles, the
// prebuilds asked for) and nothing a consumer never needs (the MSVC-only layout check, bench
// code, tests and their fixtures, CI and Wine scripts). Prints size and file count.
//   check-tarball.js <pack.json> <repo root> <platform-arch>...
'use strict';
const fs = require('fs');
const path = require('path');

const [packJson, root, ...prebuilds] = process.argv.slice(2);
const [pack] = JSON.parse(fs.readFileSync(packJson, 'utf8'));
const files = new Set(pack.files.map((f) => f.path));
const problems = [];

const required = ['LICENSE', 'README.md', 'package.json', 'binding.gyp', 'native/sources.json',
  'dist/lib/index.js', 'dist/lib/index.d.ts', 'dist/lib/cli/main.js', 'scripts/install/install.js', 'scripts/install/common.gypi',
  // The GitHub Action's logic: a release tag carries the tarball's dist/ for action/index.js.
  'dist/lib/action/run.js',
  // The users file the README's Windows command names (node_modules/eaphost/examples/users.json).
  'examples/users.json'];
// The fallback build compiles every group but the MSVC-only check and the checkout-only
// (cmake_only: the benchmark's addon) groups, on some OS.
const sources = JSON.parse(fs.readFileSync(path.join(root, 'native', 'sources.json'), 'utf8'));
const checkoutOnly = new Set(['sdk_layout_check_msvc', 'cmake_only', ...(sources.cmake_only ?? [])]);
for (const [group, list] of Object.entries(sources)) {
  if (Array.isArray(list) && !checkoutOnly.has(group)) required.push(...list);
}
for (const dir of fs.readdirSync(path.join(root, 'native'), { recursive: true })) {
  const rel = `native/${dir.split(path.sep).join('/')}`;
  // Every header the fallback build may include; the benchmark's stay in the checkout with it.
  if (/\.(h|def|map)$/.test(rel) && !rel.startsWith('native/bench/')) required.push(rel);
}
const { hasTlsEngine } = require(path.join(root, 'scripts', 'shipped-methods.js'));
for (const target of prebuilds) {
  const [platform, arch] = target.split('-');
  // eaphost-prebuild.json: every file's SHA-256, which the packaging lane checks in the Windows node.exe.
  required.push(`prebuilds/${target}/eaphost.napi.node`, `prebuilds/${target}/eaphost-methods.json`, `prebuilds/${target}/eaphost-prebuild.json`,
    `prebuilds/${target}/eap_methods.${platform === 'win32' ? 'dll' : platform === 'darwin' ? 'dylib' : 'so'}`);
  // A Windows prebuild with the TLS engine carries GnuTLS beside eap_methods.dll.
  if (platform === 'win32' && hasTlsEngine(platform, arch)) {
    for (const dll of ['libgnutls-30.dll', 'libnettle-8.dll', 'libhogweed-6.dll', 'libgmp-10.dll']) {
      required.push(`prebuilds/${target}/${dll}`);
    }
  }
}
// Every file the exports map points at (each entry's CommonJS, ES module and both declarations).
const { exports: entries } = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8'));
const targets = (target) => (typeof target === 'string' ? [target] : Object.values(target).flatMap(targets));
for (const target of Object.values(entries).flatMap(targets)) required.push(target.replace(/^\.\//, ''));
for (const file of required) if (!files.has(file)) problems.push(`missing: ${file}`);

const forbidden = [/^native\/abi\/(onex_)?sdk_layout_check\.cc$/, /^native\/bench\//, /^bench\//, /^dist\/bench\//, /^dist\/test\//, /^test\//,
  /fixtures?\//, /^scripts\/(ci|wine|electron)\//, /^scripts\/prebuild\.js$/, /^\.github\//, /^build(-[^/]+)?\//,
  /^node_modules\//, /\.tsbuildinfo$/];
for (const file of files) {
  if (forbidden.some((re) => re.test(file))) problems.push(`must not ship: ${file}`);
}

if (problems.length) {
  for (const p of problems) console.error(`tarball: ${p}`);
  process.exit(1);
}
console.log(`tarball: ${pack.filename}: ${(pack.size / 1024).toFixed(1)} kB packed, ` +
  `${(pack.unpackedSize / 1024).toFixed(1)} kB unpacked, ${pack.entryCount} files`);
