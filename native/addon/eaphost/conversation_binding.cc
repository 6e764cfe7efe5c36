// The conversation driver: conversationBegin, conversationRun and conversationEnd, each taking one
// argument object and settling one ConversationResult (result_shapes.h; its argument objects: arg_structs.h). A conversation is the embedded
// authenticator's; its peer is either the caller's transport (JS delivers each request) or an
// EAPHost session in this process (`peer`), which the driver hands each request itself. One call
// is one host-thread job that runs the conversation until it needs JavaScript:
//   'transport' — a request for the caller's transport (or the round budget is spent);
//   'answer'    — a question for a user store that is JS's (a plain table's are answered in the job);
//   'discard'   — the authenticator ignored a response: the caller waits for the retransmission timer;
//   'peer'      — the peer did not answer with a packet (its action is in `peer`);
//   'outcome'   — Success/Failure, which closes the conversation in the same job (with a peer, the
//                 peer processed it: its action and result are in `peer`);
//   'error'     — a part after the call's first failed (`error`): the caller ends what is left.
// eapHostSessionReceive is the peer's half alone: a request a remote authenticator sent
// (ProcessReceivedPacket, then GetSendPacket) or its outcome (ProcessReceivedPacket, then
// GetResult), settling the peer's act (PeerAct): the public step-by-step session, one step.
#include <cstddef>
#include <mutex>
#include <new>
#include <optional>
#include <vector>

#include "../../common/secure_zero.h"
#include "../methods/authenticator_binding.h"
#include "../generated/exports.h"
#include "../generated/arg_structs.h"
#include "eaphost_result_binding.h"
#include "eaphost_session_begin.h"
#include "eaphost_session_binding.h"
#include "../runtime/js_convert.h"
#include "../methods/known_answer.h"
#include "../methods/method_resources.h"
#include "../runtime/named_args.h"

namespace eaphost {

namespace {

using Conversation = AuthenticatorHostResource;
using SessionAccess = ResourceAccess<EapHostSessionResource>;

// What the caller hands the conversation in a run.
enum class Input { kStart, kResponse, kTimeout, kKnownAnswer, kRequest, kOutcome };

// One driver call, read on the JS thread and moved to the host thread.
struct Drive {
  Input input = Input::kStart;
  std::shared_ptr<Conversation> conversation;  // absent for a start (made) and the peer's half alone
  std::optional<ConversationStart> start;
  Bytes packet;  // the peer's response, or the packet for the peer (request / outcome)
  std::shared_ptr<const KnownAnswer> known;  // the user store's answer to the question asked
  // The peer: an EAPHost session, given or begun in the job.
  std::shared_ptr<EapHostSessionResource> session;
  std::optional<SessionBegin> begin;
  bool endWhenConcluded = false;
  uint32_t budget = 0;  // responses of the peer the job may hand to the authenticator
  bool keepPackets = false;
  bool hasPeer() const { return session != nullptr || begin.has_value(); }
};

// What the job did, for the settle: made on the host thread, given back there once settled
// (HostLeftover: its parts were made there, and are freed there).
struct Driven final : HostLeftover {
  static void* operator new(size_t size);
  static void operator delete(void* block, size_t size);

  std::shared_ptr<Conversation> conversation;  // begun here
  const char* stopped = "transport";
  bool hasStep = false;
  AuthenticatorStep step;
  bool stepTaken = false;  // the peer took the step's request (or processed its outcome) in the job
  std::u16string answeredFor;
  uint32_t rounds = 0;
  std::vector<Bytes> packets;  // with keepPackets: every packet passed, the authenticator's first
  bool peerActed = false;
  ExchangeOut exchange;  // the peer's last act on a request
  bool concluded = false;  // the peer's last act was on the outcome
  int32_t outcomeAction = 0;
  bool hasResult = false;
  ResultOut result;
  bool failed = false;
  EapErrorInfo error;
  BegunSession begun;
  bool sessionEnded = false;
  bool endFailed = false;
  EapErrorInfo endError;
  std::shared_ptr<Conversation> closed;  // its outcome closed it in the job

