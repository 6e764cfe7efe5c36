// The standalone authenticator (RFC 3748 §2, RFC 4137 §4) as a step machine over
// AuthenticatorMethodSession. Phases:
//   Idle -> Begin -> Identity (Request/Identity outstanding) -> Method (a method request
//   outstanding) <-> AwaitingAttributes (the caller looks up what the method asked for) ->
//   Finished (Success/Failure decided) ; End() -> Ended from anywhere.
// Identifiers: the first is random (RFC 3748 §4.1 asks for unpredictable ones), each new
// request takes the previous + 1, a retransmission reuses its request's, and Success/Failure
// carry the last request's (RFC 3748 §4.2).
#include "authenticator_host.h"

#include <cstdint>
#include <random>
#include <utility>

#include "../common/secure_zero.h"
#include "../common/utf16.h"
#include "eap_packet.h"
#include "method_call.h"

namespace eaphost {

namespace {
// The first Identifier of a conversation, from the OS RNG. Constructing a std::random_device
// per conversation set the device up each time (most of a short conversation's host-thread
// time): one per thread is kept, and each of its 32-bit draws gives four Identifiers.
// Conversations run on the one host thread; thread_local keeps any other thread (tests,
// benches driving hosts directly) safe without a lock.
eap::BYTE FirstIdentifier() {
  thread_local std::random_device device;
  thread_local uint32_t pool = 0;
  thread_local int left = 0;
  if (left == 0) {
    pool = device();
    left = 4;
  }
  --left;
  auto id = static_cast<eap::BYTE>(pool & 0xFF);
  pool >>= 8;
  return id;
}
}  // namespace

// A call's `lendRequest`, for that call only.
struct LendDuring {
  LendDuring(bool& lending, bool lend) : lending_(lending) { lending_ = lend; }
  LendDuring(const LendDuring&) = delete;
  LendDuring& operator=(const LendDuring&) = delete;
  ~LendDuring() { lending_ = false; }

 private:
  bool& lending_;
};

struct AuthenticatorHost::Impl {
  enum class Phase { kIdle, kIdentity, kMethod, kAwaitingAttributes, kFinished, kEnded };

  AuthenticatorConfig config;
  std::u16string* identity = nullptr;  // the host's identity_, which callers read
  Phase phase = Phase::kIdle;
  std::unique_ptr<AuthenticatorMethodSession> session;
  std::size_t methodIndex = 0;
  std::vector<bool> tried;            // methods already proposed, so a Nak cannot loop
  bool firstMethodRequest = false;    // a legacy Nak is only valid in answer to this one
  eap::BYTE lastId = 0;
  // The request a retransmission resends. Empty while the Identity request is outstanding: that
  // one is Identity with lastId and nothing else, so it is built again when needed
  // (IdentityRequest) rather than kept beside the caller's copy.
  mutable Bytes lastRequest;
  bool lendRequest = false;  // during a Receive whose caller reads lastRequest in place
  eap::DWORD retransmits = 0;

  static const char* PhaseName(Phase phase);
  bool Refuse(const char* call, const char* rule, EapErrorInfo* error) const;
  eap::BYTE CurrentType() const;

