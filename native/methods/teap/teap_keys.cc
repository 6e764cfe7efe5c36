#include "teap_keys.h"

#include <cstring>

#include "../../common/secure_zero.h"
#include "../../common/crypto/digest.h"
#include "../support/method_error.h"
#include "../support/method_identity.h"
#include "../tls/tls_keys.h"

namespace eaphost {
namespace teap {

namespace {
constexpr const char* kSeedLabel = "EXPORTER: teap session key seed";
constexpr std::size_t kMaxHash = kSha384DigestSize;

DigestAlgorithm HashOf(std::size_t size) {
  return size == kSha384DigestSize ? DigestAlgorithm::kSha384 : DigestAlgorithm::kSha256;
}
}  // namespace

KeyChain::KeyChain(tls::TlsEngine& engine) : hashSize_(engine.PrfHashSize()) {
  engine.Export(kSeedLabel, ByteSpan{nullptr, 0}, simckMsk_, kSimckSize);
  std::memcpy(simckEmsk_, simckMsk_, kSimckSize);
}

KeyChain::~KeyChain() {
  SecureZero(simckMsk_, sizeof(simckMsk_));
  SecureZero(cmkMsk_, sizeof(cmkMsk_));
  SecureZero(simckEmsk_, sizeof(simckEmsk_));
  SecureZero(cmkEmsk_, sizeof(cmkEmsk_));
}

// P_hash (RFC 5246 §5): A(i) = HMAC(secret, A(i-1)), output HMAC(secret, A(i) ‖ label ‖ seed).
// Every HMAC of one derivation is under the same secret: its pads are hashed once (HmacKey).
void KeyChain::Prf(ByteSpan secret, const char* label, ByteSpan seed, std::uint8_t* out,
                   std::size_t size) const {
  const HmacKey key(HashOf(hashSize_), secret);
  const ByteSpan labelBytes{reinterpret_cast<const std::uint8_t*>(label), std::strlen(label)};
  std::uint8_t a[kMaxHash];
  std::uint8_t block[kMaxHash];
  const ByteSpan first[] = {labelBytes, seed};
  bool ok = key.Sign(first, 2, a);
  while (ok && size != 0) {
    const ByteSpan parts[] = {{a, hashSize_}, labelBytes, seed};
    ok = key.Sign(parts, 3, block);
    const std::size_t take = size < hashSize_ ? size : hashSize_;
    std::memcpy(out, block, take);
    out += take;
    size -= take;
    const ByteSpan next[] = {{a, hashSize_}};
    if (ok && size != 0) ok = key.Sign(next, 1, a);
  }
  SecureZero(a, sizeof(a));
  SecureZero(block, sizeof(block));
  if (!ok) throw InternalFailure("TEAP key derivation failed");
}

void KeyChain::Step(ByteSpan innerMsk, ByteSpan innerEmsk) {
  std::uint8_t imsk[kImskSize] = {};
  std::uint8_t imck[kSimckSize + kCmkSize];
  if (innerMsk.size != 0) std::memcpy(imsk, innerMsk.data, innerMsk.size < kImskSize ? innerMsk.size : kImskSize);
  Prf(ByteSpan{simckMsk_, kSimckSize}, "Inner Methods Compound Keys", ByteSpan{imsk, kImskSize}, imck, sizeof(imck));
  std::memcpy(simckMsk_, imck, kSimckSize);
  std::memcpy(cmkMsk_, imck + kSimckSize, kCmkSize);
  if (innerEmsk.size != 0) {
    // IMSK = the first 32 bytes of TLS-PRF(EMSK, "TEAPbindkey@ietf.org", 0x00 ‖ 0x0040, 64).
    static const std::uint8_t kUsrkSeed[3] = {0x00, 0x00, 0x40};
    std::uint8_t usrk[64];
    Prf(innerEmsk, "TEAPbindkey@ietf.org", ByteSpan{kUsrkSeed, 3}, usrk, sizeof(usrk));
    std::memcpy(imsk, usrk, kImskSize);
    SecureZero(usrk, sizeof(usrk));
    Prf(ByteSpan{simckEmsk_, kSimckSize}, "Inner Methods Compound Keys", ByteSpan{imsk, kImskSize}, imck,
        sizeof(imck));
    std::memcpy(simckEmsk_, imck, kSimckSize);
    std::memcpy(cmkEmsk_, imck + kSimckSize, kCmkSize);
    emskChain_ = true;
  } else {
    emskChain_ = false;
  }
  ++steps_;
  SecureZero(imsk, sizeof(imsk));
  SecureZero(imck, sizeof(imck));
}

void KeyChain::StepWithoutInnerMethod() {
  const std::uint8_t imsk[kImskSize] = {};
  std::uint8_t imck[kSimckSize + kCmkSize];
  Prf(ByteSpan{simckMsk_, kSimckSize}, "Inner Methods Compound Keys", ByteSpan{imsk, kImskSize}, imck, sizeof(imck));
  std::memcpy(cmkMsk_, imck + kSimckSize, kCmkSize);
  SecureZero(imck, sizeof(imck));
  emskChain_ = false;
  ++steps_;
}

void KeyChain::CompoundMac(const std::uint8_t tlv[kCryptoBindingSize], bool emsk, ByteSpan serverOuter,
                           ByteSpan peerOuter, std::uint8_t out[kCompoundMacSize]) const {
  std::uint8_t zeroed[kCryptoBindingSize];
  std::memcpy(zeroed, tlv, kCryptoBindingSize);
  static const std::uint8_t kNoMacs[2 * kCompoundMacSize] = {};
  std::memcpy(zeroed + kEmskMacOffset, kNoMacs, sizeof(kNoMacs));
  const std::uint8_t type = kEapTypeTeap;
  const ByteSpan parts[] = {{zeroed, kCryptoBindingSize}, {&type, 1}, serverOuter, peerOuter};
  std::uint8_t mac[kMaxHash];
  const std::uint8_t* cmk = emsk ? cmkEmsk_ : cmkMsk_;
  bool ok = Hmac(HashOf(hashSize_), ByteSpan{cmk, kCmkSize}, parts, 4, mac);
  std::memcpy(out, mac, kCompoundMacSize);
  SecureZero(mac, sizeof(mac));
  if (!ok) throw InternalFailure("TEAP Compound MAC failed");
}

void KeyChain::SessionKeys(MethodKeys* keys) const {
  std::uint8_t key[64];
  Prf(ByteSpan{simckMsk_, kSimckSize}, "Session Key Generating Function", ByteSpan{nullptr, 0}, key, sizeof(key));
  keys->msk.Assign(key, sizeof(key));
  Prf(ByteSpan{simckMsk_, kSimckSize}, "Extended Session Key Generating Function", ByteSpan{nullptr, 0}, key,
      sizeof(key));
  keys->emsk.Assign(key, sizeof(key));
  SecureZero(key, sizeof(key));
}

void ReleaseKeys(const KeyChain& chain, tls::TlsEngine& engine, MethodKeys* keys) {
  chain.SessionKeys(keys);
  keys->sessionId = tls::SessionId(engine, kEapTypeTeap);
  keys->saysResumed = true;
  keys->resumed = engine.resumed();
}

std::vector<std::uint8_t> InnerMskFor(std::uint8_t innerType, ByteSpan msk, MsChapV2KeyOrder order) {
  std::vector<std::uint8_t> out(msk.data, msk.data + msk.size);
  constexpr std::uint8_t kMsChapV2 = 26;
  if (innerType == kMsChapV2 && order == MsChapV2KeyOrder::kWindows && out.size() >= 32) {
    for (std::size_t i = 0; i < 16; ++i) std::swap(out[i], out[16 + i]);
  }
  return out;
}

void BuildCryptoBinding(const KeyChain& chain, const std::uint8_t nonce[kNonceSize], std::uint8_t subType,
                        ByteSpan serverOuter, ByteSpan peerOuter, std::uint8_t out[kCryptoBindingSize]) {
  std::uint8_t fresh[kCryptoBindingSize] = {};
  std::memcpy(out, fresh, kCryptoBindingSize);
  out[0] = static_cast<std::uint8_t>((kTlvMandatory | kTlvCryptoBinding) >> 8);
  out[1] = static_cast<std::uint8_t>(kTlvCryptoBinding);
  out[3] = static_cast<std::uint8_t>(kCryptoBindingSize - 4);
  out[5] = kVersion;
  out[6] = kVersion;
  const std::uint8_t flags = chain.emskChain() ? kBindingBoth : kBindingMsk;
  out[7] = static_cast<std::uint8_t>(flags << 4 | subType);
  std::memcpy(out + kNonceOffset, nonce, kNonceSize);
  if (chain.emskChain()) chain.CompoundMac(out, true, serverOuter, peerOuter, out + kEmskMacOffset);
  chain.CompoundMac(out, false, serverOuter, peerOuter, out + kMskMacOffset);
}

bool CryptoBindingValid(const KeyChain& chain, const std::uint8_t tlv[kCryptoBindingSize],
                        std::uint8_t subType, ByteSpan serverOuter, ByteSpan peerOuter) {
  const std::uint8_t flags = static_cast<std::uint8_t>(tlv[7] >> 4);
  if (tlv[5] != kVersion || tlv[6] != kVersion || (tlv[7] & 0x0F) != subType) return false;
  if (flags != kBindingMsk && flags != kBindingBoth && flags != kBindingEmsk) return false;
  std::uint8_t mac[kCompoundMacSize];
  bool ok = true;
  if (flags == kBindingEmsk && !chain.emskChain()) ok = false;
  if (ok && flags != kBindingEmsk) {
    chain.CompoundMac(tlv, false, serverOuter, peerOuter, mac);
    ok = ConstantTimeEqual(mac, tlv + kMskMacOffset, kCompoundMacSize);
  }
  if (ok && flags != kBindingMsk && chain.emskChain()) {
    chain.CompoundMac(tlv, true, serverOuter, peerOuter, mac);
    ok = ConstantTimeEqual(mac, tlv + kEmskMacOffset, kCompoundMacSize);
  }
  SecureZero(mac, sizeof(mac));
  return ok;
}

}  // namespace teap
}  // namespace eaphost
