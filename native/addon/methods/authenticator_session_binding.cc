// The EapMethodAuthenticator* functions on one authenticator method session, an export each
// (authenticatorMethodSendPacket … authenticatorMethodEndSession), each one CallOn.
#include "../../common/secure_zero.h"
#include "../generated/exports.h"
#include "../generated/arg_structs.h"
#include "../runtime/js_convert.h"
#include "method_resources.h"
#include "../runtime/named_args.h"

namespace eaphost {

namespace {

struct Sent {
  Bytes packet;
  eap::EAP_AUTHENTICATOR_SEND_TIMEOUT timeout = eap::EAP_AUTHENTICATOR_SEND_TIMEOUT_NONE;
};

Napi::Value SettleSent(Napi::Env env, Sent& sent) {
  AuthenticatorPacketShapeWriter out(env);
  out.packet(ToBuffer(env, sent.packet));
  out.timeout(static_cast<int32_t>(sent.timeout));
  return out.Make();
}

Napi::Value SettleResult(Napi::Env env, AuthenticatorMethodResult& result) {
  AuthenticatorResultShapeWriter out(env);
  out.success(result.success);
  out.failureReason(result.failureReason);
  out.attributes(ToAttributes(env, result.attributes));
  if (result.hasError) out.error(result.error);
  // Only when the method's configuration asked for our private attributes (privateAttributes).
  if (result.facts.any()) {
    AuthenticatorFactsWriter established = out.established();
    established.tlsVersion(result.facts.tlsVersion);
    established.resumed(result.facts.resumed);
    established.innerKind(static_cast<double>(result.facts.innerKind));
    established.innerCode(result.facts.innerCode);
  }
  return out.Make();
}

}  // namespace

Napi::Value seam::AuthenticatorMethodSendPacket(const Napi::CallbackInfo&, Napi::Object object) {
  EapMethodAuthenticatorSendPacketArgs args = ReadEapMethodAuthenticatorSendPacketArgs(object);
  eap::DWORD id = args.packetId;
  if (id > 255) throw Napi::RangeError::New(object.Env(), "packetId must be 0..255");
  return CallOnSession<AuthenticatorMethodSession>(
      object.Env(), args.session, "EapMethodAuthenticatorSendPacket",
      [id](AuthenticatorMethodSession& s, Sent* out, EapErrorInfo* e) {
        return s.SendPacket(static_cast<eap::BYTE>(id), &out->packet, &out->timeout, e);
      },
      SettleSent);
}

Napi::Value seam::AuthenticatorMethodReceivePacket(const Napi::CallbackInfo&, Napi::Object object) {
  EapMethodAuthenticatorReceivePacketArgs args = ReadEapMethodAuthenticatorReceivePacketArgs(object);
  return CallOnSession<AuthenticatorMethodSession>(
      object.Env(), args.session, "EapMethodAuthenticatorReceivePacket",
      [packet = std::move(args.packet)](AuthenticatorMethodSession& s, int32_t* out, EapErrorInfo* e) {
        eap::EAP_METHOD_AUTHENTICATOR_RESPONSE_ACTION action{};
        bool ok = s.ReceivePacket(packet, &action, e);
        *out = action;
        return ok;
      },
      SettleNumber);
}

Napi::Value seam::AuthenticatorMethodGetAttributes(const Napi::CallbackInfo&, Napi::Object object) {
  EapMethodAuthenticatorGetAttributesArgs args = ReadEapMethodAuthenticatorGetAttributesArgs(object);
  return CallOnSession<AuthenticatorMethodSession>(
      object.Env(), args.session, "EapMethodAuthenticatorGetAttributes",
      [](AuthenticatorMethodSession& s, Attributes* out, EapErrorInfo* e) { return s.GetAttributes(out, e); },
      SettleAttributes);
}

Napi::Value seam::AuthenticatorMethodSetAttributes(const Napi::CallbackInfo&, Napi::Object object) {
  EapMethodAuthenticatorSetAttributesArgs args = ReadEapMethodAuthenticatorSetAttributesArgs(object);
  return CallOnSession<AuthenticatorMethodSession>(
      object.Env(), args.session, "EapMethodAuthenticatorSetAttributes",
      [attributes = std::move(args.attributes)](AuthenticatorMethodSession& s, int32_t* out, EapErrorInfo* e) mutable {
        eap::EAP_METHOD_AUTHENTICATOR_RESPONSE_ACTION action{};
        bool ok = s.SetAttributes(attributes, &action, e);
        for (auto& attribute : attributes) SecureZeroContents(attribute.value);  // passwords
        *out = action;
        return ok;
      },
      SettleNumber);
}

Napi::Value seam::AuthenticatorMethodGetResult(const Napi::CallbackInfo&, Napi::Object object) {
  EapMethodAuthenticatorGetResultArgs args = ReadEapMethodAuthenticatorGetResultArgs(object);
  return CallOnSession<AuthenticatorMethodSession>(
      object.Env(), args.session, "EapMethodAuthenticatorGetResult",
      [](AuthenticatorMethodSession& s, AuthenticatorMethodResult* out, EapErrorInfo* e) { return s.GetResult(out, e); },
      SettleResult);
}

Napi::Value seam::AuthenticatorMethodEndSession(const Napi::CallbackInfo&, Napi::Object object) {
  EapMethodAuthenticatorEndSessionArgs args = ReadEapMethodAuthenticatorEndSessionArgs(object);
  return CallOnSession<AuthenticatorMethodSession>(
      object.Env(), args.session, "EapMethodAuthenticatorEndSession",
      [](AuthenticatorMethodSession& s, bool*, EapErrorInfo* e) { return s.EndSession(e); }, SettleNothing);
}

}  // namespace eaphost