  Bytes IdentityRequest() const {
    return BuildEapPacket(eap::EapCodeRequest, lastId, kEapTypeIdentity, nullptr, 0);
  }
  const Bytes& OutstandingRequest() const;
  bool StartMethod(std::size_t index, AuthenticatorStep* step);
  bool SendNext(AuthenticatorStep* step);
  bool HandleAction(eap::EAP_METHOD_AUTHENTICATOR_RESPONSE_ACTION action, AuthenticatorStep* step);
  bool HandleNak(const EapPacketView& nak, AuthenticatorStep* step);
  bool Finish(AuthenticatorStep* step);
  bool Fail(EapErrorInfo cause, AuthenticatorStep* step);
  void EndMethodSession();
};

const char* AuthenticatorHost::Impl::PhaseName(Phase phase) {
  switch (phase) {
    case Phase::kIdle: return "Idle";
    case Phase::kIdentity: return "Identity";
    case Phase::kMethod: return "Method";
    case Phase::kAwaitingAttributes: return "AwaitingAttributes";
    case Phase::kFinished: return "Finished";
    case Phase::kEnded: return "Ended";
  }
  return "Unknown";
}

bool AuthenticatorHost::Impl::Refuse(const char* call, const char* rule,
                                     EapErrorInfo* error) const {
  Report(error, OutOfOrder(call, PhaseName(phase), rule));
  return false;
}

eap::BYTE AuthenticatorHost::Impl::CurrentType() const {
  return config.methods[methodIndex]->type().eapType.type;
}

void AuthenticatorHost::Impl::EndMethodSession() {
  // The conversation's outcome is already decided when this runs: an EndSession failure has
  // nothing left to change, so it is not reported.
  if (session && session->state() != AuthenticatorMethodSession::State::kEnded) {
    session->EndSession(nullptr);
  }
  session.reset();
}

bool AuthenticatorHost::Impl::Fail(EapErrorInfo cause, AuthenticatorStep* step) {
  EndMethodSession();
  phase = Phase::kFinished;
  step->kind = AuthenticatorStep::Kind::kFailure;
  step->packet = BuildEapSuccessOrFailure(eap::EapCodeFailure, lastId);
  step->hasError = true;
  step->error = std::move(cause);
  return true;
}

bool AuthenticatorHost::Impl::StartMethod(std::size_t index, AuthenticatorStep* step) {
  EndMethodSession();
  methodIndex = index;
  tried[index] = true;
  phase = Phase::kMethod;
  step->methodType = CurrentType();
  session = std::make_unique<AuthenticatorMethodSession>(config.methods[index]);
  EapErrorInfo error;
  const Bytes none;
  const Bytes& connectionData =
      index < config.connectionData.size() ? config.connectionData[index] : none;
  if (!session->BeginSession(0, *identity, Attributes(), connectionData, config.maxSendPacketSize,
                             &error)) {
    return Fail(std::move(error), step);
  }
  firstMethodRequest = true;
  return SendNext(step);
}

bool AuthenticatorHost::Impl::SendNext(AuthenticatorStep* step) {
  eap::BYTE id = static_cast<eap::BYTE>(lastId + 1);
  Bytes packet;
  EapErrorInfo error;
  if (!session->SendPacket(id, &packet, nullptr, &error)) return Fail(std::move(error), step);
  // What goes on the wire must be the request the Identifier bookkeeping assumes.
  EapPacketView view;
  if (!ParseEapPacket(packet.data(), packet.size(), &view) || view.code != eap::EapCodeRequest ||
      view.id != id) {
    return Fail(HostError(eap::kErrorInvalidData, "EapMethodAuthenticatorSendPacket",
                          "the method built no valid EAP-Request with Identifier " +
                              std::to_string(id)),
                step);
  }
  SecureShrink(&packet, view.length);  // drop padding past the EAP Length
  lastId = id;
  retransmits = 0;
  step->kind = AuthenticatorStep::Kind::kSend;
  if (lendRequest) {
    session->method()->packetBuffers().Give(std::exchange(lastRequest, std::move(packet)));
    step->requestLent = true;
  } else {
    lastRequest = packet;
    step->packet = std::move(packet);
  }
  step->timeoutMs = config.retransmitTimeoutMs;
  step->methodType = CurrentType();
  return true;
}

bool AuthenticatorHost::Impl::HandleAction(eap::EAP_METHOD_AUTHENTICATOR_RESPONSE_ACTION action,
                                           AuthenticatorStep* step) {
  step->methodType = CurrentType();
  switch (action) {
    case eap::EAP_METHOD_AUTHENTICATOR_RESPONSE_SEND:
      return SendNext(step);
    case eap::EAP_METHOD_AUTHENTICATOR_RESPONSE_RESPOND: {
      EapErrorInfo error;
      Attributes wanted;
      if (!session->GetAttributes(&wanted, &error)) return Fail(std::move(error), step);
      phase = Phase::kAwaitingAttributes;
      step->kind = AuthenticatorStep::Kind::kRespond;
      step->identity = *identity;
      step->attributes = std::move(wanted);
      return true;
    }
    case eap::EAP_METHOD_AUTHENTICATOR_RESPONSE_RESULT:
      return Finish(step);
    default:  // DISCARD: the request stays outstanding, and so does its timer
      step->kind = AuthenticatorStep::Kind::kDiscard;
      return true;
  }
}

bool AuthenticatorHost::Impl::Finish(AuthenticatorStep* step) {
  AuthenticatorMethodResult result;
  EapErrorInfo error;
  if (!session->GetResult(&result, &error)) return Fail(std::move(error), step);
  EndMethodSession();
  phase = Phase::kFinished;
  bool success = result.success;
  step->kind = success ? AuthenticatorStep::Kind::kSuccess : AuthenticatorStep::Kind::kFailure;
  step->packet = BuildEapSuccessOrFailure(success ? eap::EapCodeSuccess : eap::EapCodeFailure,
                                          lastId);
  step->failureReason = result.failureReason;
  step->facts = result.facts;
  if (success) step->attributes = std::move(result.attributes);
  if (!success && result.hasError) {
    step->hasError = true;
    step->error = std::move(result.error);
  }
  return true;
}

bool AuthenticatorHost::Impl::HandleNak(const EapPacketView& nak, AuthenticatorStep* step) {
  // The Nak's data lists the types the peer would accept (RFC 3748 §5.3.1); the first
  // configured method among them wins, in the authenticator's order of preference.
  std::string offered;
  for (std::size_t i = 0; i < config.methods.size(); ++i) {
    if (tried[i]) continue;
    eap::BYTE type = config.methods[i]->type().eapType.type;
    for (std::size_t k = 0; k < nak.typeDataLength; ++k) {
      if (nak.typeData[k] == type) return StartMethod(i, step);
    }
  }
  for (std::size_t k = 0; k < nak.typeDataLength; ++k) {
    offered += (offered.empty() ? "" : ", ") + std::to_string(nak.typeData[k]);
  }
  step->failureReason = 0;
  return Fail(HostError(eap::kErrorNotSupported, "Receive",
                        "no common EAP method: the peer's Nak asks for [" + offered +
                            "] and none of those is configured and untried"),
              step);
}

AuthenticatorHost::AuthenticatorHost(AuthenticatorConfig config) : impl_(new Impl()) {
  impl_->config = std::move(config);
  impl_->identity = &identity_;
  impl_->tried.assign(impl_->config.methods.size(), false);
}

AuthenticatorHost::~AuthenticatorHost() {
  if (impl_->phase != Impl::Phase::kEnded) End(nullptr);
}

bool AuthenticatorHost::Begin(const Bytes& identityResponse, AuthenticatorStep* step,
                              EapErrorInfo* error) {
  static const char kCall[] = "Begin";
  Impl& m = *impl_;
  if (m.phase != Impl::Phase::kIdle) return m.Refuse(kCall, "a conversation begins once", error);
  if (m.config.methods.empty() || step == nullptr) {
    Report(error, HostError(eap::kErrorInvalidParameter, kCall,
                            step == nullptr ? "no step to fill in"
                                            : "no authenticator method is configured"));
    return false;
  }
  for (const auto& method : m.config.methods) {
    if (!method) {
      Report(error, HostError(eap::kErrorInvalidParameter, kCall, "a configured method is null"));
      return false;
    }
  }
  *step = AuthenticatorStep();
  if (identityResponse.empty()) {
    m.lastId = FirstIdentifier();
    m.lastRequest.clear();
    m.retransmits = 0;
    m.phase = Impl::Phase::kIdentity;
    step->kind = AuthenticatorStep::Kind::kSend;
    step->packet = m.IdentityRequest();
    step->timeoutMs = m.config.retransmitTimeoutMs;
    return true;
  }
  EapPacketView view;
  if (!ParseEapPacket(identityResponse.data(), identityResponse.size(), &view) ||
      view.code != eap::EapCodeResponse || view.type != kEapTypeIdentity) {
    Report(error, HostError(eap::kErrorInvalidParameter, kCall,
                            "identityResponse is not an EAP-Response/Identity"));
    return false;
  }
  m.lastId = view.id;  // the Identity request it answered was the NAS's, with this Identifier
  std::string name(reinterpret_cast<const char*>(view.typeData), view.typeDataLength);
  identity_ = Utf8ToUtf16(name.substr(0, name.find('\0')));
  return m.StartMethod(0, step);
}

const Bytes& AuthenticatorHost::Impl::OutstandingRequest() const {
  if (phase == Phase::kIdentity && lastRequest.empty()) lastRequest = IdentityRequest();
  return lastRequest;
}

const Bytes& AuthenticatorHost::OutstandingRequest() const { return impl_->OutstandingRequest(); }

bool AuthenticatorHost::Receive(const eap::BYTE* response, std::size_t size, AuthenticatorStep* step,
                                EapErrorInfo* error, bool lendRequest) {
  LendDuring lend{impl_->lendRequest, lendRequest};
  return ReceiveResponse(response, size, step, error);
}

bool AuthenticatorHost::ReceiveResponse(const eap::BYTE* response, std::size_t size, AuthenticatorStep* step,
                                        EapErrorInfo* error) {
  static const char kCall[] = "Receive";
  Impl& m = *impl_;
  switch (m.phase) {
    case Impl::Phase::kIdle: return m.Refuse(kCall, "it must follow Begin", error);
    case Impl::Phase::kAwaitingAttributes:
      return m.Refuse(kCall, "the method awaits SetAttributes", error);
    case Impl::Phase::kFinished:
    case Impl::Phase::kEnded: return m.Refuse(kCall, "the conversation is over", error);
    default: break;
  }
  if (step == nullptr) {
    Report(error, HostError(eap::kErrorInvalidParameter, kCall, "no step to fill in"));
    return false;
  }
  *step = AuthenticatorStep();
  EapPacketView view;
  // RFC 3748 §4.1: a response that does not answer the outstanding request is silently dropped.
  if (!ParseEapPacket(response, size, &view) || view.code != eap::EapCodeResponse || view.id != m.lastId) {
    step->kind = AuthenticatorStep::Kind::kDiscard;
    return true;
  }
  if (m.phase == Impl::Phase::kIdentity) {
    if (view.type != kEapTypeIdentity) {
      step->kind = AuthenticatorStep::Kind::kDiscard;
      return true;
    }
    std::string name(reinterpret_cast<const char*>(view.typeData), view.typeDataLength);
    identity_ = Utf8ToUtf16(name.substr(0, name.find('\0')));
    return m.StartMethod(0, step);
  }
  step->methodType = m.CurrentType();
  if (view.type == kEapTypeNak) {
    if (!m.firstMethodRequest) {
      step->kind = AuthenticatorStep::Kind::kDiscard;
      return true;
    }
    return m.HandleNak(view, step);
  }
  if (view.type != m.CurrentType()) {
    step->kind = AuthenticatorStep::Kind::kDiscard;
    return true;
  }
  // Framed once, here: the method gets the packet without padding, in place.
  eap::EAP_METHOD_AUTHENTICATOR_RESPONSE_ACTION action;
  EapErrorInfo methodError;
  if (!m.session->ReceivePacket(response, view.length, &action, &methodError)) {
    return m.Fail(std::move(methodError), step);
  }
  if (action != eap::EAP_METHOD_AUTHENTICATOR_RESPONSE_DISCARD) m.firstMethodRequest = false;
  return m.HandleAction(action, step);
}

bool AuthenticatorHost::SetAttributes(const Attributes& attributes, AuthenticatorStep* step,
                                      EapErrorInfo* error, bool lendRequest) {
  static const char kCall[] = "SetAttributes";
  Impl& m = *impl_;
  LendDuring lend{m.lendRequest, lendRequest};
  if (m.phase != Impl::Phase::kAwaitingAttributes) {
    return m.Refuse(kCall, "it must answer a Respond step", error);
  }
  if (step == nullptr) {
    Report(error, HostError(eap::kErrorInvalidParameter, kCall, "no step to fill in"));
    return false;
  }
  *step = AuthenticatorStep();
  m.phase = Impl::Phase::kMethod;
  eap::EAP_METHOD_AUTHENTICATOR_RESPONSE_ACTION action;
  EapErrorInfo methodError;
  if (!m.session->SetAttributes(attributes, &action, &methodError)) {
    return m.Fail(std::move(methodError), step);
  }
  return m.HandleAction(action, step);
}

bool AuthenticatorHost::Timeout(AuthenticatorStep* step, EapErrorInfo* error) {
  static const char kCall[] = "Timeout";
  Impl& m = *impl_;
  if (m.phase != Impl::Phase::kIdentity && m.phase != Impl::Phase::kMethod) {
    return m.Refuse(kCall, "no request is outstanding", error);
  }
  if (step == nullptr) {
    Report(error, HostError(eap::kErrorInvalidParameter, kCall, "no step to fill in"));
    return false;
  }
  *step = AuthenticatorStep();
  if (m.phase == Impl::Phase::kMethod) step->methodType = m.CurrentType();
  if (m.retransmits < m.config.maxRetransmits) {
    ++m.retransmits;
    step->kind = AuthenticatorStep::Kind::kSend;
    // Identical bytes, same Identifier (RFC 3748 §4.1).
    step->packet = m.phase == Impl::Phase::kIdentity ? m.IdentityRequest() : m.lastRequest;
    step->timeoutMs = m.config.retransmitTimeoutMs;
    return true;
  }
  // RFC 4137 §4.1: retransmissions exhausted, the authenticator gives up without a Failure
  // packet (the peer is not answering).
  m.EndMethodSession();
  m.phase = Impl::Phase::kFinished;
  step->kind = AuthenticatorStep::Kind::kFailure;
  step->hasError = true;
  step->error = HostError(eap::kErrorTimeout, kCall,
                          "no response after " + std::to_string(m.retransmits) +
                              " retransmissions");
  return true;
}

bool AuthenticatorHost::End(EapErrorInfo* error) {
  Impl& m = *impl_;
  if (m.phase == Impl::Phase::kEnded) return m.Refuse("End", "it has already ended", error);
  m.EndMethodSession();
  m.phase = Impl::Phase::kEnded;
  if (m.methodIndex < m.config.methods.size() && m.config.methods[m.methodIndex]) {
    m.config.methods[m.methodIndex]->packetBuffers().Give(std::exchange(m.lastRequest, Bytes()));
  }
  return true;
}

}  // namespace eaphost