  // Keys (the method's attributes: the MSK), the user data and the packets (a response may carry
  // a password) are wiped before their memory goes back, on the host thread once settled.
  ~Driven() override {
    for (Attribute& attribute : step.attributes) SecureZeroContents(attribute.value);
    for (Attribute& attribute : result.attributes) SecureZeroContents(attribute.value);
    SecureZeroContents(result.userData);
    SecureZeroContents(step.packet);
    SecureZeroContents(exchange.packet);
    for (Bytes& packet : packets) SecureZeroContents(packet);
  }
};

// The peer's processing of an outcome (EAP-Success/Failure): ProcessReceivedPacket, then GetResult
// when the action is Result.
bool ConcludeOnHost(EapHostCall& peer, const eap::BYTE* packet, size_t size, Driven* out, EapErrorInfo* error) {
  eap::EapHostPeerResponseAction action = eap::EapHostPeerResponseDiscard;
  eap::DWORD rc = peer.api().EapHostPeerProcessReceivedPacket(peer.id(), static_cast<eap::DWORD>(size),
                                                              size == 0 ? nullptr : packet, &action, peer.error());
  out->concluded = true;
  out->outcomeAction = action;
  if (!peer.Check(rc, error, "EapHostPeerProcessReceivedPacket")) return false;
  if (action != eap::EapHostPeerResponseResult) return true;
  out->hasResult = GetResultOnHost(peer, eap::EapHostPeerMethodResultFromMethod, &out->result, error);
  return out->hasResult;
}

// Blocks of one size, a few kept per thread for the next object of `Of`: a DriveTask (made on
// the JS thread) and its result (Driven, made on the host thread) are each larger than glibc's
// per-thread cache takes (1,032 bytes), and one made and freed for every driver call took malloc's
// slow path each time, which first merges every small chunk freed since (malloc_consolidate).
// Each is made and freed on one thread (the other frees one only when the environment stops): a
// block goes back to the list of the thread that frees it.
template <typename Of, size_t kKept>
class ThreadBlocks {
 public:
  // An object freed after the thread's list is gone (a thread-exit or exit-time destructor
  // running later) goes straight back to the allocator: nothing is kept past the list's end.
  ~ThreadBlocks() {
    for (size_t i = 0; i < count_; ++i) ::operator delete(blocks_[i]);
    count_ = 0;
    gone_ = true;
  }
  void* Take(size_t size) {
    if (count_ > 0 && size == size_) return blocks_[--count_];
    return ::operator new(size);
  }
  void Give(void* block, size_t size) {
    if (!gone_ && count_ < kKept && (count_ == 0 || size == size_)) {
      size_ = size;
      blocks_[count_++] = block;
      return;
    }
    ::operator delete(block);
  }
  static ThreadBlocks& OfThisThread() {
    thread_local ThreadBlocks blocks;
    return blocks;
  }

 private:
  void* blocks_[kKept] = {};
  size_t count_ = 0;
  size_t size_ = 0;
  bool gone_ = false;
};
// DriveTasks: as many as one drain settles (HostThread::kDrainBatch) and its continuations make
// again. Results: as many as the JS thread gives back between two of the host thread's batches
// (a drain's, or all of a burst's).
class DriveTask;
using DriveTaskBlocks = ThreadBlocks<DriveTask, 8>;
using DrivenBlocks = ThreadBlocks<Driven, 64>;
void* Driven::operator new(size_t size) { return DrivenBlocks::OfThisThread().Take(size); }
void Driven::operator delete(void* block, size_t size) { DrivenBlocks::OfThisThread().Give(block, size); }

// One driver call as one host-thread task. Its parts run in turn: the first (the caller's input),
// then, with a peer, the peer's exchange of each request and the authenticator's step on each
// response, until the conversation needs JavaScript. The authenticator's steps of a conversation
// that steps aside may run on the aside thread (the task goes there and comes back) while other
// work waits for the host thread, so the peer's and the authenticator's TLS work of different
// conversations use two cores; alone, the host thread runs them itself (RunAside, then Run). Every
// EAPHost call and every change to the addon's tracked resources stays on the host thread.
class DriveTask final : public HostTask {
 public:
  DriveTask(AddonState* state, Drive drive, Napi::Promise::Deferred deferred)
      : state_(state), drive_(std::move(drive)), deferred_(deferred) {}
  static void* operator new(size_t size) { return DriveTaskBlocks::OfThisThread().Take(size); }
  static void operator delete(void* block, size_t size) { DriveTaskBlocks::OfThisThread().Give(block, size); }

