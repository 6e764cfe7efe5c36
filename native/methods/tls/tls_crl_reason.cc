#include "tls_crl_reason.h"

#include <cstdint>
#include <cstring>

namespace eaphost {
namespace tls {

namespace {
// One DER element: its tag and content. Definite lengths only, as DER requires.
struct Element {
  std::uint8_t tag = 0;
  ByteSpan content{nullptr, 0};
};

// Reads the element at the front of *rest and moves past it. False when it does not fit.
bool Next(ByteSpan* rest, Element* out) {
  if (rest->size < 2) return false;
  const std::uint8_t* at = rest->data;
  std::size_t left = rest->size;
  out->tag = at[0];
  std::size_t length = at[1];
  std::size_t header = 2;
  if ((length & 0x80) != 0) {
    const std::size_t octets = length & 0x7F;
    if (octets == 0 || octets > 4 || left < 2 + octets) return false;
    length = 0;
    for (std::size_t i = 0; i < octets; ++i) length = length << 8 | at[2 + i];
    header += octets;
  }
  if (length > left - header) return false;
  out->content = ByteSpan{at + header, length};
  *rest = ByteSpan{at + header + length, left - header - length};
  return true;
}

constexpr std::uint8_t kInteger = 0x02, kOctetString = 0x04, kOid = 0x06, kEnumerated = 0x0A,
                       kBoolean = 0x01, kSequence = 0x30, kUtcTime = 0x17, kGeneralizedTime = 0x18;
constexpr std::uint8_t kReasonCodeOid[] = {0x55, 0x1D, 0x15};  // 2.5.29.21

bool Same(ByteSpan a, ByteSpan b) {
  return a.size == b.size && (a.size == 0 || std::memcmp(a.data, b.data, a.size) == 0);
}

// The reasonCode in an entry's crlEntryExtensions.
std::string ReasonOf(ByteSpan extensions) {
  Element extension;
  while (Next(&extensions, &extension)) {
    if (extension.tag != kSequence) return std::string();
    ByteSpan parts = extension.content;
    Element oid, value;
    if (!Next(&parts, &oid) || oid.tag != kOid) return std::string();
    if (!Next(&parts, &value)) return std::string();
    if (value.tag == kBoolean && !Next(&parts, &value)) return std::string();
    if (value.tag != kOctetString || !Same(oid.content, ByteSpan{kReasonCodeOid, sizeof(kReasonCodeOid)})) continue;
    ByteSpan inner = value.content;
    Element code;
    if (!Next(&inner, &code) || code.tag != kEnumerated || code.content.size != 1) return std::string();
    return CrlReasonName(code.content.data[0]);
  }
  return std::string();
}
}  // namespace

const char* CrlReasonName(unsigned int code) {
  switch (code) {
    case 0: return "unspecified";
    case 1: return "keyCompromise";
    case 2: return "cACompromise";
    case 3: return "affiliationChanged";
    case 4: return "superseded";
    case 5: return "cessationOfOperation";
    case 6: return "certificateHold";
    case 8: return "removeFromCRL";
    case 9: return "privilegeWithdrawn";
    case 10: return "aACompromise";
  }
  return "";
}

std::string CrlEntryReason(ByteSpan crl, ByteSpan serial) {
  Element list, tbs, field;
  ByteSpan rest = crl;
  if (!Next(&rest, &list) || list.tag != kSequence) return std::string();
  rest = list.content;
  if (!Next(&rest, &tbs) || tbs.tag != kSequence) return std::string();
  rest = tbs.content;
  // version (optional), signature, issuer, thisUpdate, nextUpdate (optional), then the entries.
  if (!Next(&rest, &field)) return std::string();
  if (field.tag == kInteger && !Next(&rest, &field)) return std::string();
  if (field.tag != kSequence || !Next(&rest, &field) || field.tag != kSequence) return std::string();
  if (!Next(&rest, &field) || (field.tag != kUtcTime && field.tag != kGeneralizedTime)) return std::string();
  if (!Next(&rest, &field)) return std::string();
  if ((field.tag == kUtcTime || field.tag == kGeneralizedTime) && !Next(&rest, &field)) return std::string();
  if (field.tag != kSequence) return std::string();
  ByteSpan entries = field.content;
  Element entry;
  while (Next(&entries, &entry)) {
    if (entry.tag != kSequence) return std::string();
    ByteSpan parts = entry.content;
    Element number, date, extensions;
    if (!Next(&parts, &number) || number.tag != kInteger || !Next(&parts, &date)) return std::string();
    if (!Same(number.content, serial)) continue;
    if (!Next(&parts, &extensions) || extensions.tag != kSequence) return std::string();
    return ReasonOf(extensions.content);
  }
  return std::string();
}

}  // namespace tls
}  // namespace eaphost
