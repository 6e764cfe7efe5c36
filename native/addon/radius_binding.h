// What the RADIUS engine's binding and the RADIUS client engine's share: a socket that would not
// open as the error Node's dgram would throw (code, errno), the coalesced wake of the event loop,
// and the JS object made of a port and the owner's methods.
#pragma once

#include <atomic>
#include <initializer_list>
#include <memory>
#include <utility>
#include <vector>

#include <napi.h>

#include "../radius/radius_socket.h"
#include "js_convert.h"

namespace eaphost {

inline Napi::Error SocketError(Napi::Env env, const radius::LaneError& error) {
  Napi::Error thrown = Napi::Error::New(env, error.message);
  thrown.Set("code", Napi::String::New(env, error.code));
  thrown.Set("errno", Napi::Number::New(env, error.errnum));
  return thrown;
}

// A thread's notice: one call on the event loop for every batch, however many notices come
// before it runs (the call clears `scheduled`).
template <typename Queue>
void NotifyOnce(std::atomic<bool>& scheduled, Queue& queue) {
  if (scheduled.exchange(true)) return;
  if (queue.NonBlockingCall() != napi_ok) scheduled = false;
}

// `items` as a JS array, each made by `convert`.
template <typename T, typename Convert>
Napi::Array ListOf(Napi::Env env, std::vector<T>& items, Convert convert) {
  Napi::Array list = Napi::Array::New(env, items.size());
  for (size_t i = 0; i < items.size(); ++i) list.Set(static_cast<uint32_t>(i), convert(items[i]));
  return list;
}

struct OwnedMethod {
  const char* name;
  Napi::Value (*method)(const Napi::CallbackInfo&);
};

// { port, …methods }, each method holding `owner`.
template <typename Owner>
Napi::Object PortAndMethods(Napi::Env env, uint16_t port, std::initializer_list<OwnedMethod> methods,
                            const std::shared_ptr<Owner>& owner) {
  Napi::Object result = Napi::Object::New(env);
  result.Set("port", Napi::Number::New(env, port));
  for (const OwnedMethod& entry : methods) AddOwnedMethod(env, result, entry.name, entry.method, owner);
  return result;
}

}  // namespace eaphost