  void Run() override {
    if (!out_) out_ = std::make_unique<Driven>();
    Guarded([this] {
      if (part_ == Part::kFirst) First();
      while (part_ != Part::kDone) {
        if (part_ == Part::kAuthenticator && conversation_->stepsAside) {
          aside_ = true;
          return;
        }
        if (part_ == Part::kPeer) {
          PeerPart();
        } else if (part_ == Part::kAuthenticator) {
          AuthenticatorPart();
        } else if (part_ == Part::kConclude) {
          ConcludePart();
        }
      }
    });
    if (aside_) return;
    peer_.reset();
    // What the job holds goes here, on the host thread: the known answer and the beginning's
    // secrets, and the start's references to the method modules.
    drive_.known.reset();
    drive_.begin.reset();
    drive_.start.reset();
    SecureZeroContents(drive_.packet);
  }
  bool StepsAside() const override { return aside_; }
  void RunAside() override {
    Guarded([this] { AuthenticatorPart(); });
    aside_ = false;
  }
  void Settle(Napi::Env env) override {
    {
      Napi::HandleScope scope(env);
      if (!ok_) {
        deferred_.Reject(MakeEapError(env, firstError_));
      } else {
        try {
          deferred_.Resolve(ToJs(env));
        } catch (const Napi::Error& e) {
          deferred_.Reject(e.Value());
        }
      }
    }
    HostThreadOf(env).GiveBack(std::move(out_));
  }

 private:
  enum class Part { kFirst, kPeer, kAuthenticator, kConclude, kDone };

  // An exception fails the part it came from, as any other failure of that part.
  template <typename Body>
  void Guarded(Body body) {
    HostCall<bool> caught;
    auto run = [&body](bool*, EapErrorInfo*) {
      body();
      return true;
    };
    RunWork(caught, run);
    if (caught.ok) return;
    aside_ = false;
    Fail(std::move(caught.error));
  }

  // A failure: the call's own in its first part (the promise rejects), a later part's in the result.
  void Fail(EapErrorInfo error) {
    if (part_ == Part::kFirst) {
      ok_ = false;
      firstError_ = std::move(error);
      // What the job made goes with it: JS never sees a handle for either.
      if (out_->conversation) CloseConcluded(state_, out_->conversation);
      EndBegunSession(false);
    } else {
      out_->failed = true;
      out_->error = std::move(error);
      out_->stopped = "error";
    }
    part_ = Part::kDone;
  }

  // Host thread: the caller's input, then where the conversation goes from its step.
  void First() {
    EapErrorInfo error;
    if (drive_.begin) {
      auto host = ResourceAccess<EapHostInstance>::Open(*drive_.begin->instance, "EapHostPeerBeginSession", &error);
      if (!host || !BeginSessionOnHost(*host, state_, *drive_.begin, &out_->begun, &error)) return Fail(std::move(error));
      drive_.session = out_->begun.session;
    }
    if (drive_.input == Input::kRequest || drive_.input == Input::kOutcome) return PeerAlone();
    if (drive_.input == Input::kStart) {
      conversation_ = StartConversation(state_, *drive_.start, &out_->step, &error);
      if (!conversation_) return Fail(std::move(error));
      out_->conversation = conversation_;
    } else {
      conversation_ = drive_.conversation;
    }
    // The host thread's own step: no aside part of this conversation runs beside it.
    AuthenticatorHost* host = conversation_->Get(CallName(), HeldNames<AuthenticatorHost>::kWhat, &error);
    bool stepped = host != nullptr;
    if (stepped) {
      switch (drive_.input) {
        case Input::kResponse:
          stepped = host->Receive(drive_.packet, &out_->step, &error);
          break;
        case Input::kTimeout:
          stepped = host->Timeout(&out_->step, &error);
          break;
        case Input::kKnownAnswer:
          // The question the conversation stopped at, answered from what the store said.
          if (!conversation_->question) {
            error = HostError(eap::kErrorInvalidState, "host", "the conversation is not waiting for the user store");
            stepped = false;
          } else {
            out_->step = std::move(*conversation_->question);
            out_->answeredFor = out_->step.identity;
            stepped = AnswerQuestion(*host, drive_.known.get(), &out_->step, &error);
          }
          break;
        default:
          break;
      }
    }
    conversation_->question.reset();
    if (!stepped) return Fail(std::move(error));
    if (drive_.hasPeer()) {
      if (auto peer = SessionAccess::Open(*drive_.session, "EapHostPeerProcessReceivedPacket", &error)) {
        peer_.emplace(std::move(*peer));
      } else {
        return Fail(std::move(error));
      }
    }
    part_ = Part::kDone;
    if (!AnswerFromUsers(*host, &error)) return Fail(std::move(error));
    Decide(*host);
  }

