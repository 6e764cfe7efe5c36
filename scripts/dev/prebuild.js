#!/usr/bin/env node
// Builds one prebuild with cmake-js and files it where the package's loader looks (lib/native/addon-path.ts):
//   prebuilds/<platform>-<arch>/eaphost.napi.node  + the method modules + eaphost-methods.json
// (prebuildify has no cmake-js backend, and the one source list lives in CMakeLists.txt).
//   npm run prebuild [-- --arch x64|ia32|arm64] [--platform win32]
// (default: this node's platform and arch). --platform win32 off Windows cross-builds
// win32-x64 or win32-ia32 with mingw-w64 (scripts/cmake/toolchain-mingw64.cmake / -mingw32), as
// the Wine lane does. On Windows the stand-in eappprxy.dll is left out: it exists only for the
// Wine lane, and a shipped package uses the system's EAPHost. Each Windows addon is checked to be
// for the right machine and to delay-load node.exe (cmake-js's hook), so it also loads in Electron.
// win32-x64 and win32-ia32 carry GnuTLS for the TLS-based methods: the four DLLs beside
// eap_methods.dll, which delay-loads libgnutls-30.dll and imports none of them (checked), from
// EAPHOST_GNUTLS_PREFIX, or, when cross-building without it, scripts/ci/gnutls-mingw.sh's
// cached build. win32-arm64 has none (no GnuTLS build for it: docs/windows.md).
// The cross-built win32-x64 and win32-ia32 prebuilds are the ones a release ships
// (.github/workflows/prebuild-windows.yml runs this script), the Wine lane tests and the packaging
// lane packs. Each prebuild ends with eaphost-prebuild.json (scripts/install/write-manifest.js):
// every file's SHA-256 and the digest of what they were built from; the mingw-w64 link is
// reproducible (no PE timestamp), and a rebuild of the same inputs that gives other bytes fails.
'use strict';
const { spawnSync } = require('child_process');
const fs = require('fs');
const path = require('path');
const { filesDigest } = require('./files-digest');
const { readPe, vcRuntimeImports } = require('./pe-info');
const { PREBUILD_MANIFEST, writePrebuildManifest } = require('../install/write-manifest');

const root = path.join(__dirname, '..', '..');
const ARCHES = ['x64', 'ia32', 'arm64'];
const { hasTlsEngine } = require('../shipped-methods');
// What a Windows build with the TLS engine ships beside eap_methods.dll (CMakeLists.txt copies them).
const GNUTLS_DLLS = ['libgnutls-30.dll', 'libnettle-8.dll', 'libhogweed-6.dll', 'libgmp-10.dll'];
const MINGW = { x64: { toolchain: 'toolchain-mingw64.cmake', gnutls: 'x64', triple: 'x86_64-w64-mingw32' },
  ia32: { toolchain: 'toolchain-mingw32.cmake', gnutls: 'x86', triple: 'i686-w64-mingw32' } };

function parseArgs(argv) {
  let arch = process.arch;
  let platform = process.platform;
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === '--arch') arch = argv[++i];
    else if (argv[i] === '--platform') platform = argv[++i];
    else throw new Error(`unknown argument "${argv[i]}"`);
  }
  if (!ARCHES.includes(arch)) throw new Error(`--arch must be one of ${ARCHES.join(', ')}`);
  const cross = platform !== process.platform;
  if (cross && !(platform === 'win32' && arch in MINGW)) {
    throw new Error(`cross-building ${platform}-${arch} is not supported here (only win32-x64 and win32-ia32, with mingw-w64)`);
  }
  return { platform, arch, cross };
}

// GnuTLS for a Windows build with the TLS engine: EAPHOST_GNUTLS_PREFIX, or the cached cross-build.
function gnutlsPrefix({ platform, arch, cross }) {
  if (platform !== 'win32' || !hasTlsEngine(platform, arch)) return undefined;
  if (process.env.EAPHOST_GNUTLS_PREFIX) return process.env.EAPHOST_GNUTLS_PREFIX;
  if (!cross) throw new Error('EAPHOST_GNUTLS_PREFIX must name GnuTLS for Windows (scripts/ci/gnutls-mingw.sh builds it)');
  const result = spawnSync('bash', [path.join(root, 'scripts', 'ci', 'gnutls-mingw.sh'), MINGW[arch].gnutls],
    { cwd: root, encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] });
  if (result.status !== 0) throw new Error(`scripts/ci/gnutls-mingw.sh ${MINGW[arch].gnutls} failed (exit ${result.status})`);
  return result.stdout.trim();
}

// The addon's compile flags under node-gyp's Windows rules (scripts/dev/windows-flags.js).
function addonGypFlags() {
  const result = spawnSync(process.execPath, [path.join(__dirname, 'windows-flags.js'), '--separator', ';', 'eaphost'],
    { cwd: root, encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] });
  if (result.status !== 0) throw new Error(`scripts/dev/windows-flags.js failed (exit ${result.status})`);
  return result.stdout.trim();
}

