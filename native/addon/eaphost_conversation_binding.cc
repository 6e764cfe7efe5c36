// An in-process conversation (an EAPHost session against the embedded authenticator) in as few
// host-thread jobs as the user store allows: one job starts the conversation and runs the peer
// through every round up to the authenticator's first question (RESPOND), and one job hands the
// store's answer over and runs the rest: the rounds after it and, once the authenticator's step
// is the outcome (Success/Failure), the peer's processing of it and its result. Each part is
// the same code as its single call (eaphost_session_binding.h, eaphost_result_binding.h,
// authenticator_binding.h), and each part's error is reported where the single call would have
// reported it. eapHostConclude is the last part alone, for an outcome any transport delivered.
#include <mutex>
#include <optional>
#include <vector>

#include "../common/secure_zero.h"
#include "authenticator_binding.h"
#include "bindings.h"
#include "eaphost_result_binding.h"
#include "eaphost_session_binding.h"
#include "eaphost_session_begin.h"
#include "js_convert.h"
#include "known_answer.h"
#include "method_resources.h"

namespace eaphost {

namespace {

using Conversation = AuthenticatorHostResource;

// The peer's side of an outcome (EAP-Success/Failure), as authenticate() runs it:
// ProcessReceivedPacket, then GetResult when the action is Result.
struct ConcludeOut {
  int32_t action = 0;
  bool hasResult = false;
  ResultOut result;
};

bool ConcludeOnHost(EapHostCall& host, const Bytes& packet, ConcludeOut* out, EapErrorInfo* error) {
  eap::EapHostPeerResponseAction action = eap::EapHostPeerResponseDiscard;
  eap::DWORD rc = host.api().EapHostPeerProcessReceivedPacket(
      host.id(), static_cast<eap::DWORD>(packet.size()), packet.empty() ? nullptr : packet.data(), &action, host.error());
  out->action = action;
  if (!host.Check(rc, error, "EapHostPeerProcessReceivedPacket")) return false;
  if (action != eap::EapHostPeerResponseResult) return true;
  out->hasResult = GetResultOnHost(host, eap::EapHostPeerMethodResultFromMethod, &out->result, error);
  return out->hasResult;
}

Napi::Object ConcludeToJs(Napi::Env env, ConcludeOut& out) {
  return MakeShaped(env, ResultShape::kConclude,
                    {Napi::Number::New(env, out.action), out.hasResult ? ResultToJs(env, out.result) : env.Undefined()});
}

// A round the hop went through without JS: the peer's response and the authenticator's next
// request (a Send step), which the hop then handed straight back to the peer.
struct PassedRound {
  Bytes response;
  Bytes request;
};

// The rounds one hop ran, and where they stopped.
struct Rounds {
  // Whether JS sees the packets (it has an onPacket): without, only the count of passed rounds
  // and none of the peer's responses cross into JS.
  bool keepPackets = true;
  uint32_t passedCount = 0;
  std::vector<PassedRound> passed;
  bool exchangeFailed = false;  // a passed round's request failed at the peer
  EapErrorInfo exchangeError;
  ExchangeOut exchange;
  bool answered = false;  // the hop began with the authenticator's call: no exchange of the peer's
  bool stepped = false;   // the authenticator took the response
  AuthenticatorStep step;
  bool stepFailed = false;
  EapErrorInfo stepError;
  bool finished = false;  // the peer processed the outcome
  bool finalFailed = false;
  EapErrorInfo finalError;
  ConcludeOut final;
  bool stepHandedOn = false;  // the step is a request the peer took in the same job
  // The conversation, when its outcome in this hop closed it: its handle is released on settling.
  std::shared_ptr<Conversation> closed;
  // The user store's answer when JS knew it up front: the questions it covers are answered in
  // this job (known_answer.h), and the identity asked about last goes with the step JS sees,
  // as the question itself would have brought it.
  std::shared_ptr<const KnownAnswer> known;
  std::u16string answeredFor;
};

// Every part the hop reached, the rest undefined: every binding here reports this shape.
Napi::Object RoundsToJs(Napi::Env env, Rounds& out) {
  if (out.closed) MarkReleased(env, *out.closed);
  if (out.stepped && out.step.identity.empty()) out.step.identity = out.answeredFor;
  Napi::Value undefined = env.Undefined();
  Napi::Value passed = undefined;
  if (!out.keepPackets && out.passedCount > 0) {
    passed = Napi::Number::New(env, out.passedCount);
  } else if (!out.passed.empty()) {
    Napi::Array rounds = Napi::Array::New(env, out.passed.size());
    for (size_t i = 0; i < out.passed.size(); ++i) {
      Napi::Object round = Napi::Object::New(env);
      SetField(round, "response", ToBuffer(env, out.passed[i].response));
      SetField(round, "request", ToBuffer(env, out.passed[i].request));
      rounds.Set(static_cast<uint32_t>(i), round);
    }
    passed = rounds;
  }
  // The response the authenticator took is JS's only for onPacket.
  bool sent = out.exchange.action == eap::EapHostPeerResponseSend && (out.keepPackets || !out.stepped);
  return MakeShaped(
      env, ResultShape::kConverse,
      {out.answered ? undefined : Napi::Number::New(env, out.exchange.action),
       sent ? ToBuffer(env, out.exchange.packet) : undefined, passed,
       out.exchangeFailed ? MakeEapError(env, out.exchangeError) : undefined,
       // A step the peer already took (the outcome it processed, a request it answered) keeps
       // its packet native unless JS looks at packets.
       !out.stepFailed && out.stepped ? StepToJs(env, out.step, out.keepPackets || !(out.finished || out.stepHandedOn))
                                      : undefined,
       out.stepFailed ? MakeEapError(env, out.stepError) : undefined,
       out.finished && !out.finalFailed ? ConcludeToJs(env, out.final) : undefined,
       out.finished && out.finalFailed ? MakeEapError(env, out.finalError) : undefined});
}

// Host thread, once FinishIfDone ended the authenticator's method session on the outcome: the
// peer (when there is one that can take it) processes the outcome, and the conversation closes.
void ConcludeFinished(AddonState* state, EapHostCall* peer, const std::shared_ptr<Conversation>& conversation,
                      Rounds* out) {
  if (peer != nullptr && !out->step.packet.empty()) {
    out->finished = true;
    out->finalFailed = !ConcludeOnHost(*peer, out->step.packet, &out->final, &out->finalError);
  }
  CloseConcluded(state, conversation);
  out->closed = conversation;
}

// When the authenticator's step is the outcome: its method session ends, then ConcludeFinished.
void ConcludeIfDone(AddonState* state, EapHostCall* peer, const std::shared_ptr<Conversation>& conversation,
                    AuthenticatorHost& authenticator, Rounds* out) {
  if (FinishIfDone(authenticator, out->step)) ConcludeFinished(state, peer, conversation, out);
}

// The rounds of one hop, part by part: the peer takes the authenticator's request (an EAPHost
// call: host thread only) and the authenticator its response; while the authenticator's step
// is its next request and fewer than `rounds` rounds went by, the peer takes that one at once;
// an outcome is processed by the peer and closes the conversation. PairingTask runs the parts in
// turn on the host thread, or, when the conversation steps aside, the authenticator's on the
// aside thread, so the peer's and the authenticator's TLS work of different
// conversations use both cores. The peer's failure on `first` goes to `firstError` (the call's
// own error, or out->exchangeError when the hop began with the authenticator); ok() is false
// only when it went to the call's.
class RoundTrips {
 public:
  enum class Part { kPeer, kAuthenticator, kDone };

