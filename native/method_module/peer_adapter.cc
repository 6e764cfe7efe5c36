// The EapPeer* routines for every method of the catalog: argument and handle checks, call
// order, the response packet's header and size, the result's attributes and EAP_ERROR, and
// memory ownership. The EAP logic itself is the method's PeerMethod.
#include <array>
#include <cstring>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "../common/secure_zero.h"
#include "../methods/support/credential_blob.h"
#include "method_adapter.h"
#include "../methods/support/method_attributes.h"
#include "../methods/support/method_catalog.h"
#include "../methods/support/method_error.h"
#include "../methods/support/method_identity.h"
#include "../methods/support/method_memory.h"
#include "../methods/support/wide_text.h"

namespace eaphost {

// This adapter's own names, apart from the other adapter's same-named routines.
namespace peer_abi {
namespace {
constexpr std::size_t kMaxEapLength = 0xFFFF;
// A tag at the front of every session lets us refuse a handle that is not ours (for example
// an authenticator session handed to the peer) instead of misreading it.
constexpr std::uint32_t kPeerSessionTag = 0x50454552;  // "PEER"

struct PeerSession {
  std::uint32_t tag = kPeerSessionTag;
  const MethodDescriptor* method = nullptr;
  PeerCredentials credentials;
  std::unique_ptr<PeerMethod> logic;
  std::vector<std::uint8_t> response;  // whole EAP packet, pending until GetResponsePacket
  bool responsePending = false;
  std::size_t maxSendPacketSize = kMaxEapLength;

