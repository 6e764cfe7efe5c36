// The addon's one host thread. Every EAPHost and method call runs here, never on the JS
// thread: EapHostPeerInitialize enters the COM MTA (Electron's main thread is STA), method
// modules expect a stable thread, and the event loop must never wait on EAP work.
//
// The host thread takes every queued job in one go and runs them as a batch; each job's
// completion is handed to the JS thread as soon as it is made, through one ThreadSafeFunction
// that is signalled only when no drain is owed: a JS thread that waits starts on the first
// completion while the batch goes on, and one that is busy finds the rest queued, so a burst of
// completions still costs one wake-up of the JS thread. A drain settles at most kDrainBatch of
// them (and then JS runs what their promises continue with); the next slice, or the look that
// finds none, waits for a setImmediate. A look that finds none ends the owed drain, unless calls
// are in flight and a completion settled within kLookForCompletions: then it watches for the
// next completion where it is for at most kLookInPlace, and failing that looks again on the next
// turn, and the host thread has nothing to signal. A long burst is cut into
// slices between which timers and I/O run (at most two slices a turn of the event loop). With
// 64 in-process MD5 authentications in flight, slices of 8 halve the event-loop delay's p90
// against 16 (0.30 to 0.15 ms) at the same throughput; what remains above 1 ms is mostly the
// young-generation collections. The TSFN is referenced only while
// operations are in flight: pending work keeps the process alive, an idle host thread does not.
#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>
#include <condition_variable>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <thread>
#include <utility>
#include <vector>

#include <napi.h>

#include "../../common/eap_error_info.h"

namespace eaphost {

// One piece of work for the host thread, allocated once: what runs there (Run) and, for work
// that settles a promise, what settles it on the JS thread (Settle), in the same object, so a
// call costs one allocation and no std::function on either side. Deleted on the JS thread once
// settled, on the host thread when it settles nothing.
class HostTask {
 public:
  virtual ~HostTask() = default;
  virtual void Run() = 0;
  virtual void Settle(Napi::Env env) = 0;
  // After Run: whether the task's next part may run on the aside thread (RunAside), after
  // which it comes back to the host thread's queue and Run goes on. Only work that touches no
  // EAPHost call and no host-thread-only state may run aside (the embedded authenticator's
  // steps of an in-process pairing). It goes aside only while other work waits for the host
  // thread; otherwise the host thread runs RunAside itself, then Run again.
  virtual bool StepsAside() const { return false; }
  virtual void RunAside() {}
};

// What a task made on the host thread for its Settle to read, given back to the host thread once
// read (HostThread::GiveBack) and freed there. glibc's malloc takes a chunk freed on another thread
// than the one that made it into that thread's cache only while the cache has room; past that it
// goes to the arena it came from, under the arena's lock, the lock the making thread's own mallocs
// take: with 64 EAP-MSCHAPv2 authentications in flight, 95% of both threads' futex calls were
// malloc's arena locks, most of them the JS thread freeing results the host thread made.
class HostLeftover {
 public:
  virtual ~HostLeftover() = default;
};

// Work that settles nothing (closing dropped resources), and JS-thread work no job made (events,
// a UI thread's outcome): each is one half of a HostTask.
template <typename Job>
class JobTask final : public HostTask {
 public:
  explicit JobTask(Job job) : job_(std::move(job)) {}
  void Run() override { job_(); }
  void Settle(Napi::Env) override {}

 private:
  Job job_;
};

template <typename Completion>
class CompletionTask final : public HostTask {
 public:
  explicit CompletionTask(Completion completion) : completion_(std::move(completion)) {}
  void Run() override {}
  void Settle(Napi::Env env) override { completion_(env); }

 private:
  Completion completion_;
};

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

