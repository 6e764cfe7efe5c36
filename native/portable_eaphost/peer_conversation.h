// One EAPHost peer session: the EAP peer protocol (RFC 3748, RFC 4137 peer state machine)
// around one method session. It answers Identity and Notification itself, proposes its
// methods with a legacy Nak, suppresses retransmitted requests, checks Success/Failure
// against the last response, and hands method requests to the PeerMethodSession.
//
// Every public call takes the session's own mutex, so calls on one session are serialized
// while different sessions run in parallel.
#pragma once

#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "../abi/eap_host_peer_abi.h"
#include "../method_registry/method_registry.h"
#include "../hosts/peer_method_host.h"

namespace eaphost {
namespace portable {

struct ConversationSetup {
  MethodRegistration method;        // the session's method, as registered
  std::vector<eap::BYTE> nakTypes;  // what a legacy Nak proposes, the session's type first
  std::u16string identity;          // from the method's GetIdentity
  eap::GUID connectionId{};
  eap::NotificationHandler notificationHandler = nullptr;
  void* notificationContext = nullptr;
  eap::DWORD maxSendPacketSize = 0;
};

// What EapHostPeerGetResult reports.
struct PeerGetResultOut {
  PeerMethodResult method;
  MethodRegistration registration;
};

class PeerConversation {
 public:
  PeerConversation(ConversationSetup setup, std::unique_ptr<PeerMethodSession> session);
  ~PeerConversation();  // zeroizes what the method returned
  PeerConversation(const PeerConversation&) = delete;
  PeerConversation& operator=(const PeerConversation&) = delete;

  // May call the notification handler (after releasing the session's lock, so the handler
  // can call back into the API).
  bool ProcessReceivedPacket(const std::uint8_t* packet, std::size_t size,
                             eap::EapHostPeerResponseAction* action, EapErrorInfo* error);
  // The pending response, copied once: straight into runtime memory (EapHostPeerFreeRuntimeMemory
  // frees it), not through an intermediate Bytes.
  bool GetSendPacket(eap::BYTE** packet, eap::DWORD* size, EapErrorInfo* error);
  bool GetResult(eap::EapHostPeerMethodResultReason reason, PeerGetResultOut* result,
                 EapErrorInfo* error);
  bool GetUIContext(Bytes* context, EapErrorInfo* error);
  bool SetUIContext(const Bytes& context, eap::EapHostPeerResponseAction* action,
                    EapErrorInfo* error);
  bool GetResponseAttributes(Attributes* attributes, EapErrorInfo* error);
  bool SetResponseAttributes(const Attributes& attributes, eap::EapHostPeerResponseAction* action,
                             EapErrorInfo* error);
  eap::EAPHOST_AUTH_INFO AuthInfo();
  std::u16string Identity();
  // Ends the method session; later calls fail with kErrorInvalidHandle.
  bool End(EapErrorInfo* error);

  const eap::GUID& connectionId() const { return setup_.connectionId; }

 private:
  // Where the conversation is, in EAPHOST_AUTH_STATUS terms.
  enum class Phase { kNotStarted, kIdentity, kNegotiating, kMethod, kSucceeded, kFailed, kEnded };
  enum class Outcome { kDiscard, kSend, kPassThrough };

  bool ProcessLocked(const std::uint8_t* packet, std::size_t size,
                     eap::EapHostPeerResponseAction* action, bool* notify, EapErrorInfo* error);
  // The request is the caller's buffer (a span, not a copy): see ProcessLocked.
  bool ProcessRequest(const std::uint8_t* packet, std::size_t size, std::uint8_t id, std::uint8_t type,
                      const std::uint8_t* typeData, std::size_t typeDataLength,
                      eap::EapHostPeerResponseAction* action, bool* notify, EapErrorInfo* error);
  bool ProcessSuccessOrFailure(bool success, std::uint8_t id,
                               eap::EapHostPeerResponseAction* action, EapErrorInfo* error);
  bool IsSessionMethod(std::uint8_t type, const std::uint8_t* typeData,
                       std::size_t typeDataLength) const;
  bool RunMethod(const std::uint8_t* packet, std::size_t size, eap::EapHostPeerResponseAction* action,
                 EapErrorInfo* error);
  void RememberRequest(Bytes request);
  void KeepRefusedHandshake(const EapErrorInfo& thrown);
  // Acts on a method's output: fetches the response when it says Send, the result when it
  // says Result.
  bool ApplyMethodOutput(const PeerMethodOutput& output, eap::EapHostPeerResponseAction* action,
                         EapErrorInfo* error);
  bool QueueResponse(Bytes response, EapErrorInfo* error);
  bool FetchMethodResult(eap::EapPeerMethodResultReason reason, bool authenticatorSaidSuccess,
                         EapErrorInfo* error);
  void SetLocalFailure(eap::DWORD reasonCode, const std::string& why);
  // The last response wiped, and its buffer given back to the method (PacketBuffers) while a
  // session is open.
  void ReleaseLastResponse();
  bool CheckOpen(const char* call, EapErrorInfo* error) const;
  bool Fail(EapErrorInfo* error, EapErrorInfo info);

  std::mutex mutex_;
  ConversationSetup setup_;
  std::unique_ptr<PeerMethodSession> session_;
  Phase phase_ = Phase::kNotStarted;
  bool notificationsAllowed_ = true;

  // Retransmission (RFC 3748 §4.1): the last request that was answered and our answer.
  bool haveLastRequest_ = false;
  std::uint8_t lastRequestId_ = 0;
  Bytes lastRequest_;
  Bytes lastResponse_;           // empty while the method has not answered yet (UI, attributes)
  bool haveLastResponseId_ = false;
  std::uint8_t lastResponseId_ = 0;
  bool sendPending_ = false;     // lastResponse_ may be fetched with GetSendPacket
  // The last Success/Failure discarded for its Identifier, in words: a timeout that follows it
  // says what came instead of only that nothing did.
  std::string discardedVerdict_;

  std::string notificationText_;  // the last Notification's displayable message (UTF-8)
  bool haveResult_ = false;
  PeerMethodResult result_;
  eap::DWORD lastErrorCode_ = 0;
};

}  // namespace portable
}  // namespace eaphost
