#!/usr/bin/env bash
# Builds and briefly runs the libFuzzer targets of the TLS-based methods' parsers (EAP-TLS
# reassembly, PEAP TLVs, EAP-TTLS AVPs). Needs clang (apt-get install clang) and GnuTLS headers.
#   bash fuzz/build-tls-fuzzers.sh [seconds per target, default 20]
set -euo pipefail
cd "$(dirname "$0")/.."
seconds="${1:-20}"
out=build/fuzz
mkdir -p "$out"
flags=(-std=c++17 -g -O1 -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=undefined)
common=(native/methods/common/method_error.cc native/methods/common/method_packet.cc native/methods/common/method_memory.cc native/methods/common/wide_text.cc native/methods/common/secret_bytes.cc)
clang++ "${flags[@]}" -o "$out/tls_fragments_fuzzer" fuzz/tls_fragments_fuzzer.cc \
  native/methods/tls/tls_fragments.cc "${common[@]}"
clang++ "${flags[@]}" -o "$out/peap_tlv_fuzzer" fuzz/peap_tlv_fuzzer.cc \
  native/methods/peap/peap_tlv.cc "${common[@]}" $(pkg-config --cflags --libs gnutls)
# The TTLS target reaches the inner methods through the catalog: it links the whole method
# module's sources, as the build lists them.
mapfile -t module < <(node -e '
  const s = require("./native/sources.json");
  for (const f of [...s.common, ...s.crypto_posix, ...s.eap_methods, ...s.eap_methods_posix]) console.log(f);')
clang++ "${flags[@]}" -DEAPHOST_TLS_METHODS -o "$out/ttls_avp_fuzzer" fuzz/ttls_avp_fuzzer.cc "${module[@]}" \
  $(pkg-config --cflags --libs gnutls nettle)
for target in tls_fragments_fuzzer peap_tlv_fuzzer ttls_avp_fuzzer; do
  mkdir -p "$out/corpus-$target"
  "$out/$target" -max_total_time="$seconds" -max_len=70000 "$out/corpus-$target"
done
