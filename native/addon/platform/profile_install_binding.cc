// What installing a network profile on Windows needs from the OS, each an explicit call:
//   wlanInterfaces()                         the WLAN interfaces Native Wifi manages
//   wlanSetProfile(WlanSetProfileArgs)       wlan_profile.h; the interfaces it was set on
//   userStoreImportPkcs12({ pkcs12, password })  user_certificate_store.h; the thumbprints imported
//   userStoreFind({ sha1 })                  { hasKey } or null
// They run on the host thread (COM is entered there, which MSXML needs); none shows a dialog.
// The CA goes into Root through rootStoreInstall (root_store_binding.cc).
#include <memory>

#include "../../common/secure_zero.h"
#include "../generated/exports.h"
#include "../generated/arg_structs.h"
#include "../runtime/host_call.h"
#include "../runtime/js_convert.h"
#include "../runtime/named_args.h"
#include "../../platform/user_certificate_store.h"
#include "../../platform/wlan_profile.h"

namespace eaphost {

namespace {

using Interfaces = std::vector<WlanInterface>;

Napi::Value InterfacesToJs(Napi::Env env, Interfaces& interfaces) {
  Napi::Array out = Napi::Array::New(env, interfaces.size());
  for (size_t i = 0; i < interfaces.size(); ++i) {
    WlanInterfaceShapeWriter entry(env);
    entry.guid(interfaces[i].guid);
    entry.description(interfaces[i].description);
    entry.state(interfaces[i].state);
    out.Set(static_cast<uint32_t>(i), entry.Make());
  }
  return out;
}

}  // namespace

Napi::Value seam::WlanInterfaces(const Napi::CallbackInfo& info) {
  return RunOnHost<Interfaces>(
      info.Env(), [](Interfaces* out, EapErrorInfo* error) { return ListWlanInterfaces(out, error); }, InterfacesToJs);
}

Napi::Value seam::WlanSetProfile(const Napi::CallbackInfo& info, Napi::Object object) {
  // The user data holds the password: wiped when the last copy of the request goes, whether or
  // not the work ever ran.
  WlanSetProfileArgs read = ReadWlanSetProfileArgs(object);
  if (read.profileXml.empty() || read.profileName.empty()) {
    throw Napi::TypeError::New(info.Env(), "profileXml and profileName must be non-empty strings");
  }
  auto request = std::make_shared<WlanProfileRequest>();
  request->profileXml = std::move(read.profileXml);
  request->profileName = std::move(read.profileName);
  request->eapUserDataXml.swap(read.eapUserDataXml);
  request->interfaceName = std::move(read.interfaceName);
  return RunOnHost<Interfaces>(
      info.Env(),
      [request](Interfaces* out, EapErrorInfo* error) { return SetWlanProfile(*request, out, error); },
      InterfacesToJs);
}

Napi::Value seam::UserStoreImportPkcs12(const Napi::CallbackInfo& info, Napi::Object object) {
  UserStoreImportPkcs12Args read = ReadUserStoreImportPkcs12Args(object);
  // The password wiped when the last copy of the request goes, whether or not the work ran
  // (ImportUserPkcs12 wipes it when it does).
  struct Import {
    Bytes pkcs12;
    std::string password;
  };
  std::shared_ptr<Import> args(new Import(), [](Import* held) {
    SecureZeroContents(held->password);
    delete held;
  });
  args->pkcs12 = std::move(read.pkcs12);
  args->password = StringValue(info.Env(), read.password.Unread(), "password");
  using Thumbprints = std::vector<std::string>;
  return RunOnHost<Thumbprints>(
      info.Env(),
      [args](Thumbprints* out, EapErrorInfo* error) {
        return ImportUserPkcs12(args->pkcs12, &args->password, out, error);
      },
      [](Napi::Env env, Thumbprints& thumbprints) {
        Napi::Array out = Napi::Array::New(env, thumbprints.size());
        for (size_t i = 0; i < thumbprints.size(); ++i) out.Set(static_cast<uint32_t>(i), thumbprints[i]);
        return out;
      });
}

Napi::Value seam::UserStoreFind(const Napi::CallbackInfo& info, Napi::Object object) {
  UserStoreFindArgs args = ReadUserStoreFindArgs(object);
  struct Found {
    bool found = false;
    bool hasKey = false;
  };
  return RunOnHost<Found>(
      info.Env(),
      [sha1 = std::move(args.sha1)](Found* out, EapErrorInfo* error) {
        return FindUserCertificate(sha1, &out->found, &out->hasKey, error);
      },
      [](Napi::Env env, Found& out) -> Napi::Value {
        if (!out.found) return env.Null();
        UserStoreKeyShapeWriter result(env);
        result.hasKey(out.hasKey);
        return result.Make();
      });
}

}  // namespace eaphost
