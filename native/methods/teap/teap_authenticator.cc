// The TEAP authenticator: once the tunnel is up it asks for Basic-Password-Auth when so
// configured (the user store's clear-text password judges the answer), else asks the inner
// Identity in an EAP-Payload TLV, runs the inner authenticator method of the catalog (its RESPOND questions go to the host
// unchanged), then sends Intermediate-Result, Result and a Crypto-Binding request together, and
// succeeds only when the peer answers with success in both and a Crypto-Binding whose nonce and
// Compound MAC verify. With EAP chaining it first asks for a machine credential (Identity-Type
// machine), binds that inner method with an Intermediate-Result and a Crypto-Binding of its own,
// then asks for the user's in a second inner method.
//
// Each inner method starts with the proposed one: the first the configuration names (EAP-MSCHAPv2
// by default), or for the user's under chaining its second inner method when it names one. A
// Nak is followed once, to the first type of its list the configuration offers (any inner
// method it names; with none named, any but EAP-TLS: tls::InnerTypeAfterNak) — a Windows peer
// set up for inner EAP-TLS Naks EAP-MSCHAPv2 asking for 13. A Nak naming nothing offered ends
// the conversation with a failure Intermediate-Result and Result.
//
// The inner method is made from the catalog with TEAP's own configuration: an inner EAP-TLS
// serves the same certificate and asks for a client certificate from the CA (and under the
// revocation checks) the configuration names, with a TLS engine of its own inside the tunnel.
#include <algorithm>
#include <cstring>

#include "../../common/secure_zero.h"
#include "../../common/crypto/random.h"
#include "../support/method_catalog.h"
#include "../support/user_secret.h"
#include "../tls/tls_flow.h"
#include "../tls/tls_keys.h"
#include "../tls/tls_phase2_marks.h"
#include "teap_keys.h"
#include "teap_method.h"
#include "teap_tlv.h"

namespace eaphost {
namespace teap {

namespace {
constexpr std::size_t kMaxInnerIdentity = 253;

class TeapAuthenticator final : public tls::TlsAuthenticatorFlow {
 public:
  TeapAuthenticator(const AuthenticatorContext& context, const tls::TlsConfig& config)
      : TlsAuthenticatorFlow(context, config, kInfo, false),
        offered_(Offered(config)),
        firstType_(config.innerMethod),
        secondType_(config.teapSecondInnerMethod != 0 ? config.teapSecondInnerMethod : config.innerMethod),
        innerType_(config.innerMethod),
        order_(config.teapMsChapV2KeyOrder == tls::TeapKeyOrder::kWindows ? MsChapV2KeyOrder::kWindows
                                                                            : MsChapV2KeyOrder::kHostap),
        basicPassword_(config.teapBasicPassword),
        chaining_((config.teapChaining || config.teapSecondInnerMethod != 0) && !config.teapBasicPassword) {
    // Kept for the inner method, made once the peer names itself (the context's copy lives
    // only through makeAuthenticator); it holds the private key, which SecretBytes wipes.
    connectionData_.Assign(context.connectionData.data, context.connectionData.size);
  }

  ~TeapAuthenticator() override { SecureZero(password_.data(), password_.size()); }

  std::vector<MethodAttribute> WantedAttributes() override {
    if (stage_ == Stage::kPassword) return SecretQuestions(innerIdentity_, false);
    return inner_ ? inner_->WantedAttributes() : std::vector<MethodAttribute>();
  }

  // The user store's answer to the inner method's question; a failure of the inner method ends
  // TEAP here, as one inside a tunnel message does in the flow.
  AuthenticatorAction TakeAttributes(const eap::EapAttributes& given) override {
    if (stage_ == Stage::kPassword) {
      ByteSpan known;
      const bool ok = FindClearTextPassword(given, &known) && known.size == password_.size() &&
                      ConstantTimeEqual(known.data, password_.data(), known.size);
      SecureZero(password_.data(), password_.size());
      password_.clear();
      if (!ok) {
        innerFailure_ = eap::EAP_E_USER_NAME_PASSWORD_REJECTED;
        return SendResult(false);
      }
      chain_->StepWithoutInnerMethod();
      return SendResult(true);
    }
    if (!inner_ || stage_ != Stage::kMethod) return Fail(InternalFailure("TEAP was given attributes it did not ask for"));
    AuthenticatorAction action;
    try {
      action = inner_->TakeAttributes(given);
    } catch (const MethodFailure& failure) {
      return Fail(failure);
    }
    return AfterInner(action);
  }

