#include "radius_policy.h"

#include <algorithm>
#include <cstring>

#include "../../common/hex_digit.h"
#include "../../common/mppe_attributes.h"
#include "../../common/secure_zero.h"
#include "../../common/utf16.h"
#include "../../common/crypto/digest.h"
#include "../wire/radius_attribute_codec.h"

namespace eaphost::radius {

namespace {

constexpr uint32_t kTunnelTypeVlan = 13;
constexpr uint32_t kTunnelMediumIeee802 = 6;
// The user store's NT-hash answer (lib/core/users.ts recordAnswer): our vendor ID and type 1,
// the length byte, then the hash.
constexpr uint32_t kEaphostVendorId = 32473;
constexpr size_t kNtHashAnswer = 6 + 16;

bool Add(EncodedAttributes* out, uint32_t type, Bytes value, const char* what, std::string* error) {
  if (value.empty() || value.size() > kMaxAttributeValue) {
    *error = std::string(what) + ": a value holds 1 to 253 bytes";
    return false;
  }
  out->emplace_back(static_cast<uint8_t>(type), std::move(value));
  return true;
}

bool InAny(const std::vector<std::string>& patterns, const std::string& text, bool caseless) {
  if (patterns.empty()) return true;
  return std::any_of(patterns.begin(), patterns.end(),
                     [&](const std::string& pattern) { return Glob(pattern, text, caseless); });
}

template <typename T>
bool Listed(const std::vector<T>& values, T value) {
  return values.empty() || std::find(values.begin(), values.end(), value) != values.end();
}

bool NasMatches(const PolicyRule& rule, const PolicyRequest& request) {
  if (rule.nasIdentifier.empty() && rule.nasNetworks.empty()) return true;
  bool byName = !request.nasIdentifier.empty() &&
                std::any_of(rule.nasIdentifier.begin(), rule.nasIdentifier.end(),
                            [&](const std::string& pattern) { return Glob(pattern, request.nasIdentifier, false); });
  bool byAddress = request.hasNasAddress &&
                   std::any_of(rule.nasNetworks.begin(), rule.nasNetworks.end(),
                               [&](const ClientNetwork& network) { return InNetwork(network, request.nasAddress); });
  return byName || byAddress;
}

bool Matches(const PolicyRule& rule, const PolicyRequest& request) {
  return Listed(rule.methods, request.method) && InAny(rule.user, request.user, false) &&
         InAny(rule.userName, request.userName, false) && NasMatches(rule, request) &&
         InAny(rule.ssid, request.ssid, false) &&
         (rule.calledStationId.empty() ||
          (!request.calledMac.empty() && InAny(rule.calledStationId, request.calledMac, true))) &&
         (rule.callingStationId.empty() ||
          (!request.callingMac.empty() && InAny(rule.callingStationId, request.callingMac, true))) &&
         (rule.nasPortTypes.empty() ||
          (request.nasPortType >= 0 && Listed(rule.nasPortTypes, static_cast<uint32_t>(request.nasPortType))));
}

std::string Text(const RequestView& request, const AttributeView& attribute) {
  return std::string(reinterpret_cast<const char*>(request.value(attribute)), attribute.length);
}

}  // namespace

bool ServerOwned(uint32_t type, uint32_t vendor, uint32_t vendorType) {
  if (vendor != 0)
    return vendor == kMicrosoftVendorId && (vendorType == kMsMppeSendKey || vendorType == kMsMppeRecvKey);
  return type == kUserPassword || type == kState || type == kProxyState || type == kEapMessage ||
         type == kMessageAuthenticator || type == kEapKeyName;
}

bool EncodeVlan(const std::string& vlan, uint32_t tag, EncodedAttributes* out, std::string* error) {
  if (tag > kMaxTag) {
    *error = "vlanTag: a tag is 0 to 31";
    return false;
  }
  out->emplace_back(kTunnelType, TaggedInteger(tag, kTunnelTypeVlan));
  out->emplace_back(kTunnelMediumType, TaggedInteger(tag, kTunnelMediumIeee802));
  return Add(out, kTunnelPrivateGroupId, TaggedText(tag, vlan), "vlan", error);
}

bool EncodeReply(const ReplySpec& spec, EncodedAttributes* out, std::string* error) {
  if (spec.hasVlan && !EncodeVlan(spec.vlan, spec.vlanTag, out, error)) return false;
  if (spec.hasSessionTimeout) {
    out->emplace_back(
        kSessionTimeout,
        Bytes{static_cast<uint8_t>(spec.sessionTimeout >> 24), static_cast<uint8_t>(spec.sessionTimeout >> 16),
              static_cast<uint8_t>(spec.sessionTimeout >> 8), static_cast<uint8_t>(spec.sessionTimeout)});
  }
  if (spec.hasFilterId && !Add(out, kFilterId, Bytes(spec.filterId.begin(), spec.filterId.end()), "filterId", error))
    return false;
  if (spec.hasClass && !Add(out, kClass, spec.classValue, "class", error)) return false;
  if (spec.hasReplyMessage &&
      !Add(out, kReplyMessage, Bytes(spec.replyMessage.begin(), spec.replyMessage.end()), "replyMessage", error)) {
    return false;
  }
  for (size_t i = 0; i < spec.attributes.size(); ++i) {
    const AttributeSpec& attribute = spec.attributes[i];
    std::string where = "attributes[" + std::to_string(i) + "]";
    if (ServerOwned(attribute.type, attribute.vendor, attribute.vendorType)) {
      *error = where + ": the server writes this attribute itself";
      return false;
    }
    uint8_t type = 0;
    Bytes value;
    AttributeFault fault;
    if (!EncodeAttribute(attribute, &type, &value, &fault)) {
      *error = where + "." + fault.Text();
      return false;
    }
    out->emplace_back(type, std::move(value));
  }
  return true;
}

bool MacText(const uint8_t* text, size_t size, std::string* mac) {
  static const char kDigits[] = "0123456789abcdef";
  std::string out;
  out.reserve(12);
  for (size_t i = 0; i < size; ++i) {
    char c = static_cast<char>(text[i]);
    int digit = HexDigit(c);
    if (digit >= 0) {
      if (out.size() == 12) return false;
      out.push_back(kDigits[digit]);
      continue;
    }
    // A separator between digit pairs only (after 2, 4, 6, 8 or 10 digits, never two in a row).
    if ((c != ':' && c != '-' && c != '.') || out.empty() || out.size() % 2 != 0 || i + 1 >= size ||
        HexDigit(static_cast<char>(text[i + 1])) < 0) {
      return false;
    }
  }
  if (out.size() != 12) return false;
  *mac = std::move(out);
  return true;
}

namespace {

constexpr uint8_t kMappedPrefix[12] = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xFF, 0xFF};

bool Mapped(int family, const uint8_t* address) {
  return family == 6 && std::memcmp(address, kMappedPrefix, sizeof(kMappedPrefix)) == 0;
}

// A mapped address's last four bytes as an IPv4 one: those four first, the rest zero.
void ToIpv4(uint8_t (&address)[16]) {
  uint8_t ipv4[16] = {};
  std::memcpy(ipv4, address + 12, 4);
  std::memcpy(address, ipv4, sizeof(ipv4));
}

}  // namespace

