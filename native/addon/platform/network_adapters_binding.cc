// networkAdapters(): the adapters as GetAdaptersAddresses lists them (network_adapters.h), read
// synchronously on the calling thread (one call into iphlpapi, a few kilobytes); a failure throws
// the EapError naming the Win32 call. lib/profile/connect/wired-interface.ts matches a name.
#include <vector>

#include "../../platform/network_adapters.h"
#include "../generated/exports.h"
#include "../runtime/js_convert.h"

namespace eaphost {

Napi::Value seam::NetworkAdapters(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  std::vector<NetworkAdapter> adapters;
  EapErrorInfo error;
  if (!ReadNetworkAdapters(&adapters, &error)) throw Napi::Error(env, MakeEapError(env, error));
  Napi::Array out = Napi::Array::New(env, adapters.size());
  for (size_t i = 0; i < adapters.size(); ++i) {
    NetworkAdapterShapeWriter entry(env);
    entry.friendlyName(adapters[i].friendlyName);
    entry.guid(adapters[i].guid);
    entry.ifType(adapters[i].ifType);
    out.Set(static_cast<uint32_t>(i), entry.Make());
  }
  return out;
}

}  // namespace eaphost