  // JS thread: queue a task whose Settle settles a promise (keeps the loop alive); its Settle
  // runs on the JS thread once its Run has returned on the host thread.
  void Submit(std::unique_ptr<HostTask> task) {
    if (inFlight_++ == 0) tsfn_.Ref(env_);
    Queue({std::move(task), true}, true);
  }
  // JS thread: what a Settle has read goes back to the host thread to be freed there, with the
  // next call queued, or when the JS thread stops looking for completions.
  void GiveBack(std::unique_ptr<HostLeftover> leftover) { givenBack_.push_back(std::move(leftover)); }
  // JS thread or finalizers: queue work that settles nothing (closing dropped resources).
  template <typename F>
  void Post(F job) {
    Queue({std::make_unique<JobTask<F>>(std::move(job)), false});
  }
  // Any thread: run something on the JS thread that no Submit() accounted for (events).
  template <typename F>
  void Notify(F completion) {
    HandOver({std::make_unique<CompletionTask<F>>(std::move(completion)), false});
  }
  // JS thread, at env teardown: run `last` on the host thread, then stop and join.
  void Shutdown(Job last);
  // JS thread: account for work another thread will complete (through the gate), so the
  // loop stays alive until it does.
  void Expect() {
    if (inFlight_++ == 0) tsfn_.Ref(env_);
  }
  std::shared_ptr<Gate> gate() const { return gate_; }
  // Any other thread (a UI thread): settle work accounted for by Expect() through `gate`;
  // dropped once the environment has gone.
  static void CompleteThrough(const std::shared_ptr<Gate>& gate, Completion completion) {
    std::lock_guard<std::mutex> lock(gate->mutex);
    if (gate->host != nullptr) gate->host->HandOver({std::make_unique<CompletionTask<Completion>>(std::move(completion)), true});
  }

  bool OnHostThread() const { return std::this_thread::get_id() == thread_.get_id(); }

  // What the host thread did since it started, for the bench and the tests that hold the seam
  // to its cost: jobs run, the batches they ran in (one wake-up each), and the drains of
  // completions on the JS thread (one JS turn each).
  // Parts run aside (StepsAside) are counted apart: a task that comes back from the aside
  // thread is not a job of its own, nor is a wake-up that found only such tasks a batch.
  struct Stats {
    uint64_t jobs = 0;
    uint64_t batches = 0;
    uint64_t drains = 0;
    uint64_t aside = 0;
  };
  Stats stats() const {
    return {jobsRun_.load(std::memory_order_relaxed), batchesRun_.load(std::memory_order_relaxed), drains_,
            asideRun_.load(std::memory_order_relaxed)};
  }

 private:
  // A task and whether its settling ends an operation Submit() or Expect() accounted for.
  struct Queued {
    std::unique_ptr<HostTask> task;
    bool settlesSubmit;
    bool returning = false;  // back from the aside thread: not a job of its own
  };
  void Run();
  using Leftovers = std::vector<std::unique_ptr<HostLeftover>>;
  // `sendBack` (JS thread only): the leftovers given back go to the host thread with the job.
  void Queue(Queued job, bool sendBack = false);
  // JS thread: the leftovers given back go to the host thread now, with no job.
  void SendBack();
  // JS thread, under mutex_: givenBack_ into toFree_.
  void MoveGivenBack();
  void HandOver(Queued done);
  // Host thread: the task's next part goes to the aside thread (run here when that has stopped).
  void SendAside(Queued job);
  void RunAsideThread();
  void StopAside();
  static void Drain(Napi::Env env, Napi::Function, HostThread* self, void*);
  static Napi::Value DrainMore(const Napi::CallbackInfo& info);
  void DrainSome(Napi::Env env);
  static constexpr size_t kDrainBatch = 8;
  static void RunCompletion(Napi::Env env, HostTask& task);

  std::mutex mutex_;
  std::condition_variable wake_;
  std::vector<Queued> jobs_;
  Leftovers toFree_;  // guarded by mutex_: given back, for the host thread to free
  Leftovers givenBack_;  // JS thread only: given back since the last Queue or SendBack
  std::atomic<size_t> queued_{0};  // jobs_.size(), readable without the lock while spinning
  std::atomic<size_t> queuedCalls_{0};  // of them, calls (settlesSubmit): what a part goes aside for
  static constexpr std::chrono::microseconds kSpinBeforeSleep{50};
  // How long the next look lasts (host thread only): halved each time a look ends with no job,
  // back to kSpinBeforeSleep once a job arrives within it, or within it after a sleep. Jobs that
  // come a network round trip apart (serve's RADIUS packets) then cost no busy look at all, and
  // an in-process burst, whose next job comes within microseconds, keeps the whole of it.
  std::chrono::microseconds spinBudget_ = kSpinBeforeSleep;
  std::atomic<uint64_t> jobsRun_{0}, batchesRun_{0};
  // The aside thread: a second core for the part of an in-process pairing that is not
  // EAPHost's (the embedded authenticator's TLS work), while the host thread runs other work
  // (another conversation's peer); a lone conversation never uses it.
  std::mutex asideMutex_;
  std::condition_variable asideWake_;
  std::vector<Queued> asideJobs_;
  bool asideStopping_ = false;  // guarded by asideMutex_, as is aside_ (started on first use)
  std::atomic<uint64_t> asideRun_{0};
  std::atomic<size_t> asideOutstanding_{0};  // parts sent aside and not yet back
  std::thread aside_;
  uint64_t drains_ = 0;  // JS thread only
  bool stopping_ = false;
  bool sleeping_ = false;  // guarded by mutex_: only a sleeping thread needs a (syscall) wake

