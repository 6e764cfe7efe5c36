// libFuzzer target: the addon's PKCS#12 reader (native/radius/dtls/pkcs12_chain.cc), which
// `eaphost audit` and `eaphost profile` hand a bundle from a file or a profile. Whatever the
// bytes, it answers: the chain (each certificate a DER SEQUENCE) or a refusal coded
// ERR_PKCS12_PASSWORD or ERR_PKCS12_MALFORMED, never both, never another code; and the password
// it was given is gone from the caller's string either way.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <vector>

#include "../native/radius/dtls/pkcs12_chain.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace eaphost::radius;
  const Bytes bundle(data, data + size);
  std::string password = "fuzz";  // the seeds' password (fuzz/seeds.js)
  std::vector<Bytes> chain;
  LaneError error;
  const bool read = ReadPkcs12Chain(bundle, &password, &chain, &error);
  if (!password.empty()) std::abort();
  if (read) {
    if (chain.empty() || !error.code.empty()) std::abort();
    for (const Bytes& certificate : chain) {
      if (certificate.size() < 2 || certificate[0] != 0x30) std::abort();
    }
  } else if (!chain.empty() || (error.code != "ERR_PKCS12_MALFORMED" && error.code != "ERR_PKCS12_PASSWORD")) {
    std::abort();
  }
  return 0;
}
