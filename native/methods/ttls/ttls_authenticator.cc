// The EAP-TTLS authenticator: reads the peer's phase-2 AVPs and speaks whichever password phase 2
// the peer chose — PAP, CHAP, MS-CHAP, MS-CHAPv2 — asking the host for the user's secret
// (RESPOND, as every password method does); for MS-CHAPv2 it proves itself with
// MS-CHAP2-Success before the outer EAP-Success. A peer that opens with an EAP-Message runs the
// configured inner EAP method (ttls_inner_eap.h), whose RESPOND questions go to the host as
// they are.
//
// Fast reconnect, as hostapd's EAP-TTLS server and wpa_supplicant's peer do it: a peer that
// resumes a TLS 1.2 session whose phase 2 succeeded, and sends no phase-2 AVPs, gets
// EAP-Success once the user store still answers with the secret phase 2 was checked against
// (tls_phase2_marks.h); a peer that sends AVPs runs phase 2 as always.
#include <cstring>

#include "../../common/secure_zero.h"
#include "../support/credential_blob.h"
#include "../support/user_secret.h"
#include "../mschapv2/mschapv2_crypto.h"
#include "../tls/tls_flow.h"
#include "../tls/tls_keys.h"
#include "../tls/tls_phase2_marks.h"
#include "ttls_avp.h"
#include "ttls_chap.h"
#include "ttls_inner_eap.h"
#include "ttls_method.h"

namespace eaphost {
namespace ttls {

namespace {
constexpr std::size_t kMaxPaddedPassword = (kMaxPasswordBytes + 15) / 16 * 16;

class TtlsAuthenticator final : public tls::TlsAuthenticatorFlow {
 public:
  TtlsAuthenticator(const AuthenticatorContext& context, const tls::TlsConfig& config)
      : TlsAuthenticatorFlow(context, config, kInfo, false),
        innerType_(config.innerMethod),
        offered_(config.innerMethods),
        reconnect_(config.fastReconnect) {}

  ~TtlsAuthenticator() override {
    SecureZero(password_.data(), password_.size());
    SecureZero(ntResponse_, sizeof(ntResponse_));
  }

  std::vector<MethodAttribute> WantedAttributes() override {
    if (stage_ == Stage::kReconnect) return SecretQuestions(userName_, true);
    if (mode_ == Mode::kEap) return inner_->WantedAttributes();
    return SecretQuestions(userName_, mode_ == Mode::kMsChapV2 || mode_ == Mode::kMsChap);
  }

  AuthenticatorAction TakeAttributes(const eap::EapAttributes& given) override {
    if (stage_ == Stage::kReconnect) return Reconnect(given);
    if (stage_ != Stage::kAsked) return Fail(InternalFailure("EAP-TTLS was given unasked attributes"));
    try {
      // What the store answered, for the fast-reconnect mark once phase 2 succeeds.
      reconnect_.SawStoreAnswer(StoreIdentity(), given);
      if (mode_ == Mode::kEap) {
        std::vector<std::uint8_t> request;
        return AfterInner(inner_->TakeAttributes(given, &request), &request);
      }
      ByteSpan password, ntHash;
      bool havePassword = FindClearTextPassword(given, &password);
      bool haveHash = (mode_ == Mode::kMsChapV2 || mode_ == Mode::kMsChap) && FindNtHash(given, &ntHash);
      if (!havePassword && !haveHash) return Reject();
      if (mode_ == Mode::kPap) return Decide(PapValid(password, havePassword));
      if (mode_ == Mode::kChap || mode_ == Mode::kMsChap) {
        return Decide(ChapAnswerValid(chap_, havePassword ? &password : nullptr,
                                      haveHash ? &ntHash : nullptr));
      }
      return CheckMsChapV2(havePassword ? &password : nullptr, haveHash ? &ntHash : nullptr);
    } catch (const MethodFailure& failure) {
      return Fail(failure);
    }
  }

