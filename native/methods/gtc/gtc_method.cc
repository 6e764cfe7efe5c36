#include "gtc_method.h"

#include "../support/method_identity.h"
#include "../support/user_secret.h"

namespace eaphost {
namespace gtc {

namespace {
// Shown to the user by peers that display it; RFC 3748 §5.6 leaves the text to us.
const char kPrompt[] = "Password";

class GtcPeer final : public PeerMethod {
 public:
  explicit GtcPeer(const PeerContext& context) : context_(context) {}

  // The request's Type-Data is a message for a human; whatever it says, the answer is the
  // password (RFC 3748 §5.6). An empty message is allowed.
  PeerAction Process(const MethodPacketView&, TypeDataWriter* response) override {
    if (kEapTypedHeaderSize + context_.credentials->password.size() > context_.maxSendPacketSize) {
      throw MethodFailure{eap::kErrorBadLength, 0,
                          "The password does not fit the session's maximum send packet size of " +
                              Decimal(context_.maxSendPacketSize) + " bytes",
                          std::string()};
    }
    response->Put(context_.credentials->password.span());
    return PeerAction::kSend;
  }

  void Conclude(bool hostSuccess, PeerVerdict* verdict) override { ConcludeFromHost(hostSuccess, verdict); }

 private:
  PeerContext context_;
};

class GtcAuthenticator final : public AuthenticatorMethod {
 public:
  explicit GtcAuthenticator(const AuthenticatorContext& context) : identity_(context.identity) {}

  void MakeRequest(TypeDataWriter* request) override { request->Put(std::string(kPrompt)); }

  AuthenticatorAction Receive(const MethodPacketView& response) override {
    answer_.Assign(response.typeData.data, response.typeData.size);
    return AuthenticatorAction::kRespond;
  }

  std::vector<MethodAttribute> WantedAttributes() override {
    return SecretQuestions(identity_, false);
  }

  AuthenticatorAction TakeAttributes(const eap::EapAttributes& given) override {
    ByteSpan password;
    success_ = FindClearTextPassword(given, &password) && password.size == answer_.size() &&
               ConstantTimeEqual(password.data, answer_.data(), password.size);
    answer_.Clear();
    return AuthenticatorAction::kResult;
  }

  void Conclude(AuthenticatorVerdict* verdict) override {
    verdict->success = success_;
    if (!success_) verdict->failureReason = eap::EAP_E_USER_NAME_PASSWORD_REJECTED;
  }

 private:
  std::string identity_;
  SecretBytes answer_;
  bool success_ = false;
};
}  // namespace

const MethodDescriptor kDescriptor = {kEapTypeGtc, kMethodTitleGtc, true, MakePeerOf<GtcPeer>,
                                      MakeAuthenticatorOf<GtcAuthenticator>};

}  // namespace gtc
}  // namespace eaphost
