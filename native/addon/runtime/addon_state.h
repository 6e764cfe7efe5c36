// Per-environment state (main thread and every worker get their own): the host thread, the
// JS EapError class, the table of native resources still open, and the handles JS holds for
// them. Resources are touched only on the host thread. A handle is a number naming a resource
// in this environment's table, not an external: every external costs the garbage collector
// weak handles to process on each young-generation collection, two per session and two per
// conversation under load. The facade (lib/native/native-object.ts) releases the handle of an
// object collected without being closed, so a session dropped without end() is still ended
// and freed; numbers are never reused, so a released handle stays recognisable.
#pragma once

#include <atomic>
#include <memory>
#include <string>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include <napi.h>

#include "../../common/eap_error_info.h"
#include "host_thread.h"
#include "native_handle.h"

namespace eaphost {

class HostResource {
 public:
  virtual ~HostResource() = default;
  // Host thread. Ends what the resource holds; idempotent; leaves the object inert.
  virtual void Close() = 0;
  // JS thread only: release() already posted the close (or a job closed it), and the handle
  // names nothing any more.
  bool released = false;
  // JS thread only: the number JS holds for it, 0 until it is handed out.
  uint64_t handle = 0;
  // JS thread only: what kind of resource the handle names (ResourceKind), set when the handle
  // is handed out. A tag, not dynamic_cast: node-gyp builds Windows addons with /GR- (node's
  // common.gypi), where a dynamic_pointer_cast throws __non_rtti_object.
  const void* kind = nullptr;
};

// One distinct address per resource type: the kind tag a handle is checked against.
template <typename Resource>
inline constexpr char kResourceKind = 0;
template <typename Resource>
const void* ResourceKind() {
  return &kResourceKind<Resource>;
}

template <typename Resource>
struct ResourceAccess;  // specialized per resource kind (host_call.h, eaphost_call.h, method_resources.h)

// A call on a handle whose resource was released already. It is refused as the closed resource
// itself would refuse it (ResourceAccess<T>::Released: "Ended" for a session, "Closed" for the
// rest), as a rejection, by whoever knows the call's name: CallOn, or the export table's
// dispatch (module.cc), which every binding passes.
struct ReleasedHandle {
  EapErrorInfo (*refusal)(const char* call);
  // The call to name, when it is not the binding's own (one binding may run another's step).
  const char* call = nullptr;
};

struct AddonState {
  std::unique_ptr<HostThread> host;
  Napi::FunctionReference eapErrorClass;
  Napi::FunctionReference notificationDispatcher;
  // Whether any session has a 'notification' listener (setNotificationsHeard): EAPHost may call
  // back at every session's end, and a callback nobody hears costs both threads a hand-over.
  std::atomic<bool> notificationsHeard{false};
  // The builders of the result objects (MakeShaped, js_convert.h), from lib/, by the index of
  // their shape's registered name.
  std::vector<Napi::FunctionReference> shapes;
  // JS thread only: property names as JS strings, made once (PropertyKey, js_convert.h): kept
  // as the elements of one array, since N-API 8 cannot reference a string itself.
  Napi::Reference<Napi::Array> propertyKeys;
  std::unordered_map<const char*, uint32_t> propertyKeyIndex;
  // JS thread only: the slab PackAttributes (js_convert.h) fills, and how many of its bytes are
  // taken. Results keep it alive through their views; a full slab is let go for a new one.
  Napi::Reference<Napi::Buffer<uint8_t>> attributeSlab;
  size_t attributeSlabUsed = 0;
  // JS thread only: the texts RecurringText (js_convert.h) made once, kept the same way.
  Napi::Reference<Napi::Array> recurringTexts;
  std::unordered_map<std::u16string, uint32_t> recurringTextIndex;
  // Host thread only.
  std::unordered_set<std::shared_ptr<HostResource>> live;
  // JS thread only: the resources JS holds a handle to, by handle, and the last handle made.
  std::unordered_map<uint64_t, std::shared_ptr<HostResource>> handles;
  uint64_t lastHandle = 0;
  // Jobs that belong to no call: releases (a handle let go, or collected unclosed) and heap
  // trims. Counted apart so a test can hold a conversation to its own jobs whatever the
  // garbage collector released meanwhile (hostThreadStats().releases; run on the host thread).
  std::atomic<uint64_t> housekeepingJobs{0};
};

AddonState& StateOf(Napi::Env env);

// Host thread: remember a new resource so environment teardown can close it.
void Track(AddonState* state, const std::shared_ptr<HostResource>& resource);
// Host thread: close a resource and forget it (what a release or a finalizer ends with).
void Forget(AddonState* state, const std::shared_ptr<HostResource>& resource);
// JS thread: the handle JS keeps for a resource whose kind is already tagged.
Napi::Value WrapTaggedResource(Napi::Env env, std::shared_ptr<HostResource> resource);
// JS thread: the handle JS keeps for a resource, tagged as a Resource: UnwrapResource<Resource>
// finds it again, and only it.
template <typename Resource>
Napi::Value WrapResource(Napi::Env env, std::shared_ptr<Resource> resource) {
  if (resource->kind == nullptr) resource->kind = ResourceKind<Resource>();
  return WrapTaggedResource(env, std::move(resource));
}
// JS thread: the resource behind a handle; null for a handle released already; a TypeError
// naming what was expected for anything that was never a handle here.
std::shared_ptr<HostResource> FindResource(Napi::Env env, NativeHandleArg handle, const char* what);
template <typename T>
std::shared_ptr<T> UnwrapResource(Napi::Env env, NativeHandleArg value, const char* what) {
  std::shared_ptr<HostResource> found = FindResource(env, value, what);
  if (!found) throw ReleasedHandle{&ResourceAccess<T>::Released};
  if (found->kind != ResourceKind<T>()) throw Napi::TypeError::New(env, std::string("expected ") + what);
  return std::static_pointer_cast<T>(std::move(found));
}
// JS thread: close a resource now (on the host thread) and forget its handle.
void ReleaseResource(Napi::Env env, std::shared_ptr<HostResource> resource);
// JS thread: a job closed the resource (or is about to): forget its handle, post nothing.
void MarkReleased(Napi::Env env, HostResource& resource);


}  // namespace eaphost
