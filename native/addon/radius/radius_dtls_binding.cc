// A RADIUS/DTLS client association (native/radius/dtls/radius_dtls.h), opened by the client
// engine's dtlsConnect (ConnectDtls) as a JS object with port, write(), ref(), unref() and close():
// its records go to the client engine and the engine's requests come to it, natively; what JS
// learns (connected and the server's chain, the end) comes in batches through a
// ThreadSafeFunction, which holds the process open only while ref() says so. The listener
// (ListenDtls, the RADIUS engine's dtlsListen) has no JS side but its limits and counters: its
// records go to the engine and the replies come back, natively. pkcs12Chain reads a PKCS#12
// bundle's certificates with the same GnuTLS (native/radius/dtls/pkcs12_chain.h).
#include <string>
#include <utility>
#include <vector>

#include "../../radius/dtls/pkcs12_chain.h"
#include "../../radius/dtls/radius_dtls.h"
#include "../generated/arg_structs.h"
#include "../generated/exports.h"
#include "../runtime/js_convert.h"
#include "../runtime/named_args.h"
#include "radius_binding.h"
#include "radius_values.h"

namespace eaphost {

namespace {

struct Dtls;
void DeliverDtlsEvents(Napi::Env env, Napi::Function onEvents, Dtls* dtls, void*);
using DtlsQueue = Napi::TypedThreadSafeFunction<Dtls, void, DeliverDtlsEvents>;

struct Dtls : EngineOwner<Dtls, radius::DtlsClient, DtlsQueue> {
  void Close() { Shut(); }
};

void DeliverDtlsEvents(Napi::Env env, Napi::Function onEvents, Dtls* dtls, void*) {
  if (env == nullptr) return;  // the queue torn down with calls in it
  dtls->scheduled = false;
  if (dtls->closed) return;
  radius::DtlsEvents taken = dtls->engine->Take();
  if (taken.empty()) return;
  RadiusDtlsEventsShapeWriter events(env);
  auto buffers = [&](std::vector<Bytes>& list) {
    return ListOf(env, list, [&](Bytes& item) { return ToBuffer(env, item); });
  };
  if (taken.connected) {
    events.connected(true);
    events.certificates(buffers(taken.peerCertificates));
    if (!taken.alpn.empty()) events.alpn(taken.alpn);
  }
  if (taken.failed) {
    events.code(taken.code);
    events.error(taken.error);
  }
  onEvents.Call({events.Make()});
}

Napi::Value Hold(const Napi::CallbackInfo& info, bool hold) {
  Dtls& self = OwnerOf<Dtls>(info);
  if (self.closed) return info.Env().Undefined();
  if (hold) {
    self.queue.Ref(info.Env());
  } else {
    self.queue.Unref(info.Env());
  }
  return info.Env().Undefined();
}

// The certificate, key, passphrase and CA of a connect's or a listen's arguments, moved into the
// credentials (the secrets swapped, so the arguments' wiping finds nothing left).
template <typename Args>
void TakeCertificates(Args& args, radius::DtlsCredentials* credentials) {
  credentials->certPem = std::move(args.cert);
  credentials->keyPem.swap(args.key);
  credentials->passphrase.swap(args.passphrase);
  credentials->caPem = std::move(args.ca);
}

// A listener's JS object: the listener, and the engine its records go to, kept alive as long
// (declared first, so it goes last).
struct DtlsListener {
  std::shared_ptr<void> sinkOwner;
  std::unique_ptr<radius::DtlsServer> server;
  std::atomic<bool> closed{false};
  napi_env env = nullptr;

