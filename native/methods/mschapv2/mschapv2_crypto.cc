#include "mschapv2_crypto.h"

#include <array>
#include <cstring>
#include <vector>

#include "../../common/secure_zero.h"
#include "../support/method_error.h"
#include "../../common/crypto/digest.h"

namespace eaphost {
namespace mschapv2 {

namespace {
// RFC 2759 §8.7.
const char kMagic1[] = "Magic server to client signing constant";
const char kMagic2[] = "Pad to make it do more than one iteration";
// RFC 3079 §3.4.
const char kMasterMagic[] = "This is the MPPE Master Key";
const char kClientSendMagic[] =
    "On the client side, this is the send key; on the server side, it is the receive key.";
const char kClientReceiveMagic[] =
    "On the client side, this is the receive key; on the server side, it is the send key.";

template <std::size_t N>
ByteSpan Text(const char (&text)[N]) {
  return ByteSpan{reinterpret_cast<const std::uint8_t*>(text), N - 1};
}

void Hash(DigestAlgorithm algorithm, std::initializer_list<ByteSpan> parts, std::uint8_t* out) {
  if (!Digest(algorithm, parts.begin(), parts.size(), out)) {
    throw InternalFailure("compute an MS-CHAPv2 digest");
  }
}

// One UTF-8 sequence starting at text[i]; advances i. Malformed input decodes as U+FFFD.
std::uint32_t NextCodePoint(ByteSpan text, std::size_t* i) {
  const std::uint8_t* s = text.data;
  std::uint8_t lead = s[(*i)++];
  if (lead < 0x80) return lead;
  std::size_t extra = lead >= 0xF0 && lead <= 0xF4 ? 3 : lead >= 0xE0 ? 2 : lead >= 0xC2 ? 1 : 0;
  if (extra == 0 || lead > 0xF4) return 0xFFFD;
  std::uint32_t value = lead & (0x3F >> extra);
  for (std::size_t k = 0; k < extra; ++k) {
    if (*i >= text.size || (s[*i] & 0xC0) != 0x80) return 0xFFFD;
    value = (value << 6) | (s[(*i)++] & 0x3F);
  }
  bool overlong = (extra == 2 && value < 0x800) || (extra == 3 && value < 0x10000);
  if (overlong || value > 0x10FFFF || (value >= 0xD800 && value <= 0xDFFF)) return 0xFFFD;
  return value;
}

void PutUnit(std::vector<std::uint8_t>* out, std::uint32_t unit) {
  out->push_back(static_cast<std::uint8_t>(unit & 0xFF));
  out->push_back(static_cast<std::uint8_t>(unit >> 8));
}

// DesEncrypt of §8.5: seven key bytes spread over eight, one parity bit per byte left for DES
// to ignore.
void DesBlock(const std::uint8_t clear[8], const std::uint8_t key7[7], std::uint8_t out[8]) {
  std::uint8_t key[8];
  key[0] = key7[0];
  for (int i = 1; i < 7; ++i) {
    key[i] = static_cast<std::uint8_t>((key7[i - 1] << (8 - i)) | (key7[i] >> i));
  }
  key[7] = static_cast<std::uint8_t>(key7[6] << 1);
  bool ok = DesEncryptBlock(key, clear, out);
  SecureZero(key, sizeof(key));
  if (!ok) throw InternalFailure("DES-encrypt an MS-CHAPv2 challenge");
}

void ChallengeHash(const std::uint8_t peerChallenge[kChallengeSize],
                   const std::uint8_t authenticatorChallenge[kChallengeSize], ByteSpan userName,
                   std::uint8_t out[8]) {
  std::uint8_t digest[kSha1DigestSize];
  Hash(DigestAlgorithm::kSha1,
       {ByteSpan{peerChallenge, kChallengeSize}, ByteSpan{authenticatorChallenge, kChallengeSize},
        UserNameForHash(userName)},
       digest);
  std::memcpy(out, digest, 8);
}

void StartKey(const std::uint8_t masterKey[kMasterKeySize], ByteSpan magic,
              std::uint8_t out[kSessionKeySize]) {
  std::uint8_t pad1[40];
  std::uint8_t pad2[40];
  std::memset(pad1, 0x00, sizeof(pad1));
  std::memset(pad2, 0xF2, sizeof(pad2));
  std::uint8_t digest[kSha1DigestSize];
  Hash(DigestAlgorithm::kSha1,
       {ByteSpan{masterKey, kMasterKeySize}, ByteSpan{pad1, 40}, magic, ByteSpan{pad2, 40}},
       digest);
  std::memcpy(out, digest, kSessionKeySize);
  SecureZero(digest, sizeof(digest));
}

// SHA1(MD4(PasswordHash) | NT-Response | magic): the first step both of the authenticator
// response (RFC 2759 §8.7, Magic1) and of the master key (RFC 3079 §3.4, GetMasterKey).
void PasswordHashHashDigest(const std::uint8_t passwordHash[kPasswordHashSize],
                            const std::uint8_t ntResponse[kNtResponseSize], ByteSpan magic,
                            std::uint8_t out[kSha1DigestSize]) {
  std::array<std::uint8_t, kMd4DigestSize> hashHash;
  WipeOnExit<std::array<std::uint8_t, kMd4DigestSize>> wipeHashHash(hashHash);
  Hash(DigestAlgorithm::kMd4, {ByteSpan{passwordHash, kPasswordHashSize}}, hashHash.data());
  Hash(DigestAlgorithm::kSha1,
       {ByteSpan{hashHash.data(), hashHash.size()}, ByteSpan{ntResponse, kNtResponseSize}, magic},
       out);
}
}  // namespace

void NtPasswordHash(ByteSpan password, std::uint8_t out[kPasswordHashSize]) {
  std::vector<std::uint8_t> utf16;
  utf16.reserve(password.size * 2 + 2);  // never reallocates: no stale copies of the password
  for (std::size_t i = 0; i < password.size;) {
    std::uint32_t code = NextCodePoint(password, &i);
    if (code >= 0x10000) {
      PutUnit(&utf16, 0xD800 + ((code - 0x10000) >> 10));
      PutUnit(&utf16, 0xDC00 + ((code - 0x10000) & 0x3FF));
    } else {
      PutUnit(&utf16, code);
    }
  }
  try {
    Hash(DigestAlgorithm::kMd4, {ByteSpan{utf16.data(), utf16.size()}}, out);
  } catch (...) {
    SecureZero(utf16.data(), utf16.size());
    throw;
  }
  SecureZero(utf16.data(), utf16.size());
}

ByteSpan UserNameForHash(ByteSpan name) {
  for (std::size_t i = 0; i < name.size; ++i) {
    if (name.data[i] == '\\') return ByteSpan{name.data + i + 1, name.size - i - 1};
  }
  return name;
}

void NtResponse(const std::uint8_t authenticatorChallenge[kChallengeSize],
                const std::uint8_t peerChallenge[kChallengeSize], ByteSpan userName,
                const std::uint8_t passwordHash[kPasswordHashSize],
                std::uint8_t out[kNtResponseSize]) {
  std::uint8_t challenge[8];
  ChallengeHash(peerChallenge, authenticatorChallenge, userName, challenge);
  ChallengeResponse(challenge, passwordHash, out);
}

void ChallengeResponse(const std::uint8_t challenge[8],
                       const std::uint8_t passwordHash[kPasswordHashSize],
                       std::uint8_t out[kNtResponseSize]) {
  std::uint8_t padded[21] = {};
  std::memcpy(padded, passwordHash, kPasswordHashSize);
  DesBlock(challenge, padded, out);
  DesBlock(challenge, padded + 7, out + 8);
  DesBlock(challenge, padded + 14, out + 16);
  SecureZero(padded, sizeof(padded));
}

void AuthenticatorResponse(const std::uint8_t passwordHash[kPasswordHashSize],
                           const std::uint8_t ntResponse[kNtResponseSize],
                           const std::uint8_t peerChallenge[kChallengeSize],
                           const std::uint8_t authenticatorChallenge[kChallengeSize],
                           ByteSpan userName, std::uint8_t out[kAuthenticatorResponseSize]) {
  std::uint8_t digest[kSha1DigestSize];
  PasswordHashHashDigest(passwordHash, ntResponse, Text(kMagic1), digest);
  std::uint8_t challenge[8];
  ChallengeHash(peerChallenge, authenticatorChallenge, userName, challenge);
  Hash(DigestAlgorithm::kSha1,
       {ByteSpan{digest, sizeof(digest)}, ByteSpan{challenge, 8}, Text(kMagic2)}, out);
}

void Msk(const std::uint8_t passwordHash[kPasswordHashSize],
         const std::uint8_t ntResponse[kNtResponseSize], std::uint8_t out[kMskSize]) {
  std::uint8_t digest[kSha1DigestSize];
  PasswordHashHashDigest(passwordHash, ntResponse, Text(kMasterMagic), digest);
  std::uint8_t masterKey[kMasterKeySize];
  std::memcpy(masterKey, digest, kMasterKeySize);
  SecureZero(digest, sizeof(digest));
  StartKey(masterKey, Text(kClientSendMagic), out);
  StartKey(masterKey, Text(kClientReceiveMagic), out + kSessionKeySize);
  SecureZero(masterKey, sizeof(masterKey));
}

}  // namespace mschapv2
}  // namespace eaphost
