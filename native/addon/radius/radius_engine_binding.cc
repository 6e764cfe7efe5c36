// radiusEngineOpen(RadiusEngineOpenArgs): the RADIUS engine (native/radius/) as a JS object with
// port, stats(), stream(), drop(), answer() and close(). Its thread answers every UDP datagram
// itself; a RadSec connection's bytes and a store's answer are handled in the call that hands
// them over. JS hears, in batches through a ThreadSafeFunction, of finished conversations (the
// log), of questions for a user store JS holds, of replies for RadSec connections and of
// connections whose framing broke. The queue also keeps the process alive while the engine is
// open, as a listening socket does. The methods are resolved on the host thread, where they are
// owned; the engine keeps them (as a live conversation does) until it closes.
#include <algorithm>
#include <atomic>
#include <memory>
#include <string>

#include "../../common/generated/constants.h"
#include "../../common/secure_zero.h"
#include "../../radius/server/radius_engine.h"
#include "../../radius/server/radius_handler_proxy.h"
#include "../../radius/server/radius_policy.h"
#include "../methods/authenticator_binding.h"
#include "../generated/exports.h"
#include "../generated/arg_structs.h"
#include "../runtime/host_call.h"
#include "../runtime/js_convert.h"
#include "../runtime/named_args.h"
#include "radius_values.h"
#include "../methods/known_answer.h"
#include "radius_binding.h"
#include "../methods/method_resources.h"

namespace eaphost {

using radius::ClientNetwork;
using radius::SharedSecret;

std::shared_ptr<const SharedSecret> SecretValue(Napi::Env env, Napi::Value value) {
  Bytes bytes = BytesValue(env, value, "secret");
  if (bytes.empty()) throw Napi::TypeError::New(env, "secret must be a non-empty Buffer");
  return std::make_shared<SharedSecret>(std::move(bytes));
}

ClientNetwork NetworkValue(Napi::Env env, const std::string& value, const char* what) {
  radius::Source parsed;
  if (!radius::ParseAddress(value, &parsed)) {
    throw Napi::TypeError::New(env, std::string(what) + " must be a literal IP address");
  }
  ClientNetwork network;
  network.family = parsed.family;
  network.prefix = parsed.family == 4 ? 32 : 128;
  std::copy(std::begin(parsed.address), std::end(parsed.address), network.address);
  return network;
}

ClientNetwork ClientNetworkOf(Napi::Env env, const RadiusEngineClient& client) {
  ClientNetwork network = NetworkValue(env, client.network, "network");
  network.prefix = client.prefix;
  if (network.prefix > (network.family == 4 ? 32u : 128u)) throw Napi::RangeError::New(env, "prefix out of range");
  network.secret = SecretValue(env, client.secret.Unread());
  return network;
}

namespace {

using radius::ConversationRecord;
using radius::LaneError;
using radius::LaneSettings;
using radius::ListenAddress;
using radius::OutgoingDatagram;
using radius::RadiusEngine;

struct Engine;
void DeliverEvents(Napi::Env env, Napi::Function onEvents, Engine* engine, void*);
using EventQueue = Napi::TypedThreadSafeFunction<Engine, void, DeliverEvents>;

struct Engine : EngineOwner<Engine, RadiusEngine, EventQueue> {
  Napi::FunctionReference onEvents;  // for what the engine left at close()

