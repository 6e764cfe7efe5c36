// EAP conversations (radius_handler_eap.cc): each Access-Request carrying EAP-Message, its
// conversation found again by State, the authenticator's step, the user store's answers, and
// the verdict.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include "radius_conversation_table.h"
#include "radius_lane_context.h"
#include "radius_lane_headroom.h"
#include "radius_step_pool.h"
#include "radius_stranded_heap.h"

namespace eaphost::radius {

class EapHandler final : public LaneHandler {
 public:
  explicit EapHandler(LaneContext& lane);
  ~EapHandler() override;

  // An Access-Request carrying EAP-Message: false without one (PAP's or MAB's).
  bool Receive(const RequestView& request, const Source& source, const SharedSecret& secret, const ReplyKey& cacheKey,
               uint64_t nowMs, Outbox* out) override;
  // The store's answer to a question: the conversation goes on.
  bool Resume(StoreAnswer& answer, uint64_t nowMs, Outbox* out) override;
  // Retransmissions due.
  uint64_t Clock(uint64_t nowMs, Outbox* out) override;
  // Conversations idle past the idle window are expired.
  void Sweep(uint64_t nowMs, Outbox* out) override;
  // Ends every conversation, once the step threads have stopped.
  void End() override;
  // Starts the step threads (settings' stepThreads); `wake` is called on one of them whenever a
  // step is done, and the lane's thread then calls OnStepsDone.
  void StartStepThreads(std::function<void()> wake);
  // Concludes every step the step threads have done.
  void OnStepsDone(uint64_t nowMs, Outbox* out);

 private:
  struct Conversation;
  struct StepJob;
  void Process(const RequestView& request, const Source& source, const SharedSecret& secret, const ReplyKey& cacheKey,
               EapMessage joined, Bytes& eap, uint64_t nowMs, Outbox* out);
  void Resumed(Conversation* conversation, StoreAnswer& answer, uint64_t nowMs, Outbox* out);
  bool Answer(Conversation* conversation, AuthenticatorStep* step, EapErrorInfo* error) const;
  void Ask(Conversation* conversation, AuthenticatorStep& step, std::unique_ptr<Pending> pending);
  void FailQuestion(Conversation* conversation, const std::string& why, uint64_t nowMs, Outbox* out);
  void Conclude(Conversation* conversation, bool stepped, AuthenticatorStep& step, EapErrorInfo& error,
                std::unique_ptr<Pending> pending, uint64_t nowMs, Outbox* out);
  void Verdict(Conversation* conversation, const AuthenticatorStep* step, bool stepFailed, const EapErrorInfo& error,
               const Pending& pending, uint64_t nowMs, Outbox* out);
  void RejectWithoutConversation(const RequestView& request, const Source& source, const SharedSecret& secret,
                                 const ReplyKey& cacheKey, int eapId, uint64_t nowMs, Outbox* out);
  void Close(Conversation* conversation);
  void Finish(Conversation* conversation);
  void CloseEvicted(std::vector<Conversation*>& evicted);
  void CountActive();
  // A TLS-based type's step goes to a step thread (when the lane has them), unless it is a lane
  // step type's and brings the tunnel's records alone (wire/eap_tls_records.h).
  bool HandsOver(uint8_t eapType) const;
  bool StaysOnLane(const Bytes& eap, bool previousMore) const;
  void HandOver(std::unique_ptr<StepJob> job);
  // A handshake step the lane keeps (LaneHeadroom): a lane step type's, while the lane has room.
  bool Keeps(uint8_t eapType, uint64_t nowMs);
  // The step pool's queue and lent threads, as of this turn of the lane.
  void CountSteps();
  // Asks a step thread to hand the heap's free pages back once the TLS state of a burst of
  // conversations was left where no handshake step runs now (radius_stranded_heap.h).
  void ReturnStrandedPages(uint64_t nowMs);
  // Where a conversation's handshake step ran (its TLS state with it).
  void Ran(Conversation* conversation, StrandedHeap::Side side);

  LaneContext& lane_;
  ConversationTable<Conversation> table_;
  std::unordered_map<Conversation*, std::unique_ptr<Conversation>> owned_;
  std::unordered_set<Conversation*> waiting_;  // busy until their retransmission (Clock)
  std::unique_ptr<StepPool<StepJob>> steps_;
  LaneHeadroom headroom_;                              // whether a handshake step stays on the lane thread
  std::unordered_map<uint32_t, Conversation*> asked_;  // waiting for the store, by question
  std::string lookupKey_;   // the key of the State last looked up, its room kept for the next
  StrandedHeap stranded_;   // where the conversations' TLS state lies
  bool returning_ = false;  // a step thread is handing the free pages back
  bool ending_ = false;     // End: nothing more is handed to the step threads
};

}  // namespace eaphost::radius
