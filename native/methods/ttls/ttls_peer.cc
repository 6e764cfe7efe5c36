// The EAP-TTLS peer: once the tunnel is up it sends its phase-2 AVPs (PAP: User-Name and
// User-Password; MS-CHAPv2: User-Name, MS-CHAP-Challenge from the TLS keys and
// MS-CHAP2-Response), and for MS-CHAPv2 accepts success only when the server's MS-CHAP2-Success
// proves it knows the password.
#include <cstring>

#include "../../common/secure_zero.h"
#include "../crypto/random.h"
#include "../mschapv2/mschapv2_crypto.h"
#include "../tls/tls_flow.h"
#include "../tls/tls_keys.h"
#include "ttls_avp.h"
#include "ttls_method.h"

namespace eaphost {
namespace ttls {

namespace {
constexpr tls::TlsMethodInfo kInfo{kEapTypeTtls, "EAP-TTLS"};
constexpr std::size_t kMsChapChallengeSize = 17;  // 16-byte challenge, then the Ident

class TtlsPeer final : public tls::TlsPeerFlow {
 public:
  TtlsPeer(const PeerContext& context, const tls::TlsConfig& config)
      : TlsPeerFlow(context, config, kInfo, false), credentials_(context.credentials),
        phase2_(config.phase2) {}

  ~TtlsPeer() override {
    SecureZero(passwordHash_, sizeof(passwordHash_));
    SecureZero(ntResponse_, sizeof(ntResponse_));
  }

  void Conclude(bool hostSuccess, PeerVerdict* verdict) override {
    bool complete = sent_ && (phase2_ != tls::Phase2::kMsChapV2 || serverProved_);
    if (hostSuccess && complete) {
      tls::DeriveMethodKeys(engine(), kEapTypeTtls, kKeyLabel, &verdict->keys);
      verdict->success = true;
      return;
    }
    verdict->hasError = true;
    verdict->failureReason = hostSuccess ? eap::EAP_E_AUTHENTICATION_FAILED
                                         : eap::EAP_E_USER_CREDENTIALS_REJECTED;
    verdict->error = MethodFailure{
        verdict->failureReason, verdict->failureReason,
        hostSuccess ? "The EAP-TTLS server sent EAP-Success before phase 2 proved it knows the "
                      "password"
                    : "The EAP-TTLS server rejected the phase-2 credentials",
        hostSuccess ? std::string() : "Check the user name and password"};
  }

 protected:
  void OnEstablished() override {
    std::vector<std::uint8_t> avps;
    const std::string& identity = credentials_->identity;
    PutAvp(&avps, kAvpUserName, 0, ByteSpan{reinterpret_cast<const std::uint8_t*>(identity.data()), identity.size()});
    const SecretBytes& password = credentials_->password;
    if (phase2_ == tls::Phase2::kPap) {
      // RFC 5281 §11.2.5: padded with NULs to a multiple of 16 octets.
      std::vector<std::uint8_t> padded(password.data(), password.data() + password.size());
      padded.resize(padded.empty() ? 16 : (padded.size() + 15) / 16 * 16, 0);
      PutAvp(&avps, kAvpUserPassword, 0, ByteSpan{padded.data(), padded.size()});
      SecureZero(padded.data(), padded.size());
    } else {
      std::uint8_t challenge[kMsChapChallengeSize];
      engine().Export(kChallengeLabel, ByteSpan{}, challenge, sizeof(challenge));
      std::memcpy(authChallenge_, challenge, 16);
      ident_ = challenge[16];
      if (!FillRandom(peerChallenge_, sizeof(peerChallenge_))) throw InternalFailure("no random bytes");
      mschapv2::NtPasswordHash(password.span(), passwordHash_);
      ByteSpan name = mschapv2::UserNameForHash(
          ByteSpan{reinterpret_cast<const std::uint8_t*>(identity.data()), identity.size()});
      mschapv2::NtResponse(authChallenge_, peerChallenge_, name, passwordHash_, ntResponse_);
      std::uint8_t response[50] = {ident_, 0};
      std::memcpy(response + 2, peerChallenge_, 16);
      std::memcpy(response + 26, ntResponse_, 24);
      PutAvp(&avps, kAvpMsChapChallenge, kVendorMicrosoft, ByteSpan{challenge, 16});
      PutAvp(&avps, kAvpMsChap2Response, kVendorMicrosoft, ByteSpan{response, sizeof(response)});
      userName_.assign(name.data, name.data + name.size);
    }
    SendInTunnel(ByteSpan{avps.data(), avps.size()});
    SecureZero(avps.data(), avps.size());
    sent_ = true;
  }

