// Method modules driven directly (no EAPHost in between), as host-thread resources, and their
// access through the call seam (host_call.h).
#pragma once

#include <memory>
#include <mutex>
#include <optional>

#include "../runtime/addon_state.h"
#include "../generated/arg_structs.h"
#include "../runtime/host_call.h"
#include "../runtime/js_convert.h"
#include "known_answer.h"
#include "shaped_results.h"
#include "../../hosts/authenticator_host.h"
#include "../../hosts/authenticator_method_host.h"
#include "../../hosts/peer_method_host.h"

namespace eaphost {

// Holds one object until Close(); afterwards every call fails with a "closed" error.
template <typename T, typename Holder = std::shared_ptr<T>>
class Held : public HostResource {
 public:
  explicit Held(Holder held) : held_(std::move(held)) {}
  ~Held() override { Close(); }
  void Close() override { held_.reset(); }
  T* Get(const char* call, const char* what, EapErrorInfo* error) {
    if (held_) return held_.get();
    *error = Refusal(call, what);
    return nullptr;
  }
  static EapErrorInfo Refusal(const char* call, const char* what) {
    return HostError(eap::kErrorInvalidState, call, std::string("the ") + what + " is closed", "Closed");
  }
  const Holder& holder() const { return held_; }

 private:
  Holder held_;
};

// What a held object is called in TypeErrors (kHandle) and "closed" errors (kWhat).
template <typename T>
struct HeldNames;
template <>
struct HeldNames<PeerMethod> {
  static constexpr const char* kHandle = "a peer method handle";
  static constexpr const char* kWhat = "peer method";
};
template <>
struct HeldNames<PeerMethodSession> {
  static constexpr const char* kHandle = "a peer method session handle";
  static constexpr const char* kWhat = "peer method session";
};
template <>
struct HeldNames<AuthenticatorMethod> {
  static constexpr const char* kHandle = "an authenticator method handle";
  static constexpr const char* kWhat = "authenticator method";
};
template <>
struct HeldNames<AuthenticatorMethodSession> {
  static constexpr const char* kHandle = "an authenticator method session handle";
  static constexpr const char* kWhat = "authenticator method session";
};
template <>
struct HeldNames<AuthenticatorHost> {
  static constexpr const char* kHandle = "an authenticator handle";
  static constexpr const char* kWhat = "authenticator conversation";
};

template <typename T, typename Holder>
struct ResourceAccess<Held<T, Holder>> {
  static constexpr const char* kHandle = HeldNames<T>::kHandle;
  static EapErrorInfo Released(const char* call) { return Held<T, Holder>::Refusal(call, HeldNames<T>::kWhat); }
  static T* Open(Held<T, Holder>& held, const char* call, EapErrorInfo* error) {
    return held.Get(call, HeldNames<T>::kWhat, error);
  }
};

// peerMethodLoad / authenticatorMethodLoad({ path, methodType? }): opens a method module's one
// side on the host thread. With a type GetInfo is asked for exactly it (one module may serve
// several types); without one the host asks the module what it serves. `describe` makes the
// result (its shape) of the module's type and its handle.
template <typename Module, typename Describe>
Napi::Value LoadMethod(Napi::Object object, Describe describe) {
  MethodLoadArgs args = ReadMethodLoadArgs(object);
  AddonState* state = &StateOf(object.Env());
  using Out = std::shared_ptr<Held<Module>>;
  return RunOnHost<Out>(
      object.Env(),
      [state, path = std::move(args.path), type = args.methodType](Out* out, EapErrorInfo* error) {
        auto module = type ? Module::Open(path, *type, error) : Module::Open(path, error);
        if (!module) return false;
        *out = std::make_shared<Held<Module>>(module);
        Track(state, *out);
        return true;
      },
      [describe](Napi::Env env, Out& out) { return describe(env, out->holder()->type(), WrapResource(env, out)); });
}

// One call on a method session, peer or authenticator (a Held<Session> in a unique_ptr): the
// output type is the one `settle` takes, so each binding names only the session kind.
template <typename Session, typename Call, typename Out>
Napi::Value CallOnSession(Napi::Env env, NativeHandleArg session, const char* call, Call body,
                          Napi::Value (*settle)(Napi::Env, Out&)) {
  return CallOn<Held<Session, std::unique_ptr<Session>>, Out>(env, session, call, std::move(body), settle);
}

// peerMethodBeginSession / authenticatorMethodBeginSession: on the host thread a new Session of
// the held module is begun by `begin(session, error)`, which holds the call's arguments; a
// session that began becomes a tracked handle.
template <typename Session, typename Module, typename Begin>
Napi::Value BeginMethodSession(Napi::Env env, NativeHandleArg handle, const char* call, Begin begin) {
  std::shared_ptr<Held<Module>> method = UnwrapFor<Held<Module>>(env, handle, call);
  AddonState* state = &StateOf(env);
  using Resource = Held<Session, std::unique_ptr<Session>>;
  using Out = std::shared_ptr<Resource>;
  return CallOn<Held<Module>, Out>(
      env, handle, call,
      [state, method = std::move(method), begin = std::move(begin)](Module&, Out* out, EapErrorInfo* error) mutable {
        auto session = std::make_unique<Session>(method->holder());
        if (!begin(*session, error)) return false;
        *out = std::make_shared<Resource>(std::move(session));
        Track(state, *out);
        return true;
      },
      [](Napi::Env jsEnv, Out& out) { return WrapResource(jsEnv, out); });
}

using PeerMethodResource = Held<PeerMethod>;
using PeerSessionResource = Held<PeerMethodSession, std::unique_ptr<PeerMethodSession>>;
using AuthenticatorMethodResource = Held<AuthenticatorMethod>;
using AuthenticatorSessionResource = Held<AuthenticatorMethodSession, std::unique_ptr<AuthenticatorMethodSession>>;

// One conversation of the embedded authenticator, with its authenticator's users table when the
// store is one (known_answer.h): every step taken on it then answers the method's questions in
// the same job, as RADIUS brings each response in a job of its own. Host
// thread, except the steps an in-process pairing may run on the aside thread while other work
// waits for the host thread (stepsAside, set from the authenticator's settings when it serves a
// TLS-based method): those hold `stepping`
// throughout, and so does Close, which a host-thread job may run meanwhile.
class AuthenticatorHostResource : public Held<AuthenticatorHost, std::unique_ptr<AuthenticatorHost>> {
 public:
  using Held::Held;
  void Close() override {
    std::lock_guard<std::mutex> lock(stepping);
    Held::Close();
    users.reset();
    question.reset();
  }
  // The authenticator's users table, when its store is one (ConversationStart's).
  std::shared_ptr<const KnownAnswerTable> users;
  // The question (RESPOND) a driver call stopped at, for the user store's answer to answer.
  std::optional<AuthenticatorStep> question;
  bool stepsAside = false;
  std::mutex stepping;
};
template <>
struct ResourceAccess<AuthenticatorHostResource>
    : ResourceAccess<Held<AuthenticatorHost, std::unique_ptr<AuthenticatorHost>>> {};

}  // namespace eaphost