  void Conclude(AuthenticatorVerdict* verdict) override {
    if (stage_ == Stage::kSucceeded && !failed() && chain_) {
      verdict->success = true;
      ReleaseKeys(*chain_, engine(), &verdict->keys);
      return;
    }
    tls::ForgetCachedSession(engine());
    verdict->failureReason = failed() ? failureReason()
                             : innerFailure_ != 0 ? innerFailure_
                                                  : eap::EAP_E_AUTHENTICATION_FAILED;
  }

  // The inner method that ran last (the second of a chain).
  ConversationFacts Facts() const override {
    ConversationFacts facts = TlsAuthenticatorFlow::Facts();
    if (ranInner_ != 0) {
      facts.innerKind = InnerKind::kEap;
      facts.innerCode = ranInner_;
    }
    return facts;
  }

 protected:
  AuthenticatorAction OnTunnelUp() override {
    chain_.reset(new KeyChain(engine()));
    std::vector<std::uint8_t> tlvs;
    if (basicPassword_) {
      stage_ = Stage::kBasicPassword;
      PutTlv(&tlvs, static_cast<std::uint16_t>(kTlvMandatory | kTlvBasicPasswordAuthReq), ByteSpan{nullptr, 0});
      return Send(tlvs);
    }
    return AskIdentity(chaining_ ? kIdentityTypeMachine : 0);
  }

  // The inner Identity request that starts an inner method; `identityType` (when not 0) says
  // which credential the server wants (§4.2.3).
  AuthenticatorAction AskIdentity(std::uint16_t identityType) {
    stage_ = Stage::kIdentity;
    innerType_ = chained_ ? secondType_ : firstType_;
    inner_.reset();
    innerAnswered_ = false;
    std::vector<std::uint8_t> tlvs;
    PutEapPayload(&tlvs, eap::EapCodeRequest, ++innerIdentifier_, kTypeIdentity, ByteSpan{nullptr, 0});
    if (identityType != 0) PutIdentityType(&tlvs, identityType);
    return Send(tlvs);
  }