  RoundTrips(AddonState* state, std::shared_ptr<Conversation> conversation, uint32_t rounds, Rounds* out,
             const Bytes& first, EapErrorInfo* firstError)
      : state_(state),
        conversation_(std::move(conversation)),
        rounds_(rounds),
        out_(out),
        request_(&first),
        firstError_(firstError) {}

  Part next() const { return next_; }
  bool ok() const { return ok_; }
  // Every authenticator step of a conversation that steps aside goes there: keeping its cheap
  // steps (an inner method inside the tunnel) on the host thread measured slower, as the host
  // thread, which runs the peer's half, is the busier of the two.
  bool stepsAside() const { return conversation_->stepsAside; }

  // Host thread: the peer's exchange of the request, or its processing of the outcome.
  void RunPeer(EapHostCall& peer) {
    if (concluding_) {
      ConcludeFinished(state_, &peer, conversation_, out_);
      return Done(true);
    }
    // A request the conversation lent is read where it keeps it: a job that closed the
    // conversation while its step ran aside took the request with it.
    if (lentRequest_ &&
        conversation_->Get("AuthenticatorReceive", HeldNames<AuthenticatorHost>::kWhat, &out_->stepError) == nullptr) {
      out_->stepFailed = true;
      return Done(true);
    }
    EapErrorInfo* error = round_ == 1 ? firstError_ : &out_->exchangeError;
    // Without onPacket the response is read where EAPHost keeps it: JS never sees it.
    if (!ExchangeOnHost(peer, *request_, &out_->exchange, error, out_->keepPackets)) {
      out_->exchangeFailed = error == &out_->exchangeError;
      return Done(out_->exchangeFailed);
    }
    if (out_->exchange.action != eap::EapHostPeerResponseSend) return Done(true);
    out_->stepped = true;
    next_ = Part::kAuthenticator;
  }

