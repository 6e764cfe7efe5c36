// The benchmark's baseline, built as its own addon (eaphost_bench.node), never part of the
// production one: whole EAP conversations driven by a C++ loop, through the same EAPHost
// function table (the portable library) and the same method modules the public API uses, with
// no JS in between. bench/ loads it beside the production addon and compares the two in the
// same process. The loop runs on a worker thread of its own (Napi::AsyncWorker).
#include <algorithm>
#include <atomic>
#include <chrono>
#include <string>
#include <system_error>
#include <thread>
#include <vector>

#include <napi.h>

#include "../platform/eaphost_library.h"
#include "../hosts/authenticator_host.h"
#include "../common/utf16.h"
#include "tls_handshake_floor.h"
#include "x25519_floor.h"

namespace eaphost {

namespace {

struct BenchInput {
  std::string libraryPath, methodPath;
  eap::EAP_METHOD_TYPE type{};
  uint32_t count = 0;
  Bytes userBlob, password, peerData, authenticatorData;
};

// An EAPHost call's outcome; its EAP_ERROR freed with EapHostPeerFreeEapError.
bool Check(const eap::EapHostPeerApi& api, eap::DWORD rc, eap::EAP_ERROR* eapError, const char* call,
           std::string* error) {
  std::string cause;
  if (eapError != nullptr) {
    cause = eapError->pRootCauseString != nullptr ? Utf16ToUtf8(WideToU16(eapError->pRootCauseString)) : "";
    api.EapHostPeerFreeEapError(eapError);
  }
  if (rc == eap::kErrorSuccess) return true;
  *error = std::string(call) + " failed with Win32 error " + std::to_string(rc) + (cause.empty() ? "" : ": " + cause);
  return false;
}

// One conversation: peer through EapHostPeer*, authenticator through AuthenticatorHost.
bool RunOne(const eap::EapHostPeerApi& api, const std::shared_ptr<AuthenticatorMethod>& method,
            const BenchInput& in, bool* success, std::string* error) {
  eap::EAP_SESSIONID id = 0;
  eap::EAP_ERROR* eapError = nullptr;
  eap::GUID connection{};
  eap::DWORD rc = api.EapHostPeerBeginSession(
      0, in.type, nullptr, nullptr, static_cast<eap::DWORD>(in.peerData.size()),
      in.peerData.empty() ? nullptr : in.peerData.data(), static_cast<eap::DWORD>(in.userBlob.size()),
      in.userBlob.data(), 1400, &connection, nullptr, nullptr, &id, &eapError);
  if (!Check(api, rc, eapError, "EapHostPeerBeginSession", error)) return false;

  AuthenticatorConfig config;
  config.methods.push_back(method);
  config.connectionData.push_back(in.authenticatorData);
  AuthenticatorHost authenticator(std::move(config));
  AuthenticatorStep step;
  EapErrorInfo stepError;
  bool ok = authenticator.Begin(Bytes(), &step, &stepError);
  *success = false;
  // Bounded: a tunnel method takes about a dozen steps (requests and RESPONDs); 64 is ample.
  // Each request is read where the authenticator keeps it (lent), as the addon's in-process
  // driver reads it, and each response where EAPHost keeps it: no copy of either here.
  for (int rounds = 0; ok && rounds < 64; ++rounds) {
    if (step.kind == AuthenticatorStep::Kind::kRespond) {
      ok = authenticator.SetAttributes({{eap::eatClearTextPassword, in.password}}, &step, &stepError, true);
      continue;
    }
    const Bytes& request = step.requestLent ? authenticator.OutstandingRequest() : step.packet;
    eap::EapHostPeerResponseAction action = eap::EapHostPeerResponseDiscard;
    rc = api.EapHostPeerProcessReceivedPacket(id, static_cast<eap::DWORD>(request.size()), request.data(),
                                              &action, &eapError);
    if (!(ok = Check(api, rc, eapError, "EapHostPeerProcessReceivedPacket", error))) break;
    if (step.kind == AuthenticatorStep::Kind::kSuccess || step.kind == AuthenticatorStep::Kind::kFailure) {
      eap::EapHostPeerMethodResult result{};
      rc = api.EapHostPeerGetResult(id, eap::EapHostPeerMethodResultFromMethod, &result, &eapError);
      *success = result.fIsSuccess != 0 && step.kind == AuthenticatorStep::Kind::kSuccess;
      // The result's buffers are EAPHost's until EndSession; its pEapError is the caller's, freed
      // with EapHostPeerFreeEapError (docs/WINDOWS-CONTRACT.md).
      if (result.pEapError != nullptr) api.EapHostPeerFreeEapError(result.pEapError);
      ok = Check(api, rc, eapError, "EapHostPeerGetResult", error);
      break;
    }
    if (action != eap::EapHostPeerResponseSend) {
      *error = "the peer did not answer a request";
      ok = false;
      break;
    }
    eap::DWORD size = 0;
    eap::BYTE* packet = nullptr;
    rc = api.EapHostPeerGetSendPacket(id, &size, &packet, &eapError);
    if (!(ok = Check(api, rc, eapError, "EapHostPeerGetSendPacket", error))) break;
    // EAPHost's until the session's next call: read in place, not freed.
    ok = authenticator.Receive(packet, packet != nullptr ? size : 0, &step, &stepError, true);
  }
  if (!ok && error->empty()) *error = Utf16ToUtf8(stepError.rootCauseString);
  EapErrorInfo ignored;
  authenticator.End(&ignored);
  rc = api.EapHostPeerEndSession(id, &eapError);
  std::string endError;
  Check(api, rc, eapError, "EapHostPeerEndSession", &endError);
  return ok;
}

class BenchWorker : public Napi::AsyncWorker {
 public:
  BenchWorker(Napi::Env env, BenchInput input)
      : Napi::AsyncWorker(env), input_(std::move(input)), deferred_(Napi::Promise::Deferred::New(env)) {}
  Napi::Promise Promise() { return deferred_.Promise(); }

