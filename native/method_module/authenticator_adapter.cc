// The EapMethodAuthenticator* routines for every method of the catalog: argument and handle
// checks, call order (a stage machine), request headers, retransmissions and buffer sizing,
// the RESPOND attribute exchange, result attributes and memory ownership. The EAP logic itself
// is the method's AuthenticatorMethod.
#include <array>
#include <cstring>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "../common/method_refusal.h"
#include "../common/secure_zero.h"
#include "method_adapter.h"
#include "../methods/support/method_attributes.h"
#include "../methods/support/method_catalog.h"
#include "../methods/support/method_error.h"
#include "../methods/support/method_identity.h"
#include "../methods/support/method_memory.h"
#include "../methods/support/wide_text.h"

namespace eaphost {

// This adapter's own names, apart from the other adapter's same-named routines.
namespace authenticator_abi {
namespace {
constexpr std::size_t kMaxEapLength = 0xFFFF;
// An identity from the host's Identity exchange: generous, but bounded.
constexpr std::size_t kMaxIdentityUnits = 1024;
constexpr std::uint32_t kAuthenticatorSessionTag = 0x41555448;  // "AUTH"

eap::EAP_METHOD_TYPE gAuthenticatorTypes[kMethodCount];

enum class Stage {
  kReadyToSend,        // the method has a request to make (the first, or after kSend)
  kRequestSent,        // waiting for the peer's response
  kAwaitingAttributes, // RESPOND given, waiting for SetAttributes
  kDecided,            // result known
};

const char* StageName(Stage stage) {
  switch (stage) {
    case Stage::kReadyToSend: return "a request is ready to send";
    case Stage::kRequestSent: return "waiting for the peer's response";
    case Stage::kAwaitingAttributes: return "waiting for the host's attributes";
    case Stage::kDecided: return "the result is decided";
  }
  return "unknown";
}

struct AuthenticatorSession {
  std::uint32_t tag = kAuthenticatorSessionTag;
  const MethodDescriptor* method = nullptr;
  std::unique_ptr<AuthenticatorMethod> logic;
  std::size_t maxSendPacketSize = kMaxEapLength;
  Stage stage = Stage::kReadyToSend;
  // The request last built: a retransmission or a retried SendPacket repeats it exactly.
  std::vector<std::uint8_t> request;
  bool requestBuilt = false;
  eap::BYTE identifier = 0;

