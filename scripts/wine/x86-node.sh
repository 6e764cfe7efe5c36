#!/usr/bin/env bash
# The official 32-bit node.exe (npm node-win-x86) with the x86 cross-build's addon, run once under
# the chroot's Wine (scripts/ci/i386-chroot.sh) in the 32-bit prefix the lane's x86 part made
# (build-wine/prefix-x86, scripts/wine/core-chroot.sh): for test/wine-host/**, whose Linux peers
# judge a subject that runs in 32-bit Windows (test/support/wine-node.ts). The chroot shares the
# machine's network, so the subject reaches Linux peers on loopback; it sees the tree at its own
# path and nothing else of the machine, so every file named to node.exe lives in the tree.
#
# Usage: x86-node.sh <log> [NAME=VALUE...] -- <node.exe arguments...>
#   with EAPHOST_WINE_X86_NODE_EXE naming node-win-x86's node.exe (scripts/wine/run.sh does).
# node.exe's output goes to <log> (Wine's node fails with EBADF on a pipe); the exit status is
# node.exe's. NAME=VALUE pairs reach node.exe's environment, which holds nothing else of the caller's.
set -uo pipefail

repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
cd "$repo"
work="$repo/build-wine"
build_x86="$repo/build-win32"
# shellcheck source=scripts/wine/lib.sh
source scripts/wine/lib.sh
fail() { echo "x86-node: $*" >&2; exit 125; }

if [ "${1:-}" = --inside ]; then
  # In the chroot (in_i386_chroot): the prefix's environment, then node.exe.
  shift
  node_exe=$1 log=$2
  shift 2
  wine_environment "$work/prefix-x86" x86
  [ -d "$WINEPREFIX/drive_c" ] || fail "no 32-bit prefix at $WINEPREFIX: the Wine lane's x86 part makes it"
  EAPHOST_ADDON_PATH=$(winepath -w "$build_x86/Release/eaphost.node") || fail "winepath failed"
  export EAPHOST_ADDON_PATH
  while [ $# -gt 0 ] && [ "$1" != -- ]; do export "${1?}"; shift; done
  shift
  win_node "$log" "$@"
  status=$?
  # The prefix's wineserver ends with the last program, so the next run starts clean.
  "$(command -v wineserver || ls /usr/lib/wine/wineserver* | head -n 1)" -w
  exit "$status"
fi

[ $# -ge 2 ] || fail "usage: x86-node.sh <log> [NAME=VALUE...] -- <node.exe arguments...>"
node_exe=${EAPHOST_WINE_X86_NODE_EXE:-}
[ -f "$node_exe" ] || fail "EAPHOST_WINE_X86_NODE_EXE names no node.exe ('$node_exe'): run from scripts/wine/run.sh"
[ -f "$build_x86/Release/eaphost.node" ] || fail "no x86 cross-build in $build_x86: the Wine lane builds it"
chroot_root=$(bash scripts/ci/i386-chroot.sh --path)
[ -f "$chroot_root/.eaphost-i386-chroot" ] || fail "no chroot with 32-bit Wine at $chroot_root (scripts/ci/i386-chroot.sh makes it)"
in_i386_chroot "$chroot_root" bash scripts/wine/x86-node.sh --inside "$node_exe" "$@"
