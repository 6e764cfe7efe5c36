#include "ttls_chap.h"

#include <cstring>

#include "../../common/secure_zero.h"
#include "../support/method_error.h"
#include "../support/secret_bytes.h"
#include "../../common/crypto/digest.h"
#include "../mschapv2/mschapv2_crypto.h"
#include "ttls_method.h"

namespace eaphost {
namespace ttls {

namespace {
constexpr std::size_t kChapChallengeSize = 16;
constexpr std::size_t kChapResponseSize = 16;  // MD5
constexpr std::size_t kMsChapChallengeSize = 8;
constexpr std::size_t kMsChapResponseSize = 50;  // Ident, Flags, LM-Response, NT-Response
constexpr std::uint8_t kMsChapUseNtResponse = 1;

std::size_t ChallengeSize(ChapKind kind) {
  return kind == ChapKind::kChap ? kChapChallengeSize : kMsChapChallengeSize;
}

// The challenge, then the Identifier (§11.1: as many octets as the challenge, plus one).
void DeriveChallenge(ChapKind kind, tls::TlsEngine& engine, std::uint8_t challenge[16],
                     std::uint8_t* ident) {
  std::uint8_t derived[kChapChallengeSize + 1];
  std::size_t size = ChallengeSize(kind);
  engine.Export(kChallengeLabel, ByteSpan{}, derived, size + 1);
  std::memcpy(challenge, derived, size);
  *ident = derived[size];
}

// RFC 1994 §4.1: MD5(Identifier ‖ secret ‖ challenge).
void ChapResponse(std::uint8_t ident, ByteSpan password, const std::uint8_t* challenge,
                  std::uint8_t out[kChapResponseSize]) {
  const ByteSpan parts[3] = {ByteSpan{&ident, 1}, password, ByteSpan{challenge, kChapChallengeSize}};
  if (!Digest(DigestAlgorithm::kMd5, parts, 3, out)) throw InternalFailure("compute a CHAP response");
}
}  // namespace

ChapAnswer::~ChapAnswer() { SecureZero(response, sizeof(response)); }

void PutChapAvps(ChapKind kind, tls::TlsEngine& engine, ByteSpan password,
                 std::vector<std::uint8_t>* avps) {
  std::uint8_t challenge[16];
  std::uint8_t ident = 0;
  DeriveChallenge(kind, engine, challenge, &ident);
  if (kind == ChapKind::kChap) {
    std::uint8_t answer[1 + kChapResponseSize] = {ident};
    ChapResponse(ident, password, challenge, answer + 1);
    PutAvp(avps, kAvpChapChallenge, 0, ByteSpan{challenge, kChapChallengeSize});
    PutAvp(avps, kAvpChapPassword, 0, ByteSpan{answer, sizeof(answer)});
    SecureZero(answer, sizeof(answer));
    return;
  }
  std::uint8_t hash[mschapv2::kPasswordHashSize];
  std::uint8_t answer[kMsChapResponseSize] = {ident, kMsChapUseNtResponse};
  mschapv2::NtPasswordHash(password, hash);
  mschapv2::ChallengeResponse(challenge, hash, answer + 26);
  SecureZero(hash, sizeof(hash));
  PutAvp(avps, kAvpMsChapChallenge, kVendorMicrosoft, ByteSpan{challenge, kMsChapChallengeSize});
  PutAvp(avps, kAvpMsChapResponse, kVendorMicrosoft, ByteSpan{answer, sizeof(answer)});
  SecureZero(answer, sizeof(answer));
}

bool TakeChapAnswer(const std::vector<Avp>& avps, tls::TlsEngine& engine, ChapAnswer* out) {
  const Avp* chapChallenge = FindAvp(avps, kAvpChapChallenge);
  const Avp* chapPassword = FindAvp(avps, kAvpChapPassword);
  const Avp* msChallenge = FindAvp(avps, kAvpMsChapChallenge, kVendorMicrosoft);
  const Avp* msResponse = FindAvp(avps, kAvpMsChapResponse, kVendorMicrosoft);
  const Avp* challenge;
  const Avp* response;
  std::size_t responseSize;
  if (chapChallenge != nullptr && chapPassword != nullptr) {
    out->kind = ChapKind::kChap;
    challenge = chapChallenge;
    response = chapPassword;
    responseSize = 1 + kChapResponseSize;
  } else if (msChallenge != nullptr && msResponse != nullptr) {
    out->kind = ChapKind::kMsChap;
    challenge = msChallenge;
    response = msResponse;
    responseSize = kMsChapResponseSize;
  } else {
    return false;
  }
  const char* name = out->kind == ChapKind::kChap ? "CHAP" : "MS-CHAP";
  std::size_t size = ChallengeSize(out->kind);
  std::uint8_t derived[16];
  DeriveChallenge(out->kind, engine, derived, &out->ident);
  if (challenge->data.size != size || response->data.size != responseSize) {
    throw InvalidPacket(std::string("The EAP-TTLS peer's ") + name + " AVPs have the wrong sizes");
  }
  // §11.2.2-3: a challenge other than the derived one may be a replay from another tunnel.
  if (std::memcmp(challenge->data.data, derived, size) != 0 || response->data.data[0] != out->ident) {
    throw InvalidPacket(std::string("The EAP-TTLS peer's ") + name +
                        " challenge is not the one derived from the tunnel");
  }
  std::memcpy(out->challenge, derived, size);
  if (out->kind == ChapKind::kChap) {
    std::memcpy(out->response, response->data.data + 1, kChapResponseSize);
  } else {
    if ((response->data.data[1] & kMsChapUseNtResponse) == 0) {
      throw InvalidPacket("The EAP-TTLS peer's MS-CHAP-Response carries only the LM-Response, "
                          "which this authenticator does not accept");
    }
    std::memcpy(out->response, response->data.data + 26, mschapv2::kNtResponseSize);
  }
  return true;
}

bool NtHashOfSecret(const ByteSpan* password, const ByteSpan* ntHash,
                    std::uint8_t out[mschapv2::kPasswordHashSize]) {
  if (ntHash != nullptr && ntHash->size == mschapv2::kPasswordHashSize) {
    std::memcpy(out, ntHash->data, mschapv2::kPasswordHashSize);
    return true;
  }
  if (password == nullptr) return false;
  mschapv2::NtPasswordHash(*password, out);
  return true;
}

bool ChapAnswerValid(const ChapAnswer& answer, const ByteSpan* password, const ByteSpan* ntHash) {
  if (answer.kind == ChapKind::kChap) {
    if (password == nullptr) return false;
    std::uint8_t expected[kChapResponseSize];
    ChapResponse(answer.ident, *password, answer.challenge, expected);
    bool ok = ConstantTimeEqual(expected, answer.response, sizeof(expected));
    SecureZero(expected, sizeof(expected));
    return ok;
  }
  std::uint8_t hash[mschapv2::kPasswordHashSize];
  if (!NtHashOfSecret(password, ntHash, hash)) return false;
  std::uint8_t expected[mschapv2::kNtResponseSize];
  mschapv2::ChallengeResponse(answer.challenge, hash, expected);
  bool ok = ConstantTimeEqual(expected, answer.response, sizeof(expected));
  SecureZero(hash, sizeof(hash));
  SecureZero(expected, sizeof(expected));
  return ok;
}

}  // namespace ttls
}  // namespace eaphost
