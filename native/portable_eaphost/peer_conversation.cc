#include "peer_conversation.h"

#include <algorithm>
#include <utility>

#include "../common/secure_zero.h"
#include "../common/tls_outcome.h"
#include "../common/utf16.h"
#include "../hosts/eap_packet.h"
#include "../hosts/method_call.h"
#include "abi_convert.h"
#include "runtime_memory.h"

namespace eaphost {
namespace portable {

namespace {

constexpr const char* kProcessCall = "EapHostPeerProcessReceivedPacket";

void ZeroizeResult(PeerMethodResult* result) {
  SecureClear(&result->connectionData);
  SecureClear(&result->userData);
  for (auto& attribute : result->attributes) SecureClear(&attribute.value);
  result->attributes.clear();
}

std::uint32_t ReadBigEndian(const std::uint8_t* p, std::size_t n) {
  std::uint32_t v = 0;
  for (std::size_t i = 0; i < n; ++i) v = (v << 8) | p[i];
  return v;
}

eap::EapHostPeerResponseAction MapAction(eap::EapPeerMethodResponseAction action, bool* known) {
  *known = true;
  switch (action) {
    case eap::EapPeerMethodResponseActionDiscard: return eap::EapHostPeerResponseDiscard;
    case eap::EapPeerMethodResponseActionSend: return eap::EapHostPeerResponseSend;
    case eap::EapPeerMethodResponseActionResult: return eap::EapHostPeerResponseResult;
    case eap::EapPeerMethodResponseActionInvokeUI: return eap::EapHostPeerResponseInvokeUi;
    case eap::EapPeerMethodResponseActionRespond: return eap::EapHostPeerResponseRespond;
    case eap::EapPeerMethodResponseActionNone: return eap::EapHostPeerResponseNone;
  }
  *known = false;
  return eap::EapHostPeerResponseDiscard;
}

}  // namespace

PeerConversation::PeerConversation(ConversationSetup setup,
                                   std::unique_ptr<PeerMethodSession> session)
    : setup_(std::move(setup)), session_(std::move(session)) {
  if (setup_.nakTypes.empty()) setup_.nakTypes.push_back(0);  // RFC 3748 §5.3.1: "none"
}

PeerConversation::~PeerConversation() {
  session_.reset();  // its destructor ends the method session if End() was never called
  ZeroizeResult(&result_);
}

bool PeerConversation::Fail(EapErrorInfo* error, EapErrorInfo info) {
  if (info.methodType.eapType.type == 0) info.methodType = setup_.method.type;
  lastErrorCode_ = info.win32Error;
  if (error != nullptr) *error = std::move(info);
  return false;
}

bool PeerConversation::CheckOpen(const char* call, EapErrorInfo* error) const {
  if (phase_ != Phase::kEnded && session_ != nullptr) return true;
  if (error != nullptr) *error = HostError(eap::kErrorInvalidHandle, call, "the session has ended");
  return false;
}

bool PeerConversation::ProcessReceivedPacket(const std::uint8_t* packet, std::size_t size,
                                             eap::EapHostPeerResponseAction* action,
                                             EapErrorInfo* error) {
  bool notify = false;
  bool ok;
  {
    std::lock_guard<std::mutex> lock(mutex_);
    ok = ProcessLocked(packet, size, action, &notify, error);
  }
  // Outside the lock: the handler may call GetAuthStatus or GetSendPacket on this session.
  if (ok && notify && setup_.notificationHandler != nullptr) {
    setup_.notificationHandler(setup_.connectionId, setup_.notificationContext);
  }
  return ok;
}

bool PeerConversation::ProcessLocked(const std::uint8_t* packet, std::size_t size,
                                     eap::EapHostPeerResponseAction* action, bool* notify,
                                     EapErrorInfo* error) {
  *action = eap::EapHostPeerResponseDiscard;
  if (!CheckOpen(kProcessCall, error)) return false;
  sendPending_ = false;
  EapPacketView view;
  // RFC 3748 §4.1: a packet whose framing is wrong is silently discarded, not an error.
  if (!ParseEapPacket(packet, size, &view)) return true;
  // After Success/Failure the conversation is over; late or forged packets change nothing.
  if (phase_ == Phase::kSucceeded || phase_ == Phase::kFailed) return true;
  switch (view.code) {
    case eap::EapCodeRequest:
      // A view of the caller's packet: the method gets its own (mutable) copy and the
      // retransmission check keeps one, nothing else copies the request (RunMethod).
      return ProcessRequest(packet, view.length, view.id, view.type, view.typeData,
                            view.typeDataLength, action, notify, error);
    case eap::EapCodeSuccess:
    case eap::EapCodeFailure:
      return ProcessSuccessOrFailure(view.code == eap::EapCodeSuccess, view.id, action, error);
    default:
      return true;  // Responses (and codes a peer does not handle) are not for us
  }
}

bool PeerConversation::ProcessRequest(const std::uint8_t* packet, std::size_t size, std::uint8_t id, std::uint8_t type,
                                      const std::uint8_t* typeData, std::size_t typeDataLength,
                                      eap::EapHostPeerResponseAction* action, bool* notify,
                                      EapErrorInfo* error) {
  if (haveLastRequest_ && id == lastRequestId_) {
    // RFC 3748 §4.1: a retransmission gets the same answer again, without re-running the
    // method (which may not be idempotent). Same Identifier with other content, or a request
    // the method has not answered yet, is dropped.
    if (size == lastRequest_.size() && std::equal(packet, packet + size, lastRequest_.begin()) &&
        !lastResponse_.empty()) {
      sendPending_ = true;
      *action = eap::EapHostPeerResponseSend;
    }
    return true;
  }

  auto answer = [&](std::uint8_t responseType, const std::uint8_t* data, std::size_t length) {
    if (!QueueResponse(BuildEapPacket(eap::EapCodeResponse, id, responseType, data, length),
                       error)) {
      return false;
    }
    RememberRequest(Bytes(packet, packet + size));
    *action = eap::EapHostPeerResponseSend;
    return true;
  };

  if (type == kEapTypeIdentity) {
    std::string identity = Utf16ToUtf8(setup_.identity);
    if (!answer(kEapTypeIdentity, reinterpret_cast<const std::uint8_t*>(identity.data()),
                identity.size())) {
      return false;
    }
    if (phase_ == Phase::kNotStarted) phase_ = Phase::kIdentity;
    return true;
  }
  if (type == kEapTypeNotification) {
    // A method may forbid Notifications while it runs (fAllowNotifications).
    if (!notificationsAllowed_) return true;
    if (!answer(kEapTypeNotification, nullptr, 0)) return false;
    notificationText_.assign(reinterpret_cast<const char*>(typeData), typeDataLength);
    *notify = true;
    return true;
  }
  // Nak is a Response-only type and 0 is reserved: such a Request is malformed.
  if (type == kEapTypeNak || type == 0) return true;

  if (IsSessionMethod(type, typeData, typeDataLength)) return RunMethod(packet, size, action, error);

  // RFC 4137: once a method is selected, requests of another type are dropped; before that,
  // an unacceptable proposal is answered with a legacy Nak listing what we can do.
  if (phase_ == Phase::kMethod) return true;
  if (!answer(kEapTypeNak, setup_.nakTypes.data(), setup_.nakTypes.size())) return false;
  phase_ = Phase::kNegotiating;
  return true;
}

bool PeerConversation::IsSessionMethod(std::uint8_t type, const std::uint8_t* typeData,
                                       std::size_t typeDataLength) const {
  const eap::EAP_TYPE& mine = setup_.method.type.eapType;
  if (type != mine.type) return false;
  if (type != kEapTypeExpanded) return true;
  // Expanded type (RFC 3748 §5.7): 3-octet Vendor-Id, 4-octet Vendor-Type.
  if (typeData == nullptr || typeDataLength < 7) return false;
  return ReadBigEndian(typeData, 3) == mine.dwVendorId &&
         ReadBigEndian(typeData + 3, 4) == mine.dwVendorType;
}

// The request's one copy in the portable EAPHost: the method's ABI takes the packet non-const,
// so it works on a copy made here straight from the caller's buffer. That copy is then kept to
// recognise a retransmission, unless the method changed it (then a fresh copy of the caller's
// packet is kept instead): a method that writes into its input must not make an exact
// retransmission look new.
bool PeerConversation::RunMethod(const std::uint8_t* packet, std::size_t size,
                                 eap::EapHostPeerResponseAction* action, EapErrorInfo* error) {
  PeerMethodOutput output{};
  EapErrorInfo methodError;
  Bytes methodCopy(packet, packet + size);
  if (!session_->ProcessRequestPacket(&methodCopy, &output, &methodError)) {
    KeepRefusedHandshake(methodError);
    return Fail(error, std::move(methodError));
  }
  // A request the method discards does not count as answered: its retransmission must reach
  // the method again.
  if (output.action != eap::EapPeerMethodResponseActionDiscard) {
    if (methodCopy.size() == size && std::equal(packet, packet + size, methodCopy.begin())) {
      RememberRequest(std::move(methodCopy));
    } else {
      RememberRequest(Bytes(packet, packet + size));
    }
    lastResponse_.clear();
    phase_ = Phase::kMethod;
  }
  return ApplyMethodOutput(output, action, error);
}

// A TLS-based method that refused the server's handshake (its error's cause GUID says so) ends the
// conversation: its result, fetched now as for an EAP-Failure, is what GetResult(FromMethod)
// answers from then on, with the thrown error as its error. The result's TLS outcome attribute
// names the chain the server sent, which is what a refusal is explained by.
void PeerConversation::KeepRefusedHandshake(const EapErrorInfo& thrown) {
  TlsFailure failure;
  if (!DecodeTlsFailureGuid(thrown.rootCauseGuid, &failure)) return;
  PeerMethodResult result;
  EapErrorInfo ignored;
  if (!session_->GetResult(eap::EapPeerMethodResultFailure, &result, &ignored)) return;
  result.success = false;
  result.failureReasonCode = thrown.reasonCode != 0 ? thrown.reasonCode : eap::EAP_E_AUTHENTICATION_FAILED;
  result.hasError = true;
  result.error = thrown;
  if (result.error.methodType.eapType.type == 0) result.error.methodType = setup_.method.type;
  ZeroizeResult(&result_);
  result_ = std::move(result);
  haveResult_ = true;
  phase_ = Phase::kFailed;
}

void PeerConversation::RememberRequest(Bytes request) {
  haveLastRequest_ = true;
  lastRequestId_ = request[1];
  SecureClear(&lastRequest_);
  lastRequest_ = std::move(request);
}

bool PeerConversation::ApplyMethodOutput(const PeerMethodOutput& output,
                                         eap::EapHostPeerResponseAction* action,
                                         EapErrorInfo* error) {
  bool known;
  eap::EapHostPeerResponseAction mapped = MapAction(output.action, &known);
  if (!known) {
    return Fail(error, HostError(eap::kErrorInvalidData, "EapPeerProcessRequestPacket",
                                 "the method returned an unknown action " +
                                     std::to_string(static_cast<int>(output.action))));
  }
  notificationsAllowed_ = output.allowNotifications;
  if (mapped == eap::EapHostPeerResponseSend) {
    Bytes response;
    EapErrorInfo methodError;
    if (!session_->GetResponsePacket(&response, &methodError)) {
      return Fail(error, std::move(methodError));
    }
    if (!QueueResponse(std::move(response), error)) return false;
  } else if (mapped == eap::EapHostPeerResponseResult) {
    // The method decided by itself (no Success/Failure seen): it reports its own verdict.
    if (!FetchMethodResult(eap::EapPeerMethodResultUnknown, false, error)) return false;
  }
  *action = mapped;
  return true;
}

bool PeerConversation::QueueResponse(Bytes response, EapErrorInfo* error) {
  // A response refused below is freed here, and may carry a password (EAP-GTC's): wiped. One
  // queued has been moved out, and nothing is left to wipe.
  WipeOnExit<Bytes> wipe(response);
  EapPacketView view;
  if (!ParseEapPacket(response.data(), response.size(), &view) ||
      view.code != eap::EapCodeResponse) {
    return Fail(error, HostError(eap::EAP_E_EAPHOST_METHOD_INVALID_PACKET, "EapPeerGetResponsePacket",
                                 "the response packet is not a well-formed EAP Response"));
  }
  SecureShrink(&response, view.length);
  if (response.size() > setup_.maxSendPacketSize) {
    return Fail(error, HostError(eap::kErrorInsufficientBuffer, kProcessCall,
                                 "the response (" + std::to_string(response.size()) +
                                     " bytes) exceeds dwMaxSendPacketSize (" +
                                     std::to_string(setup_.maxSendPacketSize) + ")"));
  }
  session_->method()->packetBuffers().Give(std::exchange(lastResponse_, std::move(response)));
  haveLastResponseId_ = true;
  lastResponseId_ = view.id;
  sendPending_ = true;
  return true;
}

void PeerConversation::ReleaseLastResponse() {
  if (session_ != nullptr) {
    session_->method()->packetBuffers().Give(std::exchange(lastResponse_, Bytes()));  // wiped there
  } else {
    SecureClear(&lastResponse_);
  }
}

bool PeerConversation::ProcessSuccessOrFailure(bool success, std::uint8_t id,
                                               eap::EapHostPeerResponseAction* action,
                                               EapErrorInfo* error) {
  // RFC 3748 §4.2: Success/Failure must carry the Identifier of the Response it answers;
  // anything else could be a stale or spoofed packet.
  if (!haveLastResponseId_ || id != lastResponseId_) {
    discardedVerdict_ = std::string("an EAP-") + (success ? "Success" : "Failure") + " with Identifier " +
                        std::to_string(id) + " was discarded: " +
                        (haveLastResponseId_ ? "the last response's Identifier was " + std::to_string(lastResponseId_)
                                             : std::string("no response had been sent")) +
                        " (RFC 3748 section 4.2)";
    return true;
  }
  if (phase_ == Phase::kMethod) {
    if (!FetchMethodResult(success ? eap::EapPeerMethodResultSuccess
                                   : eap::EapPeerMethodResultFailure,
                           !success, error)) {
      return false;
    }
  } else if (success) {
    // RFC 4137 §4.1/§5: a peer that requires a method must not accept Success before one
    // ran, or anyone could skip authentication. It ends the conversation as a failure.
    SetLocalFailure(eap::EAP_E_AUTHENTICATION_FAILED,
                    "EAP-Success received before any method exchange; rejected");
  } else {
    SetLocalFailure(eap::EAP_E_AUTHENTICATION_FAILED,
                    "EAP-Failure received before any method exchange");
  }
  // The verdict ends the exchange: no request is answered again, so the last response goes now,
  // not at the session's end.
  ReleaseLastResponse();
  *action = eap::EapHostPeerResponseResult;
  return true;
}

bool PeerConversation::FetchMethodResult(eap::EapPeerMethodResultReason reason,
                                         bool authenticatorSaidFailure, EapErrorInfo* error) {
  PeerMethodResult result;
  EapErrorInfo methodError;
  if (!session_->GetResult(reason, &result, &methodError)) {
    phase_ = Phase::kFailed;
    return Fail(error, std::move(methodError));
  }
  // The authenticator's Failure is final whatever the method thinks; a method may still turn
  // a Success into a failure (e.g. the server failed mutual authentication).
  if (authenticatorSaidFailure) result.success = false;
  if (!result.success && result.failureReasonCode == 0) {
    result.failureReasonCode = eap::EAP_E_AUTHENTICATION_FAILED;
  }
  ZeroizeResult(&result_);
  result_ = std::move(result);
  haveResult_ = true;
  phase_ = result_.success ? Phase::kSucceeded : Phase::kFailed;
  return true;
}

void PeerConversation::SetLocalFailure(eap::DWORD reasonCode, const std::string& why) {
  ZeroizeResult(&result_);
  result_ = PeerMethodResult();
  result_.success = false;
  result_.failureReasonCode = reasonCode;
  result_.hasError = true;
  result_.error = HostError(reasonCode, kProcessCall, why);
  result_.error.methodType = setup_.method.type;
  haveResult_ = true;
  phase_ = Phase::kFailed;
}

bool PeerConversation::GetSendPacket(eap::BYTE** packet, eap::DWORD* size, EapErrorInfo* error) {
  std::lock_guard<std::mutex> lock(mutex_);
  if (!CheckOpen("EapHostPeerGetSendPacket", error)) return false;
  if (!sendPending_) {
    return Fail(error, HostError(eap::kErrorInvalidState, "EapHostPeerGetSendPacket",
                                 "no packet to send: the last action was not Send"));
  }
  *packet = NewBuffer(lastResponse_);
  if (*packet == nullptr) return Fail(error, HostError(eap::kErrorNotEnoughMemory, "EapHostPeerGetSendPacket", "out of memory"));
  *size = static_cast<eap::DWORD>(lastResponse_.size());
  return true;
}

bool PeerConversation::GetResult(eap::EapHostPeerMethodResultReason reason,
                                 PeerGetResultOut* result, EapErrorInfo* error) {
  std::lock_guard<std::mutex> lock(mutex_);
  constexpr const char* kCall = "EapHostPeerGetResult";
  if (!CheckOpen(kCall, error)) return false;
  switch (reason) {
    case eap::EapHostPeerMethodResultTimeout:
      // The supplicant gave up waiting: a failure, decided here without the method.
      if (!haveResult_ || result_.success) {
        SetLocalFailure(eap::kErrorTimeout, discardedVerdict_.empty()
                                                ? std::string("the authentication timed out")
                                                : "the authentication timed out after " + discardedVerdict_);
        result_.error.call = kCall;
      }
      break;
    case eap::EapHostPeerMethodResultAltSuccessReceived:
      // A lower layer's success indication (RFC 4137 altAccept) stands in for EAP-Success.
      if (!haveResult_) {
        if (phase_ == Phase::kMethod) {
          if (!FetchMethodResult(eap::EapPeerMethodResultSuccess, false, error)) return false;
        } else {
          SetLocalFailure(eap::EAP_E_AUTHENTICATION_FAILED,
                          "alternate success indication before any method exchange; rejected");
        }
      }
      break;
    case eap::EapHostPeerMethodResultFromMethod:
      if (!haveResult_) {
        return Fail(error, HostError(eap::kErrorInvalidState, kCall,
                                     "no result yet: EapHostPeerProcessReceivedPacket has not "
                                     "returned EapHostPeerResponseResult"));
      }
      break;
    default:
      return Fail(error, HostError(eap::kErrorInvalidParameter, kCall,
                                   "unknown EapHostPeerMethodResultReason " +
                                       std::to_string(static_cast<int>(reason))));
  }
  result->method = result_;
  result->registration = setup_.method;
  return true;
}

eap::EAPHOST_AUTH_INFO PeerConversation::AuthInfo() {
  std::lock_guard<std::mutex> lock(mutex_);
  eap::EAPHOST_AUTH_INFO info{};
  switch (phase_) {
    case Phase::kNotStarted: info.status = eap::EapHostAuthNotStarted; break;
    case Phase::kIdentity: info.status = eap::EapHostAuthIdentityExchange; break;
    case Phase::kNegotiating: info.status = eap::EapHostAuthNegotiatingType; break;
    case Phase::kMethod: info.status = eap::EapHostAuthInProgress; break;
    case Phase::kSucceeded: info.status = eap::EapHostAuthSucceeded; break;
    case Phase::kFailed: info.status = eap::EapHostAuthFailed; break;
    case Phase::kEnded: info.status = eap::EapHostInvalidSession; break;
  }
  info.dwErrorCode = lastErrorCode_;
  info.dwReasonCode = haveResult_ && !result_.success ? result_.failureReasonCode : 0;
  return info;
}

std::u16string PeerConversation::Identity() {
  std::lock_guard<std::mutex> lock(mutex_);
  return setup_.identity;
}

bool PeerConversation::End(EapErrorInfo* error) {
  std::lock_guard<std::mutex> lock(mutex_);
  if (phase_ == Phase::kEnded) return true;
  phase_ = Phase::kEnded;
  ReleaseLastResponse();
  bool ok = true;
  if (session_ != nullptr) {
    EapErrorInfo methodError;
    ok = session_->EndSession(&methodError);
    if (!ok && error != nullptr) *error = std::move(methodError);
    session_.reset();
  }
  ZeroizeResult(&result_);
  SecureClear(&lastRequest_);
  sendPending_ = false;
  return ok;
}

}  // namespace portable
}  // namespace eaphost
