// What the RADIUS engine's binding and the RADIUS client engine's share: a socket that would not
// open as the error Node's dgram would throw (code, errno), the coalesced wake of the event loop,
// and the JS object of a port the owner's methods join.
#pragma once

#include <atomic>
#include <functional>
#include <memory>
#include <utility>
#include <vector>

#include <napi.h>

#include "../../radius/io/radius_socket.h"
#include "../generated/arg_structs.h"
#include "../generated/result_shapes.h"
#include "../runtime/js_convert.h"

namespace eaphost {

namespace radius {
class DtlsRecordSink;      // radius_dtls.h
class RadiusClientEngine;  // radius_client.h
}  // namespace radius

// A NativeRadiusClient with no socket, every target a stream JS holds (radius_client_binding.cc),
// its engine in `*engine` too: the RADIUS engine's proxy sends through it (ShareExchangeSender).
Napi::Object StreamClientObject(Napi::Env env, Napi::Function onEvents,
                                std::shared_ptr<radius::RadiusClientEngine>* engine);

// A RADIUS/DTLS client association of dtlsConnect's arguments (radius_dtls_binding.cc), as the
// client engine's binding opens it for one of its links: each record goes to `onRecord` on the
// association's thread, and `*write` is set to what sends one packet over it from any thread.
// Its JS object hears of the rest (connected, the end) through args.onEvents.
Napi::Object ConnectDtls(Napi::Env env, RadiusDtlsConnectArgs& args, std::function<void(Bytes&&)> onRecord,
                         std::function<void(const Bytes&)>* write);

// The RADIUS/DTLS listener of dtlsListen's arguments (radius_dtls_binding.cc), its records going
// to `sink`, which `sinkOwner` keeps alive while the listener's JS object is.
Napi::Value ListenDtls(const Napi::CallbackInfo& info, Napi::Object args, std::shared_ptr<void> sinkOwner,
                       radius::DtlsRecordSink& sink);

inline Napi::Error SocketError(Napi::Env env, const radius::LaneError& error) {
  return CodedError(env, error.message, error.code, error.errnum);
}

// A thread's notice: one call on the event loop for every batch, however many notices come
// before it runs (the call clears `scheduled`).
template <typename Queue>
void NotifyOnce(std::atomic<bool>& scheduled, Queue& queue) {
  if (scheduled.exchange(true)) return;
  if (queue.NonBlockingCall() != napi_ok) scheduled = false;
}

// `items` as a JS array, each made by `convert`.
template <typename Items, typename Convert>
Napi::Array ListOf(Napi::Env env, Items& items, Convert convert) {
  Napi::Array list = Napi::Array::New(env, items.size());
  for (size_t i = 0; i < items.size(); ++i) list.Set(static_cast<uint32_t>(i), convert(items[i]));
  return list;
}

// A datagram for a stream (a RadSec connection) to write, as JS has it: { link, datagram }.
inline Napi::Object StreamWriteToJs(Napi::Env env, uint32_t link, const Bytes& datagram) {
  RadiusStreamWriteShapeWriter out(env);
  out.link(link);
  out.datagram(ToBuffer(env, datagram));
  return out.Make();
}

// What each RADIUS binding's JS object owns: its engine (a thread of its own), the queue its
// thread tells JS through, and whether it is closed. `Owner` derives from it and says in its
// Close() what else it lets go; Shut() does the common part, once.
template <typename Owner, typename Engine, typename Queue>
struct EngineOwner {
  std::shared_ptr<Engine> engine;  // shared: JS's client engine is the proxy's too (radius_exchange.h)
  Queue queue;
  std::atomic<bool> scheduled{false};
  std::atomic<bool> closed{false};
  napi_env env = nullptr;

  // The engine's thread: one call on the event loop for every batch, however many notices.
  void Notify() { NotifyOnce(scheduled, queue); }
  // Closed at the environment's teardown unless closed before.
  void CloseAtTeardown(napi_env at) {
    env = at;
    napi_add_env_cleanup_hook(env, Teardown, static_cast<Owner*>(this));
  }
  // Stops the engine's thread and lets the queue go; false when that was done already.
  bool Shut() {
    if (closed.exchange(true)) return false;
    if (engine) engine->Close();  // the thread has ended: nothing notifies any more
    queue.Release();
    napi_remove_env_cleanup_hook(env, Teardown, static_cast<Owner*>(this));
    return true;
  }
  static void Teardown(void* self) { static_cast<Owner*>(self)->Close(); }
};

// { port }, which the engine's methods join (seam::<Object>::AddMethods).
inline Napi::Object PortObject(Napi::Env env, uint16_t port) {
  RadiusPortShapeWriter result(env);
  result.port(port);
  return result.Make();
}

}  // namespace eaphost
