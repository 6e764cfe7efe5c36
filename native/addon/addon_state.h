// Per-environment state (main thread and every worker get their own): the host thread, the
// JS EapError class, and the table of native resources still open. Resources are touched
// only on the host thread; JS holds them through tagged externals whose finalizers close
// them there, so a session dropped without end() is still ended and freed.
#pragma once

#include <memory>
#include <unordered_map>
#include <unordered_set>

#include <napi.h>

#include "host_thread.h"

namespace eaphost {

class HostResource {
 public:
  virtual ~HostResource() = default;
  // Host thread. Ends what the resource holds; idempotent; leaves the object inert.
  virtual void Close() = 0;
  // JS thread only: release() already posted the close, so the handle's finalizer need not.
  bool released = false;
};

struct AddonState {
  std::unique_ptr<HostThread> host;
  Napi::FunctionReference eapErrorClass;
  Napi::FunctionReference notificationDispatcher;
  // The builders of the hottest result objects (ResultShape, js_convert.h), from lib/.
  Napi::FunctionReference shapes[7];
  // JS thread only: property names as JS strings, made once (PropertyKey, js_convert.h): kept
  // as the elements of one array, since N-API 8 cannot reference a string itself.
  Napi::Reference<Napi::Array> propertyKeys;
  std::unordered_map<const char*, uint32_t> propertyKeyIndex;
  // Host thread only.
  std::unordered_set<std::shared_ptr<HostResource>> live;
};

AddonState& StateOf(Napi::Env env);

// Host thread: remember a new resource so environment teardown can close it.
void Track(AddonState* state, const std::shared_ptr<HostResource>& resource);
// Host thread: close a resource and forget it (what a release or a finalizer ends with).
void Forget(AddonState* state, const std::shared_ptr<HostResource>& resource);
// JS thread: the handle JS keeps for a resource.
Napi::Value WrapResource(Napi::Env env, std::shared_ptr<HostResource> resource);
// JS thread: the resource behind a handle, or a TypeError naming what was expected.
std::shared_ptr<HostResource> UnwrapResourceBase(const Napi::CallbackInfo& info, size_t index,
                                                 const char* what);
template <typename T>
std::shared_ptr<T> UnwrapResource(const Napi::CallbackInfo& info, size_t index, const char* what) {
  auto resource = std::dynamic_pointer_cast<T>(UnwrapResourceBase(info, index, what));
  if (!resource) throw Napi::TypeError::New(info.Env(), std::string("expected ") + what);
  return resource;
}
// JS thread: close a resource now (on the host thread) and forget it.
void ReleaseResource(Napi::Env env, std::shared_ptr<HostResource> resource);


}  // namespace eaphost
