// EAP over RADIUS (RFC 3579 server side): the conversation found again by State, the embedded
// authenticator's step (on the lane thread, or a step thread for TLS-based methods), the user
// store's answers (a plain table's in the same step, or JS's), and each verdict: an Access-Reject,
// or an Accept as the policy decides (LaneContext::Decide).
#include "radius_handler_eap.h"

#include <algorithm>
#include <chrono>
#include <cstring>

#include "../../abi/eap_host_error.h"
#include "../../common/heap_pages.h"
#include "../../common/root_causes.h"
#include "../../common/thread_cpu.h"
#include "radius_policy.h"
#include "../wire/eap_tls_records.h"

namespace eaphost::radius {

namespace {

// A conversation's key: its client's address, then its State in hex, written over `out`.
void WriteConversationKey(const std::string& client, const uint8_t* state, size_t size, std::string* out) {
  static const char kDigits[] = "0123456789abcdef";
  out->clear();
  out->reserve(client.size() + 1 + 2 * size);
  out->append(client).push_back('|');
  for (size_t i = 0; i < size; ++i) {
    out->push_back(kDigits[state[i] >> 4]);
    out->push_back(kDigits[state[i] & 15]);
  }
}

// Why an EAP conversation ended in a reject, by what the step and its error say in codes: the
// user store's failure and a stapling failure by their call and cause, then the method's
// EAP_E_* reason (radius_lane_verdicts.h names them).
VerdictReason EapRejectReason(const AuthenticatorStep* step, bool stepFailed, const EapErrorInfo* failure) {
  if (failure != nullptr && failure->call == "UserStore.lookup") return VerdictReason::kUserStoreFailed;
  if (failure != nullptr && SameCause(failure->rootCauseGuid, kCauseOcspStapleUnusable)) {
    return VerdictReason::kOcspStapleUnusable;
  }
  if (stepFailed) return VerdictReason::kAuthenticatorError;
  if (failure != nullptr && failure->win32Error == eap::kErrorTimeout) return VerdictReason::kTimeout;
  eap::DWORD code = failure != nullptr && failure->reasonCode != 0 ? failure->reasonCode
                    : step != nullptr                              ? step->failureReason
                                                                   : 0;
  if (code == eap::EAP_E_USER_NAME_PASSWORD_REJECTED || code == eap::EAP_E_USER_CREDENTIALS_REJECTED) {
    return VerdictReason::kCredentialsRejected;
  }
  if (code >= eap::EAP_E_USER_CERT_NOT_FOUND && code <= eap::EAP_E_USER_CERT_REJECTED) {
    return VerdictReason::kCertificateRefused;
  }
  if (code == eap::EAP_E_EAPHOST_METHOD_INVALID_PACKET || code == eap::EAP_E_EAPHOST_REMOTE_INVALID_PACKET) {
    return VerdictReason::kInvalidPacket;
  }
  return failure != nullptr || code != 0 ? VerdictReason::kMethodRefused : VerdictReason::kEapFailure;
}

}  // namespace

struct EapHandler::Conversation {
  std::string key;
  std::string client;
  uint32_t link = 0;  // ConversationRecord's
  bool busy = false;
  uint8_t state[16];
  std::unique_ptr<AuthenticatorHost> host;
  bool ended = false;
  uint64_t started = 0;
  uint64_t lastActivity = 0;
  uint32_t roundTrips = 1;
  uint8_t eapType = kEapIdentity;
  Bytes identity;
  std::vector<std::pair<uint8_t, Bytes>> nasAttributes;  // ConversationRecord's
  std::unique_ptr<Pending> waiting;                      // a discarded response: the request answered at retransmitAt
  uint64_t retransmitAt = 0;
  // Its step is on a step thread: nothing here touches its host until OnStepsDone. Closed
  // meanwhile, it is out of the table and finished when the step comes back (closing).
  bool stepping = false;
  bool closing = false;
  bool moreFragments = false;  // its last response had the More-Fragments flag (wire/eap_tls_records.h)
  // Where its last handshake step ran, and so in which thread's heap its TLS state mostly lies.
  StrandedHeap::Side handshakeRan = StrandedHeap::Side::kNone;
  uint32_t question = 0;  // waiting for the user store's answer to it (asked_)
  Attributes asked;       // what that question asks for, which the answer's rules match
  // With a policy or authorize(): what the first Access-Request offers it, and the identity the
  // user store was asked about (PEAP's and TTLS's inner one).
  std::shared_ptr<PolicyRequest> policyRequest;
  std::string innerIdentity;
};

// A response (or the store's answer) handed to a step thread, and what the step made of it.
struct EapHandler::StepJob {
  Conversation* conversation = nullptr;  // none: the job returns the heap's free pages (ReturnStrandedPages)
  Bytes eap;
  std::shared_ptr<const KnownAnswer> answer;  // the store's, instead of a response
  std::unique_ptr<Pending> pending;
  bool ran = false;
  bool ok = false;
  AuthenticatorStep step;
  EapErrorInfo error;
};

EapHandler::EapHandler(LaneContext& lane)
    : lane_(lane),
      table_(lane.Settings().maxConversations, lane.Settings().maxTlsConversations),
      headroom_(lane.Settings().keepStepsBelow) {}

EapHandler::~EapHandler() = default;

bool EapHandler::Receive(const RequestView& request, const Source& source, const SharedSecret& secret,
                         const ReplyKey& cacheKey, uint64_t nowMs, Outbox* out) {
  Bytes eap;
  EapMessage joined = JoinEapMessage(request, &eap);
  const bool mine = joined != EapMessage::kAbsent;  // without EAP, PAP's or MAB's (the next handler's)
  if (mine) Process(request, source, secret, cacheKey, joined, eap, nowMs, out);
  CountActive();
  ReturnStrandedPages(nowMs);
  return mine;
}

void EapHandler::Process(const RequestView& request, const Source& source, const SharedSecret& secret,
                         const ReplyKey& cacheKey, EapMessage joined, Bytes& eap, uint64_t nowMs, Outbox* out) {
  if (joined == EapMessage::kMalformed) {
    lane_.Counters().droppedMalformed++;
    lane_.Forget(cacheKey, request.authenticator());
    return;
  }
  bool whole = joined == EapMessage::kWhole;
  int eapId = whole ? eap[1] : 0;
  if (whole && eap[0] != kEapResponse) {
    // "this server authenticates with EAP only" / "not an EAP-Response"
    return RejectWithoutConversation(request, source, secret, cacheKey, eapId, nowMs, out);
  }
  auto pending = std::make_unique<Pending>(request, source, secret, cacheKey, eapId);
  AuthenticatorStep step;
  EapErrorInfo error;
  const AttributeView* state = request.Find(kState);
  if (state != nullptr) {
    // The key looked up is written over the last one's: no allocation a round trip.
    WriteConversationKey(source.text, request.value(*state), state->length, &lookupKey_);
    Conversation* conversation = table_.Get(lookupKey_);
    if (conversation == nullptr) {
      return RejectWithoutConversation(request, source, secret, cacheKey, eapId, nowMs, out);  // unknown or expired
    }
    if (conversation->busy || !whole) {
      lane_.Counters().droppedUnexpected++;
      lane_.Forget(cacheKey, request.authenticator());
      return;
    }
    conversation->roundTrips++;
    if (eap.size() >= 5) conversation->eapType = eap[4];
    if (lane_.Settings().tlsTypes[conversation->eapType]) {
      std::vector<Conversation*> evicted;
      bool counted = table_.StartTls(conversation, &evicted);
      CloseEvicted(evicted);
      if (!counted) {
        lane_.Counters().droppedUnexpected++;
        lane_.Forget(cacheKey, request.authenticator());
        return;
      }
    }
    conversation->lastActivity = nowMs;
    const bool previousMore = conversation->moreFragments;
    conversation->moreFragments =
        lane_.Settings().tlsTypes[conversation->eapType] && MoreFragments(eap.data(), eap.size());
    // A heavy step (a handshake message in the clear) goes to a step thread unless the lane keeps it.
    const bool heavy = HandsOver(conversation->eapType) && !StaysOnLane(eap, previousMore);
    if (heavy && !Keeps(conversation->eapType, nowMs)) {
      // Busy until the step comes back: a request for it meanwhile is dropped, as while it waits.
      Ran(conversation, StrandedHeap::Side::kPool);
      conversation->busy = true;
      conversation->stepping = true;
      auto job = std::make_unique<StepJob>();
      job->conversation = conversation;
      job->eap = std::move(eap);
      job->pending = std::move(pending);
      return HandOver(std::move(job));
    }
    if (heavy) Ran(conversation, StrandedHeap::Side::kLane);
    const auto started = heavy ? std::chrono::steady_clock::now() : std::chrono::steady_clock::time_point();
    bool ok = conversation->host->Receive(eap.data(), eap.size(), &step, &error) && Answer(conversation, &step, &error);
    if (heavy) {
      const auto tookMs =
          std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - started);
      headroom_.Kept(static_cast<uint64_t>(tookMs.count()), nowMs);
    }
    return Conclude(conversation, ok, step, error, std::move(pending), nowMs, out);
  }
  if ((whole && !(eap.size() >= 5 && eap[4] == kEapIdentity)) || RepeatsClaim(request)) {
    // "a conversation starts with EAP-Response/Identity", and with one User-Name and at most one
    // Calling-Station-Id (a policy would match one, a NAS's log show the other)
    return RejectWithoutConversation(request, source, secret, cacheKey, eapId, nowMs, out);
  }
  std::vector<Conversation*> evicted;
  bool room = table_.MakeRoomFor(source.text, &evicted);
  CloseEvicted(evicted);
  if (!room) {
    lane_.Counters().droppedUnexpected++;
    lane_.Forget(cacheKey, request.authenticator());
    return;
  }
  auto made = std::make_unique<Conversation>();
  Conversation* conversation = made.get();
  RandomBytes(conversation->state, sizeof(conversation->state));
  WriteConversationKey(source.text, conversation->state, sizeof(conversation->state), &conversation->key);
  conversation->client = source.text;
  conversation->link = source.link;
  conversation->started = conversation->lastActivity = nowMs;
  if (const AttributeView* userName = request.Find(kUserName)) {
    conversation->identity.assign(request.value(*userName), request.value(*userName) + userName->length);
  }
  if (lane_.Settings().records) KeepNasAttributes(request, &conversation->nasAttributes);
  if (lane_.Settings().policy || lane_.Settings().askAuthorize) {
    conversation->policyRequest = std::make_shared<PolicyRequest>();
    ReadPolicyRequest(request, source, conversation->policyRequest.get());
  }
  conversation->host = std::make_unique<AuthenticatorHost>(lane_.Settings().conversation);
  owned_[conversation] = std::move(made);
  table_.Add(conversation);
  bool ok = conversation->host->Begin(whole ? eap : Bytes{}, &step, &error) && Answer(conversation, &step, &error);
  Conclude(conversation, ok, step, error, std::move(pending), nowMs, out);
}

