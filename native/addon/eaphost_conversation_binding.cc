// One round trip of an in-process conversation (an EAPHost session against the embedded
// authenticator) in one host-thread job: the peer processes the request and makes its
// response, the authenticator takes the response and makes its next step, and when that step
// is the outcome (Success/Failure) the peer processes it and its result is read. authenticate()
// would otherwise pay four trips to the host thread (and four JS turns) for the same calls.
// Each part is the same code as its single call (eaphost_session_binding.h,
// eaphost_result_binding.h, authenticator_binding.h), and each part's error is reported where
// the single call would have reported it. eapHostConclude is the last part alone, for an
// outcome any transport delivered.
#include <vector>

#include "../common/secure_zero.h"
#include "authenticator_binding.h"
#include "bindings.h"
#include "eaphost_result_binding.h"
#include "eaphost_session_binding.h"
#include "js_convert.h"
#include "method_resources.h"

namespace eaphost {

namespace {

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

struct ConverseOut {
  std::vector<PassedRound> passed;
  bool exchangeFailed = false;  // a passed round's request failed at the peer
  EapErrorInfo exchangeError;
  ExchangeOut exchange;
  bool stepped = false;  // the authenticator took the response
  AuthenticatorStep step;
  bool stepFailed = false;
  EapErrorInfo stepError;
  bool answered = false;  // eapHostAnswer's: no exchange of the peer's, the step always taken
  bool finished = false;  // the peer processed the outcome
  bool finalFailed = false;
  EapErrorInfo finalError;
  ConcludeOut final;
};

// Every part the hop reached, the rest undefined: eapHostConverse and eapHostAnswer report
// the same shape (eapHostAnswer starts at the authenticator's step).
Napi::Value ConverseToJs(Napi::Env env, ConverseOut& out) {
  Napi::Value undefined = env.Undefined();
  Napi::Value passed = undefined;
  if (!out.passed.empty()) {
    Napi::Array rounds = Napi::Array::New(env, out.passed.size());
    for (size_t i = 0; i < out.passed.size(); ++i) {
      Napi::Object round = Napi::Object::New(env);
      SetField(round, "response", ToBuffer(env, out.passed[i].response));
      SetField(round, "request", ToBuffer(env, out.passed[i].request));
      rounds.Set(static_cast<uint32_t>(i), round);
    }
    passed = rounds;
  }
  bool sent = out.exchange.action == eap::EapHostPeerResponseSend;
  return MakeShaped(
      env, ResultShape::kConverse,
      {out.answered ? undefined : Napi::Number::New(env, out.exchange.action),
       sent ? ToBuffer(env, out.exchange.packet) : undefined, passed,
       out.exchangeFailed ? MakeEapError(env, out.exchangeError) : undefined,
       !out.stepFailed && out.stepped ? StepToJs(env, out.step) : undefined,
       out.stepFailed ? MakeEapError(env, out.stepError) : undefined,
       out.finished && !out.finalFailed ? ConcludeToJs(env, out.final) : undefined,
       out.finished && out.finalFailed ? MakeEapError(env, out.finalError) : undefined});
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

// eapHostConverse(session, conversation, packet, rounds): up to `rounds` round trips in one
// job. While the authenticator's step is its next request (Send) and rounds remain, the peer
// takes that request at once; the rounds passed that way come back in `passed` for JS to
// account for (onPacket, the round-trip bound). A failure of the peer on a passed request is
// `exchangeError`, after the rounds that led to it.
Napi::Value Converse(const Napi::CallbackInfo& info) {
  auto conversation = UnwrapResource<AuthenticatorHostResource>(info, 1, HeldNames<AuthenticatorHost>::kHandle);
  Bytes packet = BytesArg(info, 2, "packet");
  uint32_t rounds = info.Length() > 3 && !info[3].IsUndefined() ? DwordArg(info, 3, "rounds") : 1;
  return CallOn<EapHostSessionResource, ConverseOut>(
      info, "EapHostPeerProcessReceivedPacket",
      [conversation, packet = std::move(packet), rounds](EapHostCall& host, ConverseOut* out, EapErrorInfo* error) {
        const Bytes* request = &packet;
        for (uint32_t round = 1;; ++round) {
          if (!ExchangeOnHost(host, *request, &out->exchange, round == 1 ? error : &out->exchangeError)) {
            out->exchangeFailed = round > 1;
            return round > 1;
          }
          if (out->exchange.action != eap::EapHostPeerResponseSend) return true;
          out->stepped = true;
          AuthenticatorHost* authenticator = conversation->Get("AuthenticatorReceive",
                                                               HeldNames<AuthenticatorHost>::kWhat, &out->stepError);
          if (authenticator == nullptr || !authenticator->Receive(out->exchange.packet, &out->step, &out->stepError)) {
            out->stepFailed = true;
            return true;
          }
          if (out->step.kind == AuthenticatorStep::Kind::kSend && round < rounds && !out->step.packet.empty()) {
            // The request is the peer's next input and JS's record of the round: moved, not copied.
            out->passed.push_back({std::move(out->exchange.packet), std::move(out->step.packet)});
            request = &out->passed.back().request;
            out->exchange = ExchangeOut();
            out->step = AuthenticatorStep();
            out->stepped = false;
            continue;
          }
          if (FinishIfDone(*authenticator, out->step) && !out->step.packet.empty()) {
            out->finished = true;
            out->finalFailed = !ConcludeOnHost(host, out->step.packet, &out->final, &out->finalError);
          }
          return true;
        }
      },
      ConverseToJs);
}

// eapHostAnswer(conversation, session, attributes): the embedded authenticator's
// SetAttributes (the user store's answer to RESPOND); when that makes the outcome, the peer
// processes it in the same job, as eapHostConverse does. An authenticator call first: the
// session is only used when it can take the call, so nothing fails here that
// authenticatorSetAttributes alone would not have failed.
Napi::Value Answer(const Napi::CallbackInfo& info) {
  auto session = UnwrapResource<EapHostSessionResource>(info, 1, ResourceAccess<EapHostSessionResource>::kHandle);
  Attributes attributes = AttributesArg(info, 2, "attributes");
  auto conversation = UnwrapResource<AuthenticatorHostResource>(info, 0, HeldNames<AuthenticatorHost>::kHandle);
  return RunOnHost<ConverseOut>(
      info.Env(),
      [conversation, session, attributes = std::move(attributes)](ConverseOut* out, EapErrorInfo* error) mutable {
        AuthenticatorHost* authenticator = conversation->Get("AuthenticatorSetAttributes",
                                                             HeldNames<AuthenticatorHost>::kWhat, error);
        out->answered = true;
        bool ok = authenticator != nullptr && authenticator->SetAttributes(attributes, &out->step, error);
        out->stepped = ok;
        for (auto& attribute : attributes) SecureZeroContents(attribute.value);  // passwords
        if (!ok) return false;
        EapErrorInfo unusable;
        auto peer = ResourceAccess<EapHostSessionResource>::Open(*session, "EapHostPeerProcessReceivedPacket", &unusable);
        if (FinishIfDone(*authenticator, out->step) && peer && !out->step.packet.empty()) {
          out->finished = true;
          out->finalFailed = !ConcludeOnHost(*peer, out->step.packet, &out->final, &out->finalError);
        }
        return true;
      },
      ConverseToJs);
}

}  // namespace

ExportList EapHostConversationExports() {
  return {
      {"eapHostConverse", Converse},
      {"eapHostConclude", Conclude},
      {"eapHostAnswer", Answer},
  };
}

}  // namespace eaphost
