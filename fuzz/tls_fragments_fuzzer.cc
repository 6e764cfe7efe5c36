// libFuzzer target: EAP-TLS fragment reassembly (RFC 5216 §3.1) as every TLS-based method runs
// it. The input is a sequence of packets, each a 2-byte big-endian length then its Type-Data;
// the harness checks that reassembly never holds more than the 64 KiB limit, whatever arrives.
#include <cstddef>
#include <cstdint>
#include <cstdlib>

#include "../native/methods/support/method_error.h"
#include "../native/methods/tls/tls_fragments.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  eaphost::tls::TlsFragments fragments("EAP-TLS", 1395);
  std::size_t at = 0;
  while (size - at >= 2) {
    std::size_t length = static_cast<std::size_t>(data[at] << 8 | data[at + 1]);
    at += 2;
    if (length > size - at) length = size - at;
    std::uint8_t flags = 0;
    try {
      fragments.Take(eaphost::ByteSpan{data + at, length}, &flags);
    } catch (const eaphost::MethodFailure&) {
      return 0;  // a refused packet ends the conversation, as in the methods
    }
    if (fragments.message().size > eaphost::tls::kMaxMessageSize) std::abort();
    at += length;
  }
  return 0;
}
