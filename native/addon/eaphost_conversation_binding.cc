// An in-process conversation (an EAPHost session against the embedded authenticator) in as few
// host-thread jobs as the user store allows: one job starts the conversation and runs the peer
// through every round up to the authenticator's first question (RESPOND), and one job hands the
// store's answer over and runs the rest: the rounds after it and, once the authenticator's step
// is the outcome (Success/Failure), the peer's processing of it and its result. Each part is
// the same code as its single call (eaphost_session_binding.h, eaphost_result_binding.h,
// authenticator_binding.h), and each part's error is reported where the single call would have
// reported it. eapHostConclude is the last part alone, for an outcome any transport delivered.
#include <vector>

#include "../common/secure_zero.h"
#include "authenticator_binding.h"
#include "bindings.h"
#include "eaphost_result_binding.h"
#include "eaphost_session_binding.h"
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

// When the authenticator's step is the outcome: its method session ends, the peer (when there
// is one that can take it) processes the outcome, and the conversation is closed.
void ConcludeIfDone(AddonState* state, EapHostCall* peer, const std::shared_ptr<Conversation>& conversation,
                    AuthenticatorHost& authenticator, Rounds* out) {
  if (!FinishIfDone(authenticator, out->step)) return;
  if (peer != nullptr && !out->step.packet.empty()) {
    out->finished = true;
    out->finalFailed = !ConcludeOnHost(*peer, out->step.packet, &out->final, &out->finalError);
  }
  CloseConcluded(state, conversation);
  out->closed = conversation;
}

// The peer takes `first` (the authenticator's request) and the authenticator its response;
// while the authenticator's step is its next request and fewer than `rounds` rounds went by,
// the peer takes that one at once. The peer's failure on `first` goes to `firstError` (the
// call's own error, or out->exchangeError when the hop began with the authenticator); false
// only when it went to the call's.
bool RunRounds(AddonState* state, EapHostCall& peer, const std::shared_ptr<Conversation>& conversation,
               const Bytes& first, uint32_t rounds, Rounds* out, EapErrorInfo* firstError) {
  const Bytes* request = &first;
  for (uint32_t round = 1;; ++round) {
    EapErrorInfo* error = round == 1 ? firstError : &out->exchangeError;
    // Without onPacket the response is read where EAPHost keeps it: JS never sees it.
    if (!ExchangeOnHost(peer, *request, &out->exchange, error, out->keepPackets)) {
      out->exchangeFailed = error == &out->exchangeError;
      return out->exchangeFailed;
    }
    if (out->exchange.action != eap::EapHostPeerResponseSend) return true;
    out->stepped = true;
    AuthenticatorHost* authenticator =
        conversation->Get("AuthenticatorReceive", HeldNames<AuthenticatorHost>::kWhat, &out->stepError);
    // A next request the peer takes in this hop, with no record for JS, is read where the
    // authenticator keeps it for retransmission: no copy of its own.
    bool handOn = round < rounds && !out->keepPackets;
    if (authenticator == nullptr || !authenticator->Receive(out->exchange.sent, out->exchange.sentSize, &out->step,
                                                           &out->stepError, handOn) ||
        !AnswerKnownQuestions(*authenticator, out->known.get(), &out->step, &out->stepError, &out->answeredFor)) {
      out->stepFailed = true;
      return true;
    }
    if (out->step.kind == AuthenticatorStep::Kind::kSend && round < rounds &&
        (out->step.requestLent || !out->step.packet.empty())) {
      ++out->passedCount;
      if (out->keepPackets) {
        // The request is the peer's next input and JS's record of the round: moved, not copied.
        out->passed.push_back({std::move(out->exchange.packet), std::move(out->step.packet)});
        request = &out->passed.back().request;
      } else {
        request = &authenticator->OutstandingRequest();  // read by the next exchange, before Receive
      }
      out->exchange = ExchangeOut();
      out->step = AuthenticatorStep();
      out->stepped = false;
      continue;
    }
    ConcludeIfDone(state, &peer, conversation, *authenticator, out);
    return true;
  }
}

// After the authenticator's own call made `step`: when that is a request and rounds remain, the
// peer takes it in the same job (RunRounds into `ahead`). A session that cannot take it now
// is left to the next call, which reports why as it always has.
bool GoOn(AddonState* state, EapHostSessionResource& session, const std::shared_ptr<Conversation>& conversation,
          const AuthenticatorStep& step, uint32_t rounds, Rounds* ahead) {
  if (step.kind != AuthenticatorStep::Kind::kSend || rounds == 0 || step.packet.empty()) return false;
  EapErrorInfo unusable;
  auto peer = ResourceAccess<EapHostSessionResource>::Open(session, "EapHostPeerProcessReceivedPacket", &unusable);
  if (!peer) return false;
  RunRounds(state, *peer, conversation, step.packet, rounds, ahead, &ahead->exchangeError);
  return true;
}

