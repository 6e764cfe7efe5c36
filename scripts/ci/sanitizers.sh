#!/usr/bin/env bash
# Sanitizer lane: the addon, the method module and the portable EAPHost built with
# AddressSanitizer + UndefinedBehaviorSanitizer into build-asan/, then the Linux mocha suite
# run against that build with libasan preloaded into node (an instrumented library cannot be
# loaded into an uninstrumented program otherwise). The system programs the interop tests
# start get no preload (test/support/child-env.ts): FreeRADIUS uses RTLD_DEEPBIND, which
# libasan refuses. Any sanitizer report aborts the process that hit it, failing its test.
set -uo pipefail
cd "$(dirname "$0")/../.."
start=$(date +%s)
build=build-asan

flags="-fsanitize=address,undefined -fno-sanitize-recover=undefined -fno-omit-frame-pointer -g"
# -O1, as AddressSanitizer's own documentation advises: reports keep their frames, and the
# build takes a fraction of -O3's time. Reconfigured when the cache predates either choice.
if [ ! -f "$build/build.ninja" ] || ! grep -q "^EAPHOST_WARNINGS_AS_ERRORS:BOOL=ON" "$build/CMakeCache.txt" ||
   ! grep -q "^CMAKE_CXX_FLAGS_RELEASE:.*=-O1 -DNDEBUG" "$build/CMakeCache.txt"; then
  npx --no-install cmake-js configure -O "$build" --CDCMAKE_BUILD_TYPE=Release --CDEAPHOST_WARNINGS_AS_ERRORS=ON \
    --CDCMAKE_C_FLAGS="$flags" --CDCMAKE_CXX_FLAGS="$flags" \
    --CDCMAKE_C_FLAGS_RELEASE="-O1 -DNDEBUG" --CDCMAKE_CXX_FLAGS_RELEASE="-O1 -DNDEBUG" \
    --CDCMAKE_SHARED_LINKER_FLAGS="-fsanitize=address,undefined" \
    --CDCMAKE_MODULE_LINKER_FLAGS="-fsanitize=address,undefined" >"$build.configure.log" 2>&1 \
    || { tail -30 "$build.configure.log"; echo "sanitizers: configure failed"; exit 1; }
fi
cmake --build "$build" -j2 >"$build.log" 2>&1 || { tail -50 "$build.log"; echo "sanitizers: build failed"; exit 1; }
if [ "${EAPHOST_DIST_BUILT:-0}" != 1 ]; then
  npx tsc -p tsconfig.json >/dev/null || { echo "sanitizers: TypeScript build failed"; exit 1; }
fi

libasan=$(g++ -print-file-name=libasan.so)
[ -f "$libasan" ] || { echo "sanitizers: libasan not found (apt-get install g++)"; exit 1; }

# detect_leaks=0: node itself does not free everything at exit, so LeakSanitizer would report
# node, not us; leaks are covered by the RSS tests below and by LeakSanitizer in the fuzzers.
# A small quarantine keeps the RSS tests meaningful: the default 256 MiB of freed-but-held
# memory would read as growth.
export EAPHOST_SANITIZER_PRELOAD=1
# The linux lane's suite less the files below: a floor on how many tests ran (test/support/lane-minimum.ts).
export EAPHOST_LANE_MIN_TESTS=${EAPHOST_LANE_MIN_TESTS:-450}
export EAPHOST_ADDON_PATH="$PWD/$build/Release/eaphost.node"
export ASAN_OPTIONS="detect_leaks=0:quarantine_size_mb=16:abort_on_error=1:halt_on_error=1"
export UBSAN_OPTIONS="print_stacktrace=1:halt_on_error=1"
# Files whose native work the rest of the suite already drives under ASan, run by the linux lane
# only: those that never reach native code (the README's TypeScript compiles, the copy-paste and
# layer scans, workflow lint, build-flag and source-list checks, the XML writers, the Node version
# matrix), the command line (JavaScript over the same calls the API tests make) and the RADIUS
# transport (codec, client, PAP, accounting, Status-Server: JavaScript alone).
linux_lane_only=(radius/readme linux/duplication layers workflow-lint linux/build-flags build-sources node-versions
  linux/profile-xml
  cli cli-config cli-help cli-json cli-verdicts tls/cli-secrets tls/cli-xml tls/tls-cli radius/cli radius/nagios
  radius/serve-cli
  radius/codec radius/client radius/reply-authentication radius/udp-reply-authentication radius/status-server
  radius/pap-acct radius/nas-attributes radius/radclient radius/blastradius radius/load)
ignores=()
for file in "${linux_lane_only[@]}"; do
  [ -f "dist/test/$file.test.js" ] || { echo "sanitizers: dist/test/$file.test.js is gone; update linux_lane_only"; exit 1; }
  ignores+=(--ignore "dist/test/$file.test.js")
done
# The RSS-flatness test measures the production allocator; under ASan's (redzones, quarantine)
# it says little and takes minutes. The linux lane runs it.
LD_PRELOAD="$libasan" node node_modules/mocha/bin/mocha.js --config .mocharc.json "${ignores[@]}" \
  --grep 'keep RSS flat' --invert
status=$?
echo "sanitizers: mocha under ASan + UBSan exited $status in $(( $(date +%s) - start )) s"
exit $status
