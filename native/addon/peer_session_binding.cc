// Bindings for one peer method session (EapPeerProcessRequestPacket … EapPeerEndSession).
#include "../common/secure_zero.h"
#include "bindings.h"
#include "js_convert.h"
#include "method_resources.h"

namespace eaphost {

namespace {

Napi::Value SettleOutput(Napi::Env env, PeerMethodOutput& output) {
  Napi::Object result = Napi::Object::New(env);
  SetField(result, "action", static_cast<int32_t>(output.action));
  SetField(result, "allowNotifications", output.allowNotifications);
  return result;
}

Napi::Value SettleResult(Napi::Env env, PeerMethodResult& result) {
  Napi::Object out = Napi::Object::New(env);
  SetResultFields(env, out, result);
  return out;
}

Napi::Value ProcessRequestPacket(const Napi::CallbackInfo& info) {
  Bytes packet = BytesArg(info, 1, "packet");
  return CallOnSession<PeerMethodSession>(
      info, "EapPeerProcessRequestPacket",
      [packet = std::move(packet)](PeerMethodSession& s, PeerMethodOutput* out, EapErrorInfo* e) mutable {
        return s.ProcessRequestPacket(&packet, out, e);
      },
      SettleOutput);
}

Napi::Value GetResponsePacket(const Napi::CallbackInfo& info) {
  return CallOnSession<PeerMethodSession>(
      info, "EapPeerGetResponsePacket",
      [](PeerMethodSession& s, Bytes* out, EapErrorInfo* e) { return s.GetResponsePacket(out, e); }, SettleBytes);
}

Napi::Value GetResult(const Napi::CallbackInfo& info) {
  auto reason = static_cast<eap::EapPeerMethodResultReason>(DwordArg(info, 1, "reason"));
  return CallOnSession<PeerMethodSession>(
      info, "EapPeerGetResult",
      [reason](PeerMethodSession& s, PeerMethodResult* out, EapErrorInfo* e) { return s.GetResult(reason, out, e); },
      SettleResult);
}

Napi::Value GetUIContext(const Napi::CallbackInfo& info) {
  return CallOnSession<PeerMethodSession>(
      info, "EapPeerGetUIContext",
      [](PeerMethodSession& s, Bytes* out, EapErrorInfo* e) { return s.GetUIContext(out, e); }, SettleBytes);
}

Napi::Value SetUIContext(const Napi::CallbackInfo& info) {
  Bytes context = BytesArg(info, 1, "context");
  return CallOnSession<PeerMethodSession>(
      info, "EapPeerSetUIContext",
      [context = std::move(context)](PeerMethodSession& s, PeerMethodOutput* out, EapErrorInfo* e) { return s.SetUIContext(context, out, e); },
      SettleOutput);
}

Napi::Value GetResponseAttributes(const Napi::CallbackInfo& info) {
  return CallOnSession<PeerMethodSession>(
      info, "EapPeerGetResponseAttributes",
      [](PeerMethodSession& s, Attributes* out, EapErrorInfo* e) { return s.GetResponseAttributes(out, e); },
      SettleAttributes);
}

Napi::Value SetResponseAttributes(const Napi::CallbackInfo& info) {
  Attributes attributes = AttributesArg(info, 1, "attributes");
  return CallOnSession<PeerMethodSession>(
      info, "EapPeerSetResponseAttributes",
      [attributes = std::move(attributes)](PeerMethodSession& s, PeerMethodOutput* out, EapErrorInfo* e) {
        return s.SetResponseAttributes(attributes, out, e);
      },
      SettleOutput);
}

Napi::Value SetCredentials(const Napi::CallbackInfo& info) {
  // On the heap and moved as a pointer: the password lives in one buffer, wiped after the call.
  struct Secret {
    std::u16string identity, password;
    ~Secret() { SecureZeroContents(password); }
  };
  auto secret = std::make_shared<Secret>();
  ReadSecretText(info.Env(), info[1].IsString() ? info[1] : info.Env().Undefined(), "identity", &secret->identity);
  ReadSecretText(info.Env(), info[2].IsString() ? info[2] : info.Env().Undefined(), "password", &secret->password);
  return CallOnSession<PeerMethodSession>(
      info, "EapPeerSetCredentials",
      [secret = std::move(secret)](PeerMethodSession& s, bool*, EapErrorInfo* e) mutable {
        bool ok = s.SetCredentials(secret->identity, secret->password, e);
        secret.reset();
        return ok;
      },
      SettleNothing);
}

Napi::Value EndSession(const Napi::CallbackInfo& info) {
  return CallOnSession<PeerMethodSession>(
      info, "EapPeerEndSession", [](PeerMethodSession& s, bool*, EapErrorInfo* e) { return s.EndSession(e); },
      SettleNothing);
}

}  // namespace

ExportList PeerSessionExports() {
  return {
      {"peerSessionProcessRequestPacket", ProcessRequestPacket},
      {"peerSessionGetResponsePacket", GetResponsePacket},
      {"peerSessionGetResult", GetResult},
      {"peerSessionGetUIContext", GetUIContext},
      {"peerSessionSetUIContext", SetUIContext},
      {"peerSessionGetResponseAttributes", GetResponseAttributes},
      {"peerSessionSetResponseAttributes", SetResponseAttributes},
      {"peerSessionSetCredentials", SetCredentials},
      {"peerSessionEndSession", EndSession},
  };
}

}  // namespace eaphost
