#include "peap_tlv.h"

#include <cstring>

#include "../../common/secure_zero.h"
#include "../../common/crypto/digest.h"
#include "../support/secret_bytes.h"

namespace eaphost {
namespace peap {

namespace {
constexpr std::size_t kSha1Size = kSha1DigestSize;
constexpr std::uint8_t kPeapType = 25;
constexpr std::size_t kMacOffset = 4 + 4 + kNonceSize;

// MS-PEAP §3.1.5.5.2 PRF+ (PEAPv0): T(i) = HMAC-SHA1(key, T(i-1) ‖ label ‖ seed ‖ i ‖ 00 00),
// every block under one key whose pads are hashed once (HmacKey).
bool PrfPlus(const std::uint8_t* key, std::size_t keySize, const char* label, ByteSpan seed,
             std::uint8_t* out, std::size_t size) {
  const HmacKey keyed(DigestAlgorithm::kSha1, ByteSpan{key, keySize});
  std::uint8_t block[kSha1Size];
  std::size_t blockSize = 0;
  const ByteSpan labelBytes{reinterpret_cast<const std::uint8_t*>(label), std::strlen(label)};
  bool ok = true;
  for (std::uint8_t counter = 1; size != 0 && ok; ++counter) {
    const std::uint8_t trailer[3] = {counter, 0, 0};
    const ByteSpan parts[] = {{block, blockSize}, labelBytes, seed, {trailer, sizeof(trailer)}};
    std::uint8_t next[kSha1Size];
    ok = keyed.Sign(parts, sizeof(parts) / sizeof(parts[0]), next);
    std::memcpy(block, next, kSha1Size);
    SecureZero(next, sizeof(next));
    blockSize = kSha1Size;
    std::size_t take = size < kSha1Size ? size : kSha1Size;
    std::memcpy(out, block, take);
    out += take;
    size -= take;
  }
  SecureZero(block, sizeof(block));
  return ok;
}

bool Mac(const std::uint8_t tlv[kCryptobindingSize], const std::uint8_t cmk[kCmkSize],
         std::uint8_t out[kSha1Size]) {
  // The TLV with its Compound MAC field zeroed, then the EAP type.
  static const std::uint8_t kZeroMac[kSha1Size] = {};
  const std::uint8_t type = kPeapType;
  const ByteSpan parts[] = {{tlv, kMacOffset}, {kZeroMac, kSha1Size},
                            {tlv + kMacOffset + kSha1Size, kCryptobindingSize - kMacOffset - kSha1Size},
                            {&type, 1}};
  return Hmac(DigestAlgorithm::kSha1, ByteSpan{cmk, kCmkSize}, parts, sizeof(parts) / sizeof(parts[0]), out);
}
}  // namespace

bool ParseTlvs(ByteSpan tlvs, TlvSet* out) {
  std::size_t at = 0;
  while (at < tlvs.size) {
    if (tlvs.size - at < 4) return false;
    bool mandatory = (tlvs.data[at] & 0x80) != 0;
    std::uint16_t type = static_cast<std::uint16_t>((tlvs.data[at] & 0x3F) << 8 | tlvs.data[at + 1]);
    std::size_t length = static_cast<std::size_t>(tlvs.data[at + 2] << 8 | tlvs.data[at + 3]);
    if (length > tlvs.size - at - 4) return false;
    const std::uint8_t* value = tlvs.data + at + 4;
    if (type == kTlvResult) {
      if (length < 2) return false;
      out->hasResult = true;
      out->result = static_cast<std::uint16_t>(value[0] << 8 | value[1]);
    } else if (type == kTlvCryptobinding) {
      if (length + 4 != kCryptobindingSize) return false;
      out->hasCryptobinding = true;
      std::memcpy(out->cryptobinding, tlvs.data + at, kCryptobindingSize);
    } else if (mandatory && !out->unknownMandatory) {
      out->unknownMandatory = true;
      out->unknownType = type;
    }
    at += 4 + length;
  }
  return true;
}

void PutResultTlv(std::vector<std::uint8_t>* out, std::uint16_t status) {
  const std::uint8_t tlv[6] = {0x80, kTlvResult, 0, 2, static_cast<std::uint8_t>(status >> 8),
                               static_cast<std::uint8_t>(status)};
  out->insert(out->end(), tlv, tlv + sizeof(tlv));
}

bool PutCryptobindingTlv(std::vector<std::uint8_t>* out, const std::uint8_t nonce[kNonceSize],
                         std::uint8_t subType, const std::uint8_t cmk[kCmkSize]) {
  std::uint8_t tlv[kCryptobindingSize] = {0, kTlvCryptobinding, 0, 56, 0, 0, 0, subType};
  std::memcpy(tlv + 8, nonce, kNonceSize);
  if (!Mac(tlv, cmk, tlv + kMacOffset)) return false;
  out->insert(out->end(), tlv, tlv + sizeof(tlv));
  return true;
}

bool CryptobindingValid(const std::uint8_t tlv[kCryptobindingSize], std::uint8_t subType,
                        const std::uint8_t cmk[kCmkSize]) {
  if (tlv[5] != 0 || tlv[7] != subType) return false;  // version 0
  std::uint8_t mac[kSha1Size];
  bool ok = Mac(tlv, cmk, mac) && ConstantTimeEqual(mac, tlv + kMacOffset, kSha1Size);
  SecureZero(mac, sizeof(mac));
  return ok;
}

bool CompoundKeys(const std::uint8_t tk[kTunnelKeySize], ByteSpan innerMsk,
                  std::uint8_t ipmk[kIpmkSize], std::uint8_t cmk[kCmkSize]) {
  std::uint8_t isk[kInnerKeySize] = {};
  if (innerMsk.size != 0) {
    std::memcpy(isk, innerMsk.data, innerMsk.size < kInnerKeySize ? innerMsk.size : kInnerKeySize);
  }
  std::uint8_t imck[kIpmkSize + kCmkSize];
  bool ok = PrfPlus(tk, 40, "Inner Methods Compound Keys", ByteSpan{isk, sizeof(isk)}, imck,
                    sizeof(imck));
  std::memcpy(ipmk, imck, kIpmkSize);
  std::memcpy(cmk, imck + kIpmkSize, kCmkSize);
  SecureZero(isk, sizeof(isk));
  SecureZero(imck, sizeof(imck));
  return ok;
}

bool CompoundSessionKey(const std::uint8_t ipmk[kIpmkSize], std::uint8_t* out, std::size_t size) {
  const std::uint8_t seed[1] = {0};
  return PrfPlus(ipmk, kIpmkSize, "Session Key Generating Function", ByteSpan{seed, 1}, out, size);
}

}  // namespace peap
}  // namespace eaphost
