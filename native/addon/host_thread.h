// The addon's one host thread. Every EAPHost and method call runs here, never on the JS
// thread: EapHostPeerInitialize enters the COM MTA (Electron's main thread is STA), method
// modules expect a stable thread, and the event loop must never wait on EAP work.
//
// The host thread takes every queued job in one go and runs them as a batch; each job's
// completion is handed to the JS thread as soon as it is made, through one ThreadSafeFunction
// that is signalled only when the queue goes from empty to non-empty: a JS thread that waits
// starts on the first completion while the batch goes on, and one that is busy finds the rest
// queued, so a burst of completions still costs one wake-up of the JS thread. A drain settles
// at most kDrainBatch of them (and then JS runs what their promises continue with); the rest
// wait for a setImmediate, so a long burst is cut into slices between which timers and I/O
// run. Smaller slices cost throughput (one setImmediate per slice) and, measured with 4 and 8,
// did not shorten the event-loop delay under load: 16 stays. The TSFN is referenced only while
// operations are in flight: pending work keeps the process alive, an idle host thread does not.
#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>
#include <condition_variable>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>
#include <thread>
#include <utility>
#include <vector>

#include <napi.h>

#include "../common/eap_error_info.h"

namespace eaphost {

class HostThread {
 public:
  using Job = std::function<void()>;
  using Completion = std::function<void(Napi::Env)>;

  // How a thread that may outlive the environment (a UI thread left in a dialog at teardown)
  // hands back a completion: through the gate, which Shutdown closes, never through a
  // HostThread that may already be freed.
  struct Gate {
    std::mutex mutex;
    HostThread* host;
  };

  explicit HostThread(Napi::Env env);
  ~HostThread();

  // JS thread: queue work whose completion settles a promise (keeps the loop alive).
  void Submit(Job job);
  // JS thread or finalizers: queue work that settles nothing (closing dropped resources).
  void Post(Job job);
  // Host thread: hand the completion of a Submit()ted job back to the JS thread, when the job
  // that made it returns (Run).
  void Complete(Completion completion) { batchCompletions_.emplace_back(std::move(completion), true); }
  // Any thread: run something on the JS thread that no Submit() accounted for (events).
  void Notify(Completion completion) { Enqueue(std::move(completion), false); }
  // JS thread, at env teardown: run `last` on the host thread, then stop and join.
  void Shutdown(Job last);
  // JS thread: account for work another thread will Complete() (through the gate), so the
  // loop stays alive until it does.
  void Expect() {
    if (inFlight_++ == 0) tsfn_.Ref(env_);
  }
  std::shared_ptr<Gate> gate() const { return gate_; }
  // Any other thread (a UI thread): settle work accounted for by Expect() through `gate`;
  // dropped once the environment has gone. Not Complete(): that batch belongs to the host
  // thread and is handed over only when one of its own batches ends.
  static void CompleteThrough(const std::shared_ptr<Gate>& gate, Completion completion) {
    std::lock_guard<std::mutex> lock(gate->mutex);
    if (gate->host != nullptr) gate->host->Enqueue(std::move(completion), true);
  }

  bool OnHostThread() const { return std::this_thread::get_id() == thread_.get_id(); }

  // What the host thread did since it started, for the bench and the tests that hold the seam
  // to its cost: jobs run, the batches they ran in (one wake-up each), and the drains of
  // completions on the JS thread (one JS turn each).
  struct Stats {
    uint64_t jobs = 0;
    uint64_t batches = 0;
    uint64_t drains = 0;
  };
  Stats stats() const {
    return {jobsRun_.load(std::memory_order_relaxed), batchesRun_.load(std::memory_order_relaxed), drains_};
  }

 private:
  void Run();
  void Enqueue(Completion completion, bool settlesSubmit);
  void HandOver(std::vector<std::pair<Completion, bool>>& made);
  static void Drain(Napi::Env env, Napi::Function, HostThread* self, void*);
  static Napi::Value DrainMore(const Napi::CallbackInfo& info);
  void DrainSome(Napi::Env env);
  static constexpr size_t kDrainBatch = 16;
  static void RunCompletion(Napi::Env env, Completion& completion);

  std::mutex mutex_;
  std::condition_variable wake_;
  std::deque<Job> jobs_;
  std::atomic<size_t> queued_{0};  // jobs_.size(), readable without the lock while spinning
  static constexpr std::chrono::microseconds kSpinBeforeSleep{50};
  std::atomic<uint64_t> jobsRun_{0}, batchesRun_{0};
  uint64_t drains_ = 0;  // JS thread only
  bool stopping_ = false;
  bool sleeping_ = false;  // guarded by mutex_: only a sleeping thread needs a (syscall) wake

  std::vector<std::pair<Completion, bool>> batchCompletions_;  // host thread only

  std::mutex completionMutex_;
  std::vector<std::pair<Completion, bool>> completions_;

  Napi::Env env_;
  size_t inFlight_ = 0;  // JS thread only
  bool stopped_ = false;
  Napi::TypedThreadSafeFunction<HostThread, void, Drain> tsfn_;
  Napi::FunctionReference setImmediate_, drainMore_;
  std::shared_ptr<Gate> gate_ = std::make_shared<Gate>();
  std::thread thread_;
};

// The one shape of every asynchronous native call: `work` runs on the host thread and
// returns false with an EapErrorInfo on failure; `settle` converts its output on the JS
// thread. The promise rejects with an EapError built from the EapErrorInfo.
template <typename Output>
struct HostCall {
  Output output{};
  EapErrorInfo error;
  bool ok = false;
};

Napi::Value RejectWith(Napi::Env env, const EapErrorInfo& error);  // js_convert.cc
Napi::Value MakeEapError(Napi::Env env, const EapErrorInfo& error);
HostThread& HostThreadOf(Napi::Env env);  // module.cc

// Runs `work` for `call`, turning exceptions into failures.
template <typename Output, typename Work>
void RunWork(HostCall<Output>& call, Work& work) {
  try {
    call.ok = work(&call.output, &call.error);
  } catch (const std::bad_alloc&) {
    call.ok = false;
    call.error = HostError(eap::kErrorNotEnoughMemory, "host", "out of memory");
  } catch (const std::exception& e) {
    call.ok = false;
    call.error = HostError(eap::kErrorInvalidData, "host", e.what());
  }
}

// The JS-thread half of every call: settle the promise from the work's outcome.
template <typename Output, typename Settle>
HostThread::Completion SettleCompletion(std::shared_ptr<HostCall<Output>> call, Napi::Promise::Deferred deferred,
                                        Settle settle) {
  return [call, deferred, settle = std::move(settle)](Napi::Env env) mutable {
    Napi::HandleScope scope(env);
    if (!call->ok) {
      deferred.Reject(MakeEapError(env, call->error));
      return;
    }
    try {
      deferred.Resolve(settle(env, call->output));
    } catch (const Napi::Error& e) {
      deferred.Reject(e.Value());
    }
  };
}

template <typename Output, typename Work, typename Settle>
Napi::Promise RunOnHost(Napi::Env env, Work work, Settle settle) {
  auto deferred = Napi::Promise::Deferred::New(env);
  auto call = std::make_shared<HostCall<Output>>();
  HostThread& host = HostThreadOf(env);
  host.Submit([call, work = std::move(work), deferred, settle = std::move(settle), &host]() mutable {
    RunWork(*call, work);
    host.Complete(SettleCompletion(call, deferred, std::move(settle)));
  });
  return deferred.Promise();
}

}  // namespace eaphost
