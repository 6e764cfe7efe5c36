// libFuzzer target: the EAPOL frame parser (native/eapol/eapol_frame.cc), which sees every frame
// an EAPOL port receives before anything else does. A frame it accepts must hold what it claims:
// the body lies inside the input, and rebuilding the frame from the view gives back its bytes.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <cstring>

#include "../native/eapol/eapol_frame.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace eaphost::eapol;
  FrameView view;
  if (ParseFrame(data, size, &view) != FrameVerdict::kWellFormed) return 0;
  const std::uint8_t* body = data + kEthernetHeaderSize + kEapolHeaderSize;
  if (view.body != body || view.bodyLength > size - kEthernetHeaderSize - kEapolHeaderSize) std::abort();
  std::vector<std::uint8_t> rebuilt = BuildFrame(view.destination, view.source, view.version, view.type, view.body, view.bodyLength);
  // The header's length field may name Ethernet padding an EAP-Packet does not use: compare up to it.
  if (rebuilt.size() != kEthernetHeaderSize + kEapolHeaderSize + view.bodyLength) std::abort();
  if (std::memcmp(rebuilt.data(), data, kEthernetHeaderSize + 2) != 0) std::abort();
  if (view.bodyLength > 0 && std::memcmp(rebuilt.data() + kEthernetHeaderSize + kEapolHeaderSize, body, view.bodyLength) != 0) {
    std::abort();
  }
  return 0;
}
