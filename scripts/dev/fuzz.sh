#!/usr/bin/env bash
# npm run fuzz: builds the libFuzzer harnesses in fuzz/ (clang, ASan + UBSan) into build-fuzz/
# and runs every target, two at a time (EAPHOST_FUZZ_JOBS), for EAPHOST_FUZZ_SECONDS each
# (default 60), the RADIUS codec's JS target among them. Seeds come from fuzz/corpus/<target>/; inputs the
# fuzzers find interesting collect in build-fuzz/corpus/<target>/ (kept between runs).
# Exits non-zero on any finding (crash, sanitizer report, leak, timeout); the input is left in
# build-fuzz/findings/. Prints one "fuzz <target>: N executions" line per target; a target
# that ran no input at all (a harness that returns before the fuzzer starts, a missing
# executable) is a failure too.
#   EAPHOST_FUZZ_TARGETS="manifest method_peer" limits the run to those targets.
set -uo pipefail
cd "$(dirname "$0")/../.."

seconds=${EAPHOST_FUZZ_SECONDS:-60}
native_targets="eaphost_conversation method_peer method_authenticator authenticator_host manifest tls_fragments peap_tlv teap_tlv ttls_avp tls_tunnel xml_reader config_xml eapol_frame onex_notice radius_request pkcs12_chain"
targets=${EAPHOST_FUZZ_TARGETS:-"$native_targets"}
build=build-fuzz

command -v clang++ >/dev/null || { echo "fuzz: clang++ not found (apt-get install clang libclang-rt-14-dev)"; exit 1; }
# Reconfigured when the cache predates warnings-as-errors.
if [ ! -f "$build/build.ninja" ] || ! grep -q "^EAPHOST_WARNINGS_AS_ERRORS:BOOL=ON" "$build/CMakeCache.txt"; then
  cmake -S fuzz -B "$build" -G Ninja -DCMAKE_C_COMPILER=clang -DCMAKE_CXX_COMPILER=clang++ -DEAPHOST_WARNINGS_AS_ERRORS=ON \
    >"$build.configure.log" 2>&1 || { cat "$build.configure.log"; echo "fuzz: configure failed"; exit 1; }
fi
cmake --build "$build" -j2 >"$build.log" 2>&1 || { tail -50 "$build.log"; echo "fuzz: build failed"; exit 1; }
[ -f dist/lib/radius/index.js ] || npx tsc -p tsconfig.json || { echo "fuzz: TypeScript build failed"; exit 1; }

mkdir -p "$build/findings"
# The TLS-based methods begin only with a certificate and key (fuzz/fuzz_support.h): a fresh
# self-signed P-256 pair, the peer's client certificate, the authenticator's server chain and
# the CA of both.
tls="$build/tls"
if [ ! -f "$tls/cert.pem" ]; then
  mkdir -p "$tls"
  openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -days 3650 -subj /CN=fuzz.eaphost.test \
    -addext subjectAltName=DNS:fuzz.eaphost.test -keyout "$tls/key.pem" -out "$tls/cert.pem" >"$tls/openssl.log" 2>&1 ||
    { cat "$tls/openssl.log"; echo "fuzz: openssl could not make the TLS methods' certificate"; exit 1; }
fi
export EAPHOST_FUZZ_TLS_CERT="$PWD/$tls/cert.pem" EAPHOST_FUZZ_TLS_KEY="$PWD/$tls/key.pem"
# fuzz_target <target>: runs one target; its lines go to $build/<target>.result, and a finding
# or a target that ran no input makes it return non-zero.
fuzz_target() {
  local target=$1 start executions out corpus seeds max_len log failed=0
  start=$(date +%s)
  exec >"$build/$target.result" 2>&1
  corpus="$build/corpus/$target"
  mkdir -p "$corpus"
  seeds=()
  [ -d "fuzz/corpus/$target" ] && seeds=("fuzz/corpus/$target")
  # RADIUS datagrams, requests and replies alike.
  [ "$target" = radius_request ] && seeds=("fuzz/corpus/radius_codec")
  # The TLS reassembly limit is 64 KiB: inputs must be able to exceed it.
  case $target in tls_fragments|peap_tlv|teap_tlv|ttls_avp) max_len=-max_len=70000 ;; *) max_len=-max_len=4096 ;; esac
  log="$build/$target.log"
  # -timeout: an input that runs 10 s is a hang; -rss_limit_mb: one that needs 2 GiB is a leak.
  "$build/${target}_fuzzer" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 -print_final_stats=1 \
    "$max_len" -artifact_prefix="$build/findings/$target-" "$corpus" "${seeds[@]}" >"$log" 2>&1 || {
    failed=1
    grep -E "ERROR|SUMMARY|runtime error|Test unit written" "$log" | head -20
  }
  executions=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log")
  if ! [ "${executions:-0}" -gt 0 ] 2>/dev/null; then
    echo "fuzz $target: FAILED, it ran no input (see $build/$target.log)"
    return 1
  fi
  echo "fuzz $target: $executions executions in $(( $(date +%s) - start )) s"
  return $failed
}

# Each target is one process on one core: EAPHOST_FUZZ_JOBS (default 2) run at once.
jobs=${EAPHOST_FUZZ_JOBS:-2}
status=0
running=0
for target in $targets; do
  if [ "$running" -ge "$jobs" ]; then
    wait -n || status=1
    running=$((running - 1))
  fi
  fuzz_target "$target" &
  running=$((running + 1))
done
while [ "$running" -gt 0 ]; do
  wait -n || status=1
  running=$((running - 1))
done
for target in $targets; do cat "$build/$target.result"; done
if [ $status -eq 0 ]; then echo "fuzz: no findings"; else echo "fuzz: FINDINGS (see $build/findings/)"; fi
exit $status
