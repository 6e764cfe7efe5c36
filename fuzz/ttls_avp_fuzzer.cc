// libFuzzer target: the Diameter AVPs EAP-TTLS carries in its tunnel (RFC 5281 §10); every AVP
// the parser returns must lie inside the input.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <vector>

#include "../native/methods/ttls/ttls_avp.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::vector<eaphost::ttls::Avp> avps;
  if (!eaphost::ttls::ParseAvps(eaphost::ByteSpan{data, size}, &avps)) return 0;
  for (const eaphost::ttls::Avp& avp : avps) {
    if (avp.data.data < data || avp.data.data + avp.data.size > data + size) std::abort();
  }
  return 0;
}
