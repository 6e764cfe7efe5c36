/**
 * The Windows build rules the lanes here enforce for MSVC (docs/WINDOWS-CONTRACT.md, "Build
 * rules"), each shown firing on a compiler's or gyp's own verdict:
 *  - the UCRT's deprecations (C4996, an error under /sdl) through the forced header the
 *    mingw-w64 toolchain files add;
 *  - node-gyp's Windows flags (node's common.gypi: /GR-, no exceptions) read from a .gyp file
 *    by gyp itself, and what binding.gyp turns back on;
 *  - the stand-in eappprxy.dll and the contract probe stay out of a build from the npm package;
 *  - a 64-bit time_t in the i686 build, as MSVC's and GnuTLS's x86 builds have it.
 */
import { strict as assert } from 'assert';
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

const root = path.resolve(__dirname, '..', '..', '..');
// eslint-disable-next-line @typescript-eslint/no-var-requires
const gypFlags = require(path.join(root, 'scripts', 'dev', 'windows-flags.js'));
const header = path.join(root, 'scripts', 'cmake', 'ucrt-deprecations.h');

function scratchDir(): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), 'eaphost-windows-rules-'));
}

/** Compiles `source` for Windows with the toolchain files' forced header; the compiler's verdict. */
function compileForWindows(compiler: string, source: string, extension = 'cc', extra: string[] = []): { status: number | null; stderr: string } {
  const dir = scratchDir();
  try {
    const file = path.join(dir, `probe.${extension}`);
    fs.writeFileSync(file, source);
    const run = spawnSync(compiler, ['-Wall', '-Wextra', '-include', header, '-Werror=deprecated-declarations', ...extra, '-c', file,
      '-o', path.join(dir, 'probe.o')], { encoding: 'utf8' });
    assert.ok(!run.error, `${compiler} did not run (apt-get install mingw-w64): ${run.error?.message}`);
    return { status: run.status, stderr: run.stderr };
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

describe('Windows build rules, seen on Linux', function () {
  this.timeout(120000);

  describe('the UCRT deprecations (MSVC C4996 under /sdl) in the mingw-w64 cross-build', () => {
    for (const compiler of ['x86_64-w64-mingw32-g++-posix', 'i686-w64-mingw32-g++-posix']) {
      it(`${compiler}: std::getenv fails, a file without it compiles`, () => {
        const call = compileForWindows(compiler, '#include <cstdlib>\nconst char* Read() { return std::getenv("PATH"); }\n');
        assert.notEqual(call.status, 0, 'a getenv call compiled');
        assert.match(call.stderr, /getenv.*is deprecated/);
        const clean = compileForWindows(compiler, '#include <cstdlib>\n#include <cstring>\n#include <ctime>\n' +
          'int Length(const char* s) { return static_cast<int>(std::strlen(s)); }\n');
        assert.equal(clean.status, 0, clean.stderr);
        assert.equal(clean.stderr, '', 'the forced header itself warns');
      });
    }

    it('marks the secure-CRT class and the POSIX names alike (sprintf, strcpy, localtime, strdup, fileno), in C too', () => {
      const uses: Record<string, string> = {
        sprintf: '#include <cstdio>\nint F(char* b) { return std::sprintf(b, "%d", 1); }\n',
        strcpy: '#include <cstring>\nchar* F(char* d) { return std::strcpy(d, "x"); }\n',
        localtime: '#include <ctime>\nstd::tm* F(const std::time_t* t) { return std::localtime(t); }\n',
        strdup: '#include <string.h>\nchar* F(const char* s) { return strdup(s); }\n',
        fileno: '#include <stdio.h>\nint F(FILE* f) { return fileno(f); }\n',
      };
      for (const [name, source] of Object.entries(uses)) {
        const run = compileForWindows('x86_64-w64-mingw32-g++-posix', source);
        assert.notEqual(run.status, 0, `${name} compiled`);
        assert.match(run.stderr, new RegExp(`${name}.*is deprecated`));
      }
      const c = compileForWindows('x86_64-w64-mingw32-gcc-posix', '#include <stdlib.h>\nconst char* F(void) { return getenv("PATH"); }\n', 'c');
      assert.notEqual(c.status, 0, 'getenv compiled as C');
    });

    it('both mingw-w64 toolchain files force the header in, as errors, and hide mingw\'s ssize_t (as CMake reads them)', () => {
      const dir = scratchDir();
      try {
        const script = path.join(dir, 'print.cmake');
        fs.writeFileSync(script, 'include(${TOOLCHAIN})\nmessage("C=${CMAKE_C_FLAGS_INIT}")\nmessage("CXX=${CMAKE_CXX_FLAGS_INIT}")\n' +
          'message("COMPILER=${CMAKE_CXX_COMPILER}")\n');
        for (const [file, triple] of [['toolchain-mingw64.cmake', 'x86_64-w64-mingw32'], ['toolchain-mingw32.cmake', 'i686-w64-mingw32']]) {
          const run = spawnSync('cmake', [`-DTOOLCHAIN=${path.join(root, 'scripts', 'cmake', file)}`, '-P', script], { encoding: 'utf8' });
          assert.equal(run.status, 0, run.stderr);
          const header = path.join(root, 'scripts', 'cmake', 'ucrt-deprecations.h');
          for (const variable of ['C', 'CXX']) {
            const line = run.stderr.split('\n').find((l) => l.startsWith(`${variable}=`)) ?? '';
            assert.ok(line.includes(`-include ${header}`), `${file}: ${line}`);
            assert.match(line, /-Werror=deprecated-declarations/, `${file}: ${variable}`);
            assert.match(line, /-D_SSIZE_T_DEFINED\b/, `${file}: ${variable}`);
          }
          assert.match(run.stderr, new RegExp(`COMPILER=${triple}-g\\+\\+-posix`), file);
        }
      } finally {
        fs.rmSync(dir, { recursive: true, force: true });
      }
    });
  });

  describe('a 64-bit time_t in every Windows build, i686 included', () => {
    // mingw-w64's i686 default is a 32-bit time_t; MSVC's, and GnuTLS's x86 build, are 64-bit.
    // native/abi/eap_platform.h asserts it; CMakeLists.txt defines what makes it so.
    it('eap_platform.h fails to compile for i686 without __MINGW_USE_VC2005_COMPAT, and compiles with it', () => {
      const dir = scratchDir();
      try {
        const probe = path.join(dir, 'probe.cc');
        fs.writeFileSync(probe, `#include "${path.join(root, 'native', 'abi', 'eap_platform.h')}"\n`);
        const compile = (extra: string[]) => spawnSync('i686-w64-mingw32-g++-posix', [...extra, '-std=c++17', '-fsyntax-only', probe],
          { encoding: 'utf8' });
        const bare = compile([]);
        assert.ok(!bare.error, `i686-w64-mingw32-g++-posix did not run (apt-get install mingw-w64): ${bare.error?.message}`);
        assert.notEqual(bare.status, 0, 'a 32-bit time_t compiled');
        assert.match(bare.stderr, /time_t must be 64 bits on Windows/);
        const defined = compile(['-D__MINGW_USE_VC2005_COMPAT']);
        assert.equal(defined.status, 0, defined.stderr);
      } finally {
        fs.rmSync(dir, { recursive: true, force: true });
      }
    });

    // The price of that time_t: mingw-w64 10's static libwinpthread was built without the define,
    // so the struct timespec our code hands it (through std::condition_variable's timed waits) is
    // not the one it reads. Shown by the compiler: the layouts the two sides see.
    it('struct timespec is 16 bytes with tv_nsec at 8 under the define, 8 bytes with tv_nsec at 4 without (libwinpthread\'s)', () => {
      const dir = scratchDir();
      try {
        const probe = path.join(dir, 'probe.cc');
        const layout = (size: number, at: number) => `#include <time.h>\n#include <cstddef>\n` +
          `static_assert(sizeof(struct timespec) == ${size}, "size");\nstatic_assert(offsetof(struct timespec, tv_nsec) == ${at}, "offset");\n`;
        const compile = (source: string, extra: string[]) => {
          fs.writeFileSync(probe, source);
          return spawnSync('i686-w64-mingw32-g++-posix', [...extra, '-std=c++17', '-fsyntax-only', probe], { encoding: 'utf8' });
        };
        assert.equal(compile(layout(16, 8), ['-D__MINGW_USE_VC2005_COMPAT']).status, 0, 'ours');
        assert.equal(compile(layout(8, 4), []).status, 0, "libwinpthread's");
        assert.notEqual(compile(layout(8, 4), ['-D__MINGW_USE_VC2005_COMPAT']).status, 0, 'the two agree');
      } finally {
        fs.rmSync(dir, { recursive: true, force: true });
      }
    });

    // So no native code waits with a deadline through the standard library on Windows: every
    // timed wait is common/timed_wait.h's (a thread-pool timer in milliseconds on Windows), shown
    // to wait 300 ms, not to spin, by test/timed-wait.test.ts in the x86 node.exe.
    it('no condition variable waits with wait_for / wait_until outside native/common/timed_wait*', () => {
      const found: string[] = [];
      const walk = (dir: string): void => {
        for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
          const file = path.join(dir, entry.name);
          if (entry.isDirectory()) walk(file);
          else if (/\.(cc|h)$/.test(entry.name) && !entry.name.startsWith('timed_wait') &&
            /\.wait_(for|until)\s*\(/.test(fs.readFileSync(file, 'utf8'))) found.push(path.relative(root, file));
        }
      };
      walk(path.join(root, 'native'));
      assert.deepEqual(found, []);
    });
  });

  describe("node-gyp's Windows flags (gyp with node's common.gypi, OS=win)", () => {
    it('a .gyp file that overrides nothing gets -fno-rtti and -fno-exceptions (/GR-, _HAS_EXCEPTIONS=0)', () => {
      const dir = scratchDir();
      try {
        const gyp = path.join(dir, 'binding.gyp');
        fs.writeFileSync(gyp, '{"targets": [{"target_name": "scratch", "sources": ["scratch.cc"]}]}\n');
        const config = gypFlags.releaseConfiguration(gypFlags.resolveForWindows(gyp), 'scratch');
        assert.equal(config.msvs_settings.VCCLCompilerTool.RuntimeTypeInfo, 'false');
        assert.ok(config.defines.includes('_HAS_EXCEPTIONS=0'));
        const flags: string[] = gypFlags.gccFlags(config);
        assert.ok(flags.includes('-fno-rtti') && flags.includes('-fno-exceptions'), flags.join(' '));
      } finally {
        fs.rmSync(dir, { recursive: true, force: true });
      }
    });

    it('binding.gyp turns RTTI and exceptions on for every compiled target (scripts/install/windows-cxx.gypi)', () => {
      const targets = gypFlags.resolveForWindows(path.join(root, 'binding.gyp'));
      for (const name of ['eaphost', 'eap_methods', 'eaphost_portable']) {
        const config = gypFlags.releaseConfiguration(targets, name);
        const cl = config.msvs_settings.VCCLCompilerTool;
        assert.equal(cl.RuntimeTypeInfo, 'true', name);
        assert.equal(String(cl.ExceptionHandling), '1', name);
        assert.ok(config.defines.includes('_HAS_EXCEPTIONS=1') && !config.defines.includes('_HAS_EXCEPTIONS=0'), name);
        const flags: string[] = gypFlags.gccFlags(config);
        assert.ok(!flags.includes('-fno-rtti') && !flags.includes('-fno-exceptions'), `${name}: ${flags.join(' ')}`);
      }
    });

    it('the addon compiles without RTTI: no dynamic_cast or typeid under native/addon', () => {
      // The kind tag (addon_state.h) makes RTTI unnecessary, so the /GR- default alone would do.
      const dir = path.join(root, 'native', 'addon');
      const files = (sub: string): string[] => fs.readdirSync(path.join(dir, sub), { withFileTypes: true })
        .flatMap((e) => (e.isDirectory() ? files(path.join(sub, e.name)) : [path.join(sub, e.name)]));
      const users = files('').filter((f) => /dynamic_(pointer_)?cast|typeid\s*\(/.test(
        fs.readFileSync(path.join(dir, f), 'utf8').replace(/\/\/.*$/gm, '')));
      assert.deepEqual(users, []);
    });
  });

  describe("MSVC's missing ssize_t in the mingw-w64 cross-build (-D_SSIZE_T_DEFINED)", () => {
    const wrapper = path.join(root, 'native', 'methods', 'tls', 'gnutls', 'gnutls_headers.h');
    // A stand-in for GnuTLS's headers (named so): gnutls.h declares its calls with ssize_t, as GnuTLS's does.
    function standInGnutls(): string {
      const dir = scratchDir();
      fs.mkdirSync(path.join(dir, 'gnutls'));
      for (const name of ['abstract.h', 'crypto.h', 'ocsp.h', 'x509.h', 'x509-ext.h']) fs.writeFileSync(path.join(dir, 'gnutls', name), '');
      fs.writeFileSync(path.join(dir, 'gnutls', 'gnutls.h'),
        '#include <sys/types.h>\n#include <stddef.h>\nssize_t gnutls_record_send(void* session, const void* data, size_t size);\n');
      return dir;
    }

    for (const compiler of ['x86_64-w64-mingw32-g++-posix', 'i686-w64-mingw32-g++-posix']) {
      it(`${compiler}: GnuTLS's header alone fails, through native/methods/tls/gnutls/gnutls_headers.h it compiles`, () => {
        const gnutls = standInGnutls();
        try {
          const bare = compileForWindows(compiler, '#include <gnutls/gnutls.h>\n', 'cc', ['-D_SSIZE_T_DEFINED', '-I', gnutls]);
          assert.notEqual(bare.status, 0, 'ssize_t was declared');
          assert.match(bare.stderr, /ssize_t/);
          const wrapped = compileForWindows(compiler, `#include "${wrapper}"\nssize_t Sent() { return gnutls_record_send(nullptr, "", 0); }\n`,
            'cc', ['-D_SSIZE_T_DEFINED', '-I', gnutls, '-Werror']);
          assert.equal(wrapped.status, 0, wrapped.stderr);
          // mingw-w64's own ssize_t (without the define) and the header's are one type.
          const both = compileForWindows(compiler, `#include <sys/types.h>\n#include "${wrapper}"\n`, 'cc', ['-I', gnutls, '-Werror']);
          assert.equal(both.status, 0, both.stderr);
        } finally {
          fs.rmSync(gnutls, { recursive: true, force: true });
        }
      });
    }
  });

  describe('binding.gyp for Windows: the TLS engine only with GnuTLS, delay-loaded through lib /def:', () => {
    const eapMethods = (targets: any[]) => targets.find((t) => t.target_name === 'eap_methods');
    const manifestArgument = (targets: any[]) => targets.find((t) => t.target_name === 'method_manifest').actions[0].action.at(-1);
    const tlsSources = (target: any) => target.files.filter((s: string) => s.includes('native/methods/tls/') || /methods\/(peap|ttls|teap)\//.test(s));

    /** A directory that passes for a GnuTLS prefix (include/gnutls/gnutls.h), named so. */
    function standInPrefix(): string {
      const prefix = scratchDir();
      fs.mkdirSync(path.join(prefix, 'include', 'gnutls'), { recursive: true });
      fs.writeFileSync(path.join(prefix, 'include', 'gnutls', 'gnutls.h'), '');
      return prefix;
    }

    it('win32-arm64 even given a prefix, and x64 given none: no TLS source, no EAPHOST_TLS_METHODS, a manifest without them', () => {
      const prefix = standInPrefix();
      const withoutPrefix = { ...process.env };
      delete withoutPrefix.EAPHOST_GNUTLS_PREFIX;
      for (const [arch, env] of [['arm64', { ...process.env, EAPHOST_GNUTLS_PREFIX: prefix }], ['x64', withoutPrefix]] as const) {
        const targets = gypFlags.resolveForWindows(path.join(root, 'binding.gyp'), { arch, env });
        const methods = eapMethods(targets);
        assert.deepEqual(tlsSources(methods), [], arch);
        assert.ok(methods.files.some((s: string) => s.endsWith('mschapv2/mschapv2_method.cc')), arch);
        assert.ok(!gypFlags.releaseConfiguration(targets, 'eap_methods').defines.includes('EAPHOST_TLS_METHODS'), arch);
        assert.equal(manifestArgument(targets), '0', arch);
        // The addon's RADIUS/DTLS is the stand-in that says ENOTSUP.
        const addon = targets.find((t: any) => t.target_name === 'eaphost');
        assert.ok(addon.files.some((s: string) => s.endsWith('radius/dtls/radius_dtls_absent.cc')), arch);
        assert.ok(!addon.files.some((s: string) => /radius\/dtls\/radius_(dtls_session|gnutls_win32)\.cc$/.test(s)), arch);
      }
      fs.rmSync(prefix, { recursive: true, force: true });
    });

    it('with a GnuTLS prefix: the TLS sources and the addon\'s DTLS, the import library from its .def by lib /def:, LNK4199 an error', () => {
      const prefix = standInPrefix();
      try {
        for (const [arch, machine] of [['x64', 'X64'], ['ia32', 'X86']]) {
          const targets = gypFlags.resolveForWindows(path.join(root, 'binding.gyp'), { arch, env: { ...process.env, EAPHOST_GNUTLS_PREFIX: prefix } });
          const methods = eapMethods(targets);
          assert.ok(tlsSources(methods).some((s: string) => s.endsWith('gnutls/tls_engine.cc')), arch);
          const config = gypFlags.releaseConfiguration(targets, 'eap_methods');
          assert.ok(config.defines.includes('EAPHOST_TLS_METHODS'), arch);
          const action = methods.actions.find((a: any) => a.action_name === 'gnutls_import_library');
          assert.deepEqual(action.action.slice(0, 5), ['lib.exe', '/nologo', `/def:${prefix}/lib/libgnutls-30.def`, '/name:libgnutls-30.dll',
            `/machine:${machine}`], arch);
          assert.ok(methods.libraries.some((l: string) => l.endsWith('/libgnutls-30.lib')), methods.libraries.join(' '));
          assert.ok(!methods.libraries.some((l: string) => l.endsWith('.dll.a')), 'a GNU import library is linked');
          const linker = config.msvs_settings.VCLinkerTool;
          assert.deepEqual(linker.DelayLoadDLLs, ['libgnutls-30.dll']);
          assert.ok(linker.AdditionalOptions.includes('/WX:4199'), linker.AdditionalOptions.join(' '));
          assert.equal(manifestArgument(targets), '1', arch);
          // The addon's RADIUS/DTLS over the same GnuTLS, delay-loaded through the same kind of import library.
          const addon = targets.find((t: any) => t.target_name === 'eaphost');
          assert.ok(addon.files.some((s: string) => s.endsWith('radius/dtls/radius_dtls_session.cc')), arch);
          assert.ok(addon.files.some((s: string) => s.endsWith('radius/dtls/radius_gnutls_win32.cc')), arch);
          assert.ok(!addon.files.some((s: string) => s.endsWith('radius/dtls/radius_dtls_absent.cc')), arch);
          assert.ok(addon.libraries.some((l: string) => l.endsWith('/libgnutls-30.lib')), addon.libraries.join(' '));
          const addonLinker = gypFlags.releaseConfiguration(targets, 'eaphost').msvs_settings.VCLinkerTool;
          assert.ok(addonLinker.DelayLoadDLLs.includes('libgnutls-30.dll'), addonLinker.DelayLoadDLLs.join(' '));
          assert.ok(addonLinker.AdditionalOptions.includes('/WX:4199'), addonLinker.AdditionalOptions.join(' '));
        }
      } finally {
        fs.rmSync(prefix, { recursive: true, force: true });
      }
    });
  });

  describe('what a build from the npm package leaves out', () => {
    /** binding.gyp resolved for Windows in a copy holding only what the package ships of it. */
    function packagedTargets(): any[] {
      const dir = scratchDir();
      try {
        fs.copyFileSync(path.join(root, 'binding.gyp'), path.join(dir, 'binding.gyp'));
        fs.cpSync(path.join(root, 'scripts', 'install'), path.join(dir, 'scripts', 'install'), { recursive: true });
        fs.copyFileSync(path.join(root, 'scripts', 'shipped-methods.js'), path.join(dir, 'scripts', 'shipped-methods.js'));
        fs.mkdirSync(path.join(dir, 'native', 'methods'), { recursive: true });
        fs.copyFileSync(path.join(root, 'native', 'sources.json'), path.join(dir, 'native', 'sources.json'));
        fs.copyFileSync(path.join(root, 'native', 'methods', 'methods.json'), path.join(dir, 'native', 'methods', 'methods.json'));
        fs.mkdirSync(path.join(dir, 'node_modules'));
        fs.symlinkSync(path.join(root, 'node_modules', 'node-addon-api'), path.join(dir, 'node_modules', 'node-addon-api'));
        return gypFlags.resolveForWindows(path.join(dir, 'binding.gyp'));
      } finally {
        fs.rmSync(dir, { recursive: true, force: true });
      }
    }

    it('no stand-in eappprxy.dll and no contract probe in the package; both in this checkout', () => {
      const packaged = packagedTargets();
      assert.deepEqual(packaged.map((t) => t.target_name).sort(), ['eap_methods', 'eaphost', 'method_manifest']);
      const addon = packaged.find((t) => t.target_name === 'eaphost');
      assert.ok(!addon.files.some((s: string) => s.includes('contract_probe')), addon.files.join(' '));
      assert.ok(!gypFlags.releaseConfiguration(packaged, 'eaphost').defines.includes('EAPHOST_BUILD_CONTRACT_PROBE'));

      const checkout = gypFlags.resolveForWindows(path.join(root, 'binding.gyp'));
      assert.ok(checkout.some((t: any) => t.target_name === 'eaphost_portable'), 'the checkout builds no stand-in');
      const ours = checkout.find((t: any) => t.target_name === 'eaphost');
      assert.ok(ours.files.some((s: string) => s.includes('contract_probe')), 'the checkout builds no contract probe');
    });

    it('scripts/dev/prebuild.js turns the contract probe off', () => {
      assert.match(fs.readFileSync(path.join(root, 'scripts', 'dev', 'prebuild.js'), 'utf8'), /--CDEAPHOST_BUILD_CONTRACT_PROBE=OFF/);
    });
  });

  // winpthreads (MinGW's std::thread) frees a detached thread's control block from the exiting
  // thread that last used it, which may by then be the next thread's: that thread ends without
  // running its body. Threads nobody joins start through StartOwnThread, native on Windows.
  it('no native thread is detached except through StartOwnThread (native/addon/runtime/own_thread.h)', () => {
    const detached: string[] = [];
    const walk = (dir: string): void => {
      for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
        const file = path.join(dir, entry.name);
        if (entry.isDirectory()) walk(file);
        else if (/\.(cc|h)$/.test(entry.name) && entry.name !== 'own_thread.h' && /\.detach\(\)/.test(fs.readFileSync(file, 'utf8'))) {
          detached.push(path.relative(root, file));
        }
      }
    };
    walk(path.join(root, 'native'));
    walk(path.join(root, 'test', 'standins'));
    assert.deepEqual(detached, []);
    assert.match(fs.readFileSync(path.join(root, 'native', 'addon', 'runtime', 'own_thread.h'), 'utf8'), /_beginthreadex/);
  });
});
