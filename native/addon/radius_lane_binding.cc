// radiusLaneOpen(methods, settings, undefined, options, users, onRecords): `eaphost serve`'s
// native RADIUS lane (native/radius/) as a JS object with port, stats() and close(). The lane's
// thread answers every datagram itself; JS hears only of finished conversations, in batches,
// through a ThreadSafeFunction, which also keeps the process alive while the lane is open, as a
// listening socket does. The methods are resolved on the host thread, where they are owned; the
// lane keeps them (as a live conversation does) until it closes.
#include <algorithm>
#include <atomic>
#include <memory>
#include <string>
#include <thread>


#include "../common/secure_zero.h"
#include "../radius/radius_socket.h"
#include "authenticator_binding.h"
#include "bindings.h"
#include "host_call.h"
#include "js_convert.h"
#include "known_answer.h"
#include "method_resources.h"

namespace eaphost {

namespace {

using radius::ClientNetwork;
using radius::ConversationRecord;
using radius::LaneError;
using radius::LaneSettings;
using radius::ListenAddress;
using radius::RadiusSocket;
using radius::SharedSecret;

struct Lane;
void DeliverRecords(Napi::Env env, Napi::Function onRecords, Lane* lane, void*);
using RecordQueue = Napi::TypedThreadSafeFunction<Lane, void, DeliverRecords>;

struct Lane {
  std::unique_ptr<RadiusSocket> socket;
  RecordQueue queue;
  std::atomic<bool> scheduled{false};
  std::atomic<bool> closed{false};
  napi_env env = nullptr;

