#!/usr/bin/env bash
# The test suite by lane. `npm test` runs every lane, each required (a lane that cannot run
# fails, never skips); `npm test -- LANE...` (or `npm test LANE`) runs the lanes named:
#   linux  — mocha on Node 24 (the active LTS line's official binary): method modules, hosts, portable EAPHost, facade,
#            CLI, bad input, lifetimes, the README's code blocks, and interop with FreeRADIUS,
#            hostapd and eapol_test
#   win32  — the same suite in the real Windows node.exe under Wine, against the Windows
#            build (scripts/wine/run.sh)
#   packaging — npm pack, then the tarball installed and used as a consumer would, with the
#            prebuilds (also with --ignore-scripts) and from source, its exports map from ESM,
#            CommonJS and TypeScript, and its win32-x64 prebuild under Wine
#            (scripts/ci/packaging.sh)
#   node-versions — Node 20, 22 and the newest release: a packed consumer and the suite's core
#            on each (scripts/ci/node-versions.sh)
#   sanitizers — the linux lane again against an ASan + UBSan build (scripts/ci/sanitizers.sh)
#   fuzz   — every libFuzzer / JS fuzz target for ~12 s (seeded from fuzz/corpus), any finding fails (scripts/ci/fuzz.sh)
# The lanes run in three streams side by side (each stream's lanes one after another): linux in
# one; sanitizers, fuzz, packaging and node-versions in another; win32 in the third. The linux
# and sanitizer lanes run the same mocha files at once: every test makes its own ports,
# namespaces, temporary folders and servers. The linux and Wine lanes mostly wait on peers and on
# Wine (the linux lane's processor time is under half its wall time), so three streams keep two
# cores busy where two left them idle. packaging packs the win32-x64 prebuild the win32 lane built
# and ran (what ships is what ran): it waits for that lane to reach that point (the mark below),
# and builds only the linux-x64 prebuild itself, which node-versions, after it, builds again; the
# two never run at once. Each lane's output is printed whole when it ends; EAPHOST_LANES_SERIAL=1
# runs them one after another.
set -uo pipefail
cd "$(dirname "$0")/.."

all_lanes=(linux win32 packaging node-versions sanitizers fuzz)
stream_of() {
  case "$1" in
    linux) echo 1 ;;
    win32) echo 3 ;;
    *) echo 2 ;;
  esac
}
run_lane() {
  case "$1" in
    # The linux lane on the active LTS line's official binary (scripts/ci/node-binary.sh), first on
    # PATH so npx, mocha and every `node` a test starts run on it; lane-minimum checks it did.
    linux)
      local lane_node
      # shellcheck source=scripts/ci/node-binary.sh
      source scripts/ci/node-binary.sh && lane_node=$(node_binary "$LINUX_LANE_NODE_VERSION") || return 1
      PATH="$(dirname "$lane_node"):$PATH" EAPHOST_LANE_NODE="$LINUX_LANE_NODE_VERSION" EAPHOST_LANE_MIN_TESTS=630 \
        npx mocha --config .mocharc.json ;;
    win32) bash scripts/wine/run.sh ;;
    packaging) bash scripts/ci/packaging.sh ;;
    node-versions) bash scripts/ci/node-versions.sh ;;
    sanitizers) bash scripts/ci/sanitizers.sh ;;
    fuzz) bash scripts/ci/fuzz.sh ;;
  esac
}

lanes=("$@")
[ ${#lanes[@]} -gt 0 ] || lanes=("${all_lanes[@]}")
for lane in "${lanes[@]}"; do
  case " ${all_lanes[*]} " in
    *" $lane "*) ;;
    *) echo "unknown lane '$lane'; the lanes are: ${all_lanes[*]}" >&2; exit 2 ;;
  esac
done

# The lanes build the same sources several times (the Windows cross-builds, the prebuilds, the
# sanitizer and fuzz builds); ccache, where installed, compiles each identical unit once.
if command -v ccache >/dev/null && [ -z "${CMAKE_CXX_COMPILER_LAUNCHER:-}" ]; then
  export CMAKE_C_COMPILER_LAUNCHER=ccache CMAKE_CXX_COMPILER_LAUNCHER=ccache CCACHE_BASEDIR="$PWD" CCACHE_NOHASHDIR=1
