// PeerMethodSession: one authentication through a PeerMethod, behind the call-order guard.
//
// States and the calls each allows (anything else is refused before it reaches the method):
//   Created            BeginSession                                  -> Started
//   Started            ProcessRequestPacket (action decides the next state), GetResult
//   Processed          GetResponsePacket (only after action Send)    -> Started
//                      GetResult (after action Result, or when the host decides the outcome
//                      itself on an EAP-Success/Failure or a timeout)
//   AwaitingUI         GetUIContext, SetUIContext (action decides the next state)
//   AwaitingAttributes GetResponseAttributes, SetResponseAttributes (action decides)
//   Result             EndSession only
//   every state but Ended: EndSession -> Ended (the destructor calls it when needed)
// Actions map to states: Send, Result -> Processed; InvokeUI -> AwaitingUI;
// Respond -> AwaitingAttributes; Discard, None -> Started (await the next request).
// A method error leaves the state as it was, so the caller can still end the session.
#include <algorithm>

#include "method_call.h"
#include "peer_method_host.h"

namespace eaphost {

namespace {

constexpr eap::DWORD kMinResponseBuffer = 1024;

// Each pointer the method filled in is one allocation of its own (see peer_method_host.cc).
void ReleaseResult(PeerMethod& method, eap::EapPeerMethodResult* result) {
  method.FreeSecret(result->pConnectionData, result->dwSizeofConnectionData);
  method.FreeSecret(result->pUserData, result->dwSizeofUserData);
  method.FreeMemory(result->pAttribArray);
}

}  // namespace

const char* PeerMethodSession::StateName(State state) {
  switch (state) {
    case State::kCreated: return "Created";
    case State::kStarted: return "Started";
    case State::kProcessed: return "Processed";
    case State::kAwaitingUI: return "AwaitingUI";
    case State::kAwaitingAttributes: return "AwaitingAttributes";
    case State::kResult: return "Result";
    case State::kEnded: return "Ended";
  }
  return "Unknown";
}

PeerMethodSession::PeerMethodSession(std::shared_ptr<PeerMethod> method)
    : MethodSession(std::move(method), &StateName) {}

PeerMethodSession::~PeerMethodSession() {
  if (state_ != State::kEnded) EndSession(nullptr);
}

template <typename Act>
bool PeerMethodSession::Acted(const char* call, Act act, PeerMethodOutput* output, EapErrorInfo* error) {
  eap::EapPeerMethodOutput out{};
  eap::EAP_ERROR* raw = nullptr;
  eap::DWORD result = act(&out, &raw);
  if (!MethodSucceeded(*method_, result, raw, call, error)) return false;
  lastAction_ = out.action;
  switch (out.action) {
    case eap::EapPeerMethodResponseActionSend:
    case eap::EapPeerMethodResponseActionResult:
      state_ = State::kProcessed;
      break;
    case eap::EapPeerMethodResponseActionInvokeUI:
      state_ = State::kAwaitingUI;
      break;
    case eap::EapPeerMethodResponseActionRespond:
      state_ = State::kAwaitingAttributes;
      break;
    default:  // Discard, None, or a value this host does not know: wait for the next request
      state_ = State::kStarted;
      break;
  }
  Report(output, PeerMethodOutput{out.action, out.fAllowNotifications != eap::kFalse});
  return true;
}

bool PeerMethodSession::BeginSession(eap::DWORD flags, const Attributes& attributes,
                                     const Bytes& connectionData, const Bytes& userData,
                                     eap::DWORD maxSendPacketSize, EapErrorInfo* error, eap::HANDLE userToken) {
  AttributeArray array(attributes);
  Bytes connection = connectionData;  // the ABI takes non-const pointers
  Bytes user = userData;
  // Both may carry the password (a TLS peer's connection data its private key): wiped however
  // the call ends.
  WipeOnExit<Bytes> wipeConnection(connection);
  WipeOnExit<Bytes> wipeUser(user);
  return BeginWith("EapPeerBeginSession", maxSendPacketSize,
                   [&](eap::DWORD packetSize, eap::EAP_SESSION_HANDLE* handle, eap::EAP_ERROR** raw) {
                     return method_->routines().EapPeerBeginSession(
                         flags, array.get(), userToken, static_cast<eap::DWORD>(connection.size()),
                         connection.empty() ? nullptr : connection.data(), static_cast<eap::DWORD>(user.size()),
                         user.empty() ? nullptr : user.data(), packetSize, handle, raw);
                   },
                   error);
}

bool PeerMethodSession::ProcessRequestPacket(Bytes* packet, PeerMethodOutput* output,
                                             EapErrorInfo* error) {
  static const char kCall[] = "EapPeerProcessRequestPacket";
  if (state_ != State::kStarted) {
    return Refuse(kCall,
                  "it must follow EapPeerBeginSession or the end of the previous exchange",
                  error);
  }
  if (packet->size() < 4 || packet->size() > kMaxEapPacketSize) {
    Report(error, HostError(eap::kErrorInvalidParameter, kCall,
                            "an EAP packet is 4 to 65535 bytes; got " +
                                std::to_string(packet->size())));
    return false;
  }
  return Acted(kCall,
               [&](eap::EapPeerMethodOutput* out, eap::EAP_ERROR** raw) {
                 return method_->routines().EapPeerProcessRequestPacket(
                     handle_, static_cast<eap::DWORD>(packet->size()), reinterpret_cast<eap::EapPacket*>(packet->data()),
                     out, raw);
               },
               output, error);
}

bool PeerMethodSession::GetResponsePacket(Bytes* packet, EapErrorInfo* error) {
  static const char kCall[] = "EapPeerGetResponsePacket";
  if (state_ != State::kProcessed || lastAction_ != eap::EapPeerMethodResponseActionSend) {
    return Refuse(kCall, "it must follow EapPeerProcessRequestPacket whose action was Send",
                  error);
  }
  bool ok = FillPacket(*method_, kCall, "response", std::max(maxSendPacketSize_, kMinResponseBuffer),
                       [this](eap::DWORD* size, eap::EapPacket* buffer, eap::EAP_ERROR** raw) {
                         return method_->routines().EapPeerGetResponsePacket(handle_, size, buffer, raw);
                       },
                       packet, error);
  if (!ok) return false;
  state_ = State::kStarted;
  return true;
}

bool PeerMethodSession::GetResult(eap::EapPeerMethodResultReason reason, PeerMethodResult* result,
                                  EapErrorInfo* error) {
  static const char kCall[] = "EapPeerGetResult";
  if (state_ != State::kProcessed && state_ != State::kStarted) {
    return Refuse(kCall,
                  "it must follow EapPeerProcessRequestPacket (action Result) or an exchange the "
                  "host ended on EAP-Success/Failure",
                  error);
  }
  eap::EapPeerMethodResult raw{};
  eap::EAP_ERROR* rawError = nullptr;
  eap::DWORD code = method_->routines().EapPeerGetResult(handle_, reason, &raw, &rawError);
  if (!MethodSucceeded(*method_, code, rawError, kCall, error)) return false;
  PeerMethodResult copy;
  copy.success = raw.fIsSuccess != eap::kFalse;
  copy.failureReasonCode = raw.dwFailureReasonCode;
  copy.saveConnectionData = raw.fSaveConnectionData != eap::kFalse;
  if (raw.pConnectionData != nullptr) {
    copy.connectionData.assign(raw.pConnectionData,
                               raw.pConnectionData + raw.dwSizeofConnectionData);
  }
  copy.saveUserData = raw.fSaveUserData != eap::kFalse;
  if (raw.pUserData != nullptr) {
    copy.userData.assign(raw.pUserData, raw.pUserData + raw.dwSizeofUserData);
  }
  copy.attributes = CopyAttributes(raw.pAttribArray);
  if (raw.pEapError != nullptr) {
    copy.hasError = true;
    copy.error = method_->TakeError(raw.pEapError, 0, kCall);
  }
  ReleaseResult(*method_, &raw);
  state_ = State::kResult;
  Report(result, std::move(copy));
  return true;
}

bool PeerMethodSession::GetUIContext(Bytes* context, EapErrorInfo* error) {
  static const char kCall[] = "EapPeerGetUIContext";
  if (state_ != State::kAwaitingUI) {
    return Refuse(kCall, "it must follow an action of InvokeUI", error);
  }
  eap::DWORD size = 0;
  eap::BYTE* data = nullptr;
  eap::EAP_ERROR* raw = nullptr;
  eap::DWORD result = method_->routines().EapPeerGetUIContext(handle_, &size, &data, &raw);
  if (!MethodSucceeded(*method_, result, raw, kCall, error)) return false;
  Bytes copy;
  if (data != nullptr) copy.assign(data, data + size);
  method_->FreeSecret(data, size);  // UI context is typically credentials
  Report(context, std::move(copy));
  return true;
}

bool PeerMethodSession::SetUIContext(const Bytes& context, PeerMethodOutput* output,
                                     EapErrorInfo* error) {
  static const char kCall[] = "EapPeerSetUIContext";
  if (state_ != State::kAwaitingUI) {
    return Refuse(kCall, "it must follow an action of InvokeUI", error);
  }
  return Acted(kCall,
               [&](eap::EapPeerMethodOutput* out, eap::EAP_ERROR** raw) {
                 return method_->routines().EapPeerSetUIContext(handle_, static_cast<eap::DWORD>(context.size()),
                                                                DataOrNull(context), out, raw);
               },
               output, error);
}

bool PeerMethodSession::GetResponseAttributes(Attributes* attributes, EapErrorInfo* error) {
  static const char kCall[] = "EapPeerGetResponseAttributes";
  if (state_ != State::kAwaitingAttributes) {
    return Refuse(kCall, "it must follow an action of Respond", error);
  }
  return TakeAttributes(kCall,
                        [this](eap::EapAttributes* raw, eap::EAP_ERROR** rawError) {
                          return method_->routines().EapPeerGetResponseAttributes(handle_, raw, rawError);
                        },
                        attributes, error);
}

bool PeerMethodSession::SetResponseAttributes(const Attributes& attributes,
                                              PeerMethodOutput* output, EapErrorInfo* error) {
  static const char kCall[] = "EapPeerSetResponseAttributes";
  if (state_ != State::kAwaitingAttributes) {
    return Refuse(kCall, "it must follow an action of Respond", error);
  }
  AttributeArray array(attributes);
  return Acted(kCall,
               [&](eap::EapPeerMethodOutput* out, eap::EAP_ERROR** raw) {
                 return method_->routines().EapPeerSetResponseAttributes(handle_, array.get(), out, raw);
               },
               output, error);
}

bool PeerMethodSession::EndSession(EapErrorInfo* error) {
  return EndWith("EapPeerEndSession",
                 [this](eap::EAP_ERROR** raw) { return method_->routines().EapPeerEndSession(handle_, raw); }, error);
}

}  // namespace eaphost
