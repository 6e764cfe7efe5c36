// Bindings that drive an authenticator method module directly by the documented
// authenticator call sequence.
#include "../common/utf16.h"
#include "js_convert.h"
#include "method_resources.h"

namespace eaphost {

namespace {

using Session = AuthenticatorSessionResource;

template <typename Out, typename Call>
Napi::Value OnSession(const Napi::CallbackInfo& info, const char* call, Call body,
                      Napi::Value (*settle)(Napi::Env, Out&)) {
  auto session = UnwrapResource<Session>(info, 0, "an authenticator method session handle");
  return RunOnHost<Out>(
      info.Env(),
      [session, call, body](Out* out, EapErrorInfo* error) mutable {
        AuthenticatorMethodSession* s = session->Get(call, "authenticator method session", error);
        return s != nullptr && body(s, out, error);
      },
      settle);
}

Napi::Value SettleAction(Napi::Env env, int32_t& action) { return Napi::Number::New(env, action); }
Napi::Value SettleAttributes(Napi::Env env, Attributes& attributes) { return ToAttributes(env, attributes); }
Napi::Value SettleNothing(Napi::Env env, bool&) { return env.Undefined(); }

struct Sent {
  Bytes packet;
  eap::EAP_AUTHENTICATOR_SEND_TIMEOUT timeout = eap::EAP_AUTHENTICATOR_SEND_TIMEOUT_NONE;
};

Napi::Value SettleSent(Napi::Env env, Sent& sent) {
  Napi::Object out = Napi::Object::New(env);
  out.Set("packet", ToBuffer(env, sent.packet));
  out.Set("timeout", static_cast<int32_t>(sent.timeout));
  return out;
}

Napi::Value SettleResult(Napi::Env env, AuthenticatorMethodResult& result) {
  Napi::Object out = Napi::Object::New(env);
  out.Set("success", result.success);
  out.Set("failureReason", result.failureReason);
  out.Set("attributes", ToAttributes(env, result.attributes));
  return out;
}

Napi::Value Load(const Napi::CallbackInfo& info) {
  std::string path = StringArg(info, 0, "path");
  // Optional: the method type to ask GetInfo for (one module may serve several types).
  bool typed = info.Length() > 1 && !info[1].IsUndefined();
  eap::EAP_METHOD_TYPE type = typed ? MethodTypeArg(info, 1) : eap::EAP_METHOD_TYPE{};
  AddonState* state = &StateOf(info.Env());
  using Out = std::shared_ptr<AuthenticatorMethodResource>;
  return RunOnHost<Out>(
      info.Env(),
      [state, path, typed, type](Out* out, EapErrorInfo* error) {
        auto method = typed ? AuthenticatorMethod::Open(path, type, error)
                            : AuthenticatorMethod::Open(path, error);
        if (!method) return false;
        *out = std::make_shared<AuthenticatorMethodResource>(method);
        Track(state, *out);
        return true;
      },
      [](Napi::Env env, Out& out) {
        Napi::Object result = ToMethodType(env, out->holder()->type());
        result.Set("handle", WrapResource(env, out));
        return result;
      });
}

Napi::Value BeginSession(const Napi::CallbackInfo& info) {
  auto method = UnwrapResource<AuthenticatorMethodResource>(info, 0, "an authenticator method handle");
  eap::DWORD flags = DwordArg(info, 1, "flags");
  std::u16string identity = info[2].IsString() ? info[2].As<Napi::String>().Utf16Value() : std::u16string();
  Attributes attributes = AttributesArg(info, 3, "attributes");
  Bytes connectionData = BytesArg(info, 4, "connectionData");
  eap::DWORD maxSendPacketSize = DwordArg(info, 5, "maxSendPacketSize");
  AddonState* state = &StateOf(info.Env());
  using Out = std::shared_ptr<Session>;
  return RunOnHost<Out>(
      info.Env(),
      [=](Out* out, EapErrorInfo* error) {
        AuthenticatorMethod* m = method->Get("EapMethodAuthenticatorBeginSession", "authenticator method", error);
        if (m == nullptr) return false;
        auto session = std::make_unique<AuthenticatorMethodSession>(method->holder());
        if (!session->BeginSession(flags, identity, attributes, connectionData, maxSendPacketSize, error)) return false;
        *out = std::make_shared<Session>(std::move(session));
        Track(state, *out);
        return true;
      },
      [](Napi::Env env, Out& out) { return WrapResource(env, out); });
}

Napi::Value SendPacket(const Napi::CallbackInfo& info) {
  eap::DWORD id = DwordArg(info, 1, "packetId");
  if (id > 255) throw Napi::RangeError::New(info.Env(), "packetId must be 0..255");
  return OnSession<Sent>(
      info, "EapMethodAuthenticatorSendPacket",
      [id](AuthenticatorMethodSession* s, Sent* out, EapErrorInfo* e) {
        return s->SendPacket(static_cast<eap::BYTE>(id), &out->packet, &out->timeout, e);
      },
      SettleSent);
}

Napi::Value ReceivePacket(const Napi::CallbackInfo& info) {
  Bytes packet = BytesArg(info, 1, "packet");
  return OnSession<int32_t>(
      info, "EapMethodAuthenticatorReceivePacket",
      [packet](AuthenticatorMethodSession* s, int32_t* out, EapErrorInfo* e) {
        eap::EAP_METHOD_AUTHENTICATOR_RESPONSE_ACTION action{};
        bool ok = s->ReceivePacket(packet, &action, e);
        *out = action;
        return ok;
      },
      SettleAction);
}

Napi::Value GetAttributes(const Napi::CallbackInfo& info) {
  return OnSession<Attributes>(
      info, "EapMethodAuthenticatorGetAttributes",
      [](AuthenticatorMethodSession* s, Attributes* out, EapErrorInfo* e) { return s->GetAttributes(out, e); },
      SettleAttributes);
}

Napi::Value SetAttributes(const Napi::CallbackInfo& info) {
  Attributes attributes = AttributesArg(info, 1, "attributes");
  return OnSession<int32_t>(
      info, "EapMethodAuthenticatorSetAttributes",
      [attributes](AuthenticatorMethodSession* s, int32_t* out, EapErrorInfo* e) mutable {
        eap::EAP_METHOD_AUTHENTICATOR_RESPONSE_ACTION action{};
        bool ok = s->SetAttributes(attributes, &action, e);
        for (auto& attribute : attributes) std::fill(attribute.value.begin(), attribute.value.end(), 0);
        *out = action;
        return ok;
      },
      SettleAction);
}

Napi::Value GetResult(const Napi::CallbackInfo& info) {
  return OnSession<AuthenticatorMethodResult>(
      info, "EapMethodAuthenticatorGetResult",
      [](AuthenticatorMethodSession* s, AuthenticatorMethodResult* out, EapErrorInfo* e) { return s->GetResult(out, e); },
      SettleResult);
}

Napi::Value EndSession(const Napi::CallbackInfo& info) {
  return OnSession<bool>(
      info, "EapMethodAuthenticatorEndSession",
      [](AuthenticatorMethodSession* s, bool*, EapErrorInfo* e) { return s->EndSession(e); }, SettleNothing);
}

}  // namespace

void RegisterAuthenticatorMethodBinding(Napi::Env env, Napi::Object exports) {
  exports.Set("authenticatorMethodLoad", Napi::Function::New(env, Load));
  exports.Set("authenticatorMethodBeginSession", Napi::Function::New(env, BeginSession));
  exports.Set("authenticatorSessionSendPacket", Napi::Function::New(env, SendPacket));
  exports.Set("authenticatorSessionReceivePacket", Napi::Function::New(env, ReceivePacket));
  exports.Set("authenticatorSessionGetAttributes", Napi::Function::New(env, GetAttributes));
  exports.Set("authenticatorSessionSetAttributes", Napi::Function::New(env, SetAttributes));
  exports.Set("authenticatorSessionGetResult", Napi::Function::New(env, GetResult));
  exports.Set("authenticatorSessionEndSession", Napi::Function::New(env, EndSession));
}

}  // namespace eaphost