  void Conclude(AuthenticatorVerdict* verdict) override {
    if (stage_ == Stage::kSucceeded && !failed()) {
      // Phase 2 succeeded: the session may now fast-reconnect (a reconnect keeps its mark).
      reconnect_.Phase2Succeeded(engine(), kEapTypeTtls, StoreIdentity());
      tls::DeriveMethodKeys(engine(), kEapTypeTtls, kKeyLabel, &verdict->keys);
      verdict->success = true;
      return;
    }
    tls::ForgetCachedSession(engine());  // nothing resumes from a failure
    verdict->failureReason = failed() ? failureReason()
                             : innerFailure_ != 0 ? innerFailure_
                                                  : eap::EAP_E_USER_CREDENTIALS_REJECTED;
    TellFailure(verdict);
  }

  ConversationFacts Facts() const override {
    ConversationFacts facts = TlsAuthenticatorFlow::Facts();
    if (mode_ == Mode::kEap && inner_) {
      facts.innerKind = InnerKind::kEap;
      facts.innerCode = inner_->type();
    } else if (mode_ != Mode::kNone) {
      // RFC 5281 §11.2's phase-2 names, in the order of common/conversation_facts.h.
      facts.innerKind = InnerKind::kTtlsAvp;
      facts.innerCode = mode_ == Mode::kPap ? 1 : mode_ == Mode::kChap ? 2 : mode_ == Mode::kMsChap ? 3 : 4;
    }
    return facts;
  }

 protected:
  AuthenticatorAction OnTunnelUp() override {
    // Over TLS 1.3 the peer's Finished may come alone (wpa_supplicant sends it so): an empty
    // request then invites phase 2, as the peer's implicit Identity request expects. Once only,
    // so a peer answering with empty packets cannot keep the exchange going.
    if (invitedPhase2_) return Fail(InvalidPacket("The EAP-TTLS peer sent no phase-2 AVPs"));
    std::string known;
    if (reconnect_.Resumed(engine(), kEapTypeTtls, &known)) {
      userName_ = known;
      stage_ = Stage::kReconnect;  // the user store is asked about `known` first
      return AuthenticatorAction::kRespond;
    }
    return InvitePhase2();
  }

  AuthenticatorAction InvitePhase2() {
    invitedPhase2_ = true;
    if (engine().HasOutgoing()) return Flush();  // the session tickets go with the invitation
    return AuthenticatorAction::kSend;
  }

  AuthenticatorAction OnPeerAck() override {
    if (stage_ != Stage::kProved) return TlsAuthenticatorFlow::OnPeerAck();
    stage_ = Stage::kSucceeded;
    return AuthenticatorAction::kResult;
  }

  AuthenticatorAction OnTunnelData(std::vector<std::uint8_t>* plain) override {
    bool innerTurn = mode_ == Mode::kEap && stage_ == Stage::kInner;
    if (stage_ != Stage::kWaiting && !innerTurn) {
      return Fail(InvalidPacket("The EAP-TTLS peer sent AVPs out of turn"));
    }
    std::vector<Avp> avps;
    if (!ParseAvps(ByteSpan{plain->data(), plain->size()}, &avps)) {
      return Fail(InvalidPacket("The EAP-TTLS peer sent malformed AVPs"));
    }
    try {
      std::vector<std::uint8_t> packet;
      if (JoinEapMessage(avps, &packet)) {
        if (!inner_) inner_.reset(new InnerEapAuthenticator(innerType_, offered_));
        mode_ = Mode::kEap;
        std::vector<std::uint8_t> request;
        AuthenticatorAction action =
            AfterInner(inner_->Receive(ByteSpan{packet.data(), packet.size()}, &request), &request);
        SecureZero(packet.data(), packet.size());
        return action;
      }
      if (innerTurn) return Fail(InvalidPacket("The EAP-TTLS peer left phase-2 EAP"));
      return TakePasswordAvps(avps);
    } catch (const MethodFailure& failure) {
      return Fail(failure);
    }
  }

