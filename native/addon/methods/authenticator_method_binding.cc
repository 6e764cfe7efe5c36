// Bindings that load an authenticator method module and begin its sessions (the documented
// authenticator sequence; the session's own calls are authenticator_session_binding.cc):
// authenticatorMethodLoad and authenticatorMethodBeginSession.
#include "../generated/exports.h"
#include "../generated/arg_structs.h"
#include "../runtime/js_convert.h"
#include "method_resources.h"
#include "../runtime/named_args.h"

namespace eaphost {

// authenticatorMethodLoad({ path, methodType? })
Napi::Value seam::AuthenticatorMethodLoad(const Napi::CallbackInfo&, Napi::Object object) {
  return LoadMethod<AuthenticatorMethod>(object, [](Napi::Env env, const eap::EAP_METHOD_TYPE& type, Napi::Value handle) {
    LoadedAuthenticatorMethodShapeWriter result(env);
    result.handle(handle);
    result.type(type.eapType.type);
    result.vendorId(type.eapType.dwVendorId);
    result.vendorType(type.eapType.dwVendorType);
    result.authorId(type.dwAuthorId);
    return result.Make();
  });
}

Napi::Value seam::AuthenticatorMethodBeginSession(const Napi::CallbackInfo&, Napi::Object object) {
  EapMethodAuthenticatorBeginSessionArgs args = ReadEapMethodAuthenticatorBeginSessionArgs(object);
  return BeginMethodSession<AuthenticatorMethodSession, AuthenticatorMethod>(
      object.Env(), args.method, "EapMethodAuthenticatorBeginSession",
      [flags = args.flags, identity = std::move(args.identity), attributes = std::move(args.attributes),
       connectionData = std::move(args.connectionData), maxSendPacketSize = args.maxSendPacketSize](
          AuthenticatorMethodSession& session, EapErrorInfo* error) {
        return session.BeginSession(flags, identity, attributes, connectionData, maxSendPacketSize, error);
      });
}

}  // namespace eaphost
