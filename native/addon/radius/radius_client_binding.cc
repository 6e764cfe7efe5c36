// radiusClientOpen(RadiusClientOpenArgs): the RADIUS client engine (native/radius/client/radius_client.h)
// as a JS object with port, target(), send(), cancel(), load(), stats(), ref(), unref() and close(). JS
// hands each request over as attributes and hears of its outcome (a verified reply, decoded, or
// why there is none) in batches through a ThreadSafeFunction, which holds the process open only
// while ref() says requests are out, as a referenced socket would.
#include <algorithm>
#include <atomic>
#include <memory>
#include <string>

#include "../../common/secure_zero.h"
#include "../../radius/client/radius_client.h"
#include "../generated/exports.h"
#include "../generated/arg_structs.h"
#include "../runtime/js_convert.h"
#include "../runtime/named_args.h"
#include "radius_binding.h"

namespace eaphost {

namespace {

using radius::ClientAttribute;
using radius::ClientOutcome;
using radius::ClientRequest;
using radius::RadiusClientEngine;

struct Client;
void DeliverOutcomes(Napi::Env env, Napi::Function onOutcomes, Client* client, void*);
using OutcomeQueue = Napi::TypedThreadSafeFunction<Client, void, DeliverOutcomes>;

struct Client : EngineOwner<Client, RadiusClientEngine, OutcomeQueue> {
  void Close() { Shut(); }
  // The engine may outlive this (the RADIUS engine's proxy shares it): its thread, which notifies
  // through this, stops first.
  ~Client() {
    if (engine) engine->Close();
  }
};

Napi::Object OutcomeToJs(Napi::Env env, ClientOutcome& outcome) {
  RadiusClientOutcomeShapeWriter out(env);
  out.id(outcome.id);
  out.kind(static_cast<int>(outcome.kind));
  out.sent(outcome.sent);
  out.elapsedMs(outcome.elapsedMs);
  if (outcome.kind == radius::OutcomeKind::kReply) {
    out.code(outcome.code);
    out.identifier(outcome.identifier);
    out.authenticator(Napi::Buffer<uint8_t>::Copy(env, outcome.authenticator.data(), outcome.authenticator.size()));
    PackedAttributes packed = PackList(env, outcome.attributes);
    out.packed(packed.buffer);
    out.attributes(packed.at, outcome.attributes.size());
    out.keys(ListOf(env, outcome.keys, [&](Bytes& key) { return ToBuffer(env, key); }));
    if (outcome.hasEap) out.eap(ToBuffer(env, outcome.eap));
    if (outcome.eapMalformed != nullptr) out.eapMalformed(Napi::String::New(env, outcome.eapMalformed));
    return out.Make();
  }
  out.unauthenticated(outcome.unauthenticated);
  out.messageAuthenticatorInvalid(outcome.messageAuthenticatorInvalid);
  out.messageAuthenticatorMissing(outcome.messageAuthenticatorMissing);
  out.malformed(outcome.malformed);
  out.stray(outcome.stray);
  out.misaddressed(outcome.misaddressed);
  return out.Make();
}

// RadiusClientEvents: a list with nothing in it is absent.
void DeliverOutcomes(Napi::Env env, Napi::Function onEvents, Client* client, void*) {
  if (env == nullptr) return;  // the queue torn down with calls in it
  client->scheduled = false;
  if (client->closed) return;
  radius::ClientEvents taken = client->engine->Take();
  if (taken.empty()) return;
  RadiusClientEventsShapeWriter events(env);
  if (!taken.outcomes.empty()) {
    events.outcomes(ListOf(env, taken.outcomes, [&](ClientOutcome& outcome) { return OutcomeToJs(env, outcome); }));
  }
  if (!taken.writes.empty()) {
    events.writes(ListOf(env, taken.writes,
                         [&](radius::ClientWrite& write) { return StreamWriteToJs(env, write.link, write.datagram); }));
  }
  if (!taken.broken.empty()) {
    events.broken(ListOf(env, taken.broken, [&](uint32_t link) { return Napi::Number::New(env, link); }));
  }
  if (!taken.resumed.empty()) {
    events.resumed(ListOf(env, taken.resumed, [&](uint32_t link) { return Napi::Number::New(env, link); }));
  }
  if (!taken.requests.empty()) {
    events.requests(ListOf(env, taken.requests,
                           [&](radius::ClientWrite& request) { return StreamWriteToJs(env, request.link, request.datagram); }));
  }
  if (taken.loadDone) events.loadDone(true);
  onEvents.Call({events.Make()});
}

// { type, value }[] in order, each read as the list is walked.
void ReadAttributes(Napi::Env env, const ArgList<RadiusClientAttribute>& list, std::vector<ClientAttribute>* out) {
  out->reserve(list.Length());
  for (uint32_t i = 0; i < list.Length(); ++i) {
    RadiusClientAttribute attribute = list.Read(i);
    if (attribute.type == 0 || attribute.type > 255) throw Napi::RangeError::New(env, "an attribute's type is 1-255");
    out->push_back({static_cast<uint8_t>(attribute.type), std::move(attribute.value)});
  }
}

}  // namespace

// target({ address, port, secret }): a server, by literal address, and the secret shared with it.
Napi::Value seam::NativeRadiusClient::Target(const Napi::CallbackInfo& info, Napi::Object object) {
  Napi::Env env = info.Env();
  RadiusClientTargetArgs args = ReadRadiusClientTargetArgs(object);
  WipeOnExit wipe(args.secret);
  radius::Source server;
  if (!radius::ParseAddress(args.address, &server) || args.port == 0 || args.port > 65535) {
    throw Napi::TypeError::New(env, "target: address must be a literal IP address, port 1-65535");
  }
  if (args.secret.empty() && !args.radius11) throw Napi::TypeError::New(env, "secret must be a non-empty Buffer");
  if (args.radius11 && args.link == 0) throw Napi::TypeError::New(env, "target: RADIUS/1.1 needs a stream (link)");
  server.port = static_cast<uint16_t>(args.port);
  server.link = args.link;
  Client& self = OwnerOf<Client>(info);
  if (self.closed) return Napi::Number::New(env, 0);
  auto secret = std::make_shared<radius::SharedSecret>(args.radius11 ? radius::Bytes{} : args.secret,
                                                       args.radius11 ? radius::RadiusVersion::k11 : radius::RadiusVersion::k10);
  return Napi::Number::New(env, self.engine->AddTarget(server, std::move(secret)));
}

// send(RadiusClientSendArgs): one request, held until flush(); its outcome comes through
// onOutcomes under its id.
Napi::Value seam::NativeRadiusClient::Send(const Napi::CallbackInfo& info, Napi::Object object) {
  Napi::Env env = info.Env();
  RadiusClientSendArgs args = ReadRadiusClientSendArgs(object);
  if (args.code == 0 || args.code > 255) throw Napi::RangeError::New(env, "code must be 1-255");

  ClientRequest request;
  request.id = args.id;
  request.target = args.target;
  request.code = static_cast<uint8_t>(args.code);
  ReadAttributes(env, args.attributes, &request.attributes);
  request.eapMessage = std::move(args.eapMessage);
  request.hasUserPassword = args.userPassword.has_value();
  if (request.hasUserPassword) request.userPassword = BytesValue(env, args.userPassword->Unread(), "userPassword");
  request.messageAuthenticator = args.messageAuthenticator;
  request.requireMessageAuthenticator = args.requireMessageAuthenticator;
  request.secretProbe = args.secretProbe;
  request.probeUserName = std::move(args.probeUserName);
  for (uint32_t i = 0; i < args.answerCodes.Length(); ++i) request.answerCodes.set(args.answerCodes.Read(i) & 0xFF);
  request.tries = args.tries;
  request.timeoutMs = args.timeoutMs;
  const char* why = nullptr;
  if (!radius::ClientRequestFits(request, &why)) throw Napi::RangeError::New(env, why);
  Client& self = OwnerOf<Client>(info);
  if (self.closed) throw Napi::Error::New(env, "RADIUS client closed");
  self.engine->Submit(std::move(request));
  return env.Undefined();
}

namespace {

// { type, values, ends }: one attribute per request, request n's value ending at ends[n].
radius::ClientLoadColumn ColumnOf(Napi::Env env, RadiusClientLoadColumn& read) {
  radius::ClientLoadColumn column;
  if (read.type == 0 || read.type > 255) throw Napi::RangeError::New(env, "an attribute's type is 1-255");
  column.type = static_cast<uint8_t>(read.type);
  column.values = std::move(read.values);
  column.ends = std::move(read.ends);
  uint32_t from = 0;
  for (uint32_t end : column.ends) {
    if (end < from || end - from > radius::kMaxAttributeValue) {
      throw Napi::RangeError::New(env, "a column's ends must rise by at most 253 bytes each");
    }
    from = end;
  }
  if (column.ends.empty() || from != column.values.size()) {
    throw Napi::RangeError::New(env, "a column's last end must be its values' length");
  }
  return column;
}

}  // namespace

// load(RadiusClientLoadArgs): a load run of Access-Requests with Message-Authenticator; its
// longest request is checked as send() checks one.
Napi::Value seam::NativeRadiusClient::Load(const Napi::CallbackInfo& info, Napi::Object object) {
  Napi::Env env = info.Env();
  RadiusClientLoadArgs args = ReadRadiusClientLoadArgs(object);
  if (args.columns.empty()) throw Napi::TypeError::New(env, "columns must be a non-empty array");
  if (args.concurrency == 0) throw Napi::RangeError::New(env, "concurrency must be at least 1");
  if (!(args.rate >= 0) || args.rate > 1e9) throw Napi::RangeError::New(env, "rate must be 0-1e9 per second");

  radius::ClientLoad load;
  load.target = args.target;
  load.concurrency = args.concurrency;
  load.count = args.count;
  load.durationUs = uint64_t{args.durationMs} * 1000;
  load.rate = args.rate;
  ClientRequest& shape = load.shape;
  shape.target = args.target;
  ReadAttributes(env, args.attributes, &shape.attributes);
  shape.requireMessageAuthenticator = args.requireMessageAuthenticator;
  if (args.code == radius::kAccountingRequest) {
    shape.code = radius::kAccountingRequest;
    shape.answerCodes.set(radius::kAccountingResponse);
  } else if (args.code == radius::kAccessRequest) {
    for (uint8_t code : {radius::kAccessAccept, radius::kAccessReject, radius::kAccessChallenge}) shape.answerCodes.set(code);
  } else {
    throw Napi::RangeError::New(env, "code must be 1 (Access-Request) or 4 (Accounting-Request)");
  }
  shape.tries = args.tries;
  shape.timeoutMs = args.timeoutMs;
  // The longest request the run can make: each column's longest value in it.
  ClientRequest longest;
  longest.attributes = shape.attributes;
  longest.tries = shape.tries;
  longest.timeoutMs = shape.timeoutMs;
  for (RadiusClientLoadColumn& read : args.columns) {
    load.columns.push_back(ColumnOf(env, read));
    const radius::ClientLoadColumn& column = load.columns.back();
    if (column.ends.size() != load.columns.front().ends.size()) throw Napi::RangeError::New(env, "the columns must be of one length");
    uint32_t most = 0;
    for (size_t n = 0; n < column.ends.size(); ++n) most = std::max(most, column.ends[n] - (n == 0 ? 0 : column.ends[n - 1]));
    if (column.type == radius::kUserPassword) {
      longest.hasUserPassword = true;
      longest.userPassword.assign(most, 0);
    } else {
      longest.attributes.push_back({column.type, Bytes(most, 0)});
    }
  }
  const char* why = nullptr;
  if (!radius::ClientRequestFits(longest, &why)) throw Napi::RangeError::New(env, why);
  Client& self = OwnerOf<Client>(info);
  if (self.closed) throw Napi::Error::New(env, "RADIUS client closed");
  if (!self.engine->StartLoad(std::move(load))) throw Napi::Error::New(env, "a load run is already on");
  return env.Undefined();
}

Napi::Value seam::NativeRadiusClient::LoadStop(const Napi::CallbackInfo& info) {
  Client& self = OwnerOf<Client>(info);
  if (!self.closed) self.engine->StopLoad();
  return info.Env().Undefined();
}

// loadTake(): RadiusClientLoadProgress.
Napi::Value seam::NativeRadiusClient::LoadTake(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  radius::ClientLoadProgress progress = OwnerOf<Client>(info).engine->TakeLoad();
  RadiusClientLoadProgressShapeWriter out(env);
  out.started(static_cast<double>(progress.started));
  out.inFlight(static_cast<double>(progress.inFlight));
  out.successes(static_cast<double>(progress.successes));
  out.failures(static_cast<double>(progress.failures));
  Napi::Float64Array latencies = Napi::Float64Array::New(env, progress.latenciesMs.size());
  std::copy(progress.latenciesMs.begin(), progress.latenciesMs.end(), latencies.Data());
  out.latenciesMs(latencies);
  return out.Make();
}

// stream({ link, data }): what a stream target's connection brought, in order.
Napi::Value seam::NativeRadiusClient::Stream(const Napi::CallbackInfo& info, Napi::Object object) {
  RadiusClientStreamArgs args = ReadRadiusClientStreamArgs(object);
  Client& self = OwnerOf<Client>(info);
  bool hold = !self.closed && args.link != 0 && self.engine->OnStream(args.link, std::move(args.data));
  return Napi::Boolean::New(info.Env(), hold);
}

// dtlsConnect(RadiusDtlsConnectArgs): a RADIUS/DTLS association for stream `link`, joined to this
// engine natively: the link's requests go into it from the engine's thread, its records to the
// engine's stream of the link from its own; JS holds the association's object for the rest.
Napi::Value seam::NativeRadiusClient::DtlsConnect(const Napi::CallbackInfo& info, Napi::Object object) {
  Napi::Env env = info.Env();
  RadiusDtlsConnectArgs args = ReadRadiusDtlsConnectArgs(object);
  if (args.link == 0) throw Napi::RangeError::New(env, "dtlsConnect: link must be 1 or more");
  Client& self = OwnerOf<Client>(info);
  if (self.closed) throw Napi::Error::New(env, "RADIUS client closed");
  // Weak: the engine holds the association's writer, and the association must not hold the engine.
  std::weak_ptr<RadiusClientEngine> engine = self.engine;
  const uint32_t link = args.link;
  std::function<void(const Bytes&)> write;
  Napi::Object association = ConnectDtls(
      env, args,
      [engine, link](Bytes&& record) {
        if (std::shared_ptr<RadiusClientEngine> held = engine.lock()) held->OnRecord(link, std::move(record));
      },
      &write);
  self.engine->CarryLink(link, std::move(write));
  return association;
}

// drop({ link }): that connection is gone.
Napi::Value seam::NativeRadiusClient::Drop(const Napi::CallbackInfo& info, Napi::Object object) {
  RadiusLinkArgs args = ReadRadiusLinkArgs(object);
  Client& self = OwnerOf<Client>(info);
  if (!self.closed) self.engine->DropLink(args.link);
  return info.Env().Undefined();
}

// flush(): the requests sent so far go to the engine's thread, in one wake.
Napi::Value seam::NativeRadiusClient::Flush(const Napi::CallbackInfo& info) {
  Client& self = OwnerOf<Client>(info);
  if (!self.closed) self.engine->Flush();
  return info.Env().Undefined();
}

Napi::Value seam::NativeRadiusClient::Cancel(const Napi::CallbackInfo& info, Napi::Object object) {
  RadiusClientCancelArgs args = ReadRadiusClientCancelArgs(object);
  Client& self = OwnerOf<Client>(info);
  if (!self.closed) self.engine->Cancel(args.id);
  return info.Env().Undefined();
}

Napi::Value seam::NativeRadiusClient::Stats(const Napi::CallbackInfo& info) {
  RadiusClientCountersShapeWriter out(info.Env());
  out.CountsFrom(OwnerOf<Client>(info).engine->counters());
  return out.Make();
}

Napi::Value seam::NativeRadiusClient::Ref(const Napi::CallbackInfo& info) {
  Client& self = OwnerOf<Client>(info);
  if (!self.closed) self.queue.Ref(info.Env());
  return info.Env().Undefined();
}

Napi::Value seam::NativeRadiusClient::Unref(const Napi::CallbackInfo& info) {
  Client& self = OwnerOf<Client>(info);
  if (!self.closed) self.queue.Unref(info.Env());
  return info.Env().Undefined();
}

Napi::Value seam::NativeRadiusClient::Close(const Napi::CallbackInfo& info) {
  OwnerOf<Client>(info).Close();
  return info.Env().Undefined();
}

namespace {

// The JS object over a client engine on `socket`, its events through `onEvents`; `engine`: that
// engine, for another role to share (ShareExchangeSender).
Napi::Object ClientObject(Napi::Env env, Napi::Function onEvents, std::unique_ptr<radius::RadiusSocket> socket,
                          std::shared_ptr<RadiusClientEngine>* engine) {
  auto client = std::make_shared<Client>();
  client->queue = OutcomeQueue::New(env, onEvents, "radiusClientEvents", 0, 1, client.get());
  client->queue.Unref(env);  // ref() while requests are out
  Client* raw = client.get();
  client->engine = std::make_shared<RadiusClientEngine>(std::move(socket), [raw] { raw->Notify(); });
  client->CloseAtTeardown(env);
  if (engine != nullptr) *engine = client->engine;
  Napi::Object out = PortObject(env, client->engine->port());
  seam::NativeRadiusClient::AddMethods(env, out, client);
  return out;
}

}  // namespace

Napi::Object StreamClientObject(Napi::Env env, Napi::Function onEvents, std::shared_ptr<RadiusClientEngine>* engine) {
  radius::LaneError error;
  std::unique_ptr<radius::RadiusSocket> socket = radius::OpenRadiusSocket(nullptr, &error);
  if (socket == nullptr) throw SocketError(env, error);
  return ClientObject(env, onEvents, std::move(socket), engine);
}

Napi::Value seam::RadiusClientOpen(const Napi::CallbackInfo& info, Napi::Object object) {
  Napi::Env env = info.Env();
  RadiusClientOpenArgs args = ReadRadiusClientOpenArgs(object);
  std::optional<radius::ListenAddress> listen;
  if (args.host) listen = radius::ListenAddress{*args.host, 0};
  radius::LaneError error;
  std::unique_ptr<radius::RadiusSocket> socket = radius::OpenRadiusSocket(listen ? &*listen : nullptr, &error);
  if (socket == nullptr) throw SocketError(env, error);
  return ClientObject(env, args.onEvents, std::move(socket), nullptr);
}

}  // namespace eaphost