void EapHandler::Conclude(Conversation* conversation, bool stepped, AuthenticatorStep& step, EapErrorInfo& error,
                          std::unique_ptr<Pending> pending, uint64_t nowMs, Outbox* out) {
  if (!stepped) {
    lane_.Counters().conversationErrors++;
    return Verdict(conversation, nullptr, true, error, *pending, nowMs, out);
  }
  switch (step.kind) {
    case AuthenticatorStep::Kind::kSend: {
      lane_.Counters().challenges++;
      ReplyWriter writer = pending->Writer(kAccessChallenge);
      writer.AddEapMessage(step.requestLent ? conversation->host->OutstandingRequest() : step.packet);
      writer.Add(kState, conversation->state, sizeof(conversation->state));
      conversation->busy = false;
      conversation->lastActivity = nowMs;
      table_.Touch(conversation);
      return lane_.Reply(*pending, pending->Signed(writer), nowMs, out);
    }
    case AuthenticatorStep::Kind::kDiscard:
      // The response was not acceptable: RFC 3748 has the authenticator wait for a valid one and
      // resend its request when the retransmission timer runs out (Clock).
      conversation->busy = true;
      conversation->waiting = std::move(pending);
      waiting_.insert(conversation);
      conversation->retransmitAt = nowMs + lane_.Settings().conversation.retransmitTimeoutMs;
      return;
    case AuthenticatorStep::Kind::kRespond:  // only when the store is JS's (Answer)
      return Ask(conversation, step, std::move(pending));
    case AuthenticatorStep::Kind::kSuccess:
    case AuthenticatorStep::Kind::kFailure: return Verdict(conversation, &step, false, error, *pending, nowMs, out);
  }
}