  // The authenticator's step on the peer's response, holding the conversation against a close.
  void RunAuthenticator() {
    std::lock_guard<std::mutex> lock(conversation_->stepping);
    AuthenticatorHost* authenticator =
        conversation_->Get("AuthenticatorReceive", HeldNames<AuthenticatorHost>::kWhat, &out_->stepError);
    // A next request the peer takes in this hop, with no record for JS, is read where the
    // authenticator keeps it for retransmission: no copy of its own.
    bool handOn = round_ < rounds_ && !out_->keepPackets;
    bool stepped =
        authenticator != nullptr &&
        authenticator->Receive(out_->exchange.sent, out_->exchange.sentSize, &out_->step, &out_->stepError, handOn) &&
        AnswerKnownQuestions(*authenticator, out_->known.get(), &out_->step, &out_->stepError, &out_->answeredFor);
    if (!stepped) {
      out_->stepFailed = true;
      return Done(true);
    }
    if (out_->step.kind == AuthenticatorStep::Kind::kSend && round_ < rounds_ &&
        (out_->step.requestLent || !out_->step.packet.empty())) {
      ++out_->passedCount;
      if (out_->keepPackets) {
        // The request is the peer's next input and JS's record of the round: moved, not copied.
        out_->passed.push_back({std::move(out_->exchange.packet), std::move(out_->step.packet)});
        request_ = &out_->passed.back().request;
        lentRequest_ = false;
      } else {
        request_ = &authenticator->OutstandingRequest();  // read by the next exchange, before Receive
        lentRequest_ = true;
      }
      out_->exchange = ExchangeOut();
      out_->step = AuthenticatorStep();
      out_->stepped = false;
      ++round_;
      next_ = Part::kPeer;
      return;
    }
    if (!FinishIfDone(*authenticator, out_->step)) return Done(true);
    concluding_ = true;  // the peer processes the outcome, then the conversation closes
    next_ = Part::kPeer;
  }

  // An exception ended the hop: no part runs after it.
  void Abandon() { next_ = Part::kDone; }

 private:
  void Done(bool ok) {
    ok_ = ok;
    next_ = Part::kDone;
  }

