#include "radius_packet.h"

#include <algorithm>
#include <cstring>
#include <stdexcept>

#include "../../common/crypto/random.h"
#include "../../common/secure_zero.h"

namespace eaphost::radius {

bool SameBytes(const uint8_t* a, const uint8_t* b, size_t size) {
  uint8_t difference = 0;
  for (size_t i = 0; i < size; ++i) difference = static_cast<uint8_t>(difference | (a[i] ^ b[i]));
  return difference == 0;
}

SharedSecret::~SharedSecret() { SecureZeroContents(secret); }

const SharedSecret& Radius11Keying() {
  static const SharedSecret keying(Bytes{}, RadiusVersion::k11);
  return keying;
}

bool RequestView::Has(uint8_t type) const { return Find(type) != nullptr; }

const AttributeView* RequestView::Find(uint8_t type) const {
  for (const AttributeView& attribute : attributes) {
    if (attribute.type == type) return &attribute;
  }
  return nullptr;
}

bool ReadRequest(const uint8_t* datagram, size_t size, RequestView* out) {
  if (size < kHeaderLength) return false;
  size_t length = ReadU16(datagram + 2);
  if (length < kHeaderLength || length > kMaxPacketLength || length > size) return false;
  out->data = datagram;
  out->length = length;
  out->code = datagram[0];
  out->identifier = datagram[1];
  out->attributes.clear();
  // Checked and counted first, then read into a list of exactly that size: one allocation a
  // request, where growing by doubling took four or five (a fifth of serve's allocations in PEAP).
  size_t count = 0;
  for (size_t offset = kHeaderLength; offset < length; ++count) {
    if (offset + 2 > length) return false;
    size_t attributeLength = datagram[offset + 1];
    if (attributeLength < 2 || offset + attributeLength > length) return false;
    offset += attributeLength;
  }
  out->attributes.reserve(count);
  for (size_t offset = kHeaderLength; offset < length; offset += datagram[offset + 1]) {
    out->attributes.push_back({datagram[offset], static_cast<uint16_t>(offset + 2),
                               static_cast<uint8_t>(datagram[offset + 1] - 2)});
  }
  return true;
}

namespace {

// The Message-Authenticator checked with `authenticator` in the header's place (the request's
// own, or zeros for a computed one).
bool MessageAuthenticatorValidWith(const RequestView& request, const uint8_t* authenticator,
                                   const SharedSecret& secret) {
  const AttributeView* found = nullptr;
  for (const AttributeView& attribute : request.attributes) {
    if (attribute.type != kMessageAuthenticator) continue;
    if (found != nullptr) return false;  // more than one
    found = &attribute;
  }
  if (found == nullptr || found->length != kMd5Length) return false;
  // The HMAC covers the packet with the value zeroed.
  static const uint8_t kZero[kMd5Length] = {};
  uint8_t computed[kMd5Length];
  const size_t after = found->offset + kMd5Length;
  const size_t attributes = kHeaderLength;
  secret.hmac.Sign({{request.data, 4},
                    {authenticator, kAuthenticatorLength},
                    {request.data + attributes, found->offset - attributes},
                    {kZero, kMd5Length},
                    {request.data + after, request.length - after}},
                   computed);
  return SameBytes(computed, request.value(*found), kMd5Length);
}

}  // namespace

bool MessageAuthenticatorValid(const RequestView& request, const SharedSecret& secret) {
  return MessageAuthenticatorValidWith(request, request.authenticator(), secret);
}

ComputedRequestCheck CheckComputedRequest(const RequestView& request, const SharedSecret& secret) {
  // RADIUS/1.1: TLS authenticated it; a Message-Authenticator in it is ignored (RFC 9765 §5.2).
  if (secret.radius11()) return ComputedRequestCheck::kValid;
  static const uint8_t kZero[kAuthenticatorLength] = {};
  uint8_t expected[kMd5Length];
  Md5()
      .Update(request.data, 4)
      .Update(kZero, sizeof(kZero))
      .Update(request.data + kHeaderLength, request.length - kHeaderLength)
      .Update(secret.secret.data(), secret.secret.size())
      .Final(expected);
  if (!SameBytes(expected, request.authenticator(), kMd5Length)) return ComputedRequestCheck::kBadRequestAuthenticator;
  if (!request.Has(kMessageAuthenticator)) return ComputedRequestCheck::kMessageAuthenticatorMissing;
  return MessageAuthenticatorValidWith(request, kZero, secret) ? ComputedRequestCheck::kValid
                                                               : ComputedRequestCheck::kMessageAuthenticatorInvalid;
}

EapMessage JoinEapMessage(const RequestView& request, Bytes* eap) {
  eap->clear();
  bool any = false;
  size_t total = 0;
  for (const AttributeView& attribute : request.attributes) {
    if (attribute.type == kEapMessage) total += attribute.length;
  }
  eap->reserve(total);  // a client's flight of several pieces is joined in one allocation
  for (const AttributeView& attribute : request.attributes) {
    if (attribute.type != kEapMessage) continue;
    any = true;
    eap->insert(eap->end(), request.value(attribute), request.value(attribute) + attribute.length);
  }
  if (!any) return EapMessage::kAbsent;
  if (eap->empty()) return EapMessage::kStart;
  if (eap->size() < 4 || ReadU16(eap->data() + 2) != eap->size()) return EapMessage::kMalformed;
  return EapMessage::kWhole;
}

ReplyWriter::ReplyWriter(uint8_t code, uint8_t identifier, const uint8_t* requestAuthenticator, bool messageAuthenticator,
                         RadiusVersion version)
    : requestAuthenticator_(requestAuthenticator),
      messageAuthenticator_(messageAuthenticator && version == RadiusVersion::k10),
      version_(version) {
  packet_.reserve(256);
  packet_.assign(kHeaderLength, 0);
  packet_[0] = code;
  if (version_ == RadiusVersion::k11) {
    std::memcpy(packet_.data() + 4, requestAuthenticator_, kTokenLength);
  } else {
    packet_[1] = identifier;
    std::memcpy(packet_.data() + 4, requestAuthenticator_, kAuthenticatorLength);
  }
  static const uint8_t kZero[kMd5Length] = {};
  if (messageAuthenticator_) Add(kMessageAuthenticator, kZero, sizeof(kZero));
}

bool AppendAttribute(Bytes& packet, bool& overflow, uint8_t type, const uint8_t* value, size_t size) {
  if (overflow || size > kMaxAttributeValue || packet.size() + 2 + size > kMaxPacketLength) {
    overflow = true;
    return false;
  }
  packet.push_back(type);
  packet.push_back(static_cast<uint8_t>(2 + size));
  packet.insert(packet.end(), value, value + size);
  return true;
}

bool ReplyWriter::Add(uint8_t type, const uint8_t* value, size_t size) {
  return AppendAttribute(packet_, overflow_, type, value, size);
}

bool ReplyWriter::AddEapMessage(const Bytes& eap) {
  // Room for the pieces' headers too, and for what usually follows (State, a Proxy-State or
  // two): a TLS flight's kilobyte grows the packet once, not by doubling.
  constexpr size_t kRoomAfter = 64;
  const size_t pieces = (eap.size() + kMaxAttributeValue - 1) / kMaxAttributeValue;
  packet_.reserve(std::min(kMaxPacketLength, packet_.size() + eap.size() + 2 * pieces + kRoomAfter));
  for (size_t offset = 0; offset < eap.size(); offset += kMaxAttributeValue) {
    if (!Add(kEapMessage, eap.data() + offset, std::min(kMaxAttributeValue, eap.size() - offset))) return false;
  }
  return true;
}

bool ReplyWriter::AddMppeKey(uint8_t vendorType, const uint8_t* key, size_t size, const SharedSecret& secret) {
  if (version_ == RadiusVersion::k11) {
    // Vendor-Id, Vendor-Type, Vendor-Length, the key.
    if (6 + size > kMaxAttributeValue) {
      overflow_ = true;
      return false;
    }
    Bytes value{static_cast<uint8_t>(kMicrosoftVendorId >> 24), static_cast<uint8_t>(kMicrosoftVendorId >> 16),
                static_cast<uint8_t>(kMicrosoftVendorId >> 8), static_cast<uint8_t>(kMicrosoftVendorId), vendorType,
                static_cast<uint8_t>(2 + size)};
    value.insert(value.end(), key, key + size);
    bool added = Add(kVendorSpecific, value.data(), value.size());
    SecureZeroContents(value);
    return added;
  }
  // Length byte, key, zero padding to a multiple of 16.
  size_t plainLength = (1 + size + 15) / 16 * 16;
  if (8 + plainLength > kMaxAttributeValue) {
    overflow_ = true;
    return false;
  }
  uint8_t salt[2];
  NewSalt(salt);
  Bytes value(8 + plainLength, 0);
  value[0] = static_cast<uint8_t>(kMicrosoftVendorId >> 24);
  value[1] = static_cast<uint8_t>(kMicrosoftVendorId >> 16);
  value[2] = static_cast<uint8_t>(kMicrosoftVendorId >> 8);
  value[3] = static_cast<uint8_t>(kMicrosoftVendorId);
  value[4] = vendorType;
  value[5] = static_cast<uint8_t>(value.size() - 4);
  value[6] = salt[0];
  value[7] = salt[1];
  uint8_t* hidden = value.data() + 8;
  hidden[0] = static_cast<uint8_t>(size);
  std::memcpy(hidden + 1, key, size);
  SaltCipher(hidden, plainLength, true, secret, requestAuthenticator_, salt);
  bool added = Add(kVendorSpecific, value.data(), value.size());
  SecureZeroContents(value);
  return added;
}

void AddProtocolErrorCause(ReplyWriter* writer, uint8_t requestCode, bool radius11, uint32_t errorCause) {
  const uint8_t cause[4] = {0, 0, static_cast<uint8_t>(errorCause >> 8), static_cast<uint8_t>(errorCause & 0xff)};
  const uint8_t original[5] = {kOriginalPacketCode, 0, 0, 0, requestCode};
  writer->Add(kErrorCause, cause, sizeof(cause));
  if (!radius11) writer->Add(kExtendedType1, original, sizeof(original));
}

bool ReplyWriter::AddTunnelPassword(uint8_t tag, const uint8_t* password, size_t size, const SharedSecret& secret) {
  if (version_ == RadiusVersion::k11) return false;
  // Tag, Salt, then the length byte, the password and zero padding to a multiple of 16.
  const size_t plainLength = (1 + size + 15) / 16 * 16;
  if (3 + plainLength > kMaxAttributeValue) {
    overflow_ = true;
    return false;
  }
  Bytes value(3 + plainLength, 0);
  value[0] = tag;
  NewSalt(value.data() + 1);
  value[3] = static_cast<uint8_t>(size);
  if (size != 0) std::memcpy(value.data() + 4, password, size);
  SaltCipher(value.data() + 3, plainLength, true, secret, requestAuthenticator_, value.data() + 1);
  bool added = Add(kTunnelPassword, value.data(), value.size());
  SecureZeroContents(value);
  return added;
}

void ReplyWriter::NewSalt(uint8_t salt[2]) {
  uint16_t saltValue;
  do {
    RandomBytes(salt, 2);
    salt[0] |= 0x80;
    saltValue = ReadU16(salt);
  } while (std::find(salts_.begin(), salts_.end(), saltValue) != salts_.end());
  salts_.push_back(saltValue);
}

Bytes ReplyWriter::Sign(const SharedSecret& secret) {
  if (overflow_) return {};
  packet_[2] = static_cast<uint8_t>(packet_.size() >> 8);
  packet_[3] = static_cast<uint8_t>(packet_.size());
  if (version_ == RadiusVersion::k11) return std::move(packet_);
  if (messageAuthenticator_) secret.hmac.Sign(packet_.data(), packet_.size(), packet_.data() + kMessageAuthenticatorValue);
  uint8_t response[kMd5Length];
  Md5().Update(packet_.data(), packet_.size()).Update(secret.secret.data(), secret.secret.size()).Final(response);
  std::memcpy(packet_.data() + 4, response, sizeof(response));
  return std::move(packet_);
}

void RandomBytes(uint8_t* out, size_t size) {
  // One pool for the process: every RADIUS role draws per packet. Never destroyed: a RADIUS
  // thread still running while exit() runs the static destructors keeps drawing from it.
  static RandomPool& pool = *new RandomPool;
  if (!pool.Draw(out, size)) throw std::runtime_error("the operating system's random number generator failed");
}

}  // namespace eaphost::radius
