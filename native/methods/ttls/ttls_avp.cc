#include "ttls_avp.h"

namespace eaphost {
namespace ttls {

namespace {
constexpr std::uint8_t kFlagVendor = 0x80;
constexpr std::uint8_t kFlagMandatory = 0x40;
constexpr std::size_t kMaxAvps = 64;
}  // namespace

bool ParseAvps(ByteSpan data, std::vector<Avp>* out) {
  std::size_t at = 0;
  while (at < data.size) {
    if (data.size - at < 8 || out->size() >= kMaxAvps) return false;
    const std::uint8_t* p = data.data + at;
    Avp avp;
    avp.code = static_cast<std::uint32_t>(p[0]) << 24 | static_cast<std::uint32_t>(p[1]) << 16 |
               static_cast<std::uint32_t>(p[2]) << 8 | p[3];
    std::uint8_t flags = p[4];
    std::size_t length = static_cast<std::size_t>(p[5]) << 16 | static_cast<std::size_t>(p[6]) << 8 | p[7];
    std::size_t header = (flags & kFlagVendor) != 0 ? 12 : 8;
    if (length < header || length > data.size - at) return false;
    if (header == 12) {
      avp.vendor = static_cast<std::uint32_t>(p[8]) << 24 | static_cast<std::uint32_t>(p[9]) << 16 |
                   static_cast<std::uint32_t>(p[10]) << 8 | p[11];
    }
    avp.mandatory = (flags & kFlagMandatory) != 0;
    avp.data = ByteSpan{p + header, length - header};
    out->push_back(avp);
    std::size_t padded = (length + 3) & ~static_cast<std::size_t>(3);
    if (padded > data.size - at) padded = data.size - at;  // the last AVP may omit its padding
    at += padded;
  }
  return true;
}

const Avp* FindAvp(const std::vector<Avp>& avps, std::uint32_t code, std::uint32_t vendor) {
  for (const Avp& avp : avps) {
    if (avp.code == code && avp.vendor == vendor) return &avp;
  }
  return nullptr;
}

void PutAvp(std::vector<std::uint8_t>* out, std::uint32_t code, std::uint32_t vendor, ByteSpan data) {
  std::size_t length = (vendor != 0 ? 12 : 8) + data.size;
  const std::uint8_t header[8] = {
      static_cast<std::uint8_t>(code >> 24), static_cast<std::uint8_t>(code >> 16),
      static_cast<std::uint8_t>(code >> 8), static_cast<std::uint8_t>(code),
      static_cast<std::uint8_t>(kFlagMandatory | (vendor != 0 ? kFlagVendor : 0)),
      static_cast<std::uint8_t>(length >> 16), static_cast<std::uint8_t>(length >> 8),
      static_cast<std::uint8_t>(length)};
  out->insert(out->end(), header, header + 8);
  if (vendor != 0) {
    const std::uint8_t id[4] = {static_cast<std::uint8_t>(vendor >> 24),
                                static_cast<std::uint8_t>(vendor >> 16),
                                static_cast<std::uint8_t>(vendor >> 8), static_cast<std::uint8_t>(vendor)};
    out->insert(out->end(), id, id + 4);
  }
  if (data.size != 0) out->insert(out->end(), data.data, data.data + data.size);
  while (out->size() % 4 != 0) out->push_back(0);
}

}  // namespace ttls
}  // namespace eaphost
