// Module initialization, per-environment state and teardown.
#include <napi.h>
#if defined(__GLIBC__)
#include <malloc.h>
#endif

#include "addon_state.h"
#include "bindings.h"
#include "js_convert.h"

namespace eaphost {

namespace {
// Tags the externals this addon hands out, so a foreign object is refused, not cast.
const napi_type_tag kResourceTag = {0x6561706873742d72ULL, 0x65736f7572636531ULL};

void CloseEverything(AddonState* state) {
  for (const auto& resource : state->live) resource->Close();
  state->live.clear();
}

void Teardown(AddonState* state) {
  if (state->host) state->host->Shutdown([state] { CloseEverything(state); });
}

Napi::Value SetEapErrorClass(const Napi::CallbackInfo& info) {
  if (!info[0].IsFunction()) throw Napi::TypeError::New(info.Env(), "expected a constructor");
  StateOf(info.Env()).eapErrorClass = Napi::Persistent(info[0].As<Napi::Function>());
  return info.Env().Undefined();
}

Napi::Value SetNotificationDispatcher(const Napi::CallbackInfo& info) {
  if (!info[0].IsFunction()) throw Napi::TypeError::New(info.Env(), "expected a function");
  StateOf(info.Env()).notificationDispatcher = Napi::Persistent(info[0].As<Napi::Function>());
  return info.Env().Undefined();
}

Napi::Value Release(const Napi::CallbackInfo& info) {
  ReleaseResource(info.Env(), UnwrapResourceBase(info, 0, "a native handle"));
  return info.Env().Undefined();
}

// trimHeap(): hands the pages of freed native memory back to the system, on the host thread
// after every job already posted (releases included). An authenticator calls it once many
// conversations have ended: glibc keeps what a flood of them freed otherwise.
Napi::Value TrimHeap(const Napi::CallbackInfo& info) {
  StateOf(info.Env()).host->Post([] {
#if defined(__GLIBC__)
    malloc_trim(0);
#endif
  });
  return info.Env().Undefined();
}

// hostThreadStats(): the host thread's counters (HostThread::Stats), for the bench and tests.
Napi::Value HostThreadStats(const Napi::CallbackInfo& info) {
  HostThread::Stats stats = HostThreadOf(info.Env()).stats();
  Napi::Object out = Napi::Object::New(info.Env());
  out.Set("jobs", static_cast<double>(stats.jobs));
  out.Set("batches", static_cast<double>(stats.batches));
  out.Set("drains", static_cast<double>(stats.drains));
  return out;
}

ExportList ModuleExports() {
  return {
      {"setEapErrorClass", SetEapErrorClass},
      {"setNotificationDispatcher", SetNotificationDispatcher},
      {"setResultShapes", SetResultShapes},
      {"release", Release},
      {"hostThreadStats", HostThreadStats},
      {"trimHeap", TrimHeap},
  };
}

// Every binding file's list: the addon's one export table.
constexpr ExportList (*kBindings[])() = {
    ModuleExports,         EapHostInstanceExports, EapHostSessionExports,   EapHostConversationExports,
    PeerMethodExports,     PeerSessionExports,     AuthenticatorMethodExports, AuthenticatorSessionExports,
    AuthenticatorExports,  EapConfigExports,       EapConfigUiExports,     RootStoreExports,       EapHostContractProbeExports,
};
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

Napi::Value WrapResource(Napi::Env env, std::shared_ptr<HostResource> resource) {
  auto* holder = new std::shared_ptr<HostResource>(std::move(resource));
  auto external = Napi::External<std::shared_ptr<HostResource>>::New(
      env, holder, [](Napi::Env finalizeEnv, std::shared_ptr<HostResource>* held) {
        AddonState* state = finalizeEnv.GetInstanceData<AddonState>();
        // A released resource is closed (or being closed) already: no second job for it.
        if (state != nullptr && state->host && !(*held)->released) {
          std::shared_ptr<HostResource> closing = *held;
          state->host->Post([state, closing] { Forget(state, closing); });
        }
        delete held;
      });
  external.TypeTag(&kResourceTag);
  return external;
}

std::shared_ptr<HostResource> UnwrapResourceBase(const Napi::CallbackInfo& info, size_t index,
                                                 const char* what) {
  Napi::Value value = info[index];
  if (!value.IsExternal() || !value.As<Napi::Object>().CheckTypeTag(&kResourceTag)) {
    throw Napi::TypeError::New(info.Env(), std::string("expected ") + what);
  }
  return *value.As<Napi::External<std::shared_ptr<HostResource>>>().Data();
}

void ReleaseResource(Napi::Env env, std::shared_ptr<HostResource> resource) {
  // A released resource is closed (or being closed) already: no second job for it.
  if (resource->released) return;
  AddonState* state = &StateOf(env);
  resource->released = true;
  state->host->Post([state, resource] { Forget(state, resource); });
}

Napi::Object Init(Napi::Env env, Napi::Object exports) {
  auto* state = new AddonState();
  env.SetInstanceData<AddonState>(state);  // deleted by N-API after the cleanup hooks
  state->host = std::make_unique<HostThread>(env);
  // Ends every session and uninitializes EAPHost when the environment goes away (process
  // exit or worker termination), on the host thread, before the thread is joined.
  napi_add_env_cleanup_hook(env, [](void* arg) { Teardown(static_cast<AddonState*>(arg)); }, state);

  for (ExportList (*list)() : kBindings) {
    for (const Export& entry : list()) exports.Set(entry.name, Napi::Function::New(env, entry.function, entry.name));
  }
  return exports;
}

}  // namespace eaphost

static Napi::Object InitModule(Napi::Env env, Napi::Object exports) {
  return eaphost::Init(env, exports);
}

NODE_API_MODULE(eaphost, InitModule)
