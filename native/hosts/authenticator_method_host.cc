// AuthenticatorMethod (GetInfo -> Initialize ... Shutdown) and AuthenticatorMethodSession, the
// call-order guard over one authenticator conversation.
//
// Session states and the calls each allows (anything else is refused before the method):
//   Created            BeginSession                       -> Started
//   Started            SendPacket (the method's next request) -> Sent
//   Sent               ReceivePacket: SEND -> Started, RESPOND -> AwaitingAttributes,
//                      RESULT -> Result, DISCARD -> Sent (await another response)
//   AwaitingAttributes GetAttributes; SetAttributes (its action decides, as above)
//   Result             GetResult once; then only EndSession
//   every state but Ended: EndSession -> Ended (the destructor calls it when needed)
// A method error leaves the state as it was. Memory rule as in peer_method_host.cc, with the
// authenticator's own EapMethodAuthenticatorFree*Memory.
#include "authenticator_method_host.h"

#include <algorithm>

#include "../common/conversation_facts.h"
#include "../common/method_refusal.h"
#include "method_call.h"

namespace eaphost {

namespace {

constexpr eap::DWORD kMinRequestBuffer = 1024;

// A failed result's refusal attribute becomes the result's error; it is no attribute of the
// conversation, so it leaves the list.
void TakeRefusal(AuthenticatorMethodResult* result, const char* call) {
  for (auto at = result->attributes.begin(); at != result->attributes.end(); ++at) {
    eap::EAP_ATTRIBUTE view{at->type, static_cast<eap::DWORD>(at->value.size()), at->value.data()};
    if (!DecodeRefusal(view, call, &result->error)) continue;
    result->hasError = true;
    result->attributes.erase(at);
    return;
  }
}

// The facts attribute becomes the result's facts; it too is no attribute of the conversation.
void TakeFacts(AuthenticatorMethodResult* result) {
  for (auto at = result->attributes.begin(); at != result->attributes.end(); ++at) {
    if (!DecodeConversationFacts(at->type, at->value.data(), at->value.size(), &result->facts)) continue;
    result->attributes.erase(at);
    return;
  }
}

}  // namespace

std::string AuthenticatorSide::TableDefect(const Routines& r) {
  // UpdateInnerMethodParams only serves tunnel methods as inner methods: optional.
  return FirstMissing({
      {"EapMethodAuthenticatorInitialize", r.EapMethodAuthenticatorInitialize != nullptr},
      {"EapMethodAuthenticatorBeginSession", r.EapMethodAuthenticatorBeginSession != nullptr},
      {"EapMethodAuthenticatorReceivePacket", r.EapMethodAuthenticatorReceivePacket != nullptr},
      {"EapMethodAuthenticatorSendPacket", r.EapMethodAuthenticatorSendPacket != nullptr},
      {"EapMethodAuthenticatorGetAttributes", r.EapMethodAuthenticatorGetAttributes != nullptr},
      {"EapMethodAuthenticatorSetAttributes", r.EapMethodAuthenticatorSetAttributes != nullptr},
      {"EapMethodAuthenticatorGetResult", r.EapMethodAuthenticatorGetResult != nullptr},
      {"EapMethodAuthenticatorEndSession", r.EapMethodAuthenticatorEndSession != nullptr},
      {"EapMethodAuthenticatorShutdown", r.EapMethodAuthenticatorShutdown != nullptr},
  });
}

// ---- AuthenticatorMethod ------------------------------------------------------------------

std::shared_ptr<AuthenticatorMethod> AuthenticatorMethod::Open(const std::string& path, EapErrorInfo* error) {
  return Load<AuthenticatorMethod>(path, nullptr, error);
}

std::shared_ptr<AuthenticatorMethod> AuthenticatorMethod::Open(const std::string& path, const eap::EAP_METHOD_TYPE& type,
                                                               EapErrorInfo* error) {
  return Load<AuthenticatorMethod>(path, &type, error);
}

// ---- AuthenticatorMethodSession -----------------------------------------------------------

const char* AuthenticatorMethodSession::StateName(State state) {
  switch (state) {
    case State::kCreated: return "Created";
    case State::kStarted: return "Started";
    case State::kSent: return "Sent";
    case State::kAwaitingAttributes: return "AwaitingAttributes";
    case State::kResult: return "Result";
    case State::kEnded: return "Ended";
  }
  return "Unknown";
}

AuthenticatorMethodSession::AuthenticatorMethodSession(std::shared_ptr<AuthenticatorMethod> method)
    : MethodSession(std::move(method), &StateName) {}

AuthenticatorMethodSession::~AuthenticatorMethodSession() {
  if (state_ != State::kEnded) EndSession(nullptr);
}

template <typename Act>
bool AuthenticatorMethodSession::Acted(const char* call, Act act,
                                       eap::EAP_METHOD_AUTHENTICATOR_RESPONSE_ACTION* action,
                                       EapErrorInfo* error) {
  eap::EAP_METHOD_AUTHENTICATOR_RESPONSE_ACTION out = eap::EAP_METHOD_AUTHENTICATOR_RESPONSE_DISCARD;
  eap::EAP_ERROR* raw = nullptr;
  eap::DWORD result = act(&out, &raw);
  if (!MethodSucceeded(*method_, result, raw, call, error)) return false;
  switch (out) {
    case eap::EAP_METHOD_AUTHENTICATOR_RESPONSE_SEND: state_ = State::kStarted; break;
    case eap::EAP_METHOD_AUTHENTICATOR_RESPONSE_RESPOND: state_ = State::kAwaitingAttributes; break;
    case eap::EAP_METHOD_AUTHENTICATOR_RESPONSE_RESULT:
      state_ = State::kResult;
      resultTaken_ = false;
      break;
    case eap::EAP_METHOD_AUTHENTICATOR_RESPONSE_DISCARD: state_ = State::kSent; break;
    default:
      // AUTHENTICATE and HANDLE_IDENTITY belong to tunnel hosts (inner methods): the state is
      // left as it was and the conversation can only be ended.
      Report(error, HostError(eap::kErrorNotSupported, call,
                              "the method asked for action " + std::to_string(out) +
                                  ", which this authenticator host does not support"));
      return false;
  }
  Report(action, out);
  return true;
}

bool AuthenticatorMethodSession::BeginSession(eap::DWORD flags, const std::u16string& identity,
                                              const Attributes& attributes,
                                              const Bytes& connectionData,
                                              eap::DWORD maxSendPacketSize, EapErrorInfo* error) {
  std::vector<eap::WCHAR> wideIdentity(identity.begin(), identity.end());
  wideIdentity.push_back(0);
  AttributeArray array(attributes);
  return BeginWith("EapMethodAuthenticatorBeginSession", maxSendPacketSize,
                   [&](eap::DWORD packetSize, eap::EAP_SESSION_HANDLE* handle, eap::EAP_ERROR** raw) {
                     return method_->routines().EapMethodAuthenticatorBeginSession(
                         flags, wideIdentity.data(), array.get(), static_cast<eap::DWORD>(connectionData.size()),
                         connectionData.empty() ? nullptr : connectionData.data(), packetSize, handle, raw);
                   },
                   error);
}

bool AuthenticatorMethodSession::SendPacket(eap::BYTE packetId, Bytes* packet,
                                            eap::EAP_AUTHENTICATOR_SEND_TIMEOUT* timeout,
                                            EapErrorInfo* error) {
  static const char kCall[] = "EapMethodAuthenticatorSendPacket";
  if (state_ != State::kStarted) {
    return Refuse(kCall,
                  "it must follow EapMethodAuthenticatorBeginSession or an action of SEND", error);
  }
  eap::EAP_AUTHENTICATOR_SEND_TIMEOUT sendTimeout = eap::EAP_AUTHENTICATOR_SEND_TIMEOUT_BASIC;
  bool ok = FillPacket(*method_, kCall, "request", std::max(maxSendPacketSize_, kMinRequestBuffer),
                       [&](eap::DWORD* size, eap::EapPacket* buffer, eap::EAP_ERROR** raw) {
                         sendTimeout = eap::EAP_AUTHENTICATOR_SEND_TIMEOUT_BASIC;
                         return method_->routines().EapMethodAuthenticatorSendPacket(handle_, packetId, size, buffer,
                                                                                     &sendTimeout, raw);
                       },
                       packet, error);
  if (!ok) return false;
  state_ = State::kSent;
  Report(timeout, sendTimeout);
  return true;
}

bool AuthenticatorMethodSession::ReceivePacket(
    const Bytes& packet, eap::EAP_METHOD_AUTHENTICATOR_RESPONSE_ACTION* action,
    EapErrorInfo* error) {
  return ReceivePacket(packet.data(), packet.size(), action, error);
}

bool AuthenticatorMethodSession::ReceivePacket(
    const std::uint8_t* packet, std::size_t size, eap::EAP_METHOD_AUTHENTICATOR_RESPONSE_ACTION* action,
    EapErrorInfo* error) {
  static const char kCall[] = "EapMethodAuthenticatorReceivePacket";
  if (state_ != State::kSent) {
    return Refuse(kCall, "it must follow EapMethodAuthenticatorSendPacket", error);
  }
  if (packet == nullptr || size < 4 || size > kMaxEapPacketSize) {
    Report(error, HostError(eap::kErrorInvalidParameter, kCall,
                            "an EAP packet is 4 to 65535 bytes; got " + std::to_string(size)));
    return false;
  }
  return Acted(kCall,
               [&](eap::EAP_METHOD_AUTHENTICATOR_RESPONSE_ACTION* out, eap::EAP_ERROR** raw) {
                 return method_->routines().EapMethodAuthenticatorReceivePacket(
                     handle_, static_cast<eap::DWORD>(size), reinterpret_cast<const eap::EapPacket*>(packet), out, raw);
               },
               action, error);
}

bool AuthenticatorMethodSession::GetAttributes(Attributes* attributes, EapErrorInfo* error) {
  static const char kCall[] = "EapMethodAuthenticatorGetAttributes";
  if (state_ != State::kAwaitingAttributes) {
    return Refuse(kCall, "it must follow an action of RESPOND", error);
  }
  return TakeAttributes(kCall,
                        [this](eap::EapAttributes* raw, eap::EAP_ERROR** rawError) {
                          return method_->routines().EapMethodAuthenticatorGetAttributes(handle_, raw, rawError);
                        },
                        attributes, error);
}

bool AuthenticatorMethodSession::SetAttributes(
    const Attributes& attributes, eap::EAP_METHOD_AUTHENTICATOR_RESPONSE_ACTION* action,
    EapErrorInfo* error) {
  static const char kCall[] = "EapMethodAuthenticatorSetAttributes";
  if (state_ != State::kAwaitingAttributes) {
    return Refuse(kCall, "it must follow an action of RESPOND", error);
  }
  AttributeArray array(attributes);
  return Acted(kCall,
               [&](eap::EAP_METHOD_AUTHENTICATOR_RESPONSE_ACTION* out, eap::EAP_ERROR** raw) {
                 return method_->routines().EapMethodAuthenticatorSetAttributes(handle_, array.get(), out, raw);
               },
               action, error);
}

bool AuthenticatorMethodSession::GetResult(AuthenticatorMethodResult* result,
                                           EapErrorInfo* error) {
  static const char kCall[] = "EapMethodAuthenticatorGetResult";
  if (state_ != State::kResult) return Refuse(kCall, "it must follow an action of RESULT", error);
  if (resultTaken_) return Refuse(kCall, "the result has already been taken", error);
  eap::EAP_METHOD_AUTHENTICATOR_RESULT raw{};
  eap::EAP_ERROR* rawError = nullptr;
  eap::DWORD code = method_->routines().EapMethodAuthenticatorGetResult(handle_, &raw, &rawError);
  if (!MethodSucceeded(*method_, code, rawError, kCall, error)) return false;
  AuthenticatorMethodResult copy;
  copy.success = raw.fIsSuccess != eap::kFalse;
  copy.failureReason = raw.dwFailureReason;
  copy.attributes = CopyAttributes(raw.pAuthAttribs);
  method_->FreeMemory(raw.pAuthAttribs);
  TakeFacts(&copy);
  if (!copy.success) TakeRefusal(&copy, kCall);
  if (copy.hasError) copy.error.methodType = method_->type();
  resultTaken_ = true;
  Report(result, std::move(copy));
  return true;
}

bool AuthenticatorMethodSession::EndSession(EapErrorInfo* error) {
  return EndWith("EapMethodAuthenticatorEndSession",
                 [this](eap::EAP_ERROR** raw) { return method_->routines().EapMethodAuthenticatorEndSession(handle_, raw); },
                 error);
}

}  // namespace eaphost