  ~AuthenticatorSession() {
    tag = 0;
    SecureZero(request.data(), request.size());
  }
};

std::string Num(std::size_t n) { return Decimal(n); }

MethodFailure Invalid(const std::string& what) {
  return MethodFailure{eap::kErrorInvalidParameter, 0, what, std::string()};
}

MethodFailure WrongStage(const char* call, const AuthenticatorSession& session) {
  return MethodFailure{eap::kErrorInvalidState, 0,
                       std::string(call) + " is not valid now: the " + session.method->name +
                           " authenticator session is at '" + StageName(session.stage) + "'",
                       std::string()};
}

template <typename Body>
eap::DWORD OnSession(eap::EAP_SESSION_HANDLE handle, eap::EAP_ERROR** ppEapError,
                     const char* call, Body&& body) {
  auto* session = static_cast<AuthenticatorSession*>(handle);
  bool ours = session != nullptr && session->tag == kAuthenticatorSessionTag;
  eap::BYTE type = ours ? session->method->type : kMethodCatalog[0]->type;
  return GuardAbiCall(ppEapError, MethodTypeOf(type), call, [&]() -> eap::DWORD {
    if (!ours) {
      throw MethodFailure{eap::kErrorInvalidHandle, 0,
                          std::string(call) +
                              " was given a null or foreign authenticator session handle",
                          std::string()};
    }
    return body(*session);
  });
}

// What the host is told to do next, and the stage that goes with it.
eap::EAP_METHOD_AUTHENTICATOR_RESPONSE_ACTION Apply(AuthenticatorSession& session,
                                                   AuthenticatorAction action) {
  switch (action) {
    case AuthenticatorAction::kSend:
      session.stage = Stage::kReadyToSend;
      session.requestBuilt = false;
      return eap::EAP_METHOD_AUTHENTICATOR_RESPONSE_SEND;
    case AuthenticatorAction::kRespond:
      session.stage = Stage::kAwaitingAttributes;
      return eap::EAP_METHOD_AUTHENTICATOR_RESPONSE_RESPOND;
    case AuthenticatorAction::kResult:
      session.stage = Stage::kDecided;
      return eap::EAP_METHOD_AUTHENTICATOR_RESPONSE_RESULT;
    case AuthenticatorAction::kDiscard:
      break;
  }
  return eap::EAP_METHOD_AUTHENTICATOR_RESPONSE_DISCARD;
}

// No module-wide state (NoModuleState): the routine only reports success.
eap::DWORD EAP_API InitializeOrShutdown(eap::EAP_METHOD_TYPE* /*type*/, eap::EAP_ERROR** ppEapError) {
  return NoModuleState(ppEapError);
}

eap::DWORD BeginSession(std::size_t index, eap::LPCWSTR identity, ByteSpan connectionData,
                        eap::DWORD maxSendPacketSize, eap::EAP_SESSION_HANDLE* sessionHandle,
                        eap::EAP_ERROR** ppEapError) {
  const MethodDescriptor& method = *kMethodCatalog[index];
  return GuardAbiCall(ppEapError, MethodTypeOf(method.type), "EapMethodAuthenticatorBeginSession",
                      [&]() -> eap::DWORD {
    if (sessionHandle == nullptr) {
      throw Invalid("EapMethodAuthenticatorBeginSession needs pSessionHandle");
    }
    *sessionHandle = nullptr;
    std::string name;
    if (!ReadWideAsUtf8(identity, kMaxIdentityUnits, &name)) {
      throw Invalid("The peer identity is too long: the limit is " + Num(kMaxIdentityUnits) +
                    " characters");
    }
    auto session = std::make_unique<AuthenticatorSession>();
    session->method = &method;
    // 0 means the host set no limit; the EAP Length field caps every packet anyway.
    if (maxSendPacketSize != 0 && maxSendPacketSize < kMaxEapLength) {
      session->maxSendPacketSize = maxSendPacketSize;
    }
    if (connectionData.data == nullptr && connectionData.size != 0) {
      throw Invalid("EapMethodAuthenticatorBeginSession was given a connection-data size of " +
                    Num(connectionData.size) + " bytes but no data");
    }
    session->logic = method.makeAuthenticator(
        AuthenticatorContext{std::move(name), session->maxSendPacketSize, connectionData});
    *sessionHandle = session.release();
    return eap::kErrorSuccess;
  });
}

template <std::size_t Index>
eap::DWORD EAP_API BeginSessionAt(eap::DWORD /*flags*/, eap::LPCWSTR identity,
                                  const eap::EapAttributes* const /*attributes*/,
                                  eap::DWORD connectionDataSize,
                                  const eap::BYTE* const connectionData,
                                  eap::DWORD maxSendPacketSize,
                                  eap::EAP_SESSION_HANDLE* sessionHandle,
                                  eap::EAP_ERROR** ppEapError) {
  return BeginSession(Index, identity, ByteSpan{connectionData, connectionDataSize},
                      maxSendPacketSize, sessionHandle, ppEapError);
}

constexpr auto kBeginSession = PerMethodEntries([](auto index) { return &BeginSessionAt<index>; });

eap::DWORD EAP_API UpdateInnerMethodParams(eap::EAP_SESSION_HANDLE handle, eap::DWORD /*flags*/,
                                           const eap::WCHAR* /*identity*/,
                                           const eap::EapAttributes* const /*attributes*/,
                                           eap::EAP_ERROR** ppEapError) {
  return OnSession(handle, ppEapError, "EapMethodAuthenticatorUpdateInnerMethodParams",
                   [&](AuthenticatorSession& session) -> eap::DWORD {
    throw MethodFailure{eap::kErrorNotSupported, 0,
                        std::string(session.method->name) +
                            " takes no inner-method parameters from EAPHost",
                        std::string()};
  });
}

eap::DWORD EAP_API SendPacket(eap::EAP_SESSION_HANDLE handle, eap::BYTE identifier,
                              eap::DWORD* sendSize, eap::EapPacket* sendPacket,
                              eap::EAP_AUTHENTICATOR_SEND_TIMEOUT* timeout,
                              eap::EAP_ERROR** ppEapError) {
  static const char kCall[] = "EapMethodAuthenticatorSendPacket";
  return OnSession(handle, ppEapError, kCall, [&](AuthenticatorSession& session) {
    if (sendSize == nullptr || timeout == nullptr) {
      throw Invalid("EapMethodAuthenticatorSendPacket needs pcbSendPacket and pTimeout");
    }
    if (session.stage != Stage::kReadyToSend && session.stage != Stage::kRequestSent) {
      throw WrongStage(kCall, session);
    }
    // Built once per request: a retransmission, or a call retried with a bigger buffer, sends
    // the same request (a new Identifier only renumbers it: RFC 3748 §4.1).
    if (!session.requestBuilt) {
      // Built in place behind room for the header: the request is taken whole, not copied.
      TypeDataWriter typeData(kEapTypedHeaderSize);
      session.logic->MakeRequest(&typeData);
      std::size_t length = kEapTypedHeaderSize + typeData.size();
      if (length > session.maxSendPacketSize) {
        throw MethodFailure{eap::kErrorBadLength, 0,
                            "The session's maximum send packet size of " +
                                Num(session.maxSendPacketSize) + " bytes is below the " +
                                Num(length) + " bytes this " + session.method->name +
                                " request needs",
                            std::string()};
      }
      SecureZero(session.request.data(), session.request.size());
      session.request = typeData.TakePacket();
      session.requestBuilt = true;
    }
    std::size_t length = session.request.size();
    if (sendPacket == nullptr || *sendSize < length) {
      std::string given = Num(*sendSize);
      *sendSize = static_cast<eap::DWORD>(length);
      throw MethodFailure{eap::kErrorInsufficientBuffer, 0,
                          std::string("The ") + session.method->name + " request needs " +
                              Num(length) + " bytes; the buffer has " + given,
                          "Call again with a buffer of *pcbSendPacket bytes"};
    }
    WriteMethodHeader(reinterpret_cast<eap::EapPacket*>(session.request.data()),
                      eap::EapCodeRequest, identifier, static_cast<std::uint16_t>(length),
                      session.method->type);
    std::memcpy(sendPacket, session.request.data(), length);
    *sendSize = static_cast<eap::DWORD>(length);
    *timeout = eap::EAP_AUTHENTICATOR_SEND_TIMEOUT_BASIC;
    session.identifier = identifier;
    session.stage = Stage::kRequestSent;
    return eap::kErrorSuccess;
  });
}

eap::DWORD EAP_API ReceivePacket(eap::EAP_SESSION_HANDLE handle, eap::DWORD received,
                                 const eap::EapPacket* const packet,
                                 eap::EAP_METHOD_AUTHENTICATOR_RESPONSE_ACTION* output,
                                 eap::EAP_ERROR** ppEapError) {
  static const char kCall[] = "EapMethodAuthenticatorReceivePacket";
  return OnSession(handle, ppEapError, kCall, [&](AuthenticatorSession& session) {
    if (output == nullptr || (packet == nullptr && received != 0)) {
      throw Invalid("EapMethodAuthenticatorReceivePacket needs pEapOutput and, when "
                    "cbReceivePacket is not 0, the packet");
    }
    if (session.stage == Stage::kReadyToSend) throw WrongStage(kCall, session);
    // RFC 3748 §4.1/§5: a response that does not answer the outstanding request, or cannot be
    // parsed, is silently discarded; the host's retransmission timer carries on.
    *output = eap::EAP_METHOD_AUTHENTICATOR_RESPONSE_DISCARD;
    if (session.stage != Stage::kRequestSent) return eap::kErrorSuccess;
    MethodPacketView view;
    std::string ignored;
    if (!ReadMethodPacket(packet, received, session.method->name, &view, &ignored) ||
        view.code != eap::EapCodeResponse || view.type != session.method->type ||
        view.identifier != session.identifier) {
      return eap::kErrorSuccess;
    }
    *output = Apply(session, session.logic->Receive(view));
    return eap::kErrorSuccess;
  });
}

eap::DWORD EAP_API GetAttributes(eap::EAP_SESSION_HANDLE handle, eap::EapAttributes* attributes,
                                 eap::EAP_ERROR** ppEapError) {
  static const char kCall[] = "EapMethodAuthenticatorGetAttributes";
  return OnSession(handle, ppEapError, kCall, [&](AuthenticatorSession& session) {
    if (attributes == nullptr) throw Invalid("EapMethodAuthenticatorGetAttributes needs pAttribs");
    attributes->dwNumberOfAttributes = 0;
    attributes->pAttribs = nullptr;
    if (session.stage != Stage::kAwaitingAttributes) throw WrongStage(kCall, session);
    std::vector<MethodAttribute> wanted = session.logic->WantedAttributes();
    attributes->pAttribs = AllocateAttributeBlock(wanted);
    attributes->dwNumberOfAttributes = static_cast<eap::DWORD>(wanted.size());
    return eap::kErrorSuccess;
  });
}

eap::DWORD EAP_API SetAttributes(eap::EAP_SESSION_HANDLE handle,
                                 const eap::EapAttributes* attributes,
                                 eap::EAP_METHOD_AUTHENTICATOR_RESPONSE_ACTION* output,
                                 eap::EAP_ERROR** ppEapError) {
  static const char kCall[] = "EapMethodAuthenticatorSetAttributes";
  return OnSession(handle, ppEapError, kCall, [&](AuthenticatorSession& session) {
    if (output == nullptr) throw Invalid("EapMethodAuthenticatorSetAttributes needs pEapOutput");
    if (session.stage != Stage::kAwaitingAttributes) throw WrongStage(kCall, session);
    eap::EapAttributes none{0, nullptr};
    const eap::EapAttributes& given = attributes == nullptr ? none : *attributes;
    if (given.dwNumberOfAttributes != 0 && given.pAttribs == nullptr) {
      throw Invalid("The attribute array claims " + Num(given.dwNumberOfAttributes) +
                    " attributes but has none");
    }
    for (eap::DWORD i = 0; i < given.dwNumberOfAttributes; ++i) {
      if (given.pAttribs[i].pValue == nullptr && given.pAttribs[i].dwLength != 0) {
        throw Invalid("Attribute " + Num(i) + " (type " +
                      Num(static_cast<std::uint32_t>(given.pAttribs[i].eaType)) +
                      ") has a length of " + Num(given.pAttribs[i].dwLength) +
                      " bytes but no value");
      }
    }
    *output = Apply(session, session.logic->TakeAttributes(given));
    return eap::kErrorSuccess;
  });
}

eap::DWORD EAP_API GetResult(eap::EAP_SESSION_HANDLE handle,
                             eap::EAP_METHOD_AUTHENTICATOR_RESULT* result,
                             eap::EAP_ERROR** ppEapError) {
  static const char kCall[] = "EapMethodAuthenticatorGetResult";
  return OnSession(handle, ppEapError, kCall, [&](AuthenticatorSession& session) {
    if (result == nullptr) throw Invalid("EapMethodAuthenticatorGetResult needs pResult");
    if (session.stage != Stage::kDecided) throw WrongStage(kCall, session);
    AuthenticatorVerdict verdict;
    session.logic->Conclude(&verdict);
    // The keys on success; and when the host asked for our private attributes, the refusal on a
    // failure the method explained (common/method_refusal.h) and on either what the conversation
    // established (common/conversation_facts.h), last.
    const bool hostReads = session.logic->HostReadsPrivateAttributes();
    std::vector<MethodAttribute> attributes;
    if (verdict.success) {
      attributes = KeyAttributes(verdict.keys);
    } else if (verdict.hasError && hostReads) {
      attributes.push_back(MethodAttribute{
          eap::eatVendorSpecific, EncodeRefusal(verdict.error.winError, verdict.error.reasonCode,
                                                verdict.error.rootCause, verdict.error.repair)});
    }
    const ConversationFacts facts = hostReads ? session.logic->Facts() : ConversationFacts{};
    if (facts.any()) attributes.push_back(MethodAttribute{eap::eatVendorSpecific, EncodeConversationFacts(facts)});
    eap::EapAttributes* list = AllocateAttributeList(attributes);
    for (MethodAttribute& attribute : attributes) SecureZero(attribute.value.data(), attribute.value.size());
    result->fIsSuccess = verdict.success ? eap::kTrue : eap::kFalse;
    result->dwFailureReason = verdict.success ? 0 : verdict.failureReason;
    result->pAuthAttribs = list;
    return eap::kErrorSuccess;
  });
}

eap::DWORD EAP_API EndSession(eap::EAP_SESSION_HANDLE handle, eap::EAP_ERROR** ppEapError) {
  return OnSession(handle, ppEapError, "EapMethodAuthenticatorEndSession",
                   [&](AuthenticatorSession& session) {
    delete &session;  // wipes the last request and the method's secrets
    return eap::kErrorSuccess;
  });
}
}  // namespace
}  // namespace authenticator_abi

void FillAuthenticatorRoutines(std::size_t index,
                               eap::EAP_AUTHENTICATOR_METHOD_ROUTINES* routines) {
  authenticator_abi::gAuthenticatorTypes[index] = MethodTypeOf(kMethodCatalog[index]->type);
  routines->dwSizeInBytes = sizeof(eap::EAP_AUTHENTICATOR_METHOD_ROUTINES);
  routines->pEapType = &authenticator_abi::gAuthenticatorTypes[index];
  routines->EapMethodAuthenticatorInitialize = authenticator_abi::InitializeOrShutdown;
  routines->EapMethodAuthenticatorBeginSession = authenticator_abi::kBeginSession[index];
  routines->EapMethodAuthenticatorUpdateInnerMethodParams = authenticator_abi::UpdateInnerMethodParams;
  routines->EapMethodAuthenticatorReceivePacket = authenticator_abi::ReceivePacket;
  routines->EapMethodAuthenticatorSendPacket = authenticator_abi::SendPacket;
  routines->EapMethodAuthenticatorGetAttributes = authenticator_abi::GetAttributes;
  routines->EapMethodAuthenticatorSetAttributes = authenticator_abi::SetAttributes;
  routines->EapMethodAuthenticatorGetResult = authenticator_abi::GetResult;
  routines->EapMethodAuthenticatorEndSession = authenticator_abi::EndSession;
  routines->EapMethodAuthenticatorShutdown = authenticator_abi::InitializeOrShutdown;
}

}  // namespace eaphost