function build({ platform, arch, cross }) {
  const out = `build-prebuild-${platform}-${arch}`;
  const cmakeJs = require.resolve('cmake-js/bin/cmake-js');
  // rebuild, not compile: a prebuild must never pick up objects of another configuration.
  // A prebuild is what users install: the test-only contract probe stays out of it.
  const args = [cmakeJs, 'rebuild', '-O', out, '--CDCMAKE_BUILD_TYPE=Release', '--CDEAPHOST_WARNINGS_AS_ERRORS=ON',
    '--CDEAPHOST_BUILD_CONTRACT_PROBE=OFF'];
  if (cross) {
    args.push(`--CDCMAKE_TOOLCHAIN_FILE=${path.join(root, 'scripts', 'cmake', MINGW[arch].toolchain)}`);
    // The addon under the rules of node-gyp's Windows build, as the Wine lane's build that runs the
    // suite compiles it: the objects a release ships are the ones the suite ran (and ccache's).
    args.push(`--CDEAPHOST_ADDON_GYP_FLAGS=${addonGypFlags()}`);
  } else {
    args.push('--arch', arch);
  }
  const gnutls = gnutlsPrefix({ platform, arch, cross });
  if (gnutls) args.push(`--CDEAPHOST_GNUTLS_PREFIX=${gnutls}`);
  console.log(`prebuild: ${path.basename(process.execPath)} ${args.slice(1).join(' ')}`);
  const result = spawnSync(process.execPath, args, { cwd: root, stdio: 'inherit' });
  if (result.status !== 0) throw new Error(`cmake-js failed for ${platform}-${arch} (exit ${result.status})`);
  return { built: path.join(root, out, 'Release'), gnutls };
}

function artifacts(platform, arch) {
  if (platform === 'win32') {
    return { addon: 'eaphost.node', modules: ['eap_methods.dll', ...(hasTlsEngine(platform, arch) ? GNUTLS_DLLS : [])] };
  }
  const suffix = platform === 'darwin' ? '.dylib' : '.so';
  // Off Windows the portable EAPHost is the product's backend, so it ships.
  return { addon: 'eaphost.node', modules: [`eap_methods${suffix}`, `eaphost_portable${suffix}`] };
}

// GNU toolchains leave symbol tables (and, for mingw, the build machine's paths) in the
// binaries; a shipped prebuild needs neither. MSVC and Apple builds keep theirs apart already.
function stripSymbols({ platform, arch, cross }, dest) {
  const strip = cross ? `${MINGW[arch].triple}-strip` : platform === 'linux' ? 'strip' : undefined;
  if (!strip) return;
  for (const name of fs.readdirSync(dest).filter((f) => !f.endsWith('.json'))) {
    // GNU strip writes the time into a PE header it rewrites, unless SOURCE_DATE_EPOCH names one.
    const result = spawnSync(strip, ['--strip-unneeded', path.join(dest, name)],
      { stdio: 'inherit', env: { ...process.env, SOURCE_DATE_EPOCH: '0' } });
    if (result.status !== 0) throw new Error(`${strip} failed on ${name}`);
  }
}

function checkWindowsAddon(file, arch) {
  const pe = readPe(file);
  if (pe.arch !== arch) throw new Error(`${file} is for ${pe.arch} (machine ${pe.machine}), not ${arch}`);
  if (!pe.delayImports.some((dll) => dll.toLowerCase() === 'node.exe')) {
    throw new Error(`${file} does not delay-load node.exe (delay imports: ${pe.delayImports.join(', ') || 'none'}): ` +
      'the cmake-js win_delay_load_hook is missing, so the addon would not load in Electron');
  }
}

// eap_methods.dll and the addon (RADIUS/DTLS) must find GnuTLS beside themselves whoever loads
// them: each delay-loads libgnutls-30.dll (and loads it by full path first) and imports no GnuTLS DLL
// the loader would look for elsewhere; the GnuTLS DLLs import nothing but Windows' own DLLs and
// each other (no libgcc / winpthread).
function checkGnutlsImports(dest, { platform, arch }) {
  const gnutls = new Set(GNUTLS_DLLS);
  const ours = (dll) => gnutls.has(dll.toLowerCase());
  for (const module of ['eap_methods.dll', 'eaphost.napi.node']) {
    const pe = readPe(path.join(dest, module));
    if (pe.imports.some(ours)) throw new Error(`${module} imports ${pe.imports.filter(ours).join(', ')} (must be delay-loaded)`);
    if (!hasTlsEngine(platform, arch)) {
      if (pe.delayImports.some(ours)) throw new Error(`the win32-${arch} ${module} delay-loads GnuTLS, which it does not ship`);
    } else if (!pe.delayImports.some((dll) => dll.toLowerCase() === 'libgnutls-30.dll')) {
      throw new Error(`${module} does not delay-load libgnutls-30.dll (delay imports: ${pe.delayImports.join(', ') || 'none'})`);
    }
  }
  if (!hasTlsEngine(platform, arch)) return;
  for (const name of GNUTLS_DLLS) {
    const foreign = readPe(path.join(dest, name)).imports.filter((dll) => /^lib/i.test(dll) && !ours(dll));
    if (foreign.length) throw new Error(`${name} imports ${foreign.join(', ')}, which no prebuild ships`);
  }
}

