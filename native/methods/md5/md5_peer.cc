#include "md5_peer.h"

#include <atomic>
#include <cstring>
#include <memory>
#include <string>

#include "../../common/secure_zero.h"
#include "../common/method_error.h"
#include "../common/method_identity.h"
#include "../common/method_memory.h"
#include "../common/method_packet.h"
#include "../common/wide_text.h"
#include "../crypto/md5.h"
#include "md5_user_blob.h"

namespace eaphost {
namespace md5 {

namespace {
const eap::EAP_METHOD_TYPE kMethodType = MethodTypeOf(kEapTypeMd5Challenge);
// Non-const because the routine table's pEapType is a non-const pointer.
eap::EAP_TYPE gPeerEapType = MethodTypeOf(kEapTypeMd5Challenge).eapType;
std::atomic<int> gInitializeCount{0};

// Type octet + Value-Size octet + the 16-byte value: the smallest response we can send.
constexpr std::size_t kResponseFixedSize = kEapTypedHeaderSize + 1 + kMd5DigestSize;
constexpr std::size_t kMaxEapLength = 0xFFFF;
// A tag at the front of every session lets us refuse a handle that is not ours (for example
// an authenticator session handed to the peer) instead of misreading it.
constexpr std::uint32_t kPeerSessionTag = 0x4D443550;  // "MD5P"

struct PeerSession {
  std::uint32_t tag = kPeerSessionTag;
  std::string identity;  // UTF-8, sent as the response's Name
  SecretBytes password;  // UTF-8, the CHAP secret
  bool hasCredentials = false;
  std::size_t maxSendPacketSize = kMaxEapLength;
  bool responsePending = false;
  std::uint8_t responseIdentifier = 0;
  std::uint8_t responseValue[kMd5DigestSize] = {};

