// RADIUS attribute values, typed, to and from their bytes: the one codec every role uses (the
// policy's replies, the client's requests, what a reply or a request carries decoded for JS).
// Types after RFC 8044's names: text and integers (RFC 2865 §5), IPv4 addresses (RFC 2865),
// IPv6 addresses and prefixes (RFC 3162 §2, RFC 6911, RFC 4818), octets; RFC 2868's tag ahead of
// a Tunnel-* value (§3.1: a tag octet, then a 24-bit integer; §3.6: a tag octet 0x01..0x1F before
// the text, else none); RFC 2865 §5.26 Vendor-Specific (one vendor attribute inside). Every length
// is checked before a byte is read; a bad value is refused with the reason, never guessed at.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>

#include "radius_base.h"
#include "radius_packet.h"

namespace eaphost::radius {

enum class ValueFormat : uint8_t { kString, kInteger, kIpv4, kIpv6, kIpv6Prefix, kOctets };

// "string", "integer", "ipaddr", "ipv6addr", "ipv6prefix", "octets" (FreeRADIUS's dictionary
// names); false for any other.
bool ValueFormatOf(const std::string& name, ValueFormat* out);
const char* ValueFormatName(ValueFormat format);

// RFC 2868's highest tag: 0x01..0x1F name a tunnel, 0 none.
constexpr uint32_t kMaxTag = 0x1F;

// One attribute, typed: `text` holds a string, a decimal integer, an address, a prefix
// ("2001:db8::/32") or hex octets ("0x" optional), as `format` says.
struct AttributeSpec {
  uint32_t type = 0;        // 1..255; 26 with `vendor`
  uint32_t vendor = 0;      // not 0: a Vendor-Specific attribute of this vendor, type `vendorType`
  uint32_t vendorType = 0;  // 1..255
  int tag = -1;             // an RFC 2868 tag 0..31 ahead of the value; -1: none
  ValueFormat format = ValueFormat::kString;
  std::string text;
};

// Why a spec does not encode: which of its fields is wrong ("tag", "type", "vendor", "value") and
// what is wrong with it, apart, so a caller names the field its own way (the binding as an option
// error's `option` and `detail`); Text() is the two joined, "value: \"x\" is not hex".
struct AttributeFault {
  const char* field = "";
  std::string detail;
  std::string Text() const { return std::string(field) + ": " + detail; }
};

// `spec`'s value (inside its Vendor-Specific wrapping when it has a vendor) into `value` and its
// attribute number into `type`: false with `fault` saying which part is wrong (a type out of
// 1..255 or 26 without a vendor, a tag past 31, a value of the wrong shape, a value outside 1..253
// bytes).
bool EncodeAttribute(const AttributeSpec& spec, uint8_t* type, Bytes* value, AttributeFault* fault);

// RFC 2868 §3.1: the tag, then the value's low 24 bits; §3.6: text under a tag (a tag of 0
// written only when the text's first byte would read as one).
Bytes TaggedInteger(uint32_t tag, uint32_t value);
Bytes TaggedText(uint32_t tag, const std::string& text);

// One attribute as the dictionary reads it. `format` says what `text` or `number` holds; a value
// that does not decode under its type keeps its bytes (format octets, `text` hex) and `error`
// says why.
struct DecodedAttribute {
  uint32_t type = 0;
  std::string name;  // the dictionary's, "Attr-N" when it has none, "Vendor-N-Attr-M" for a vendor's
  uint32_t vendor = 0;
  uint32_t vendorType = 0;  // with `vendor`, when the value holds one vendor attribute
  int tag = -1;
  ValueFormat format = ValueFormat::kOctets;
  bool isNumber = false;
  uint32_t number = 0;
  std::string text;
  std::string error;
};

DecodedAttribute DecodeAttribute(uint8_t type, const uint8_t* value, size_t size);

// An address's text (IPv4 dotted, IPv6 as RFC 5952 writes it).
std::string AddressText(const Source& source);

}  // namespace eaphost::radius
