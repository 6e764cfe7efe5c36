#include "md5_authenticator.h"

#include <atomic>
#include <cstring>
#include <memory>
#include <string>

#include "../../common/secure_zero.h"
#include "../common/method_error.h"
#include "../common/method_identity.h"
#include "../common/method_memory.h"
#include "../common/method_packet.h"
#include "../common/secret_bytes.h"
#include "../common/wide_text.h"
#include "../crypto/md5.h"
#include "../crypto/random.h"

namespace eaphost {
namespace md5 {

namespace {
const eap::EAP_METHOD_TYPE kMethodType = MethodTypeOf(kEapTypeMd5Challenge);
// Non-const because the routine table's pEapType is a non-const pointer.
eap::EAP_METHOD_TYPE gAuthenticatorType = MethodTypeOf(kEapTypeMd5Challenge);
std::atomic<int> gInitializeCount{0};

constexpr std::size_t kChallengeSize = 16;
constexpr std::size_t kChallengePacketSize = kEapTypedHeaderSize + 1 + kChallengeSize;
// An identity from the host's Identity exchange: generous, but bounded.
constexpr std::size_t kMaxIdentityUnits = 1024;
constexpr std::uint32_t kAuthenticatorSessionTag = 0x4D443541;  // "MD5A"

enum class Stage {
  kIdle,             // nothing sent yet
  kChallengeSent,    // waiting for the peer's response
  kAwaitingPassword, // response kept; RESPOND given, waiting for SetAttributes
  kDecided,          // result known
};

struct AuthenticatorSession {
  std::uint32_t tag = kAuthenticatorSessionTag;
  std::string identity;  // UTF-8
  std::size_t maxSendPacketSize = 0;
  Stage stage = Stage::kIdle;
  std::uint8_t identifier = 0;
  std::uint8_t challenge[kChallengeSize] = {};
  std::uint8_t response[kMd5DigestSize] = {};
  bool success = false;