// A hop's parts as a short array: elements, unlike named fields added to an object already
// made, take no map transition and no property-name lookup.
Napi::Array Outcome(Napi::Env env, std::initializer_list<napi_value> parts) {
  Napi::Array outcome = Napi::Array::New(env, parts.size());
  uint32_t index = 0;
  for (napi_value part : parts) outcome.Set(index++, part);
  return outcome;
}

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
// `rounds` round trips in one job, the questions `knownAnswer` covers answered on the way. While the authenticator's step is its next request (Send) and rounds remain,
// the peer takes that request at once; the rounds passed that way come back in `passed` for JS
// to account for (onPacket, the round-trip bound). A failure of the peer on a passed request is
// `exchangeError`, after the rounds that led to it.
Napi::Value Converse(const Napi::CallbackInfo& info) {
  auto conversation = UnwrapResource<Conversation>(info, 1, HeldNames<AuthenticatorHost>::kHandle);
  Bytes packet = BytesArg(info, 2, "packet");
  uint32_t rounds = RoundsArg(info, 3);
  bool keepPackets = KeepPacketsArg(info, 4);
  std::shared_ptr<const KnownAnswer> known = KnownAnswerArg(info, 5);
  AddonState* state = &StateOf(info.Env());
  return CallOn<EapHostSessionResource, Rounds>(
      info, "EapHostPeerProcessReceivedPacket",
      [state, conversation, packet = std::move(packet), rounds, keepPackets, known](EapHostCall& host, Rounds* out,
                                                                                    EapErrorInfo* error) {
        out->keepPackets = keepPackets;
        out->known = known;
        return RunRounds(state, host, conversation, packet, rounds, out, error);
      },
      RoundsToJs);
}

// eapHostBeginConverse(session, methodHandles[], settings, identityResponse, rounds, keepPackets,
// knownAnswer): authenticatorStart, and the peer's rounds from the conversation's first request on, in one job:
// [step, handle, ahead]. It fails only where authenticatorStart would; the rounds (`ahead`,
// eapHostConverse's shape, the peer's failure on the first request its exchangeError) follow
// when the first step is a request and the session can take it now. With a known answer and
// enough rounds, that is the whole conversation, its outcome's processing by the peer included.
Napi::Value BeginConverse(const Napi::CallbackInfo& info) {
  auto session = UnwrapResource<EapHostSessionResource>(info, 0, ResourceAccess<EapHostSessionResource>::kHandle);
  ConversationStart start = ConversationStartArgs(info, 1);
  uint32_t rounds = RoundsArg(info, 4);
  bool keepPackets = KeepPacketsArg(info, 5);
  std::shared_ptr<const KnownAnswer> known = KnownAnswerArg(info, 6);
  AddonState* state = &StateOf(info.Env());
  struct Out {
    std::shared_ptr<Conversation> conversation;
    AuthenticatorStep step;
    bool wentOn = false;
    Rounds ahead;
  };
  return RunOnHost<Out>(
      info.Env(),
      [state, session, start = std::move(start), rounds, keepPackets, known](Out* out, EapErrorInfo* error) mutable {
        out->conversation = StartConversation(state, start, &out->step, error);
        if (!out->conversation) return false;
        out->ahead.keepPackets = keepPackets;
        out->ahead.known = known;
        out->wentOn = GoOn(state, *session, out->conversation, out->step, rounds, &out->ahead);
        return true;
      },
      [](Napi::Env env, Out& out) {
        return Outcome(env, {StepToJs(env, out.step, out.ahead.keepPackets || !out.wentOn), WrapResource(env, out.conversation),
                             out.wentOn ? RoundsToJs(env, out.ahead) : env.Undefined()});
      });
}

// eapHostAnswer(conversation, session, attributes, rounds, keepPackets): the embedded
// authenticator's SetAttributes (the user store's answer to RESPOND); when that makes the
// outcome, the peer processes it in the same job, and when it makes a request, the peer's
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
  return RunOnHost<Out>(
      info.Env(),
      [state, conversation, session, attributes = std::move(attributes), rounds, keepPackets](
          Out* out, EapErrorInfo* error) mutable {
        AuthenticatorHost* authenticator = conversation->Get("AuthenticatorSetAttributes",
                                                             HeldNames<AuthenticatorHost>::kWhat, error);
        out->answer.answered = true;
        bool ok = authenticator != nullptr && authenticator->SetAttributes(attributes, &out->answer.step, error);
        out->answer.stepped = ok;
        for (auto& attribute : attributes) SecureZeroContents(attribute.value);  // passwords
        if (!ok) return false;
        EapErrorInfo unusable;
        auto peer = ResourceAccess<EapHostSessionResource>::Open(*session, "EapHostPeerProcessReceivedPacket", &unusable);
        ConcludeIfDone(state, peer ? &*peer : nullptr, conversation, *authenticator, &out->answer);
        out->answer.keepPackets = out->ahead.keepPackets = keepPackets;
        out->wentOn = GoOn(state, *session, conversation, out->answer.step, rounds, &out->ahead);
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
  };
}

}  // namespace eaphost
