// The EAP-MSCHAPv2 peer: answers the Challenge with an NT-Response (RFC 2759), accepts the
// Success request only when its authenticator response proves the server knows the password,
// and reports the server's failure code (E=) as the reason when it fails.
#include <cstring>

#include "../../common/secure_zero.h"
#include "../support/method_identity.h"
#include "../../common/crypto/random.h"
#include "mschapv2_crypto.h"
#include "mschapv2_method.h"
#include "mschapv2_packet.h"

namespace eaphost {
namespace mschapv2 {

namespace {
std::string FailureMeaning(std::uint32_t code) {
  switch (code) {
    case eap::kErrorRestrictedLogonHours: return "logon is restricted at this time of day";
    case eap::kErrorAcctDisabled: return "the account is disabled";
    case eap::kErrorPasswdExpired: return "the password has expired";
    case eap::kErrorNoDialinPermission: return "the account has no dial-in permission";
    case eap::kErrorAuthenticationFailure: return "the user name or password was rejected";
    case eap::kErrorChangingPassword: return "the password change failed";
  }
  return "the server gave no reason this method knows";
}

std::string FailureRepair(std::uint32_t code) {
  switch (code) {
    case eap::kErrorAcctDisabled: return "Ask the administrator to enable the account";
    case eap::kErrorPasswdExpired: return "Change the password, then authenticate again";
    case eap::kErrorAuthenticationFailure: return "Check the user name and password";
  }
  return "Ask the administrator of the authentication server";
}

class MsChapV2Peer final : public PeerMethod {
 public:
  explicit MsChapV2Peer(const PeerContext& context) : context_(context) {}
  ~MsChapV2Peer() override {
    SecureZero(passwordHash_, sizeof(passwordHash_));
    SecureZero(ntResponse_, sizeof(ntResponse_));
  }

  PeerAction Process(const MethodPacketView& request, TypeDataWriter* response) override {
    MsChapPacket packet;
    if (!ReadMsChapPacket(request.typeData, &packet)) return PeerAction::kDiscard;
    switch (packet.opCode) {
      case kOpChallenge: return AnswerChallenge(packet, response);
      case kOpSuccess: return AnswerSuccess(packet, response);
      case kOpFailure: return AnswerFailure(packet, response);
      default: return PeerAction::kDiscard;  // Change-Password is never asked of a peer
    }
  }

  void Conclude(bool hostSuccess, PeerVerdict* verdict) override {
    if (hostSuccess && stage_ == Stage::kServerProved) {
      verdict->success = true;
      Msk(passwordHash_, ntResponse_, msk_);
      verdict->keys.msk.Assign(msk_, kMskSize);
      SecureZero(msk_, sizeof(msk_));
      return;
    }
    verdict->success = false;
    verdict->hasError = true;
    if (stage_ == Stage::kFailed) {
      verdict->failureReason = failure_.error == eap::kErrorAuthenticationFailure ? eap::EAP_E_USER_NAME_PASSWORD_REJECTED
                                                     : eap::EAP_E_USER_CREDENTIALS_REJECTED;
      verdict->error = MethodFailure{
          failure_.error != 0 ? failure_.error
                              : static_cast<eap::DWORD>(eap::EAP_E_AUTHENTICATION_FAILED),
          verdict->failureReason,
          "The server refused the MS-CHAPv2 response with E=" + Decimal(failure_.error) + ": " +
              FailureMeaning(failure_.error) +
              (failure_.retry ? " (R=1: the server allows a retry)" : " (R=0: no retry)") +
              (failure_.text.empty() ? std::string() : "; its message: " + failure_.text),
          FailureRepair(failure_.error)};
      return;
    }
    verdict->failureReason = eap::EAP_E_AUTHENTICATION_FAILED;
    verdict->error = MethodFailure{
        eap::kErrorInvalidData, eap::EAP_E_AUTHENTICATION_FAILED,
        hostSuccess ? "EAP-Success arrived before the server proved it knows the password (no "
                      "valid MS-CHAPv2 Success request): the server is not trusted"
                    : "The authentication ended before MS-CHAPv2 completed",
        std::string()};
  }