void Unmap(Source* address) {
  if (!Mapped(address->family, address->address)) return;
  address->family = 4;
  ToIpv4(address->address);
}

bool NormalizeNetwork(ClientNetwork* network) {
  if (Mapped(network->family, network->address) && network->prefix >= 96) {
    network->family = 4;
    network->prefix -= 96;
    ToIpv4(network->address);
  }
  unsigned bytes = network->family == 4 ? 4 : 16;
  for (unsigned bit = network->prefix; bit < bytes * 8; ++bit) {
    if (network->address[bit / 8] & (0x80 >> (bit % 8))) return false;
  }
  return true;
}

uint64_t MacBits(const std::string& digits) {
  uint64_t bits = 0;
  for (char c : digits) bits = bits << 4 | static_cast<uint64_t>(HexDigit(c));
  return bits;
}

bool Policy::ListedMac(const std::string& mac, EncodedAttributes* vlan) const {
  auto found = macs.find(MacBits(mac));
  if (found == macs.end()) return false;
  if (found->second != 0) *vlan = macVlans.at(found->second);
  return true;
}

void ReadPolicyRequest(const RequestView& request, const Source& source, PolicyRequest* out) {
  for (const AttributeView& attribute : request.attributes) {
    const uint8_t* value = request.value(attribute);
    switch (attribute.type) {
      case kUserName: out->userName = Text(request, attribute); break;
      case kNasIdentifier: out->nasIdentifier = Text(request, attribute); break;
      case kNasIpAddress:
      case kNasIpv6Address:
        if (attribute.length == (attribute.type == kNasIpAddress ? 4 : 16) && !out->hasNasAddress) {
          out->hasNasAddress = true;
          out->nasAddress.family = attribute.length == 4 ? 4 : 6;
          std::memcpy(out->nasAddress.address, value, attribute.length);
        }
        break;
      case kCallingStationId:
        out->callingStationId = Text(request, attribute);
        MacText(value, attribute.length, &out->callingMac);
        break;
      case kCalledStationId: {
        out->calledStationId = Text(request, attribute);
        // RFC 3580 §3.20: "MAC:SSID", the MAC in any spelling.
        if (MacText(value, attribute.length, &out->calledMac)) break;
        for (size_t length : {17u, 14u, 13u, 12u}) {
          if (attribute.length > length && value[length] == ':' && MacText(value, length, &out->calledMac)) {
            out->ssid.assign(reinterpret_cast<const char*>(value) + length + 1, attribute.length - length - 1);
            break;
          }
        }
        break;
      }
      case kNasPortType:
        if (attribute.length == 4) {
          out->nasPortType = static_cast<int64_t>(ReadU32(value));
        }
        break;
      default: break;
    }
  }
  if (!out->hasNasAddress) {
    out->hasNasAddress = true;
    out->nasAddress = source;
  }
  // A dual-stack socket's IPv4 client, or a NAS-IPv6-Address that maps one: matched as IPv4.
  Unmap(&out->nasAddress);
}

