// Module initialization, per-environment state and teardown. The module's own exports
// (configure, release, trimHeap, hostThreadStats) are module/module_binding.cc's.
#include <cmath>
#include <cstddef>

#include <napi.h>

#include "addon_state.h"
#include "bindings.h"
#include "../../common/environment.h"
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

namespace {
SeamTable& Registered() {
  static SeamTable table;
  return table;
}
}  // namespace

SeamRegistration::SeamRegistration(const SeamTable& table) { Registered() = table; }
const SeamTable& RegisteredSeam() { return Registered(); }

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
  const SeamTable& seam = RegisteredSeam();
  if (seam.exports == nullptr) throw Napi::Error::New(env, "the addon's seam registered no exports");
  auto* state = new AddonState();
  env.SetInstanceData<AddonState>(state);  // deleted by N-API after the cleanup hooks
  state->host = std::make_unique<HostThread>(env);
  // Ends every session and uninitializes EAPHost when the environment goes away (process
  // exit or worker termination), on the host thread, before the thread is joined.
  napi_add_env_cleanup_hook(env, [](void* arg) { Teardown(static_cast<AddonState*>(arg)); }, state);

  // Every declared export (registered by generated/seam_registration.cc), and the test builds'
  // probes when asked for.
  for (size_t i = 0; i < seam.exportCount; ++i) ExportEntry(env, exports, seam.exports[i]);
  if (seam.probeExports != nullptr && EnvironmentValue("EAPHOST_CONTRACT_PROBE") == "1") {
    for (size_t i = 0; i < seam.probeExportCount; ++i) ExportEntry(env, exports, seam.probeExports[i]);
  }
  return exports;
}

}  // namespace eaphost

static Napi::Object InitModule(Napi::Env env, Napi::Object exports) {
  return eaphost::Init(env, exports);
}

NODE_API_MODULE(eaphost, InitModule)
