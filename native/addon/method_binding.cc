// Bindings that drive a peer method module directly by the documented peer call sequence
// (the method host refuses calls out of order before they reach the module).
#include "../common/utf16.h"
#include "js_convert.h"
#include "method_resources.h"

namespace eaphost {

namespace {

Napi::Value OutputToJs(Napi::Env env, const PeerMethodOutput& output) {
  Napi::Object result = Napi::Object::New(env);
  result.Set("action", static_cast<int32_t>(output.action));
  result.Set("allowNotifications", output.allowNotifications);
  return result;
}

Napi::Value LoadPeerMethod(const Napi::CallbackInfo& info) {
  std::string path = StringArg(info, 0, "path");
  // Optional: the method type to ask GetInfo for, because one module may serve several types;
  // without it the host asks the module what it serves.
  bool typed = info.Length() > 1 && !info[1].IsUndefined();
  eap::EAP_METHOD_TYPE type = typed ? MethodTypeArg(info, 1) : eap::EAP_METHOD_TYPE{};
  AddonState* state = &StateOf(info.Env());
  using Out = std::shared_ptr<PeerMethodResource>;
  return RunOnHost<Out>(
      info.Env(),
      [state, path, typed, type](Out* out, EapErrorInfo* error) {
        auto method = typed ? PeerMethod::Open(path, type, error) : PeerMethod::Open(path, error);
        if (!method) return false;
        *out = std::make_shared<PeerMethodResource>(method);
        Track(state, *out);
        return true;
      },
      [](Napi::Env env, Out& out) {
        const eap::EAP_TYPE& type = out->holder()->type();
        Napi::Object result = Napi::Object::New(env);
        result.Set("handle", WrapResource(env, out));
        result.Set("type", type.type);
        result.Set("vendorId", type.dwVendorId);
        result.Set("vendorType", type.dwVendorType);
        return result;
      });
}

Napi::Value QueryCredentialInputFields(const Napi::CallbackInfo& info) {
  auto method = UnwrapResource<PeerMethodResource>(info, 0, "a peer method handle");
  eap::DWORD flags = DwordArg(info, 1, "flags");
  Bytes connectionData = BytesArg(info, 2, "connectionData");
  return RunOnHost<std::vector<CredentialField>>(
      info.Env(),
      [=](std::vector<CredentialField>* fields, EapErrorInfo* error) {
        PeerMethod* m = method->Get("EapPeerQueryCredentialInputFields", "peer method", error);
        return m && m->QueryCredentialInputFields(flags, connectionData, fields, error);
      },
      [](Napi::Env env, std::vector<CredentialField>& fields) {
        Napi::Array result = Napi::Array::New(env, fields.size());
        for (size_t i = 0; i < fields.size(); ++i) {
          Napi::Object field = Napi::Object::New(env);
          field.Set("type", static_cast<int32_t>(fields[i].type));
          field.Set("flags", fields[i].flags);
          field.Set("label", ToString(env, fields[i].label));
          field.Set("minLength", fields[i].minLength);
          field.Set("maxLength", fields[i].maxLength);
          result.Set(static_cast<uint32_t>(i), field);
        }
        return result;
      });
}

Napi::Value QueryUserBlob(const Napi::CallbackInfo& info) {
  auto method = UnwrapResource<PeerMethodResource>(info, 0, "a peer method handle");
  eap::DWORD flags = DwordArg(info, 1, "flags");
  Bytes connectionData = BytesArg(info, 2, "connectionData");
  if (!info[3].IsArray()) throw Napi::TypeError::New(info.Env(), "fields must be an array");
  std::vector<CredentialField> fields;
  Napi::Array array = info[3].As<Napi::Array>();
  for (uint32_t i = 0; i < array.Length(); ++i) {
    Napi::Value item = array.Get(i);
    if (!item.IsObject()) throw Napi::TypeError::New(info.Env(), "each field must be an object");
    Napi::Object object = item.As<Napi::Object>();
    if (!object.Get("type").IsNumber() || !object.Get("data").IsString()) {
      throw Napi::TypeError::New(info.Env(), "each field needs a numeric type and a string data");
    }
    CredentialField field{};
    field.type = static_cast<eap::EAP_CONFIG_INPUT_FIELD_TYPE>(object.Get("type").As<Napi::Number>().Int32Value());
    field.data = object.Get("data").As<Napi::String>().Utf16Value();
    fields.push_back(std::move(field));
  }
  return RunOnHost<Bytes>(
      info.Env(),
      [=](Bytes* blob, EapErrorInfo* error) mutable {
        PeerMethod* m = method->Get("EapPeerQueryUserBlobFromCredentialInputFields", "peer method", error);
        bool ok = m && m->QueryUserBlobFromCredentialInputFields(flags, connectionData, fields, blob, error);
        for (auto& field : fields) std::fill(field.data.begin(), field.data.end(), u'\0');
        return ok;
      },
      [](Napi::Env env, Bytes& blob) {
        Napi::Buffer<uint8_t> result = ToBuffer(env, blob);
        std::fill(blob.begin(), blob.end(), 0);
        return result;
      });
}

Napi::Value GetIdentity(const Napi::CallbackInfo& info) {
  auto method = UnwrapResource<PeerMethodResource>(info, 0, "a peer method handle");
  eap::DWORD flags = DwordArg(info, 1, "flags");
  Bytes connectionData = BytesArg(info, 2, "connectionData");
  Bytes userData = BytesArg(info, 3, "userData");
  return RunOnHost<PeerIdentity>(
      info.Env(),
      [=](PeerIdentity* identity, EapErrorInfo* error) mutable {
        PeerMethod* m = method->Get("EapPeerGetIdentity", "peer method", error);
        bool ok = m && m->GetIdentity(flags, connectionData, userData, identity, error);
        std::fill(userData.begin(), userData.end(), 0);
        return ok;
      },
      [](Napi::Env env, PeerIdentity& identity) {
        Napi::Object result = Napi::Object::New(env);
        result.Set("invokeUI", identity.invokeUI);
        result.Set("userData", ToBuffer(env, identity.userDataOut));
        result.Set("identity", ToString(env, identity.identity));
        return result;
      });
}

Napi::Value BeginSession(const Napi::CallbackInfo& info) {
  auto method = UnwrapResource<PeerMethodResource>(info, 0, "a peer method handle");
  eap::DWORD flags = DwordArg(info, 1, "flags");
  Attributes attributes = AttributesArg(info, 2, "attributes");
  Bytes connectionData = BytesArg(info, 3, "connectionData");
  Bytes userData = BytesArg(info, 4, "userData");
  eap::DWORD maxSendPacketSize = DwordArg(info, 5, "maxSendPacketSize");
  AddonState* state = &StateOf(info.Env());
  using Out = std::shared_ptr<PeerSessionResource>;
  return RunOnHost<Out>(
      info.Env(),
      [=](Out* out, EapErrorInfo* error) mutable {
        PeerMethod* m = method->Get("EapPeerBeginSession", "peer method", error);
        if (m == nullptr) return false;
        auto session = std::make_unique<PeerMethodSession>(method->holder());
        bool ok = session->BeginSession(flags, attributes, connectionData, userData, maxSendPacketSize, error);
        std::fill(userData.begin(), userData.end(), 0);
        if (!ok) return false;
        *out = std::make_shared<PeerSessionResource>(std::move(session));
        Track(state, *out);
        return true;
      },
      [](Napi::Env env, Out& out) { return WrapResource(env, out); });
}

}  // namespace

void RegisterPeerSessionBinding(Napi::Env env, Napi::Object exports);            // peer_session_binding.cc
void RegisterAuthenticatorMethodBinding(Napi::Env env, Napi::Object exports);  // authenticator_method_binding.cc

void RegisterMethodBinding(Napi::Env env, Napi::Object exports) {
  exports.Set("peerMethodLoad", Napi::Function::New(env, LoadPeerMethod));
  exports.Set("peerMethodQueryCredentialInputFields", Napi::Function::New(env, QueryCredentialInputFields));
  exports.Set("peerMethodQueryUserBlob", Napi::Function::New(env, QueryUserBlob));
  exports.Set("peerMethodGetIdentity", Napi::Function::New(env, GetIdentity));
  exports.Set("peerMethodBeginSession", Napi::Function::New(env, BeginSession));
  RegisterPeerSessionBinding(env, exports);
  RegisterAuthenticatorMethodBinding(env, exports);
}

Napi::Value PeerOutputToJs(Napi::Env env, const PeerMethodOutput& output) { return OutputToJs(env, output); }

}  // namespace eaphost
