#!/usr/bin/env bash
# The Wine lane's x86 part inside the chroot (scripts/wine/x86.sh runs it there, in the tree,
# bind-mounted at its own path): a pure 32-bit prefix (WINEARCH=win32, no syswow64: the chroot's
# Wine makes 64-bit prefixes too, scripts/wine/wow64-chroot.sh's) with the x86 stand-in EAPHost, the x86
# build's methods registered by `eaphost register --shipped`, then mocha over the given spec
# files in the 32-bit node.exe. Writes everything into <log>, which ends with the architecture
# node.exe ran as and mocha's passing and failing counts; a preparation that fails writes why
# and "1 failing". Usage: x86-chroot.sh <node.exe> <log> <spec.js...>
set -uo pipefail

repo=$PWD
node_exe=$1
log=$2
shift 2
work="$repo/build-wine"
build_x86="$repo/build-win32"
# shellcheck source=scripts/wine/lib.sh
source scripts/wine/lib.sh
fail() { echo "x86: $*" >>"$log"; echo "  1 failing" >>"$log"; exit 1; }

: >"$log"
chroot_wine x86

wine_environment "$work/prefix-x86" x86
prepare_prefix "$EAPHOST_WINE_KEEP_PREFIX" || fail "could not create the 32-bit Wine prefix (see build-wine/wineboot.log)"
[ ! -d "$WINEPREFIX/drive_c/windows/syswow64" ] || fail "the prefix has a syswow64: a 64-bit prefix, not the pure 32-bit one"
install_standin "$build_x86"
register_shipped_methods "$build_x86/Release/eaphost.node" >>"$log"
EAPHOST_ADDON_PATH=$(winepath -w "$build_x86/Release/eaphost.node") || fail "winepath failed"
export EAPHOST_ADDON_PATH EAPHOST_WINE=1

win_node "$work/node-x86.arch" -p 'process.arch + " " + process.platform + " " + process.version'
arch=$(tr -d '\r\n' <"$work/node-x86.arch")
echo "x86: node.exe ran as $arch" >>"$log"
[ "${arch%% *}" = ia32 ] || fail "node-win-x86 ran as $arch, not ia32"

# As in run.sh's other core runs: the 100k-session RSS measure ran under the lane's main node.
win_node "$work/mocha-x86-run.log" node_modules/mocha/bin/mocha.js --no-config --no-color --timeout 30000 "$@" \
  --grep '100k sessions, including failing and dropped ones' --invert
status=$?
cat "$work/mocha-x86-run.log" >>"$log"
grep -q ' passing' "$work/mocha-x86-run.log" || fail "mocha in node-win-x86 printed no passing count (exit $status)"
echo "x86: $arch: $(grep -Eo '[0-9]+ passing' "$work/mocha-x86-run.log" | tail -n 1)" >>"$log"
"$wineserver_bin" -w
exit "$status"
