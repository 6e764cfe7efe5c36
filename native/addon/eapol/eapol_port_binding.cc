// eapolOpen({ interfaceName, onFrame }): an EAPOL port (native/eapol/) as a JS object with send(),
// close() and stats(). Frames come from the port's reader thread through a ThreadSafeFunction
// with a bounded queue: a flood the event loop cannot keep up with is dropped and counted, never
// buffered without end. The port keeps the process alive while it is open, as a listening socket does.
#include <atomic>
#include <memory>
#include <string>

#include "../../eapol/eapol_socket.h"
#include "../generated/exports.h"
#include "../generated/arg_structs.h"
#include "../runtime/js_convert.h"
#include "../runtime/named_args.h"

namespace eaphost {

namespace {

using eapol::EapolSocket;
using eapol::FrameView;
using eapol::MacAddress;
using eapol::PortError;

// Frames waiting for the event loop; beyond this a frame is dropped (counted as overflow).
constexpr size_t kFrameQueueBound = 1024;

struct ReceivedFrame {
  MacAddress destination;
  MacAddress source;
  uint8_t version;
  uint8_t type;
  std::vector<uint8_t> body;
};

struct Port;
void DeliverFrame(Napi::Env env, Napi::Function onFrame, Port* port, ReceivedFrame* frame);
using FrameQueue = Napi::TypedThreadSafeFunction<Port, ReceivedFrame, DeliverFrame>;

struct Port {
  std::unique_ptr<EapolSocket> socket;
  FrameQueue queue;
  std::atomic<uint64_t> overflow{0};
  std::atomic<bool> closed{false};
  napi_env env = nullptr;
  std::string interfaceName;

  void Close() {
    if (closed.exchange(true)) return;
    socket->Close();  // the reader thread has ended: nothing calls the queue any more
    queue.Release();
    napi_remove_env_cleanup_hook(env, CloseAtTeardown, this);
  }
  ~Port() { Close(); }

  static void CloseAtTeardown(void* self) { static_cast<Port*>(self)->Close(); }
};

Napi::Buffer<uint8_t> MacBuffer(Napi::Env env, const MacAddress& mac) {
  return Napi::Buffer<uint8_t>::Copy(env, mac.data(), mac.size());
}

void DeliverFrame(Napi::Env env, Napi::Function onFrame, Port* port, ReceivedFrame* frame) {
  std::unique_ptr<ReceivedFrame> owned(frame);
  // env is null when the queue is torn down with frames still in it; a closed port delivers nothing.
  if (env == nullptr || onFrame.IsEmpty() || port->closed.load()) return;
  onFrame.Call({MacBuffer(env, owned->source), MacBuffer(env, owned->destination),
                Napi::Number::New(env, owned->version), Napi::Number::New(env, owned->type),
                Napi::Buffer<uint8_t>::Copy(env, owned->body.data(), owned->body.size())});
}

[[noreturn]] void ThrowPortError(Napi::Env env, const PortError& error) {
  throw CodedError(env, error.message, error.code);
}

MacAddress MacOf(Napi::Env env, const Bytes& bytes) {
  if (bytes.size() != 6) throw Napi::TypeError::New(env, "destination must be a 6-byte MAC address");
  MacAddress mac{};
  std::copy(bytes.begin(), bytes.end(), mac.begin());
  return mac;
}

uint8_t ByteOf(Napi::Env env, eap::DWORD value, const char* name) {
  if (value > 0xFF) throw Napi::RangeError::New(env, std::string(name) + " must fit in one byte");
  return static_cast<uint8_t>(value);
}

}  // namespace

// send({ destination, version, type, body })
Napi::Value seam::NativeEapolPort::Send(const Napi::CallbackInfo& info, Napi::Object object) {
  Port& port = OwnerOf<Port>(info);
  EapolSendArgs args = ReadEapolSendArgs(object);
  MacAddress destination = MacOf(info.Env(), args.destination);
  uint8_t version = ByteOf(info.Env(), args.version, "version");
  uint8_t type = ByteOf(info.Env(), args.type, "type");
  const Bytes& body = args.body;
  if (body.size() > eapol::kMaxBodyLength || body.size() + eapol::kEapolHeaderSize > port.socket->mtu()) {
    throw Napi::RangeError::New(info.Env(), "the EAPOL body does not fit the interface's MTU");
  }
  if (port.closed.load()) ThrowPortError(info.Env(), {"ERR_EAPOL_CLOSED", "the EAPOL port is closed"});
  PortError error;
  if (!port.socket->Send(eapol::BuildFrame(destination, port.socket->address(), version, type, body.data(), body.size()),
                         &error)) {
    ThrowPortError(info.Env(), error);
  }
  return info.Env().Undefined();
}

Napi::Value seam::NativeEapolPort::Close(const Napi::CallbackInfo& info) {
  OwnerOf<Port>(info).Close();
  return info.Env().Undefined();
}

Napi::Value seam::NativeEapolPort::Stats(const Napi::CallbackInfo& info) {
  Port& port = OwnerOf<Port>(info);
  const eapol::PortCounters& counters = port.socket->counters();
  EapolPortStatsShapeWriter out(info.Env());
  out.received(static_cast<double>(counters.received.load()));
  out.malformed(static_cast<double>(counters.malformed.load()));
  out.ignored(static_cast<double>(counters.ignored.load()));
  out.sent(static_cast<double>(counters.sent.load()));
  out.overflow(static_cast<double>(port.overflow.load()));
  out.kernelDrops(static_cast<double>(counters.kernelDrops.load()));
  return out.Make();
}

// eapolOpen({ interfaceName, onFrame(source, destination, version, type, body) })
Napi::Value seam::EapolOpen(const Napi::CallbackInfo& info, Napi::Object object) {
  Napi::Env env = info.Env();
  EapolOpenArgs args = ReadEapolOpenArgs(object);
  const std::string& interfaceName = args.interfaceName;
  auto port = std::make_shared<Port>();
  port->env = env;
  port->interfaceName = interfaceName;
  Port* raw = port.get();
  port->queue = FrameQueue::New(env, args.onFrame, "eapolFrames", kFrameQueueBound, 1, raw);
  PortError error;
  port->socket = eapol::OpenEapolSocket(
      interfaceName,
      [raw](const FrameView& view) {
        auto* frame = new ReceivedFrame{view.destination, view.source, view.version, view.type,
                                        std::vector<uint8_t>(view.body, view.body + view.bodyLength)};
        if (raw->queue.NonBlockingCall(frame) != napi_ok) {
          delete frame;
          raw->overflow.fetch_add(1, std::memory_order_relaxed);
        }
      },
      &error);
  if (!port->socket) {
    port->closed = true;
    port->queue.Release();
    ThrowPortError(env, error);
  }
  napi_add_env_cleanup_hook(env, Port::CloseAtTeardown, raw);

  EapolPortShapeWriter shaped(env);
  shaped.interfaceName(interfaceName);
  shaped.address(MacBuffer(env, port->socket->address()));
  shaped.mtu(static_cast<double>(port->socket->mtu()));
  Napi::Object out = shaped.Make();
  seam::NativeEapolPort::AddMethods(env, out, port);
  return out;
}

}  // namespace eaphost
