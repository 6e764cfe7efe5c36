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
  Napi::Object out = Napi::Object::New(env);
  SetField(out, "id", Napi::Number::New(env, request.id));
  SetField(out, "disconnect", Napi::Boolean::New(env, request.disconnect));
  Napi::Object session = Napi::Object::New(env);
  auto text = [&](const char* name, const std::optional<Bytes>& value) {
    if (value) SetField(session, name, Text(env, *value));
  };
  text("userName", request.userName);
  text("callingStationId", request.callingStationId);
  text("calledStationId", request.calledStationId);
  text("acctSessionId", request.acctSessionId);
  text("acctMultiSessionId", request.acctMultiSessionId);
  if (request.nasPort) SetField(session, "nasPort", Napi::Number::New(env, *request.nasPort));
  text("nasPortId", request.nasPortId);
  if (request.framedIpAddress) SetField(session, "framedIpAddress", Napi::String::New(env, *request.framedIpAddress));
  if (request.chargeableUserIdentity) {
    SetField(session, "chargeableUserIdentity", ToBuffer(env, *request.chargeableUserIdentity));
  }
  SetField(out, "session", session);
  if (request.sessionTimeout) SetField(out, "sessionTimeout", Napi::Number::New(env, *request.sessionTimeout));
  if (request.authorizeOnlyState) SetField(out, "authorizeOnlyState", ToBuffer(env, *request.authorizeOnlyState));
  SetField(out, "attributes", ListOf(env, request.attributes, [&](const std::pair<uint8_t, Bytes>& attribute) {
             return RadiusAttributeToJs(env, attribute.first, attribute.second);
           }));
  return out;
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
  Napi::Object out = Napi::Object::New(env);
  if (outcome.kind == DasOutcome::Kind::kReply) {
    SetField(out, "reply", ToBuffer(env, outcome.reply));
  } else {
    SetField(out, "request", RequestToJs(env, outcome.request));
  }
  return out;
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
  Napi::Object out = Napi::Object::New(env);
  auto put = [&](const char* name, uint64_t value) {
    SetField(out, name, Napi::Number::New(env, static_cast<double>(value)));
  };
  put("requests", c.requests);
  put("acks", c.acks);
  put("naks", c.naks);
  put("duplicates", c.duplicates);
  put("droppedUnknownClient", c.droppedUnknownClient);
  put("droppedMalformed", c.droppedMalformed);
  put("droppedUnauthenticated", c.droppedUnauthenticated);
  put("droppedNoMessageAuthenticator", c.droppedNoMessageAuthenticator);
  put("droppedStale", c.droppedStale);
  return out;
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