  void Execute() override {
    EapErrorInfo loadError;
    auto library = EapHostLibrary::LoadPortable(input_.libraryPath, &loadError);
    if (!library) return SetError(Utf16ToUtf8(loadError.rootCauseString));
    const eap::EapHostPeerApi& api = library->api();
    if (api.EapHostPeerInitialize() != eap::kErrorSuccess) return SetError("EapHostPeerInitialize failed");
    auto method = AuthenticatorMethod::Open(input_.methodPath, input_.type, &loadError);
    std::string error;
    if (!method) error = Utf16ToUtf8(loadError.rootCauseString);
    auto start = std::chrono::steady_clock::now();
    for (uint32_t i = 0; method && i < input_.count; ++i) {
      bool success = false;
      if (!RunOne(api, method, input_, &success, &error)) break;
      ++completed_;
      if (success) ++successes_;
    }
    elapsedMs_ = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count();
    method.reset();
    api.EapHostPeerUninitialize();
    if (!error.empty()) SetError(error);
  }
  void OnOK() override {
    Napi::Object result = Napi::Object::New(Env());
    result.Set("completed", completed_);
    result.Set("successes", successes_);
    result.Set("elapsedMs", elapsedMs_);
    deferred_.Resolve(result);
  }
  void OnError(const Napi::Error& error) override { deferred_.Reject(error.Value()); }

 private:
  BenchInput input_;
  Napi::Promise::Deferred deferred_;
  uint32_t completed_ = 0, successes_ = 0;
  double elapsedMs_ = 0;
};

Bytes BytesField(Napi::Object options, const char* name) {
  Napi::Value value = options.Get(name);
  if (!value.IsBuffer()) return Bytes();
  auto buffer = value.As<Napi::Buffer<uint8_t>>();
  return Bytes(buffer.Data(), buffer.Data() + buffer.Length());
}

// benchConversations({ libraryPath, methodPath, methodType, count, userBlob, password,
//                      peerConnectionData?, authenticatorConnectionData? })
Napi::Value BenchConversations(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  if (!info[0].IsObject()) throw Napi::TypeError::New(env, "options must be an object");
  Napi::Object options = info[0].As<Napi::Object>();
  BenchInput input;
  input.libraryPath = options.Get("libraryPath").ToString().Utf8Value();
  input.methodPath = options.Get("methodPath").ToString().Utf8Value();
  Napi::Object type = options.Get("methodType").As<Napi::Object>();
  input.type.eapType.type = static_cast<eap::BYTE>(type.Get("type").ToNumber().Uint32Value());
  input.type.eapType.dwVendorId = type.Get("vendorId").ToNumber().Uint32Value();
  input.type.eapType.dwVendorType = type.Get("vendorType").ToNumber().Uint32Value();
  input.type.dwAuthorId = type.Get("authorId").ToNumber().Uint32Value();
  input.count = options.Get("count").ToNumber().Uint32Value();
  input.userBlob = BytesField(options, "userBlob");
  std::string password = options.Get("password").ToString().Utf8Value();
  input.password.assign(password.begin(), password.end());
  input.peerData = BytesField(options, "peerConnectionData");
  input.authenticatorData = BytesField(options, "authenticatorConnectionData");
  auto* worker = new BenchWorker(env, std::move(input));
  Napi::Promise promise = worker->Promise();
  worker->Queue();
  return promise;
}

// How long one cache line takes to go from one core to the other and back, in nanoseconds: two
// threads hand a counter to each other, each waiting (spinning) for the other's write. The public
// API's host thread and JS thread hand each call and its completion over this way, so its rate
// moves with this figure while the C++ loop's, on one thread, does not: a VM whose two vCPUs the
// host places apart takes about four times as long (80 and over 300 ns on the machine of
// docs/benchmarks.md). The median of the bursts, so that a burst in which one thread lost its
// core to another does not count.
class CoreRoundTripWorker : public Napi::AsyncWorker {
 public:
  CoreRoundTripWorker(Napi::Env env, uint32_t bursts, uint32_t perBurst)
      : Napi::AsyncWorker(env), deferred_(Napi::Promise::Deferred::New(env)), bursts_(bursts), perBurst_(perBurst) {}
  Napi::Promise Promise() { return deferred_.Promise(); }

