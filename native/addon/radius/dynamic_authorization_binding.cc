// The Dynamic Authorization Server's engine (native/radius/radius_das_engine.h) for JS: its socket
// is bound and read on its own thread, which answers, drops and NAKs what the lane says; JS's
// policy gets the requests that passed every check, decoded into named fields, in batches through
// a ThreadSafeFunction, and gives its verdict, which is signed and sent natively.
#include <algorithm>
#include <memory>
#include <optional>
#include <string>

#include "../../radius/radius_das_engine.h"
#include "../../radius/radius_socket.h"
#include "../runtime/bindings.h"
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
  Napi::Object out = Napi::Object::New(env);
  SetField(out, "id", Napi::Number::New(env, request.id));
  SetField(out, "client", Napi::String::New(env, asked.client));
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

void DeliverRequests(Napi::Env env, Napi::Function onRequests, Das* das, void*) {
  if (env == nullptr) return;  // the queue torn down with calls in it
  das->scheduled = false;
  if (das->closed) return;
  std::vector<DasEngine::Asked> taken = das->engine->TakeAsked();
  if (taken.empty()) return;
  onRequests.Call({ListOf(env, taken, [&](DasEngine::Asked& asked) { return RequestToJs(env, asked); })});
}

// verdict({ id, done, errorCause }): the policy's word on request `id`, signed and sent natively
// to where the request came from; nothing when no request waits under `id` (closed meanwhile).
Napi::Value DasVerdict(const Napi::CallbackInfo& info) {
  DynamicAuthorizationVerdictArgs args = ReadDynamicAuthorizationVerdictArgs(ArgsObject(info, "verdict"));
  Das& self = OwnerOf<Das>(info);
  if (!self.closed) self.engine->OnVerdict(args.id, args.done, args.errorCause);
  return info.Env().Undefined();
}

// clock({ nowMs }): the server's clock reads nowMs now (a test moves it).
Napi::Value DasClock(const Napi::CallbackInfo& info) {
  DynamicAuthorizationClockArgs args = ReadDynamicAuthorizationClockArgs(ArgsObject(info, "clock"));
  Das& self = OwnerOf<Das>(info);
  if (!self.closed) self.engine->MoveClock(args.nowMs);
  return info.Env().Undefined();
}

Napi::Value DasStats(const Napi::CallbackInfo& info) {
  const radius::DasCounters c = OwnerOf<Das>(info).engine->counters();
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

// close(): stops the thread and closes the socket, forgets every request and wipes the secrets;
// stats() keeps the last counts.
Napi::Value DasClose(const Napi::CallbackInfo& info) {
  OwnerOf<Das>(info).Close();
  return info.Env().Undefined();
}

// dynamicAuthorizationOpen({ host, port, clients, nasIdentifier?, nasAddress?, requireMessageAuthenticator,
// requireEventTimestamp, windowSeconds, replayCacheSize, onRequests }): { port, verdict, clock, stats, close }
Napi::Value DynamicAuthorizationOpen(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  // Every field read (and refused when mistyped) before any is used.
  DynamicAuthorizationOpenArgs args = ReadDynamicAuthorizationOpenArgs(ArgsObject(info, "dynamicAuthorizationOpen"));
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
  return PortAndMethods(env, das->engine->port(),
                        {{"verdict", DasVerdict}, {"clock", DasClock}, {"stats", DasStats}, {"close", DasClose}}, das);
}

}  // namespace

ExportList DynamicAuthorizationExports() {
  return {{"dynamicAuthorizationOpen", DynamicAuthorizationOpen}};
}

}  // namespace eaphost
