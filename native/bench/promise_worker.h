// A bench measurement run on a worker thread and settled as a promise. `run` does the work off the
// JS thread (an exception rejects the promise with its message); `write` sets the fields of the
// object the promise resolves with, on the JS thread. Both floors (tls_handshake_floor.h,
// x25519_floor.h) hand their loops to it.
#pragma once

#include <napi.h>

#include <exception>
#include <functional>
#include <utility>

namespace eaphost {

template <typename Result>
class PromiseWorker : public Napi::AsyncWorker {
 public:
  using Run = std::function<Result()>;
  using Write = std::function<void(Napi::Object, const Result&)>;

  // Queues the work and returns its promise; the worker deletes itself once settled.
  static Napi::Promise Start(Napi::Env env, Run run, Write write) {
    auto* worker = new PromiseWorker(env, std::move(run), std::move(write));
    Napi::Promise promise = worker->deferred_.Promise();
    worker->Queue();
    return promise;
  }

  void Execute() override {
    try {
      result_ = run_();
    } catch (const std::exception& error) {
      SetError(error.what());
    }
  }
  void OnOK() override {
    Napi::Object out = Napi::Object::New(Env());
    write_(out, result_);
    deferred_.Resolve(out);
  }
  void OnError(const Napi::Error& error) override { deferred_.Reject(error.Value()); }

 private:
  PromiseWorker(Napi::Env env, Run run, Write write)
      : Napi::AsyncWorker(env),
        run_(std::move(run)),
        write_(std::move(write)),
        deferred_(Napi::Promise::Deferred::New(env)) {}

  Run run_;
  Write write_;
  Napi::Promise::Deferred deferred_;
  Result result_{};
};

}  // namespace eaphost
