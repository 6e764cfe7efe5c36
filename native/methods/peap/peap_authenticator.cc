// The PEAPv0 authenticator: once the tunnel is up it asks the inner Identity, runs the inner
// authenticator method of the catalog (its RESPOND questions go to the host unchanged; a Nak to
// another inner method is followed once, unless the configuration named the method), then
// sends the Result TLV — with a Cryptobinding TLV when the configuration requires binding — and
// succeeds only when the peer answers with a matching Result.
//
// MS-PEAP fast reconnect: a peer that resumes a TLS 1.2 session whose phase 2 succeeded skips
// phase 2 — the authenticator asks the user store about the identity phase 2 authenticated
// and, when the store still answers with the secret phase 2 was checked against, sends the
// success Result TLV at once (hostapd's server skips phase 2 the same way). Only the session
// cache's mark, written when the peer acknowledged a successful phase 2, makes a resumed
// session eligible (tls_phase2_marks.h); any other resumed session, or a secret that changed,
// runs phase 2 in full, and a failed conversation's session is dropped from the cache.
#include <cstring>

#include "../../common/secure_zero.h"
#include "../../common/crypto/random.h"
#include "../support/user_secret.h"
#include "../support/method_catalog.h"
#include "../tls/tls_flow.h"
#include "../tls/tls_keys.h"
#include "../tls/tls_phase2_marks.h"
#include "peap_keys.h"
#include "peap_method.h"
#include "peap_tlv.h"

namespace eaphost {
namespace peap {

namespace {
constexpr std::size_t kMaxInnerIdentity = 253;

class PeapAuthenticator final : public tls::TlsAuthenticatorFlow {
 public:
  PeapAuthenticator(const AuthenticatorContext& context, const tls::TlsConfig& config)
      : TlsAuthenticatorFlow(context, config, kInfo, false),
        offered_(config.innerMethods),
        innerType_(config.innerMethod),
        bind_(config.requireCryptoBinding),
        reconnect_(config.fastReconnect) {}

  ~PeapAuthenticator() override {
    SecureZero(ipmk_, sizeof(ipmk_));
    SecureZero(cmk_, sizeof(cmk_));
  }

  std::vector<MethodAttribute> WantedAttributes() override {
    if (stage_ == Stage::kReconnect) return SecretQuestions(innerIdentity_, true);
    return inner_ ? inner_->WantedAttributes() : std::vector<MethodAttribute>();
  }

  AuthenticatorAction TakeAttributes(const eap::EapAttributes& given) override {
    if (stage_ == Stage::kReconnect) return Reconnect(given);
    if (!inner_ || stage_ != Stage::kMethod) {
      return Fail(InternalFailure("PEAP was given attributes it did not ask for"));
    }
    try {
      // What the store answered, for the fast-reconnect mark once phase 2 succeeds.
      reconnect_.SawStoreAnswer(innerIdentity_, given);
      return AfterInner(inner_->TakeAttributes(given));
    } catch (const MethodFailure& failure) {
      return Fail(failure);
    }
  }

  void Conclude(AuthenticatorVerdict* verdict) override {
    if (stage_ == Stage::kSucceeded && !failed()) {
      verdict->success = true;
      DeriveSessionKeys(engine(), bind_, ipmk_, &verdict->keys);
      return;
    }
    // hostapd drops a failed conversation's session too: nothing resumes from a failure.
    tls::ForgetCachedSession(engine());
    verdict->failureReason = failed() ? failureReason() : innerFailure_;
    TellFailure(verdict);
  }

  ConversationFacts Facts() const override {
    ConversationFacts facts = TlsAuthenticatorFlow::Facts();
    if (inner_) {
      facts.innerKind = InnerKind::kEap;
      facts.innerCode = innerType_;
    }
    return facts;
  }

 protected:
  AuthenticatorAction OnTunnelUp() override {
    std::string known;
    if (reconnect_.Resumed(engine(), kEapTypePeap, &known)) {
      innerIdentity_ = known;
      stage_ = Stage::kReconnect;  // the user store is asked about `known` first
      return AuthenticatorAction::kRespond;
    }
    return AskIdentity();
  }