fi

# dist/ is built once, here; the lanes leave it alone (EAPHOST_DIST_BUILT), since another lane
# may be running from it. When it was built from exactly these inputs (set-up's npm ci ran the
# same build, as prepare), it is not built again (scripts/dev/dist-stamp.js).
node scripts/dev/dist-stamp.js check || npm run build:ts >/dev/null || { echo "TypeScript build failed"; exit 1; }
export EAPHOST_DIST_BUILT=1
# A failing test's error is printed when it fails, not only in mocha's closing summary, which a
# lane stopped by its timeout never reaches (test/support/failures-as-they-happen.ts).
export EAPHOST_FAILURES_AS_THEY_HAPPEN=1

# A lane is stopped when it hangs, never because the machine is slow (scripts/ci/lane-watchdog.sh):
# when for EAPHOST_LANE_IDLE seconds (default 600) it printed nothing, finished no test and used
# under a processor second; or, a hang that spins, at EAPHOST_LANE_CEILING seconds (default 3,900:
# three times the longest lane's from-nothing time, docs/testing.md).
lane_idle=${EAPHOST_LANE_IDLE:-600}
lane_ceiling=${EAPHOST_LANE_CEILING:-3900}

logs=$(mktemp -d "${TMPDIR:-/tmp}/eaphost-lanes.XXXXXX")
trap 'rm -rf "$logs"' EXIT
suite_start=$(date +%s)

# run_stream LANE...: the lanes one after another; each one's output goes to its log, then is
# printed whole (under a lock, so two lanes' outputs never interleave), and its verdict and
# time are written to $logs/LANE.verdict.
# children_cpu FILE: the processor seconds of this shell's reaped children so far (bash's `times`,
# written to FILE by this shell itself, not by a subshell), so a lane's own share of the machine is
# its difference across the lane (servers a lane leaves running past their parent are not counted).
children_cpu() {
  awk 'END { n = 0; for (i = 1; i <= 2; i++) { split($i, t, /m|s/); n += t[1] * 60 + t[2] } printf "%.0f", n }' "$1"
}
run_stream() {
  local lane start seconds verdict cpu_start cpu
  for lane in "$@"; do
    echo "== lane $lane started (at $(( $(date +%s) - suite_start )) s)"
    start=$(date +%s)
    times >"$logs/$lane.cpu"
    cpu_start=$(children_cpu "$logs/$lane.cpu")
    # A lane that hangs (a child program that never exits, a spawnSync holding mocha's event loop)
    # fails here, with its log, instead of taking the whole CI run's time: the watchdog lists what
    # was still running and stops the lane's session.
    : >"$logs/$lane.progress"
    EAPHOST_TEST_TIMES="$logs/$lane.times" EAPHOST_LANE_PROGRESS="$logs/$lane.progress" \
      bash scripts/ci/lane-watchdog.sh --log "$logs/$lane.log" --progress "$logs/$lane.progress" \
      --idle "$lane_idle" --ceiling "$lane_ceiling" -- \
      bash -c "$(declare -f run_lane); run_lane $lane" >"$logs/$lane.log" 2>&1
    case $? in
      0) verdict=passed ;;
      124) verdict=FAILED; echo "lane $lane was stopped by its watchdog (EAPHOST_LANE_IDLE $lane_idle s, EAPHOST_LANE_CEILING $lane_ceiling s)" >>"$logs/$lane.log" ;;
      *) verdict=FAILED ;;
    esac
    seconds=$(( $(date +%s) - start ))
    times >"$logs/$lane.cpu"
    cpu=$(( $(children_cpu "$logs/$lane.cpu") - cpu_start ))
    echo "$verdict $seconds $cpu" >"$logs/$lane.verdict"
    {
      flock 9
      echo "== lane $lane =="
      cat "$logs/$lane.log"
      slowest "$logs/$lane.times"
      echo "== lane $lane $verdict in $seconds s (processor $cpu s)"
    } 9>"$logs/print.lock"
  done
}