// What the prebuild's bytes are a function of: the sources and build files, the compiler, the
// N-API headers, and GnuTLS's DLLs. Two builds with the same digest must give the same bytes.
const INPUTS = ['native', 'CMakeLists.txt', 'binding.gyp', 'scripts/cmake', 'scripts/install', 'scripts/shipped-methods.js',
  'scripts/dev/prebuild.js', 'node_modules/node-addon-api/package.json', 'node_modules/node-api-headers/package.json'];

function inputsDigest(target, toolchain, gnutls) {
  return filesDigest(root, [...INPUTS, ...(gnutls ? [path.join(gnutls, 'bin')] : [])],
    { seed: `${target.platform}-${target.arch}\0${toolchain}\0` });
}

// The compiler's and the linker's own first lines: either changes the bytes.
function toolchainOf({ platform, arch, cross }) {
  const tools = cross ? [`${MINGW[arch].triple}-g++-posix`, `${MINGW[arch].triple}-ld`] : platform === 'linux' ? ['c++', 'ld'] : [];
  const lines = tools.map((tool) => {
    const result = spawnSync(tool, ['--version'], { encoding: 'utf8' });
    return result.status === 0 ? result.stdout.split('\n')[0].trim() : undefined;
  });
  return lines.length > 0 && lines.every(Boolean) ? lines.join('; ') : undefined;
}

// A second build of the same inputs (the Wine lane's and the packaging lane's, in either order)
// must give the bytes the first one gave, which one of them tested: a difference fails here.
function checkReproduced(previous, manifest, dest) {
  if (!previous || !manifest.inputs || previous.inputs !== manifest.inputs || previous.target !== manifest.target) return;
  const names = new Set([...Object.keys(previous.files), ...Object.keys(manifest.files)]);
  const differ = [...names].filter((name) => previous.files[name] !== manifest.files[name]);
  if (differ.length > 0) {
    throw new Error(`${path.relative(root, dest)} is not reproducible: the same inputs gave other bytes than the previous build ` +
      `for ${differ.join(', ')}`);
  }
  console.log(`prebuild: ${path.relative(root, dest)}: the same bytes as the previous build of these inputs`);
}

function main() {
  const target = parseArgs(process.argv.slice(2));
  const dest = path.join(root, 'prebuilds', `${target.platform}-${target.arch}`);
  const previousFile = path.join(dest, PREBUILD_MANIFEST);
  const previous = fs.existsSync(previousFile) ? JSON.parse(fs.readFileSync(previousFile, 'utf8')) : undefined;
  const { built, gnutls } = build(target);
  const { addon, modules } = artifacts(target.platform, target.arch);
  fs.rmSync(dest, { recursive: true, force: true });
  fs.mkdirSync(dest, { recursive: true });

  const addonDest = path.join(dest, 'eaphost.napi.node');
  fs.copyFileSync(path.join(built, addon), addonDest);
  for (const name of [...modules, 'eaphost-methods.json']) {
    const from = path.join(built, name);
    if (!fs.existsSync(from)) throw new Error(`the build produced no ${name}`);
    fs.copyFileSync(from, path.join(dest, name));
  }
  stripSymbols(target, dest);
  if (target.platform === 'win32') {
    checkWindowsAddon(addonDest, target.arch);
    for (const name of ['eaphost.napi.node', ...modules]) {
      const pe = readPe(path.join(dest, name));
      if (pe.arch !== target.arch) throw new Error(`${name} is for ${pe.arch}, not ${target.arch}`);
      const runtime = vcRuntimeImports(pe);
      if (runtime.length > 0) {
        throw new Error(`${name} imports ${runtime.join(', ')}: it needs the VC++ redistributable; build with the static runtime (/MT)`);
      }
    }
    checkGnutlsImports(dest, target);
  }
  const toolchain = toolchainOf(target);
  const manifest = writePrebuildManifest(dest, { target: `${target.platform}-${target.arch}`, gnutlsPrefix: gnutls, toolchain,
    inputs: toolchain ? inputsDigest(target, toolchain, gnutls) : undefined });
  checkReproduced(previous, manifest, dest);
  for (const name of fs.readdirSync(dest)) {
    console.log(`prebuild: ${path.relative(root, path.join(dest, name))} (${fs.statSync(path.join(dest, name)).size} bytes)`);
  }
}

try {
  main();
} catch (err) {
  console.error(`prebuild: ${err.message}`);
  process.exitCode = 1;
}