bool EapHandler::Answer(Conversation* conversation, AuthenticatorStep* step, EapErrorInfo* error) const {
  // The first question names whom the method authenticates: the identity a policy matches.
  if (conversation->policyRequest && step->kind == AuthenticatorStep::Kind::kRespond &&
      conversation->innerIdentity.empty()) {
    conversation->innerIdentity = AskedIdentity(*step);
  }
  return lane_.Settings().askStore || AnswerFromTable(*conversation->host, lane_.Settings().users, step, error);
}

// The conversation waits, busy, for JS's answer; the request stays pending meanwhile (a
// retransmission of it is dropped as in progress).
void EapHandler::Ask(Conversation* conversation, AuthenticatorStep& step, std::unique_ptr<Pending> pending) {
  const uint32_t id = lane_.NextQuestion();
  conversation->busy = true;
  conversation->waiting = std::move(pending);
  conversation->question = id;
  asked_[id] = conversation;
  StoreQuestion question{id, AskedIdentity(step)};
  conversation->asked = std::move(step.attributes);
  lane_.Ask(std::move(question));
}

void EapHandler::CountActive() {
  lane_.Counters().active = table_.size();
  lane_.Counters().activeTls = table_.tlsSize();
}

bool EapHandler::HandsOver(uint8_t eapType) const { return steps_ && lane_.Settings().tlsTypes[eapType]; }