  AuthenticatorAction OnTunnelData(std::vector<std::uint8_t>* plain) override {
    Tlvs tlvs;
    if (!ParseTlvs(ByteSpan{plain->data(), plain->size()}, &tlvs)) {
      return Fail(InvalidPacket("The TEAP peer sent malformed TLVs"));
    }
    if (tlvs.result == kStatusFailure || tlvs.hasNak || tlvs.unknownMandatory) {
      if (innerFailure_ == 0) innerFailure_ = eap::EAP_E_AUTHENTICATION_FAILED;
      if (stage_ == Stage::kResult || stage_ == Stage::kFailing) {
        stage_ = Stage::kFailed;
        return AuthenticatorAction::kResult;
      }
      return SendResult(false);
    }
    switch (stage_) {
      case Stage::kBasicPassword: {
        ByteSpan user, password;
        if (!tlvs.hasBasicPasswordAuthResp ||
            !SplitBasicPasswordAuthResp(tlvs.basicPasswordAuthResp, &user, &password) || user.size > kMaxInnerIdentity) {
          return Fail(InvalidPacket("The TEAP peer did not answer the Basic-Password-Auth request"));
        }
        innerIdentity_.assign(user.data, user.data + user.size);
        password_.assign(password.data, password.data + password.size);
        stage_ = Stage::kPassword;
        return AuthenticatorAction::kRespond;  // the user store is asked for the password
      }
      case Stage::kIdentity: {
        InnerPacket response;
        if (!tlvs.hasEapPayload || !ReadInnerPacket(tlvs.eapPayload, &response) ||
            response.code != eap::EapCodeResponse || response.type != kTypeIdentity ||
            response.typeData.size > kMaxInnerIdentity) {
          return Fail(InvalidPacket("The TEAP peer did not answer the inner Identity request"));
        }
        innerIdentity_.assign(response.typeData.data, response.typeData.data + response.typeData.size);
        inner_ = InnerMethod(innerType_).makeAuthenticator(InnerContext());
        ranInner_ = innerType_;
        stage_ = Stage::kMethod;
        return SendInner();
      }
      case Stage::kMethod: {
        InnerPacket response;
        if (!tlvs.hasEapPayload || !ReadInnerPacket(tlvs.eapPayload, &response) ||
            response.code != eap::EapCodeResponse || response.identifier != innerIdentifier_) {
          return Fail(InvalidPacket("The TEAP peer's inner response was malformed"));
        }
        if (!innerAnswered_ && response.type == kTypeNak) {
          std::uint8_t wanted = tls::InnerTypeAfterNak(offered_, innerType_, response.typeData);
          if (wanted != 0) {
            innerAnswered_ = true;
            innerType_ = wanted;
            inner_ = InnerMethod(innerType_).makeAuthenticator(InnerContext());
            ranInner_ = innerType_;
            return SendInner();
          }
        }
        innerAnswered_ = true;
        if (response.type != innerType_) {
          innerFailure_ = eap::EAP_E_AUTHENTICATION_FAILED;
          return SendResult(false);
        }
        MethodPacketView view{eap::EapCodeResponse, response.identifier, response.type, response.typeData.size + 5,
                              response.typeData};
        return AfterInner(inner_->Receive(view));
      }
      case Stage::kIntermediate: {
        // The machine's inner method is bound: the user's comes next.
        if (tlvs.intermediateResult != kStatusSuccess || !tlvs.hasCryptoBinding || !NonceAnswered(tlvs.cryptoBinding) ||
            !CryptoBindingValid(*chain_, tlvs.cryptoBinding, kBindingResponse, ByteSpan{nullptr, 0}, PeerOuter())) {
          if (innerFailure_ == 0) innerFailure_ = eap::EAP_E_AUTHENTICATION_FAILED;
          return SendResult(false);
        }
        chained_ = true;
        return AskIdentity(kIdentityTypeUser);
      }
      case Stage::kResult: {
        bool ok = tlvs.result == kStatusSuccess && tlvs.intermediateResult == kStatusSuccess &&
                  tlvs.hasCryptoBinding && NonceAnswered(tlvs.cryptoBinding) &&
                  CryptoBindingValid(*chain_, tlvs.cryptoBinding, kBindingResponse, ByteSpan{nullptr, 0}, PeerOuter());
        stage_ = ok ? Stage::kSucceeded : Stage::kFailed;
        if (!ok && innerFailure_ == 0) innerFailure_ = eap::EAP_E_AUTHENTICATION_FAILED;
        return AuthenticatorAction::kResult;
      }
      case Stage::kFailing:
        stage_ = Stage::kFailed;
        return AuthenticatorAction::kResult;
      default:
        return Fail(InvalidPacket("The TEAP peer sent data after phase 2 ended"));
    }
  }

 private:
  enum class Stage {
    kTunnel, kBasicPassword, kPassword, kIdentity, kMethod, kIntermediate, kResult, kFailing, kSucceeded, kFailed
  };

  // The inner methods a Nak may switch to: every one named, the second inner method's too.
  static std::vector<std::uint8_t> Offered(const tls::TlsConfig& config) {
    std::vector<std::uint8_t> offered = config.innerMethods;
    const std::uint8_t second = config.teapSecondInnerMethod;
    if (!offered.empty() && second != 0 && std::find(offered.begin(), offered.end(), second) == offered.end()) {
      offered.push_back(second);
    }
    return offered;
  }

  AuthenticatorContext InnerContext() const {
    return AuthenticatorContext{innerIdentity_, 0xFFFF, connectionData_.span()};
  }

  ByteSpan PeerOuter() const {
    const std::vector<std::uint8_t>& outer = receivedOuterTlvs();
    return ByteSpan{outer.data(), outer.size()};
  }

  AuthenticatorAction Send(std::vector<std::uint8_t>& tlvs) {
    SendInTunnel(ByteSpan{tlvs.data(), tlvs.size()});
    SecureZero(tlvs.data(), tlvs.size());
    return Flush();
  }

  AuthenticatorAction SendInner() {
    TypeDataWriter request;
    inner_->MakeRequest(&request);
    std::vector<std::uint8_t> tlvs;
    PutEapPayload(&tlvs, eap::EapCodeRequest, ++innerIdentifier_, innerType_,
                  ByteSpan{request.bytes().data(), request.bytes().size()});
    return Send(tlvs);
  }

