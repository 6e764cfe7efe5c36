// Bindings that drive a peer method module directly by the documented peer call sequence
// (the method host refuses calls out of order before they reach the module).
#include "../common/secure_zero.h"
#include "../common/utf16.h"
#include "bindings.h"
#include "js_convert.h"
#include "method_resources.h"

namespace eaphost {

namespace {

using Method = PeerMethodResource;

Napi::Value LoadPeerMethod(const Napi::CallbackInfo& info) {
  return LoadMethod<PeerMethod>(info, [](Napi::Env env, const eap::EAP_TYPE& type) {
    Napi::Object result = Napi::Object::New(env);
    SetField(result, "type", type.type);
    SetField(result, "vendorId", type.dwVendorId);
    SetField(result, "vendorType", type.dwVendorType);
    return result;
  });
}

Napi::Value QueryCredentialInputFields(const Napi::CallbackInfo& info) {
  eap::DWORD flags = DwordArg(info, 1, "flags");
  Bytes connectionData = BytesArg(info, 2, "connectionData");
  return CallOn<Method, std::vector<CredentialField>>(
      info, "EapPeerQueryCredentialInputFields",
      [flags, connectionData = std::move(connectionData)](PeerMethod& method, std::vector<CredentialField>* fields,
                                                          EapErrorInfo* error) {
        return method.QueryCredentialInputFields(flags, connectionData, fields, error);
      },
      [](Napi::Env env, std::vector<CredentialField>& fields) {
        Napi::Array result = Napi::Array::New(env, fields.size());
        for (size_t i = 0; i < fields.size(); ++i) {
          Napi::Object field = Napi::Object::New(env);
          SetField(field, "type", static_cast<int32_t>(fields[i].type));
          SetField(field, "flags", fields[i].flags);
          SetField(field, "label", ToString(env, fields[i].label));
          SetField(field, "minLength", fields[i].minLength);
          SetField(field, "maxLength", fields[i].maxLength);
          result.Set(static_cast<uint32_t>(i), field);
        }
        return result;
      });
}

// Credential fields hold a password: on the heap, passed as a pointer, wiped when done.
struct SecretFields {
  std::vector<CredentialField> fields;
  ~SecretFields() {
    for (auto& field : fields) SecureZeroContents(field.data);
  }
};

Napi::Value QueryUserBlob(const Napi::CallbackInfo& info) {
  eap::DWORD flags = DwordArg(info, 1, "flags");
  Bytes connectionData = BytesArg(info, 2, "connectionData");
  if (!info[3].IsArray()) throw Napi::TypeError::New(info.Env(), "fields must be an array");
  auto secret = std::make_shared<SecretFields>();
  Napi::Array array = info[3].As<Napi::Array>();
  secret->fields.resize(array.Length());
  for (uint32_t i = 0; i < array.Length(); ++i) {
    Napi::Value item = array.Get(i);
    if (!item.IsObject()) throw Napi::TypeError::New(info.Env(), "each field must be an object");
    Napi::Object object = item.As<Napi::Object>();
    if (!GetField(object, "type").IsNumber() || !GetField(object, "data").IsString()) {
      throw Napi::TypeError::New(info.Env(), "each field needs a numeric type and a string data");
    }
    CredentialField& field = secret->fields[i];
    field.type = static_cast<eap::EAP_CONFIG_INPUT_FIELD_TYPE>(GetField(object, "type").As<Napi::Number>().Int32Value());
    ReadSecretText(info.Env(), GetField(object, "data"), "data", &field.data);
  }
  return CallOn<Method, Bytes>(
      info, "EapPeerQueryUserBlobFromCredentialInputFields",
      [flags, connectionData = std::move(connectionData), secret = std::move(secret)](
          PeerMethod& method, Bytes* blob, EapErrorInfo* error) mutable {
        bool ok = method.QueryUserBlobFromCredentialInputFields(flags, connectionData, secret->fields, blob, error);
        secret.reset();
        return ok;
      },
      [](Napi::Env env, Bytes& blob) {
        Napi::Buffer<uint8_t> result = ToBuffer(env, blob);
        SecureZeroContents(blob);
        return result;
      });
}

Napi::Value GetIdentity(const Napi::CallbackInfo& info) {
  eap::DWORD flags = DwordArg(info, 1, "flags");
  Bytes connectionData = BytesArg(info, 2, "connectionData");
  Bytes userData = BytesArg(info, 3, "userData");
  return CallOn<Method, PeerIdentity>(
      info, "EapPeerGetIdentity",
      [flags, connectionData = std::move(connectionData), userData = std::move(userData)](
          PeerMethod& method, PeerIdentity* identity, EapErrorInfo* error) mutable {
        bool ok = method.GetIdentity(flags, connectionData, userData, identity, error);
        SecureZeroContents(userData);
        return ok;
      },
      IdentityToJs);
}

// peerMethodBeginSession(method, { flags, attributes, connectionData, userData, maxSendPacketSize })
Napi::Value BeginSession(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  auto method = UnwrapResource<Method>(info, 0, ResourceAccess<Method>::kHandle);
  Napi::Object options = OptionsArg(info, 1);
  PeerSessionOptions begin = PeerSessionOptionsValue(env, options);
  return BeginMethodSession<PeerMethodSession>(
      info, "EapPeerBeginSession", std::move(method),
      [begin = std::move(begin)](PeerMethodSession& session, EapErrorInfo* error) mutable {
        bool ok = session.BeginSession(begin.flags, begin.attributes, begin.connectionData, begin.userData,
                                       begin.maxSendPacketSize, error);
        SecureZeroContents(begin.userData);
        return ok;
      });
}

}  // namespace

ExportList PeerMethodExports() {
  return {
      {"peerMethodLoad", LoadPeerMethod},
      {"peerMethodQueryCredentialInputFields", QueryCredentialInputFields},
      {"peerMethodQueryUserBlob", QueryUserBlob},
      {"peerMethodGetIdentity", GetIdentity},
      {"peerMethodBeginSession", BeginSession},
  };
}

}  // namespace eaphost
