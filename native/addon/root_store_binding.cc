// rootStoreFind(sha1) / rootStoreInstall(der, 'LocalMachine' | 'CurrentUser'): Windows' Root
// certificate stores (root_store.h). Each runs on a thread of its own, not the host thread:
// adding to CurrentUser\Root shows Windows' confirmation dialog, which must stall no session.
#include <string>
#include <vector>

#include "bindings.h"
#include "host_call.h"
#include "js_convert.h"
#include "root_store.h"

namespace eaphost {

namespace {

Napi::Value RootStoreFind(const Napi::CallbackInfo& info) {
  Bytes sha1 = BytesArg(info, 0, "sha1");
  using Stores = std::vector<std::string>;
  return RunOnOwnThread<Stores>(
      info.Env(), "rootStoreFind", [sha1](Stores* out, EapErrorInfo* error) { return FindRootCertificate(sha1, out, error); },
      [](Napi::Env env, Stores& stores) {
        Napi::Array result = Napi::Array::New(env, stores.size());
        for (size_t i = 0; i < stores.size(); ++i) result.Set(static_cast<uint32_t>(i), stores[i]);
        return result;
      });
}

Napi::Value RootStoreInstall(const Napi::CallbackInfo& info) {
  Bytes der = BytesArg(info, 0, "certificate");
  std::string store = StringArg(info, 1, "store");
  if (store != "LocalMachine" && store != "CurrentUser") {
    throw Napi::TypeError::New(info.Env(), "store must be 'LocalMachine' or 'CurrentUser'");
  }
  bool localMachine = store == "LocalMachine";
  return RunOnOwnThread<bool>(
      info.Env(), "rootStoreInstall",
      [der, localMachine](bool*, EapErrorInfo* error) { return InstallRootCertificate(der, localMachine, error); },
      SettleNothing);
}

}  // namespace

ExportList RootStoreExports() {
  return {
      {"rootStoreFind", RootStoreFind},
      {"rootStoreInstall", RootStoreInstall},
  };
}

}  // namespace eaphost