bool EapHandler::StaysOnLane(const Bytes& eap, bool previousMore) const {
  return lane_.Settings().laneStepTypes[eap.size() > 4 ? eap[4] : 0] &&
         radius::TunnelRecordsOnly(eap.data(), eap.size(), previousMore);
}

bool EapHandler::Keeps(uint8_t eapType, uint64_t nowMs) {
  if (!lane_.Settings().laneStepTypes[eapType]) return false;
  if (headroom_.Due(nowMs)) headroom_.Update(nowMs, ThisThreadCpuNs());
  if (!headroom_.Keeps()) return false;
  lane_.Counters().stepsKept++;
  return true;
}

void EapHandler::HandOver(std::unique_ptr<StepJob> job) {
  const auto kind = static_cast<uint8_t>(job->conversation->eapType);
  steps_->Submit(std::move(job), kind);
  lane_.Counters().stepsHandedOver++;
  CountSteps();
}

void EapHandler::CountSteps() {
  if (!steps_) return;
  lane_.Counters().stepsQueued = steps_->QueuedNow();
  lane_.Counters().stepThreadsLent = steps_->LentNow();
}

bool EapHandler::Resume(StoreAnswer& answer, uint64_t nowMs, Outbox* out) {
  auto found = asked_.find(answer.question);
  if (found == asked_.end()) return false;
  Resumed(found->second, answer, nowMs, out);
  return true;
}