  AddonState* state_;
  std::shared_ptr<Conversation> conversation_;
  uint32_t rounds_;
  uint32_t round_ = 1;
  Rounds* out_;
  const Bytes* request_;
  EapErrorInfo* firstError_;
  bool lentRequest_ = false;
  bool concluding_ = false;
  Part next_ = Part::kPeer;
  bool ok_ = true;
};

// What a pairing hop runs after its first part: the peer's session opened for the rounds, and
// the rounds. Host thread only, but for the authenticator's parts.
struct Pairing {
  std::shared_ptr<EapHostSessionResource> session;
  std::optional<EapHostCall> peer;
  std::optional<RoundTrips> trips;
};

// After the authenticator's own call made `step`: when that is a request and rounds remain, the
// peer takes it in the same hop (the rounds, into `ahead`). A session that cannot take it now
// is left to the next call, which reports why as it always has.
bool GoOn(AddonState* state, const std::shared_ptr<Conversation>& conversation, const AuthenticatorStep& step,
          uint32_t rounds, Rounds* ahead, Pairing* pairing) {
  if (step.kind != AuthenticatorStep::Kind::kSend || rounds == 0 || step.packet.empty()) return false;
  EapErrorInfo unusable;
  auto peer = ResourceAccess<EapHostSessionResource>::Open(*pairing->session, "EapHostPeerProcessReceivedPacket",
                                                           &unusable);
  if (!peer) return false;
  pairing->peer.emplace(std::move(*peer));
  pairing->trips.emplace(state, conversation, rounds, ahead, step.packet, &ahead->exchangeError);
  return true;
}

// A pairing hop's last part, after its rounds: nothing, but for a hop that began its session.
struct NoFinish {
  template <typename Output>
  void operator()(bool, Output*, Pairing*) const {}
};

// One pairing hop as one task: its first part (`begin`) on the host thread, then the rounds it
// set up, the authenticator's parts on the aside thread when the conversation steps aside (the
// task goes there and comes back), the rest on the host thread, `finish` last (with the session,
// after its call seam is gone). Settles as every call does.
template <typename Output, typename Begin, typename SettleOutput, typename Finish = NoFinish>
class PairingTask final : public HostTask {
 public:
  PairingTask(std::shared_ptr<EapHostSessionResource> session, Begin begin, SettleOutput settle,
              Napi::Promise::Deferred deferred, Finish finish = Finish())
      : begin_(std::in_place, std::move(begin)), settle_(std::move(settle)), finish_(std::move(finish)),
        deferred_(deferred) {
    pairing_.session = std::move(session);
  }

  void Run() override {
    Guarded([this] {
      if (begin_) {
        call_.ok = (*begin_)(&call_.output, &call_.error, &pairing_);
        begin_.reset();  // its captures (secrets among them) go on the host thread
      }
      RoundTrips* trips = pairing_.trips ? &*pairing_.trips : nullptr;
      while (trips != nullptr && trips->next() != RoundTrips::Part::kDone) {
        if (trips->next() == RoundTrips::Part::kPeer) {
          trips->RunPeer(*pairing_.peer);
        } else if (trips->stepsAside()) {
          aside_ = true;
          return;
        } else {
          trips->RunAuthenticator();
        }
      }
    });
    if (aside_) return;  // back here once the authenticator's part has run
    // Only rounds whose first failure is the call's own (eapHostConverse's) can fail it.
    if (pairing_.trips && call_.ok) call_.ok = pairing_.trips->ok();
    // The rounds, the session's call seam and the resources go here, on the host thread.
    pairing_.trips.reset();
    pairing_.peer.reset();
    Guarded([this] { finish_(call_.ok, &call_.output, &pairing_); });
    pairing_.session.reset();
  }
  bool StepsAside() const override { return aside_; }
  void RunAside() override {
    Guarded([this] { pairing_.trips->RunAuthenticator(); });
    aside_ = false;
  }
  void Settle(Napi::Env env) override { SettleCall(env, call_, deferred_, settle_); }

 private:
  // As RunWork: an exception fails the call, and no part runs after it.
  template <typename Part>
  void Guarded(Part part) {
    HostCall<bool> caught;
    auto run = [&part](bool*, EapErrorInfo*) {
      part();
      return true;
    };
    RunWork(caught, run);
    if (caught.ok) return;
    call_.ok = false;
    call_.error = std::move(caught.error);
    aside_ = false;
    if (pairing_.trips) pairing_.trips->Abandon();
  }

