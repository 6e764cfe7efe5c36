// The EapPeer* functions on one peer method session, an export each (peerMethodProcessRequestPacket
// … peerMethodEndSession) for the session (EapPeerProcessRequestPacket … EapPeerEndSession), each one CallOn.
#include "../../common/secure_zero.h"
#include "../generated/exports.h"
#include "../generated/arg_structs.h"
#include "../runtime/js_convert.h"
#include "method_resources.h"
#include "../runtime/named_args.h"

namespace eaphost {

namespace {

Napi::Value SettleOutput(Napi::Env env, PeerMethodOutput& output) {
  PeerOutputShapeWriter result(env);
  result.action(static_cast<int32_t>(output.action));
  result.allowNotifications(output.allowNotifications);
  return result.Make();
}

Napi::Value SettleResult(Napi::Env env, PeerMethodResult& result) {
  PeerMethodResultShapeWriter out(env);
  out.success(result.success);
  out.failureReasonCode(result.failureReasonCode);
  out.saveConnectionData(result.saveConnectionData);
  out.connectionData(ToBuffer(env, result.connectionData));
  out.saveUserData(result.saveUserData);
  out.userData(ToBuffer(env, result.userData));
  out.attributes(ToAttributes(env, result.attributes));
  if (result.hasError) out.error(result.error);
  return out.Make();
}

}  // namespace

Napi::Value seam::PeerMethodProcessRequestPacket(const Napi::CallbackInfo&, Napi::Object object) {
  EapPeerProcessRequestPacketArgs args = ReadEapPeerProcessRequestPacketArgs(object);
  return CallOnSession<PeerMethodSession>(
      object.Env(), args.session, "EapPeerProcessRequestPacket",
      [packet = std::move(args.packet)](PeerMethodSession& s, PeerMethodOutput* out, EapErrorInfo* e) mutable {
        return s.ProcessRequestPacket(&packet, out, e);
      },
      SettleOutput);
}

Napi::Value seam::PeerMethodGetResponsePacket(const Napi::CallbackInfo&, Napi::Object object) {
  EapPeerGetResponsePacketArgs args = ReadEapPeerGetResponsePacketArgs(object);
  return CallOnSession<PeerMethodSession>(
      object.Env(), args.session, "EapPeerGetResponsePacket",
      [](PeerMethodSession& s, Bytes* out, EapErrorInfo* e) { return s.GetResponsePacket(out, e); }, SettleBytes);
}

Napi::Value seam::PeerMethodGetResult(const Napi::CallbackInfo&, Napi::Object object) {
  EapPeerGetResultArgs args = ReadEapPeerGetResultArgs(object);
  auto reason = static_cast<eap::EapPeerMethodResultReason>(args.reason);
  return CallOnSession<PeerMethodSession>(
      object.Env(), args.session, "EapPeerGetResult",
      [reason](PeerMethodSession& s, PeerMethodResult* out, EapErrorInfo* e) { return s.GetResult(reason, out, e); },
      SettleResult);
}

Napi::Value seam::PeerMethodGetUIContext(const Napi::CallbackInfo&, Napi::Object object) {
  EapPeerGetUIContextArgs args = ReadEapPeerGetUIContextArgs(object);
  return CallOnSession<PeerMethodSession>(
      object.Env(), args.session, "EapPeerGetUIContext",
      [](PeerMethodSession& s, Bytes* out, EapErrorInfo* e) { return s.GetUIContext(out, e); }, SettleBytes);
}

Napi::Value seam::PeerMethodSetUIContext(const Napi::CallbackInfo&, Napi::Object object) {
  EapPeerSetUIContextArgs args = ReadEapPeerSetUIContextArgs(object);
  return CallOnSession<PeerMethodSession>(
      object.Env(), args.session, "EapPeerSetUIContext",
      [context = std::move(args.context)](PeerMethodSession& s, PeerMethodOutput* out, EapErrorInfo* e) {
        return s.SetUIContext(context, out, e);
      },
      SettleOutput);
}

Napi::Value seam::PeerMethodGetResponseAttributes(const Napi::CallbackInfo&, Napi::Object object) {
  EapPeerGetResponseAttributesArgs args = ReadEapPeerGetResponseAttributesArgs(object);
  return CallOnSession<PeerMethodSession>(
      object.Env(), args.session, "EapPeerGetResponseAttributes",
      [](PeerMethodSession& s, Attributes* out, EapErrorInfo* e) { return s.GetResponseAttributes(out, e); },
      SettleAttributes);
}

Napi::Value seam::PeerMethodSetResponseAttributes(const Napi::CallbackInfo&, Napi::Object object) {
  EapPeerSetResponseAttributesArgs args = ReadEapPeerSetResponseAttributesArgs(object);
  return CallOnSession<PeerMethodSession>(
      object.Env(), args.session, "EapPeerSetResponseAttributes",
      [attributes = std::move(args.attributes)](PeerMethodSession& s, PeerMethodOutput* out, EapErrorInfo* e) {
        return s.SetResponseAttributes(attributes, out, e);
      },
      SettleOutput);
}

Napi::Value seam::PeerMethodEndSession(const Napi::CallbackInfo&, Napi::Object object) {
  EapPeerEndSessionArgs args = ReadEapPeerEndSessionArgs(object);
  return CallOnSession<PeerMethodSession>(
      object.Env(), args.session, "EapPeerEndSession",
      [](PeerMethodSession& s, bool*, EapErrorInfo* e) { return s.EndSession(e); }, SettleNothing);
}

}  // namespace eaphost
