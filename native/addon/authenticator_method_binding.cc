// Bindings that load an authenticator method module and begin its sessions (the documented
// authenticator sequence; the session's own calls are authenticator_session_binding.cc).
#include "../common/utf16.h"
#include "bindings.h"
#include "js_convert.h"
#include "method_resources.h"

namespace eaphost {

namespace {

using Method = AuthenticatorMethodResource;

Napi::Value Load(const Napi::CallbackInfo& info) {
  return LoadMethod<AuthenticatorMethod>(info, ToMethodType);
}

// authenticatorMethodBeginSession(method, { flags, identity, attributes, connectionData,
// maxSendPacketSize })
Napi::Value BeginSession(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  auto method = UnwrapResource<Method>(info, 0, ResourceAccess<Method>::kHandle);
  Napi::Object options = OptionsArg(info, 1);
  eap::DWORD flags = DwordValue(env, GetField(options, "flags"), "flags");
  Napi::Value name = GetField(options, "identity");
  std::u16string identity = name.IsString() ? name.As<Napi::String>().Utf16Value() : std::u16string();
  Attributes attributes = AttributesValue(env, GetField(options, "attributes"), "attributes");
  Bytes connectionData = BytesValue(env, GetField(options, "connectionData"), "connectionData");
  eap::DWORD maxSendPacketSize = DwordValue(env, GetField(options, "maxSendPacketSize"), "maxSendPacketSize");
  return BeginMethodSession<AuthenticatorMethodSession>(
      info, "EapMethodAuthenticatorBeginSession", std::move(method),
      [=, attributes = std::move(attributes), connectionData = std::move(connectionData)](
          AuthenticatorMethodSession& session, EapErrorInfo* error) {
        return session.BeginSession(flags, identity, attributes, connectionData, maxSendPacketSize, error);
      });
}

}  // namespace

ExportList AuthenticatorMethodExports() {
  return {
      {"authenticatorMethodLoad", Load},
      {"authenticatorMethodBeginSession", BeginSession},
  };
}

}  // namespace eaphost
