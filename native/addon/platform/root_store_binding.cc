// rootStoreFind({ sha1 }) / rootStoreInstall({ certificate, store }) / rootStoreRemove({ sha1,
// store }): Windows' Root
// certificate stores (root_store.h). Each runs on a thread of its own, not the host thread:
// adding to CurrentUser\Root shows Windows' confirmation dialog, which must stall no session.
#include <string>
#include <vector>

#include "../generated/exports.h"
#include "../generated/arg_structs.h"
#include "../runtime/host_call.h"
#include "../runtime/js_convert.h"
#include "../runtime/named_args.h"
#include "../../platform/root_store.h"

namespace eaphost {

Napi::Value seam::RootStoreFind(const Napi::CallbackInfo& info, Napi::Object object) {
  RootStoreFindArgs args = ReadRootStoreFindArgs(object);
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

namespace {

// The `store` field both writes take: whether it names LocalMachine\Root (true) or
// CurrentUser\Root (false); anything else throws.
bool IsLocalMachine(Napi::Env env, const std::string& store) {
  if (store != "LocalMachine" && store != "CurrentUser") {
    throw Napi::TypeError::New(env, "store must be 'LocalMachine' or 'CurrentUser'");
  }
  return store == "LocalMachine";
}

}  // namespace

Napi::Value seam::RootStoreInstall(const Napi::CallbackInfo& info, Napi::Object object) {
  RootStoreInstallArgs args = ReadRootStoreInstallArgs(object);
  bool localMachine = IsLocalMachine(info.Env(), args.store);
  return RunOnOwnThread<bool>(
      info.Env(), "rootStoreInstall",
      [der = std::move(args.certificate), localMachine](bool*, EapErrorInfo* error) {
        return InstallRootCertificate(der, localMachine, error);
      },
      SettleNothing);
}

Napi::Value seam::RootStoreRemove(const Napi::CallbackInfo& info, Napi::Object object) {
  RootStoreRemoveArgs args = ReadRootStoreRemoveArgs(object);
  bool localMachine = IsLocalMachine(info.Env(), args.store);
  return RunOnOwnThread<bool>(
      info.Env(), "rootStoreRemove",
      [sha1 = std::move(args.sha1), localMachine](bool* removed, EapErrorInfo* error) {
        return RemoveRootCertificate(sha1, localMachine, removed, error);
      },
      [](Napi::Env env, bool& removed) { return Napi::Boolean::New(env, removed); });
}

}  // namespace eaphost