  HostCall<Output> call_;
  std::optional<Begin> begin_;
  Pairing pairing_;
  bool aside_ = false;
  SettleOutput settle_;
  Finish finish_;
  Napi::Promise::Deferred deferred_;
};

template <typename Output, typename Begin, typename Settle, typename Finish = NoFinish>
Napi::Promise RunPairing(Napi::Env env, std::shared_ptr<EapHostSessionResource> session, Begin begin, Settle settle,
                         Finish finish = Finish()) {
  auto deferred = Napi::Promise::Deferred::New(env);
  Napi::Promise promise = deferred.Promise();
  HostThreadOf(env).Submit(std::make_unique<PairingTask<Output, Begin, Settle, Finish>>(
      std::move(session), std::move(begin), std::move(settle), deferred, std::move(finish)));
  return promise;
}

// A hop's parts as a short array: elements, unlike named fields added to an object already
// made, take no map transition and no property-name lookup.
template <typename Parts>
Napi::Array OutcomeOf(Napi::Env env, const Parts& parts) {
  return MakeParts(env, parts.size(), parts.size() == 0 ? nullptr : &*parts.begin());
}

Napi::Array Outcome(Napi::Env env, std::initializer_list<napi_value> parts) { return OutcomeOf(env, parts); }

bool KeepPacketsArg(const Napi::CallbackInfo& info, size_t index) {
  if (info.Length() <= index || info[index].IsUndefined()) return true;
  if (!info[index].IsBoolean()) throw Napi::TypeError::New(info.Env(), "keepPackets must be a boolean");
  return info[index].As<Napi::Boolean>().Value();
}

uint32_t RoundsArg(const Napi::CallbackInfo& info, size_t index) {
  return info.Length() > index && !info[index].IsUndefined() ? DwordArg(info, index, "rounds") : 1;
}

// eapHostConclude(session, packet): the outcome a transport delivered, in one hop.
Napi::Value Conclude(const Napi::CallbackInfo& info) {
  Bytes packet = BytesArg(info, 1, "packet");
  return CallOn<EapHostSessionResource, ConcludeOut>(
      info, "EapHostPeerProcessReceivedPacket",
      [packet = std::move(packet)](EapHostCall& host, ConcludeOut* out, EapErrorInfo* error) {
        return ConcludeOnHost(host, packet, out, error);
      },
      ConcludeToJs);
}

// eapHostConverse(session, conversation, packet, rounds, keepPackets, knownAnswer): up to
// `rounds` round trips in one hop, the questions `knownAnswer` covers answered on the way. While
// the authenticator's step is its next request (Send) and rounds remain, the peer takes that
// request at once; the rounds passed that way come back in `passed` for JS to account for
// (onPacket, the round-trip bound). A failure of the peer on a passed request is
// `exchangeError`, after the rounds that led to it.
Napi::Value Converse(const Napi::CallbackInfo& info) {
  using Access = ResourceAccess<EapHostSessionResource>;
  static const char kCall[] = "EapHostPeerProcessReceivedPacket";
  std::shared_ptr<EapHostSessionResource> session;
  try {
    session = UnwrapResource<EapHostSessionResource>(info, 0, Access::kHandle);
  } catch (const ReleasedHandle&) {
    return RejectWith(info.Env(), Access::Released(kCall));  // as CallOn refuses it
  }
  auto conversation = UnwrapResource<Conversation>(info, 1, HeldNames<AuthenticatorHost>::kHandle);
  Bytes packet = BytesArg(info, 2, "packet");
  uint32_t rounds = RoundsArg(info, 3);
  bool keepPackets = KeepPacketsArg(info, 4);
  std::shared_ptr<const KnownAnswer> known = KnownAnswerArg(info, 5);
  AddonState* state = &StateOf(info.Env());
  struct Out {
    Bytes request;  // the first request the peer takes: the rounds read it in place
    Rounds rounds;
  };
  return RunPairing<Out>(
      info.Env(), session,
      [state, conversation, packet = std::move(packet), rounds, keepPackets, known](
          Out* out, EapErrorInfo* error, Pairing* pairing) mutable {
        auto peer = Access::Open(*pairing->session, kCall, error);
        if (!peer) return false;
        pairing->peer.emplace(std::move(*peer));
        out->request = std::move(packet);
        out->rounds.keepPackets = keepPackets;
        out->rounds.known = known;
        pairing->trips.emplace(state, conversation, rounds, &out->rounds, out->request, error);
        return true;
      },
      [](Napi::Env env, Out& out) { return RoundsToJs(env, out.rounds); });
}

// The embedded authenticator's start against the pairing's session and, when its first step is
// a request, the peer's rounds from it on: what eapHostBeginConverse and eapHostAuthenticate both
// run and report.
struct PairedStart {
  std::shared_ptr<Conversation> conversation;
  AuthenticatorStep step;
  bool wentOn = false;
  Rounds ahead;