  void OnTunnelData(std::vector<std::uint8_t>* plain) override {
    std::vector<Avp> avps;
    if (!ParseAvps(ByteSpan{plain->data(), plain->size()}, &avps)) {
      throw InvalidPacket("The EAP-TTLS server sent malformed AVPs");
    }
    const Avp* success = FindAvp(avps, kAvpMsChap2Success, kVendorMicrosoft);
    if (phase2_ != tls::Phase2::kMsChapV2 || success == nullptr) {
      throw InvalidPacket("The EAP-TTLS server sent AVPs this phase 2 does not expect");
    }
    // Ident, then "S=" and 40 hex digits.
    std::uint8_t expected[mschapv2::kAuthenticatorResponseSize];
    mschapv2::AuthenticatorResponse(passwordHash_, ntResponse_, peerChallenge_, authChallenge_,
                                    ByteSpan{userName_.data(), userName_.size()}, expected);
    static const char kHex[] = "0123456789ABCDEF";
    std::string text = "S=";
    for (std::uint8_t byte : expected) {
      text += kHex[byte >> 4];
      text += kHex[byte & 15];
    }
    bool ok = success->data.size >= 1 + text.size() && success->data.data[0] == ident_;
    for (std::size_t i = 0; ok && i < text.size(); ++i) {
      char got = static_cast<char>(success->data.data[1 + i]);
      if (got >= 'a' && got <= 'f') got = static_cast<char>(got - 'a' + 'A');
      ok = got == text[i];
    }
    if (!ok) {
      throw MethodFailure{eap::kErrorInvalidData, eap::EAP_E_AUTHENTICATION_FAILED,
                          "The EAP-TTLS server's MS-CHAP2-Success does not prove it knows the "
                          "password",
                          std::string()};
    }
    serverProved_ = true;  // answered with an empty acknowledgement
  }

 private:
  const PeerCredentials* credentials_;
  const tls::Phase2 phase2_;
  bool sent_ = false;
  bool serverProved_ = false;
  std::uint8_t ident_ = 0;
  std::uint8_t authChallenge_[16] = {};
  std::uint8_t peerChallenge_[16] = {};
  std::uint8_t passwordHash_[mschapv2::kPasswordHashSize] = {};
  std::uint8_t ntResponse_[mschapv2::kNtResponseSize] = {};
  std::vector<std::uint8_t> userName_;
};
}  // namespace

std::unique_ptr<PeerMethod> MakePeer(const PeerContext& context) {
  tls::TlsConfig config;
  tls::ParseTlsConfig(context.connectionData, &config);
  if (config.phase2 != tls::Phase2::kPap && config.phase2 != tls::Phase2::kMsChapV2) {
    throw MethodFailure{eap::kErrorNotSupported, 0,
                        "This EAP-TTLS peer speaks phase 2 PAP (1) and MS-CHAPv2 (4); "
                        "phase 2 " + Decimal(static_cast<std::uint8_t>(config.phase2)) +
                            " is not implemented",
                        "Choose phase2 pap or mschapv2"};
  }
  return std::unique_ptr<PeerMethod>(new TtlsPeer(context, config));
}

const MethodDescriptor kDescriptor = {kEapTypeTtls, "EAP-TTLS", true, MakePeer, MakeAuthenticator,
                                      tls::OuterIdentity};

}  // namespace ttls
}  // namespace eaphost
