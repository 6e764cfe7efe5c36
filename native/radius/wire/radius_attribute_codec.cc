#include "radius_attribute_codec.h"

#include <cstring>

#include "../../common/hex_digit.h"
#include "../../common/mppe_attributes.h"

namespace eaphost::radius {

namespace {

constexpr size_t kMaxVendorValue = kMaxAttributeValue - 6;
constexpr uint32_t kMaxVendorId = 0xFFFFFF;
constexpr uint32_t kMaxTaggedInteger = 0xFFFFFF;
constexpr uint32_t kCiscoVendorId = 9;

// How the dictionary reads one attribute's value.
enum class Kind : uint8_t { kText, kInteger, kIpv4, kIpv6, kIpv6Prefix, kOctets, kTaggedInteger, kTaggedText };

struct Entry {
  uint8_t type;
  const char* name;
  Kind kind;
};

// RFC 2865 §5, RFC 2866 §5, RFC 2868 §3, RFC 2869 §5, RFC 3162 §2, RFC 3576/5176, RFC 3579 §3,
// RFC 4372, RFC 4818, RFC 5580, RFC 6911; names as their IANA registry writes them.
constexpr Entry kDictionary[] = {
    {1, "User-Name", Kind::kText},
    {2, "User-Password", Kind::kOctets},
    {3, "CHAP-Password", Kind::kOctets},
    {4, "NAS-IP-Address", Kind::kIpv4},
    {5, "NAS-Port", Kind::kInteger},
    {6, "Service-Type", Kind::kInteger},
    {7, "Framed-Protocol", Kind::kInteger},
    {8, "Framed-IP-Address", Kind::kIpv4},
    {9, "Framed-IP-Netmask", Kind::kIpv4},
    {10, "Framed-Routing", Kind::kInteger},
    {11, "Filter-Id", Kind::kText},
    {12, "Framed-MTU", Kind::kInteger},
    {13, "Framed-Compression", Kind::kInteger},
    {14, "Login-IP-Host", Kind::kIpv4},
    {15, "Login-Service", Kind::kInteger},
    {16, "Login-TCP-Port", Kind::kInteger},
    {18, "Reply-Message", Kind::kText},
    {19, "Callback-Number", Kind::kText},
    {20, "Callback-Id", Kind::kText},
    {22, "Framed-Route", Kind::kText},
    {24, "State", Kind::kOctets},
    {25, "Class", Kind::kOctets},
    {27, "Session-Timeout", Kind::kInteger},
    {28, "Idle-Timeout", Kind::kInteger},
    {29, "Termination-Action", Kind::kInteger},
    {30, "Called-Station-Id", Kind::kText},
    {31, "Calling-Station-Id", Kind::kText},
    {32, "NAS-Identifier", Kind::kText},
    {33, "Proxy-State", Kind::kOctets},
    {40, "Acct-Status-Type", Kind::kInteger},
    {41, "Acct-Delay-Time", Kind::kInteger},
    {42, "Acct-Input-Octets", Kind::kInteger},
    {43, "Acct-Output-Octets", Kind::kInteger},
    {44, "Acct-Session-Id", Kind::kText},
    {45, "Acct-Authentic", Kind::kInteger},
    {46, "Acct-Session-Time", Kind::kInteger},
    {47, "Acct-Input-Packets", Kind::kInteger},
    {48, "Acct-Output-Packets", Kind::kInteger},
    {49, "Acct-Terminate-Cause", Kind::kInteger},
    {50, "Acct-Multi-Session-Id", Kind::kText},
    {51, "Acct-Link-Count", Kind::kInteger},
    {52, "Acct-Input-Gigawords", Kind::kInteger},
    {53, "Acct-Output-Gigawords", Kind::kInteger},
    {55, "Event-Timestamp", Kind::kInteger},
    {60, "CHAP-Challenge", Kind::kOctets},
    {61, "NAS-Port-Type", Kind::kInteger},
    {62, "Port-Limit", Kind::kInteger},
    {64, "Tunnel-Type", Kind::kTaggedInteger},
    {65, "Tunnel-Medium-Type", Kind::kTaggedInteger},
    {66, "Tunnel-Client-Endpoint", Kind::kTaggedText},
    {67, "Tunnel-Server-Endpoint", Kind::kTaggedText},
    {69, "Tunnel-Password", Kind::kOctets},
    {77, "Connect-Info", Kind::kText},
    {79, "EAP-Message", Kind::kOctets},
    {80, "Message-Authenticator", Kind::kOctets},
    {81, "Tunnel-Private-Group-Id", Kind::kTaggedText},
    {82, "Tunnel-Assignment-Id", Kind::kTaggedText},
    {83, "Tunnel-Preference", Kind::kTaggedInteger},
    {85, "Acct-Interim-Interval", Kind::kInteger},
    {87, "NAS-Port-Id", Kind::kText},
    {88, "Framed-Pool", Kind::kText},
    {89, "Chargeable-User-Identity", Kind::kOctets},
    {90, "Tunnel-Client-Auth-Id", Kind::kTaggedText},
    {91, "Tunnel-Server-Auth-Id", Kind::kTaggedText},
    {95, "NAS-IPv6-Address", Kind::kIpv6},
    {96, "Framed-Interface-Id", Kind::kOctets},
    {97, "Framed-IPv6-Prefix", Kind::kIpv6Prefix},
    {98, "Login-IPv6-Host", Kind::kIpv6},
    {99, "Framed-IPv6-Route", Kind::kText},
    {100, "Framed-IPv6-Pool", Kind::kText},
    {101, "Error-Cause", Kind::kInteger},
    {102, "EAP-Key-Name", Kind::kOctets},
    {123, "Delegated-IPv6-Prefix", Kind::kIpv6Prefix},
    {126, "Operator-Name", Kind::kText},
    {127, "Location-Information", Kind::kOctets},
    {168, "Framed-IPv6-Address", Kind::kIpv6},
    {169, "DNS-Server-IPv6-Address", Kind::kIpv6},
    {170, "Route-IPv6-Information", Kind::kIpv6Prefix},
    {171, "Delegated-IPv6-Prefix-Pool", Kind::kText},
    {172, "Stateful-IPv6-Address-Pool", Kind::kText},
};

const Entry* Find(uint8_t type) {
  for (const Entry& entry : kDictionary) {
    if (entry.type == type) return &entry;
  }
  return nullptr;
}

void PutWord(Bytes& out, uint32_t value) {
  for (int shift = 24; shift >= 0; shift -= 8) out.push_back(static_cast<uint8_t>(value >> shift));
}

bool ParseDecimal(const std::string& text, uint32_t* out) {
  if (text.empty() || text.size() > 10) return false;
  uint64_t value = 0;
  for (char c : text) {
    if (c < '0' || c > '9') return false;
    value = value * 10 + static_cast<uint64_t>(c - '0');
  }
  if (value > 0xFFFFFFFFull) return false;
  *out = static_cast<uint32_t>(value);
  return true;
}

bool ParseHex(const std::string& text, Bytes* out, std::string* error) {
  size_t start = text.size() >= 2 && text[0] == '0' && (text[1] == 'x' || text[1] == 'X') ? 2 : 0;
  if ((text.size() - start) % 2 != 0) {
    *error = "octets are an even number of hex digits";
    return false;
  }
  for (size_t i = start; i < text.size(); i += 2) {
    int high = HexDigit(text[i]), low = HexDigit(text[i + 1]);
    if (high < 0 || low < 0) {
      *error = "\"" + text + "\" is not hex";
      return false;
    }
    out->push_back(static_cast<uint8_t>(high << 4 | low));
  }
  return true;
}

// RFC 3162 §2.3 / RFC 8044 §3.10: Reserved (0), Prefix-Length, then the prefix; written whole
// (16 octets), as FreeRADIUS writes it. Bits past the length must be zero.
bool EncodePrefix(const std::string& text, Bytes* out, std::string* error) {
  size_t slash = text.find('/');
  uint32_t length = 0;
  Source address;
  if (slash == std::string::npos || !ParseDecimal(text.substr(slash + 1), &length) || length > 128 ||
      !ParseAddress(text.substr(0, slash), &address) || address.family != 6) {
    *error = "\"" + text + "\" is not an IPv6 prefix (ADDRESS/0..128)";
    return false;
  }
  for (uint32_t bit = length; bit < 128; ++bit) {
    if ((address.address[bit / 8] >> (7 - bit % 8)) & 1) {
      *error = "\"" + text + "\" has bits set past its length";
      return false;
    }
  }
  out->push_back(0);
  out->push_back(static_cast<uint8_t>(length));
  out->insert(out->end(), address.address, address.address + 16);
  return true;
}

bool EncodeValue(const AttributeSpec& spec, Bytes* out, std::string* error) {
  bool tagged = spec.tag >= 0;
  if (tagged && spec.format != ValueFormat::kString && spec.format != ValueFormat::kInteger) {
    *error = "a tag goes ahead of a string or an integer only (RFC 2868)";
    return false;
  }
  switch (spec.format) {
    case ValueFormat::kString:
      if (tagged) {
        *out = TaggedText(static_cast<uint32_t>(spec.tag), spec.text);
      } else {
        out->assign(spec.text.begin(), spec.text.end());
      }
      return true;
    case ValueFormat::kInteger: {
      uint32_t value = 0;
      if (!ParseDecimal(spec.text, &value) || (tagged && value > kMaxTaggedInteger)) {
        *error = "\"" + spec.text + "\" is not an integer from 0 to " + (tagged ? "16777215 (tagged)" : "4294967295");
        return false;
      }
      if (tagged) {
        *out = TaggedInteger(static_cast<uint32_t>(spec.tag), value);
      } else {
        PutWord(*out, value);
      }
      return true;
    }
    case ValueFormat::kIpv4:
    case ValueFormat::kIpv6: {
      Source parsed;
      int family = spec.format == ValueFormat::kIpv4 ? 4 : 6;
      if (!ParseAddress(spec.text, &parsed) || parsed.family != family) {
        *error = "\"" + spec.text + "\" is not an IPv" + std::to_string(family) + " address";
        return false;
      }
      out->assign(parsed.address, parsed.address + (family == 4 ? 4 : 16));
      return true;
    }
    case ValueFormat::kIpv6Prefix: return EncodePrefix(spec.text, out, error);
    case ValueFormat::kOctets: return ParseHex(spec.text, out, error);
  }
  *error = "unknown format";
  return false;
}

// RFC 5952's text of an IPv6 address: lower-case groups, the longest run of two or more zero
// groups (the first of equals) as "::".
std::string Ipv6Text(const uint8_t* address) {
  static const char kDigits[] = "0123456789abcdef";
  uint16_t groups[8];
  for (int i = 0; i < 8; ++i) groups[i] = ReadU16(address + 2 * i);
  int bestStart = -1, bestLength = 0;
  for (int i = 0; i < 8;) {
    if (groups[i] != 0) {
      ++i;
      continue;
    }
    int j = i;
    while (j < 8 && groups[j] == 0) ++j;
    if (j - i > bestLength && j - i >= 2) {
      bestStart = i;
      bestLength = j - i;
    }
    i = j;
  }
  std::string out;
  for (int i = 0; i < 8; ++i) {
    if (i == bestStart) {
      out += "::";
      i += bestLength - 1;
      continue;
    }
    if (!out.empty() && out.back() != ':') out += ':';
    bool leading = true;
    for (int shift = 12; shift >= 0; shift -= 4) {
      int digit = (groups[i] >> shift) & 15;
      if (leading && digit == 0 && shift != 0) continue;
      leading = false;
      out += kDigits[digit];
    }
  }
  return out;
}

std::string Hex(const uint8_t* value, size_t size) {
  static const char kDigits[] = "0123456789abcdef";
  std::string out;
  out.reserve(2 * size);
  for (size_t i = 0; i < size; ++i) {
    out += kDigits[value[i] >> 4];
    out += kDigits[value[i] & 15];
  }
  return out;
}

// Well-formed UTF-8 (RFC 3629: no overlong form, no surrogate, nothing past U+10FFFF).
bool Utf8(const uint8_t* text, size_t size) {
  for (size_t i = 0; i < size;) {
    uint8_t lead = text[i];
    if (lead < 0x80) {
      ++i;
      continue;
    }
    size_t more = 0;
    uint32_t point = 0;
    if (lead >= 0xC2 && lead <= 0xDF) {
      more = 1;
      point = lead & 0x1Fu;
    } else if ((lead & 0xF0) == 0xE0) {
      more = 2;
      point = lead & 0x0Fu;
    } else if (lead >= 0xF0 && lead <= 0xF4) {
      more = 3;
      point = lead & 0x07u;
    } else {
      return false;
    }
    if (size - i <= more) return false;
    for (size_t k = 1; k <= more; ++k) {
      if ((text[i + k] & 0xC0) != 0x80) return false;
      point = point << 6 | (text[i + k] & 0x3Fu);
    }
    if ((more == 2 && (point < 0x800 || (point >= 0xD800 && point <= 0xDFFF))) ||
        (more == 3 && (point < 0x10000 || point > 0x10FFFF))) {
      return false;
    }
    i += more + 1;
  }
  return true;
}

bool Printable(const uint8_t* text, size_t size) {
  if (size == 0 || !Utf8(text, size)) return false;
  for (size_t i = 0; i < size; ++i) {
    if (text[i] < 0x20 || text[i] == 0x7F) return false;
  }
  return true;
}

void AsOctets(const uint8_t* value, size_t size, DecodedAttribute* out) {
  out->format = ValueFormat::kOctets;
  out->isNumber = false;
  out->text = Hex(value, size);
}

void Refuse(const uint8_t* value, size_t size, std::string why, DecodedAttribute* out) {
  AsOctets(value, size, out);
  out->tag = -1;
  out->error = std::move(why);
}

void DecodeText(const uint8_t* value, size_t size, DecodedAttribute* out) {
  if (!Utf8(value, size)) return Refuse(value, size, "not UTF-8 text", out);
  out->format = ValueFormat::kString;
  out->text.assign(reinterpret_cast<const char*>(value), size);
}

std::string ExactLength(size_t size, size_t want) {
  return std::to_string(size) + " bytes, not " + std::to_string(want);
}

void DecodePrefix(const uint8_t* value, size_t size, DecodedAttribute* out) {
  if (size < 2 || size > 18) return Refuse(value, size, ExactLength(size, 2) + " to 18 (RFC 3162 §2.3)", out);
  uint32_t length = value[1];
  size_t given = size - 2;
  if (length > 128) return Refuse(value, size, "a prefix length of " + std::to_string(length) + ", past 128", out);
  if (given * 8 < length)
    return Refuse(value, size, "a /" + std::to_string(length) + " prefix in " + std::to_string(given) + " bytes", out);
  Source address;  // its address bytes start zeroed (radius_base.h): the bits past `given` stay 0
  address.family = 6;
  std::memcpy(address.address, value + 2, given);
  for (uint32_t bit = length; bit < given * 8; ++bit) {
    if ((address.address[bit / 8] >> (7 - bit % 8)) & 1)
      return Refuse(value, size, "bits set past the prefix length", out);
  }
  out->format = ValueFormat::kIpv6Prefix;
  out->text = AddressText(address) + "/" + std::to_string(length);
}

void DecodeKind(Kind kind, const uint8_t* value, size_t size, DecodedAttribute* out) {
  switch (kind) {
    case Kind::kText: return DecodeText(value, size, out);
    case Kind::kOctets: return AsOctets(value, size, out);
    case Kind::kInteger:
      if (size != 4) return Refuse(value, size, "an integer of " + ExactLength(size, 4), out);
      out->format = ValueFormat::kInteger;
      out->isNumber = true;
      out->number = ReadU32(value);
      return;
    case Kind::kIpv4:
    case Kind::kIpv6: {
      size_t want = kind == Kind::kIpv4 ? 4 : 16;
      if (size != want) return Refuse(value, size, "an address of " + ExactLength(size, want), out);
      Source address;
      address.family = kind == Kind::kIpv4 ? 4 : 6;
      std::memcpy(address.address, value, want);
      out->format = kind == Kind::kIpv4 ? ValueFormat::kIpv4 : ValueFormat::kIpv6;
      out->text = AddressText(address);
      return;
    }
    case Kind::kIpv6Prefix: return DecodePrefix(value, size, out);
    case Kind::kTaggedInteger:
      // RFC 2868 §3.1: Tag 0x00 (none) or 0x01..0x1F, then three octets.
      if (size != 4) return Refuse(value, size, "a tagged integer of " + ExactLength(size, 4), out);
      if (value[0] > kMaxTag)
        return Refuse(value, size, "tag " + std::to_string(value[0]) + " is past 31 (RFC 2868)", out);
      out->tag = value[0];
      out->format = ValueFormat::kInteger;
      out->isNumber = true;
      out->number = ReadU32(value) & 0xFFFFFF;
      return;
    case Kind::kTaggedText:
      // RFC 2868 §3.6: a first octet 0x00..0x1F is the tag; past 0x1F, the text's first octet.
      if (size > 0 && value[0] <= kMaxTag) {
        if (size == 1) return Refuse(value, size, "a tag and no text", out);
        out->tag = value[0];
        return DecodeText(value + 1, size - 1, out);
      }
      out->tag = 0;  // no tag octet: the tag is 0, "none" (what TaggedText writes back)
      return DecodeText(value, size, out);
  }
}

// RFC 2865 §5.26: Vendor-Id, then (as it recommends) one vendor attribute: type, length, value.
void DecodeVendor(const uint8_t* value, size_t size, DecodedAttribute* out) {
  out->name = "Vendor-Specific";
  if (size < 4) return Refuse(value, size, "a Vendor-Specific of " + std::to_string(size) + " bytes, under 4", out);
  out->vendor = ReadU32(value);
  if (size < 6 || value[5] < 2 || static_cast<size_t>(value[5]) + 4 != size) return AsOctets(value + 4, size - 4, out);
  out->vendorType = value[4];
  const uint8_t* data = value + 6;
  size_t length = size - 6;
  bool secret =
      out->vendor == kMicrosoftVendorId && (out->vendorType == kMsMppeSendKey || out->vendorType == kMsMppeRecvKey);
  bool text = out->vendor == kCiscoVendorId && out->vendorType == 1;
  if (secret) return AsOctets(data, length, out);
  if (text) return DecodeText(data, length, out);
  // A vendor this dictionary has no entry for: printable UTF-8 reads as text, anything else as octets.
  if (Printable(data, length)) return DecodeText(data, length, out);
  AsOctets(data, length, out);
}

}  // namespace

std::string AddressText(const Source& source) {
  if (source.family == 6) return Ipv6Text(source.address);
  return std::to_string(source.address[0]) + "." + std::to_string(source.address[1]) + "." +
         std::to_string(source.address[2]) + "." + std::to_string(source.address[3]);
}

bool ValueFormatOf(const std::string& name, ValueFormat* out) {
  for (ValueFormat format : {ValueFormat::kString, ValueFormat::kInteger, ValueFormat::kIpv4, ValueFormat::kIpv6,
                             ValueFormat::kIpv6Prefix, ValueFormat::kOctets}) {
    if (name == ValueFormatName(format)) {
      *out = format;
      return true;
    }
  }
  return false;
}

const char* ValueFormatName(ValueFormat format) {
  switch (format) {
    case ValueFormat::kString: return "string";
    case ValueFormat::kInteger: return "integer";
    case ValueFormat::kIpv4: return "ipaddr";
    case ValueFormat::kIpv6: return "ipv6addr";
    case ValueFormat::kIpv6Prefix: return "ipv6prefix";
    case ValueFormat::kOctets: return "octets";
  }
  return "octets";
}

Bytes TaggedInteger(uint32_t tag, uint32_t value) {
  return {static_cast<uint8_t>(tag), static_cast<uint8_t>(value >> 16), static_cast<uint8_t>(value >> 8),
          static_cast<uint8_t>(value)};
}

Bytes TaggedText(uint32_t tag, const std::string& text) {
  Bytes out;
  if (tag != 0 || (!text.empty() && static_cast<uint8_t>(text[0]) <= kMaxTag)) out.push_back(static_cast<uint8_t>(tag));
  out.insert(out.end(), text.begin(), text.end());
  return out;
}

bool EncodeAttribute(const AttributeSpec& spec, uint8_t* type, Bytes* value, AttributeFault* fault) {
  value->clear();
  if (spec.tag > static_cast<int>(kMaxTag)) {
    *fault = {"tag", "a tag is 0 to 31"};
    return false;
  }
  if (spec.vendor == 0 && (spec.type < 1 || spec.type > 255 || spec.type == kVendorSpecific)) {
    *fault = {"type", "1 to 255, Vendor-Specific (26) given by vendor and vendorType"};
    return false;
  }
  if (spec.vendor != 0 && (spec.vendor > kMaxVendorId || spec.vendorType < 1 || spec.vendorType > 255)) {
    *fault = {"vendor", "1 to 16777215, with a vendorType of 1 to 255"};
    return false;
  }
  Bytes data;
  std::string why;
  if (!EncodeValue(spec, &data, &why)) {
    *fault = {"value", why};
    return false;
  }
  size_t limit = spec.vendor != 0 ? kMaxVendorValue : kMaxAttributeValue;
  if (data.empty() || data.size() > limit) {
    *fault = {"value", std::to_string(data.size()) + " bytes; a value holds 1 to " + std::to_string(limit)};
    return false;
  }
  if (spec.vendor == 0) {
    *type = static_cast<uint8_t>(spec.type);
    *value = std::move(data);
    return true;
  }
  PutWord(*value, spec.vendor);
  value->push_back(static_cast<uint8_t>(spec.vendorType));
  value->push_back(static_cast<uint8_t>(2 + data.size()));
  value->insert(value->end(), data.begin(), data.end());
  *type = kVendorSpecific;
  return true;
}

DecodedAttribute DecodeAttribute(uint8_t type, const uint8_t* value, size_t size) {
  DecodedAttribute out;
  out.type = type;
  if (type == kVendorSpecific) {
    DecodeVendor(value, size, &out);
    return out;
  }
  const Entry* entry = Find(type);
  out.name = entry != nullptr ? entry->name : "Attr-" + std::to_string(type);
  DecodeKind(entry != nullptr ? entry->kind : Kind::kOctets, value, size, &out);
  return out;
}

}  // namespace eaphost::radius
