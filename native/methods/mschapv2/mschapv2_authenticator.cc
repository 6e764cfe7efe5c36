// The EAP-MSCHAPv2 authenticator: Challenge, then the peer's Response is checked against the
// user's password or NT hash (asked of the host through RESPOND), then a Success request with
// the authenticator response, or a Failure request (E=691), and the peer's acknowledgement.
#include <cstring>

#include "../../common/secure_zero.h"
#include "../support/method_identity.h"
#include "../support/user_secret.h"
#include "../../common/crypto/random.h"
#include "mschapv2_crypto.h"
#include "mschapv2_method.h"
#include "mschapv2_packet.h"

namespace eaphost {
namespace mschapv2 {

namespace {
// The Name in our Challenge; RFC 2759 leaves it to the authenticator.
const char kServerName[] = "eaphost";
const char kSuccessText[] = "Authentication succeeded";
const char kFailureText[] = "Authentication failed";

class MsChapV2Authenticator final : public AuthenticatorMethod {
 public:
  explicit MsChapV2Authenticator(const AuthenticatorContext& context)
      : identity_(context.identity) {}
  ~MsChapV2Authenticator() override {
    SecureZero(passwordHash_, sizeof(passwordHash_));
    SecureZero(ntResponse_, sizeof(ntResponse_));
    SecureZero(proof_, sizeof(proof_));
  }

  void MakeRequest(TypeDataWriter* request) override {
    ++id_;
    switch (stage_) {
      case Stage::kChallenge: {
        if (!FillRandom(challenge_, kChallengeSize)) throw InternalFailure("produce a challenge");
        std::string name(kServerName);
        WriteMsChapHeader(request, kOpChallenge, id_, 1 + kChallengeSize + name.size());
        request->Put(static_cast<std::uint8_t>(kChallengeSize));
        request->Put(ByteSpan{challenge_, kChallengeSize});
        request->Put(name);
        break;
      }
      case Stage::kSuccess: {
        std::string message = "S=" + Hex(proof_, kAuthenticatorResponseSize) + " M=" + kSuccessText;
        WriteMsChapHeader(request, kOpSuccess, id_, message.size());
        request->Put(message);
        break;
      }
      case Stage::kFailure: {
        // RFC 2759 §6: a fresh challenge for a retry, which we do not offer (R=0).
        std::uint8_t next[kChallengeSize];
        if (!FillRandom(next, kChallengeSize)) throw InternalFailure("produce a challenge");
        std::string message = "E=691 R=0 C=" + Hex(next, kChallengeSize) + " V=3 M=" + kFailureText;
        WriteMsChapHeader(request, kOpFailure, id_, message.size());
        request->Put(message);
        break;
      }
    }
  }

  AuthenticatorAction Receive(const MethodPacketView& response) override {
    MsChapPacket packet;
    if (!ReadMsChapPacket(response.typeData, &packet)) return AuthenticatorAction::kDiscard;
    switch (stage_) {
      case Stage::kChallenge: return TakeResponse(packet);
      case Stage::kSuccess:
        if (packet.opCode != kOpSuccess) return AuthenticatorAction::kDiscard;
        success_ = true;
        return AuthenticatorAction::kResult;
      case Stage::kFailure:
        if (packet.opCode != kOpFailure) return AuthenticatorAction::kDiscard;
        return AuthenticatorAction::kResult;
    }
    return AuthenticatorAction::kDiscard;
  }

  std::vector<MethodAttribute> WantedAttributes() override {
    return SecretQuestions(identity_, true);
  }

  AuthenticatorAction TakeAttributes(const eap::EapAttributes& given) override {
    ByteSpan password;
    ByteSpan ntHash;
    bool known = true;
    if (FindClearTextPassword(given, &password)) {
      NtPasswordHash(password, passwordHash_);
    } else if (FindNtHash(given, &ntHash)) {
      std::memcpy(passwordHash_, ntHash.data, kPasswordHashSize);
    } else {
      known = false;  // no such user: answered exactly like a wrong password
    }
    std::uint8_t expected[kNtResponseSize];
    ByteSpan name{reinterpret_cast<const std::uint8_t*>(peerName_.data()), peerName_.size()};
    NtResponse(challenge_, peerChallenge_, name, passwordHash_, expected);
    bool match = ConstantTimeEqual(expected, ntResponse_, kNtResponseSize) && known;
    SecureZero(expected, sizeof(expected));
    if (match) {
      AuthenticatorResponse(passwordHash_, ntResponse_, peerChallenge_, challenge_, name, proof_);
      stage_ = Stage::kSuccess;
    } else {
      stage_ = Stage::kFailure;
    }
    return AuthenticatorAction::kSend;
  }

  void Conclude(AuthenticatorVerdict* verdict) override {
    verdict->success = success_;
    if (!success_) {
      verdict->failureReason = eap::EAP_E_USER_NAME_PASSWORD_REJECTED;
      return;
    }
    std::uint8_t msk[kMskSize];
    Msk(passwordHash_, ntResponse_, msk);
    verdict->keys.msk.Assign(msk, kMskSize);
    SecureZero(msk, sizeof(msk));
  }

 private:
  enum class Stage { kChallenge, kSuccess, kFailure };

  AuthenticatorAction TakeResponse(const MsChapPacket& packet) {
    ByteSpan value;
    ByteSpan name;
    if (packet.opCode != kOpResponse || packet.id != id_ ||
        !ReadValue(packet.data, kResponseValueSize, &value, &name)) {
      return AuthenticatorAction::kDiscard;
    }
    std::memcpy(peerChallenge_, value.data, kChallengeSize);
    std::memcpy(ntResponse_, value.data + kChallengeSize + 8, kNtResponseSize);
    // The hash covers the Name the peer sent (RFC 2759 §4), not the EAP identity.
    peerName_.assign(reinterpret_cast<const char*>(name.data), name.size);
    return AuthenticatorAction::kRespond;
  }

  std::string identity_;
  std::string peerName_;
  Stage stage_ = Stage::kChallenge;
  std::uint8_t id_ = 0;
  bool success_ = false;
  std::uint8_t challenge_[kChallengeSize] = {};
  std::uint8_t peerChallenge_[kChallengeSize] = {};
  std::uint8_t ntResponse_[kNtResponseSize] = {};
  std::uint8_t passwordHash_[kPasswordHashSize] = {};
  std::uint8_t proof_[kAuthenticatorResponseSize] = {};
};
}  // namespace

std::unique_ptr<AuthenticatorMethod> MakeAuthenticator(const AuthenticatorContext& context) {
  return std::make_unique<MsChapV2Authenticator>(context);
}

}  // namespace mschapv2
}  // namespace eaphost
