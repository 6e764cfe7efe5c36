// Checks, before a source build starts, that the tools and system libraries it needs are
// present, so a missing one is reported in one line naming the package to install rather
// than as a compiler or gyp stack trace halfway through the build.
'use strict';
const fs = require('fs');
const os = require('os');
const path = require('path');
const { spawnSync } = require('child_process');

// System libraries the native build links, keyed by the -l name binding.gyp uses: the header
// proves the development files are installed, the packages say where to get them.
const SYSTEM_LIBRARIES = {
  nettle: {
    header: 'nettle/md5.h',
    packages: 'Debian/Ubuntu: apt-get install nettle-dev; Fedora: dnf install nettle-devel; macOS: brew install nettle',
  },
  gnutls: {
    header: 'gnutls/gnutls.h',
    packages: 'Debian/Ubuntu: apt-get install libgnutls28-dev; Fedora: dnf install gnutls-devel; macOS: brew install gnutls',
  },
};

class MissingPrerequisite extends Error {}

function runs(command, args, options = {}) {
  const result = spawnSync(command, args, { stdio: 'ignore', ...options });
  return result.status === 0;
}

function onPath(name) {
  const dirs = (process.env.PATH || '').split(path.delimiter).filter(Boolean);
  const exts = process.platform === 'win32' ? (process.env.PATHEXT || '.EXE;.CMD;.BAT').split(';') : [''];
  for (const dir of dirs) {
    for (const ext of exts) {
      const file = path.join(dir, name + ext);
      try {
        if (fs.statSync(file).isFile()) return file;
      } catch { /* not here */ }
    }
  }
  return undefined;
}

function findCxx() {
  const candidates = [process.env.CXX, 'c++', 'g++', 'clang++'].filter(Boolean);
  for (const cxx of candidates) {
    const [command, ...flags] = cxx.split(/\s+/);
    if (onPath(command) || path.isAbsolute(command)) {
      if (runs(command, [...flags, '--version'])) return { command, flags };
    }
  }
  throw new MissingPrerequisite('no C++ compiler found (Debian/Ubuntu: apt-get install g++ make; ' +
    'Fedora: dnf install gcc-c++ make; macOS: xcode-select --install)');
}

function requireTool(name, hint) {
  if (!onPath(name)) throw new MissingPrerequisite(`${name} not found (${hint})`);
}

function findPython() {
  const configured = process.env.npm_config_python || process.env.PYTHON;
  if (configured && runs(configured, ['--version'])) return;
  for (const name of ['python3', 'python']) {
    if (onPath(name) && runs(name, ['-c', 'import sys; sys.exit(0 if sys.version_info >= (3, 6) else 1)'])) return;
  }
  throw new MissingPrerequisite('python 3 not found, which node-gyp needs (Debian/Ubuntu: apt-get install python3; ' +
    'or set npm_config_python)');
}

// pkg-config, where present, knows where a library lives off the default search path
// (Homebrew on macOS); its flags are handed to the build through CPPFLAGS / LDFLAGS.
function pkgConfigFlags(name) {
  if (!onPath('pkg-config')) return { cflags: [], libs: [] };
  const query = (flag) => {
    const result = spawnSync('pkg-config', [flag, name], { encoding: 'utf8' });
    return result.status === 0 ? result.stdout.trim().split(/\s+/).filter(Boolean) : [];
  };
  return { cflags: query('--cflags'), libs: query('--libs-only-L') };
}

// Compiles and links a one-line program against the library: the header and the linkable
// library (the development symlink) must both be there.
function checkLibrary(cxx, name, buildEnv) {
  const known = SYSTEM_LIBRARIES[name];
  const flags = pkgConfigFlags(name);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'eaphost-check-'));
  try {
    const source = path.join(dir, 'check.cc');
    fs.writeFileSync(source, `${known ? `#include <${known.header}>\n` : ''}int main() { return 0; }\n`);
    const ok = runs(cxx.command, [...cxx.flags, ...flags.cflags, source, '-o', path.join(dir, 'check'),
      ...flags.libs, `-l${name}`]);
    if (!ok) {
      const what = known ? `${name} development files (${known.header}, lib${name})` : `library lib${name}`;
      throw new MissingPrerequisite(`${what} not found${known ? ` (${known.packages})` : ''}`);
    }
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
  const add = (key, more) => {
    if (more.length) buildEnv[key] = [buildEnv[key] ?? process.env[key], ...more].filter(Boolean).join(' ');
  };
  add('CPPFLAGS', flags.cflags);
  add('LDFLAGS', flags.libs);
}

// The -l libraries binding.gyp links off Windows, read from binding.gyp itself so that a
// library a new method adds is checked without touching this file.
function linkedLibraries(root) {
  const gyp = fs.readFileSync(path.join(root, 'binding.gyp'), 'utf8');
  const names = new Set([...gyp.matchAll(/"-l([\w+.-]+)"/g), ...gyp.matchAll(/pkg-config --(?:cflags|libs) ([\w+.-]+)/g)]
    .map((m) => m[1]));
  for (const base of ['dl', 'pthread', 'm']) names.delete(base);
  return [...names];
}

/**
 * Throws MissingPrerequisite naming the first missing piece. Returns extra environment for
 * the build (library search flags from pkg-config).
 *   backend: 'node-gyp' | 'cmake-js'
 */
function checkPrerequisites(root, backend) {
  const buildEnv = {};
  if (process.platform === 'win32') {
    // node-gyp and cmake-js both locate Visual Studio themselves and say which part is missing.
    if (backend === 'cmake-js') requireTool('cmake', 'install CMake 3.20 or newer');
    else findPython();
    return buildEnv;
  }
  const cxx = findCxx();
  if (backend === 'cmake-js') {
    requireTool('cmake', 'Debian/Ubuntu: apt-get install cmake; macOS: brew install cmake');
  } else {
    findPython();
    requireTool('make', 'Debian/Ubuntu: apt-get install make; macOS: xcode-select --install');
  }
  if (/<!@?\(pkg-config /.test(fs.readFileSync(path.join(root, 'binding.gyp'), 'utf8'))) {
    requireTool('pkg-config', 'Debian/Ubuntu: apt-get install pkg-config; macOS: brew install pkg-config');
  }
  for (const name of linkedLibraries(root)) checkLibrary(cxx, name, buildEnv);
  return buildEnv;
}

module.exports = { checkPrerequisites, MissingPrerequisite, onPath };
