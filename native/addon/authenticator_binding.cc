// Bindings for the authenticator host: the embedded EAP authenticator. JS owns the clock
// (retransmission timers) and the user store; this side owns the protocol.
#include "../common/secure_zero.h"
#include "authenticator_binding.h"
#include "bindings.h"
#include "js_convert.h"
#include "known_answer.h"
#include "method_resources.h"

namespace eaphost {

namespace {

using Host = AuthenticatorHostResource;

// A step on a conversation. One whose outcome it reaches is closed in the same job
// (CloseConcluded), so its release costs no job of its own. The questions the conversation's
// known answer covers (`handed` with this call, or with an earlier one) are answered in the
// same job; the identity asked about goes with the step JS sees, as the question would have
// brought it.
template <typename Call>
Napi::Value OnHost(const Napi::CallbackInfo& info, const char* call, Call body,
                   std::shared_ptr<const KnownAnswer> handed = nullptr) {
  auto conversation = UnwrapResource<Host>(info, 0, HeldNames<AuthenticatorHost>::kHandle);
  AddonState* state = &StateOf(info.Env());
  struct Out {
    AuthenticatorStep step;
    std::shared_ptr<Host> closed;
    std::u16string answeredFor;
  };
  return RunOnHost<Out>(
      info.Env(),
      [state, conversation, call, body = std::move(body), handed = std::move(handed)](Out* out,
                                                                                      EapErrorInfo* error) mutable {
        AuthenticatorHost* host = conversation->Get(call, HeldNames<AuthenticatorHost>::kWhat, error);
        if (host == nullptr) return false;
        if (handed) conversation->known = std::move(handed);
        if (!body(host, &out->step, error) ||
            !AnswerKnownQuestions(*host, conversation->known.get(), &out->step, error, &out->answeredFor)) {
          return false;
        }
        if (FinishIfDone(*host, out->step)) {
          CloseConcluded(state, conversation);
          out->closed = conversation;
        }
        return true;
      },
      [](Napi::Env env, Out& out) {
        if (out.closed) MarkReleased(env, *out.closed);
        if (out.step.identity.empty()) out.step.identity = std::move(out.answeredFor);
        return StepToJs(env, out.step);
      });
}

// authenticatorStart(methodHandles[], options, identityResponse, knownAnswer): Create and Begin
// in one hop; the conversation keeps the known answer for its steps.
Napi::Value Start(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  ConversationStart start = ConversationStartArgs(info, 0);
  std::shared_ptr<const KnownAnswer> known = KnownAnswerArg(info, 3);
  AddonState* state = &StateOf(env);
  struct Out {
    std::shared_ptr<Host> host;
    AuthenticatorStep step;
  };
  return RunOnHost<Out>(
      env,
      [state, start = std::move(start), known = std::move(known)](Out* out, EapErrorInfo* error) mutable {
        out->host = StartConversation(state, start, &out->step, error);
        if (out->host != nullptr) out->host->known = std::move(known);
        return out->host != nullptr;
      },
      [](Napi::Env jsEnv, Out& out) {
        Napi::Object result = StepToJs(jsEnv, out.step).As<Napi::Object>();
        SetField(result, "handle", WrapResource(jsEnv, out.host));
        return result;
      });
}

// authenticatorReceive(conversation, response, knownAnswer): knownAnswer, when given, is kept
// for this step and the rest (a conversation that began without the peer's identity learns it
// from this response).
Napi::Value Receive(const Napi::CallbackInfo& info) {
  Bytes response = BytesArg(info, 1, "response");
  std::shared_ptr<const KnownAnswer> known = KnownAnswerArg(info, 2);
  return OnHost(
      info, "AuthenticatorReceive",
      [response = std::move(response)](AuthenticatorHost* h, AuthenticatorStep* s, EapErrorInfo* e) {
        return h->Receive(response, s, e);
      },
      std::move(known));
}

Napi::Value SetAttributes(const Napi::CallbackInfo& info) {
  Attributes attributes = AttributesArg(info, 1, "attributes");
  return OnHost(info, "AuthenticatorSetAttributes",
                [attributes = std::move(attributes)](AuthenticatorHost* h, AuthenticatorStep* s, EapErrorInfo* e) mutable {
                  bool ok = h->SetAttributes(attributes, s, e);
                  for (auto& a : attributes) SecureZeroContents(a.value);  // passwords
                  return ok;
                });
}

Napi::Value Timeout(const Napi::CallbackInfo& info) {
  return OnHost(info, "AuthenticatorTimeout",
                [](AuthenticatorHost* h, AuthenticatorStep* s, EapErrorInfo* e) { return h->Timeout(s, e); });
}

Napi::Value End(const Napi::CallbackInfo& info) {
  return OnHost(info, "AuthenticatorEnd", [](AuthenticatorHost* h, AuthenticatorStep*, EapErrorInfo* e) { return h->End(e); });
}

}  // namespace

namespace {

// What every conversation of one authenticator starts from but the methods' configuration: read
// once (authenticatorStartProfile) instead of from the methods array and the settings object for
// every conversation. It holds no secret (the connection data, a TLS key perhaps, is still read
// from the settings for each conversation, so JS wipes the only copy at close) and owns no
// module: a module closed since is refused as a closed handle is. It refers to nothing of JS's
// either, so the External's finalizer only deletes it, on any Node version.
struct StartProfile {
  std::vector<std::weak_ptr<AuthenticatorMethodResource>> methods;
  AuthenticatorConfig config;
  bool stepsAside = false;
};

const napi_type_tag kStartProfileTag = {0x6561'7068'6f73'7431ull, 0x5374'6172'7450'7266ull};

StartProfile* StartProfileOf(Napi::Env env, Napi::Value value) {
  bool tagged = false;
  if (napi_check_object_type_tag(env, value, &kStartProfileTag, &tagged) != napi_ok || !tagged) return nullptr;
  return value.As<Napi::External<StartProfile>>().Data();
}

void ReadMethods(Napi::Env env, Napi::Value value, ConversationStart* start) {
  if (!value.IsArray()) throw Napi::TypeError::New(env, "methods must be an array of authenticator method handles");
  Napi::Array methods = value.As<Napi::Array>();
  for (uint32_t i = 0; i < methods.Length(); ++i) {
    Napi::Value item = methods.Get(i);
    try {
      start->methods.push_back(UnwrapResource<AuthenticatorMethodResource>(env, item, "authenticator method handles"));
    } catch (ReleasedHandle& released) {
      // Every binding that starts a conversation refuses a closed module as the start itself does.
      released.call = "authenticatorStart";
      throw;
    }
  }
}

// Per-method configuration, parallel to the method handles.
void ReadConnectionData(Napi::Env env, Napi::Value data, AuthenticatorConfig* config) {
  if (!data.IsArray()) return;
  Napi::Array list = data.As<Napi::Array>();
  for (uint32_t i = 0; i < list.Length(); ++i) {
    Napi::Value item = list.Get(i);
    if (item.IsUndefined() || item.IsNull()) {
      config->connectionData.emplace_back();
    } else if (item.IsBuffer()) {
      auto buffer = item.As<Napi::Buffer<uint8_t>>();
      config->connectionData.emplace_back(buffer.Data(), buffer.Data() + buffer.Length());
    } else {
      throw Napi::TypeError::New(env, "connectionData must be an array of Buffers");
    }
  }
}

// The settings but the connection data: what a start profile keeps.
void ReadSettings(Napi::Object options, AuthenticatorConfig* config, bool* stepsAside) {
  auto read = [&](const char* key, eap::DWORD* target) {
    Napi::Value v = GetField(options, key);  // key: one of the literals below
    if (v.IsNumber()) *target = v.As<Napi::Number>().Uint32Value();
  };
  read("maxSendPacketSize", &config->maxSendPacketSize);
  read("retransmitTimeoutMs", &config->retransmitTimeoutMs);
  read("maxRetransmits", &config->maxRetransmits);
  *stepsAside = GetField(options, "stepsAside").ToBoolean().Value();
}

// A start from a profile: its modules, each still open, and its settings.
void StartFromProfile(const StartProfile& profile, ConversationStart* start) {
  for (const auto& weak : profile.methods) {
    std::shared_ptr<AuthenticatorMethodResource> method = weak.lock();
    if (!method || method->released) throw ReleasedHandle{&ResourceAccess<AuthenticatorMethodResource>::Released, "authenticatorStart"};
    start->methods.push_back(std::move(method));
  }
  start->config.maxSendPacketSize = profile.config.maxSendPacketSize;
  start->config.retransmitTimeoutMs = profile.config.retransmitTimeoutMs;
  start->config.maxRetransmits = profile.config.maxRetransmits;
  start->stepsAside = profile.stepsAside;
}

}  // namespace

ConversationStart ConversationStartArgs(const Napi::CallbackInfo& info, size_t first) {
  Napi::Env env = info.Env();
  ConversationStart start;
  const StartProfile* profile = info[first].IsExternal() ? StartProfileOf(env, info[first]) : nullptr;
  if (profile != nullptr) {
    StartFromProfile(*profile, &start);
  } else {
    ReadMethods(env, info[first], &start);
  }
  if (info[first + 1].IsObject()) {
    Napi::Object options = info[first + 1].As<Napi::Object>();
    if (profile == nullptr) ReadSettings(options, &start.config, &start.stepsAside);
    ReadConnectionData(env, GetField(options, "connectionData"), &start.config);
  }
  start.identityResponse = BytesArg(info, first + 2, "identityResponse");
  return start;
}

namespace {

// authenticatorStartProfile(methodHandles[], settings): what ConversationStartArgs reads of both
// but the connection data, once, as an External that any binding taking them takes in the
// methods' place (of the settings beside it, only the connection data is then read).
Napi::Value StartProfileOfArgs(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  ConversationStart start;
  ReadMethods(env, info[0], &start);
  auto profile = std::make_unique<StartProfile>();
  for (const auto& method : start.methods) profile->methods.push_back(method);
  if (info[1].IsObject()) {
    Napi::Object options = info[1].As<Napi::Object>();
    ReadSettings(options, &profile->config, &profile->stepsAside);
    // Checked now, as a start would check it.
    AuthenticatorConfig checked;
    ReadConnectionData(env, GetField(options, "connectionData"), &checked);
    for (auto& bytes : checked.connectionData) SecureZeroContents(bytes);
  }
  auto made = Napi::External<StartProfile>::New(env, profile.get(), [](Napi::Env, StartProfile* gone) { delete gone; });
  profile.release();  // the External's now
  if (napi_type_tag_object(env, made, &kStartProfileTag) != napi_ok) throw Napi::Error::New(env, "cannot tag a start profile");
  return made;
}

}  // namespace

std::shared_ptr<AuthenticatorHostResource> StartConversation(AddonState* state, ConversationStart& start,
                                                             AuthenticatorStep* step, EapErrorInfo* error) {
  for (auto& resource : start.methods) {
    if (resource->Get("createAuthenticator", "authenticator method", error) == nullptr) return nullptr;
    start.config.methods.push_back(resource->holder());
  }
  auto host = std::make_shared<AuthenticatorHostResource>(std::make_unique<AuthenticatorHost>(std::move(start.config)));
  host->stepsAside = start.stepsAside;
  Track(state, host);
  if (host->Get("AuthenticatorBegin", "authenticator conversation", error)->Begin(start.identityResponse, step, error)) {
    return host;
  }
  state->live.erase(host);  // JS never sees a handle for it
  return nullptr;
}

void CloseConcluded(AddonState* state, const std::shared_ptr<AuthenticatorHostResource>& conversation) {
  conversation->Close();
  state->live.erase(conversation);
}

Napi::Value StepToJs(Napi::Env env, AuthenticatorStep& step, bool withPacket) {
  static const char* const kKinds[] = {"send", "respond", "success", "failure", "discard"};
  Napi::Object out = MakeShaped(env, ResultShape::kStep,
                                {PropertyKey(env, kKinds[static_cast<int>(step.kind)]),
                                 step.packet.empty() || !withPacket ? env.Undefined() : ToBuffer(env, step.packet),
                                 Napi::Number::New(env, step.timeoutMs), ToString(env, step.identity),
                                 ToAttributes(env, step.attributes), Napi::Number::New(env, step.failureReason),
                                 Napi::Number::New(env, step.methodType)});
  if (step.hasError) SetField(out, "error", MakeEapError(env, step.error));
  return out;
}

bool FinishIfDone(AuthenticatorHost& host, const AuthenticatorStep& step) {
  if (step.kind != AuthenticatorStep::Kind::kSuccess && step.kind != AuthenticatorStep::Kind::kFailure) return false;
  EapErrorInfo ignored;
  host.End(&ignored);
  return true;
}

ExportList AuthenticatorExports() {
  return {
      {"authenticatorStart", Start},
      {"authenticatorStartProfile", StartProfileOfArgs},
      {"authenticatorReceive", Receive},
      {"authenticatorSetAttributes", SetAttributes},
      {"authenticatorTimeout", Timeout},
      {"authenticatorEnd", End},
  };
}

}  // namespace eaphost