  ~PeerSession() {
    tag = 0;
    SecureZero(response.data(), response.size());
  }
};

std::string Num(std::size_t n) { return Decimal(n); }

// Errors raised before a session is known are reported under the module's first method type;
// hosts read the method from the call they made, not from this field.
eap::EAP_METHOD_TYPE TypeOf(const PeerSession* session) {
  return MethodTypeOf(session != nullptr ? session->method->type : kMethodCatalog[0]->type);
}

MethodFailure Invalid(const std::string& what) {
  return MethodFailure{eap::kErrorInvalidParameter, 0, what, std::string()};
}

PeerSession& SessionFrom(eap::EAP_SESSION_HANDLE handle, const char* call) {
  auto* session = static_cast<PeerSession*>(handle);
  if (session == nullptr || session->tag != kPeerSessionTag) {
    throw MethodFailure{eap::kErrorInvalidHandle, 0,
                        std::string(call) + " was given a null or foreign peer session handle",
                        std::string()};
  }
  return *session;
}

// Runs one routine with the session's method type in its errors.
template <typename Body>
eap::DWORD OnSession(eap::EAP_SESSION_HANDLE handle, eap::EAP_ERROR** ppEapError,
                     const char* call, Body&& body) {
  auto* candidate = static_cast<PeerSession*>(handle);
  PeerSession* session =
      candidate != nullptr && candidate->tag == kPeerSessionTag ? candidate : nullptr;
  return GuardAbiCall(ppEapError, TypeOf(session), call, [&]() -> eap::DWORD {
    return body(SessionFrom(handle, call));
  });
}

eap::DWORD GetIdentity(std::size_t index, eap::DWORD connectionDataSize,
                       const eap::BYTE* connectionData, eap::DWORD userDataSize,
                       const eap::BYTE* userData, eap::BOOL* invokeUi,
                       eap::DWORD* userDataOutSize, eap::BYTE** userDataOut,
                       eap::LPWSTR* identity, eap::EAP_ERROR** ppEapError) {
  const MethodDescriptor& method = *kMethodCatalog[index];
  return GuardAbiCall(ppEapError, MethodTypeOf(method.type), "EapPeerGetIdentity",
                      [&]() -> eap::DWORD {
    if (invokeUi == nullptr || userDataOutSize == nullptr || userDataOut == nullptr ||
        identity == nullptr) {
      throw Invalid("EapPeerGetIdentity needs pfInvokeUI, pdwSizeOfUserDataOut, ppUserDataOut "
                    "and ppwszIdentity");
    }
    *invokeUi = eap::kFalse;
    *userDataOutSize = 0;
    *userDataOut = nullptr;
    *identity = nullptr;
    if (connectionData == nullptr && connectionDataSize != 0) {
      throw Invalid("EapPeerGetIdentity was given a connection-data size of " +
                    Num(connectionDataSize) + " bytes but no data");
    }
    bool haveBlob = userData != nullptr && userDataSize != 0;
    PeerCredentials credentials;
    if (haveBlob) ParseCredentialBlob(userData, userDataSize, &credentials);
    std::string chosen = credentials.identity;
    if (method.peerIdentity != nullptr) {
      std::string own = method.peerIdentity(ByteSpan{connectionData, connectionDataSize},
                                            haveBlob ? &credentials : nullptr);
      if (!own.empty()) chosen = std::move(own);
    }
    if (chosen.empty()) {
      throw MethodFailure{eap::kErrorInvalidData, eap::EAP_E_EAPHOST_IDENTITY_UNKNOWN,
                          "This method has no user interface and was given no user blob to "
                          "take the identity from",
                          "Supply credentials made by "
                          "EapPeerQueryUserBlobFromCredentialInputFields"};
    }
    eap::WCHAR* name = DuplicateUtf8AsWide(chosen);
    // Handing the blob back keeps it flowing to BeginSession whichever blob the host keeps.
    eap::BYTE* blobCopy = haveBlob ? CopyCredentialBlob(userData, userDataSize) : nullptr;
    if (name == nullptr || (haveBlob && blobCopy == nullptr)) {
      FreeMethodMemory(name);
      FreeMethodMemory(blobCopy);
      throw std::bad_alloc();
    }
    *identity = name;
    *userDataOut = blobCopy;
    *userDataOutSize = haveBlob ? userDataSize : 0;
    return eap::kErrorSuccess;
  });
}

template <std::size_t Index>
eap::DWORD EAP_API GetIdentityAt(eap::DWORD /*flags*/, eap::DWORD connectionDataSize,
                                 const eap::BYTE* connectionData, eap::DWORD userDataSize,
                                 const eap::BYTE* userData, eap::HANDLE /*impersonationToken*/,
                                 eap::BOOL* invokeUi, eap::DWORD* userDataOutSize,
                                 eap::BYTE** userDataOut, eap::LPWSTR* identity,
                                 eap::EAP_ERROR** ppEapError) {
  return GetIdentity(Index, connectionDataSize, connectionData, userDataSize, userData, invokeUi,
                     userDataOutSize, userDataOut, identity, ppEapError);
}

// GetIdentity carries no EAP type either: a tunnel method answers with its own outer identity.
constexpr auto kGetIdentity = PerMethodEntries([](auto index) { return &GetIdentityAt<index>; });

eap::DWORD BeginSession(std::size_t index, eap::HANDLE userToken, eap::DWORD connectionDataSize,
                        const eap::BYTE* connectionData, eap::DWORD userDataSize,
                        const eap::BYTE* userData, eap::DWORD maxSendPacketSize,
                        eap::EAP_SESSION_HANDLE* sessionHandle, eap::EAP_ERROR** ppEapError) {
  const MethodDescriptor& method = *kMethodCatalog[index];
  return GuardAbiCall(ppEapError, MethodTypeOf(method.type), "EapPeerBeginSession",
                      [&]() -> eap::DWORD {
    if (sessionHandle == nullptr) {
      throw Invalid("EapPeerBeginSession was given no place to return the session handle");
    }
    *sessionHandle = nullptr;
    auto session = std::make_unique<PeerSession>();
    session->method = &method;
    // No blob is allowed: a method that needs a password refuses the first request it answers.
    if (userDataSize != 0) ParseCredentialBlob(userData, userDataSize, &session->credentials);
    // 0 means the host set no limit; the EAP Length field caps every packet anyway.
    std::size_t limit = maxSendPacketSize != 0 && maxSendPacketSize < kMaxEapLength
                            ? maxSendPacketSize
                            : kMaxEapLength;
    session->maxSendPacketSize = limit;
    if (connectionData == nullptr && connectionDataSize != 0) {
      throw Invalid("EapPeerBeginSession was given a connection-data size of " +
                    Num(connectionDataSize) + " bytes but no data");
    }
    session->logic = method.makePeer(PeerContext{
        &session->credentials, limit, ByteSpan{connectionData, connectionDataSize}, false, userToken});
    *sessionHandle = session.release();
    return eap::kErrorSuccess;
  });
}

template <std::size_t Index>
eap::DWORD EAP_API BeginSessionAt(eap::DWORD /*flags*/, const eap::EapAttributes* const /*attributes*/,
                                  eap::HANDLE impersonationToken, eap::DWORD connectionDataSize,
                                  eap::BYTE* connectionData, eap::DWORD userDataSize,
                                  eap::BYTE* userData, eap::DWORD maxSendPacketSize,
                                  eap::EAP_SESSION_HANDLE* sessionHandle,
                                  eap::EAP_ERROR** ppEapError) {
  return BeginSession(Index, impersonationToken, connectionDataSize, connectionData, userDataSize, userData,
                      maxSendPacketSize, sessionHandle, ppEapError);
}

constexpr auto kBeginSession = PerMethodEntries([](auto index) { return &BeginSessionAt<index>; });

eap::DWORD EAP_API ProcessRequestPacket(eap::EAP_SESSION_HANDLE handle, eap::DWORD received,
                                        eap::EapPacket* packet, eap::EapPeerMethodOutput* output,
                                        eap::EAP_ERROR** ppEapError) {
  return OnSession(handle, ppEapError, "EapPeerProcessRequestPacket", [&](PeerSession& session) {
    const MethodDescriptor& method = *session.method;
    if (output == nullptr || packet == nullptr) {
      throw Invalid("EapPeerProcessRequestPacket needs a packet and pEapOutput");
    }
    const std::string what = std::string(method.name) + " request";
    MethodPacketView view;
    std::string why;
    if (!ReadMethodPacket(packet, received, what.c_str(), &view, &why)) {
      throw InvalidPacket(why);
    }
    if (view.code != eap::EapCodeRequest) {
      throw InvalidPacket(what + " has Code " + Num(view.code) +
                          "; the peer method only takes Requests (Code 1)");
    }
    if (view.type != method.type) {
      throw InvalidPacket(what + " has Type " + Num(view.type) + "; this session runs " +
                          method.name + " (Type " + Num(method.type) + ")");
    }
    if (method.peerNeedsPassword && !session.credentials.present) {
      throw MethodFailure{eap::kErrorInvalidState, eap::EAP_E_EAPHOST_IDENTITY_UNKNOWN,
                          std::string("The ") + method.name +
                              " peer has no credentials to answer with",
                          "Pass a user blob (the credentials) to EapPeerBeginSession"};
    }
    // Built in place behind room for the header: the response is taken whole, not copied.
    TypeDataWriter typeData(kEapTypedHeaderSize);
    PeerAction action = session.logic->Process(view, &typeData);
    output->fAllowNotifications = eap::kTrue;
    if (action == PeerAction::kDiscard) {
      output->action = eap::EapPeerMethodResponseActionDiscard;
      return eap::kErrorSuccess;
    }
    std::size_t length = kEapTypedHeaderSize + typeData.size();
    if (length > session.maxSendPacketSize) {
      throw MethodFailure{eap::kErrorBadLength, 0,
                          "The " + what + " needs a " + Num(length) +
                              "-byte response; the session's maximum send packet size is " +
                              Num(session.maxSendPacketSize) + " bytes",
                          std::string()};
    }
    SecureZero(session.response.data(), session.response.size());
    session.response = typeData.TakePacket();
    WriteMethodHeader(reinterpret_cast<eap::EapPacket*>(session.response.data()),
                      eap::EapCodeResponse, view.identifier,
                      static_cast<std::uint16_t>(length), method.type);
    session.responsePending = true;
    output->action = eap::EapPeerMethodResponseActionSend;
    return eap::kErrorSuccess;
  });
}

eap::DWORD EAP_API GetResponsePacket(eap::EAP_SESSION_HANDLE handle, eap::DWORD* sendSize,
                                     eap::EapPacket* sendPacket, eap::EAP_ERROR** ppEapError) {
  return OnSession(handle, ppEapError, "EapPeerGetResponsePacket", [&](PeerSession& session) {
    if (sendSize == nullptr) throw Invalid("EapPeerGetResponsePacket needs pcbSendPacket");
    if (!session.responsePending) {
      throw MethodFailure{eap::kErrorInvalidState, 0,
                          "EapPeerGetResponsePacket was called with no response pending",
                          "Call EapPeerProcessRequestPacket with a request first"};
    }
    std::size_t length = session.response.size();
    if (sendPacket == nullptr || *sendSize < length) {
      std::string given = Num(*sendSize);
      *sendSize = static_cast<eap::DWORD>(length);
      throw MethodFailure{eap::kErrorInsufficientBuffer, 0,
                          std::string("The ") + session.method->name + " response needs " +
                              Num(length) + " bytes; the buffer has " + given,
                          "Call again with a buffer of *pcbSendPacket bytes"};
    }
    std::memcpy(sendPacket, session.response.data(), length);
    *sendSize = static_cast<eap::DWORD>(length);
    session.responsePending = false;
    return eap::kErrorSuccess;
  });
}

eap::DWORD EAP_API GetResult(eap::EAP_SESSION_HANDLE handle,
                             eap::EapPeerMethodResultReason reason,
                             eap::EapPeerMethodResult* result, eap::EAP_ERROR** ppEapError) {
  return OnSession(handle, ppEapError, "EapPeerGetResult", [&](PeerSession& session) {
    if (result == nullptr) throw Invalid("EapPeerGetResult needs ppResult");
    if (reason < eap::EapPeerMethodResultUnknown || reason > eap::EapPeerMethodResultFailure) {
      throw Invalid("EapPeerGetResult was given an unknown result reason " +
                    Num(static_cast<std::uint32_t>(reason)));
    }
    std::memset(result, 0, sizeof(*result));
    PeerVerdict verdict;
    session.logic->Conclude(reason == eap::EapPeerMethodResultSuccess, &verdict);
    eap::EAP_ERROR* error = nullptr;
    std::vector<MethodAttribute> attributes;
    if (verdict.success) attributes = KeyAttributes(verdict.keys);
    session.logic->ResultAttributes(&attributes);
    eap::EapAttributes* list = AllocateAttributeList(attributes);  // one block: the host frees it with one call
    for (MethodAttribute& attribute : attributes) SecureZero(attribute.value.data(), attribute.value.size());
    if (!verdict.success && verdict.hasError) {
      error = AllocateEapError(verdict.error.winError, verdict.error.reasonCode,
                               MethodTypeOf(session.method->type),
                               MethodErrorText{verdict.error.rootCause, verdict.error.repair,
                                               verdict.error.rootCauseGuid});
    }
    result->fIsSuccess = verdict.success ? eap::kTrue : eap::kFalse;
    result->dwFailureReasonCode = verdict.success ? 0 : verdict.failureReason;
    result->pAttribArray = list;
    result->pEapError = error;
    return eap::kErrorSuccess;
  });
}

eap::DWORD EAP_API GetUiContext(eap::EAP_SESSION_HANDLE handle, eap::DWORD* contextSize,
                                eap::BYTE** context, eap::EAP_ERROR** ppEapError) {
  return OnSession(handle, ppEapError, "EapPeerGetUIContext", [&](PeerSession& session) -> eap::DWORD {
    if (contextSize != nullptr) *contextSize = 0;
    if (context != nullptr) *context = nullptr;
    throw MethodFailure{eap::kErrorNotSupported, 0,
                        std::string(session.method->name) +
                            " has no user interface, so it has no UI context to give",
                        std::string()};
  });
}

eap::DWORD EAP_API SetUiContext(eap::EAP_SESSION_HANDLE handle, eap::DWORD /*contextSize*/,
                                const eap::BYTE* /*context*/, eap::EapPeerMethodOutput* /*output*/,
                                eap::EAP_ERROR** ppEapError) {
  return OnSession(handle, ppEapError, "EapPeerSetUIContext", [&](PeerSession& session) -> eap::DWORD {
    throw MethodFailure{eap::kErrorNotSupported, 0,
                        std::string(session.method->name) +
                            " has no user interface, so it takes no UI context",
                        std::string()};
  });
}

eap::DWORD EAP_API GetResponseAttributes(eap::EAP_SESSION_HANDLE handle,
                                         eap::EapAttributes* attributes,
                                         eap::EAP_ERROR** ppEapError) {
  return OnSession(handle, ppEapError, "EapPeerGetResponseAttributes", [&](PeerSession&) {
    if (attributes == nullptr) throw Invalid("EapPeerGetResponseAttributes needs pAttribs");
    attributes->dwNumberOfAttributes = 0;
    attributes->pAttribs = nullptr;
    return eap::kErrorSuccess;
  });
}

eap::DWORD EAP_API SetResponseAttributes(eap::EAP_SESSION_HANDLE handle,
                                         eap::EapAttributes* /*attributes*/,
                                         eap::EapPeerMethodOutput* output,
                                         eap::EAP_ERROR** ppEapError) {
  return OnSession(handle, ppEapError, "EapPeerSetResponseAttributes", [&](PeerSession&) {
    if (output == nullptr) throw Invalid("EapPeerSetResponseAttributes needs pEapOutput");
    output->action = eap::EapPeerMethodResponseActionNone;
    output->fAllowNotifications = eap::kTrue;
    return eap::kErrorSuccess;
  });
}

eap::DWORD EAP_API EndSession(eap::EAP_SESSION_HANDLE handle, eap::EAP_ERROR** ppEapError) {
  return OnSession(handle, ppEapError, "EapPeerEndSession", [&](PeerSession& session) {
    delete &session;  // wipes the credentials, the pending response and the method's secrets
    return eap::kErrorSuccess;
  });
}
}  // namespace
}  // namespace peer_abi

void FillPeerRoutines(std::size_t index, eap::EAP_PEER_METHOD_ROUTINES* routines) {
  // The form Microsoft's EAPHost method sample fills (docs/WINDOWS-CONTRACT.md, "The method
  // table"): EapPeerGetIdentity, not also EapPeerSetCredentials, and no pEapType.
  routines->dwVersion = 1;
  routines->pEapType = nullptr;
  routines->EapPeerInitialize = NoModuleState;
  routines->EapPeerGetIdentity = peer_abi::kGetIdentity[index];
  routines->EapPeerBeginSession = peer_abi::kBeginSession[index];
  routines->EapPeerSetCredentials = nullptr;
  routines->EapPeerProcessRequestPacket = peer_abi::ProcessRequestPacket;
  routines->EapPeerGetResponsePacket = peer_abi::GetResponsePacket;
  routines->EapPeerGetResult = peer_abi::GetResult;
  routines->EapPeerGetUIContext = peer_abi::GetUiContext;
  routines->EapPeerSetUIContext = peer_abi::SetUiContext;
  routines->EapPeerGetResponseAttributes = peer_abi::GetResponseAttributes;
  routines->EapPeerSetResponseAttributes = peer_abi::SetResponseAttributes;
  routines->EapPeerEndSession = peer_abi::EndSession;
  routines->EapPeerShutdown = NoModuleState;
}

}  // namespace eaphost