  AuthenticatorAction AskIdentity() {
    stage_ = Stage::kIdentity;
    const std::uint8_t request[1] = {kTypeIdentity};  // headerless phase-2 Identity request
    SendInTunnel(ByteSpan{request, 1});
    return Flush();
  }

  AuthenticatorAction OnTunnelData(std::vector<std::uint8_t>* plain) override {
    const std::vector<std::uint8_t>& data = *plain;
    switch (stage_) {
      case Stage::kIdentity: {
        if (data.empty() || data[0] != kTypeIdentity || data.size() - 1 > kMaxInnerIdentity) {
          return Fail(InvalidPacket("The PEAP peer did not answer the inner Identity request"));
        }
        innerIdentity_.assign(data.begin() + 1, data.end());
        inner_ = InnerMethod(innerType_).makeAuthenticator(
            AuthenticatorContext{innerIdentity_, 0xFFFF, ByteSpan{}});
        stage_ = Stage::kMethod;
        return SendInner();
      }
      case Stage::kMethod: {
        if (!innerAnswered_ && !data.empty() && data[0] == kTypeNak) {
          std::uint8_t wanted = tls::InnerTypeAfterNak(
              offered_, innerType_, ByteSpan{data.data() + 1, data.size() - 1});
          if (wanted != 0) {
            innerAnswered_ = true;  // one switch: a second Nak ends phase 2
            innerType_ = wanted;
            inner_ = InnerMethod(innerType_).makeAuthenticator(
                AuthenticatorContext{innerIdentity_, 0xFFFF, ByteSpan{}});
            return SendInner();
          }
        }
        innerAnswered_ = true;
        if (data.empty() || data[0] != innerType_) {
          // A Nak naming no inner method offered, a second Nak, or another type.
          innerFailure_ = eap::EAP_E_AUTHENTICATION_FAILED;
          return SendResult(kResultFailure);
        }
        MethodPacketView view{eap::EapCodeResponse, packetIdentifier(), innerType_, data.size() + 4,
                              ByteSpan{data.data() + 1, data.size() - 1}};
        return AfterInner(inner_->Receive(view));
      }
      case Stage::kResult: {
        TlvSet set;
        bool headed = data.size() >= 5 && data[0] == eap::EapCodeResponse &&
                      data[4] == kEapTypeExtensions &&
                      static_cast<std::size_t>(data[2] << 8 | data[3]) == data.size();
        if (!headed || !ParseTlvs(ByteSpan{data.data() + 5, data.size() - 5}, &set) ||
            !set.hasResult) {
          return Fail(InvalidPacket("The PEAP peer did not answer the Result TLV"));
        }
        bool ok = sentSuccess_ && set.result == kResultSuccess && !set.unknownMandatory;
        if (ok && bind_) {
          ok = set.hasCryptobinding && CryptobindingValid(set.cryptobinding, 1, cmk_);
        }
        stage_ = ok ? Stage::kSucceeded : Stage::kFailed;
        // The peer acknowledged a successful phase 2: its session may now fast-reconnect.
        if (ok) reconnect_.Phase2Succeeded(engine(), kEapTypePeap, innerIdentity_);
        if (!ok && innerFailure_ == 0) innerFailure_ = eap::EAP_E_AUTHENTICATION_FAILED;
        return AuthenticatorAction::kResult;
      }
      default:
        return Fail(InvalidPacket("The PEAP peer sent data after phase 2 ended"));
    }
  }

 private:
  enum class Stage { kTunnel, kReconnect, kIdentity, kMethod, kResult, kSucceeded, kFailed };

  // Fast reconnect: the store's answer about the identity the resumed session authenticated.
  // A user the store no longer knows fails, as hostapd's server refuses one missing from its
  // user database. A secret other than the one phase 2 proved (changed since, or another
  // store's for the same name) runs phase 2 in full: the session proves only the old one.
  AuthenticatorAction Reconnect(const eap::EapAttributes& given) {
    switch (reconnect_.Judge(innerIdentity_, given)) {
      case tls::FastReconnect::Answer::kUnknownUser:
        innerFailure_ = eap::EAP_E_AUTHENTICATION_FAILED;
        return SendResult(kResultFailure);
      case tls::FastReconnect::Answer::kRunPhase2: return AskIdentity();
      case tls::FastReconnect::Answer::kSkipPhase2: break;
    }
    if (bind_) {
      // No inner method, so no compound step: IPMK and CMK are cut straight from the tunnel
      // key (TK), as hostapd's server and Windows do on a resumed session.
      std::uint8_t material[tls::kKeyMaterialSize];
      tls::DeriveKeyMaterial(engine(), kEapTypePeap, kKeyLabel, material);
      std::memcpy(ipmk_, material, kIpmkSize);
      std::memcpy(cmk_, material + kIpmkSize, kCmkSize);
      SecureZero(material, sizeof(material));
    }
    return SendResult(kResultSuccess);
  }