  ~AuthenticatorSession() {
    tag = 0;
    SecureZero(challenge, sizeof(challenge));
    SecureZero(response, sizeof(response));
  }
};

const char* StageName(Stage stage) {
  switch (stage) {
    case Stage::kIdle: return "no challenge sent yet";
    case Stage::kChallengeSent: return "waiting for the peer's response";
    case Stage::kAwaitingPassword: return "waiting for the host's password attribute";
    case Stage::kDecided: return "the result is decided";
  }
  return "unknown";
}

std::string Num(std::size_t n) { return Decimal(n); }

eap::DWORD Fail(eap::EAP_ERROR** ppEapError, eap::DWORD winError, const std::string& rootCause,
                eap::DWORD reason = 0, const std::string& repair = std::string()) {
  return RaiseError(ppEapError, kMethodType, winError, reason, rootCause, repair);
}

eap::DWORD WrongStage(eap::EAP_ERROR** ppEapError, const char* call, Stage stage) {
  return Fail(ppEapError, eap::kErrorInvalidState,
              std::string(call) + " is not valid now: the EAP-MD5 authenticator session is at '" +
                  StageName(stage) + "'");
}

AuthenticatorSession* SessionFrom(eap::EAP_SESSION_HANDLE handle) {
  auto* session = static_cast<AuthenticatorSession*>(handle);
  return session != nullptr && session->tag == kAuthenticatorSessionTag ? session : nullptr;
}

eap::DWORD BadHandle(eap::EAP_ERROR** ppEapError, const char* call) {
  return Fail(ppEapError, eap::kErrorInvalidHandle,
              std::string(call) + " was given a null or foreign EAP-MD5 authenticator session");
}

eap::DWORD EAP_API Initialize(eap::EAP_METHOD_TYPE* type, eap::EAP_ERROR** ppEapError) {
  return GuardAbiCall(ppEapError, kMethodType, "EapMethodAuthenticatorInitialize",
                      [&]() -> eap::DWORD {
    gInitializeCount.fetch_add(1);
    return eap::kErrorSuccess;
  });
}

eap::DWORD EAP_API Shutdown(eap::EAP_METHOD_TYPE* type, eap::EAP_ERROR** ppEapError) {
  return GuardAbiCall(ppEapError, kMethodType, "EapMethodAuthenticatorShutdown",
                      [&]() -> eap::DWORD {
    // Never below zero, so an unbalanced Shutdown cannot hide a later Initialize.
    int count = gInitializeCount.load();
    while (count > 0 && !gInitializeCount.compare_exchange_weak(count, count - 1)) {
    }
    return eap::kErrorSuccess;
  });
}

eap::DWORD EAP_API BeginSession(eap::DWORD flags, eap::LPCWSTR identity,
                                const eap::EapAttributes* const attributes,
                                eap::DWORD connectionDataSize,
                                const eap::BYTE* const connectionData,
                                eap::DWORD maxSendPacketSize,
                                eap::EAP_SESSION_HANDLE* sessionHandle,
                                eap::EAP_ERROR** ppEapError) {
  return GuardAbiCall(ppEapError, kMethodType, "EapMethodAuthenticatorBeginSession",
                      [&]() -> eap::DWORD {
    if (sessionHandle == nullptr) {
      return Fail(ppEapError, eap::kErrorInvalidParameter,
                  "EapMethodAuthenticatorBeginSession needs pSessionHandle");
    }
    *sessionHandle = nullptr;
    std::string name;
    if (!ReadWideAsUtf8(identity, kMaxIdentityUnits, &name)) {
      return Fail(ppEapError, eap::kErrorInvalidParameter,
                  "The peer identity is longer than " + Num(kMaxIdentityUnits) + " characters");
    }
    auto session = std::make_unique<AuthenticatorSession>();
    session->identity = std::move(name);
    // 0 means the host set no limit; the EAP Length field caps every packet anyway.
    session->maxSendPacketSize = maxSendPacketSize == 0 ? 0xFFFF : maxSendPacketSize;
    *sessionHandle = session.release();
    return eap::kErrorSuccess;
  });
}

eap::DWORD EAP_API UpdateInnerMethodParams(eap::EAP_SESSION_HANDLE handle, eap::DWORD flags,
                                           const eap::WCHAR* identity,
                                           const eap::EapAttributes* const attributes,
                                           eap::EAP_ERROR** ppEapError) {
  return GuardAbiCall(ppEapError, kMethodType, "EapMethodAuthenticatorUpdateInnerMethodParams",
                      [&]() -> eap::DWORD {
    return Fail(ppEapError, eap::kErrorNotSupported,
                "EAP-MD5 is not run as an inner method, so it takes no inner-method parameters");
  });
}

eap::DWORD EAP_API SendPacket(eap::EAP_SESSION_HANDLE handle, eap::BYTE identifier,
                              eap::DWORD* sendSize, eap::EapPacket* sendPacket,
                              eap::EAP_AUTHENTICATOR_SEND_TIMEOUT* timeout,
                              eap::EAP_ERROR** ppEapError) {
  return GuardAbiCall(ppEapError, kMethodType, "EapMethodAuthenticatorSendPacket",
                      [&]() -> eap::DWORD {
    AuthenticatorSession* session = SessionFrom(handle);
    if (session == nullptr) return BadHandle(ppEapError, "EapMethodAuthenticatorSendPacket");
    if (sendSize == nullptr || timeout == nullptr) {
      return Fail(ppEapError, eap::kErrorInvalidParameter,
                  "EapMethodAuthenticatorSendPacket needs pcbSendPacket and pTimeout");
    }
    if (session->stage != Stage::kIdle && session->stage != Stage::kChallengeSent) {
      return WrongStage(ppEapError, "EapMethodAuthenticatorSendPacket", session->stage);
    }
    if (kChallengePacketSize > session->maxSendPacketSize) {
      return Fail(ppEapError, eap::kErrorBadLength,
                  "The session's maximum send packet size of " +
                      Num(session->maxSendPacketSize) + " bytes is below the " +
                      Num(kChallengePacketSize) + " bytes an MD5-Challenge request needs");
    }
    if (sendPacket == nullptr || *sendSize < kChallengePacketSize) {
      std::string given = Num(*sendSize);
      *sendSize = static_cast<eap::DWORD>(kChallengePacketSize);
      return Fail(ppEapError, eap::kErrorInsufficientBuffer,
                  "The MD5-Challenge request needs " + Num(kChallengePacketSize) +
                      " bytes; the buffer has " + given,
                  0, "Call again with a buffer of *pcbSendPacket bytes");
    }
    // A retransmission (same Identifier) must repeat the challenge the peer may already be
    // answering; anything else is a new round and gets fresh randomness.
    bool retransmission = session->stage == Stage::kChallengeSent &&
                          session->identifier == identifier;
    if (!retransmission) {
      if (!FillRandom(session->challenge, kChallengeSize)) {
        return Fail(ppEapError, eap::kErrorInvalidState,
                    "The operating system's random number generator failed; no challenge sent");
      }
      session->identifier = identifier;
    }
    // The Name field is optional (RFC 3748 §5.4) and would only reveal this host's name.
    WriteMethodHeader(sendPacket, eap::EapCodeRequest, identifier,
                      static_cast<std::uint16_t>(kChallengePacketSize), kEapTypeMd5Challenge);
    std::uint8_t* cursor = TypeDataOf(sendPacket);
    *cursor++ = static_cast<std::uint8_t>(kChallengeSize);
    std::memcpy(cursor, session->challenge, kChallengeSize);
    *sendSize = static_cast<eap::DWORD>(kChallengePacketSize);
    *timeout = eap::EAP_AUTHENTICATOR_SEND_TIMEOUT_BASIC;
    session->stage = Stage::kChallengeSent;
    return eap::kErrorSuccess;
  });
}

eap::DWORD EAP_API ReceivePacket(eap::EAP_SESSION_HANDLE handle, eap::DWORD received,
                                 const eap::EapPacket* const packet,
                                 eap::EAP_METHOD_AUTHENTICATOR_RESPONSE_ACTION* output,
                                 eap::EAP_ERROR** ppEapError) {
  return GuardAbiCall(ppEapError, kMethodType, "EapMethodAuthenticatorReceivePacket",
                      [&]() -> eap::DWORD {
    AuthenticatorSession* session = SessionFrom(handle);
    if (session == nullptr) return BadHandle(ppEapError, "EapMethodAuthenticatorReceivePacket");
    if (output == nullptr || (packet == nullptr && received != 0)) {
      return Fail(ppEapError, eap::kErrorInvalidParameter,
                  "EapMethodAuthenticatorReceivePacket needs pEapOutput and, when "
                  "cbReceivePacket is not 0, the packet");
    }
    if (session->stage == Stage::kIdle) {
      return WrongStage(ppEapError, "EapMethodAuthenticatorReceivePacket", session->stage);
    }
    // RFC 3748 §4.1/§5: a response that does not answer the outstanding request, or cannot be
    // parsed, is silently discarded; the host's retransmission timer carries on.
    *output = eap::EAP_METHOD_AUTHENTICATOR_RESPONSE_DISCARD;
    if (session->stage != Stage::kChallengeSent) return eap::kErrorSuccess;
    MethodPacketView view;
    ValueSizeData fields;
    std::string ignored;
    if (!ReadMethodPacket(packet, received, "MD5-Challenge response", &view, &ignored) ||
        view.code != eap::EapCodeResponse || view.type != kEapTypeMd5Challenge ||
        view.identifier != session->identifier ||
        !ReadValueSizeData(view.typeData, "MD5-Challenge response", &fields, &ignored) ||
        fields.value.size != kMd5DigestSize) {
      return eap::kErrorSuccess;
    }
    std::memcpy(session->response, fields.value.data, kMd5DigestSize);
    session->stage = Stage::kAwaitingPassword;
    *output = eap::EAP_METHOD_AUTHENTICATOR_RESPONSE_RESPOND;
    return eap::kErrorSuccess;
  });
}

eap::DWORD EAP_API GetAttributes(eap::EAP_SESSION_HANDLE handle, eap::EapAttributes* attributes,
                                 eap::EAP_ERROR** ppEapError) {
  return GuardAbiCall(ppEapError, kMethodType, "EapMethodAuthenticatorGetAttributes",
                      [&]() -> eap::DWORD {
    AuthenticatorSession* session = SessionFrom(handle);
    if (session == nullptr) return BadHandle(ppEapError, "EapMethodAuthenticatorGetAttributes");
    if (attributes == nullptr) {
      return Fail(ppEapError, eap::kErrorInvalidParameter,
                  "EapMethodAuthenticatorGetAttributes needs pAttribs");
    }
    attributes->dwNumberOfAttributes = 0;
    attributes->pAttribs = nullptr;
    if (session->stage != Stage::kAwaitingPassword) {
      return WrongStage(ppEapError, "EapMethodAuthenticatorGetAttributes", session->stage);
    }
    // One block (array + user name) so the host frees it with one FreeMemory call. An empty
    // eatClearTextPassword is the question: "what is this user's password?".
    std::size_t nameSize = session->identity.size();
    auto* array = static_cast<eap::EAP_ATTRIBUTE*>(
        AllocateMethodMemory(2 * sizeof(eap::EAP_ATTRIBUTE) + nameSize));
    if (array == nullptr) {
      return Fail(ppEapError, eap::kErrorNotEnoughMemory, "No memory for the attribute request");
    }
    auto* name = reinterpret_cast<eap::BYTE*>(array + 2);
    if (nameSize != 0) std::memcpy(name, session->identity.data(), nameSize);
    array[0] = {eap::eatUserName, static_cast<eap::DWORD>(nameSize), nameSize ? name : nullptr};
    array[1] = {eap::eatClearTextPassword, 0, nullptr};
    attributes->dwNumberOfAttributes = 2;
    attributes->pAttribs = array;
    return eap::kErrorSuccess;
  });
}

eap::DWORD EAP_API SetAttributes(eap::EAP_SESSION_HANDLE handle,
                                 const eap::EapAttributes* attributes,
                                 eap::EAP_METHOD_AUTHENTICATOR_RESPONSE_ACTION* output,
                                 eap::EAP_ERROR** ppEapError) {
  return GuardAbiCall(ppEapError, kMethodType, "EapMethodAuthenticatorSetAttributes",
                      [&]() -> eap::DWORD {
    AuthenticatorSession* session = SessionFrom(handle);
    if (session == nullptr) return BadHandle(ppEapError, "EapMethodAuthenticatorSetAttributes");
    if (output == nullptr) {
      return Fail(ppEapError, eap::kErrorInvalidParameter,
                  "EapMethodAuthenticatorSetAttributes needs pEapOutput");
    }
    if (session->stage != Stage::kAwaitingPassword) {
      return WrongStage(ppEapError, "EapMethodAuthenticatorSetAttributes", session->stage);
    }
    const eap::EAP_ATTRIBUTE* password = nullptr;
    eap::DWORD count = attributes == nullptr ? 0 : attributes->dwNumberOfAttributes;
    if (count != 0 && attributes->pAttribs == nullptr) {
      return Fail(ppEapError, eap::kErrorInvalidParameter,
                  "The attribute array claims " + Num(count) + " attributes but has none");
    }
    for (eap::DWORD i = 0; i < count && password == nullptr; ++i) {
      const eap::EAP_ATTRIBUTE& attribute = attributes->pAttribs[i];
      // A null value is our own question echoed back unanswered: the user is unknown.
      if (attribute.eaType == eap::eatClearTextPassword && attribute.pValue != nullptr) {
        password = &attribute;
      }
      if (attribute.eaType == eap::eatClearTextPassword && attribute.pValue == nullptr &&
          attribute.dwLength != 0) {
        return Fail(ppEapError, eap::kErrorInvalidParameter,
                    "The password attribute has a length of " + Num(attribute.dwLength) +
                        " bytes but no value");
      }
    }
    session->success = false;
    if (password != nullptr) {
      std::uint8_t expected[kMd5DigestSize];
      bool computed = ChapMd5Response(session->identifier,
                                      ByteSpan{password->pValue, password->dwLength},
                                      ByteSpan{session->challenge, kChallengeSize}, expected);
      session->success = computed && ConstantTimeEqual(expected, session->response,
                                                       kMd5DigestSize);
      SecureZero(expected, sizeof(expected));
      if (!computed) {
        return Fail(ppEapError, eap::kErrorInvalidState,
                    "The system MD5 implementation failed to compute the expected response");
      }
    }
    session->stage = Stage::kDecided;
    *output = eap::EAP_METHOD_AUTHENTICATOR_RESPONSE_RESULT;
    return eap::kErrorSuccess;
  });
}

eap::DWORD EAP_API GetResult(eap::EAP_SESSION_HANDLE handle,
                             eap::EAP_METHOD_AUTHENTICATOR_RESULT* result,
                             eap::EAP_ERROR** ppEapError) {
  return GuardAbiCall(ppEapError, kMethodType, "EapMethodAuthenticatorGetResult",
                      [&]() -> eap::DWORD {
    AuthenticatorSession* session = SessionFrom(handle);
    if (session == nullptr) return BadHandle(ppEapError, "EapMethodAuthenticatorGetResult");
    if (result == nullptr) {
      return Fail(ppEapError, eap::kErrorInvalidParameter,
                  "EapMethodAuthenticatorGetResult needs pResult");
    }
    if (session->stage != Stage::kDecided) {
      return WrongStage(ppEapError, "EapMethodAuthenticatorGetResult", session->stage);
    }
    // MD5-Challenge derives no keys, so there are no attributes (no MPPE keys) to hand over.
    result->fIsSuccess = session->success ? eap::kTrue : eap::kFalse;
    result->dwFailureReason = 0;
    if (!session->success) result->dwFailureReason = eap::EAP_E_USER_NAME_PASSWORD_REJECTED;
    result->pAuthAttribs = nullptr;
    return eap::kErrorSuccess;
  });
}

eap::DWORD EAP_API EndSession(eap::EAP_SESSION_HANDLE handle, eap::EAP_ERROR** ppEapError) {
  return GuardAbiCall(ppEapError, kMethodType, "EapMethodAuthenticatorEndSession",
                      [&]() -> eap::DWORD {
    AuthenticatorSession* session = SessionFrom(handle);
    if (session == nullptr) return BadHandle(ppEapError, "EapMethodAuthenticatorEndSession");
    delete session;  // the destructor wipes the challenge and response
    return eap::kErrorSuccess;
  });
}
}  // namespace

void FillAuthenticatorRoutines(eap::EAP_AUTHENTICATOR_METHOD_ROUTINES* routines) {
  routines->dwSizeInBytes = sizeof(eap::EAP_AUTHENTICATOR_METHOD_ROUTINES);
  routines->pEapType = &gAuthenticatorType;
  routines->EapMethodAuthenticatorInitialize = Initialize;
  routines->EapMethodAuthenticatorBeginSession = BeginSession;
  routines->EapMethodAuthenticatorUpdateInnerMethodParams = UpdateInnerMethodParams;
  routines->EapMethodAuthenticatorReceivePacket = ReceivePacket;
  routines->EapMethodAuthenticatorSendPacket = SendPacket;
  routines->EapMethodAuthenticatorGetAttributes = GetAttributes;
  routines->EapMethodAuthenticatorSetAttributes = SetAttributes;
  routines->EapMethodAuthenticatorGetResult = GetResult;
  routines->EapMethodAuthenticatorEndSession = EndSession;
  routines->EapMethodAuthenticatorShutdown = Shutdown;
}

}  // namespace md5
}  // namespace eaphost
