// Module initialization, per-environment state and teardown.
#include <cmath>
#include <cstring>
#include <optional>
#include <vector>

#include <napi.h>
#if defined(__GLIBC__)
#include <malloc.h>
#endif
#if defined(__SANITIZE_ADDRESS__)
#define EAPHOST_ASAN_HEAP 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define EAPHOST_ASAN_HEAP 1
#endif
#endif
#if defined(EAPHOST_ASAN_HEAP)
#include <sanitizer/allocator_interface.h>
#endif

#include "addon_state.h"
#include "bindings.h"
#include "../generated/arg_structs.h"
#include "../../common/environment.h"
#include "../generated/export_table.h"
#include "js_convert.h"
#include "named_args.h"

namespace eaphost {

namespace {
void CloseEverything(AddonState* state) {
  for (const auto& resource : state->live) resource->Close();
  state->live.clear();
}

void Teardown(AddonState* state) {
  if (state->host) state->host->Shutdown([state] { CloseEverything(state); });
}

}  // namespace

// configure({ eapErrorClass?, notificationDispatcher?, notificationsHeard?, resultShapes? }): each
// setting given replaces its own. notificationsHeard: whether any session listens for notifications now.
Napi::Value seam::Configure(const Napi::CallbackInfo& info, Napi::Object object) {
  ConfigureArgs args = ReadConfigureArgs(object);
  AddonState& state = StateOf(info.Env());
  if (args.eapErrorClass) state.eapErrorClass = Napi::Persistent(*args.eapErrorClass);
  if (args.notificationDispatcher) state.notificationDispatcher = Napi::Persistent(*args.notificationDispatcher);
  if (args.notificationsHeard) state.notificationsHeard.store(*args.notificationsHeard, std::memory_order_release);
  if (args.resultShapes) SetResultShapes(info.Env(), *args.resultShapes);
  return info.Env().Undefined();
}

// release({ handle }): closes the resource on the host thread; a handle released already (by an
// earlier release, or by the job that closed it) is left alone.
Napi::Value seam::Release(const Napi::CallbackInfo& info, Napi::Object object) {
  ReleaseArgs args = ReadReleaseArgs(object);
  std::shared_ptr<HostResource> resource = FindResource(info.Env(), args.handle, "a native handle");
  if (resource) ReleaseResource(info.Env(), std::move(resource));
  return info.Env().Undefined();
}

// trimHeap(): hands the pages of freed native memory back to the system, on the host thread
// after every job already posted (releases included). An authenticator calls it once many
// conversations have ended: glibc keeps what a flood of them freed otherwise.
Napi::Value seam::TrimHeap(const Napi::CallbackInfo& info) {
  AddonState* state = &StateOf(info.Env());
  state->host->Post([state] {
    state->housekeepingJobs.fetch_add(1, std::memory_order_relaxed);
#if defined(__GLIBC__)
    malloc_trim(0);
#endif
  });
  return info.Env().Undefined();
}

namespace {

// The bytes the C allocator has handed out and not had back, all threads (AddressSanitizer's
// allocator under it), or none where no allocator says. A leak check compares this, not RSS:
// RSS also moves with pages the allocator keeps or returns, by tens of megabytes either way,
// whatever the program holds.
std::optional<double> NativeHeapInUse() {
#if defined(EAPHOST_ASAN_HEAP)
  return static_cast<double>(__sanitizer_get_current_allocated_bytes());
#elif defined(__GLIBC__) && (__GLIBC__ > 2 || (__GLIBC__ == 2 && __GLIBC_MINOR__ >= 33))
  const struct mallinfo2 heap = mallinfo2();
  return static_cast<double>(heap.uordblks + heap.hblkhd);
#else
  return std::nullopt;
#endif
}

}  // namespace

// hostThreadStats(): the host thread's counters (HostThread::Stats) and the heap in use, for
// the bench and tests.
Napi::Value seam::HostThreadStats(const Napi::CallbackInfo& info) {
  HostThread::Stats stats = HostThreadOf(info.Env()).stats();
  std::optional<double> heapInUse = NativeHeapInUse();
  HostThreadStatsShapeWriter out(info.Env());
  out.jobs(static_cast<double>(stats.jobs));
  out.batches(static_cast<double>(stats.batches));
  out.drains(static_cast<double>(stats.drains));
  out.housekeeping(static_cast<double>(StateOf(info.Env()).housekeepingJobs.load(std::memory_order_relaxed)));
  out.aside(static_cast<double>(stats.aside));
  if (heapInUse) out.heapInUse(*heapInUse);
  return out.Make();
}

namespace {

// Every binding is called through here: a call on a handle released already is refused as its
// closed resource refuses calls (a rejection naming the binding), never an exception that
// unwinds into Node.
Napi::Value Dispatch(const Napi::CallbackInfo& info) {
  const auto* entry = static_cast<const Export*>(info.Data());
  try {
    return entry->function(info);
  } catch (const ReleasedHandle& released) {
    return RejectWith(info.Env(), released.refusal(released.call != nullptr ? released.call : entry->name));
  }
}

void ExportEntry(Napi::Env env, Napi::Object exports, const Export& entry) {
  exports.Set(entry.name, Napi::Function::New(env, Dispatch, entry.name, const_cast<Export*>(&entry)));
}
}  // namespace

AddonState& StateOf(Napi::Env env) { return *env.GetInstanceData<AddonState>(); }
HostThread& HostThreadOf(Napi::Env env) { return *StateOf(env).host; }

void Track(AddonState* state, const std::shared_ptr<HostResource>& resource) {
  state->live.insert(resource);
}

void Forget(AddonState* state, const std::shared_ptr<HostResource>& resource) {
  resource->Close();
  state->live.erase(resource);
}

Napi::Value WrapTaggedResource(Napi::Env env, std::shared_ptr<HostResource> resource) {
  AddonState& state = StateOf(env);
  if (resource->handle == 0) {
    // Doubles name every integer up to 2^53: at a million handles a second, centuries.
    resource->handle = ++state.lastHandle;
    state.handles.emplace(resource->handle, resource);
  }
  return Napi::Number::New(env, static_cast<double>(resource->handle));
}

std::shared_ptr<HostResource> FindResource(Napi::Env env, NativeHandleArg handle, const char* what) {
  AddonState& state = StateOf(env);
  double number = handle.number;
  // Only whole numbers this environment handed out: the rest is no handle at all.
  if (!(number >= 1 && number <= static_cast<double>(state.lastHandle)) || number != std::floor(number)) {
    throw Napi::TypeError::New(env, std::string("expected ") + what);
  }
  auto found = state.handles.find(static_cast<uint64_t>(number));
  return found == state.handles.end() ? nullptr : found->second;
}

void MarkReleased(Napi::Env env, HostResource& resource) {
  resource.released = true;
  if (resource.handle != 0) StateOf(env).handles.erase(resource.handle);
}

void ReleaseResource(Napi::Env env, std::shared_ptr<HostResource> resource) {
  // A released resource is closed (or being closed) already: no second job for it.
  if (resource->released) return;
  AddonState* state = &StateOf(env);
  MarkReleased(env, *resource);
  state->host->Post([state, resource] {
    state->housekeepingJobs.fetch_add(1, std::memory_order_relaxed);
    Forget(state, resource);
  });
}

Napi::Object Init(Napi::Env env, Napi::Object exports) {
  auto* state = new AddonState();
  env.SetInstanceData<AddonState>(state);  // deleted by N-API after the cleanup hooks
  state->host = std::make_unique<HostThread>(env);
  // Ends every session and uninitializes EAPHost when the environment goes away (process
  // exit or worker termination), on the host thread, before the thread is joined.
  napi_add_env_cleanup_hook(env, [](void* arg) { Teardown(static_cast<AddonState*>(arg)); }, state);

  // Every declared export (generated/export_table.h), and the test builds' probes when asked for.
  for (const Export& entry : kExports) ExportEntry(env, exports, entry);
#ifdef EAPHOST_BUILD_CONTRACT_PROBE
  if (EnvironmentValue("EAPHOST_CONTRACT_PROBE") == "1") {
    for (const Export& entry : kProbeExports) ExportEntry(env, exports, entry);
  }
#endif
  return exports;
}

}  // namespace eaphost

static Napi::Object InitModule(Napi::Env env, Napi::Object exports) {
  return eaphost::Init(env, exports);
}

NODE_API_MODULE(eaphost, InitModule)