void EapHandler::Resumed(Conversation* conversation, StoreAnswer& answer, uint64_t nowMs, Outbox* out) {
  if (answer.failed) {
    FailQuestion(conversation, answer.failure, nowMs, out);
    return CountActive();
  }
  asked_.erase(answer.question);
  conversation->question = 0;
  conversation->lastActivity = nowMs;
  std::unique_ptr<Pending> pending = std::move(conversation->waiting);
  // A lane step type's answer is its inner method's: the tunnel's work alone.
  if (HandsOver(conversation->eapType) && !lane_.Settings().laneStepTypes[conversation->eapType]) {
    conversation->stepping = true;
    auto job = std::make_unique<StepJob>();
    job->conversation = conversation;
    job->answer = std::move(answer.known);
    job->step.attributes = std::move(conversation->asked);
    job->pending = std::move(pending);
    return HandOver(std::move(job));
  }
  AuthenticatorStep step;
  step.attributes = std::move(conversation->asked);
  EapErrorInfo error;
  bool ok =
      AnswerQuestion(*conversation->host, answer.known.get(), &step, &error) && Answer(conversation, &step, &error);
  Conclude(conversation, ok, step, error, std::move(pending), nowMs, out);
  CountActive();
}

// A store that threw, rejected or did not answer in time (JS's word), or a conversation that waited
// past the idle window: that authentication fails (Access-Reject).
void EapHandler::FailQuestion(Conversation* conversation, const std::string& why, uint64_t nowMs, Outbox* out) {
  asked_.erase(conversation->question);
  conversation->question = 0;
  std::unique_ptr<Pending> pending = std::move(conversation->waiting);
  AuthenticatorStep step;
  EapErrorInfo error = HostError(1359 /* ERROR_INTERNAL_ERROR */, "UserStore.lookup", why);
  Conclude(conversation, false, step, error, std::move(pending), nowMs, out);
}

void EapHandler::Verdict(Conversation* conversation, const AuthenticatorStep* step, bool stepFailed,
                         const EapErrorInfo& error, const Pending& pending, uint64_t nowMs, Outbox* out) {
  bool accept = step != nullptr && step->kind == AuthenticatorStep::Kind::kSuccess;
  const EapErrorInfo* failure = accept                              ? nullptr
                                : stepFailed                        ? &error
                                : step != nullptr && step->hasError ? &step->error
                                                                    : nullptr;
  if (failure != nullptr && SameCause(failure->rootCauseGuid, kCauseOcspStapleUnusable))
    lane_.Counters().ocspStapleFailures++;
  int resumed = -1;
  if (step != nullptr) {
    for (const Attribute& attribute : step->attributes) {
      if (attribute.type == eap::eatFastRoamedSession && attribute.value.size() == 4) {
        resumed = (attribute.value[0] | attribute.value[1] | attribute.value[2] | attribute.value[3]) != 0 ? 1 : 0;
        break;
      }
    }
  }
  std::unique_ptr<ConversationRecord> held;
  if (lane_.Settings().records) {
    held = std::make_unique<ConversationRecord>();
    ConversationRecord& record = *held;
    record.client = conversation->client;
    record.link = conversation->link;
    record.identity = conversation->identity;
    record.nasAttributes = conversation->nasAttributes;
    record.eapType = conversation->eapType;
    record.accept = accept;
    record.roundTrips = conversation->roundTrips;
    record.durationMs = nowMs - conversation->started;
    record.resumed = resumed;
    if (!accept) {
      record.stepFailed = stepFailed;
      record.hasError = failure != nullptr;
      if (failure != nullptr) record.error = *failure;
    }
  }
  if (accept && conversation->policyRequest) {
    auto decision = std::make_unique<Decision>(pending, std::move(held));
    decision->eap = step->packet.empty() ? VerdictPacket(kEapSuccess, pending.eapId) : step->packet;
    for (const Attribute& attribute : step->attributes) {
      uint8_t vendorType = 0;
      const uint8_t* key = nullptr;
      size_t size = 0;
      if (ClearMppeKey(attribute, &vendorType, &key, &size) || attribute.type == eap::eatSessionId) {
        decision->keys.push_back(attribute);
      }
    }
    decision->request = std::move(conversation->policyRequest);
    decision->request->user =
        conversation->innerIdentity.empty() ? decision->request->userName : conversation->innerIdentity;
    decision->request->method = conversation->eapType;
    decision->method = conversation->eapType;
    if (step != nullptr) decision->established = step->facts;
    decision->startedMs = conversation->started;
    Close(conversation);
    return lane_.Decide(std::move(decision), nowMs, out);
  }
  VerdictFacts facts;
  facts.method = conversation->eapType;
  facts.accept = accept;
  facts.reason = accept ? VerdictReason::kAccepted : EapRejectReason(step, stepFailed, failure);
  facts.durationMs = nowMs - conversation->started;
  if (step != nullptr) facts.established = step->facts;
  lane_.Verdicts().Count(lane_.Tally().Label(conversation->client), facts);
  if (accept) {
    lane_.Counters().accepts++;
    ReplyWriter writer = pending.Writer(kAccessAccept);
    writer.AddEapMessage(step->packet.empty() ? VerdictPacket(kEapSuccess, pending.eapId) : step->packet);
    AddKeys(writer, pending, step->attributes);
    Close(conversation);
    return lane_.Reply(pending, pending.Signed(writer), nowMs, out, held.get());
  }
  lane_.Counters().rejects++;
  ReplyWriter writer = pending.Writer(kAccessReject);
  bool own = step == nullptr || step->kind != AuthenticatorStep::Kind::kFailure || step->packet.empty();
  writer.AddEapMessage(own ? VerdictPacket(kEapFailure, pending.eapId) : step->packet);
  Close(conversation);
  lane_.Reply(pending, pending.Signed(writer), nowMs, out, held.get());
}

