// rootStoreFind({ sha1 }) / rootStoreInstall({ certificate, store }) / rootStoreRemove({ sha1,
// store }): Windows' Root
// certificate stores (root_store.h). Each runs on a thread of its own, not the host thread:
// adding to CurrentUser\Root shows Windows' confirmation dialog, which must stall no session.
#include <string>
#include <vector>

#include "bindings.h"
#include "contract.h"
#include "host_call.h"
#include "js_convert.h"
#include "named_args.h"
#include "root_store.h"

namespace eaphost {

namespace {

Napi::Value RootStoreFind(const Napi::CallbackInfo& info) {
  RootStoreFindArgs args;
  args.sha1 = BufferField(ArgsObject(info, "rootStoreFind"), "sha1");
  using Stores = std::vector<std::string>;
  return RunOnOwnThread<Stores>(
      info.Env(), "rootStoreFind",
      [sha1 = std::move(args.sha1)](Stores* out, EapErrorInfo* error) { return FindRootCertificate(sha1, out, error); },
      [](Napi::Env env, Stores& stores) {
        Napi::Array result = Napi::Array::New(env, stores.size());
        for (size_t i = 0; i < stores.size(); ++i) result.Set(static_cast<uint32_t>(i), stores[i]);
        return result;
      });
}

// The `store` field both writes take, read into `store`: whether it names LocalMachine\Root (true)
// or CurrentUser\Root (false); anything else throws.
bool LocalMachineField(Napi::Object object, std::string* store) {
  *store = StringField(object, "store");
  if (*store != "LocalMachine" && *store != "CurrentUser") {
    throw Napi::TypeError::New(object.Env(), "store must be 'LocalMachine' or 'CurrentUser'");
  }
  return *store == "LocalMachine";
}

Napi::Value RootStoreInstall(const Napi::CallbackInfo& info) {
  Napi::Object object = ArgsObject(info, "rootStoreInstall");
  RootStoreInstallArgs args;
  args.certificate = BufferField(object, "certificate");
  bool localMachine = LocalMachineField(object, &args.store);
  return RunOnOwnThread<bool>(
      info.Env(), "rootStoreInstall",
      [der = std::move(args.certificate), localMachine](bool*, EapErrorInfo* error) {
        return InstallRootCertificate(der, localMachine, error);
      },
      SettleNothing);
}

Napi::Value RootStoreRemove(const Napi::CallbackInfo& info) {
  Napi::Object object = ArgsObject(info, "rootStoreRemove");
  RootStoreRemoveArgs args;
  args.sha1 = BufferField(object, "sha1");
  bool localMachine = LocalMachineField(object, &args.store);
  return RunOnOwnThread<bool>(
      info.Env(), "rootStoreRemove",
      [sha1 = std::move(args.sha1), localMachine](bool* removed, EapErrorInfo* error) {
        return RemoveRootCertificate(sha1, localMachine, removed, error);
      },
      [](Napi::Env env, bool& removed) { return Napi::Boolean::New(env, removed); });
}

}  // namespace

ExportList RootStoreExports() {
  return {
      {"rootStoreFind", RootStoreFind},
      {"rootStoreInstall", RootStoreInstall},
      {"rootStoreRemove", RootStoreRemove},
  };
}

}  // namespace eaphost
