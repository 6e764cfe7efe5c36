// The Dynamic Authorization Server's lane (native/radius/radius_das.h) for JS: JS's UDP socket
// hands each datagram in with the server's clock and sends what comes back; JS's policy gets each
// request that passed every check, decoded into named fields, and gives its verdict, which comes
// back signed. Everything runs on JS's thread, in the call.
#include <algorithm>
#include <memory>
#include <optional>
#include <string>

#include "../../radius/radius_das.h"
#include "../../radius/radius_socket.h"
#include "../generated/exports.h"
#include "../generated/arg_structs.h"
#include "../runtime/js_convert.h"
#include "../runtime/named_args.h"
#include "radius_binding.h"
#include "radius_values.h"

namespace eaphost {

namespace {

using radius::DasLane;
using radius::DasOutcome;
using radius::DasRequest;

struct Das {
  std::unique_ptr<DasLane> lane;
  radius::DasCounters last;  // the counts at close(), which stay readable
  bool closed = false;
};

Napi::Value Text(Napi::Env env, const Bytes& bytes) {
  return Napi::String::New(env, reinterpret_cast<const char*>(bytes.data()), bytes.size());
}

Napi::Object RequestToJs(Napi::Env env, const DasRequest& request) {
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
  out.disconnect(request.disconnect);
  out.session(session.Make());
  if (request.sessionTimeout) out.sessionTimeout(*request.sessionTimeout);
  if (request.authorizeOnlyState) out.authorizeOnlyState(ToBuffer(env, *request.authorizeOnlyState));
  out.attributes(ListOf(env, request.attributes, [&](const std::pair<uint8_t, Bytes>& attribute) {
    return RadiusAttributeToJs(env, attribute.first, attribute.second);
  }));
  return out.Make();
}

}  // namespace

// receive({ datagram, address, nowMs }): undefined (nothing to send), { reply } to send back to
// the datagram's source, or { request } for the policy.
Napi::Value seam::NativeDynamicAuthorization::Receive(const Napi::CallbackInfo& info, Napi::Object object) {
  Napi::Env env = info.Env();
  DynamicAuthorizationDatagramArgs args = ReadDynamicAuthorizationDatagramArgs(object);
  const Bytes& datagram = args.datagram;
  radius::Source source;
  if (!radius::ParseAddress(args.address, &source)) {
    throw Napi::TypeError::New(env, "address must be a literal IP address");
  }
  uint64_t now = args.nowMs;
  Das& self = OwnerOf<Das>(info);
  if (self.closed) return env.Undefined();
  DasOutcome outcome = self.lane->OnDatagram(datagram.data(), datagram.size(), source, now);
  if (outcome.kind == DasOutcome::Kind::kNothing) return env.Undefined();
  DasReceivedShapeWriter out(env);
  if (outcome.kind == DasOutcome::Kind::kReply) {
    out.reply(ToBuffer(env, outcome.reply));
  } else {
    out.request(RequestToJs(env, outcome.request));
  }
  return out.Make();
}

// verdict({ id, done, errorCause, nowMs }): the signed ACK or NAK to send, or undefined when no
// request waits under `id` (closed meanwhile).
Napi::Value seam::NativeDynamicAuthorization::Verdict(const Napi::CallbackInfo& info, Napi::Object object) {
  Napi::Env env = info.Env();
  DynamicAuthorizationVerdictArgs args = ReadDynamicAuthorizationVerdictArgs(object);
  Das& self = OwnerOf<Das>(info);
  if (self.closed) return env.Undefined();
  Bytes reply = self.lane->OnVerdict(args.id, args.done, args.errorCause, args.nowMs);
  if (reply.empty()) return env.Undefined();
  return ToBuffer(env, reply);
}

Napi::Value seam::NativeDynamicAuthorization::Stats(const Napi::CallbackInfo& info) {
  Das& self = OwnerOf<Das>(info);
  const radius::DasCounters& c = self.closed ? self.last : self.lane->counters();
  Napi::Env env = info.Env();
  DasStatsShapeWriter out(env);
  out.requests(static_cast<double>(c.requests));
  out.acks(static_cast<double>(c.acks));
  out.naks(static_cast<double>(c.naks));
  out.duplicates(static_cast<double>(c.duplicates));
  out.droppedUnknownClient(static_cast<double>(c.droppedUnknownClient));
  out.droppedMalformed(static_cast<double>(c.droppedMalformed));
  out.droppedUnauthenticated(static_cast<double>(c.droppedUnauthenticated));
  out.droppedNoMessageAuthenticator(static_cast<double>(c.droppedNoMessageAuthenticator));
  out.droppedStale(static_cast<double>(c.droppedStale));
  return out.Make();
}

// close(): forgets every request and wipes the secrets; stats() keeps the last counts.
Napi::Value seam::NativeDynamicAuthorization::Close(const Napi::CallbackInfo& info) {
  Das& self = OwnerOf<Das>(info);
  if (!self.closed) {
    self.closed = true;
    self.last = self.lane->counters();
    self.lane->Clear();
    self.lane.reset();
  }
  return info.Env().Undefined();
}

// dynamicAuthorizationOpen({ clients, nasIdentifier?, nasAddress?, requireMessageAuthenticator,
// requireEventTimestamp, windowSeconds, replayCacheSize })
Napi::Value seam::DynamicAuthorizationOpen(const Napi::CallbackInfo& info, Napi::Object object) {
  Napi::Env env = info.Env();
  // Every field read (and refused when mistyped) before any is used.
  DynamicAuthorizationOpenArgs args = ReadDynamicAuthorizationOpenArgs(object);
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
  settings.windowSeconds = args.windowSeconds;
  settings.replayCacheSize = args.replayCacheSize;
  if (settings.clients.empty() || settings.windowSeconds < 1 || settings.replayCacheSize < 1) {
    throw Napi::RangeError::New(env, "clients must not be empty; windowSeconds and replayCacheSize must be positive");
  }
  auto das = std::make_shared<Das>();
  das->lane = std::make_unique<DasLane>(std::move(settings));
  Napi::Object out = Napi::Object::New(env);
  seam::NativeDynamicAuthorization::AddMethods(env, out, das);
  return out;
}

}  // namespace eaphost
