// Bindings for one authenticator method session (EapMethodAuthenticatorSendPacket …
// EapMethodAuthenticatorEndSession), each one CallOn.
#include "../common/secure_zero.h"
#include "bindings.h"
#include "js_convert.h"
#include "method_resources.h"

namespace eaphost {

namespace {

struct Sent {
  Bytes packet;
  eap::EAP_AUTHENTICATOR_SEND_TIMEOUT timeout = eap::EAP_AUTHENTICATOR_SEND_TIMEOUT_NONE;
};

Napi::Value SettleSent(Napi::Env env, Sent& sent) {
  Napi::Object out = Napi::Object::New(env);
  SetField(out, "packet", ToBuffer(env, sent.packet));
  SetField(out, "timeout", static_cast<int32_t>(sent.timeout));
  return out;
}

Napi::Value SettleResult(Napi::Env env, AuthenticatorMethodResult& result) {
  Napi::Object out = Napi::Object::New(env);
  SetField(out, "success", result.success);
  SetField(out, "failureReason", result.failureReason);
  SetField(out, "attributes", ToAttributes(env, result.attributes));
  if (result.hasError) SetField(out, "error", MakeEapError(env, result.error));
  return out;
}

Napi::Value SendPacket(const Napi::CallbackInfo& info) {
  eap::DWORD id = DwordArg(info, 1, "packetId");
  if (id > 255) throw Napi::RangeError::New(info.Env(), "packetId must be 0..255");
  return CallOnSession<AuthenticatorMethodSession>(
      info, "EapMethodAuthenticatorSendPacket",
      [id](AuthenticatorMethodSession& s, Sent* out, EapErrorInfo* e) {
        return s.SendPacket(static_cast<eap::BYTE>(id), &out->packet, &out->timeout, e);
      },
      SettleSent);
}

Napi::Value ReceivePacket(const Napi::CallbackInfo& info) {
  Bytes packet = BytesArg(info, 1, "packet");
  return CallOnSession<AuthenticatorMethodSession>(
      info, "EapMethodAuthenticatorReceivePacket",
      [packet = std::move(packet)](AuthenticatorMethodSession& s, int32_t* out, EapErrorInfo* e) {
        eap::EAP_METHOD_AUTHENTICATOR_RESPONSE_ACTION action{};
        bool ok = s.ReceivePacket(packet, &action, e);
        *out = action;
        return ok;
      },
      SettleNumber);
}

Napi::Value GetAttributes(const Napi::CallbackInfo& info) {
  return CallOnSession<AuthenticatorMethodSession>(
      info, "EapMethodAuthenticatorGetAttributes",
      [](AuthenticatorMethodSession& s, Attributes* out, EapErrorInfo* e) { return s.GetAttributes(out, e); },
      SettleAttributes);
}

Napi::Value SetAttributes(const Napi::CallbackInfo& info) {
  Attributes attributes = AttributesArg(info, 1, "attributes");
  return CallOnSession<AuthenticatorMethodSession>(
      info, "EapMethodAuthenticatorSetAttributes",
      [attributes = std::move(attributes)](AuthenticatorMethodSession& s, int32_t* out, EapErrorInfo* e) mutable {
        eap::EAP_METHOD_AUTHENTICATOR_RESPONSE_ACTION action{};
        bool ok = s.SetAttributes(attributes, &action, e);
        for (auto& attribute : attributes) SecureZeroContents(attribute.value);  // passwords
        *out = action;
        return ok;
      },
      SettleNumber);
}

Napi::Value GetResult(const Napi::CallbackInfo& info) {
  return CallOnSession<AuthenticatorMethodSession>(
      info, "EapMethodAuthenticatorGetResult",
      [](AuthenticatorMethodSession& s, AuthenticatorMethodResult* out, EapErrorInfo* e) { return s.GetResult(out, e); },
      SettleResult);
}

Napi::Value EndSession(const Napi::CallbackInfo& info) {
  return CallOnSession<AuthenticatorMethodSession>(
      info, "EapMethodAuthenticatorEndSession",
      [](AuthenticatorMethodSession& s, bool*, EapErrorInfo* e) { return s.EndSession(e); }, SettleNothing);
}

}  // namespace

ExportList AuthenticatorSessionExports() {
  return {
      {"authenticatorSessionSendPacket", SendPacket},
      {"authenticatorSessionReceivePacket", ReceivePacket},
      {"authenticatorSessionGetAttributes", GetAttributes},
      {"authenticatorSessionSetAttributes", SetAttributes},
      {"authenticatorSessionGetResult", GetResult},
      {"authenticatorSessionEndSession", EndSession},
  };
}

}  // namespace eaphost
