#!/usr/bin/env bash
# The Wine lane's WoW64 part inside the chroot (scripts/wine/x86.sh runs it there, in the tree,
# bind-mounted at its own path): the official 32-bit node.exe with the x86 cross-build's addon in
# a 64-bit prefix (WINEARCH=win64, the chroot's wine64 with wine32 for its syswow64), as a 32-bit
# node.exe or Electron runs on 64-bit Windows, then mocha over test/windows-wow64/** (windows.yml's
# ia32 leg runs the same files on Windows). Writes everything into <log>, which ends with mocha's
# passing and failing counts; a preparation that fails writes why and "1 failing".
# Usage: wow64-chroot.sh <node.exe> <log>
set -uo pipefail

repo=$PWD
node_exe=$1
log=$2
work="$repo/build-wine"
build_x86="$repo/build-win32"
# shellcheck source=scripts/wine/lib.sh
source scripts/wine/lib.sh
fail() { echo "wow64: $*" >>"$log"; echo "  1 failing" >>"$log"; exit 1; }

: >"$log"
chroot_wine wow64

chroot_prefix "$work/prefix-wow64" x64

EAPHOST_ADDON_PATH=$(winepath -w "$build_x86/Release/eaphost.node" 2>/dev/null) || fail "winepath failed"
export EAPHOST_ADDON_PATH
# The lane fails when fewer tests ran than it runs today (test/support/lane-minimum.ts).
EAPHOST_LANE_MIN_TESTS=3 win_node "$work/mocha-wow64-run.log" node_modules/mocha/bin/mocha.js --no-config --no-color \
  --forbid-only --forbid-pending --timeout 30000 --require dist/test/support/lane-minimum.js 'dist/test/windows-wow64/**/*.test.js'
status=$?
cat "$work/mocha-wow64-run.log" >>"$log"
grep -q ' passing' "$work/mocha-wow64-run.log" || fail "mocha in node-win-x86 (WoW64) printed no passing count (exit $status)"
"$wineserver_bin" -w
exit "$status"
