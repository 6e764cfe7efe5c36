// Bindings that drive a peer method module directly by the documented peer call sequence
// (the method host refuses calls out of order before they reach the module): peerMethodLoad,
// and one export per EapPeer* function on the module (peerMethodBeginSession, …).
#include "../../common/secure_zero.h"
#include "../../common/utf16.h"
#include "../generated/exports.h"
#include "../generated/arg_structs.h"
#include "../runtime/js_convert.h"
#include "method_resources.h"
#include "../runtime/named_args.h"

namespace eaphost {

namespace {

using Method = PeerMethodResource;

}  // namespace

// peerMethodLoad({ path, methodType? })
Napi::Value seam::PeerMethodLoad(const Napi::CallbackInfo&, Napi::Object object) {
  return LoadMethod<PeerMethod>(object, [](Napi::Env env, const eap::EAP_TYPE& type, Napi::Value handle) {
    LoadedPeerMethodShapeWriter result(env);
    result.handle(handle);
    result.type(type.type);
    result.vendorId(type.dwVendorId);
    result.vendorType(type.dwVendorType);
    return result.Make();
  });
}

Napi::Value seam::PeerMethodQueryCredentialInputFields(const Napi::CallbackInfo&, Napi::Object object) {
  EapPeerQueryCredentialInputFieldsArgs args = ReadEapPeerQueryCredentialInputFieldsArgs(object);
  return CallOn<Method, std::vector<CredentialField>>(
      object.Env(), args.method, "EapPeerQueryCredentialInputFields",
      [flags = args.flags, connectionData = std::move(args.connectionData)](
          PeerMethod& method, std::vector<CredentialField>* fields, EapErrorInfo* error) {
        return method.QueryCredentialInputFields(flags, connectionData, fields, error);
      },
      [](Napi::Env env, std::vector<CredentialField>& fields) {
        Napi::Array result = Napi::Array::New(env, fields.size());
        for (size_t i = 0; i < fields.size(); ++i) {
          CredentialFieldShapeWriter field(env);
          field.type(static_cast<int32_t>(fields[i].type));
          field.flags(fields[i].flags);
          field.label(fields[i].label);
          field.minLength(fields[i].minLength);
          field.maxLength(fields[i].maxLength);
          result.Set(static_cast<uint32_t>(i), field.Make());
        }
        return result;
      });
}

namespace {

// Credential fields hold a password: on the heap, passed as a pointer, wiped when done.
struct SecretFields {
  std::vector<CredentialField> fields;
  ~SecretFields() {
    for (auto& field : fields) SecureZeroContents(field.data);
  }
};

// [{ type, data }], each data read straight into wiped storage.
std::shared_ptr<SecretFields> CredentialFieldsValue(Napi::Env env, Napi::Value value) {
  if (!value.IsArray()) throw Napi::TypeError::New(env, "fields must be an array");
  auto secret = std::make_shared<SecretFields>();
  Napi::Array array = value.As<Napi::Array>();
  // The length its reader bounded (SecretList, at most 64), read once: a getter that lengthens
  // the array cannot walk past what was allocated.
  const uint32_t length = array.Length();
  secret->fields.resize(length);
  for (uint32_t i = 0; i < length; ++i) {
    Napi::Value item = array.Get(i);
    if (!item.IsObject()) throw Napi::TypeError::New(env, "each field must be an object");
    Napi::Object object = item.As<Napi::Object>();
    if (!GetField(object, "type").IsNumber() || !GetField(object, "data").IsString()) {
      throw Napi::TypeError::New(env, "each field needs a numeric type and a string data");
    }
    CredentialField& field = secret->fields[i];
    field.type = static_cast<eap::EAP_CONFIG_INPUT_FIELD_TYPE>(GetField(object, "type").As<Napi::Number>().Int32Value());
    ReadSecretText(env, GetField(object, "data"), "data", &field.data);
  }
  return secret;
}

}  // namespace

Napi::Value seam::PeerMethodQueryUserBlobFromCredentialInputFields(const Napi::CallbackInfo&, Napi::Object object) {
  EapPeerQueryUserBlobFromCredentialInputFieldsArgs args = ReadEapPeerQueryUserBlobFromCredentialInputFieldsArgs(object);
  std::shared_ptr<SecretFields> secret = CredentialFieldsValue(object.Env(), args.fields.Unread());
  return CallOn<Method, Bytes>(
      object.Env(), args.method, "EapPeerQueryUserBlobFromCredentialInputFields",
      [flags = args.flags, connectionData = std::move(args.connectionData), secret = std::move(secret)](
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

Napi::Value seam::PeerMethodGetIdentity(const Napi::CallbackInfo&, Napi::Object object) {
  EapPeerGetIdentityArgs args = ReadEapPeerGetIdentityArgs(object);
  return CallOn<Method, PeerIdentity>(
      object.Env(), args.method, "EapPeerGetIdentity",
      [flags = args.flags, connectionData = std::move(args.connectionData), userData = std::move(args.userData)](
          PeerMethod& method, PeerIdentity* identity, EapErrorInfo* error) mutable {
        bool ok = method.GetIdentity(flags, connectionData, userData, identity, error);
        SecureZeroContents(userData);
        return ok;
      },
      IdentityToJs);
}

Napi::Value seam::PeerMethodBeginSession(const Napi::CallbackInfo&, Napi::Object object) {
  EapPeerBeginSessionArgs args = ReadEapPeerBeginSessionArgs(object);
  return BeginMethodSession<PeerMethodSession, PeerMethod>(
      object.Env(), args.method, "EapPeerBeginSession",
      [flags = args.flags, attributes = std::move(args.attributes), connectionData = std::move(args.connectionData),
       userData = std::move(args.userData), maxSendPacketSize = args.maxSendPacketSize](
          PeerMethodSession& session, EapErrorInfo* error) mutable {
        bool ok = session.BeginSession(flags, attributes, connectionData, userData, maxSendPacketSize, error);
        SecureZeroContents(userData);
        return ok;
      });
}

}  // namespace eaphost
