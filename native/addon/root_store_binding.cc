// rootStoreFind(sha1) / rootStoreInstall(der, 'LocalMachine' | 'CurrentUser'): Windows' Root
// certificate stores (root_store.h). Each runs on a thread of its own, not the host thread:
// adding to CurrentUser\Root shows Windows' confirmation dialog, which must stall no session.
#include <memory>
#include <system_error>

#include "bindings.h"
#include "host_call.h"
#include "js_convert.h"
#include "own_thread.h"
#include "root_store.h"

namespace eaphost {

namespace {

template <typename Output, typename Work, typename Settle>
Napi::Promise RunOnOwnThread(Napi::Env env, Work work, Settle settle) {
  auto deferred = Napi::Promise::Deferred::New(env);
  auto result = std::make_shared<HostCall<Output>>();
  HostThread& host = HostThreadOf(env);
  try {
    StartOwnThread([work = std::move(work), settle = std::move(settle), deferred, result, gate = host.gate()]() mutable {
      RunWork(*result, work);
      HostThread::CompleteThrough(gate, SettleCompletion(result, deferred, std::move(settle)));
    });
  } catch (const std::system_error& e) {
    // No thread to give: rejected now, and not counted as in flight (as RunOnUiThread).
    return RejectWith(env, HostError(eap::kErrorNotEnoughMemory, "root store", e.what()));
  }
  // Counted once the thread exists; only this thread settles (and uncounts) it, later.
  host.Expect();
  return deferred.Promise();
}

Napi::Value RootStoreFind(const Napi::CallbackInfo& info) {
  Bytes sha1 = BytesArg(info, 0, "sha1");
  using Stores = std::vector<std::string>;
  return RunOnOwnThread<Stores>(
      info.Env(), [sha1](Stores* out, EapErrorInfo* error) { return FindRootCertificate(sha1, out, error); },
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
      info.Env(),
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