  // Host thread: fails only where authenticatorStart would.
  bool Run(AddonState* state, ConversationStart& start, uint32_t rounds, bool keepPackets,
           std::shared_ptr<const KnownAnswer> known, EapErrorInfo* error, Pairing* pairing) {
    conversation = StartConversation(state, start, &step, error);
    if (!conversation) return false;
    ahead.keepPackets = keepPackets;
    ahead.known = std::move(known);
    wentOn = GoOn(state, conversation, step, rounds, &ahead, pairing);
    return true;
  }

  // JS thread: the step, the conversation's handle, the rounds ahead.
  void ToJs(Napi::Env env, std::vector<napi_value>* parts) {
    parts->push_back(StepToJs(env, step, ahead.keepPackets || !wentOn));
    parts->push_back(WrapResource(env, conversation));
    parts->push_back(wentOn ? RoundsToJs(env, ahead) : env.Undefined());
  }
};

// A whole authentication the job concluded, in WholeToJs's short array (defined below).
Napi::Array WholeToJs(Napi::Env env, PairedStart& paired, Napi::Value endError);

// Whether the peer processed the conversation's outcome into its result within the job.
bool Concluded(const PairedStart& paired) {
  const Rounds& ahead = paired.ahead;
  return paired.wentOn && ahead.finished && !ahead.finalFailed && ahead.final.hasResult;
}

// eapHostBeginConverse(session, methodHandles[], settings, identityResponse, rounds, keepPackets,
// knownAnswer): authenticatorStart, and the peer's rounds from the conversation's first request
// on, in one hop: [step, handle, ahead]. It fails only where authenticatorStart would; the rounds
// (`ahead`, eapHostConverse's shape, the peer's failure on the first request its exchangeError)
// follow when the first step is a request and the session can take it now. With a known answer
// and enough rounds, that is the whole conversation, its outcome's processing by the peer included.
//
// eapHostConverseWhole(the same arguments): as eapHostBeginConverse, but a conversation the peer
// concluded in the job settles as WholeToJs's short array (EndSession's error undefined: the
// caller's session goes on), the conversation closed and its handle never reaching JS; one the
// job did not conclude settles as eapHostBeginConverse's parts, for JS to go on from.
Napi::Value BeginConverseIn(const Napi::CallbackInfo& info, bool whole) {
  auto session = UnwrapResource<EapHostSessionResource>(info, 0, ResourceAccess<EapHostSessionResource>::kHandle);
  ConversationStart start = ConversationStartArgs(info, 1);
  uint32_t rounds = RoundsArg(info, 4);
  bool keepPackets = KeepPacketsArg(info, 5);
  std::shared_ptr<const KnownAnswer> known = KnownAnswerArg(info, 6);
  AddonState* state = &StateOf(info.Env());
  return RunPairing<PairedStart>(
      info.Env(), session,
      [state, start = std::move(start), rounds, keepPackets, known](PairedStart* out, EapErrorInfo* error,
                                                                    Pairing* pairing) mutable {
        return out->Run(state, start, rounds, keepPackets, known, error, pairing);
      },
      [whole](Napi::Env env, PairedStart& out) -> Napi::Value {
        if (whole && Concluded(out)) return WholeToJs(env, out, env.Undefined());
        std::vector<napi_value> parts;
        out.ToJs(env, &parts);
        return OutcomeOf(env, parts);
      });
}

Napi::Value BeginConverse(const Napi::CallbackInfo& info) { return BeginConverseIn(info, false); }
Napi::Value ConverseWhole(const Napi::CallbackInfo& info) { return BeginConverseIn(info, true); }

// A whole authentication the job concluded (the peer processed the outcome into its result)
// and ended, as authenticate() makes its result of it, the rounds' objects left out:
// [outcome (2 Success, 3 Failure: AuthenticatorStep::Kind), the authenticator's result
// attributes, its error, the EAP type it settled on, the identity it named last, the round
// trips (the rounds the job passed, and the one that made the outcome), the peer's result,
// EndSession's error]. The conversation closed in the job: its handle never reaches JS.
Napi::Array WholeToJs(Napi::Env env, PairedStart& paired, Napi::Value endError) {
  Rounds& rounds = paired.ahead;
  if (rounds.closed) MarkReleased(env, *rounds.closed);
  AuthenticatorStep& outcome = rounds.step;
  // As the conversation keeps them step by step: the last step that named one.
  const std::u16string& identity = !outcome.identity.empty()      ? outcome.identity
                                   : !rounds.answeredFor.empty() ? rounds.answeredFor
                                                                  : paired.step.identity;
  eap::BYTE methodType = outcome.methodType != 0 ? outcome.methodType : paired.step.methodType;
  Napi::Value undefined = env.Undefined();
  // The authenticator's attributes and the peer's, in one Buffer.
  const Attributes* lists[] = {&outcome.attributes, &rounds.final.result.attributes};
  Napi::Value attributes[2];
  ToAttributeLists(env, lists, 2, attributes);
  return Outcome(env, {Napi::Number::New(env, static_cast<int>(outcome.kind)), attributes[0],
                       outcome.hasError ? MakeEapError(env, outcome.error) : undefined,
                       Napi::Number::New(env, methodType), ToString(env, identity),
                       Napi::Number::New(env, rounds.passedCount + 1),
                       ResultWithAttributesToJs(env, rounds.final.result, attributes[1]), endError});
}

// eapHostAuthenticate(<eapHostBeginSession's arguments: instance, beginning>, methodHandles[], settings,
// identityResponse, rounds, keepPackets, knownAnswer, endWhenConcluded): EapHostPeerBeginSession,
// then what eapHostBeginConverse does with the new session, in one hop; when the peer processed
// the outcome and has its result (and JS asked), EapHostPeerEndSession too, so a whole authentication with a known
// answer costs one host-thread job, as the C++ loop's does: [session, step, handle, ahead,
// endError]. The session's handle is undefined when the hop ended it. A conversation that fails
// to start ends the session it began, and the call fails with the start's error, as beginning
// the conversation after beginSession would have, before endSession.
//
// eapHostAuthenticateWhole(the same arguments): as eapHostAuthenticate, but an authentication
// the job concluded and ended settles as WholeToJs's short array, with no handle and no step
// object; one the job did not conclude settles as eapHostAuthenticate's, for JS to go on from.
Napi::Value AuthenticateIn(const Napi::CallbackInfo& info, bool whole) {
  constexpr size_t kConversation = 2;  // the first argument after the session's
  SessionBegin begin = SessionBeginArgs(info);
  ConversationStart start = ConversationStartArgs(info, kConversation);
  uint32_t rounds = RoundsArg(info, kConversation + 3);
  bool keepPackets = KeepPacketsArg(info, kConversation + 4);
  std::shared_ptr<const KnownAnswer> known = KnownAnswerArg(info, kConversation + 5);
  if (!info[kConversation + 6].IsBoolean()) throw Napi::TypeError::New(info.Env(), "endWhenConcluded must be a boolean");
  bool endWhenConcluded = info[kConversation + 6].As<Napi::Boolean>().Value();
  AddonState* state = &StateOf(info.Env());
  struct Out {
    BegunSession begun;
    PairedStart paired;
    bool ended = false;
    bool concluded = false;  // ended because the peer had the outcome's result
    bool endFailed = false;
    EapErrorInfo endError;
  };
  return RunPairing<Out>(
      info.Env(), nullptr,
      [state, begin = std::move(begin), start = std::move(start), rounds, keepPackets, known](
          Out* out, EapErrorInfo* error, Pairing* pairing) mutable {
        auto host = ResourceAccess<EapHostInstance>::Open(*begin.instance, "EapHostPeerBeginSession", error);
        if (!host || !BeginSessionOnHost(*host, state, begin, &out->begun, error)) return false;
        pairing->session = out->begun.session;
        return out->paired.Run(state, start, rounds, keepPackets, known, error, pairing);
      },
      [whole](Napi::Env env, Out& out) {
        Napi::Value undefined = env.Undefined();
        if (whole && out.concluded) {
          return WholeToJs(env, out.paired, out.endFailed ? MakeEapError(env, out.endError) : undefined);
        }
        std::vector<napi_value> parts{MakeShaped(env, ResultShape::kSession,
                                                 {out.ended ? undefined : WrapResource(env, out.begun.session),
                                                  Napi::Number::New(env, out.begun.session->id()),
                                                  Napi::Number::New(env, out.begun.token),
                                                  MadeConnectionIdToJs(env, out.begun)})};
        out.paired.ToJs(env, &parts);
        parts.push_back(out.endFailed ? MakeEapError(env, out.endError) : undefined);
        return OutcomeOf(env, parts);
      },
      // An authentication whose outcome the peer processed into its result needs its session no
      // more: it ends here, its handle never reaching JS. A call that fails after the begin (the
      // conversation did not start, or an exception) hands JS no session: it ends here too, and
      // the call reports its own error, not the end's.
      [state, endWhenConcluded](bool ok, Out* out, Pairing*) {
        if (!out->begun.session) return;
        bool concluded = endWhenConcluded && Concluded(out->paired);
        if (ok && !concluded) return;
        EapErrorInfo ignored;
        out->endFailed = !out->begun.session->End(ok ? &out->endError : &ignored);
        Forget(state, out->begun.session);
        out->ended = true;
        out->concluded = ok && concluded;
      });
}

Napi::Value Authenticate(const Napi::CallbackInfo& info) { return AuthenticateIn(info, false); }
Napi::Value AuthenticateWhole(const Napi::CallbackInfo& info) { return AuthenticateIn(info, true); }

// eapHostAnswer(conversation, session, attributes, rounds, keepPackets): the embedded
// authenticator's SetAttributes (the user store's answer to RESPOND); when that makes the
// outcome, the peer processes it in the same hop, and when it makes a request, the peer's
// rounds follow as in eapHostBeginConverse: [answer, ahead]. An authenticator call first: the
// session is only used when it can take the call, so nothing fails here that
// authenticatorSetAttributes alone would not have failed.
Napi::Value Answer(const Napi::CallbackInfo& info) {
  auto session = UnwrapResource<EapHostSessionResource>(info, 1, ResourceAccess<EapHostSessionResource>::kHandle);
  Attributes attributes = AttributesArg(info, 2, "attributes");
  auto conversation = UnwrapResource<Conversation>(info, 0, HeldNames<AuthenticatorHost>::kHandle);
  uint32_t rounds = info.Length() > 3 && !info[3].IsUndefined() ? DwordArg(info, 3, "rounds") : 0;
  bool keepPackets = KeepPacketsArg(info, 4);
  AddonState* state = &StateOf(info.Env());
  struct Out {
    Rounds answer;
    bool wentOn = false;
    Rounds ahead;
  };
  return RunPairing<Out>(
      info.Env(), session,
      [state, conversation, attributes = std::move(attributes), rounds, keepPackets](
          Out* out, EapErrorInfo* error, Pairing* pairing) mutable {
        AuthenticatorHost* authenticator = conversation->Get("AuthenticatorSetAttributes",
                                                             HeldNames<AuthenticatorHost>::kWhat, error);
        out->answer.answered = true;
        bool ok = authenticator != nullptr && authenticator->SetAttributes(attributes, &out->answer.step, error);
        out->answer.stepped = ok;
        for (auto& attribute : attributes) SecureZeroContents(attribute.value);  // passwords
        if (!ok) return false;
        EapErrorInfo unusable;
        auto peer = ResourceAccess<EapHostSessionResource>::Open(*pairing->session, "EapHostPeerProcessReceivedPacket",
                                                                 &unusable);
        ConcludeIfDone(state, peer ? &*peer : nullptr, conversation, *authenticator, &out->answer);
        out->answer.keepPackets = out->ahead.keepPackets = keepPackets;
        out->wentOn = GoOn(state, conversation, out->answer.step, rounds, &out->ahead, pairing);
        out->answer.stepHandedOn = out->wentOn;
        return true;
      },
      [](Napi::Env env, Out& out) {
        return Outcome(env, {RoundsToJs(env, out.answer), out.wentOn ? RoundsToJs(env, out.ahead) : env.Undefined()});
      });
}

}  // namespace

ExportList EapHostConversationExports() {
  return {
      {"eapHostConverse", Converse},
      {"eapHostConclude", Conclude},
      {"eapHostAnswer", Answer},
      {"eapHostBeginConverse", BeginConverse},
      {"eapHostConverseWhole", ConverseWhole},
      {"eapHostAuthenticate", Authenticate},
      {"eapHostAuthenticateWhole", AuthenticateWhole},
  };
}

}  // namespace eaphost