  // The method's questions, answered from the authenticator's users table when it has one;
  // `lend` as Receive's, for the request the answer makes.
  bool AnswerFromUsers(AuthenticatorHost& host, EapErrorInfo* error, bool lend = false) {
    return !conversation_->users ||
           AnswerFromTable(host, *conversation_->users, &out_->step, error, &out_->answeredFor, lend);
  }

  const char* CallName() const {
    switch (drive_.input) {
      case Input::kStart:
        return "AuthenticatorBegin";
      case Input::kTimeout:
        return "AuthenticatorTimeout";
      case Input::kKnownAnswer:
        return "AuthenticatorSetAttributes";
      default:
        return "AuthenticatorReceive";
    }
  }

  // The peer's half alone: the packet a remote authenticator sent.
  void PeerAlone() {
    EapErrorInfo error;
    auto peer = SessionAccess::Open(*drive_.session, "EapHostPeerProcessReceivedPacket", &error);
    bool ok = peer.has_value();
    if (ok && drive_.input == Input::kOutcome) {
      ok = ConcludeOnHost(*peer, drive_.packet.data(), drive_.packet.size(), out_.get(), &error);
      out_->stopped = "outcome";
    } else if (ok) {
      ok = ExchangeOnHost(*peer, drive_.packet, &out_->exchange, &error);
      out_->peerActed = true;
      out_->stopped = "peer";
    }
    if (!ok) return Fail(std::move(error));
    part_ = Part::kDone;
  }

  // Where the conversation goes from the authenticator's step (conversation locked by the caller).
  void Decide(AuthenticatorHost& host) {
    out_->hasStep = true;
    switch (out_->step.kind) {
      case AuthenticatorStep::Kind::kSend:
        if (peer_ && drive_.budget > out_->rounds && (out_->step.requestLent || !out_->step.packet.empty())) {
          request_ = out_->step.requestLent ? &host.OutstandingRequest() : &out_->step.packet;
          if (drive_.keepPackets) out_->packets.push_back(*request_);
          part_ = Part::kPeer;
          return;
        }
        if (out_->step.requestLent) out_->step.packet = host.OutstandingRequest();
        out_->stopped = "transport";
        break;
      case AuthenticatorStep::Kind::kRespond:
        out_->stopped = "answer";
        conversation_->question = out_->step;
        break;
      case AuthenticatorStep::Kind::kDiscard:
        out_->stopped = "discard";
        break;
      default:
        FinishIfDone(host, out_->step);
        out_->stopped = "outcome";
        part_ = Part::kConclude;
        return;
    }
    part_ = Part::kDone;
  }