  ~PeerSession() {
    tag = 0;
    SecureZero(responseValue, sizeof(responseValue));
  }
};

std::string Num(std::size_t n) { return Decimal(n); }

eap::DWORD Fail(eap::EAP_ERROR** ppEapError, eap::DWORD winError, const std::string& rootCause,
                eap::DWORD reason = 0, const std::string& repair = std::string()) {
  return RaiseError(ppEapError, kMethodType, winError, reason, rootCause, repair);
}

PeerSession* SessionFrom(eap::EAP_SESSION_HANDLE handle) {
  auto* session = static_cast<PeerSession*>(handle);
  return session != nullptr && session->tag == kPeerSessionTag ? session : nullptr;
}

eap::DWORD BadHandle(eap::EAP_ERROR** ppEapError, const char* call) {
  return Fail(ppEapError, eap::kErrorInvalidHandle,
              std::string(call) + " was given a null or foreign EAP-MD5 peer session handle");
}

eap::DWORD InvalidPacket(eap::EAP_ERROR** ppEapError, const std::string& why) {
  return Fail(ppEapError, eap::kErrorInvalidData, why, eap::EAP_E_EAPHOST_METHOD_INVALID_PACKET);
}

eap::DWORD EAP_API Initialize(eap::EAP_ERROR** ppEapError) {
  return GuardAbiCall(ppEapError, kMethodType, "EapPeerInitialize", [&]() -> eap::DWORD {
    gInitializeCount.fetch_add(1);
    return eap::kErrorSuccess;
  });
}

eap::DWORD EAP_API Shutdown(eap::EAP_ERROR** ppEapError) {
  return GuardAbiCall(ppEapError, kMethodType, "EapPeerShutdown", [&]() -> eap::DWORD {
    // Never below zero, so an unbalanced Shutdown cannot hide a later Initialize.
    int count = gInitializeCount.load();
    while (count > 0 && !gInitializeCount.compare_exchange_weak(count, count - 1)) {
    }
    return eap::kErrorSuccess;
  });
}

eap::DWORD EAP_API GetIdentity(eap::DWORD flags, eap::DWORD connectionDataSize,
                               const eap::BYTE* connectionData, eap::DWORD userDataSize,
                               const eap::BYTE* userData, eap::HANDLE impersonationToken,
                               eap::BOOL* invokeUi, eap::DWORD* userDataOutSize,
                               eap::BYTE** userDataOut, eap::LPWSTR* identity,
                               eap::EAP_ERROR** ppEapError) {
  return GuardAbiCall(ppEapError, kMethodType, "EapPeerGetIdentity", [&]() -> eap::DWORD {
    if (invokeUi == nullptr || userDataOutSize == nullptr || userDataOut == nullptr ||
        identity == nullptr) {
      return Fail(ppEapError, eap::kErrorInvalidParameter,
                  "EapPeerGetIdentity needs pfInvokeUI, pdwSizeOfUserDataOut, ppUserDataOut "
                  "and ppwszIdentity");
    }
    *invokeUi = eap::kFalse;
    *userDataOutSize = 0;
    *userDataOut = nullptr;
    *identity = nullptr;
    if (userData == nullptr || userDataSize == 0) {
      return Fail(ppEapError, eap::kErrorInvalidData,
                  "EAP-MD5 has no user interface and was given no user blob to take the "
                  "identity from", eap::EAP_E_EAPHOST_IDENTITY_UNKNOWN,
                  "Supply credentials made by EapPeerQueryUserBlobFromCredentialInputFields");
    }
    Md5Credentials credentials;
    std::string why;
    if (!ParseUserBlob(userData, userDataSize, &credentials, &why)) {
      return Fail(ppEapError, eap::kErrorInvalidData, why, eap::EAP_E_EAPHOST_IDENTITY_UNKNOWN,
                  "Make the blob again with EapPeerQueryUserBlobFromCredentialInputFields");
    }
    eap::WCHAR* name = DuplicateUtf8AsWide(credentials.userName);
    // Handing the blob back keeps it flowing to BeginSession whichever blob the host keeps.
    eap::BYTE* blobCopy = CopyUserBlob(userData, userDataSize);
    if (name == nullptr || blobCopy == nullptr) {
      FreeMethodMemory(name);
      FreeMethodMemory(blobCopy);
      return Fail(ppEapError, eap::kErrorNotEnoughMemory, "No memory for the EAP-MD5 identity");
    }
    *identity = name;
    *userDataOut = blobCopy;
    *userDataOutSize = userDataSize;
    return eap::kErrorSuccess;
  });
}

eap::DWORD EAP_API BeginSession(eap::DWORD flags, const eap::EapAttributes* const attributes,
                                eap::HANDLE impersonationToken, eap::DWORD connectionDataSize,
                                eap::BYTE* connectionData, eap::DWORD userDataSize,
                                eap::BYTE* userData, eap::DWORD maxSendPacketSize,
                                eap::EAP_SESSION_HANDLE* sessionHandle,
                                eap::EAP_ERROR** ppEapError) {
  return GuardAbiCall(ppEapError, kMethodType, "EapPeerBeginSession", [&]() -> eap::DWORD {
    if (sessionHandle == nullptr) {
      return Fail(ppEapError, eap::kErrorInvalidParameter,
                  "EapPeerBeginSession was given no place to return the session handle");
    }
    *sessionHandle = nullptr;
    auto session = std::make_unique<PeerSession>();
    // No blob is allowed: credentials may still come through EapPeerSetCredentials.
    if (userDataSize != 0) {
      Md5Credentials credentials;
      std::string why;
      if (!ParseUserBlob(userData, userDataSize, &credentials, &why)) {
        return Fail(ppEapError, eap::kErrorInvalidData, why, eap::EAP_E_USER_CREDENTIALS_REJECTED,
                    "Make the blob again with EapPeerQueryUserBlobFromCredentialInputFields");
      }
      session->identity = std::move(credentials.userName);
      session->password = std::move(credentials.password);
      session->hasCredentials = true;
    }
    // 0 means the host set no limit; the EAP Length field caps every packet anyway.
    if (maxSendPacketSize != 0 && maxSendPacketSize < kMaxEapLength) {
      session->maxSendPacketSize = maxSendPacketSize;
    }
    *sessionHandle = session.release();
    return eap::kErrorSuccess;
  });
}

eap::DWORD EAP_API SetCredentials(eap::EAP_SESSION_HANDLE handle, eap::LPWSTR identity,
                                  eap::LPWSTR password, eap::EAP_ERROR** ppEapError) {
  return GuardAbiCall(ppEapError, kMethodType, "EapPeerSetCredentials", [&]() -> eap::DWORD {
    PeerSession* session = SessionFrom(handle);
    if (session == nullptr) return BadHandle(ppEapError, "EapPeerSetCredentials");
    std::string name;
    if (identity == nullptr || !ReadWideAsUtf8(identity, kMaxUserNameUnits, &name) ||
        name.empty()) {
      return Fail(ppEapError, eap::kErrorInvalidParameter,
                  "EapPeerSetCredentials needs an identity of 1 to " + Num(kMaxUserNameUnits) +
                      " characters");
    }
    SecretBytes secret;
    // A null password is an empty secret, which CHAP allows.
    if (!WideToUtf8Secret(password, kMaxPasswordUnits, &secret)) {
      return Fail(ppEapError, eap::kErrorInvalidParameter,
                  "EapPeerSetCredentials was given a password longer than " +
                      Num(kMaxPasswordUnits) + " characters");
    }
    session->identity = std::move(name);
    session->password = std::move(secret);
    session->hasCredentials = true;
    return eap::kErrorSuccess;
  });
}

eap::DWORD EAP_API ProcessRequestPacket(eap::EAP_SESSION_HANDLE handle, eap::DWORD received,
                                        eap::EapPacket* packet, eap::EapPeerMethodOutput* output,
                                        eap::EAP_ERROR** ppEapError) {
  return GuardAbiCall(ppEapError, kMethodType, "EapPeerProcessRequestPacket", [&]() -> eap::DWORD {
    PeerSession* session = SessionFrom(handle);
    if (session == nullptr) return BadHandle(ppEapError, "EapPeerProcessRequestPacket");
    if (output == nullptr || packet == nullptr) {
      return Fail(ppEapError, eap::kErrorInvalidParameter,
                  "EapPeerProcessRequestPacket needs a packet and pEapOutput");
    }
    const char* what = "MD5-Challenge request";
    MethodPacketView view;
    ValueSizeData fields;
    std::string why;
    if (!ReadMethodPacket(packet, received, what, &view, &why)) {
      return InvalidPacket(ppEapError, why);
    }
    if (view.code != eap::EapCodeRequest) {
      return InvalidPacket(ppEapError, std::string(what) + " has Code " + Num(view.code) +
                                           "; the peer method only takes Requests (Code 1)");
    }
    if (view.type != kEapTypeMd5Challenge) {
      return InvalidPacket(ppEapError, std::string(what) + " has Type " + Num(view.type) +
                                           "; this method handles Type 4 (MD5-Challenge)");
    }
    if (!ReadValueSizeData(view.typeData, what, &fields, &why)) {
      return InvalidPacket(ppEapError, why);
    }
    if (!session->hasCredentials) {
      return Fail(ppEapError, eap::kErrorInvalidState,
                  "The EAP-MD5 peer has no credentials to answer the challenge with",
                  eap::EAP_E_EAPHOST_IDENTITY_UNKNOWN,
                  "Pass a user blob to EapPeerBeginSession or call EapPeerSetCredentials");
    }
    // The Name after the value identifies the authenticator; RFC 3748 gives the peer no use
    // for it, so it is read past and ignored.
    if (!ChapMd5Response(view.identifier, session->password.span(), fields.value,
                         session->responseValue)) {
      return Fail(ppEapError, eap::kErrorInvalidState,
                  "The system MD5 implementation failed to compute the CHAP response");
    }
    session->responseIdentifier = view.identifier;
    session->responsePending = true;
    output->action = eap::EapPeerMethodResponseActionSend;
    output->fAllowNotifications = eap::kTrue;
    return eap::kErrorSuccess;
  });
}

eap::DWORD EAP_API GetResponsePacket(eap::EAP_SESSION_HANDLE handle, eap::DWORD* sendSize,
                                     eap::EapPacket* sendPacket, eap::EAP_ERROR** ppEapError) {
  return GuardAbiCall(ppEapError, kMethodType, "EapPeerGetResponsePacket", [&]() -> eap::DWORD {
    PeerSession* session = SessionFrom(handle);
    if (session == nullptr) return BadHandle(ppEapError, "EapPeerGetResponsePacket");
    if (sendSize == nullptr) {
      return Fail(ppEapError, eap::kErrorInvalidParameter,
                  "EapPeerGetResponsePacket needs pcbSendPacket");
    }
    if (!session->responsePending) {
      return Fail(ppEapError, eap::kErrorInvalidState,
                  "EapPeerGetResponsePacket was called with no MD5-Challenge response pending",
                  0, "Call EapPeerProcessRequestPacket with a challenge first");
    }
    std::size_t limit = session->maxSendPacketSize;
    std::size_t nameSize = session->identity.size();
    // The Name is informative only, so it is the part to drop when the link is too small.
    if (kResponseFixedSize + nameSize > limit) nameSize = 0;
    std::size_t length = kResponseFixedSize + nameSize;
    if (length > limit) {
      return Fail(ppEapError, eap::kErrorBadLength,
                  "The session's maximum send packet size of " + Num(limit) +
                      " bytes is below the " + Num(kResponseFixedSize) +
                      " bytes an MD5-Challenge response needs");
    }
    if (sendPacket == nullptr || *sendSize < length) {
      std::string given = Num(*sendSize);
      *sendSize = static_cast<eap::DWORD>(length);
      return Fail(ppEapError, eap::kErrorInsufficientBuffer,
                  "The MD5-Challenge response needs " + Num(length) + " bytes; the buffer has " +
                      given, 0, "Call again with a buffer of *pcbSendPacket bytes");
    }
    WriteMethodHeader(sendPacket, eap::EapCodeResponse, session->responseIdentifier,
                      static_cast<std::uint16_t>(length), kEapTypeMd5Challenge);
    std::uint8_t* cursor = TypeDataOf(sendPacket);
    *cursor++ = static_cast<std::uint8_t>(kMd5DigestSize);
    std::memcpy(cursor, session->responseValue, kMd5DigestSize);
    if (nameSize != 0) std::memcpy(cursor + kMd5DigestSize, session->identity.data(), nameSize);
    *sendSize = static_cast<eap::DWORD>(length);
    session->responsePending = false;
    return eap::kErrorSuccess;
  });
}

eap::DWORD EAP_API GetResult(eap::EAP_SESSION_HANDLE handle,
                             eap::EapPeerMethodResultReason reason,
                             eap::EapPeerMethodResult* result, eap::EAP_ERROR** ppEapError) {
  return GuardAbiCall(ppEapError, kMethodType, "EapPeerGetResult", [&]() -> eap::DWORD {
    if (SessionFrom(handle) == nullptr) return BadHandle(ppEapError, "EapPeerGetResult");
    if (result == nullptr) {
      return Fail(ppEapError, eap::kErrorInvalidParameter, "EapPeerGetResult needs ppResult");
    }
    if (reason < eap::EapPeerMethodResultUnknown || reason > eap::EapPeerMethodResultFailure) {
      return Fail(ppEapError, eap::kErrorInvalidParameter,
                  "EapPeerGetResult was given an unknown result reason " +
                      Num(static_cast<std::uint32_t>(reason)));
    }
    // MD5-Challenge proves nothing about the server and derives no keys, so the outcome is
    // whatever the host saw (EAP-Success or not) and there are no attributes to return.
    bool success = reason == eap::EapPeerMethodResultSuccess;
    result->fIsSuccess = success ? eap::kTrue : eap::kFalse;
    result->dwFailureReasonCode = 0;
    if (!success) result->dwFailureReasonCode = eap::EAP_E_USER_NAME_PASSWORD_REJECTED;
    result->fSaveConnectionData = eap::kFalse;
    result->dwSizeofConnectionData = 0;
    result->pConnectionData = nullptr;
    result->fSaveUserData = eap::kFalse;
    result->dwSizeofUserData = 0;
    result->pUserData = nullptr;
    result->pAttribArray = nullptr;
    result->pEapError = nullptr;
    result->pNgcKerbTicket = nullptr;
    result->fSaveToCredMan = eap::kFalse;
    return eap::kErrorSuccess;
  });
}

eap::DWORD EAP_API GetUiContext(eap::EAP_SESSION_HANDLE handle, eap::DWORD* contextSize,
                                eap::BYTE** context, eap::EAP_ERROR** ppEapError) {
  return GuardAbiCall(ppEapError, kMethodType, "EapPeerGetUIContext", [&]() -> eap::DWORD {
    if (contextSize != nullptr) *contextSize = 0;
    if (context != nullptr) *context = nullptr;
    return Fail(ppEapError, eap::kErrorNotSupported,
                "EAP-MD5 has no user interface, so it has no UI context to give");
  });
}

eap::DWORD EAP_API SetUiContext(eap::EAP_SESSION_HANDLE handle, eap::DWORD contextSize,
                                const eap::BYTE* context, eap::EapPeerMethodOutput* output,
                                eap::EAP_ERROR** ppEapError) {
  return GuardAbiCall(ppEapError, kMethodType, "EapPeerSetUIContext", [&]() -> eap::DWORD {
    return Fail(ppEapError, eap::kErrorNotSupported,
                "EAP-MD5 has no user interface, so it takes no UI context");
  });
}

eap::DWORD EAP_API GetResponseAttributes(eap::EAP_SESSION_HANDLE handle,
                                         eap::EapAttributes* attributes,
                                         eap::EAP_ERROR** ppEapError) {
  return GuardAbiCall(ppEapError, kMethodType, "EapPeerGetResponseAttributes", [&]() -> eap::DWORD {
    if (SessionFrom(handle) == nullptr) {
      return BadHandle(ppEapError, "EapPeerGetResponseAttributes");
    }
    if (attributes == nullptr) {
      return Fail(ppEapError, eap::kErrorInvalidParameter,
                  "EapPeerGetResponseAttributes needs pAttribs");
    }
    attributes->dwNumberOfAttributes = 0;
    attributes->pAttribs = nullptr;
    return eap::kErrorSuccess;
  });
}

eap::DWORD EAP_API SetResponseAttributes(eap::EAP_SESSION_HANDLE handle,
                                         const eap::EapAttributes* attributes,
                                         eap::EapPeerMethodOutput* output,
                                         eap::EAP_ERROR** ppEapError) {
  return GuardAbiCall(ppEapError, kMethodType, "EapPeerSetResponseAttributes", [&]() -> eap::DWORD {
    if (SessionFrom(handle) == nullptr) {
      return BadHandle(ppEapError, "EapPeerSetResponseAttributes");
    }
    if (output == nullptr) {
      return Fail(ppEapError, eap::kErrorInvalidParameter,
                  "EapPeerSetResponseAttributes needs pEapOutput");
    }
    output->action = eap::EapPeerMethodResponseActionNone;
    output->fAllowNotifications = eap::kTrue;
    return eap::kErrorSuccess;
  });
}

eap::DWORD EAP_API EndSession(eap::EAP_SESSION_HANDLE handle, eap::EAP_ERROR** ppEapError) {
  return GuardAbiCall(ppEapError, kMethodType, "EapPeerEndSession", [&]() -> eap::DWORD {
    PeerSession* session = SessionFrom(handle);
    if (session == nullptr) return BadHandle(ppEapError, "EapPeerEndSession");
    delete session;  // SecretBytes and the destructor wipe the password and response
    return eap::kErrorSuccess;
  });
}
}  // namespace

void FillPeerRoutines(eap::EAP_PEER_METHOD_ROUTINES* routines) {
  routines->dwVersion = 1;
  routines->pEapType = &gPeerEapType;
  routines->EapPeerInitialize = Initialize;
  routines->EapPeerGetIdentity = GetIdentity;
  routines->EapPeerBeginSession = BeginSession;
  routines->EapPeerSetCredentials = SetCredentials;
  routines->EapPeerProcessRequestPacket = ProcessRequestPacket;
  routines->EapPeerGetResponsePacket = GetResponsePacket;
  routines->EapPeerGetResult = GetResult;
  routines->EapPeerGetUIContext = GetUiContext;
  routines->EapPeerSetUIContext = SetUiContext;
  routines->EapPeerGetResponseAttributes = GetResponseAttributes;
  routines->EapPeerSetResponseAttributes = SetResponseAttributes;
  routines->EapPeerEndSession = EndSession;
  routines->EapPeerShutdown = Shutdown;
}

}  // namespace md5
}  // namespace eaphost
