// The rest of the EapHostPeer* session surface: UI context, response attributes, status,
// ending, identity and the method list.
#include "../common/utf16.h"
#include "eaphost_instance.h"
#include "js_convert.h"

namespace eaphost {

namespace {

using Session = EapHostSessionResource;

Napi::Value GetUIContext(const Napi::CallbackInfo& info) {
  auto session = UnwrapResource<Session>(info, 0, "an EAPHost session handle");
  return RunOnHost<Bytes>(
      info.Env(),
      [session](Bytes* context, EapErrorInfo* error) {
        if (!session->Usable("EapHostPeerGetUIContext", error)) return false;
        eap::DWORD size = 0;
        eap::BYTE* data = nullptr;
        eap::EAP_ERROR* eapError = nullptr;
        eap::DWORD rc = session->instance().api().EapHostPeerGetUIContext(session->id(), &size, &data, &eapError);
        *context = session->instance().TakeRuntimeBuffer(data, size);
        return session->instance().Check(rc, eapError, "EapHostPeerGetUIContext", error);
      },
      [](Napi::Env env, Bytes& context) { return ToBuffer(env, context); });
}

Napi::Value SetUIContext(const Napi::CallbackInfo& info) {
  auto session = UnwrapResource<Session>(info, 0, "an EAPHost session handle");
  Bytes context = BytesArg(info, 1, "context");
  return RunOnHost<int32_t>(
      info.Env(),
      [session, context](int32_t* action, EapErrorInfo* error) {
        if (!session->Usable("EapHostPeerSetUIContext", error)) return false;
        eap::EapHostPeerResponseAction out = eap::EapHostPeerResponseDiscard;
        eap::EAP_ERROR* eapError = nullptr;
        eap::DWORD rc = session->instance().api().EapHostPeerSetUIContext(
            session->id(), static_cast<eap::DWORD>(context.size()), context.empty() ? nullptr : context.data(), &out,
            &eapError);
        *action = out;
        return session->instance().Check(rc, eapError, "EapHostPeerSetUIContext", error);
      },
      [](Napi::Env env, int32_t& action) { return Napi::Number::New(env, action); });
}

Napi::Value GetResponseAttributes(const Napi::CallbackInfo& info) {
  auto session = UnwrapResource<Session>(info, 0, "an EAPHost session handle");
  return RunOnHost<Attributes>(
      info.Env(),
      [session](Attributes* attributes, EapErrorInfo* error) {
        if (!session->Usable("EapHostPeerGetResponseAttributes", error)) return false;
        eap::EapAttributes array{};
        eap::EAP_ERROR* eapError = nullptr;
        eap::DWORD rc = session->instance().api().EapHostPeerGetResponseAttributes(session->id(), &array, &eapError);
        *attributes = CopyAttributes(&array);
        if (array.pAttribs != nullptr) {
          session->instance().api().EapHostPeerFreeRuntimeMemory(reinterpret_cast<eap::BYTE*>(array.pAttribs));
        }
        return session->instance().Check(rc, eapError, "EapHostPeerGetResponseAttributes", error);
      },
      [](Napi::Env env, Attributes& attributes) { return ToAttributes(env, attributes); });
}

Napi::Value SetResponseAttributes(const Napi::CallbackInfo& info) {
  auto session = UnwrapResource<Session>(info, 0, "an EAPHost session handle");
  Attributes attributes = AttributesArg(info, 1, "attributes");
  return RunOnHost<int32_t>(
      info.Env(),
      [session, attributes](int32_t* action, EapErrorInfo* error) {
        if (!session->Usable("EapHostPeerSetResponseAttributes", error)) return false;
        AttributeArray array(attributes);
        eap::EapHostPeerResponseAction out = eap::EapHostPeerResponseDiscard;
        eap::EAP_ERROR* eapError = nullptr;
        eap::DWORD rc =
            session->instance().api().EapHostPeerSetResponseAttributes(session->id(), array.get(), &out, &eapError);
        *action = out;
        return session->instance().Check(rc, eapError, "EapHostPeerSetResponseAttributes", error);
      },
      [](Napi::Env env, int32_t& action) { return Napi::Number::New(env, action); });
}

struct AuthStatusOut {
  int32_t param = 0;
  Bytes data;
};

Napi::Value GetAuthStatus(const Napi::CallbackInfo& info) {
  auto session = UnwrapResource<Session>(info, 0, "an EAPHost session handle");
  auto param = static_cast<eap::EapHostPeerAuthParams>(DwordArg(info, 1, "authParam"));
  return RunOnHost<AuthStatusOut>(
      info.Env(),
      [session, param](AuthStatusOut* out, EapErrorInfo* error) {
        if (!session->Usable("EapHostPeerGetAuthStatus", error)) return false;
        eap::DWORD size = 0;
        eap::BYTE* data = nullptr;
        eap::EAP_ERROR* eapError = nullptr;
        eap::DWORD rc = session->instance().api().EapHostPeerGetAuthStatus(session->id(), param, &size, &data, &eapError);
        out->param = param;
        out->data = session->instance().TakeRuntimeBuffer(data, size);
        return session->instance().Check(rc, eapError, "EapHostPeerGetAuthStatus", error);
      },
      [](Napi::Env env, AuthStatusOut& out) -> Napi::Value {
        if (out.param == eap::EapHostPeerAuthStatus && out.data.size() >= sizeof(eap::EAPHOST_AUTH_INFO)) {
          eap::EAPHOST_AUTH_INFO status;
          std::memcpy(&status, out.data.data(), sizeof status);
          Napi::Object result = Napi::Object::New(env);
          result.Set("status", static_cast<int32_t>(status.status));
          result.Set("errorCode", status.dwErrorCode);
          result.Set("reasonCode", status.dwReasonCode);
          return result;
        }
        if (out.param == eap::EapHostPeerIdentity) {
          std::u16string identity;
          for (size_t i = 0; i + 1 < out.data.size(); i += 2) {
            char16_t unit = static_cast<char16_t>(out.data[i] | (out.data[i + 1] << 8));
            if (unit == 0) break;
            identity.push_back(unit);
          }
          return ToString(env, identity);
        }
        return ToBuffer(env, out.data);
      });
}

Napi::Value EndSession(const Napi::CallbackInfo& info) {
  auto session = UnwrapResource<Session>(info, 0, "an EAPHost session handle");
  return RunOnHost<bool>(
      info.Env(), [session](bool*, EapErrorInfo* error) { return session->End(error); },
      [](Napi::Env env, bool&) { return env.Undefined(); });
}

Napi::Value ClearConnection(const Napi::CallbackInfo& info) {
  auto instance = UnwrapResource<EapHostInstance>(info, 0, "an EAPHost handle");
  eap::GUID connectionId{};
  if (!GuidFromString(StringArg(info, 1, "connectionId"), &connectionId)) {
    throw Napi::TypeError::New(info.Env(), "connectionId must be a GUID string");
  }
  return RunOnHost<bool>(
      info.Env(),
      [instance, connectionId](bool*, EapErrorInfo* error) mutable {
        if (!instance->RequireOpen("EapHostPeerClearConnection", error)) return false;
        eap::EAP_ERROR* eapError = nullptr;
        eap::DWORD rc = instance->api().EapHostPeerClearConnection(&connectionId, &eapError);
        return instance->Check(rc, eapError, "EapHostPeerClearConnection", error);
      },
      [](Napi::Env env, bool&) { return env.Undefined(); });
}

struct IdentityOut {
  bool invokeUI = false;
  Bytes userData;
  std::u16string identity;
};

Napi::Value GetIdentity(const Napi::CallbackInfo& info) {
  auto instance = UnwrapResource<EapHostInstance>(info, 0, "an EAPHost handle");
  eap::EAP_METHOD_TYPE type = MethodTypeArg(info, 1);
  eap::DWORD flags = DwordArg(info, 2, "flags");
  Bytes connectionData = BytesArg(info, 3, "connectionData");
  Bytes userData = BytesArg(info, 4, "userData");
  return RunOnHost<IdentityOut>(
      info.Env(),
      [=](IdentityOut* out, EapErrorInfo* error) mutable {
        if (!instance->RequireOpen("EapHostPeerGetIdentity", error)) return false;
        eap::BOOL invokeUI = eap::kFalse;
        eap::DWORD outSize = 0;
        eap::BYTE* outData = nullptr;
        eap::LPWSTR identity = nullptr;
        eap::BYTE* reserved = nullptr;
        eap::EAP_ERROR* eapError = nullptr;
        eap::DWORD rc = instance->api().EapHostPeerGetIdentity(
            0, flags, type, static_cast<eap::DWORD>(connectionData.size()),
            connectionData.empty() ? nullptr : connectionData.data(), static_cast<eap::DWORD>(userData.size()),
            userData.empty() ? nullptr : userData.data(), nullptr, &invokeUI, &outSize, &outData, &identity,
            &eapError, &reserved);
        std::fill(userData.begin(), userData.end(), 0);
        out->invokeUI = invokeUI != 0;
        out->userData = instance->TakeRuntimeBuffer(outData, outSize);
        if (identity != nullptr) {
          out->identity = WideToU16(identity);
          instance->api().EapHostPeerFreeRuntimeMemory(reinterpret_cast<eap::BYTE*>(identity));
        }
        return instance->Check(rc, eapError, "EapHostPeerGetIdentity", error);
      },
      [](Napi::Env env, IdentityOut& out) {
        Napi::Object result = Napi::Object::New(env);
        result.Set("invokeUI", out.invokeUI);
        result.Set("userData", ToBuffer(env, out.userData));
        result.Set("identity", ToString(env, out.identity));
        return result;
      });
}

struct MethodOut {
  eap::EAP_METHOD_TYPE type;
  std::u16string friendlyName, authorName;
  eap::DWORD properties;
};

Napi::Value GetMethods(const Napi::CallbackInfo& info) {
  auto instance = UnwrapResource<EapHostInstance>(info, 0, "an EAPHost handle");
  return RunOnHost<std::vector<MethodOut>>(
      info.Env(),
      [instance](std::vector<MethodOut>* out, EapErrorInfo* error) {
        if (!instance->RequireOpen("EapHostPeerGetMethods", error)) return false;
        eap::EAP_METHOD_INFO_ARRAY array{};
        eap::EAP_ERROR* eapError = nullptr;
        eap::DWORD rc = instance->api().EapHostPeerGetMethods(&array, &eapError);
        if (rc != eap::kErrorSuccess || eapError != nullptr) {
          // Configuration-API errors have their own free function.
          EapErrorInfo copied = CopyEapError(eapError, rc, "EapHostPeerGetMethods", ErrorOrigin::kEapHost);
          if (eapError != nullptr) instance->api().EapHostPeerFreeErrorMemory(eapError);
          if (rc != eap::kErrorSuccess) {
            *error = std::move(copied);
            return false;
          }
        }
        for (eap::DWORD i = 0; array.pEapMethods != nullptr && i < array.dwNumberOfMethods; ++i) {
          const eap::EAP_METHOD_INFO& method = array.pEapMethods[i];
          out->push_back({method.eaptype, WideToU16(method.pwszFriendlyName), WideToU16(method.pwszAuthorName),
                          method.eapProperties});
        }
        if (array.pEapMethods != nullptr) {
          instance->api().EapHostPeerFreeMemory(reinterpret_cast<eap::BYTE*>(array.pEapMethods));
        }
        return true;
      },
      [](Napi::Env env, std::vector<MethodOut>& methods) {
        Napi::Array result = Napi::Array::New(env, methods.size());
        for (size_t i = 0; i < methods.size(); ++i) {
          Napi::Object method = ToMethodType(env, methods[i].type);
          method.Set("friendlyName", ToString(env, methods[i].friendlyName));
          method.Set("authorName", ToString(env, methods[i].authorName));
          method.Set("properties", methods[i].properties);
          result.Set(static_cast<uint32_t>(i), method);
        }
        return result;
      });
}

}  // namespace

void RegisterEapHostSessionExtras(Napi::Env env, Napi::Object exports) {
  exports.Set("eapHostGetUIContext", Napi::Function::New(env, GetUIContext));
  exports.Set("eapHostSetUIContext", Napi::Function::New(env, SetUIContext));
  exports.Set("eapHostGetResponseAttributes", Napi::Function::New(env, GetResponseAttributes));
  exports.Set("eapHostSetResponseAttributes", Napi::Function::New(env, SetResponseAttributes));
  exports.Set("eapHostGetAuthStatus", Napi::Function::New(env, GetAuthStatus));
  exports.Set("eapHostEndSession", Napi::Function::New(env, EndSession));
  exports.Set("eapHostClearConnection", Napi::Function::New(env, ClearConnection));
  exports.Set("eapHostGetIdentity", Napi::Function::New(env, GetIdentity));
  exports.Set("eapHostGetMethods", Napi::Function::New(env, GetMethods));
}

}  // namespace eaphost
