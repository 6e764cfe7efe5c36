// The module's own exports: configure (the settings lib/ gives the runtime), release (a handle's
// resource closed on the host thread), trimHeap and hostThreadStats. A binding group above the
// runtime, as every other: the runtime includes no generated header.
#include <optional>

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
#if __has_include(<sanitizer/allocator_interface.h>)
#include <sanitizer/allocator_interface.h>
#else
// GCC ships no allocator_interface.h (clang's compiler-rt does); its libasan exports the call.
extern "C" size_t __sanitizer_get_current_allocated_bytes(void);
#endif
#endif

#include "../generated/arg_structs.h"
#include "../generated/exports.h"
#include "../generated/result_shapes.h"
#include "../runtime/addon_state.h"
#include "../runtime/js_convert.h"

namespace eaphost {

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

}  // namespace eaphost
