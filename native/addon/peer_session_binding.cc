// Bindings for one peer method session (EapPeerProcessRequestPacket … EapPeerEndSession).
#include "js_convert.h"
#include "method_resources.h"

namespace eaphost {

Napi::Value PeerOutputToJs(Napi::Env env, const PeerMethodOutput& output);  // method_binding.cc

namespace {

using Session = PeerSessionResource;
constexpr const char* kWhat = "peer method session";

template <typename Out, typename Call>
Napi::Value OnSession(const Napi::CallbackInfo& info, const char* call, Call body,
                      Napi::Value (*settle)(Napi::Env, Out&)) {
  auto session = UnwrapResource<Session>(info, 0, "a peer method session handle");
  return RunOnHost<Out>(
      info.Env(),
      [session, call, body](Out* out, EapErrorInfo* error) mutable {
        PeerMethodSession* s = session->Get(call, kWhat, error);
        return s != nullptr && body(s, out, error);
      },
      settle);
}

Napi::Value SettleOutput(Napi::Env env, PeerMethodOutput& output) { return PeerOutputToJs(env, output); }
Napi::Value SettleBytes(Napi::Env env, Bytes& bytes) { return ToBuffer(env, bytes); }
Napi::Value SettleAttributes(Napi::Env env, Attributes& attributes) { return ToAttributes(env, attributes); }
Napi::Value SettleNothing(Napi::Env env, bool&) { return env.Undefined(); }

Napi::Value SettleResult(Napi::Env env, PeerMethodResult& result) {
  Napi::Object out = Napi::Object::New(env);
  out.Set("success", result.success);
  out.Set("failureReasonCode", result.failureReasonCode);
  out.Set("saveConnectionData", result.saveConnectionData);
  out.Set("connectionData", ToBuffer(env, result.connectionData));
  out.Set("saveUserData", result.saveUserData);
  out.Set("userData", ToBuffer(env, result.userData));
  out.Set("attributes", ToAttributes(env, result.attributes));
  if (result.hasError) out.Set("error", MakeEapError(env, result.error));
  return out;
}

Napi::Value ProcessRequestPacket(const Napi::CallbackInfo& info) {
  Bytes packet = BytesArg(info, 1, "packet");
  return OnSession<PeerMethodOutput>(
      info, "EapPeerProcessRequestPacket",
      [packet](PeerMethodSession* s, PeerMethodOutput* out, EapErrorInfo* e) { return s->ProcessRequestPacket(packet, out, e); },
      SettleOutput);
}

Napi::Value GetResponsePacket(const Napi::CallbackInfo& info) {
  return OnSession<Bytes>(
      info, "EapPeerGetResponsePacket",
      [](PeerMethodSession* s, Bytes* out, EapErrorInfo* e) { return s->GetResponsePacket(out, e); }, SettleBytes);
}

Napi::Value GetResult(const Napi::CallbackInfo& info) {
  auto reason = static_cast<eap::EapPeerMethodResultReason>(DwordArg(info, 1, "reason"));
  return OnSession<PeerMethodResult>(
      info, "EapPeerGetResult",
      [reason](PeerMethodSession* s, PeerMethodResult* out, EapErrorInfo* e) { return s->GetResult(reason, out, e); },
      SettleResult);
}

Napi::Value GetUIContext(const Napi::CallbackInfo& info) {
  return OnSession<Bytes>(
      info, "EapPeerGetUIContext",
      [](PeerMethodSession* s, Bytes* out, EapErrorInfo* e) { return s->GetUIContext(out, e); }, SettleBytes);
}

Napi::Value SetUIContext(const Napi::CallbackInfo& info) {
  Bytes context = BytesArg(info, 1, "context");
  return OnSession<PeerMethodOutput>(
      info, "EapPeerSetUIContext",
      [context](PeerMethodSession* s, PeerMethodOutput* out, EapErrorInfo* e) { return s->SetUIContext(context, out, e); },
      SettleOutput);
}

Napi::Value GetResponseAttributes(const Napi::CallbackInfo& info) {
  return OnSession<Attributes>(
      info, "EapPeerGetResponseAttributes",
      [](PeerMethodSession* s, Attributes* out, EapErrorInfo* e) { return s->GetResponseAttributes(out, e); },
      SettleAttributes);
}

Napi::Value SetResponseAttributes(const Napi::CallbackInfo& info) {
  Attributes attributes = AttributesArg(info, 1, "attributes");
  return OnSession<PeerMethodOutput>(
      info, "EapPeerSetResponseAttributes",
      [attributes](PeerMethodSession* s, PeerMethodOutput* out, EapErrorInfo* e) {
        return s->SetResponseAttributes(attributes, out, e);
      },
      SettleOutput);
}

Napi::Value SetCredentials(const Napi::CallbackInfo& info) {
  std::u16string identity = info[1].IsString() ? info[1].As<Napi::String>().Utf16Value() : std::u16string();
  std::u16string password = info[2].IsString() ? info[2].As<Napi::String>().Utf16Value() : std::u16string();
  return OnSession<bool>(
      info, "EapPeerSetCredentials",
      [identity, password](PeerMethodSession* s, bool*, EapErrorInfo* e) mutable {
        bool ok = s->SetCredentials(identity, password, e);
        std::fill(password.begin(), password.end(), u'\0');
        return ok;
      },
      SettleNothing);
}

Napi::Value EndSession(const Napi::CallbackInfo& info) {
  return OnSession<bool>(
      info, "EapPeerEndSession", [](PeerMethodSession* s, bool*, EapErrorInfo* e) { return s->EndSession(e); },
      SettleNothing);
}

}  // namespace

void RegisterPeerSessionBinding(Napi::Env env, Napi::Object exports) {
  exports.Set("peerSessionProcessRequestPacket", Napi::Function::New(env, ProcessRequestPacket));
  exports.Set("peerSessionGetResponsePacket", Napi::Function::New(env, GetResponsePacket));
  exports.Set("peerSessionGetResult", Napi::Function::New(env, GetResult));
  exports.Set("peerSessionGetUIContext", Napi::Function::New(env, GetUIContext));
  exports.Set("peerSessionSetUIContext", Napi::Function::New(env, SetUIContext));
  exports.Set("peerSessionGetResponseAttributes", Napi::Function::New(env, GetResponseAttributes));
  exports.Set("peerSessionSetResponseAttributes", Napi::Function::New(env, SetResponseAttributes));
  exports.Set("peerSessionSetCredentials", Napi::Function::New(env, SetCredentials));
  exports.Set("peerSessionEndSession", Napi::Function::New(env, EndSession));
}

}  // namespace eaphost