  AuthenticatorAction AfterInner(AuthenticatorAction action) {
    switch (action) {
      case AuthenticatorAction::kSend: return SendInner();
      case AuthenticatorAction::kRespond: return AuthenticatorAction::kRespond;
      case AuthenticatorAction::kDiscard: return Fail(InvalidPacket("The TEAP peer's inner response was malformed"));
      case AuthenticatorAction::kResult: break;
    }
    AuthenticatorVerdict inner;
    if (!tls::InnerSucceeded(*inner_, &inner, &innerFailure_)) return SendResult(false);
    std::vector<std::uint8_t> ordered = InnerMskFor(innerType_, inner.keys.msk.span(), order_);
    chain_->Step(ByteSpan{ordered.data(), ordered.size()}, inner.keys.emsk.span());
    SecureZero(ordered.data(), ordered.size());
    if (chaining_ && !chained_) return SendIntermediate();
    return SendResult(true);
  }

  // After the first of two chained inner methods: its Intermediate-Result and Crypto-Binding,
  // no Result yet.
  AuthenticatorAction SendIntermediate() {
    std::vector<std::uint8_t> tlvs;
    PutStatus(&tlvs, kTlvIntermediateResult, kStatusSuccess);
    if (!PutBindingRequest(&tlvs)) return Fail(InternalFailure("TEAP could not make its nonce"));
    stage_ = Stage::kIntermediate;
    return Send(tlvs);
  }

  bool PutBindingRequest(std::vector<std::uint8_t>* tlvs) {
    if (!FillRandom(nonce_, sizeof(nonce_))) return false;
    nonce_[kNonceSize - 1] &= 0xFE;  // §4.2.13: a request's nonce has its low bit clear
    std::uint8_t binding[kCryptoBindingSize];
    BuildCryptoBinding(*chain_, nonce_, kBindingRequest, ByteSpan{nullptr, 0}, PeerOuter(), binding);
    tlvs->insert(tlvs->end(), binding, binding + kCryptoBindingSize);
    return true;
  }

  AuthenticatorAction SendResult(bool success) {
    std::vector<std::uint8_t> tlvs;
    const std::uint16_t status = success ? kStatusSuccess : kStatusFailure;
    if (inner_ || basicPassword_) PutStatus(&tlvs, kTlvIntermediateResult, status);
    PutStatus(&tlvs, kTlvResult, status);
    if (success && !PutBindingRequest(&tlvs)) return Fail(InternalFailure("TEAP could not make its nonce"));
    stage_ = success ? Stage::kResult : Stage::kFailing;
    return Send(tlvs);
  }

  bool NonceAnswered(const std::uint8_t tlv[kCryptoBindingSize]) const {
    return std::memcmp(tlv + kNonceOffset, nonce_, kNonceSize - 1) == 0 &&
           tlv[kNonceOffset + kNonceSize - 1] == (nonce_[kNonceSize - 1] | 0x01);
  }

  SecretBytes connectionData_;
  const std::vector<std::uint8_t> offered_;
  const std::uint8_t firstType_;   // proposed for the first inner method (the machine's when chaining)
  const std::uint8_t secondType_;  // proposed for the user's when chaining
  std::uint8_t innerType_;
  const MsChapV2KeyOrder order_;
  const bool basicPassword_;
  const bool chaining_;
  bool chained_ = false;  // the machine's inner method is bound; the user's runs
  std::vector<std::uint8_t> password_;  // the peer's Basic-Password-Auth answer, until judged
  std::unique_ptr<KeyChain> chain_;
  std::string innerIdentity_;
  bool innerAnswered_ = false;
  Stage stage_ = Stage::kTunnel;
  std::unique_ptr<AuthenticatorMethod> inner_;
  std::uint8_t ranInner_ = 0;  // Facts()'s inner method
  std::uint8_t innerIdentifier_ = 0;
  std::uint8_t nonce_[kNonceSize] = {};
  eap::DWORD innerFailure_ = 0;
};
}  // namespace

std::unique_ptr<AuthenticatorMethod> MakeAuthenticator(const AuthenticatorContext& context) {
  return tls::MakeWithTlsConfig<TeapAuthenticator, AuthenticatorMethod>(context);
}

}  // namespace teap
}  // namespace eaphost
