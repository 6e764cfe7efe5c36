// The conversation driver's calls: conversationBegin, conversationRun, conversationEnd, each
// taking one argument object and settling one named result (contract.h's Conversation* structs).
// A conversation is the embedded authenticator's; the caller's transport is its peer. Each call
// is one host-thread job that steps the authenticator until it needs JavaScript: a request to
// deliver ('transport'), a question for the user store its known answer does not cover
// ('answer'), a response it ignored and a retransmission timer to wait for ('discard'), or its
// outcome ('outcome', which closes it in the same job).
#include <optional>

#include "../common/secure_zero.h"
#include "authenticator_binding.h"
#include "bindings.h"
#include "contract.h"
#include "js_convert.h"
#include "known_answer.h"
#include "method_resources.h"

namespace eaphost {

namespace {

using Conversation = AuthenticatorHostResource;

const char* StoppedFor(const AuthenticatorStep& step) {
  switch (step.kind) {
    case AuthenticatorStep::Kind::kSend:
      return "transport";
    case AuthenticatorStep::Kind::kRespond:
      return "answer";
    case AuthenticatorStep::Kind::kDiscard:
      return "discard";
    default:
      return "outcome";
  }
}

Napi::Object ObjectArg(const Napi::CallbackInfo& info, const char* call) {
  if (info.Length() < 1 || !info[0].IsObject()) {
    throw Napi::TypeError::New(info.Env(), std::string(call) + " takes one argument object");
  }
  return info[0].As<Napi::Object>();
}

ConversationBeginArgs ReadBeginArgs(Napi::Env env, Napi::Object object) {
  ConversationBeginArgs args;
  args.methods = object.Get("methods");
  args.settings = object.Get("settings");
  args.identityResponse = object.Get("identityResponse");
  args.knownAnswer = object.Get("knownAnswer");
  (void)env;
  return args;
}

ConversationRunArgs ReadRunArgs(Napi::Env env, Napi::Object object) {
  ConversationRunArgs args;
  args.conversation = object.Get("conversation");
  Napi::Value response = object.Get("response");
  if (!response.IsUndefined()) args.response = BytesValue(env, response, "response");
  Napi::Value answer = object.Get("answer");
  if (!answer.IsUndefined()) args.answer = AttributesValue(env, answer, "answer");
  args.timeout = object.Get("timeout").ToBoolean().Value();
  args.knownAnswer = object.Get("knownAnswer");
  int given = (args.response ? 1 : 0) + (args.answer ? 1 : 0) + (args.timeout ? 1 : 0);
  if (given != 1) {
    if (args.answer) for (auto& attribute : *args.answer) SecureZeroContents(attribute.value);
    throw Napi::TypeError::New(env, "conversationRun takes exactly one of response, answer and timeout");
  }
  return args;
}

// What a job hands back: the step where the conversation stopped, and the conversation when
// that step closed it (its handle is marked released on settling).
struct Stop {
  AuthenticatorStep step;
  std::shared_ptr<Conversation> closed;
  std::u16string answeredFor;
};

// Host thread: the questions the known answer covers answered, an outcome closing the
// conversation in the same job.
bool StepOn(AddonState* state, const std::shared_ptr<Conversation>& conversation, AuthenticatorHost& host, Stop* out,
            EapErrorInfo* error) {
  if (!AnswerKnownQuestions(host, conversation->known.get(), &out->step, error, &out->answeredFor)) return false;
  if (FinishIfDone(host, out->step)) {
    CloseConcluded(state, conversation);
    out->closed = conversation;
  }
  return true;
}

Napi::Value StopToJs(Napi::Env env, Stop& out, Napi::Value conversation) {
  if (out.closed) MarkReleased(env, *out.closed);
  // The identity asked about goes with the step JS sees, as the question would have brought it.
  if (out.step.identity.empty()) out.step.identity = std::move(out.answeredFor);
  Napi::Object result = Napi::Object::New(env);
  if (!conversation.IsEmpty()) SetField(result, "conversation", conversation);
  SetField(result, "stopped", PropertyKey(env, StoppedFor(out.step)));
  SetField(result, "step", StepToJs(env, out.step));
  return result;
}

// conversationBegin({ methods, settings, identityResponse?, knownAnswer? }): the conversation
// created and begun; it keeps the known answer for its steps.
Napi::Value Begin(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  ConversationBeginArgs args = ReadBeginArgs(env, ObjectArg(info, "conversationBegin"));
  ConversationStart start = ConversationStartOf(env, args.methods, args.settings, args.identityResponse);
  std::shared_ptr<const KnownAnswer> known = KnownAnswerOf(env, args.knownAnswer);
  AddonState* state = &StateOf(env);
  struct Out {
    std::shared_ptr<Conversation> conversation;
    Stop stop;
  };
  return RunOnHost<Out>(
      env,
      [state, start = std::move(start), known = std::move(known)](Out* out, EapErrorInfo* error) mutable {
        out->conversation = StartConversation(state, start, &out->stop.step, error);
        if (out->conversation == nullptr) return false;
        out->conversation->known = std::move(known);
        AuthenticatorHost* host = out->conversation->Get("AuthenticatorBegin", HeldNames<AuthenticatorHost>::kWhat, error);
        return host != nullptr && StepOn(state, out->conversation, *host, &out->stop, error);
      },
      [](Napi::Env jsEnv, Out& out) { return StopToJs(jsEnv, out.stop, WrapResource(jsEnv, out.conversation)); });
}

// conversationRun({ conversation, response | answer | timeout, knownAnswer? }): the peer's
// response, the user store's answer, or the retransmission timer, handed to the authenticator.
// A known answer given here is kept for this step and the rest (a conversation that began
// without the peer's identity learns it from a response).
Napi::Value Run(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  ConversationRunArgs args = ReadRunArgs(env, ObjectArg(info, "conversationRun"));
  std::shared_ptr<const KnownAnswer> known;
  try {
    known = KnownAnswerOf(env, args.knownAnswer);
  } catch (...) {
    if (args.answer) for (auto& attribute : *args.answer) SecureZeroContents(attribute.value);
    throw;
  }
  auto conversation = UnwrapResource<Conversation>(env, args.conversation, HeldNames<AuthenticatorHost>::kHandle);
  AddonState* state = &StateOf(env);
  return RunOnHost<Stop>(
      env,
      [state, conversation, args = std::move(args), known = std::move(known)](Stop* out, EapErrorInfo* error) mutable {
        const char* call = args.response ? "AuthenticatorReceive"
                           : args.answer ? "AuthenticatorSetAttributes"
                                         : "AuthenticatorTimeout";
        AuthenticatorHost* host = conversation->Get(call, HeldNames<AuthenticatorHost>::kWhat, error);
        bool ok = host != nullptr;
        if (ok && known) conversation->known = std::move(known);
        if (ok && args.response) ok = host->Receive(*args.response, &out->step, error);
        if (ok && args.answer) ok = host->SetAttributes(*args.answer, &out->step, error);
        if (ok && args.timeout) ok = host->Timeout(&out->step, error);
        if (args.answer) for (auto& attribute : *args.answer) SecureZeroContents(attribute.value);  // passwords
        return ok && StepOn(state, conversation, *host, out, error);
      },
      [](Napi::Env jsEnv, Stop& out) { return StopToJs(jsEnv, out, Napi::Value()); });
}

// conversationEnd({ conversation }): the authenticator's method session ended before its
// outcome (an abort, a closed transport); the handle is released by JS after.
Napi::Value End(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  Napi::Object object = ObjectArg(info, "conversationEnd");
  ConversationEndArgs args;
  args.conversation = object.Get("conversation");
  auto conversation = UnwrapResource<Conversation>(env, args.conversation, HeldNames<AuthenticatorHost>::kHandle);
  return RunOnHost<bool>(
      env,
      [conversation](bool*, EapErrorInfo* error) {
        AuthenticatorHost* host = conversation->Get("AuthenticatorEnd", HeldNames<AuthenticatorHost>::kWhat, error);
        return host != nullptr && host->End(error);
      },
      SettleNothing);
}

}  // namespace

ExportList ConversationExports() {
  return {
      {"conversationBegin", Begin},
      {"conversationRun", Run},
      {"conversationEnd", End},
  };
}

}  // namespace eaphost
