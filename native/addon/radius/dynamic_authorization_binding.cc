// The Dynamic Authorization Server's engine (native/radius/das/radius_das_engine.h) for JS: its socket
// is bound and read on its own thread, which answers, drops and NAKs what the lane says; JS's
// policy gets the requests that passed every check, decoded into named fields, in batches through
// a ThreadSafeFunction, and gives its verdict, which is signed and sent natively.
#include <algorithm>
#include <memory>
#include <optional>
#include <string>

#include "../../radius/das/radius_das_engine.h"
#include "../../radius/io/radius_socket.h"
#include "../generated/exports.h"
#include "../generated/arg_structs.h"
#include "../runtime/js_convert.h"
#include "../runtime/named_args.h"
#include "radius_binding.h"
#include "radius_values.h"

namespace eaphost {

namespace {

using radius::DasEngine;
using radius::DasRequest;

struct Das;
void DeliverRequests(Napi::Env env, Napi::Function onRequests, Das* das, void*);
using RequestQueue = Napi::TypedThreadSafeFunction<Das, void, DeliverRequests>;

// The queue stays referenced while the server is open: a listening socket holds the process open.
struct Das : EngineOwner<Das, DasEngine, RequestQueue> {
  void Close() { Shut(); }
};

Napi::Value Text(Napi::Env env, const Bytes& bytes) {
  return Napi::String::New(env, reinterpret_cast<const char*>(bytes.data()), bytes.size());
}

Napi::Object RequestToJs(Napi::Env env, const DasEngine::Asked& asked) {
  const DasRequest& request = asked.request;
  DasSessionShapeWriter session(env);
  // Each text attribute the request carried, as UTF-8.
  auto text = [&](const std::optional<Bytes>& value) { return value ? Text(env, *value) : env.Undefined(); };
  session.userName(text(request.userName));
  session.callingStationId(text(request.callingStationId));
  session.calledStationId(text(request.calledStationId));
  session.acctSessionId(text(request.acctSessionId));
  session.acctMultiSessionId(text(request.acctMultiSessionId));
  if (request.nasPort) session.nasPort(*request.nasPort);
  session.nasPortId(text(request.nasPortId));
  if (request.framedIpAddress) session.framedIpAddress(*request.framedIpAddress);
  if (request.chargeableUserIdentity) session.chargeableUserIdentity(ToBuffer(env, *request.chargeableUserIdentity));
  DasRequestShapeWriter out(env);
  out.id(request.id);
  out.client(asked.client);
  out.link(asked.link);
  out.disconnect(request.disconnect);
  out.session(session.Make());
  if (request.sessionTimeout) out.sessionTimeout(*request.sessionTimeout);
  if (request.authorizeOnlyState) out.authorizeOnlyState(ToBuffer(env, *request.authorizeOnlyState));
  PackedAttributes packed = PackList(env, request.attributes);
  out.packed(packed.buffer);
  out.attributes(packed.at, request.attributes.size());
  return out.Make();
}

void DeliverRequests(Napi::Env env, Napi::Function onRequests, Das* das, void*) {
  if (env == nullptr) return;  // the queue torn down with calls in it
  das->scheduled = false;
  if (das->closed) return;
  std::vector<DasEngine::Asked> taken = das->engine->TakeAsked();
  if (taken.empty()) return;
  onRequests.Call({ListOf(env, taken, [&](DasEngine::Asked& asked) { return RequestToJs(env, asked); })});
}

}  // namespace

// verdict({ id, done, errorCause }): the policy's word on request `id`, signed and sent natively
// to where the request came from; nothing when no request waits under `id` (closed meanwhile).
// A request that came over a RadSec connection still open: its reply, for JS to write there.
Napi::Value seam::NativeDynamicAuthorization::Verdict(const Napi::CallbackInfo& info, Napi::Object object) {
  DynamicAuthorizationVerdictArgs args = ReadDynamicAuthorizationVerdictArgs(object);
  Das& self = OwnerOf<Das>(info);
  if (self.closed) return info.Env().Null();
  uint32_t link = 0;
  Bytes reply = self.engine->OnVerdict(args.id, args.done, args.errorCause, &link);
  if (link == 0 || reply.empty()) return info.Env().Null();
  return ToBuffer(info.Env(), reply);
}

// link(): a new RadSec connection's number.
Napi::Value seam::NativeDynamicAuthorization::Link(const Napi::CallbackInfo& info) {
  Das& self = OwnerOf<Das>(info);
  uint32_t link = self.closed ? 0 : self.engine->OpenStreamLink();
  if (link == 0) throw Napi::Error::New(info.Env(), "link: the Dynamic Authorization Server is closed");
  return Napi::Number::New(info.Env(), link);
}

// stream(DynamicAuthorizationStreamArgs): the bytes RadSec connection `link` brought, as they
// came; no bytes: its next turn. Returns { packets, backlog, broke, replies }.
Napi::Value seam::NativeDynamicAuthorization::Stream(const Napi::CallbackInfo& info, Napi::Object object) {
  Napi::Env env = info.Env();
  DynamicAuthorizationStreamArgs args = ReadDynamicAuthorizationStreamArgs(object);
  radius::Source source;
  source.port = args.port;
  source.link = args.link;
  if (args.link == 0 || !radius::ParseAddress(args.address, &source)) {
    throw Napi::TypeError::New(env, "stream: link must not be 0, address must be a literal IP address");
  }
  Das& self = OwnerOf<Das>(info);
  radius::StreamCut cut;
  std::vector<Bytes> replies;
  if (!self.closed) cut = self.engine->OnStream(args.data, source, &replies);
  DasStreamCutShapeWriter out(env);
  out.packets(static_cast<double>(cut.packets));
  out.backlog(cut.backlog);
  out.broke(cut.broke);
  out.replies(ListOf(env, replies, [&](Bytes& reply) { return ToBuffer(env, reply); }));
  return out.Make();
}

// dtlsListen(RadiusDtlsListenArgs): RADIUS/DTLS on UDP beside RadSec over TCP, this engine its
// records' sink; the listener keeps the engine alive.
Napi::Value seam::NativeDynamicAuthorization::DtlsListen(const Napi::CallbackInfo& info, Napi::Object object) {
  std::shared_ptr<Das> self = SharedOwnerOf<Das>(info);
  if (self->closed) throw Napi::Error::New(info.Env(), "dtlsListen: the Dynamic Authorization Server is closed");
  return ListenDtls(info, object, self, *self->engine);
}

// drop({ link }): that connection is gone.
Napi::Value seam::NativeDynamicAuthorization::Drop(const Napi::CallbackInfo& info, Napi::Object object) {
  RadiusLinkArgs args = ReadRadiusLinkArgs(object);
  Das& self = OwnerOf<Das>(info);
  if (!self.closed) self.engine->DropLink(args.link);
  return info.Env().Undefined();
}

// clock({ nowMs }): the server's clock reads nowMs now (a test moves it).
Napi::Value seam::NativeDynamicAuthorization::Clock(const Napi::CallbackInfo& info, Napi::Object object) {
  DynamicAuthorizationClockArgs args = ReadDynamicAuthorizationClockArgs(object);
  Das& self = OwnerOf<Das>(info);
  if (!self.closed) self.engine->MoveClock(args.nowMs);
  return info.Env().Undefined();
}

Napi::Value seam::NativeDynamicAuthorization::Stats(const Napi::CallbackInfo& info) {
  DasStatsShapeWriter out(info.Env());
  out.CountsFrom(OwnerOf<Das>(info).engine->counters());
  return out.Make();
}

// close(): stops the thread and closes the socket, forgets every request and wipes the secrets;
// stats() keeps the last counts.
Napi::Value seam::NativeDynamicAuthorization::Close(const Napi::CallbackInfo& info) {
  OwnerOf<Das>(info).Close();
  return info.Env().Undefined();
}

// dynamicAuthorizationOpen({ host, port, clients, nasIdentifier?, nasAddress?, anyNas, requireMessageAuthenticator,
// requireEventTimestamp, windowSeconds, replayCacheSize, onRequests }): { port, verdict, clock, stats, close }
Napi::Value seam::DynamicAuthorizationOpen(const Napi::CallbackInfo& info, Napi::Object object) {
  Napi::Env env = info.Env();
  // Every field read (and refused when mistyped) before any is used.
  DynamicAuthorizationOpenArgs args = ReadDynamicAuthorizationOpenArgs(object);
  if (args.anyNas && (args.nasIdentifier || args.nasAddress)) {
    throw Napi::TypeError::New(env, "dynamicAuthorizationOpen: anyNas is not with nasIdentifier or nasAddress");
  }
  radius::DasSettings settings;
  for (uint32_t i = 0; i < args.clients.Length(); ++i) settings.clients.push_back(ClientNetworkOf(env, args.clients.Read(i)));
  settings.nasIdentifier = std::move(args.nasIdentifier);
  if (args.nasAddress) {
    radius::ClientNetwork own = NetworkValue(env, *args.nasAddress, "nasAddress");
    settings.ownFamily = own.family;
    std::copy(std::begin(own.address), std::end(own.address), settings.ownAddress);
  }
  settings.requireMessageAuthenticator = args.requireMessageAuthenticator;
  settings.requireEventTimestamp = args.requireEventTimestamp;
  settings.anyNas = args.anyNas;
  settings.windowSeconds = args.windowSeconds;
  settings.replayCacheSize = args.replayCacheSize;
  // RFC 6614 §2.3: RadSec's shared secret is "radsec"; over DTLS the RadSec revision's "radius/dtls".
  static constexpr char kRadSecSecret[] = "radsec";
  static constexpr char kDtlsSecret[] = "radius/dtls";
  if (args.radsec && args.streamSecret) {
    settings.streamSecret = SecretValue(env, args.streamSecret->Unread());
  } else if (args.radsec) {
    settings.streamSecret = std::make_shared<const radius::SharedSecret>(
        Bytes(kRadSecSecret, kRadSecSecret + sizeof(kRadSecSecret) - 1));
    settings.dtlsSecret =
        std::make_shared<const radius::SharedSecret>(Bytes(kDtlsSecret, kDtlsSecret + sizeof(kDtlsSecret) - 1));
  }
  if (settings.clients.empty() || settings.windowSeconds < 1 || settings.replayCacheSize < 1) {
    throw Napi::RangeError::New(env, "clients must not be empty; windowSeconds and replayCacheSize must be positive");
  }
  if (args.port > 65535) throw Napi::RangeError::New(env, "port must be from 0 to 65535");
  radius::ListenAddress listen{args.host, static_cast<uint16_t>(args.port)};
  radius::LaneError error;
  std::unique_ptr<radius::RadiusSocket> socket = radius::OpenRadiusSocket(&listen, &error);
  if (socket == nullptr) throw SocketError(env, error);
  auto das = std::make_shared<Das>();
  das->queue = RequestQueue::New(env, args.onRequests, "dynamicAuthorizationRequests", 0, 1, das.get());
  Das* raw = das.get();
  das->engine = std::make_unique<DasEngine>(std::move(socket), std::move(settings), [raw] { raw->Notify(); });
  das->CloseAtTeardown(env);
  Napi::Object out = PortObject(env, das->engine->port());
  seam::NativeDynamicAuthorization::AddMethods(env, out, das);
  return out;
}

}  // namespace eaphost
