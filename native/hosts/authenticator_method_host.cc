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

#include "method_call.h"

namespace eaphost {

namespace {

constexpr eap::DWORD kDefaultSendPacketSize = 1400;
constexpr eap::DWORD kMinRequestBuffer = 1024;

}  // namespace

const char* AuthenticatorSide::MissingRoutine(const Routines& r) {
  struct Entry {
    const char* name;
    bool present;
  };
  // UpdateInnerMethodParams only serves tunnel methods as inner methods: optional.
  const Entry entries[] = {
      {"EapMethodAuthenticatorInitialize", r.EapMethodAuthenticatorInitialize != nullptr},
      {"EapMethodAuthenticatorBeginSession", r.EapMethodAuthenticatorBeginSession != nullptr},
      {"EapMethodAuthenticatorReceivePacket", r.EapMethodAuthenticatorReceivePacket != nullptr},
      {"EapMethodAuthenticatorSendPacket", r.EapMethodAuthenticatorSendPacket != nullptr},
      {"EapMethodAuthenticatorGetAttributes", r.EapMethodAuthenticatorGetAttributes != nullptr},
      {"EapMethodAuthenticatorSetAttributes", r.EapMethodAuthenticatorSetAttributes != nullptr},
      {"EapMethodAuthenticatorGetResult", r.EapMethodAuthenticatorGetResult != nullptr},
      {"EapMethodAuthenticatorEndSession", r.EapMethodAuthenticatorEndSession != nullptr},
      {"EapMethodAuthenticatorShutdown", r.EapMethodAuthenticatorShutdown != nullptr},
  };
  for (const Entry& entry : entries) {
    if (!entry.present) return entry.name;
  }
  return nullptr;
}

// ---- AuthenticatorMethod ------------------------------------------------------------------

std::shared_ptr<AuthenticatorMethod> AuthenticatorMethod::Open(const std::string& path,
                                                               EapErrorInfo* error) {
  std::shared_ptr<MethodLibrary> library = MethodLibrary::Load(path, error);
  return library ? Open(std::move(library), error) : nullptr;
}

std::shared_ptr<AuthenticatorMethod> AuthenticatorMethod::Open(const std::string& path,
                                                               const eap::EAP_METHOD_TYPE& type,
                                                               EapErrorInfo* error) {
  std::shared_ptr<MethodLibrary> library = MethodLibrary::Load(path, error);
  return library ? Open(std::move(library), type, error) : nullptr;
}

std::shared_ptr<AuthenticatorMethod> AuthenticatorMethod::Open(
    std::shared_ptr<MethodLibrary> library, EapErrorInfo* error) {
  return OpenAs(std::move(library), eap::EAP_METHOD_TYPE{}, true, error);
}

std::shared_ptr<AuthenticatorMethod> AuthenticatorMethod::Open(
    std::shared_ptr<MethodLibrary> library, const eap::EAP_METHOD_TYPE& type,
    EapErrorInfo* error) {
  return OpenAs(std::move(library), type, false, error);
}

std::shared_ptr<AuthenticatorMethod> AuthenticatorMethod::OpenAs(
    std::shared_ptr<MethodLibrary> library, const eap::EAP_METHOD_TYPE& type, bool probe,
    EapErrorInfo* error) {
  std::shared_ptr<AuthenticatorMethod> method(new AuthenticatorMethod());
  if (!MethodModule::Open(method.get(), std::move(library), type, probe, error)) return nullptr;
  return method;
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
    : method_(std::move(method)) {}

AuthenticatorMethodSession::~AuthenticatorMethodSession() {
  if (state_ != State::kEnded) EndSession(nullptr);
}

bool AuthenticatorMethodSession::Refuse(const char* call, const char* rule,
                                        EapErrorInfo* error) const {
  Report(error, OutOfOrder(call, StateName(state_), rule));
  return false;
}

bool AuthenticatorMethodSession::Advance(const char* call,
                                         eap::EAP_METHOD_AUTHENTICATOR_RESPONSE_ACTION action,
                                         EapErrorInfo* error) {
  switch (action) {
    case eap::EAP_METHOD_AUTHENTICATOR_RESPONSE_SEND: state_ = State::kStarted; return true;
    case eap::EAP_METHOD_AUTHENTICATOR_RESPONSE_RESPOND:
      state_ = State::kAwaitingAttributes;
      return true;
    case eap::EAP_METHOD_AUTHENTICATOR_RESPONSE_RESULT:
      state_ = State::kResult;
      resultTaken_ = false;
      return true;
    case eap::EAP_METHOD_AUTHENTICATOR_RESPONSE_DISCARD: state_ = State::kSent; return true;
    default:
      // AUTHENTICATE and HANDLE_IDENTITY belong to tunnel hosts (inner methods): the state is
      // left as it was and the conversation can only be ended.
      Report(error, HostError(eap::kErrorNotSupported, call,
                              "the method asked for action " + std::to_string(action) +
                                  ", which this authenticator host does not support"));
      return false;
  }
}

bool AuthenticatorMethodSession::BeginSession(eap::DWORD flags, const std::u16string& identity,
                                              const Attributes& attributes,
                                              const Bytes& connectionData,
                                              eap::DWORD maxSendPacketSize, EapErrorInfo* error) {
  static const char kCall[] = "EapMethodAuthenticatorBeginSession";
  if (!method_) {
    Report(error, HostError(eap::kErrorInvalidParameter, kCall, "the session has no method"));
    return false;
  }
  if (state_ != State::kCreated) return Refuse(kCall, "a session begins only once", error);
  eap::DWORD packetSize = maxSendPacketSize == 0 ? kDefaultSendPacketSize : maxSendPacketSize;
  packetSize = std::min(packetSize, kMaxEapPacketSize);
  std::vector<eap::WCHAR> wideIdentity(identity.begin(), identity.end());
  wideIdentity.push_back(0);
  AttributeArray array(attributes);
  eap::EAP_SESSION_HANDLE handle = nullptr;
  eap::EAP_ERROR* raw = nullptr;
  eap::DWORD result = method_->routines().EapMethodAuthenticatorBeginSession(
      flags, wideIdentity.data(), array.get(), static_cast<eap::DWORD>(connectionData.size()),
      connectionData.empty() ? nullptr : connectionData.data(), packetSize, &handle, &raw);
  if (!MethodSucceeded(*method_, result, raw, kCall, error)) return false;
  handle_ = handle;
  maxSendPacketSize_ = packetSize;
  state_ = State::kStarted;
  return true;
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
  eap::EAP_METHOD_AUTHENTICATOR_RESPONSE_ACTION out = eap::EAP_METHOD_AUTHENTICATOR_RESPONSE_DISCARD;
  eap::EAP_ERROR* raw = nullptr;
  eap::DWORD result = method_->routines().EapMethodAuthenticatorReceivePacket(
      handle_, static_cast<eap::DWORD>(size), reinterpret_cast<const eap::EapPacket*>(packet), &out, &raw);
  if (!MethodSucceeded(*method_, result, raw, kCall, error)) return false;
  if (!Advance(kCall, out, error)) return false;
  Report(action, out);
  return true;
}

bool AuthenticatorMethodSession::GetAttributes(Attributes* attributes, EapErrorInfo* error) {
  static const char kCall[] = "EapMethodAuthenticatorGetAttributes";
  if (state_ != State::kAwaitingAttributes) {
    return Refuse(kCall, "it must follow an action of RESPOND", error);
  }
  eap::EapAttributes raw{};
  eap::EAP_ERROR* rawError = nullptr;
  eap::DWORD result =
      method_->routines().EapMethodAuthenticatorGetAttributes(handle_, &raw, &rawError);
  if (!MethodSucceeded(*method_, result, rawError, kCall, error)) return false;
  Report(attributes, CopyAttributes(&raw));
  method_->FreeMemory(raw.pAttribs);
  return true;
}

bool AuthenticatorMethodSession::SetAttributes(
    const Attributes& attributes, eap::EAP_METHOD_AUTHENTICATOR_RESPONSE_ACTION* action,
    EapErrorInfo* error) {
  static const char kCall[] = "EapMethodAuthenticatorSetAttributes";
  if (state_ != State::kAwaitingAttributes) {
    return Refuse(kCall, "it must follow an action of RESPOND", error);
  }
  AttributeArray array(attributes);
  eap::EAP_METHOD_AUTHENTICATOR_RESPONSE_ACTION out = eap::EAP_METHOD_AUTHENTICATOR_RESPONSE_DISCARD;
  eap::EAP_ERROR* raw = nullptr;
  eap::DWORD result =
      method_->routines().EapMethodAuthenticatorSetAttributes(handle_, array.get(), &out, &raw);
  if (!MethodSucceeded(*method_, result, raw, kCall, error)) return false;
  if (!Advance(kCall, out, error)) return false;
  Report(action, out);
  return true;
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
  resultTaken_ = true;
  Report(result, std::move(copy));
  return true;
}

bool AuthenticatorMethodSession::EndSession(EapErrorInfo* error) {
  static const char kCall[] = "EapMethodAuthenticatorEndSession";
  if (state_ == State::kEnded) return Refuse(kCall, "the session has already ended", error);
  bool begun = state_ != State::kCreated;
  state_ = State::kEnded;
  if (!begun) return true;
  eap::EAP_ERROR* raw = nullptr;
  eap::DWORD result = method_->routines().EapMethodAuthenticatorEndSession(handle_, &raw);
  handle_ = nullptr;
  return MethodSucceeded(*method_, result, raw, kCall, error);
}

}  // namespace eaphost