 private:
  enum class Mode { kNone, kPap, kChap, kMsChap, kMsChapV2, kEap };
  enum class Stage { kWaiting, kReconnect, kInner, kAsked, kProved, kSucceeded, kRejected };

  // The name the user store was asked about in phase 2.
  const std::string& StoreIdentity() const { return mode_ == Mode::kEap && inner_ ? inner_->identity() : userName_; }

  // Fast reconnect: a user the store no longer knows is rejected; a secret other than the one
  // phase 2 proved (changed since, or another store's) invites phase 2 instead.
  AuthenticatorAction Reconnect(const eap::EapAttributes& given) {
    switch (reconnect_.Judge(userName_, given)) {
      case tls::FastReconnect::Answer::kUnknownUser: return Reject();
      case tls::FastReconnect::Answer::kRunPhase2:
        stage_ = Stage::kWaiting;
        userName_.clear();
        return InvitePhase2();
      case tls::FastReconnect::Answer::kSkipPhase2: break;
    }
    return Decide(true);
  }

  AuthenticatorAction TakePasswordAvps(const std::vector<Avp>& avps) {
    const Avp* name = FindAvp(avps, kAvpUserName);
    if (name == nullptr || name->data.size == 0 || name->data.size > 253) {
      return Fail(InvalidPacket("The EAP-TTLS peer sent no User-Name AVP"));
    }
    userName_.assign(reinterpret_cast<const char*>(name->data.data), name->data.size);
    const Avp* password = FindAvp(avps, kAvpUserPassword);
    const Avp* challenge = FindAvp(avps, kAvpMsChapChallenge, kVendorMicrosoft);
    const Avp* response = FindAvp(avps, kAvpMsChap2Response, kVendorMicrosoft);
    if (password != nullptr) {
      // As long as any password a peer may hold (255 characters of UTF-8), padded to 16 octets.
      if (password->data.size > kMaxPaddedPassword) {
        return Fail(InvalidPacket("The EAP-TTLS User-Password is too long"));
      }
      mode_ = Mode::kPap;
      password_.assign(password->data.data, password->data.data + password->data.size);
    } else if (challenge != nullptr && response != nullptr) {
      std::uint8_t derived[17];
      engine().Export(kChallengeLabel, ByteSpan{}, derived, sizeof(derived));
      // RFC 5281 §11.2.4: the challenge and Ident must be the ones both sides derive.
      if (challenge->data.size != 16 || response->data.size != 50 ||
          std::memcmp(challenge->data.data, derived, 16) != 0 || response->data.data[0] != derived[16]) {
        return Fail(InvalidPacket("The EAP-TTLS peer's MS-CHAP-Challenge is not the one derived "
                                  "from the tunnel"));
      }
      mode_ = Mode::kMsChapV2;
      std::memcpy(authChallenge_, derived, 16);
      ident_ = derived[16];
      std::memcpy(peerChallenge_, response->data.data + 2, 16);
      std::memcpy(ntResponse_, response->data.data + 26, 24);
    } else if (TakeChapAnswer(avps, engine(), &chap_)) {
      mode_ = chap_.kind == ChapKind::kChap ? Mode::kChap : Mode::kMsChap;
    } else {
      return Fail(InvalidPacket("The EAP-TTLS peer used a phase 2 this authenticator does not "
                                "speak (PAP, CHAP, MS-CHAP, MS-CHAPv2 and EAP are)"));
    }
    stage_ = Stage::kAsked;
    return AuthenticatorAction::kRespond;
  }

  bool PapValid(ByteSpan password, bool havePassword) const {
    if (!havePassword) return false;
    // The peer pads with NULs to a multiple of 16 octets.
    std::size_t size = password_.size();
    while (size != 0 && password_[size - 1] == 0) --size;
    return size == password.size && ConstantTimeEqual(password_.data(), password.data, size);
  }