  // Host thread: the peer's exchange of the authenticator's request.
  void PeerPart() {
    EapErrorInfo error;
    // A request the conversation lent is read where it keeps it: a close while the authenticator's
    // part ran aside took it with it.
    if (out_->step.requestLent && conversation_->Get("AuthenticatorReceive", HeldNames<AuthenticatorHost>::kWhat,
                                                    &error) == nullptr) {
      return Fail(std::move(error));
    }
    out_->exchange = ExchangeOut();
    bool ok = ExchangeOnHost(*peer_, *request_, &out_->exchange, &error, drive_.keepPackets);
    out_->peerActed = true;
    out_->stepTaken = true;
    if (!ok) return Fail(std::move(error));
    if (out_->exchange.action != eap::EapHostPeerResponseSend) {
      out_->stopped = "peer";
      part_ = Part::kDone;
      return;
    }
    ++out_->rounds;
    if (drive_.keepPackets) out_->packets.push_back(out_->exchange.packet);
    part_ = Part::kAuthenticator;
  }

  // The authenticator's step on the peer's response, holding the conversation against a close.
  void AuthenticatorPart() {
    std::lock_guard<std::mutex> lock(conversation_->stepping);
    EapErrorInfo error;
    AuthenticatorHost* host = conversation_->Get("AuthenticatorReceive", HeldNames<AuthenticatorHost>::kWhat, &error);
    // A next request the peer takes in this job, unseen by JS, is read where the authenticator
    // keeps it for retransmission.
    bool lend = !drive_.keepPackets && drive_.budget > out_->rounds;
    out_->step = AuthenticatorStep();
    out_->stepTaken = false;
    bool ok = host != nullptr &&
              host->Receive(out_->exchange.sent, out_->exchange.sentSize, &out_->step, &error, lend) &&
              AnswerFromUsers(*host, &error, lend);
    if (!ok) return Fail(std::move(error));
    Decide(*host);
  }

  // Host thread: the peer processes the outcome (when there is a peer and a packet), the
  // conversation closes, and a session begun for it ends when asked.
  void ConcludePart() {
    part_ = Part::kDone;
    if (peer_ && !out_->step.packet.empty()) {
      EapErrorInfo error;
      out_->stepTaken = true;
      if (!ConcludeOnHost(*peer_, out_->step.packet.data(), out_->step.packet.size(), out_.get(), &error)) {
        CloseConversation();
        return Fail(std::move(error));
      }
    }
    CloseConversation();
    if (drive_.endWhenConcluded && out_->hasResult) {
      peer_.reset();
      EndBegunSession(true);
    }
  }

  void CloseConversation() {
    CloseConcluded(state_, conversation_);
    out_->closed = conversation_;
  }

  // A session this job began ends in it: once concluded (when asked), or when the call failed
  // (JS never sees it).
  void EndBegunSession(bool concluded) {
    if (!out_->begun.session || out_->sessionEnded) return;
    peer_.reset();
    EapErrorInfo ignored;
    out_->endFailed = !out_->begun.session->End(concluded ? &out_->endError : &ignored);
    Forget(state_, out_->begun.session);
    out_->sessionEnded = true;
  }

  // The whole result in one call of its builder, each part through its writer (result_shapes.h);
  // a part left unwritten is absent. The peer's half alone settles the peer's act.
  Napi::Value ToJs(Napi::Env env) {
    static const Attributes kNone;
    bool result = out_->concluded && out_->hasResult;
    if (drive_.input == Input::kRequest || drive_.input == Input::kOutcome) {
      PeerActShapeWriter shaped(env);
      PackedAttributes packed = PackAttributes(env, {result ? &out_->result.attributes : &kNone});
      shaped.packed(packed.buffer);
      WritePeerAct(env, shaped, packed.at);
      return shaped.Make();
    }
    if (out_->closed) MarkReleased(env, *out_->closed);
    ConversationShapeWriter shaped(env);
    shaped.kind(PropertyKey(env, out_->stopped));
    if (out_->conversation && !out_->closed) shaped.conversation(WrapResource(env, out_->conversation));
    shaped.rounds(out_->rounds);
    if (drive_.keepPackets && drive_.hasPeer()) {
      Napi::Array list = Napi::Array::New(env, out_->packets.size());
      for (size_t i = 0; i < out_->packets.size(); ++i) list.Set(static_cast<uint32_t>(i), ToBuffer(env, out_->packets[i]));
      shaped.packets(list);
    }
    if (out_->failed) shaped.error(out_->error);
    const Attributes& stepAttributes = out_->hasStep ? out_->step.attributes : kNone;
    PackedAttributes packed = PackAttributes(env, {&stepAttributes, result ? &out_->result.attributes : &kNone});
    shaped.packed(packed.buffer);
    if (out_->hasStep) {
      // The identity asked about goes with the step JS sees, as the question would have brought it.
      if (out_->step.identity.empty()) out_->step.identity = std::move(out_->answeredFor);
      WriteStep(env, shaped.step(), out_->step, drive_.keepPackets || !out_->stepTaken, packed.at);
    }
    if (out_->peerActed || out_->concluded) WritePeerAct(env, shaped.peer(), packed.at + PackedSize(stepAttributes));
    if (out_->begun.session) {
      BegunSessionWriter session = shaped.session();
      if (!out_->sessionEnded) session.handle(WrapResource(env, out_->begun.session));
      session.sessionId(static_cast<double>(out_->begun.session->id()));
      session.notificationToken(out_->begun.token);
      session.connectionId(MadeConnectionIdToJs(env, out_->begun));
      if (out_->endFailed) shaped.endError(out_->endError);
    }
    return shaped.Make();
  }

