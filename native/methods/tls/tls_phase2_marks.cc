#include "tls_phase2_marks.h"

#include <mutex>
#include <vector>

#include "../../common/secure_zero.h"
#include "../../common/crypto/digest.h"
#include "../../common/crypto/random.h"
#include "../support/user_secret.h"

namespace eaphost {
namespace tls {

namespace {
// The digest key: made once per process, never leaves it.
const std::uint8_t* DigestKey() {
  static std::uint8_t key[32];
  static bool made = false;
  static std::once_flag once;
  std::call_once(once, [] { made = FillRandom(key, sizeof(key)); });
  return made ? key : nullptr;
}
}  // namespace

bool DigestStoreAnswer(const std::string& identity, const eap::EapAttributes& given, SecretDigest* out) {
  ByteSpan secret;
  std::uint8_t kind = 1;
  if (!FindClearTextPassword(given, &secret)) {
    kind = 2;
    if (!FindNtHash(given, &secret)) return false;
  }
  const std::uint8_t* key = DigestKey();
  if (key == nullptr) return false;
  // identity ‖ 0 ‖ kind ‖ secret: a name cannot run into the secret (names hold no NUL).
  const std::uint8_t separator[2] = {0, kind};
  const ByteSpan parts[] = {{reinterpret_cast<const std::uint8_t*>(identity.data()), identity.size()},
                            {separator, sizeof(separator)},
                            secret};
  static_assert(kSha256DigestSize == std::tuple_size<SecretDigest>::value, "an HMAC-SHA256 digest");
  return Hmac(DigestAlgorithm::kSha256, ByteSpan{key, 32}, parts, sizeof(parts) / sizeof(parts[0]), out->data());
}

bool SameSecret(const SecretDigest& a, const SecretDigest& b) {
  unsigned char differ = 0;
  for (std::size_t i = 0; i < a.size(); ++i) differ |= static_cast<unsigned char>(a[i] ^ b[i]);
  return differ == 0;
}

void MarkPhase2Success(const TlsEngine& engine, std::uint8_t methodType, const std::string& identity,
                       const SecretDigest& digest) {
  Phase2Mark mark;
  mark.methodType = methodType;
  mark.identity = identity;
  mark.secretDigest = digest;
  engine.MarkPhase2Success(mark);
}

bool ResumedAfterPhase2(const TlsEngine& engine, std::uint8_t methodType, std::string* identity,
                        SecretDigest* digest) {
  if (!engine.resumed()) return false;
  Phase2Mark mark;
  if (!engine.CachedPhase2Mark(methodType, &mark)) return false;
  *identity = mark.identity;
  *digest = mark.secretDigest;
  return true;
}

FastReconnect::~FastReconnect() {
  SecureZero(seen_.data(), seen_.size());
  SecureZero(marked_.data(), marked_.size());
}

void FastReconnect::SawStoreAnswer(const std::string& identity, const eap::EapAttributes& given) {
  if (DigestStoreAnswer(identity, given, &seen_)) haveSeen_ = true;
}

void FastReconnect::Phase2Succeeded(const TlsEngine& engine, std::uint8_t methodType,
                                    const std::string& identity) const {
  if (haveSeen_) MarkPhase2Success(engine, methodType, identity, seen_);
}

bool FastReconnect::Resumed(const TlsEngine& engine, std::uint8_t methodType, std::string* identity) {
  return enabled_ && ResumedAfterPhase2(engine, methodType, identity, &marked_);
}

FastReconnect::Answer FastReconnect::Judge(const std::string& identity,
                                           const eap::EapAttributes& given) const {
  SecretDigest now;
  if (!DigestStoreAnswer(identity, given, &now)) return Answer::kUnknownUser;
  const bool same = SameSecret(now, marked_);
  SecureZero(now.data(), now.size());
  return same ? Answer::kSkipPhase2 : Answer::kRunPhase2;
}

void ForgetCachedSession(const TlsEngine& engine) { engine.ForgetCachedSession(); }

}  // namespace tls
}  // namespace eaphost