  // The lane's thread: one call on the event loop for every batch of records, however many.
  void Notify() {
    if (scheduled.exchange(true)) return;
    if (queue.NonBlockingCall() != napi_ok) scheduled = false;
  }
  void Close() {
    if (closed.exchange(true)) return;
    if (socket) socket->Close();  // the thread has ended: nothing notifies any more
    queue.Release();
    napi_remove_env_cleanup_hook(env, CloseAtTeardown, this);
  }
  static void CloseAtTeardown(void* self) { static_cast<Lane*>(self)->Close(); }
};

Napi::Value RecordToJs(Napi::Env env, ConversationRecord& record) {
  Napi::Array out = Napi::Array::New(env, 9);
  out.Set(0u, Napi::String::New(env, record.client));
  out.Set(1u, ToBuffer(env, record.identity));
  out.Set(2u, Napi::Number::New(env, record.eapType));
  out.Set(3u, Napi::Boolean::New(env, record.accept));
  out.Set(4u, Napi::Number::New(env, record.roundTrips));
  out.Set(5u, Napi::Number::New(env, static_cast<double>(record.durationMs)));
  out.Set(6u, Napi::Number::New(env, record.resumed));
  out.Set(7u, Napi::Boolean::New(env, record.stepFailed));
  out.Set(8u, record.hasError ? MakeEapError(env, record.error) : env.Undefined());
  return out;
}

// The records to JS, then the verdicts they held back (a log line before its verdict goes out).
void Deliver(Napi::Env env, Napi::Function onRecords, Lane* lane) {
  std::vector<ConversationRecord> records = lane->socket->lane().TakeRecords();
  if (records.empty()) return;
  if (!onRecords.IsEmpty()) {
    Napi::Array list = Napi::Array::New(env, records.size());
    for (size_t i = 0; i < records.size(); ++i) list.Set(static_cast<uint32_t>(i), RecordToJs(env, records[i]));
    onRecords.Call({list});
  }
  for (const ConversationRecord& record : records) {
    if (record.hasReply) lane->socket->SendHeld(record.reply);
  }
}

void DeliverRecords(Napi::Env env, Napi::Function onRecords, Lane* lane, void*) {
  // env is null when the queue is torn down with calls in it.
  if (env == nullptr) return;
  lane->scheduled = false;
  Deliver(env, onRecords, lane);
}

Napi::Value LaneStats(const Napi::CallbackInfo& info) {
  const radius::LaneCounters& c = OwnerOf<Lane>(info).socket->lane().counters();
  const std::atomic<uint64_t>* fields[] = {&c.requests, &c.challenges, &c.accepts, &c.rejects, &c.duplicates,
                                           &c.droppedMalformed, &c.droppedUnauthenticated,
                                           &c.droppedNoMessageAuthenticator, &c.droppedUnexpected,
                                           &c.conversationsExpired, &c.conversationErrors, &c.conversationsEvicted,
                                           &c.active, &c.activeTls};
  Napi::Array out = Napi::Array::New(info.Env(), std::size(fields));
  for (uint32_t i = 0; i < std::size(fields); ++i) {
    out.Set(i, Napi::Number::New(info.Env(), static_cast<double>(fields[i]->load(std::memory_order_relaxed))));
  }
  return out;
}

// close(onRecords): stops the thread, then hands over the records it left.
Napi::Value LaneClose(const Napi::CallbackInfo& info) {
  Lane& lane = OwnerOf<Lane>(info);
  if (lane.closed.load()) return info.Env().Undefined();
  if (lane.socket) lane.socket->Close();
  if (info.Length() > 0 && info[0].IsFunction()) Deliver(info.Env(), info[0].As<Napi::Function>(), &lane);
  lane.Close();
  return info.Env().Undefined();
}

std::shared_ptr<const SharedSecret> SecretValue(Napi::Env env, Napi::Value value) {
  Bytes bytes = BytesValue(env, value, "secret");
  if (bytes.empty()) throw Napi::TypeError::New(env, "secret must be a non-empty Buffer");
  return std::make_shared<SharedSecret>(std::move(bytes));
}

// [family, address: Buffer (4 or 16 bytes)]: fills family and address, returns the array.
Napi::Array AddressValue(Napi::Env env, Napi::Value value, int* family, uint8_t* address) {
  const char* shape = "an address must be [4 | 6, Buffer of 4 | 16 bytes, ...]";
  if (!value.IsArray()) throw Napi::TypeError::New(env, shape);
  Napi::Array parts = value.As<Napi::Array>();
  *family = static_cast<int>(DwordValue(env, parts.Get(0u), "family"));
  Bytes bytes = BytesValue(env, parts.Get(1u), "address");
  if ((*family != 4 && *family != 6) || bytes.size() != (*family == 4 ? 4u : 16u)) throw Napi::TypeError::New(env, shape);
  std::copy(bytes.begin(), bytes.end(), address);
  return parts;
}

void ReadLaneOptions(Napi::Env env, Napi::Object options, ListenAddress* listen, LaneSettings* settings) {
  auto number = [&](const char* key) { return DwordValue(env, GetField(options, key), key); };
  listen->family = number("family") == 6 ? 6 : 4;
  listen->host = StringValue(env, GetField(options, "host"), "host");
  listen->port = static_cast<uint16_t>(number("port"));
  settings->idleTimeoutMs = number("idleTimeoutMs");
  settings->replyCacheMs = number("replyCacheMs");
  settings->maxConversations = number("maxConversations");
  settings->maxTlsConversations = number("maxTlsConversations");
  settings->requireMessageAuthenticator = GetField(options, "requireMessageAuthenticator").ToBoolean().Value();
  settings->records = GetField(options, "records").ToBoolean().Value();
  Napi::Value clients = GetField(options, "clients");
  if (clients.IsArray()) {
    Napi::Array list = clients.As<Napi::Array>();
    for (uint32_t i = 0; i < list.Length(); ++i) {
      ClientNetwork network;
      Napi::Array parts = AddressValue(env, list.Get(i), &network.family, network.address);
      network.prefix = DwordValue(env, parts.Get(2u), "prefix");
      if (network.prefix > (network.family == 4 ? 32u : 128u)) throw Napi::RangeError::New(env, "prefix out of range");
      network.secret = SecretValue(env, parts.Get(3u));
      settings->clients.push_back(std::move(network));
    }
  } else {
    settings->secret = SecretValue(env, GetField(options, "secret"));
  }
  Napi::Value allowed = GetField(options, "allowed");
  if (allowed.IsArray()) {
    settings->restrictClients = true;
    Napi::Array list = allowed.As<Napi::Array>();
    for (uint32_t i = 0; i < list.Length(); ++i) {
      int family = 4;
      uint8_t address[16] = {};
      AddressValue(env, list.Get(i), &family, address);
      settings->allowed.emplace_back(family, Bytes(address, address + (family == 4 ? 4 : 16)));
    }
  }
  // TLS-based conversations' steps use every core (radius_step_pool.h); a single core gains
  // nothing from handing them over, so there the lane thread runs them.
  unsigned cores = std::thread::hardware_concurrency();
  settings->stepThreads = cores >= 2 ? std::min(cores, 8u) : 0;
  Napi::Value tls = GetField(options, "tlsTypes");
  if (tls.IsArray()) {
    Napi::Array list = tls.As<Napi::Array>();
    for (uint32_t i = 0; i < list.Length(); ++i) settings->tlsTypes.set(DwordValue(env, list.Get(i), "tlsTypes") & 0xFF);
  }
}

Napi::Value RadiusLaneOpen(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  ConversationStart start = ConversationStartArgs(info, 0);
  auto settings = std::make_shared<LaneSettings>();
  ListenAddress listen;
  ReadLaneOptions(env, OptionsArg(info, 3), &listen, settings.get());
  settings->users = KnownAnswerTableValue(env, info[4]);
  auto lane = std::make_shared<Lane>();
  lane->env = env;
  Napi::Function onRecords = info[5].IsFunction() ? info[5].As<Napi::Function>() : Napi::Function();
  lane->queue = RecordQueue::New(env, onRecords, "radiusLaneRecords", 0, 1, lane.get());
  struct Out {
    std::shared_ptr<Lane> lane;
    bool methodClosed = false;
    EapErrorInfo methodError;
    LaneError error;
  };
  return RunOnHost<Out>(
      env,
      [lane, settings, listen, start = std::move(start)](Out* out, EapErrorInfo*) mutable {
        out->lane = lane;
        // A refusal settles on the JS thread, which releases the record queue either way.
        for (auto& resource : start.methods) {
          if (resource->Get("radiusLaneOpen", "authenticator method", &out->methodError) == nullptr) {
            out->methodClosed = true;
            return true;
          }
          start.config.methods.push_back(resource->holder());
        }
        settings->conversation = std::move(start.config);
        Lane* raw = lane.get();
        lane->socket = radius::OpenRadiusSocket(listen, std::move(*settings), [raw] { raw->Notify(); }, &out->error);
        return true;
      },
      [](Napi::Env jsEnv, Out& out) -> Napi::Value {
        std::shared_ptr<Lane>& opened = out.lane;
        if (!opened->socket) {
          opened->closed = true;
          opened->queue.Release();
          if (out.methodClosed) throw Napi::Error(jsEnv, MakeEapError(jsEnv, out.methodError));
          Napi::Error thrown = Napi::Error::New(jsEnv, out.error.message);
          thrown.Set("code", Napi::String::New(jsEnv, out.error.code));
          thrown.Set("errno", Napi::Number::New(jsEnv, out.error.errnum));
          throw thrown;
        }
        napi_add_env_cleanup_hook(jsEnv, Lane::CloseAtTeardown, opened.get());
        Napi::Object result = Napi::Object::New(jsEnv);
        result.Set("port", Napi::Number::New(jsEnv, opened->socket->port()));
        AddOwnedMethod(jsEnv, result, "stats", LaneStats, opened);
        AddOwnedMethod(jsEnv, result, "close", LaneClose, opened);
        return result;
      });
}

}  // namespace

ExportList RadiusLaneExports() {
  return {
      {"radiusLaneOpen", RadiusLaneOpen},
  };
}

}  // namespace eaphost
