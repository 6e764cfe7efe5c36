// libFuzzer target: the TLVs of PEAP's Extensions packets (MS-PEAP §2.2.8), and the
// Cryptobinding check over whatever TLV the parser accepted.
#include <cstddef>
#include <cstdint>

#include "../native/methods/peap/peap_tlv.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  eaphost::peap::TlvSet set;
  if (!eaphost::peap::ParseTlvs(eaphost::ByteSpan{data, size}, &set)) return 0;
  if (set.hasCryptobinding) {
    const std::uint8_t cmk[eaphost::peap::kCmkSize] = {};
    eaphost::peap::CryptobindingValid(set.cryptobinding, 0, cmk);
  }
  return 0;
}
