// The EAP-TTLS peer: once the tunnel is up it sends its phase-2 AVPs — PAP (User-Name,
// User-Password), CHAP and MS-CHAP (User-Name and the answer to the challenge both sides derive
// from the tunnel), MS-CHAPv2 (User-Name, MS-CHAP-Challenge, MS-CHAP2-Response), or inner EAP
// (EAP-Message AVPs, opening with EAP-Response/Identity) — and accepts success only when the
// server proved what the phase 2 lets it prove: MS-CHAP2-Success for MS-CHAPv2, the inner
// method's own verdict for inner EAP.
#include <cstring>

#include "../../common/secure_zero.h"
#include "../../common/crypto/random.h"
#include "../mschapv2/mschapv2_crypto.h"
#include "../tls/tls_flow.h"
#include "../tls/tls_keys.h"
#include "ttls_avp.h"
#include "ttls_chap.h"
#include "ttls_inner_eap.h"
#include "ttls_method.h"

namespace eaphost {
namespace ttls {

namespace {
constexpr std::size_t kMsChap2ChallengeSize = 17;  // 16-byte challenge, then the Ident

class TtlsPeer final : public tls::TlsPeerFlow {
 public:
  TtlsPeer(const PeerContext& context, const tls::TlsConfig& config)
      : TlsPeerFlow(context, config, kInfo, false), credentials_(context.credentials),
        phase2_(config.phase2) {
    if (phase2_ == tls::Phase2::kEap) inner_.reset(new InnerEapPeer(credentials_, config.innerMethod));
  }

  ~TtlsPeer() override {
    SecureZero(passwordHash_, sizeof(passwordHash_));
    SecureZero(ntResponse_, sizeof(ntResponse_));
  }

  void Conclude(bool hostSuccess, PeerVerdict* verdict) override {
    PeerVerdict innerVerdict;
    if (inner_) inner_->Conclude(hostSuccess, &innerVerdict);
    bool complete = sent_ && !rejected_ && (phase2_ != tls::Phase2::kMsChapV2 || serverProved_) &&
                    (phase2_ != tls::Phase2::kEap || innerVerdict.success);
    if (hostSuccess && complete) {
      tls::DeriveMethodKeys(engine(), kEapTypeTtls, kKeyLabel, &verdict->keys);
      verdict->success = true;
      return;
    }
    if (HandshakeRefused(hostSuccess, verdict)) return;
    verdict->hasError = true;
    if (innerVerdict.hasError) {  // the inner method knows why (E=691, …)
      verdict->failureReason = innerVerdict.failureReason;
      verdict->error = innerVerdict.error;
      return;
    }
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
    const SecretBytes& password = credentials_->password;
    if (phase2_ == tls::Phase2::kEap) {
      // The inner identity goes in EAP-Response/Identity only; the server takes User-Name from it.
      PutEapMessage(&avps, inner_->IdentityResponse());
      SendInTunnel(ByteSpan{avps.data(), avps.size()});
      sent_ = true;
      return;
    }
    PutAvp(&avps, kAvpUserName, 0, ByteSpan{reinterpret_cast<const std::uint8_t*>(identity.data()), identity.size()});
    if (phase2_ == tls::Phase2::kChap || phase2_ == tls::Phase2::kMsChap) {
      PutChapAvps(phase2_ == tls::Phase2::kChap ? ChapKind::kChap : ChapKind::kMsChap, engine(),
                  password.span(), &avps);
    } else if (phase2_ == tls::Phase2::kPap) {
      // RFC 5281 §11.2.5: padded with NULs to a multiple of 16 octets.
      std::vector<std::uint8_t> padded(password.data(), password.data() + password.size());
      padded.resize(padded.empty() ? 16 : (padded.size() + 15) / 16 * 16, 0);
      PutAvp(&avps, kAvpUserPassword, 0, ByteSpan{padded.data(), padded.size()});
      SecureZero(padded.data(), padded.size());
    } else {
      std::uint8_t challenge[kMsChap2ChallengeSize];
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
    if (phase2_ == tls::Phase2::kEap) {
      std::vector<std::uint8_t> packet;
      if (!JoinEapMessage(avps, &packet)) {
        throw InvalidPacket("The EAP-TTLS server sent phase-2 AVPs without an EAP-Message");
      }
      std::vector<std::uint8_t> answer = inner_->Process(ByteSpan{packet.data(), packet.size()});
      if (answer.empty()) return;  // acknowledged with an empty response
      std::vector<std::uint8_t> out;
      PutEapMessage(&out, answer);
      SecureZero(answer.data(), answer.size());
      SendInTunnel(ByteSpan{out.data(), out.size()});
      SecureZero(out.data(), out.size());
      return;
    }
    if (FindAvp(avps, kAvpMsChapError, kVendorMicrosoft) != nullptr &&
        (phase2_ == tls::Phase2::kMsChap || phase2_ == tls::Phase2::kMsChapV2)) {
      rejected_ = true;  // the server's MS-CHAP-Error: the EAP-Failure follows our acknowledgement
      return;
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
  std::unique_ptr<InnerEapPeer> inner_;
  bool sent_ = false;
  bool serverProved_ = false;
  bool rejected_ = false;
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
  return std::unique_ptr<PeerMethod>(new TtlsPeer(context, config));
}

const MethodDescriptor kDescriptor = {kEapTypeTtls, kMethodTitleTtls, true, MakePeer, MakeAuthenticator,
                                      tls::OuterIdentity};

}  // namespace ttls
}  // namespace eaphost
