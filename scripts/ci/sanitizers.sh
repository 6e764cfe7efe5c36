#!/usr/bin/env bash
# Sanitizer lane: the addon, the method module and the portable EAPHost built by clang with
# AddressSanitizer + UndefinedBehaviorSanitizer into build-asan/, then the Linux mocha suite
# run against that build with clang's sanitizer runtime preloaded into node (an instrumented
# library cannot be loaded into an uninstrumented program otherwise). The system programs the interop tests
# start get no preload (test/support/child-env.ts): FreeRADIUS uses RTLD_DEEPBIND, which
# libasan refuses. Any sanitizer report aborts the process that hit it, failing its test.
set -uo pipefail
cd "$(dirname "$0")/../.."
start=$(date +%s)
build=build-asan

flags="-fsanitize=address,undefined -fno-sanitize-recover=undefined -fno-omit-frame-pointer -g1"
# -O1, as AddressSanitizer's own documentation advises: reports keep their frames, and the
# build takes a fraction of -O3's time. -g1: line tables, so every report frame still names its
# function, file and line; no variable or type information, which a report never prints
# (a batch of the addon compiles in 17.2 s of processor time against 23.0 s with -g). Reconfigured when the cache predates either choice.
# The flags go in the Release variables: cmake-js sets CMAKE_CXX_FLAGS itself, after ours, so
# flags given there never reached a compile and the lane ran an uninstrumented build (a planted
# one-byte heap over-read passed it); the check after the build keeps that from coming back.
# clang, as the fuzz lane: a cold ASan + UBSan build of these sources took 151 s of processor time
# against GCC's 209 (-O1 -g1 both; the linux lane and the Windows builds keep GCC's warnings).
# -shared-libsan: each module names clang's shared runtime, the one preloaded below. A cache made
# by another compiler is made again (CMake keeps a build directory's first compiler).
command -v clang++ >/dev/null || { echo "sanitizers: clang++ not found (apt-get install clang libclang-rt-14-dev)"; exit 1; }
if [ -f "$build/CMakeCache.txt" ] && ! grep -q '^CMAKE_CXX_COMPILER:[A-Z]*=.*clang++$' "$build/CMakeCache.txt"; then
  rm -rf "$build"
fi
if [ ! -f "$build/build.ninja" ] || ! grep -q "^EAPHOST_WARNINGS_AS_ERRORS:BOOL=ON" "$build/CMakeCache.txt" ||
   ! grep -qxF "CMAKE_CXX_FLAGS_RELEASE:STRING=-O1 -DNDEBUG $flags" "$build/CMakeCache.txt"; then
  npx --no-install cmake-js configure -O "$build" --CDCMAKE_BUILD_TYPE=Release --CDEAPHOST_WARNINGS_AS_ERRORS=ON \
    --CDCMAKE_C_COMPILER=clang --CDCMAKE_CXX_COMPILER=clang++ \
    --CDCMAKE_C_FLAGS_RELEASE="-O1 -DNDEBUG $flags" --CDCMAKE_CXX_FLAGS_RELEASE="-O1 -DNDEBUG $flags" \
    --CDCMAKE_SHARED_LINKER_FLAGS="-fsanitize=address,undefined -shared-libsan" \
    --CDCMAKE_MODULE_LINKER_FLAGS="-fsanitize=address,undefined -shared-libsan" >"$build.configure.log" 2>&1 \
    || { tail -30 "$build.configure.log"; echo "sanitizers: configure failed"; exit 1; }
fi
# The benchmark's addon too (by name: no default build makes it; CMakeLists.txt), so its Linux
# half compiles with warnings as errors in every test run.
cmake --build "$build" -j2 --target all eaphost_bench >"$build.log" 2>&1 || { tail -50 "$build.log"; echo "sanitizers: build failed"; exit 1; }
# Every native module the suite loads must be instrumented: each calls ASan's and UBSan's report
# functions (undefined symbols that the preloaded runtime resolves).
for module in "$build/Release/eaphost.node" "$build/Release/eap_methods.so" "$build/Release/eaphost_portable.so"; do
  undefined=$(nm -D --undefined-only "$module")
  grep -q ' __asan_report_load' <<<"$undefined" && grep -q ' __ubsan_handle_' <<<"$undefined" ||
    { echo "sanitizers: $module carries no ASan/UBSan instrumentation (see $build/CMakeCache.txt)"; exit 1; }
done
if [ "${EAPHOST_DIST_BUILT:-0}" != 1 ]; then
  npx tsc -p tsconfig.json >/dev/null || { echo "sanitizers: TypeScript build failed"; exit 1; }
fi

# clang's ASan runtime, UBSan's handlers included.
libasan=$(clang++ -print-file-name=libclang_rt.asan-x86_64.so)
[ -f "$libasan" ] || { echo "sanitizers: clang's ASan runtime not found (apt-get install libclang-rt-14-dev)"; exit 1; }