# slowest FILE: the mocha files that took the longest in a lane (test/support/test-times.ts).
slowest() {
  [ -s "$1" ] || return 0
  node -e '
    const rows = require("fs").readFileSync(process.argv[1], "utf8").trim().split("\n").map((l) => JSON.parse(l));
    const s = (ms) => (ms / 1000).toFixed(1).padStart(6);
    const sum = (key) => rows.reduce((total, r) => total + (r[key] ?? 0), 0);
    console.log(`test files: ${rows.length}, wall ${s(sum("ms")).trim()} s, processor (mocha and its children) ${s(sum("cpuMs")).trim()} s`);
    console.log("slowest test files (wall s, processor s, tests):");
    rows.sort((a, b) => b.ms - a.ms);
    const line = (r) => console.log(`  ${s(r.ms)}  ${s(r.cpuMs ?? 0)}  ${String(r.tests).padStart(4)}  ${r.file}`);
    rows.slice(0, 12).forEach(line);
    console.log("most processor time (wall s, processor s, tests):");
    rows.sort((a, b) => (b.cpuMs ?? 0) - (a.cpuMs ?? 0));
    rows.slice(0, 8).forEach(line);
  ' "$1"
}

# Within a stream, lanes go in this order (packaging waits for win32's mark: it follows the lanes
# that can use a core meanwhile); one after another, in the order given.
stream_order=(linux sanitizers fuzz packaging node-versions win32)
streams=("" "" "")
if [ "${EAPHOST_LANES_SERIAL:-0}" = 1 ]; then
  streams[0]=" ${lanes[*]}"
else
  for lane in "${stream_order[@]}"; do
    [[ " ${lanes[*]} " == *" $lane "* ]] || continue
    n=$(stream_of "$lane")
    streams[n - 1]+=" $lane"
  done
  for lane in "${lanes[@]}"; do
    [[ " ${streams[*]} " == *" $lane "* ]] || { echo "lane $lane is missing from stream_order in scripts/test-all.sh" >&2; exit 2; }
  done
fi
# With win32 in a stream of its own, packaging takes that lane's win32-x64 prebuild: the lane
# writes the mark once the prebuild and the node.exe it is run with are in place, and packaging
# waits for the mark, or for the lane's verdict should it end without one (then packaging builds
# the prebuild itself). Lanes run one after another (or without win32) build their own.
if [ "${EAPHOST_LANES_SERIAL:-0}" != 1 ] && [[ " ${lanes[*]} " == *" win32 "* ]]; then
  export EAPHOST_WIN32_PREBUILD_MARK="$logs/win32.prebuild" EAPHOST_WIN32_VERDICT="$logs/win32.verdict"
fi
stream_pids=()
for lanes_of_stream in "${streams[@]}"; do
  [ -n "$lanes_of_stream" ] || continue
  # shellcheck disable=SC2086 # lane names are single words
  run_stream $lanes_of_stream &
  stream_pids+=($!)
done
wait "${stream_pids[@]}"

status=0
failed=()
for lane in "${lanes[@]}"; do
  read -r verdict _ <"$logs/$lane.verdict" 2>/dev/null || verdict=FAILED
  [ "$verdict" = passed ] || { failed+=("$lane"); status=1; }
done
# A failed lane's own account again at the end, where a CI log's tail shows it: each failing
# test's error, mocha's failure lists, the lines its scripts gave up with, then its last lines,
# 110 lines at most (scripts/ci/why-failed.js).
for lane in "${failed[@]}"; do
  echo "== why lane $lane failed"
  node scripts/ci/why-failed.js "$logs/$lane.log"
done
for lane in "${lanes[@]}"; do
  read -r verdict seconds cpu <"$logs/$lane.verdict" 2>/dev/null || { verdict=FAILED; seconds='?'; cpu='?'; }
  echo "lane $lane $verdict in $seconds s (processor $cpu s)"
done
if [ $status -eq 0 ]; then
  echo "passed: ${lanes[*]} in $(( $(date +%s) - suite_start )) s"
else
  echo "failed: ${failed[*]} (of ${lanes[*]}) in $(( $(date +%s) - suite_start )) s"
fi
exit $status
