#!/usr/bin/env bash
# The whole test suite, every lane required (a lane that cannot run fails, never skips):
#   linux  — mocha on this machine's node: method modules, hosts, portable EAPHost, facade,
#            CLI, bad input, lifetimes, and interop with FreeRADIUS, hostapd and eapol_test
#   win32  — the same suite in the real Windows node.exe under Wine, against the Windows
#            build (scripts/wine/run.sh)
#   packaging — npm pack, then the tarball installed and used as a consumer would, with the
#            prebuilds and from source, and its win32-x64 prebuild under Wine
#            (scripts/ci/packaging.sh)
#   node-versions — Node 18, 22 and the newest release: a packed consumer and the suite's core
#            on each (scripts/ci/node-versions.sh)
#   sanitizers — the linux lane again against an ASan + UBSan build (scripts/ci/sanitizers.sh)
#   fuzz   — every libFuzzer / JS fuzz target for ~30 s, any finding fails (scripts/ci/fuzz.sh)
set -uo pipefail
cd "$(dirname "$0")/.."

npm run build:ts >/dev/null || { echo "TypeScript build failed"; exit 1; }
status=0
echo "== lane linux =="
EAPHOST_LANE_MIN_TESTS=450 npx mocha --config .mocharc.json || status=1
echo "== lane win32 =="
bash scripts/wine/run.sh || status=1
echo "== lane packaging =="
bash scripts/ci/packaging.sh || status=1
echo "== lane node-versions =="
bash scripts/ci/node-versions.sh || status=1
echo "== lane sanitizers =="
bash scripts/ci/sanitizers.sh || status=1
echo "== lane fuzz =="
bash scripts/ci/fuzz.sh || status=1
if [ $status -eq 0 ]; then echo "all lanes passed"; else echo "some lane failed"; fi
exit $status