bool RepeatsClaim(const RequestView& request) {
  size_t userNames = 0, callingStationIds = 0;
  for (const AttributeView& attribute : request.attributes) {
    if (attribute.type == kUserName) userNames++;
    if (attribute.type == kCallingStationId) callingStationIds++;
  }
  return userNames > 1 || callingStationIds > 1;
}

size_t EncodedSize(const EncodedAttributes& attributes) {
  size_t size = 0;
  for (const auto& [type, value] : attributes) size += 2 + value.size();
  return size;
}

bool Glob(const std::string& pattern, const std::string& text, bool caseless) {
  auto same = [caseless](char a, char b) {
    if (!caseless) return a == b;
    auto fold = [](char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c; };
    return fold(a) == fold(b);
  };
  // Iterative, with one backtrack point: linear-ish, and no recursion a long pattern could exhaust.
  size_t p = 0, t = 0, star = std::string::npos, resume = 0;
  while (t < text.size()) {
    if (p < pattern.size() && (pattern[p] == '?' || (pattern[p] != '*' && same(pattern[p], text[t])))) {
      ++p;
      ++t;
    } else if (p < pattern.size() && pattern[p] == '*') {
      star = p++;
      resume = t;
    } else if (star != std::string::npos) {
      p = star + 1;
      t = ++resume;
    } else {
      return false;
    }
  }
  while (p < pattern.size() && pattern[p] == '*') ++p;
  return p == pattern.size();
}

const PolicyRule* FirstMatch(const Policy& policy, const PolicyRequest& request, size_t* index) {
  for (size_t i = 0; i < policy.rules.size(); ++i) {
    if (!Matches(policy.rules[i], request)) continue;
    if (index != nullptr) *index = i;
    return &policy.rules[i];
  }
  return nullptr;
}

bool RevealUserPassword(const RequestView& request, const SharedSecret& secret, Bytes* password) {
  const AttributeView* found = request.Find(kUserPassword);
  if (secret.radius11()) {
    // As it is, 1 to 128 octets (RFC 9765 §5.1.1).
    if (found == nullptr || found->length == 0 || found->length > kMaxUserPassword) return false;
    password->assign(request.value(*found), request.value(*found) + found->length);
    return true;
  }
  if (found == nullptr || found->length < 16 || found->length > kMaxUserPassword || found->length % 16 != 0)
    return false;
  const uint8_t* hidden = request.value(*found);
  password->assign(found->length, 0);
  // p(1) = c(1) xor MD5(secret + Request Authenticator), p(i) = c(i) xor MD5(secret + c(i-1)).
  const uint8_t* previous = request.authenticator();
  for (size_t block = 0; block < found->length; block += 16) {
    uint8_t pad[kMd5Length];
    Md5().Update(secret.secret.data(), secret.secret.size()).Update(previous, 16).Final(pad);
    for (size_t i = 0; i < 16; ++i) (*password)[block + i] = static_cast<uint8_t>(hidden[block + i] ^ pad[i]);
    SecureZero(pad, sizeof(pad));
    previous = hidden + block;
  }
  size_t length = password->size();
  while (length > 0 && (*password)[length - 1] == 0) --length;
  // Wiped as it shrinks: resize() keeps the bytes past the new end in the buffer.
  SecureZero(password->data() + length, password->size() - length);
  password->resize(length);
  return true;
}

bool PasswordMatches(const KnownAnswer& known, const Bytes& password) {
  for (const KnownAnswer::Rule& rule : known.rules) {
    const Bytes& answer = rule.answer.value;
    if (rule.type == eap::eatClearTextPassword) {
      // The lengths may differ: what is compared is a constant-time walk over the stored one.
      bool same = answer.size() == password.size() && SameBytes(answer.data(), password.data(), answer.size());
      if (same) return true;
      continue;
    }
    if (rule.type != eap::eatVendorSpecific || answer.size() != kNtHashAnswer || rule.prefix.size() != 5 ||
        ReadU32(rule.prefix.data()) != kEaphostVendorId) {
      continue;
    }
    // NT hash: MD4 of the password in UTF-16LE.
    std::string narrow(password.begin(), password.end());
    std::u16string wide = Utf8ToUtf16(narrow);
    SecureZeroContents(narrow);
    Bytes little;
    little.reserve(2 * wide.size());
    for (char16_t unit : wide) {
      little.push_back(static_cast<uint8_t>(unit & 0xFF));
      little.push_back(static_cast<uint8_t>(unit >> 8));
    }
    uint8_t hash[kMd4DigestSize];
    ByteSpan whole{little.data(), little.size()};
    bool hashed = Digest(DigestAlgorithm::kMd4, &whole, 1, hash);
    bool same = hashed && SameBytes(hash, answer.data() + 6, sizeof(hash));
    SecureZero(hash, sizeof(hash));
    SecureZeroContents(little);
    SecureZero(wide.data(), wide.size() * sizeof(char16_t));
    if (same) return true;
  }
  return false;
}

}  // namespace eaphost::radius
