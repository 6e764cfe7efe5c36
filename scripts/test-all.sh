#!/usr/bin/env bash
# The test suite by lane. `npm test` runs every lane, each required (a lane that cannot run
# fails, never skips); `npm test -- LANE...` (or `npm test LANE`) runs the lanes named:
#   linux  — mocha on this machine's node: method modules, hosts, portable EAPHost, facade,
#            CLI, bad input, lifetimes, the README's code blocks, and interop with FreeRADIUS,
#            hostapd and eapol_test
#   win32  — the same suite in the real Windows node.exe under Wine, against the Windows
#            build (scripts/wine/run.sh)
#   packaging — npm pack, then the tarball installed and used as a consumer would, with the
#            prebuilds (also with --ignore-scripts) and from source, its exports map from ESM,
#            CommonJS and TypeScript, and its win32-x64 prebuild under Wine
#            (scripts/ci/packaging.sh)
#   node-versions — Node 18, 22 and the newest release: a packed consumer and the suite's core
#            on each (scripts/ci/node-versions.sh)
#   sanitizers — the linux lane again against an ASan + UBSan build (scripts/ci/sanitizers.sh)
#   fuzz   — every libFuzzer / JS fuzz target for ~30 s, any finding fails (scripts/ci/fuzz.sh)
# Each lane prints how long it took; all of them take about 35 minutes on a 2-core machine.
set -uo pipefail
cd "$(dirname "$0")/.."

all_lanes=(linux win32 packaging node-versions sanitizers fuzz)
run_lane() {
  case "$1" in
    linux) EAPHOST_LANE_MIN_TESTS=450 npx mocha --config .mocharc.json ;;
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

npm run build:ts >/dev/null || { echo "TypeScript build failed"; exit 1; }
status=0
failed=()
suite_start=$(date +%s)
for lane in "${lanes[@]}"; do
  echo "== lane $lane =="
  start=$(date +%s)
  if run_lane "$lane"; then
    echo "== lane $lane passed in $(( $(date +%s) - start )) s"
  else
    echo "== lane $lane FAILED in $(( $(date +%s) - start )) s"
    failed+=("$lane")
    status=1
  fi
done
if [ $status -eq 0 ]; then
  echo "passed: ${lanes[*]} in $(( $(date +%s) - suite_start )) s"
else
  echo "failed: ${failed[*]} (of ${lanes[*]}) in $(( $(date +%s) - suite_start )) s"
fi
exit $status