  AuthenticatorAction CheckMsChapV2(const ByteSpan* password, const ByteSpan* ntHash) {
    std::uint8_t hash[mschapv2::kPasswordHashSize];
    if (!NtHashOfSecret(password, ntHash, hash)) return Reject();
    ByteSpan name = mschapv2::UserNameForHash(
        ByteSpan{reinterpret_cast<const std::uint8_t*>(userName_.data()), userName_.size()});
    std::uint8_t expected[mschapv2::kNtResponseSize];
    mschapv2::NtResponse(authChallenge_, peerChallenge_, name, hash, expected);
    bool ok = ConstantTimeEqual(expected, ntResponse_, sizeof(expected));
    std::uint8_t proof[mschapv2::kAuthenticatorResponseSize];
    mschapv2::AuthenticatorResponse(hash, ntResponse_, peerChallenge_, authChallenge_, name, proof);
    SecureZero(hash, sizeof(hash));
    SecureZero(expected, sizeof(expected));
    if (!ok) return Reject();
    static const char kHex[] = "0123456789ABCDEF";
    std::vector<std::uint8_t> success{ident_, 'S', '='};
    for (std::uint8_t byte : proof) {
      success.push_back(static_cast<std::uint8_t>(kHex[byte >> 4]));
      success.push_back(static_cast<std::uint8_t>(kHex[byte & 15]));
    }
    std::vector<std::uint8_t> avps;
    PutAvp(&avps, kAvpMsChap2Success, kVendorMicrosoft, ByteSpan{success.data(), success.size()});
    stage_ = Stage::kProved;
    SendInTunnel(ByteSpan{avps.data(), avps.size()});
    return Flush();
  }

  AuthenticatorAction AfterInner(InnerEapAuthenticator::Step step, std::vector<std::uint8_t>* request) {
    switch (step) {
      case InnerEapAuthenticator::Step::kSend: {
        std::vector<std::uint8_t> avps;
        PutEapMessage(&avps, *request);
        stage_ = Stage::kInner;
        SendInTunnel(ByteSpan{avps.data(), avps.size()});
        return Flush();
      }
      case InnerEapAuthenticator::Step::kRespond:
        stage_ = Stage::kAsked;
        return AuthenticatorAction::kRespond;
      case InnerEapAuthenticator::Step::kSucceeded: return Decide(true);
      case InnerEapAuthenticator::Step::kFailed: break;
    }
    innerFailure_ = inner_->failureReason();
    return Reject();
  }

  AuthenticatorAction Decide(bool ok) {
    if (!ok) return Reject();
    stage_ = Stage::kSucceeded;
    return AuthenticatorAction::kResult;
  }

  AuthenticatorAction Reject() {
    stage_ = Stage::kRejected;
    return AuthenticatorAction::kResult;
  }

  const std::uint8_t innerType_;
  const std::vector<std::uint8_t> offered_;  // the inner methods named, the proposed one first
  bool invitedPhase2_ = false;
  tls::FastReconnect reconnect_;
  Mode mode_ = Mode::kNone;
  Stage stage_ = Stage::kWaiting;
  std::string userName_;
  std::vector<std::uint8_t> password_;
  std::uint8_t ident_ = 0;
  std::uint8_t authChallenge_[16] = {};
  std::uint8_t peerChallenge_[16] = {};
  std::uint8_t ntResponse_[mschapv2::kNtResponseSize] = {};
  ChapAnswer chap_;
  std::unique_ptr<InnerEapAuthenticator> inner_;
  eap::DWORD innerFailure_ = 0;
};
}  // namespace

std::unique_ptr<AuthenticatorMethod> MakeAuthenticator(const AuthenticatorContext& context) {
  tls::TlsConfig config;
  tls::ParseTlsConfig(context.connectionData, &config);
  return std::unique_ptr<AuthenticatorMethod>(new TtlsAuthenticator(context, config));
}

}  // namespace ttls
}  // namespace eaphost