void EapHandler::RejectWithoutConversation(const RequestView& request, const Source& source, const SharedSecret& secret,
                                           const ReplyKey& cacheKey, int eapId, uint64_t nowMs, Outbox* out) {
  lane_.Counters().rejects++;
  Pending pending(request, source, secret, cacheKey, eapId);
  ReplyWriter writer = pending.Writer(kAccessReject);
  writer.AddEapMessage(VerdictPacket(kEapFailure, eapId));
  lane_.Reply(pending, pending.Signed(writer), nowMs, out);
}

void EapHandler::Close(Conversation* conversation) {
  table_.Remove(conversation);
  waiting_.erase(conversation);
  if (conversation->question != 0) asked_.erase(conversation->question);
  if (conversation->stepping) {
    // Its host is in use on a step thread: finished when the step comes back.
    conversation->closing = true;
    return;
  }
  Finish(conversation);
}

void EapHandler::Finish(Conversation* conversation) {
  stranded_.Ended(conversation->handshakeRan);
  if (!conversation->ended) {
    conversation->ended = true;
    EapErrorInfo ignored;
    conversation->host->End(&ignored);
  }
  owned_.erase(conversation);
}

void EapHandler::CloseEvicted(std::vector<Conversation*>& evicted) {
  for (Conversation* conversation : evicted) {
    lane_.Counters().conversationsEvicted++;
    Close(conversation);
  }
  evicted.clear();
}

void EapHandler::StartStepThreads(std::function<void()> wake) {
  if (lane_.Settings().stepThreads == 0 || steps_) return;
  steps_ = std::make_unique<StepPool<StepJob>>(
      lane_.Settings().stepThreads,
      // The table is read only, and outlives the threads (End stops them).
      [this](StepJob& job) {
        job.ran = true;
        if (job.conversation == nullptr) {
          (void)ReturnFreeHeapPages();
          return;
        }
        AuthenticatorHost& host = *job.conversation->host;
        // The CPU time of a step the lane could have kept, for its next look at its room.
        const bool keepable = lane_.Settings().laneStepTypes[job.conversation->eapType];
        const uint64_t cpuStarted = keepable ? ThisThreadCpuNs() : 0;
        job.ok = (job.answer ? AnswerQuestion(host, job.answer.get(), &job.step, &job.error)
                             : host.Receive(job.eap.data(), job.eap.size(), &job.step, &job.error)) &&
                 Answer(job.conversation, &job.step, &job.error);
        job.answer.reset();  // its secrets wiped now
        if (keepable) headroom_.PoolRan(ThisThreadCpuNs() - cpuStarted);
      },
      std::move(wake));
}

