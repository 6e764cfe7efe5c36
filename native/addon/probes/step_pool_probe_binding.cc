// Test-only export that runs the RADIUS engine's step pool (native/radius/server/radius_step_pool.h)
// as a slow OCSP responder meets it: `waiting` steps of one kind (EAP-TLS's) each say they wait,
// as the OCSP question does (common/wait_notice.h), and wait until released or until
// `deadlineMs` after they began (the responder's deadline); one step of another kind (PEAP's),
// queued behind them all, releases them when it runs. For test/radius/step-pool-waits.test.ts:
// the bystander must run before any waiting step reaches its deadline. Built with the contract
// probe (EAPHOST_BUILD_CONTRACT_PROBE, test builds only) and exported only when
// EAPHOST_CONTRACT_PROBE=1 is set as the addon loads; nothing in lib/ calls it.
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
};

struct ProbeState {
  std::mutex mutex;
  std::condition_variable released;
  std::condition_variable done;
  bool release = false;
  bool bystanderRan = false;
  size_t gaveUp = 0;        // waiting steps that reached their deadline unreleased
  size_t waitedBefore = 0;  // waiting steps that had begun when the bystander ran
  size_t began = 0;
  size_t finished = 0;
};
}  // namespace

// stepPoolProbe({ threads, waiting, deadlineMs }): [bystander ran, waiting steps that reached
// their deadline, waiting steps begun when the bystander ran].
Napi::Value seam::StepPoolProbe(const Napi::CallbackInfo& info, Napi::Object object) {
  StepPoolProbeArgs args = ReadStepPoolProbeArgs(object);
  ProbeState state;
  const std::chrono::milliseconds deadline(args.deadlineMs);
  auto run = [&state, deadline](ProbeJob& job) {
    std::unique_lock<std::mutex> lock(state.mutex);
    if (job.bystander) {
      state.bystanderRan = true;
      state.waitedBefore = state.began;
      state.release = true;
      state.released.notify_all();
      return;
    }
    ++state.began;
    lock.unlock();
    NoticeWaiting();
    lock.lock();
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
    for (uint32_t i = 0; i <= args.waiting; ++i) {
      auto job = std::make_unique<ProbeJob>();
      job->bystander = i == args.waiting;
      const uint8_t kind = job->bystander ? kBystanderKind : kWaitingKind;
      pool.Submit(std::move(job), kind);
    }
    const size_t total = static_cast<size_t>(args.waiting) + 1;
    for (;;) {
      state.finished += pool.TakeDone().size();
      if (state.finished >= total) break;
      std::unique_lock<std::mutex> lock(state.mutex);
      WaitUntil(state.done, lock, std::chrono::steady_clock::now() + std::chrono::milliseconds(20));
    }
  }
  Napi::Array out = Napi::Array::New(info.Env(), 3);
  out.Set(0u, Napi::Boolean::New(info.Env(), state.bystanderRan));
  out.Set(1u, Napi::Number::New(info.Env(), static_cast<double>(state.gaveUp)));
  out.Set(2u, Napi::Number::New(info.Env(), static_cast<double>(state.waitedBefore)));
  return out;
}

}  // namespace eaphost
