#!/usr/bin/env bash
# The Wine lane's parts that run the suite's core inside the chroot (scripts/ci/i386-chroot.sh's
# Wine 10; scripts/wine/lib.sh run_chroot_core runs this there, in the tree, bind-mounted at its
# own path), in a prefix of their own with the stand-in EAPHost and that build's methods
# registered by `eaphost register --shipped`, then mocha over the given spec files in node.exe:
#   x86  the 32-bit node.exe (npm node-win-x86) in a pure 32-bit prefix (WINEARCH=win32, no
#        syswow64; the chroot's Wine makes 64-bit prefixes too, scripts/wine/wow64-chroot.sh's),
#        against the x86 cross-build (build-win32)
#   x64  the node.exe the GitHub Action runs (node24; Wine 8 cannot start it) in a 64-bit prefix,
#        against the x64 cross-build (build-win), as the lane's main prefix has it
# Writes everything into <log>, which ends with the architecture node.exe ran as and mocha's
# passing and failing counts; a preparation that fails writes why and "1 failing".
# Usage: core-chroot.sh <x64|x86> <node.exe> <log> <spec.js...>
#        core-chroot.sh <x64|x86> <node.exe> <log> --prefix-only   (the prefix, made ahead: see
#        scripts/wine/run.sh, which then runs the specs with EAPHOST_WINE_KEEP_PREFIX=1)
set -uo pipefail

repo=$PWD
arch=$1
node_exe=$2
log=$3
shift 3
work="$repo/build-wine"
# shellcheck source=scripts/wine/lib.sh
source scripts/wine/lib.sh
fail() { echo "$arch: $*" >>"$log"; echo "  1 failing" >>"$log"; exit 1; }

: >"$log"
case $arch in
  x86) build="$repo/build-win32" prefix="$work/prefix-x86" process_arch=ia32 ;;
  x64) build="$repo/build-win" prefix="$work/prefix-x64-chroot" process_arch=x64 ;;
  *) fail "usage: core-chroot.sh <x64|x86> <node.exe> <log> <spec.js...>" ;;
esac
chroot_wine "$arch"

chroot_prefix "$prefix" "$arch"
[ "${1:-}" != --prefix-only ] || exit 0
install_standin "$build"
register_shipped_methods "$build/Release/eaphost.node" >>"$log"
EAPHOST_ADDON_PATH=$(winepath -w "$build/Release/eaphost.node") || fail "winepath failed"
export EAPHOST_ADDON_PATH EAPHOST_WINE=1

win_node "$work/node-$arch.arch" -p 'process.arch + " " + process.platform + " " + process.version'
ran_as=$(tr -d '\r\n' <"$work/node-$arch.arch")
echo "$arch: node.exe ran as $ran_as" >>"$log"
[ "${ran_as%% *}" = "$process_arch" ] || fail "$(basename "$(dirname "$node_exe")") ran as $ran_as, not $process_arch"

# As in run.sh's suite: the 100k-session RSS measure ran under the lane's main node.
win_node "$work/mocha-$arch-run.log" node_modules/mocha/bin/mocha.js --no-config --no-color --timeout 30000 "$@" \
  --grep '100k sessions, including failing and dropped ones' --invert
status=$?
cat "$work/mocha-$arch-run.log" >>"$log"
grep -q ' passing' "$work/mocha-$arch-run.log" || fail "mocha in $(basename "$(dirname "$node_exe")") printed no passing count (exit $status)"
echo "$arch: $ran_as: $(grep -Eo '[0-9]+ passing' "$work/mocha-$arch-run.log" | tail -n 1)" >>"$log"
"$wineserver_bin" -w
exit "$status"