  // The peer's last act: on the outcome, its action and result; on a request, its action and the
  // response JS sees (the caller's transport's, or one kept with keepPackets).
  void WritePeerAct(Napi::Env env, PeerActWriter peer, size_t resultAt) {
    if (out_->concluded) {
      peer.action(out_->outcomeAction);
      if (out_->hasResult) WriteResult(env, peer.result(), out_->result, resultAt);
      return;
    }
    peer.action(out_->exchange.action);
    bool sent = out_->exchange.action == eap::EapHostPeerResponseSend;
    if (sent && (drive_.keepPackets || !drive_.conversation)) peer.packet(ToBuffer(env, out_->exchange.packet));
  }

  AddonState* state_;
  Drive drive_;
  Napi::Promise::Deferred deferred_;
  Part part_ = Part::kFirst;
  bool aside_ = false;
  bool ok_ = true;
  EapErrorInfo firstError_;
  std::shared_ptr<Conversation> conversation_;
  std::optional<EapHostCall> peer_;
  const Bytes* request_ = nullptr;
  std::unique_ptr<Driven> out_;  // made when the job first runs, on the host thread
};

Napi::Promise Submit(Napi::Env env, Drive drive) {
  auto deferred = Napi::Promise::Deferred::New(env);
  Napi::Promise promise = deferred.Promise();
  HostThreadOf(env).Submit(std::make_unique<DriveTask>(&StateOf(env), std::move(drive), deferred));
  return promise;
}

// The peer ({ session } or { begin, endWhenConcluded? }), the budget and keepPackets.
void ReadPeer(Napi::Env env, std::optional<ConversationPeer>& peer, eap::DWORD budget, bool keepPackets, Drive* drive,
              bool mayBegin) {
  drive->budget = budget;
  drive->keepPackets = keepPackets;
  if (!peer) return;
  // A peer with its session has nothing else to read.
  if (peer->session) {
    try {
      drive->session = UnwrapResource<EapHostSessionResource>(env, *peer->session, SessionAccess::kHandle);
    } catch (ReleasedHandle& released) {
      released.call = "EapHostPeerProcessReceivedPacket";  // as the peer's call refuses it
      throw;
    }
    return;
  }
  if (!mayBegin) throw Napi::TypeError::New(env, "peer must name its session");
  if (!peer->begin) throw Napi::TypeError::New(env, "peer must have a session, or a beginning");
  try {
    drive->begin = SessionBeginOf(env, *peer->begin);
  } catch (ReleasedHandle& released) {
    released.call = "EapHostPeerBeginSession";
    throw;
  }
  drive->endWhenConcluded = peer->endWhenConcluded;
}

}  // namespace

// conversationBegin(ConversationBeginArgs)
Napi::Value seam::ConversationBegin(const Napi::CallbackInfo& info, Napi::Object object) {
  Napi::Env env = info.Env();
  ConversationBeginArgs args = ReadConversationBeginArgs(object);
  Drive drive;
  drive.input = Input::kStart;
  drive.start = ConversationStartFrom(env, args.authenticator, std::move(args.identityResponse));
  ReadPeer(env, args.peer, args.budget, args.keepPackets, &drive, true);
  return Submit(env, std::move(drive));
}

// conversationRun(ConversationRunArgs): one input, by `kind`: the peer's response, the
// retransmission timer, or `knownAnswer`: the user store's answer to the question the
// conversation stopped at.
Napi::Value seam::ConversationRun(const Napi::CallbackInfo& info, Napi::Object object) {
  Napi::Env env = info.Env();
  ConversationRunArgs args = ReadConversationRunArgs(object);
  Drive drive;
  if (args.kind == "response") {
    drive.input = Input::kResponse;
  } else if (args.kind == "timeout") {
    drive.input = Input::kTimeout;
  } else if (args.kind == "knownAnswer") {
    drive.input = Input::kKnownAnswer;
  } else {
    throw Napi::TypeError::New(env, "conversationRun: kind must be 'response', 'timeout' or 'knownAnswer'");
  }
  // Each kind's input, and no other's.
  if (args.response.has_value() != (drive.input == Input::kResponse)) {
    throw Napi::TypeError::New(env, args.response ? "response goes with kind 'response' only" : "response must be a Buffer");
  }
  if (args.knownAnswer.has_value() != (drive.input == Input::kKnownAnswer)) {
    throw Napi::TypeError::New(env, args.knownAnswer ? "knownAnswer goes with kind 'knownAnswer' only"
                                                     : "knownAnswer must be a known answer");
  }
  ReadPeer(env, args.peer, args.budget, args.keepPackets, &drive, false);
  drive.conversation = UnwrapResource<Conversation>(env, args.conversation, HeldNames<AuthenticatorHost>::kHandle);
  if (args.response) drive.packet = std::move(*args.response);
  if (args.knownAnswer) drive.known = KnownAnswerOf(env, args.knownAnswer->Unread());
  return Submit(env, std::move(drive));
}

// eapHostSessionReceive(EapHostSessionReceiveArgs): a remote authenticator's request or outcome
// for the session alone.
Napi::Value seam::EapHostSessionReceive(const Napi::CallbackInfo& info, Napi::Object object) {
  Napi::Env env = info.Env();
  EapHostSessionReceiveArgs args = ReadEapHostSessionReceiveArgs(object);
  Drive drive;
  if (args.kind == "request") {
    drive.input = Input::kRequest;
  } else if (args.kind == "outcome") {
    drive.input = Input::kOutcome;
  } else {
    throw Napi::TypeError::New(env, "eapHostSessionReceive: kind must be 'request' or 'outcome'");
  }
  try {
    drive.session = UnwrapResource<EapHostSessionResource>(env, args.session, SessionAccess::kHandle);
  } catch (ReleasedHandle& released) {
    released.call = "EapHostPeerProcessReceivedPacket";  // as the peer's call refuses it
    throw;
  }
  drive.packet = std::move(args.packet);
  return Submit(env, std::move(drive));
}

// conversationEnd({ conversation }): the authenticator's method session ended before its outcome
// (an abort, a closed transport); the handle is released by JS after.
Napi::Value seam::ConversationEnd(const Napi::CallbackInfo& info, Napi::Object object) {
  Napi::Env env = info.Env();
  ConversationEndArgs args = ReadConversationEndArgs(object);
  auto conversation = UnwrapResource<Conversation>(env, args.conversation, HeldNames<AuthenticatorHost>::kHandle);
  return RunOnHost<bool>(
      env,
      [conversation](bool*, EapErrorInfo* error) {
        std::lock_guard<std::mutex> lock(conversation->stepping);
        AuthenticatorHost* host = conversation->Get("AuthenticatorEnd", HeldNames<AuthenticatorHost>::kWhat, error);
        return host != nullptr && host->End(error);
      },
      SettleNothing);
}

}  // namespace eaphost