void EapHandler::OnStepsDone(uint64_t nowMs, Outbox* out) {
  if (!steps_) return;
  for (std::unique_ptr<StepJob>& job : steps_->TakeDone()) {
    Conversation* conversation = job->conversation;
    if (conversation == nullptr) {
      returning_ = false;
      continue;
    }
    conversation->stepping = false;
    if (conversation->closing || !job->ran) {
      // Closed while its step ran (or the lane ended before it started): no reply, and the
      // reply cache forgets the request, as for any conversation that ends without one.
      lane_.Forget(job->pending->cacheKey, job->pending->authenticator);
      Close(conversation);
      continue;
    }
    Conclude(conversation, job->ok, job->step, job->error, std::move(job->pending), nowMs, out);
  }
  CountActive();
  CountSteps();
  ReturnStrandedPages(nowMs);
}

uint64_t EapHandler::Clock(uint64_t nowMs, Outbox* out) {
  uint64_t next = UINT64_MAX;
  std::vector<Conversation*> due;
  for (Conversation* conversation : waiting_) {
    if (conversation->retransmitAt <= nowMs) {
      due.push_back(conversation);
    } else {
      next = std::min(next, conversation->retransmitAt);
    }
  }
  for (Conversation* conversation : due) {
    AuthenticatorStep step;
    EapErrorInfo error;
    waiting_.erase(conversation);
    std::unique_ptr<Pending> pending = std::move(conversation->waiting);
    bool ok = conversation->host->Timeout(&step, &error);
    Conclude(conversation, ok, step, error, std::move(pending), nowMs, out);
    if (waiting_.count(conversation) != 0) next = std::min(next, conversation->retransmitAt);
  }
  CountActive();
  CountSteps();  // the lender may have lent a thread since the last step
  // The keeping's windows run from the lane thread's first turn, whether or not steps come.
  if (headroom_.Due(nowMs)) headroom_.Update(nowMs, ThisThreadCpuNs());
  return next;
}

void EapHandler::Sweep(uint64_t nowMs, Outbox* out) {
  for (Conversation* conversation : table_.Entries()) {
    // A busy conversation past the idle window is stuck, and is expired like an idle one (one
    // waiting for the store gets its Access-Reject); one whose step is running is not stuck.
    if (!conversation->stepping && nowMs - conversation->lastActivity >= lane_.Settings().idleTimeoutMs) {
      lane_.Counters().conversationsExpired++;
      if (conversation->question != 0) {
        FailQuestion(conversation, "the user store did not answer within the idle window", nowMs, out);
      } else {
        Close(conversation);
      }
    }
  }
  CountActive();
  ReturnStrandedPages(nowMs);
}

void EapHandler::Ran(Conversation* conversation, StrandedHeap::Side side) {
  stranded_.Moved(conversation->handshakeRan, side);
  conversation->handshakeRan = side;
}

void EapHandler::ReturnStrandedPages(uint64_t nowMs) {
  if (!steps_ || ending_ || returning_ || !HeapPagesReturnable() || !stranded_.Due(headroom_.Keeps(), nowMs)) return;
  returning_ = true;
  lane_.Counters().heapReturns++;
  steps_->Submit(std::make_unique<StepJob>(), 0);
}

void EapHandler::End() {
  ending_ = true;
  if (steps_) {
    steps_->Stop();
    for (Conversation* conversation : table_.Entries()) conversation->closing = true;
    Outbox none;
    OnStepsDone(0, &none);
  }
  for (Conversation* conversation : table_.Entries()) Close(conversation);
  owned_.clear();
  waiting_.clear();
  asked_.clear();
  lane_.Counters().active = 0;
  lane_.Counters().activeTls = 0;
}

}  // namespace eaphost::radius
