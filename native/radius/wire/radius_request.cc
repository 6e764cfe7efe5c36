// The client's half of radius_packet.h: requests written and signed, replies checked against the
// request they answer, MPPE keys revealed. Every length of a reply is checked by ReadRequest
// before anything here reads it.
#include <algorithm>
#include <cstring>

#include "../../common/secure_zero.h"
#include "radius_packet.h"

namespace eaphost::radius {

namespace {

const uint8_t kZero[kMd5Length] = {};

}  // namespace

bool ComputedAuthenticator(uint8_t code) {
  return code == kAccountingRequest || code == kDisconnectRequest || code == kCoaRequest;
}

RequestWriter::RequestWriter(uint8_t code, uint8_t identifier, bool messageAuthenticator)
    : computed_(ComputedAuthenticator(code)), messageAuthenticator_(messageAuthenticator) {
  packet_.reserve(256);
  packet_.assign(kHeaderLength, 0);
  packet_[0] = code;
  packet_[1] = identifier;
  // RFC 2865 §3 wants the Request Authenticator unpredictable.
  if (!computed_) RandomBytes(packet_.data() + 4, kAuthenticatorLength);
  if (messageAuthenticator_) Add(kMessageAuthenticator, kZero, sizeof(kZero));
}

RequestWriter::RequestWriter(uint8_t code, uint32_t token) : computed_(false), messageAuthenticator_(false), radius11_(true) {
  packet_.reserve(256);
  packet_.assign(kHeaderLength, 0);
  packet_[0] = code;
  for (size_t i = 0; i < kTokenLength; ++i) packet_[4 + i] = static_cast<uint8_t>(token >> (24 - 8 * i));
}

RequestWriter::~RequestWriter() { SecureZeroContents(packet_); }

bool RequestWriter::Add(uint8_t type, const uint8_t* value, size_t size) {
  return AppendAttribute(packet_, overflow_, type, value, size);
}

bool RequestWriter::AddEapMessage(const uint8_t* eap, size_t size) {
  for (size_t offset = 0; offset < size; offset += kMaxAttributeValue) {
    if (!Add(kEapMessage, eap + offset, std::min(kMaxAttributeValue, size - offset))) return false;
  }
  return true;
}

bool RequestWriter::AddUserPassword(const uint8_t* password, size_t size, const SharedSecret& secret) {
  if (computed_ || size > kMaxUserPassword || (radius11_ && size == 0)) {
    overflow_ = true;
    return false;
  }
  if (radius11_) return Add(kUserPassword, password, size);
  uint8_t hidden[kMaxUserPassword] = {};
  size_t blocks = std::max<size_t>(1, (size + 15) / 16);
  std::memcpy(hidden, password, size);
  // c(1) = p(1) xor MD5(secret + Request Authenticator), c(i) = p(i) xor MD5(secret + c(i-1)).
  const uint8_t* previous = packet_.data() + 4;
  for (size_t block = 0; block < blocks; ++block) {
    uint8_t pad[kMd5Length];
    Md5().Update(secret.secret.data(), secret.secret.size()).Update(previous, 16).Final(pad);
    for (size_t i = 0; i < 16; ++i) hidden[block * 16 + i] = static_cast<uint8_t>(hidden[block * 16 + i] ^ pad[i]);
    SecureZero(pad, sizeof(pad));
    previous = hidden + block * 16;
  }
  bool added = Add(kUserPassword, hidden, blocks * 16);
  SecureZero(hidden, sizeof(hidden));
  return added;
}

Bytes RequestWriter::Sign(const SharedSecret& secret, uint8_t authenticator[kAuthenticatorLength]) {
  if (overflow_) return {};
  packet_[2] = static_cast<uint8_t>(packet_.size() >> 8);
  packet_[3] = static_cast<uint8_t>(packet_.size());
  if (radius11_) {
    std::memcpy(authenticator, packet_.data() + 4, kAuthenticatorLength);
    Bytes out;
    out.swap(packet_);
    return out;
  }
  // RFC 5176 §3.3: the HMAC is taken while a computed authenticator is still zero.
  if (messageAuthenticator_) secret.hmac.Sign(packet_.data(), packet_.size(), packet_.data() + kMessageAuthenticatorValue);
  if (computed_) {
    Md5().Update(packet_.data(), packet_.size()).Update(secret.secret.data(), secret.secret.size()).Final(packet_.data() + 4);
  }
  std::memcpy(authenticator, packet_.data() + 4, kAuthenticatorLength);
  Bytes out;
  out.swap(packet_);
  return out;
}

bool ResponseAuthenticatorValid(const RequestView& reply, const uint8_t* requestAuthenticator, const SharedSecret& secret) {
  if (secret.radius11()) return SameBytes(reply.authenticator(), requestAuthenticator, kTokenLength);
  uint8_t expected[kMd5Length];
  Md5()
      .Update(reply.data, 4)
      .Update(requestAuthenticator, kAuthenticatorLength)
      .Update(reply.data + kHeaderLength, reply.length - kHeaderLength)
      .Update(secret.secret.data(), secret.secret.size())
      .Final(expected);
  return SameBytes(expected, reply.authenticator(), kMd5Length);
}

ReplyCheck CheckReply(const RequestView& reply, const uint8_t* requestAuthenticator, const SharedSecret& secret,
                      bool requireMessageAuthenticator) {
  if (!ResponseAuthenticatorValid(reply, requestAuthenticator, secret)) return ReplyCheck::kBadResponseAuthenticator;
  if (secret.radius11()) return ReplyCheck::kValid;
  const AttributeView* found = nullptr;
  bool second = false;
  for (const AttributeView& attribute : reply.attributes) {
    if (attribute.type != kMessageAuthenticator) continue;
    if (found != nullptr) second = true;
    found = found == nullptr ? &attribute : found;
  }
  if (found == nullptr) {
    return requireMessageAuthenticator || reply.Has(kEapMessage) ? ReplyCheck::kMessageAuthenticatorMissing
                                                                 : ReplyCheck::kValid;
  }
  if (second || found->length != kMd5Length) return ReplyCheck::kMessageAuthenticatorInvalid;
  uint8_t computed[kMd5Length];
  const size_t after = found->offset + kMd5Length;
  secret.hmac.Sign({{reply.data, 4},
                    {requestAuthenticator, kAuthenticatorLength},
                    {reply.data + kHeaderLength, found->offset - kHeaderLength},
                    {kZero, kMd5Length},
                    {reply.data + after, reply.length - after}},
                   computed);
  return SameBytes(computed, reply.value(*found), kMd5Length) ? ReplyCheck::kValid
                                                               : ReplyCheck::kMessageAuthenticatorInvalid;
}

bool IsMppeKey(const uint8_t* value, size_t size) {
  if (size < 6) return false;
  uint32_t vendor = ReadU32(value);
  return vendor == kMicrosoftVendorId && (value[4] == kMsMppeSendKey || value[4] == kMsMppeRecvKey) && value[5] == size - 4;
}

bool RevealMppeKey(const uint8_t* value, size_t size, const SharedSecret& secret, const uint8_t* requestAuthenticator,
                   Bytes* clear) {
  if (secret.radius11()) {
    // Sent as a plain string (RFC 9765 §5.1.4): put in the clear layout, its salt zero.
    if (!IsMppeKey(value, size) || size < 7) return false;
    clear->assign(value, value + 6);
    (*clear)[5] = static_cast<uint8_t>(9 + (size - 6) - 4);
    clear->insert(clear->end(), {0, 0, static_cast<uint8_t>(size - 6)});
    clear->insert(clear->end(), value + 6, value + size);
    return true;
  }
  if (!IsMppeKey(value, size) || size < 8 + 16) return false;
  const uint8_t* salt = value + 6;
  const uint8_t* hidden = value + 8;
  size_t hiddenLength = size - 8;
  if ((salt[0] & 0x80) == 0 || hiddenLength % 16 != 0) return false;
  Bytes plain(hidden, hidden + hiddenLength);
  SaltCipher(plain.data(), plain.size(), false, secret, requestAuthenticator, salt);
  size_t keyLength = plain[0];
  bool fits = keyLength != 0 && keyLength <= plain.size() - 1;
  if (fits) {
    clear->assign(value, value + 8);
    (*clear)[5] = static_cast<uint8_t>(9 + keyLength - 4);
    clear->insert(clear->end(), plain.begin(), plain.begin() + 1 + static_cast<ptrdiff_t>(keyLength));
  }
  SecureZeroContents(plain);
  return fits;
}

bool RevealTunnelPassword(const uint8_t* value, size_t size, const SharedSecret& secret,
                          const uint8_t* requestAuthenticator, Bytes* clear) {
  // Tag, Salt, then at least one block.
  if (secret.radius11() || size < 3 + 16 || (size - 3) % 16 != 0 || (value[1] & 0x80) == 0) return false;
  Bytes plain(value + 3, value + size);
  SaltCipher(plain.data(), plain.size(), false, secret, requestAuthenticator, value + 1);
  const size_t length = plain[0];
  const bool fits = length <= plain.size() - 1;
  if (fits) {
    clear->assign(1, value[0]);
    clear->insert(clear->end(), plain.begin() + 1, plain.begin() + 1 + static_cast<ptrdiff_t>(length));
  }
  SecureZeroContents(plain);
  return fits;
}

void SaltCipher(uint8_t* data, size_t size, bool hide, const SharedSecret& secret, const uint8_t* requestAuthenticator,
                const uint8_t* salt) {
  uint8_t previous[16] = {};
  for (size_t offset = 0; offset + 16 <= size; offset += 16) {
    uint8_t b[kMd5Length];
    Md5 hash;
    hash.Update(secret.secret.data(), secret.secret.size());
    if (offset == 0) {
      hash.Update(requestAuthenticator, kAuthenticatorLength).Update(salt, 2);
    } else {
      hash.Update(previous, sizeof(previous));
    }
    hash.Final(b);
    if (!hide) std::memcpy(previous, data + offset, sizeof(previous));
    for (size_t i = 0; i < 16; ++i) data[offset + i] = static_cast<uint8_t>(data[offset + i] ^ b[i]);
    if (hide) std::memcpy(previous, data + offset, sizeof(previous));
    SecureZero(b, sizeof(b));
  }
  SecureZero(previous, sizeof(previous));
}

}  // namespace eaphost::radius