 private:
  enum class Stage { kStart, kResponded, kServerProved, kFailed };

  PeerAction AnswerChallenge(const MsChapPacket& packet, TypeDataWriter* response) {
    ByteSpan challenge;
    ByteSpan serverName;
    if (!ReadValue(packet.data, kChallengeSize, &challenge, &serverName)) {
      return PeerAction::kDiscard;
    }
    const PeerCredentials& credentials = *context_.credentials;
    ByteSpan name{reinterpret_cast<const std::uint8_t*>(credentials.identity.data()),
                  credentials.identity.size()};
    std::memcpy(authenticatorChallenge_, challenge.data, kChallengeSize);
    if (!FillRandom(peerChallenge_, kChallengeSize)) throw InternalFailure("produce a challenge");
    NtPasswordHash(credentials.password.span(), passwordHash_);
    NtResponse(authenticatorChallenge_, peerChallenge_, name, passwordHash_, ntResponse_);
    AuthenticatorResponse(passwordHash_, ntResponse_, peerChallenge_, authenticatorChallenge_,
                          name, expectedProof_);
    WriteMsChapHeader(response, kOpResponse, packet.id, 1 + kResponseValueSize + name.size);
    response->Put(static_cast<std::uint8_t>(kResponseValueSize));
    response->Put(ByteSpan{peerChallenge_, kChallengeSize});
    for (int i = 0; i < 8; ++i) response->Put(static_cast<std::uint8_t>(0));  // Reserved
    response->Put(ByteSpan{ntResponse_, kNtResponseSize});
    response->Put(static_cast<std::uint8_t>(0));  // Flags
    response->Put(name);
    stage_ = Stage::kResponded;
    return PeerAction::kSend;
  }

  PeerAction AnswerSuccess(const MsChapPacket& packet, TypeDataWriter* response) {
    if (stage_ != Stage::kResponded && stage_ != Stage::kServerProved) {
      return PeerAction::kDiscard;
    }
    std::uint8_t proof[kAuthenticatorResponseSize];
    if (!ParseAuthenticatorResponse(packet.data, proof) ||
        !ConstantTimeEqual(proof, expectedProof_, kAuthenticatorResponseSize)) {
      stage_ = Stage::kStart;
      throw MethodFailure{eap::kErrorInvalidData, eap::EAP_E_AUTHENTICATION_FAILED,
                          "The server's MS-CHAPv2 Success request carries no valid authenticator "
                          "response (S=): it did not prove it knows the password, so it is not "
                          "trusted",
                          "Check that this is the intended authentication server"};
    }
    stage_ = Stage::kServerProved;
    response->Put(static_cast<std::uint8_t>(kOpSuccess));
    return PeerAction::kSend;
  }

  PeerAction AnswerFailure(const MsChapPacket& packet, TypeDataWriter* response) {
    if (stage_ == Stage::kServerProved) return PeerAction::kDiscard;
    failure_ = ParseFailureMessage(packet.data);
    stage_ = Stage::kFailed;
    response->Put(static_cast<std::uint8_t>(kOpFailure));
    return PeerAction::kSend;
  }

  PeerContext context_;
  Stage stage_ = Stage::kStart;
  std::uint8_t authenticatorChallenge_[kChallengeSize] = {};
  std::uint8_t peerChallenge_[kChallengeSize] = {};
  std::uint8_t passwordHash_[kPasswordHashSize] = {};
  std::uint8_t ntResponse_[kNtResponseSize] = {};
  std::uint8_t expectedProof_[kAuthenticatorResponseSize] = {};
  std::uint8_t msk_[kMskSize] = {};
  FailureMessage failure_;
};
}  // namespace

std::unique_ptr<PeerMethod> MakePeer(const PeerContext& context) {
  return std::make_unique<MsChapV2Peer>(context);
}

}  // namespace mschapv2
}  // namespace eaphost