  void Execute() override {
    const uint64_t total = 2ull * bursts_ * perBurst_;
    // The other side answers every odd value with the next even one, until the last.
    std::thread other;
    try {
      other = std::thread([this, total] {
        for (uint64_t value = 1; value < total; value += 2) {
          while (ball_.load(std::memory_order_acquire) != value) {
          }
          ball_.store(value + 1, std::memory_order_release);
        }
      });
    } catch (const std::system_error& error) {
      return SetError(std::string("no second thread: ") + error.what());
    }
    uint64_t value = 0;
    for (uint32_t burst = 0; burst < bursts_; ++burst) {
      auto start = std::chrono::steady_clock::now();
      for (uint32_t i = 0; i < perBurst_; ++i, value += 2) {
        while (ball_.load(std::memory_order_acquire) != value) {
        }
        ball_.store(value + 1, std::memory_order_release);
      }
      while (ball_.load(std::memory_order_acquire) != value) {
      }
      perBurstNs_.push_back(std::chrono::duration<double, std::nano>(std::chrono::steady_clock::now() - start).count() /
                            perBurst_);
    }
    other.join();
  }
  void OnOK() override {
    std::sort(perBurstNs_.begin(), perBurstNs_.end());
    deferred_.Resolve(Napi::Number::New(Env(), perBurstNs_[perBurstNs_.size() / 2]));
  }
  void OnError(const Napi::Error& error) override { deferred_.Reject(error.Value()); }

 private:
  Napi::Promise::Deferred deferred_;
  uint32_t bursts_, perBurst_;
  // The counter with a cache line's worth of bytes either side: nothing else the threads touch
  // shares its line (padding, not alignas: MSVC warns, C4324, of a structure padded for one).
  [[maybe_unused]] char before_[64] = {};
  std::atomic<uint64_t> ball_{0};
  [[maybe_unused]] char after_[64] = {};
  std::vector<double> perBurstNs_;
};

// coreRoundTrip({ bursts, perBurst }): the median burst's nanoseconds per round trip.
Napi::Value CoreRoundTrip(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  if (!info[0].IsObject()) throw Napi::TypeError::New(env, "options must be an object");
  Napi::Object options = info[0].As<Napi::Object>();
  uint32_t bursts = options.Get("bursts").ToNumber().Uint32Value();
  uint32_t perBurst = options.Get("perBurst").ToNumber().Uint32Value();
  if (bursts == 0 || perBurst == 0 || bursts > 1000 || perBurst > 10'000'000) {
    throw Napi::RangeError::New(env, "bursts must be 1 to 1000, perBurst 1 to 10,000,000");
  }
  auto* worker = new CoreRoundTripWorker(env, bursts, perBurst);
  Napi::Promise promise = worker->Promise();
  worker->Queue();
  return promise;
}

}  // namespace

}  // namespace eaphost

static Napi::Object InitBench(Napi::Env env, Napi::Object exports) {
  exports.Set("benchConversations", Napi::Function::New(env, eaphost::BenchConversations));
  exports.Set("tlsHandshakeFloor", Napi::Function::New(env, eaphost::TlsHandshakeFloor));
  exports.Set("x25519Floor", Napi::Function::New(env, eaphost::X25519Floor));
  exports.Set("coreRoundTrip", Napi::Function::New(env, eaphost::CoreRoundTrip));
  return exports;
}

NODE_API_MODULE(eaphost_bench, InitBench)
