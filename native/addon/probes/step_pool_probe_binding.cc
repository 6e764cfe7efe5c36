// Test-only export that runs the RADIUS engine's step pool (native/radius/server/radius_step_pool.h)
// as a slow OCSP responder meets it: `waiting` steps of one kind (EAP-TLS's) each say they wait,
// as the OCSP question does (common/wait_notice.h), and wait until released or until
// `deadlineMs` after they began (the responder's deadline); one step of another kind (PEAP's),
// queued behind them all, releases them when it runs. They are queued while an EAP-TLS step
// working (not waiting) holds each of the pool's threads, ending once all are queued: the order
// in which the threads then take them is the pool's alone. With `oneByOne`, each waiting step is
// submitted only once the one before has said it waits (conversations reaching the OCSP question
// one after another, the queue empty as each says so), the bystander after the last. For
// test/radius/step-pool-waits.test.ts: the bystander must run before any waiting step reaches its
// deadline, and (queued at once) go ahead of the waiting steps. Built with the contract probe
// (EAPHOST_BUILD_CONTRACT_PROBE, test builds only) and exported only when EAPHOST_CONTRACT_PROBE=1
// is set as the addon loads; nothing in lib/ calls it.
#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <mutex>

#include "../../common/timed_wait.h"
#include "../../common/wait_notice.h"
#include "../../radius/server/radius_step_pool.h"
#include "../generated/arg_structs.h"
#include "../generated/exports.h"
#include "../runtime/named_args.h"

namespace eaphost {

namespace {
constexpr uint8_t kWaitingKind = 13;    // EAP-TLS
constexpr uint8_t kBystanderKind = 25;  // PEAP

struct ProbeJob {
  bool bystander = false;
  bool busy = false;  // holds a pool thread, working, until the steps are queued
};

struct ProbeState {
  std::mutex mutex;
  std::condition_variable released;
  std::condition_variable done;
  std::condition_variable begun;  // a waiting step has said it waits
  bool release = false;
  bool queued = false;  // every step queued: the busy steps end
  size_t busy = 0;      // busy steps running
  bool bystanderRan = false;
  size_t gaveUp = 0;         // waiting steps that reached their deadline unreleased
  size_t waitedBefore = 0;   // waiting steps that had begun when the bystander ran
  size_t startedQueued = 0;  // waiting steps started when the bystander was queued
  size_t startedBefore = 0;  // waiting steps started when the bystander ran
  size_t started = 0;        // waiting steps a thread has started
  size_t began = 0;          // waiting steps that have said they wait
  size_t finished = 0;
};
}  // namespace

// stepPoolProbe({ threads, waiting, deadlineMs, oneByOne }): [bystander ran, waiting steps that
// reached their deadline, waiting steps begun when the bystander ran, waiting steps started after
// it was queued and before it ran].
Napi::Value seam::StepPoolProbe(const Napi::CallbackInfo& info, Napi::Object object) {
  StepPoolProbeArgs args = ReadStepPoolProbeArgs(object);
  ProbeState state;
  const std::chrono::milliseconds deadline(args.deadlineMs);
  auto run = [&state, deadline](ProbeJob& job) {
    std::unique_lock<std::mutex> lock(state.mutex);
    if (job.busy) {
      ++state.busy;
      state.begun.notify_all();
      while (!state.queued) state.released.wait(lock);
      return;
    }
    if (job.bystander) {
      state.bystanderRan = true;
      state.waitedBefore = state.began;
      state.startedBefore = state.started;
      state.release = true;
      state.released.notify_all();
      return;
    }
    ++state.started;
    lock.unlock();
    NoticeWaiting();
    lock.lock();
    ++state.began;
    state.begun.notify_all();
    const auto until = std::chrono::steady_clock::now() + deadline;
    while (!state.release && std::chrono::steady_clock::now() < until) WaitUntil(state.released, lock, until);
    if (!state.release) ++state.gaveUp;
  };
  auto wake = [&state] {
    std::lock_guard<std::mutex> lock(state.mutex);
    state.done.notify_all();
  };
  {
    radius::StepPool<ProbeJob> pool(args.threads, run, wake);
    const uint32_t busy = args.oneByOne == 0 ? args.threads : 0;
    for (uint32_t i = 0; i < busy; ++i) {
      auto job = std::make_unique<ProbeJob>();
      job->busy = true;
      pool.Submit(std::move(job), kWaitingKind);
      std::unique_lock<std::mutex> lock(state.mutex);
      while (state.busy <= i) state.begun.wait(lock);
    }
    for (uint32_t i = 0; i <= args.waiting; ++i) {
      auto job = std::make_unique<ProbeJob>();
      job->bystander = i == args.waiting;
      const uint8_t kind = job->bystander ? kBystanderKind : kWaitingKind;
      if (job->bystander) {
        std::lock_guard<std::mutex> lock(state.mutex);
        state.startedQueued = state.started;
      }
      pool.Submit(std::move(job), kind);
      if (i == args.waiting) {
        std::lock_guard<std::mutex> lock(state.mutex);
        state.queued = true;
        state.released.notify_all();
      }
      if (args.oneByOne == 0 || i == args.waiting) continue;
      // The next once this one has said it waits (or has waited out the deadline without a thread).
      std::unique_lock<std::mutex> lock(state.mutex);
      const auto until = std::chrono::steady_clock::now() + deadline;
      while (state.began <= i && std::chrono::steady_clock::now() < until) WaitUntil(state.begun, lock, until);
    }
    const size_t total = static_cast<size_t>(args.waiting) + 1 + busy;
    for (;;) {
      state.finished += pool.TakeDone().size();
      if (state.finished >= total) break;
      std::unique_lock<std::mutex> lock(state.mutex);
      WaitUntil(state.done, lock, std::chrono::steady_clock::now() + std::chrono::milliseconds(20));
    }
  }
  Napi::Array out = Napi::Array::New(info.Env(), 4);
  out.Set(0u, Napi::Boolean::New(info.Env(), state.bystanderRan));
  out.Set(1u, Napi::Number::New(info.Env(), static_cast<double>(state.gaveUp)));
  out.Set(2u, Napi::Number::New(info.Env(), static_cast<double>(state.waitedBefore)));
  out.Set(3u, Napi::Number::New(info.Env(), static_cast<double>(state.startedBefore - state.startedQueued)));
  return out;
}

}  // namespace eaphost
