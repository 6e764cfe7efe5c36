// PeerConversation: the calls that relay a method's UI context and response attributes
// (after the InvokeUI and Respond actions). Their outcome goes through ApplyMethodOutput, like
// a request's, so a Send after UI or attributes is queued and retransmitted the same way.
#include <utility>

#include "peer_conversation.h"

namespace eaphost {
namespace portable {

bool PeerConversation::GetUIContext(Bytes* context, EapErrorInfo* error) {
  std::lock_guard<std::mutex> lock(mutex_);
  if (!CheckOpen("EapHostPeerGetUIContext", error)) return false;
  EapErrorInfo methodError;
  if (!session_->GetUIContext(context, &methodError)) return Fail(error, std::move(methodError));
  return true;
}

bool PeerConversation::SetUIContext(const Bytes& context, eap::EapHostPeerResponseAction* action,
                                    EapErrorInfo* error) {
  std::lock_guard<std::mutex> lock(mutex_);
  *action = eap::EapHostPeerResponseDiscard;
  if (!CheckOpen("EapHostPeerSetUIContext", error)) return false;
  sendPending_ = false;
  PeerMethodOutput output{};
  EapErrorInfo methodError;
  if (!session_->SetUIContext(context, &output, &methodError)) {
    return Fail(error, std::move(methodError));
  }
  return ApplyMethodOutput(output, action, error);
}

bool PeerConversation::GetResponseAttributes(Attributes* attributes, EapErrorInfo* error) {
  std::lock_guard<std::mutex> lock(mutex_);
  if (!CheckOpen("EapHostPeerGetResponseAttributes", error)) return false;
  EapErrorInfo methodError;
  if (!session_->GetResponseAttributes(attributes, &methodError)) {
    return Fail(error, std::move(methodError));
  }
  return true;
}

bool PeerConversation::SetResponseAttributes(const Attributes& attributes,
                                             eap::EapHostPeerResponseAction* action,
                                             EapErrorInfo* error) {
  std::lock_guard<std::mutex> lock(mutex_);
  *action = eap::EapHostPeerResponseDiscard;
  if (!CheckOpen("EapHostPeerSetResponseAttributes", error)) return false;
  sendPending_ = false;
  PeerMethodOutput output{};
  EapErrorInfo methodError;
  if (!session_->SetResponseAttributes(attributes, &output, &methodError)) {
    return Fail(error, std::move(methodError));
  }
  return ApplyMethodOutput(output, action, error);
}

}  // namespace portable
}  // namespace eaphost