  AuthenticatorAction SendInner() {
    TypeDataWriter request;
    inner_->MakeRequest(&request);
    ++innerIdentifier_;
    std::vector<std::uint8_t> packet{innerType_};
    packet.insert(packet.end(), request.bytes().begin(), request.bytes().end());
    SendInTunnel(ByteSpan{packet.data(), packet.size()});
    SecureZero(packet.data(), packet.size());
    return Flush();
  }

  AuthenticatorAction AfterInner(AuthenticatorAction action) {
    switch (action) {
      case AuthenticatorAction::kSend: return SendInner();
      case AuthenticatorAction::kRespond: return AuthenticatorAction::kRespond;
      case AuthenticatorAction::kDiscard:
        return Fail(InvalidPacket("The PEAP peer's inner response was malformed"));
      case AuthenticatorAction::kResult: break;
    }
    AuthenticatorVerdict inner;
    if (!tls::InnerSucceeded(*inner_, &inner, &innerFailure_)) return SendResult(kResultFailure);
    if (bind_) {
      // The TK from the 128-byte key material, as RFC 9427 and wpa_supplicant's peer derive it.
      std::uint8_t material[tls::kKeyMaterialSize];
      tls::DeriveKeyMaterial(engine(), kEapTypePeap, kKeyLabel, material);
      bool ok = CompoundKeys(material, inner.keys.msk.span(), ipmk_, cmk_);
      SecureZero(material, sizeof(material));
      if (!ok) return Fail(InternalFailure("PEAP cryptobinding keys could not be derived"));
    }
    return SendResult(kResultSuccess);
  }

  AuthenticatorAction SendResult(std::uint16_t status) {
    std::vector<std::uint8_t> tlvs;
    PutResultTlv(&tlvs, status);
    if (status == kResultSuccess && bind_) {
      std::uint8_t nonce[kNonceSize];
      if (!FillRandom(nonce, sizeof(nonce)) || !PutCryptobindingTlv(&tlvs, nonce, 0, cmk_)) {
        return Fail(InternalFailure("PEAP could not make its Cryptobinding TLV"));
      }
    }
    sentSuccess_ = status == kResultSuccess;
    ++innerIdentifier_;
    std::size_t length = 5 + tlvs.size();
    std::vector<std::uint8_t> packet{eap::EapCodeRequest, innerIdentifier_,
                                     static_cast<std::uint8_t>(length >> 8),
                                     static_cast<std::uint8_t>(length), kEapTypeExtensions};
    packet.insert(packet.end(), tlvs.begin(), tlvs.end());
    stage_ = Stage::kResult;
    SendInTunnel(ByteSpan{packet.data(), packet.size()});
    return Flush();
  }

  const std::vector<std::uint8_t> offered_;  // the inner methods named, the proposed one first
  std::uint8_t innerType_;
  const bool bind_;
  tls::FastReconnect reconnect_;
  std::string innerIdentity_;
  bool innerAnswered_ = false;
  Stage stage_ = Stage::kTunnel;
  std::unique_ptr<AuthenticatorMethod> inner_;
  std::uint8_t innerIdentifier_ = 0;
  bool sentSuccess_ = false;
  eap::DWORD innerFailure_ = 0;
  std::uint8_t ipmk_[kIpmkSize] = {};
  std::uint8_t cmk_[kCmkSize] = {};
};
}  // namespace

std::unique_ptr<AuthenticatorMethod> MakeAuthenticator(const AuthenticatorContext& context) {
  tls::TlsConfig config;
  tls::ParseTlsConfig(context.connectionData, &config);
  return std::unique_ptr<AuthenticatorMethod>(new PeapAuthenticator(context, config));
}

}  // namespace peap
}  // namespace eaphost