  std::mutex completionMutex_;
  std::vector<Queued> completions_;
  bool drainOwed_ = false;  // guarded by completionMutex_: a drain is signalled or scheduled
  // How long the JS thread, its completions all settled, goes on looking for the next (a turn of
  // the event loop each, through setImmediate) while calls are in flight, before it waits for a
  // signal. Under load the next completion is a host-thread job away (microseconds), and each
  // signal is a write to the loop's eventfd on the host thread and, when the JS thread sleeps in
  // epoll, a wake-up across cores: with 64 EAP-MSCHAPv2 authentications in flight the host thread
  // signalled 0.2 to 0.25 times an authentication, and wrote 2% as often with the look. As the
  // host thread's busy look (kSpinBeforeSleep), it ends on its own: a call waiting on something
  // slow (a dialog) costs at most this much of the JS thread's time after each completion.
  static constexpr std::chrono::microseconds kLookForCompletions{50};
  std::chrono::steady_clock::time_point lastSettled_{};  // JS thread only: the last drain that settled any
  // How long one look watches for the next completion before it gives the turn back. Each turn
  // taken to look again costs a setImmediate, about 320 bytes of young-generation garbage (an
  // Immediate and its turn of the loop, measured with node 20): at 64 EAP-MSCHAPv2
  // authentications in flight the looks made 550 to 700 of 6,650 to 6,830 bytes an
  // authentication, and with this watch 6,060 to 6,130 remain (bench/alloc-per-auth). Under
  // load a host job runs in a few microseconds, so most looks end here; timers and I/O wait at
  // most this long for it.
  static constexpr std::chrono::microseconds kLookInPlace{10};
  std::atomic<uint64_t> handedOver_{0};  // completions handed over so far, watched without the lock

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

// A promise already rejected with the EapError `error` describes.
Napi::Promise RejectWith(Napi::Env env, const EapErrorInfo& error);  // js_convert.cc
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
void SettleCall(Napi::Env env, HostCall<Output>& call, Napi::Promise::Deferred& deferred, Settle& settle) {
  Napi::HandleScope scope(env);
  if (!call.ok) {
    deferred.Reject(MakeEapError(env, call.error));
    return;
  }
  try {
    deferred.Resolve(settle(env, call.output));
  } catch (const Napi::Error& e) {
    deferred.Reject(e.Value());
  }
}

// SettleCall as a completion, for work that runs on a thread of its own (a UI thread).
template <typename Output, typename Settle>
HostThread::Completion SettleCompletion(std::shared_ptr<HostCall<Output>> call, Napi::Promise::Deferred deferred,
                                        Settle settle) {
  return [call, deferred, settle = std::move(settle)](Napi::Env env) mutable {
    SettleCall(env, *call, deferred, settle);
  };
}

// One call on the host thread, as one task: the work's captures are destroyed on the host
// thread once it has run (as they may hold secrets and buffers made there), the output on the
// JS thread once it is settled.
template <typename Output, typename Work, typename SettleOutput>
class CallTask final : public HostTask {
 public:
  CallTask(Work work, SettleOutput settle, Napi::Promise::Deferred deferred)
      : work_(std::in_place, std::move(work)), settle_(std::move(settle)), deferred_(deferred) {}
  void Run() override {
    RunWork(call_, *work_);
    work_.reset();
  }
  void Settle(Napi::Env env) override { SettleCall(env, call_, deferred_, settle_); }

 private:
  HostCall<Output> call_;
  std::optional<Work> work_;
  SettleOutput settle_;
  Napi::Promise::Deferred deferred_;
};

template <typename Output, typename Work, typename Settle>
Napi::Promise RunOnHost(Napi::Env env, Work work, Settle settle) {
  auto deferred = Napi::Promise::Deferred::New(env);
  Napi::Promise promise = deferred.Promise();
  HostThreadOf(env).Submit(
      std::make_unique<CallTask<Output, Work, Settle>>(std::move(work), std::move(settle), deferred));
  return promise;
}

}  // namespace eaphost