  void Close() {
    if (Shut()) onEvents.Reset();
  }
};

Napi::Object RecordToJs(Napi::Env env, ConversationRecord& record) {
  RadiusEngineRecordShapeWriter out(env);
  out.client(record.client);
  out.identity(ToBuffer(env, record.identity));
  out.eapType(record.eapType);
  out.accept(record.accept);
  out.roundTrips(record.roundTrips);
  out.durationMs(static_cast<double>(record.durationMs));
  out.resumed(record.resumed);
  out.stepFailed(record.stepFailed);
  PackedAttributes packed = PackList(env, record.nasAttributes);
  out.packed(packed.buffer);
  out.nasAttributes(packed.at, record.nasAttributes.size());
  if (record.hasError) out.error(record.error);
  out.home(record.home);
  out.link(record.link);
  return out.Make();
}

// A verdict for authorize(): what the request offers to match on (lib/radius/policy.ts names the method).
Napi::Object AuthorizationToJs(Napi::Env env, const radius::AuthorizeQuestion& question) {
  const radius::PolicyRequest& request = *question.request;
  RadiusEngineAuthorizationShapeWriter out(env);
  out.question(question.id);
  out.client(question.client);
  out.user(request.user);
  out.userName(request.userName);
  out.method(request.method);
  out.nasIdentifier(request.nasIdentifier);
  out.nasAddress(radius::AddressText(request.nasAddress));
  out.calledStationId(request.calledStationId);
  out.callingStationId(request.callingStationId);
  out.ssid(request.ssid);
  out.nasPortType(static_cast<double>(request.nasPortType));
  return out.Make();
}

// An Accounting-Request to record: its attributes packed as a record's NAS attributes are.
Napi::Object AccountingToJs(Napi::Env env, radius::AccountingRequest& request) {
  RadiusEngineAccountingShapeWriter out(env);
  out.id(request.id);
  out.client(request.client);
  out.realm(request.realm);
  out.home(request.home);
  PackedAttributes packed = PackList(env, request.attributes);
  out.packed(packed.buffer);
  out.attributes(packed.at, request.attributes.size());
  return out.Make();
}

// What the engine has for JS, as RadiusEngineEvents. A record comes after its verdict went out
// (a RadSec connection's verdict is among the replies, which JS writes before it reads records).
void Deliver(Napi::Env env, Napi::Function onEvents, Engine* self) {
  radius::ForJs taken = self->engine->lane().TakeForJs();
  if (taken.records.empty() && taken.questions.empty() && taken.authorizations.empty() && taken.replies.empty() &&
      taken.broken.empty() && taken.accounting.empty() && taken.proxyConnects.empty() && taken.proxyDiscovers.empty() &&
      taken.answers.empty() && taken.spoolAcknowledged.empty() && taken.spoolUnanswered.empty()) {
    return;
  }
  // The questions packed (question ID, identity): no object per question made from here.
  size_t total = 0;
  for (const radius::StoreQuestion& question : taken.questions) total += 8 + question.identity.size();
  PackedAttributes packed{env.Undefined(), 0};
  if (total != 0) {
    SlabSpace space = ReserveSlab(env, total);
    for (const radius::StoreQuestion& question : taken.questions) {
      PutEntry(space.data, question.id, reinterpret_cast<const uint8_t*>(question.identity.data()),
               question.identity.size());
    }
    packed = space.packed;
  }
  Napi::Value records = env.Undefined();
  Napi::Value replies = env.Undefined();
  if (!taken.records.empty())
    records = ListOf(env, taken.records, [&](ConversationRecord& r) { return RecordToJs(env, r); });
  if (!taken.replies.empty()) {
    replies = ListOf(env, taken.replies, [&](OutgoingDatagram& reply) {
      return StreamWriteToJs(env, reply.destination.link, reply.bytes);
    });
  }
  Napi::Value authorizations = env.Undefined();
  if (!taken.authorizations.empty()) {
    authorizations =
        ListOf(env, taken.authorizations, [&](radius::AuthorizeQuestion& q) { return AuthorizationToJs(env, q); });
  }
  Napi::Value accounting = env.Undefined();
  if (!taken.accounting.empty()) {
    accounting = ListOf(env, taken.accounting, [&](radius::AccountingRequest& r) { return AccountingToJs(env, r); });
  }
  Napi::Value broken = env.Undefined();
  if (!taken.broken.empty())
    broken = ListOf(env, taken.broken, [&](uint32_t link) { return Napi::Number::New(env, link); });
  EngineEventsShapeWriter shaped(env);
  shaped.packed(packed.buffer);
  shaped.records(records);
  shaped.questions(packed.at, taken.questions.size());
  shaped.authorizations(authorizations);
  shaped.replies(replies);
  shaped.broken(broken);
  shaped.accounting(accounting);
  if (!taken.proxyConnects.empty()) {
    shaped.proxyConnects(
        ListOf(env, taken.proxyConnects, [&](uint32_t route) { return Napi::Number::New(env, route); }));
  }
  if (!taken.proxyDiscovers.empty()) {
    shaped.proxyDiscovers(
        ListOf(env, taken.proxyDiscovers, [&](const std::string& realm) { return Napi::String::New(env, realm); }));
  }
  if (!taken.answers.empty()) {
    shaped.answers(ListOf(env, taken.answers, [&](OutgoingDatagram& answer) {
      return StreamWriteToJs(env, answer.destination.link, answer.bytes);
    }));
  }
  auto numbers = [&](std::vector<uint32_t>& ids) {
    return ListOf(env, ids, [&](uint32_t id) { return Napi::Number::New(env, id); });
  };
  if (!taken.spoolAcknowledged.empty()) shaped.spoolAcknowledged(numbers(taken.spoolAcknowledged));
  if (!taken.spoolUnanswered.empty()) shaped.spoolUnanswered(numbers(taken.spoolUnanswered));
  Napi::Object events = shaped.Make();
  if (!onEvents.IsEmpty()) onEvents.Call({events});
}

void DeliverEvents(Napi::Env env, Napi::Function onEvents, Engine* engine, void*) {
  // env is null when the queue is torn down with calls in it.
  if (env == nullptr) return;
  engine->scheduled = false;
  Deliver(env, onEvents, engine);
}

}  // namespace

Napi::Value seam::NativeRadiusEngine::Stats(const Napi::CallbackInfo& info) {
  EngineStatsShapeWriter shaped(info.Env());
  shaped.CountsFrom(OwnerOf<Engine>(info).engine->lane().counters());
  return shaped.Make();
}

// clients(): each client's tally, copied under the tally's lock.
Napi::Value seam::NativeRadiusEngine::Clients(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  std::vector<radius::ClientTallyRow> rows = OwnerOf<Engine>(info).engine->lane().clients().Snapshot();
  return ListOf(env, rows, [&](radius::ClientTallyRow& row) {
    RadiusClientTallyShapeWriter out(env);
    auto count = [](uint64_t value) { return static_cast<double>(value); };
    out.client(row.client);
    out.accessRequests(count(row.accessRequests));
    out.accountingRequests(count(row.accountingRequests));
    out.statusServer(count(row.statusServer));
    out.accepts(count(row.accepts));
    out.rejects(count(row.rejects));
    out.challenges(count(row.challenges));
    out.accountingResponses(count(row.accountingResponses));
    out.valid(count(row.valid));
    out.invalid(count(row.invalid));
    out.absent(count(row.absent));
    out.proxyStateWithout(count(row.proxyStateWithout));
    out.lastValidMs(count(row.lastValidMs));
    out.lastInvalidMs(count(row.lastInvalidMs));
    out.lastAbsentMs(count(row.lastAbsentMs));
    out.lastProxyStateWithoutMs(count(row.lastProxyStateWithoutMs));
    return out.Make();
  });
}

namespace {

// The time-to-verdict buckets' bounds in seconds: the authentication histogram's and each home's latency's.
Napi::Array DurationBounds(Napi::Env env) {
  Napi::Array bounds = Napi::Array::New(env, radius::kVerdictBucketsUs.size());
  for (uint32_t i = 0; i < radius::kVerdictBucketsUs.size(); ++i)
    bounds.Set(i, static_cast<double>(radius::kVerdictBucketsUs[i]) / 1e6);
  return bounds;
}

}  // namespace

// proxyHomes(): each home server's URL, counts and (pooled) state.
Napi::Value seam::NativeRadiusEngine::ProxyHomes(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  std::vector<radius::HomeTally> rows = OwnerOf<Engine>(info).engine->lane().proxy().HomeTallies();
  Napi::Array bounds = DurationBounds(env);
  return ListOf(env, rows, [&](radius::HomeTally& row) {
    RadiusProxyHomeTallyShapeWriter out(env);
    auto count = [](uint64_t value) { return static_cast<double>(value); };
    Napi::Array buckets = Napi::Array::New(env, row.buckets.size());
    for (uint32_t i = 0; i < row.buckets.size(); ++i) buckets.Set(i, count(row.buckets[i]));
    out.url(row.url);
    out.pooled(row.pooled);
    out.state(static_cast<double>(row.state));
    out.accessRequests(count(row.accessRequests));
    out.accountingRequests(count(row.accountingRequests));
    out.accepts(count(row.accepts));
    out.rejects(count(row.rejects));
    out.challenges(count(row.challenges));
    out.accountingResponses(count(row.accountingResponses));
    out.timeouts(count(row.timeouts));
    out.failovers(count(row.failovers));
    out.bounds(bounds);
    out.buckets(buckets);
    out.answers(count(row.answers));
    out.sumSeconds(count(row.latencySumMs) / 1000);
    return out.Make();
  });
}

// verdicts(): each verdict's outcome, reason and time as counted, copied under the tally's lock.
Napi::Value seam::NativeRadiusEngine::Verdicts(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  radius::VerdictSnapshot taken = OwnerOf<Engine>(info).engine->lane().verdicts().Snapshot();
  auto count = [](uint64_t value) { return static_cast<double>(value); };
  Napi::Array bounds = DurationBounds(env);
  RadiusEngineVerdictsShapeWriter out(env);
  out.outcomes(ListOf(env, taken.outcomes, [&](radius::VerdictRow& row) {
    RadiusVerdictTallyShapeWriter shaped(env);
    shaped.client(row.client);
    shaped.method(row.method);
    shaped.inner(row.inner);
    shaped.accept(row.accept);
    shaped.reason(std::string(radius::VerdictReasonName(row.reason)));
    shaped.count(count(row.count));
    return shaped.Make();
  }));
  out.durations(ListOf(env, taken.durations, [&](radius::DurationRow& row) {
    RadiusDurationTallyShapeWriter shaped(env);
    Napi::Array buckets = Napi::Array::New(env, row.buckets.size());
    for (uint32_t i = 0; i < row.buckets.size(); ++i) buckets.Set(i, count(row.buckets[i]));
    shaped.method(row.method);
    shaped.bounds(bounds);
    shaped.buckets(buckets);
    shaped.count(count(row.count));
    shaped.sumSeconds(count(row.sumMs) / 1000);
    return shaped.Make();
  }));
  out.tls(ListOf(env, taken.tls, [&](radius::TlsRow& row) {
    RadiusTlsTallyShapeWriter shaped(env);
    shaped.method(row.method);
    shaped.version(row.version);
    shaped.resumed(row.resumed);
    shaped.count(count(row.count));
    return shaped.Make();
  }));
  out.ruleHits(ListOf(env, taken.ruleHits, [&](uint64_t hits) { return Napi::Number::New(env, count(hits)); }));
  return out.Make();
}

// stream(RadiusEngineStreamArgs): the bytes RadSec connection `link` brought, as they came;
// no bytes: its next turn. Returns { packets, backlog } (radius::RadiusEngine::OnStream).
Napi::Value seam::NativeRadiusEngine::Stream(const Napi::CallbackInfo& info, Napi::Object object) {
  Napi::Env env = info.Env();
  RadiusEngineStreamArgs args = ReadRadiusEngineStreamArgs(object);
  radius::Source source;
  source.port = args.port;
  source.link = args.link;
  source.radius11 = args.radius11;
  if (args.link == 0 || !radius::ParseAddress(args.address, &source)) {
    throw Napi::TypeError::New(env, "stream: link must not be 0, address must be a literal IP address");
  }
  Engine& self = OwnerOf<Engine>(info);
  if (!self.closed && !self.engine->IsStreamLink(args.link)) {
    throw Napi::RangeError::New(
        env, "stream: link " + std::to_string(args.link) + " is no open RadSec connection's (link())");
  }
  radius::StreamCut cut;
  if (!self.closed) cut = self.engine->OnStream(args.data, source);
  RadiusEngineStreamCutShapeWriter out(env);
  out.packets(static_cast<double>(cut.packets));
  out.backlog(cut.backlog);
  return out.Make();
}

// dtlsListen(RadiusDtlsListenArgs): RADIUS/DTLS on UDP beside RadSec over TCP, this engine its
// records' sink; the listener keeps the engine alive.
Napi::Value seam::NativeRadiusEngine::DtlsListen(const Napi::CallbackInfo& info, Napi::Object object) {
  std::shared_ptr<Engine> self = SharedOwnerOf<Engine>(info);
  if (self->closed) throw Napi::Error::New(info.Env(), "dtlsListen: the RADIUS engine is closed");
  return ListenDtls(info, object, self, *self->engine);
}

// dtlsPeer({ link }): the RADIUS/DTLS association's peer, address "" when none holds the link.
Napi::Value seam::NativeRadiusEngine::DtlsPeer(const Napi::CallbackInfo& info, Napi::Object object) {
  RadiusLinkArgs args = ReadRadiusLinkArgs(object);
  Engine& self = OwnerOf<Engine>(info);
  radius::Source peer;
  const bool found = !self.closed && self.engine->DtlsPeer(args.link, &peer);
  RadiusDtlsPeerShapeWriter out(info.Env());
  out.address(found ? radius::AddressText(peer) : std::string());
  out.port(found ? peer.port : 0);
  return out.Make();
}

// dtlsSend({ link, data }): a request down that association (reverse CoA); false when none holds it.
Napi::Value seam::NativeRadiusEngine::DtlsSend(const Napi::CallbackInfo& info, Napi::Object object) {
  RadiusClientStreamArgs args = ReadRadiusClientStreamArgs(object);
  Engine& self = OwnerOf<Engine>(info);
  return Napi::Boolean::New(info.Env(), !self.closed && self.engine->SendDownDtls(args.link, std::move(args.data)));
}

// proxyClient({ route, onEvents }): the client engine the proxy's RadSec home of `route` (its
// first route) is reached through: JS's (its connections, their checks, its Status-Server), the
// forwards the engine's own (radius_exchange.h's ShareExchangeSender).
Napi::Value seam::NativeRadiusEngine::ProxyClient(const Napi::CallbackInfo& info, Napi::Object object) {
  Napi::Env env = info.Env();
  RadiusEngineProxyClientArgs args = ReadRadiusEngineProxyClientArgs(object);
  std::shared_ptr<Engine> self = SharedOwnerOf<Engine>(info);
  if (self->closed) throw Napi::Error::New(env, "proxyClient: the RADIUS engine is closed");
  std::shared_ptr<radius::RadiusClientEngine> client;
  Napi::Object made = StreamClientObject(env, args.onEvents, &client);
  RadiusEngine* engine = self->engine.get();
  engine->ProxyStreams(args.route + 1, radius::ShareExchangeSender(client, [engine] { engine->WakeProxy(); }));
  return made;
}

// proxyHome({ route, up, target, error }): how JS's connection to that route's RadSec home went.
Napi::Value seam::NativeRadiusEngine::ProxyHome(const Napi::CallbackInfo& info, Napi::Object object) {
  RadiusEngineProxyHomeArgs args = ReadRadiusEngineProxyHomeArgs(object);
  Engine& self = OwnerOf<Engine>(info);
  if (!self.closed) self.engine->ProxyHome(args.route, args.up, args.target, args.error);
  return info.Env().Undefined();
}

// proxyDiscovered({ realm, homes: [{ route, address, port, url, transport }], expiresInMs, error }):
// what discovery found.
Napi::Value seam::NativeRadiusEngine::ProxyDiscovered(const Napi::CallbackInfo& info, Napi::Object object) {
  RadiusEngineProxyDiscoveredArgs args = ReadRadiusEngineProxyDiscoveredArgs(object);
  radius::DiscoveredHome found;
  found.realm = std::move(args.realm);
  found.expiresInMs = args.expiresInMs;
  found.error = std::move(args.error);
  const uint32_t count = args.homes ? args.homes->Length() : 0;
  if (found.error.empty() && count == 0) {
    throw Napi::TypeError::New(info.Env(), "proxyDiscovered: homes or error must be given");
  }
  for (uint32_t i = 0; found.error.empty() && i < count; ++i) {
    RadiusDiscoveredHome given = args.homes->Read(i);
    radius::DiscoveredHome::Home home;
    if (!radius::ParseAddress(given.address, &home.server)) {
      throw Napi::TypeError::New(info.Env(), "proxyDiscovered: address must be a literal IP address");
    }
    if (given.transport != 1 && given.transport != 2) {
      throw Napi::RangeError::New(info.Env(), "proxyDiscovered: transport is 1 (TLS) or 2 (DTLS)");
    }
    home.server.port = given.port;
    home.route = given.route;
    home.url = std::move(given.url);
    home.transport = static_cast<uint8_t>(given.transport);
    found.homes.push_back(std::move(home));
  }
  Engine& self = OwnerOf<Engine>(info);
  if (!self.closed) self.engine->ProxyDiscovered(std::move(found));
  return info.Env().Undefined();
}

// link(): a new RadSec connection's number (radius_reply_paths.h).
Napi::Value seam::NativeRadiusEngine::Link(const Napi::CallbackInfo& info) {
  Engine& self = OwnerOf<Engine>(info);
  if (self.closed) throw Napi::Error::New(info.Env(), "link: the RADIUS engine is closed");
  uint32_t link = self.engine->OpenStreamLink();
  if (link == 0) throw Napi::RangeError::New(info.Env(), "link: every link number is held");
  return Napi::Number::New(info.Env(), link);
}

// drop({ link }): that connection is gone.
Napi::Value seam::NativeRadiusEngine::Drop(const Napi::CallbackInfo& info, Napi::Object object) {
  RadiusLinkArgs args = ReadRadiusLinkArgs(object);
  Engine& self = OwnerOf<Engine>(info);
  if (!self.closed) self.engine->DropLink(args.link);
  return info.Env().Undefined();
}

// answer(RadiusEngineAnswerArgs): the user store's answer to one question (its secrets wiped
// once the method has it), or its failure.
Napi::Value seam::NativeRadiusEngine::Answer(const Napi::CallbackInfo& info, Napi::Object object) {
  Napi::Env env = info.Env();
  RadiusEngineAnswerArgs args = ReadRadiusEngineAnswerArgs(object);
  radius::StoreAnswer answer;
  answer.question = args.question;
  answer.known = KnownAnswerOf(env, args.known ? args.known->Unread() : env.Undefined());
  // An answer has no failure: the failure counts only when there is no answer.
  answer.failed = !args.known && args.failure.has_value();
  if (answer.failed) answer.failure = std::move(*args.failure);
  Engine& self = OwnerOf<Engine>(info);
  if (!self.closed) self.engine->OnAnswer(answer);
  return env.Undefined();
}

// authorized(RadiusEngineAuthorizedArgs): authorize()'s word on one verdict.
Napi::Value seam::NativeRadiusEngine::Authorized(const Napi::CallbackInfo& info, Napi::Object object) {
  Napi::Env env = info.Env();
  RadiusEngineAuthorizedArgs args = ReadRadiusEngineAuthorizedArgs(object);
  radius::AuthorizeAnswer answer;
  answer.question = args.question;
  answer.reject = args.reject;
  answer.failed = args.failure.has_value();
  if (answer.failed) answer.failure = std::move(*args.failure);
  if (!answer.failed && !answer.reject && args.reply) answer.attributes = ReplyAttributesOf(env, *args.reply);
  Engine& self = OwnerOf<Engine>(info);
  if (!self.closed) self.engine->OnAuthorized(answer);
  return env.Undefined();
}

// accounted(RadiusEngineAccountedArgs): JS recorded an Accounting-Request (its response goes
// out) or could not (nothing goes out).
Napi::Value seam::NativeRadiusEngine::Accounted(const Napi::CallbackInfo& info, Napi::Object object) {
  RadiusEngineAccountedArgs args = ReadRadiusEngineAccountedArgs(object);
  radius::AccountingAnswer answer;
  answer.id = args.id;
  answer.recorded = args.recorded;
  Engine& self = OwnerOf<Engine>(info);
  if (!self.closed) self.engine->OnAccounted(answer);
  return info.Env().Undefined();
}

// spool(RadiusEngineSpoolArgs): a spooled Accounting-Request sent to its realm's home; whether it
// acknowledged it comes back in RadiusEngineEvents (spoolAcknowledged, spoolUnanswered).
Napi::Value seam::NativeRadiusEngine::Spool(const Napi::CallbackInfo& info, Napi::Object object) {
  RadiusEngineSpoolArgs args = ReadRadiusEngineSpoolArgs(object);
  Engine& self = OwnerOf<Engine>(info);
  // In RADIUS's encoding (radius_packet.h's AppendAttribute), as a request carries them; one no
  // attribute can hold, or more than a packet holds, is refused here.
  Bytes attributes;
  bool overflow = false;
  for (uint32_t i = 0; i < args.attributes.Length(); ++i) {
    const RadiusClientAttribute attribute = args.attributes.Read(i);
    if (attribute.type == 0 || attribute.type > 255 ||
        !radius::AppendAttribute(attributes, overflow, static_cast<uint8_t>(attribute.type), attribute.value.data(),
                                 attribute.value.size())) {
      throw Napi::RangeError::New(info.Env(),
                                  "spool: an attribute's type is 1..255, its value at most 253 bytes, "
                                  "and all of them at most a packet's 4096");
    }
  }
  if (!self.closed) self.engine->Spool(args.id, attributes, args.waitedSeconds, args.home);
  return info.Env().Undefined();
}

// drain(): takes no request from now on; the number of proxied requests still to be answered.
Napi::Value seam::NativeRadiusEngine::Drain(const Napi::CallbackInfo& info) {
  Engine& self = OwnerOf<Engine>(info);
  const size_t outstanding = self.closed.load() ? 0 : self.engine->Drain();
  return Napi::Number::New(info.Env(), static_cast<double>(outstanding));
}

// close(): stops the thread, then hands over what it left (the last records and verdicts).
Napi::Value seam::NativeRadiusEngine::Close(const Napi::CallbackInfo& info) {
  Engine& self = OwnerOf<Engine>(info);
  if (self.closed.load()) return info.Env().Undefined();
  if (self.engine) self.engine->Close();
  if (!self.onEvents.IsEmpty()) Deliver(info.Env(), self.onEvents.Value(), &self);
  self.Close();
  return info.Env().Undefined();
}

namespace {

radius::ProxyRoute ProxyRouteOf(Napi::Env env, const RadiusProxyRoute& given) {
  radius::ProxyRoute route;
  route.realm = given.realm;
  route.local = given.local;
  route.url = given.url;
  if (route.local) return route;
  if (!radius::ParseAddress(given.address, &route.server)) {
    throw Napi::TypeError::New(env, "proxyRoutes: address must be a literal IP address");
  }
  route.server.port = given.port;
  route.allowUnsignedReplies = given.allowUnsignedReplies;
  route.balance = given.balance;
  route.discovery = given.discovery;
  if (given.transport > 2) throw Napi::RangeError::New(env, "proxyRoutes: transport is 0 (UDP), 1 (TLS) or 2 (DTLS)");
  route.transport = static_cast<uint8_t>(given.transport);
  if (route.transport != 0) return route;  // its secret is its connection's target's
  route.secret = SecretValue(env, given.secret ? given.secret->Unread() : env.Undefined());
  return route;
}

void ReadSettings(Napi::Env env, const RadiusEngineOpenArgs& args, LaneSettings* settings) {
  settings->idleTimeoutMs = args.idleTimeoutMs;
  settings->replyCacheMs = args.replyCacheMs;
  settings->maxConversations = args.maxConversations;
  settings->maxTlsConversations = args.maxTlsConversations;
  settings->requireMessageAuthenticator = args.requireMessageAuthenticator;
  settings->records = args.records;
  settings->accounting = args.accounting;
  if (args.clients) {
    for (uint32_t i = 0; i < args.clients->Length(); ++i)
      settings->clients.push_back(ClientNetworkOf(env, args.clients->Read(i)));
  }
  if (settings->clients.empty())
    settings->secret = SecretValue(env, args.secret ? args.secret->Unread() : env.Undefined());
  if (args.dtlsSecret) settings->dtlsSecret = SecretValue(env, args.dtlsSecret->Unread());
  settings->restrictClients = args.allowed.has_value();
  if (args.allowed) {
    for (const std::string& address : *args.allowed) settings->allowed.push_back(NetworkValue(env, address, "allowed"));
  }
  for (eap::DWORD type : args.tlsTypes) settings->tlsTypes.set(type & 0xFF);
  if (args.laneStepTypes) {
    for (eap::DWORD type : *args.laneStepTypes) settings->laneStepTypes.set(type & 0xFF);
  }
  // How many is JS's to say (RadiusServer counts the CPUs this process may run on); the bound
  // keeps a raw caller from asking for thousands of threads.
  settings->stepThreads = std::min<size_t>(args.stepThreads, eaphost::kMaxStepThreads);
  settings->keepStepsBelow = std::min<uint32_t>(args.keepStepsBelow, 100);
  if (args.policy) settings->policy = PolicyOf(env, *args.policy);
  settings->askAuthorize = args.authorize;
  settings->pap = args.pap;
  if (args.proxyRoutes) {
    for (uint32_t i = 0; i < args.proxyRoutes->Length(); ++i)
      settings->proxyRoutes.push_back(ProxyRouteOf(env, args.proxyRoutes->Read(i)));
  }
  settings->proxyOnly = args.proxyOnly;
  settings->askStore = !args.users;
  if (!settings->askStore) settings->users = KnownAnswerTableValue(env, args.users->Unread());
}

}  // namespace

Napi::Value seam::RadiusEngineOpen(const Napi::CallbackInfo& info, Napi::Object object) {
  Napi::Env env = info.Env();
  RadiusEngineOpenArgs args = ReadRadiusEngineOpenArgs(object);
  ConversationStart start = ConversationStartOf(env, args.methods, args.settings);
  auto settings = std::make_shared<LaneSettings>();
  ReadSettings(env, args, settings.get());
  std::optional<ListenAddress> listen;
  if (args.host) listen = ListenAddress{*args.host, args.port};
  auto engine = std::make_shared<Engine>();
  Napi::Function onEvents = args.onEvents;
  engine->onEvents = Napi::Persistent(onEvents);
  engine->queue = EventQueue::New(env, onEvents, "radiusEngineEvents", 0, 1, engine.get());
  struct Out {
    std::shared_ptr<Engine> engine;
    bool methodClosed = false;
    EapErrorInfo methodError;
    LaneError error;
  };
  return RunOnHost<Out>(
      env,
      [engine, settings, listen, firstLink = args.firstLink, start = std::move(start)](Out* out,
                                                                                       EapErrorInfo*) mutable {
        out->engine = engine;
        // A refusal settles on the JS thread, which releases the event queue either way.
        for (auto& resource : start.methods) {
          if (resource->Get("radiusEngineOpen", "authenticator method", &out->methodError) == nullptr) {
            out->methodClosed = true;
            return true;
          }
          start.config.methods.push_back(resource->holder());
        }
        settings->conversation = std::move(start.config);
        std::unique_ptr<radius::RadiusSocket> socket =
            radius::OpenRadiusSocket(listen ? &*listen : nullptr, &out->error);
        if (socket == nullptr) return true;
        Engine* raw = engine.get();
        engine->engine = std::make_unique<RadiusEngine>(
            std::move(socket), std::move(*settings), [raw] { raw->Notify(); }, firstLink);
        if (!engine->engine->proxyError().empty()) {
          out->error.code = "EINVAL";
          out->error.message = engine->engine->proxyError();
          engine->engine.reset();
        }
        return true;
      },
      [](Napi::Env jsEnv, Out& out) -> Napi::Value {
        std::shared_ptr<Engine>& opened = out.engine;
        if (!opened->engine) {
          opened->closed = true;
          opened->queue.Release();
          if (out.methodClosed) throw Napi::Error(jsEnv, MakeEapError(jsEnv, out.methodError));
          throw SocketError(jsEnv, out.error);
        }
        opened->CloseAtTeardown(jsEnv);
        Napi::Object engineObject = PortObject(jsEnv, opened->engine->port());
        seam::NativeRadiusEngine::AddMethods(jsEnv, engineObject, opened);
        return engineObject;
      });
}

}  // namespace eaphost