  void Close() {
    if (closed.exchange(true)) return;
    if (server) server->Close();
    napi_remove_env_cleanup_hook(env, Teardown, this);
  }
  static void Teardown(void* self) { static_cast<DtlsListener*>(self)->Close(); }
};

}  // namespace

Napi::Value seam::NativeRadiusDtlsServer::Stats(const Napi::CallbackInfo& info) {
  RadiusDtlsServerCountersShapeWriter out(info.Env());
  out.CountsFrom(OwnerOf<DtlsListener>(info).server->counters());
  return out.Make();
}

Napi::Value seam::NativeRadiusDtlsServer::Close(const Napi::CallbackInfo& info) {
  OwnerOf<DtlsListener>(info).Close();
  return info.Env().Undefined();
}

Napi::Value ListenDtls(const Napi::CallbackInfo& info, Napi::Object object, std::shared_ptr<void> sinkOwner,
                       radius::DtlsRecordSink& sink) {
  Napi::Env env = info.Env();
  RadiusDtlsListenArgs args = ReadRadiusDtlsListenArgs(object);
  radius::DtlsServerConfig config;
  config.listen = radius::ListenAddress{args.host, static_cast<uint16_t>(args.port)};
  const bool certificates = !args.cert.empty() || !args.key.empty() || !args.ca.empty();
  if (args.port > 65535 || (certificates && (args.cert.empty() || args.key.empty() || args.ca.empty())) ||
      (!certificates && (!args.psk || args.psk->Length() == 0))) {
    throw Napi::TypeError::New(env, "dtlsListen: port 0-65535, cert, key and ca, or psk clients, or both");
  }
  if (args.maxConnections == 0 || args.maxConnectionsPerAddress == 0 || args.handshakeTimeoutMs == 0) {
    throw Napi::RangeError::New(env, "dtlsListen: the caps and the handshake timeout are at least 1");
  }
  config.maxAssociations = args.maxConnections;
  config.maxAssociationsPerAddress = args.maxConnectionsPerAddress;
  config.handshakeTimeoutMs = args.handshakeTimeoutMs;
  config.idleTimeoutMs = args.idleTimeoutMs;
  for (const std::string& network : args.clientNetworks) {
    radius::ClientNetwork parsed;
    if (NetworkTextOf(network, &parsed)) config.knownNetworks.push_back(parsed);
  }
  TakeCertificates(args, &config.credentials);
  if (args.psk) {
    for (uint32_t i = 0; i < args.psk->Length(); ++i) {
      RadiusDtlsPskClient entry = args.psk->Read(i);
      if (entry.identity.empty() || entry.key.empty())
        throw Napi::TypeError::New(env, "dtlsListen: a psk client's identity and key");
      radius::DtlsPskClient client;
      client.network = NetworkValue(env, entry.network, "psk network");
      if (entry.prefix > (client.network.family == 4 ? 32u : 128u))
        throw Napi::RangeError::New(env, "psk prefix out of range");
      client.network.prefix = entry.prefix;
      client.identity = std::move(entry.identity);
      client.key.swap(entry.key);
      config.credentials.pskClients.push_back(std::move(client));
    }
  }
  auto listener = std::make_shared<DtlsListener>();
  listener->sinkOwner = std::move(sinkOwner);
  radius::LaneError error;
  listener->server = radius::OpenDtlsServer(std::move(config), sink, &error);
  if (listener->server == nullptr) {
    listener->closed = true;
    throw SocketError(env, error);
  }
  listener->env = env;
  napi_add_env_cleanup_hook(env, DtlsListener::Teardown, listener.get());
  Napi::Object out = PortObject(env, listener->server->port());
  seam::NativeRadiusDtlsServer::AddMethods(env, out, listener);
  return out;
}

// write({ packet }): one RADIUS packet JS made (a reverse CoA reply), in one record.
Napi::Value seam::NativeRadiusDtls::Write(const Napi::CallbackInfo& info, Napi::Object object) {
  RadiusDtlsWriteArgs args = ReadRadiusDtlsWriteArgs(object);
  if (args.packet.size() < 20 || args.packet.size() > radius::kDtlsMaxRecord) {
    throw Napi::RangeError::New(info.Env(), "a RADIUS packet is 20-4096 bytes");
  }
  Dtls& self = OwnerOf<Dtls>(info);
  if (self.closed) throw Napi::Error::New(info.Env(), "RADIUS/DTLS association closed");
  self.engine->Write(std::move(args.packet));
  return info.Env().Undefined();
}

Napi::Value seam::NativeRadiusDtls::QuietMs(const Napi::CallbackInfo& info) {
  return Napi::Number::New(info.Env(), static_cast<double>(OwnerOf<Dtls>(info).engine->QuietMs()));
}

Napi::Value seam::NativeRadiusDtls::Ref(const Napi::CallbackInfo& info) { return Hold(info, true); }
Napi::Value seam::NativeRadiusDtls::Unref(const Napi::CallbackInfo& info) { return Hold(info, false); }

Napi::Value seam::NativeRadiusDtls::Close(const Napi::CallbackInfo& info) {
  OwnerOf<Dtls>(info).Close();
  return info.Env().Undefined();
}

Napi::Object ConnectDtls(Napi::Env env, RadiusDtlsConnectArgs& args, std::function<void(Bytes&&)> onRecord,
                         std::function<void(const Bytes&)>* write) {
  radius::DtlsClientConfig config;
  if (!radius::ParseAddress(args.address, &config.server) || args.port == 0 || args.port > 65535) {
    throw Napi::TypeError::New(env, "dtlsConnect: address must be a literal IP address, port 1-65535");
  }
  if (args.pskIdentity.empty() && (args.cert.empty() || args.key.empty())) {
    throw Napi::TypeError::New(env, "dtlsConnect: a certificate and its key, or a PSK identity and key");
  }
  if (args.pskIdentity.empty() != args.pskKey.empty()) {
    throw Napi::TypeError::New(env, "dtlsConnect: pskIdentity and pskKey go together");
  }
  if (args.handshakeTimeoutMs == 0) throw Napi::RangeError::New(env, "handshakeTimeoutMs must be > 0");
  config.server.port = static_cast<uint16_t>(args.port);
  config.serverName = std::move(args.serverName);
  config.handshakeTimeoutMs = args.handshakeTimeoutMs;
  config.onRecord = std::move(onRecord);
  radius::DtlsCredentials& credentials = config.credentials;
  TakeCertificates(args, &credentials);
  credentials.pskIdentity = std::move(args.pskIdentity);
  credentials.pskKey.swap(args.pskKey);
  auto dtls = std::make_shared<Dtls>();
  dtls->queue = DtlsQueue::New(env, args.onEvents, "radiusDtlsEvents", 0, 1, dtls.get());
  dtls->queue.Unref(env);  // ref() while requests are out
  Dtls* raw = dtls.get();
  radius::LaneError error;
  dtls->engine = radius::OpenDtlsClient(
      std::move(config), [raw] { raw->Notify(); }, &error);
  if (dtls->engine == nullptr) {
    dtls->queue.Release();
    dtls->closed = true;
    throw SocketError(env, error);
  }
  dtls->CloseAtTeardown(env);
  std::shared_ptr<radius::DtlsClient> association = dtls->engine;
  *write = [association](const Bytes& packet) { association->Write(packet); };
  Napi::Object out = PortObject(env, dtls->engine->port());
  seam::NativeRadiusDtls::AddMethods(env, out, dtls);
  return out;
}

// Synchronous, on the calling thread: one bundle's MAC and bags, a few milliseconds; the password
// wiped by the reader.
Napi::Value seam::Pkcs12Chain(const Napi::CallbackInfo& info, Napi::Object object) {
  Napi::Env env = info.Env();
  Pkcs12ChainArgs read = ReadPkcs12ChainArgs(object);
  std::string password = StringValue(env, read.password.Unread(), "password");
  std::vector<Bytes> chain;
  radius::LaneError error;
  if (!radius::ReadPkcs12Chain(read.pkcs12, &password, &chain, &error)) {
    if (error.code == "ERR_PKCS12_MALFORMED") {
      Napi::Error range = Napi::RangeError::New(env, error.message);
      range.Set("code", Napi::String::New(env, error.code));
      throw range;
    }
    throw CodedError(env, error.message, error.code, error.errnum);
  }
  Napi::Array out = Napi::Array::New(env, chain.size());
  for (size_t i = 0; i < chain.size(); ++i) {
    out.Set(static_cast<uint32_t>(i), Napi::Buffer<uint8_t>::Copy(env, chain[i].data(), chain[i].size()));
  }
  return out;
}

}  // namespace eaphost