# detect_leaks=0: node itself does not free everything at exit, so LeakSanitizer would report
# node, not us; leaks are covered by the RSS tests below and by LeakSanitizer in the fuzzers.
# A small quarantine keeps the RSS tests meaningful: the default 256 MiB of freed-but-held
# memory would read as growth.
export EAPHOST_SANITIZER_PRELOAD=1
# The files chosen below: a floor on how many tests ran (test/support/lane-minimum.ts).
export EAPHOST_LANE_MIN_TESTS=${EAPHOST_LANE_MIN_TESTS:-340}
export EAPHOST_ADDON_PATH="$PWD/$build/Release/eaphost.node"
export ASAN_OPTIONS="detect_leaks=0:quarantine_size_mb=16:abort_on_error=1:halt_on_error=1"
export UBSAN_OPTIONS="print_stacktrace=1:halt_on_error=1"
# What runs under ASan: every file that drives native code in this process, less repeats. Left to
# the linux lane: the files that never reach native code (the README's TypeScript compiles, the
# public surface's declaration checks (the TypeScript compiler is its time; its one authenticator,
# opened and closed, is what every file here opens), the lane-minimum plugin's own test (mocha
# alone), the store rules' check (its C++ fixture is built by the system compiler, uninstrumented),
# the copy-paste and layer scans, workflow lint, build-flag checks (the Windows build rules among them:
# mingw-w64 and gyp run in child processes, which the preloaded runtime only slows) and source-list checks, the XML writers,
# the Node version matrix, the packet-copy count, whose preloaded memcpy counter cannot share the
# process with ASan's, the method table's scratch build, the CLI's bounded file reads (JavaScript,
# whose peak-memory bound is the production allocator's, not ASan's), the network-profile writers and their
# round trips through nmcli, libnm, eapol_test's parser, plistlib and expat: nmcli hangs with the
# sanitizer runtime preloaded, the RSA signer's, which is off by design
# wherever the sanitizer runtime is loaded, as it refuses RTLD_DEEPBIND), the command line (JavaScript over the same calls the API tests make;
# Disconnect, CoA and accounting against hostapd on the wire are JavaScript and system programs
# (their CLI starts in the namespace without the runtime preloaded; serve-accounting keeps the
# native accounting path under ASan on loopback), as is
# connect through NetworkManager over D-Bus), the lane watchdog's own test (bash, ps and awk under
# the preloaded runtime, which reached no test's end in a minute), the workflows' scripts run from
# a folder without node_modules and the Windows docs' claims (scripts and text, no native code),
# and of the interop files all but those below: the RADIUS transport is JavaScript alone, and the
# others repeat, against more servers and certificates, native paths these already take.
linux_lane_only=(radius/readme api-surface linux/dist-stamp lane-minimum linux/store-key-rules linux/bounded-file-reads linux/duplication linux/lint linux/packet-copies layers workflow-lint linux/build-flags linux/windows-build-rules build-sources node-versions
  linux/profile-xml linux/method-table linux/network-profile-formats linux/network-profile-cli linux/rsa-signer
  linux/networkmanager-keyfile linux/wpa-supplicant-roundtrip linux/mobileconfig-roundtrip linux/xml-profiles-roundtrip
  cli cli-config cli-help cli-json cli-verdicts tls/cli-secrets tls/cli-xml tls/tls-cli linux/dynamic-authorization-wired linux/eapol-das-radsec
  linux/connect-networkmanager linux/accounting-wired
  linux/lane-watchdog linux/workflow-scripts linux/windows-docs-claims)
# Interop under ASan: our peer's TLS 1.2/1.3 flights against FreeRADIUS and hostapd (tickets
# behind the commitment byte), our authenticator against wpa_supplicant's peer, resumption on both
# sides, the refusal alert, the RADIUS server in front of the native authenticator, TEAP both ways,
# the RADIUS engine's step threads (conversations handed between threads, one closed mid-step),
# eapol_test held to TLS 1.3 (the engine's EAP-Key-Name), RadSec streams the engine frames, and
# the RADIUS client engine's load runs.
interop_under_asan=(tls13-flights tls-peers eapol-test tls-resumption tls-peer-resumption tls-refusal-alert server teap
  step-threads tls13-keys radsec-framing client-load verdict-first)
ignores=()
for file in "${linux_lane_only[@]}"; do
  [ -f "dist/test/$file.test.js" ] || { echo "sanitizers: dist/test/$file.test.js is gone; update linux_lane_only"; exit 1; }
  ignores+=(--ignore "dist/test/$file.test.js")
done
for file in "${interop_under_asan[@]}"; do
  [ -f "dist/test/radius/$file.test.js" ] || { echo "sanitizers: dist/test/radius/$file.test.js is gone; update interop_under_asan"; exit 1; }
done
for path in dist/test/radius/*.test.js; do
  name=$(basename "$path" .test.js)
  [[ " ${interop_under_asan[*]} " == *" $name "* ]] || ignores+=(--ignore "$path")
done
# The RSS-flatness test measures the production allocator; under ASan's (redzones, quarantine)
# it says little and takes minutes. The linux lane runs it.
LD_PRELOAD="$libasan" node node_modules/mocha/bin/mocha.js --config .mocharc.json "${ignores[@]}" \
  --grep '100k sessions, including failing and dropped ones' --invert
status=$?
echo "sanitizers: mocha under ASan + UBSan exited $status in $(( $(date +%s) - start )) s"
exit $status
