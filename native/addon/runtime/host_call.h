// The one call seam between a binding and the host thread.
//
// A binding function that acts on an existing resource is one CallOn: the handle (a field of
// the call's argument object, arg_structs.h) is unwrapped (TypeError when it is not the resource
// expected), the work runs on the host
// thread only after the resource proved usable (a closed or ended resource fails with a typed
// "Closed"/"Ended" EapError naming the call), and the promise settles on the JS thread: the
// output through `settle`, a failure as an EapError. Exceptions thrown on the host thread
// become EapErrors too (RunOnHost). Functions that create a resource (Load, Open, Start) call
// RunOnHost directly: there is no resource to check yet.
//
// A new binding file adopts the seam in a few lines:
//   1. if it serves a new kind of resource, specialize ResourceAccess<Resource> (below): the
//      handle's name, and Open(resource, call, error) returning something that tests false
//      (with *error set) when the resource cannot take the call, and dereferences to what the
//      body works on. Held<T> resources only need a HeldNames<T> (method_resources.h).
//   2. declare its argument object in seam/seam_args.js and run seam/generate.js,
//      read the object with the generated Read<Struct> (arg_structs.h), and write each call as
//        return CallOn<Resource, Output>(env, args.handle, "ApiCallName",
//            [args](Target& target, Output* out, EapErrorInfo* error) { ...; return ok; },
//            [](Napi::Env env, Output& out) { return ToJs(env, out); });
//   3. list its functions in an ExportList function and add that to kBindings in module.cc
//      (bindings.h declares every list).
// Calls on an EAPHost (the instance or a session) get an EapHostCall (eaphost_call.h), which
// also owns what EAPHost hands back: its EAP_ERROR and its runtime buffers.
#pragma once

#include <memory>
#include <system_error>
#include <utility>

#include "addon_state.h"
#include "own_thread.h"

namespace eaphost {

template <typename Resource, typename Output, typename Body, typename Settle>
Napi::Promise CallOn(Napi::Env env, NativeHandleArg handle, const char* call, Body body, Settle settle) {
  using Access = ResourceAccess<Resource>;
  std::shared_ptr<Resource> resource;
  try {
    resource = UnwrapResource<Resource>(env, handle, Access::kHandle);
  } catch (const ReleasedHandle&) {
    // What the closed resource would have answered on the host thread, without the trip.
    return RejectWith(env, Access::Released(call));
  }
  return RunOnHost<Output>(
      env,
      [resource, call, body = std::move(body)](Output* out, EapErrorInfo* error) mutable {
        auto target = Access::Open(*resource, call, error);
        return static_cast<bool>(target) && body(*target, out, error);
      },
      std::move(settle));
}
// The resource behind a handle a binding unwraps itself (not through CallOn); a handle released
// already is refused naming `call`, as CallOn refuses it.
template <typename Resource>
std::shared_ptr<Resource> UnwrapFor(Napi::Env env, NativeHandleArg handle, const char* call) {
  try {
    return UnwrapResource<Resource>(env, handle, ResourceAccess<Resource>::kHandle);
  } catch (ReleasedHandle& released) {
    released.call = call;
    throw;
  }
}

// RunOnHost's shape for work that may wait on the user (a dialog) and so runs on a thread of
// its own (StartOwnThread), never on the host thread: it settles through the host thread's gate,
// into nothing once the environment has gone. Without a thread to give, the promise is rejected
// at once and nothing is counted in flight, which would have kept the event loop alive for a
// completion that never comes.
template <typename Output, typename Work, typename Settle>
Napi::Promise RunOnOwnThread(Napi::Env env, const char* call, Work work, Settle settle) {
  auto deferred = Napi::Promise::Deferred::New(env);
  auto result = std::make_shared<HostCall<Output>>();
  HostThread& host = HostThreadOf(env);
  try {
    StartOwnThread([work = std::move(work), settle = std::move(settle), deferred, result, gate = host.gate()]() mutable {
      RunWork(*result, work);
      HostThread::CompleteThrough(gate, SettleCompletion(result, deferred, std::move(settle)));
    });
  } catch (const std::system_error& e) {
    return RejectWith(env, HostError(eap::kErrorNotEnoughMemory, call, e.what()));
  }
  // Counted once the thread exists. Its completion is only ever settled (and uncounted) on this
  // thread, after this function returns, so it cannot be uncounted before it is counted.
  host.Expect();
  return deferred.Promise();
}

// Settles that recur across bindings.
inline Napi::Value SettleNothing(Napi::Env env, bool&) { return env.Undefined(); }
inline Napi::Value SettleNumber(Napi::Env env, int32_t& value) { return Napi::Number::New(env, value); }

}  // namespace eaphost
