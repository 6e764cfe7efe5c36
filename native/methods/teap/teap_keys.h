// TEAP's key hierarchy (RFC 9930 §6): the session key seed exported from the tunnel, one
// S-IMCK / CMK step per inner method (the MSK chain and, when the inner method has one, the EMSK
// chain), the Compound MAC of the Crypto-Binding TLV, and the MSK / EMSK from the last S-IMCK.
// TLS-PRF is P_<hash>(secret, label ‖ seed) of TLS 1.2 with the hash of the tunnel's cipher
// suite (SHA-256, or SHA-384 for the SHA-384 suites), on TLS 1.3 as on 1.2, as hostap and
// FreeRADIUS compute it; the Compound MAC is HMAC with that hash, cut to 20 bytes.
#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

#include "../method.h"
#include "../tls/tls_engine.h"
#include "teap_tlv.h"

namespace eaphost {
namespace teap {

constexpr std::size_t kSimckSize = 40;
constexpr std::size_t kCmkSize = 20;
constexpr std::size_t kImskSize = 32;

// How an inner EAP-MSCHAPv2's 32 key bytes become the IMSK. hostap 2.10 takes them as its
// EAP-MSCHAPv2 MSK orders them (the peer's send key first); Windows and FreeRADIUS take the
// peer's receive key first ([MS-CHAP] §3.1.5.1: MSK = MasterReceiveKey ‖ MasterSendKey).
enum class MsChapV2KeyOrder { kHostap, kWindows };

class KeyChain {
 public:
  // S-IMCK[0] = TLS-Exporter("EXPORTER: teap session key seed", no context, 40).
  explicit KeyChain(tls::TlsEngine& engine);
  ~KeyChain();
  // Copied when a peer tries a key order on a copy first; every copy wipes itself.
  KeyChain(const KeyChain&) = default;
  KeyChain& operator=(const KeyChain&) = default;

  // One inner method completed: IMCK[j] from S-IMCK[j-1] and its keys (empty when it has
  // none: the IMSK is then 32 zero bytes).
  void Step(ByteSpan innerMsk, ByteSpan innerEmsk);
  // Basic-Password-Auth, which has no keys: the CMK from the current S-IMCK and a zero IMSK,
  // the S-IMCK kept (as hostap 2.10 computes it; RFC 7170 left the case open).
  void StepWithoutInnerMethod();
  // The Compound MAC (20 bytes) of `tlv` (an 80-byte Crypto-Binding TLV whose MAC fields are
  // ignored) under the current MSK or EMSK CMK, over BUFFER = TLV ‖ EAP type 55 ‖ the server's
  // Outer TLVs ‖ the peer's.
  void CompoundMac(const std::uint8_t tlv[kCryptoBindingSize], bool emsk, ByteSpan serverOuter,
                   ByteSpan peerOuter, std::uint8_t out[kCompoundMacSize]) const;
  bool emskChain() const { return emskChain_; }
  std::size_t steps() const { return steps_; }
  // MSK and EMSK from the last MSK-chain S-IMCK (§6.4).
  void SessionKeys(MethodKeys* keys) const;

 private:
  void Prf(ByteSpan secret, const char* label, ByteSpan seed, std::uint8_t* out, std::size_t size) const;
  std::size_t hashSize_;
  std::uint8_t simckMsk_[kSimckSize] = {};
  std::uint8_t cmkMsk_[kCmkSize] = {};
  std::uint8_t simckEmsk_[kSimckSize] = {};
  std::uint8_t cmkEmsk_[kCmkSize] = {};
  bool emskChain_ = false;
  std::size_t steps_ = 0;
};

// The keys of a successful TEAP conversation: MSK and EMSK from the chain, the Session-Id and
// whether the tunnel resumed.
void ReleaseKeys(const KeyChain& chain, tls::TlsEngine& engine, MethodKeys* keys);

// The inner EAP-MSCHAPv2 keys reordered for `order` (other inner methods' keys unchanged).
std::vector<std::uint8_t> InnerMskFor(std::uint8_t innerType, ByteSpan msk, MsChapV2KeyOrder order);

// Fills a Crypto-Binding TLV: `nonce` (32 bytes), Flags (kBindingMsk / kBindingBoth), Sub-Type,
// and both Compound MACs.
void BuildCryptoBinding(const KeyChain& chain, const std::uint8_t nonce[kNonceSize], std::uint8_t subType,
                        ByteSpan serverOuter, ByteSpan peerOuter, std::uint8_t out[kCryptoBindingSize]);
// Checks a received Crypto-Binding TLV: versions, Sub-Type, and the MSK Compound MAC (and the
// EMSK one when both sides have an EMSK chain and the TLV carries it).
bool CryptoBindingValid(const KeyChain& chain, const std::uint8_t tlv[kCryptoBindingSize],
                        std::uint8_t subType, ByteSpan serverOuter, ByteSpan peerOuter);

}  // namespace teap
}  // namespace eaphost
