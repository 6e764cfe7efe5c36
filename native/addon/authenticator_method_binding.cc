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
  eap::DWORD flags = DwordValue(env, options.Get("flags"), "flags");
  Napi::Value name = options.Get("identity");
  std::u16string identity = name.IsString() ? name.As<Napi::String>().Utf16Value() : std::u16string();
  Attributes attributes = AttributesValue(env, options.Get("attributes"), "attributes");
  Bytes connectionData = BytesValue(env, options.Get("connectionData"), "connectionData");
  eap::DWORD maxSendPacketSize = DwordValue(env, options.Get("maxSendPacketSize"), "maxSendPacketSize");
  AddonState* state = &StateOf(env);
  using Out = std::shared_ptr<AuthenticatorSessionResource>;
  return CallOn<Method, Out>(
      info, "EapMethodAuthenticatorBeginSession",
      [=, attributes = std::move(attributes), connectionData = std::move(connectionData)](
          AuthenticatorMethod&, Out* out, EapErrorInfo* error) {
        auto session = std::make_unique<AuthenticatorMethodSession>(method->holder());
        if (!session->BeginSession(flags, identity, attributes, connectionData, maxSendPacketSize, error)) return false;
        *out = std::make_shared<AuthenticatorSessionResource>(std::move(session));
        Track(state, *out);
        return true;
      },
      [](Napi::Env jsEnv, Out& out) { return WrapResource(jsEnv, out); });
}

}  // namespace

ExportList AuthenticatorMethodExports() {
  return {
      {"authenticatorMethodLoad", Load},
      {"authenticatorMethodBeginSession", BeginSession},
  };
}

}  // namespace eaphost
