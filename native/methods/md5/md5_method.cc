#include "md5_method.h"

#include <cstring>

#include "../../common/secure_zero.h"
#include "../support/method_identity.h"
#include "../support/user_secret.h"
#include "../../common/crypto/digest.h"
#include "../../common/crypto/random.h"

namespace eaphost {
namespace md5 {

namespace {
constexpr std::size_t kChallengeSize = 16;
// Type octet + Value-Size octet + the 16-byte value: the smallest response we can send.
constexpr std::size_t kResponseFixedSize = kEapTypedHeaderSize + 1 + kMd5DigestSize;

// The CHAP response value: MD5(Identifier || secret || challenge) (RFC 1994 §4.1).
void ChapResponse(std::uint8_t identifier, ByteSpan secret, ByteSpan challenge,
                  std::uint8_t out[kMd5DigestSize]) {
  const ByteSpan parts[3] = {ByteSpan{&identifier, 1}, secret, challenge};
  if (!Digest(DigestAlgorithm::kMd5, parts, 3, out)) throw InternalFailure("compute MD5");
}

// Value-Size, Value, Name (RFC 1994 §4.1). A Value-Size of 0 or one running past the packet
// makes the packet unusable: RFC 3748 §4.1 has such packets silently discarded.
bool ReadValue(ByteSpan typeData, ByteSpan* value) {
  if (typeData.size == 0 || typeData.data[0] == 0 || typeData.data[0] > typeData.size - 1) {
    return false;
  }
  *value = ByteSpan{typeData.data + 1, typeData.data[0]};
  return true;
}

class Md5Peer final : public PeerMethod {
 public:
  explicit Md5Peer(const PeerContext& context) : context_(context) {}

  PeerAction Process(const MethodPacketView& request, TypeDataWriter* response) override {
    ByteSpan challenge;
    if (!ReadValue(request.typeData, &challenge)) return PeerAction::kDiscard;
    // The Name after the value identifies the authenticator; RFC 3748 gives the peer no use
    // for it, so it is read past and ignored.
    std::uint8_t value[kMd5DigestSize];
    ChapResponse(request.identifier, context_.credentials->password.span(), challenge, value);
    response->Put(static_cast<std::uint8_t>(kMd5DigestSize));
    response->Put(ByteSpan{value, kMd5DigestSize});
    SecureZero(value, sizeof(value));
    // The Name is informative only, so it is the part to drop when the link is too small.
    const std::string& name = context_.credentials->identity;
    if (kResponseFixedSize + name.size() <= context_.maxSendPacketSize) response->Put(name);
    return PeerAction::kSend;
  }

  void Conclude(bool hostSuccess, PeerVerdict* verdict) override { ConcludeFromHost(hostSuccess, verdict); }

 private:
  PeerContext context_;
};

class Md5Authenticator final : public AuthenticatorMethod {
 public:
  explicit Md5Authenticator(const AuthenticatorContext& context) : identity_(context.identity) {}
  ~Md5Authenticator() override {
    SecureZero(challenge_, sizeof(challenge_));
    SecureZero(response_, sizeof(response_));
  }

  void MakeRequest(TypeDataWriter* request) override {
    if (!FillRandom(challenge_, kChallengeSize)) throw InternalFailure("produce a challenge");
    // The Name field is optional (RFC 3748 §5.4) and would only reveal this host's name.
    request->Put(static_cast<std::uint8_t>(kChallengeSize));
    request->Put(ByteSpan{challenge_, kChallengeSize});
  }

  AuthenticatorAction Receive(const MethodPacketView& response) override {
    ByteSpan value;
    if (!ReadValue(response.typeData, &value) || value.size != kMd5DigestSize) {
      return AuthenticatorAction::kDiscard;
    }
    std::memcpy(response_, value.data, kMd5DigestSize);
    identifier_ = response.identifier;
    return AuthenticatorAction::kRespond;
  }

  std::vector<MethodAttribute> WantedAttributes() override {
    return SecretQuestions(identity_, false);
  }

  AuthenticatorAction TakeAttributes(const eap::EapAttributes& given) override {
    ByteSpan password;
    if (FindClearTextPassword(given, &password)) {
      std::uint8_t expected[kMd5DigestSize];
      ChapResponse(identifier_, password, ByteSpan{challenge_, kChallengeSize}, expected);
      success_ = ConstantTimeEqual(expected, response_, kMd5DigestSize);
      SecureZero(expected, sizeof(expected));
    }
    return AuthenticatorAction::kResult;
  }

  void Conclude(AuthenticatorVerdict* verdict) override {
    verdict->success = success_;
    if (!success_) verdict->failureReason = eap::EAP_E_USER_NAME_PASSWORD_REJECTED;
  }

 private:
  std::string identity_;
  std::uint8_t challenge_[kChallengeSize] = {};
  std::uint8_t response_[kMd5DigestSize] = {};
  std::uint8_t identifier_ = 0;
  bool success_ = false;
};
}  // namespace

const MethodDescriptor kDescriptor = {kEapTypeMd5, kMethodTitleMd5, true, MakePeerOf<Md5Peer>,
                                      MakeAuthenticatorOf<Md5Authenticator>};

}  // namespace md5
}  // namespace eaphost
