// The embedded authenticator's conversations as every binding that starts or steps one shares
// them (conversation_binding.cc, the RADIUS lane): the start's arguments, the start itself, a
// step as JS sees it, and the close of a conversation whose outcome the same job reached.

#include "../common/secure_zero.h"
#include "authenticator_binding.h"
#include "bindings.h"
#include "js_convert.h"
#include "method_resources.h"

namespace eaphost {

namespace {

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

}  // namespace

ConversationStart ConversationStartOf(Napi::Env env, Napi::Value methods, Napi::Value settings,
                                      Napi::Value identityResponse) {
  ConversationStart start;
  ReadMethods(env, methods, &start);
  if (settings.IsObject()) {
    Napi::Object options = settings.As<Napi::Object>();
    ReadSettings(options, &start.config, &start.stepsAside);
    ReadConnectionData(env, GetField(options, "connectionData"), &start.config);
  }
  start.identityResponse = BytesValue(env, identityResponse, "identityResponse");
  return start;
}

namespace {

// What a ConversationAuthenticator object holds natively once read: its start without the
// connection data, and whether there is any to read at each start.
struct BoundAuthenticator {
  ConversationStart start;
  bool hasConnectionData = false;
};

BoundAuthenticator* BindAuthenticator(Napi::Env env, Napi::Object object) {
  auto bound = std::make_unique<BoundAuthenticator>();
  bound->start = ConversationStartOf(env, GetField(object, "methods"), GetField(object, "settings"), env.Undefined());
  Napi::Value users = GetField(object, "users");
  if (!users.IsUndefined()) bound->start.users = std::make_shared<const KnownAnswerTable>(KnownAnswerTableValue(env, users));
  for (Bytes& data : bound->start.config.connectionData) {
    bound->hasConnectionData = bound->hasConnectionData || !data.empty();
    SecureZeroContents(data);
  }
  bound->start.config.connectionData.clear();
  napi_status status = napi_wrap(
      env, object, bound.get(), [](napi_env, void* data, void*) { delete static_cast<BoundAuthenticator*>(data); },
      nullptr, nullptr);
  if (status != napi_ok) throw Napi::TypeError::New(env, "authenticator cannot hold its native part");
  return bound.release();
}

}  // namespace

ConversationStart ConversationStartFrom(Napi::Env env, Napi::Value authenticator, Napi::Value identityResponse) {
  if (!authenticator.IsObject() || authenticator.IsArray()) {
    throw Napi::TypeError::New(env, "authenticator must be { methods, settings }");
  }
  Napi::Object object = authenticator.As<Napi::Object>();
  void* held = nullptr;
  auto* bound = napi_unwrap(env, object, &held) == napi_ok && held != nullptr ? static_cast<BoundAuthenticator*>(held)
                                                                              : BindAuthenticator(env, object);
  ConversationStart start = bound->start;
  if (bound->hasConnectionData) {
    Napi::Value settings = GetField(object, "settings");
    if (settings.IsObject()) ReadConnectionData(env, GetField(settings.As<Napi::Object>(), "connectionData"), &start.config);
  }
  start.identityResponse = BytesValue(env, identityResponse, "identityResponse");
  return start;
}

std::shared_ptr<AuthenticatorHostResource> StartConversation(AddonState* state, ConversationStart& start,
                                                             AuthenticatorStep* step, EapErrorInfo* error) {
  for (auto& resource : start.methods) {
    if (resource->Get("createAuthenticator", "authenticator method", error) == nullptr) return nullptr;
    start.config.methods.push_back(resource->holder());
  }
  auto host = std::make_shared<AuthenticatorHostResource>(std::make_unique<AuthenticatorHost>(std::move(start.config)));
  host->stepsAside = start.stepsAside;
  host->users = std::move(start.users);
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

void WriteStep(Napi::Env env, AuthenticatorStepWriter out, const AuthenticatorStep& step, bool withPacket, size_t at) {
  static const char* const kKinds[] = {"send", "respond", "success", "failure", "discard"};
  out.kind(PropertyKey(env, kKinds[static_cast<int>(step.kind)]));
  if (!step.packet.empty() && withPacket) out.packet(ToBuffer(env, step.packet));
  out.timeoutMs(step.timeoutMs);
  out.identity(ToString(env, step.identity));
  out.attributes(at, step.attributes.size());
  out.failureReason(step.failureReason);
  out.methodType(step.methodType);
  if (step.hasError) out.error(step.error);
}

bool FinishIfDone(AuthenticatorHost& host, const AuthenticatorStep& step) {
  if (step.kind != AuthenticatorStep::Kind::kSuccess && step.kind != AuthenticatorStep::Kind::kFailure) return false;
  EapErrorInfo ignored;
  host.End(&ignored);
  return true;
}

}  // namespace eaphost
