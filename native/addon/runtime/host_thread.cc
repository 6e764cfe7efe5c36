#include "host_thread.h"

#include <algorithm>
#include <cstddef>
#include <iterator>

#include "../../common/thread_name.h"
#include "../../platform/eaphost_library.h"

namespace eaphost {

HostThread::HostThread(Napi::Env env) : env_(env) {
  tsfn_ = Napi::TypedThreadSafeFunction<HostThread, void, Drain>::New(
      env, "eaphost host thread", 0, 1, this);
  tsfn_.Unref(env);
  setImmediate_ = Napi::Persistent(env.Global().Get("setImmediate").As<Napi::Function>());
  drainMore_ = Napi::Persistent(Napi::Function::New(env, DrainMore, "drainCompletions", this));
  gate_->host = this;
  thread_ = StartNamedThread("eaphost host", [this] { Run(); });
}

HostThread::~HostThread() {
  StopAside();
  {
    std::lock_guard<std::mutex> lock(gate_->mutex);
    gate_->host = nullptr;
  }
  if (thread_.joinable()) {
    {
      std::lock_guard<std::mutex> lock(mutex_);
      stopping_ = true;
    }
    wake_.notify_one();
    thread_.join();
  }
}

void HostThread::Queue(Queued job, bool sendBack) {
  bool wake;
  {
    std::lock_guard<std::mutex> lock(mutex_);
    if (stopping_) return;
    if (sendBack) MoveGivenBack();
    if (job.settlesSubmit) queuedCalls_.fetch_add(1, std::memory_order_release);
    jobs_.push_back(std::move(job));
    queued_.fetch_add(1, std::memory_order_release);
    // One wake-up per sleep: the calls queued before the host thread is back need none.
    wake = sleeping_;
    sleeping_ = false;
  }
  if (wake) wake_.notify_one();
}

void HostThread::SendBack() {
  if (givenBack_.empty()) return;
  bool wake;
  {
    std::lock_guard<std::mutex> lock(mutex_);
    if (stopping_) {
      givenBack_.clear();
      return;
    }
    MoveGivenBack();
    wake = sleeping_;
    sleeping_ = false;
  }
  if (wake) wake_.notify_one();
}

void HostThread::MoveGivenBack() {
  if (givenBack_.empty()) return;
  std::move(givenBack_.begin(), givenBack_.end(), std::back_inserter(toFree_));
  givenBack_.clear();
}

void HostThread::HandOver(Queued done) {
  bool signal;
  {
    std::lock_guard<std::mutex> lock(completionMutex_);
    if (stopped_) return;
    completions_.push_back(std::move(done));
    handedOver_.fetch_add(1, std::memory_order_release);
    signal = !drainOwed_;
    drainOwed_ = true;
  }
  if (signal) tsfn_.NonBlockingCall();
}

void HostThread::Drain(Napi::Env env, Napi::Function, HostThread* self, void*) {
  if (env == nullptr || self == nullptr) return;
  self->DrainSome(env);
}

Napi::Value HostThread::DrainMore(const Napi::CallbackInfo& info) {
  static_cast<HostThread*>(info.Data())->DrainSome(info.Env());
  return info.Env().Undefined();
}

void HostThread::DrainSome(Napi::Env env) {
  std::vector<Queued> batch;
  bool idle = false;
  for (bool lookedInPlace = false;; lookedInPlace = true) {
    uint64_t seen = 0;
    std::chrono::steady_clock::time_point until;
    {
      std::lock_guard<std::mutex> lock(completionMutex_);
      auto now = std::chrono::steady_clock::now();
      if (!completions_.empty()) {
        lastSettled_ = now;
        size_t count = std::min(completions_.size(), kDrainBatch);
        batch.reserve(count);
        const auto end = completions_.begin() + static_cast<std::ptrdiff_t>(count);
        std::move(completions_.begin(), end, std::back_inserter(batch));
        completions_.erase(completions_.begin(), end);
        break;
      }
      // Nothing came while the last slice and its continuations ran. With calls in flight and a
      // completion settled within the look, the next is most likely a job's run away: the drain
      // stays owed (the host thread signals nothing) and looks for it, first here for at most
      // kLookInPlace, then on the next turn. Otherwise the next completion signals the
      // ThreadSafeFunction again.
      if (inFlight_ == 0 || now - lastSettled_ >= kLookForCompletions) {
        drainOwed_ = false;
        idle = true;
        break;
      }
      if (lookedInPlace) break;
      seen = handedOver_;
      until = std::min(lastSettled_ + kLookForCompletions, now + kLookInPlace);
    }
    while (handedOver_.load(std::memory_order_acquire) == seen && std::chrono::steady_clock::now() < until) {
    }
  }
  if (idle) {
    // No call is queued behind what was given back: it goes to the host thread on its own.
    SendBack();
    return;
  }
  if (!batch.empty()) ++drains_;
  for (Queued& done : batch) {
    RunCompletion(env, *done.task);
    done.task.reset();
    if (done.settlesSubmit && inFlight_ > 0 && --inFlight_ == 0) {
      // Unref only touches the loop handle; it cannot fail in a way worth reporting, and an
      // exception must not leave this callback (see RunCompletion).
      try {
        tsfn_.Unref(env);
      } catch (...) {
      }
    }
  }
  // The next slice, or the look that finds none, is always a setImmediate away, never a signal:
  // a ThreadSafeFunction signalled while its callback (and the promise continuations that
  // follow it) runs calls it again in the same turn, up to a thousand times, and timers and
  // I/O starve meanwhile. Until that look, completions join the drain already owed.
  try {
    setImmediate_.Call({drainMore_.Value()});
  } catch (...) {
    // The environment is going away: nothing queued can be observed any more.
  }
}

// No C++ exception may leave the drain: it unwinds through Node's C frames and aborts the
// whole process. While a worker is terminated (or the process exits) the environment still
// drains completions but refuses to run JS, so settling a promise or building a result throws
// Napi::Error, and so does the rejection that reports it. Those promises can never be
// observed: drop them. In a live environment a throwing completion is an uncaught exception
// (a 'notification' listener that throws, say) and is reported as one; napi_fatal_exception
// itself refuses, harmlessly, when JS cannot run.
void HostThread::RunCompletion(Napi::Env env, HostTask& task) {
  try {
    task.Settle(env);
  } catch (const Napi::Error& error) {
    try {
      // Value() itself throws when the environment no longer hands out references.
      napi_value value = error.Value();
      bool pending = false;
      if (napi_is_exception_pending(env, &pending) == napi_ok && pending) {
        napi_value ignored;
        napi_get_and_clear_last_exception(env, &ignored);
      }
      if (value != nullptr) napi_fatal_exception(env, value);
    } catch (...) {
    }
  } catch (...) {
    // Out of memory while settling, or a foreign exception: nothing on this thread can be
    // told any more, and unwinding further would abort the process.
  }
}

void HostThread::Run() {
  EapErrorInfo apartmentError;
  bool apartment = EnterHostApartment(&apartmentError);
  std::vector<Queued> batch;
  Leftovers freeing;
  for (;;) {
    {
      std::unique_lock<std::mutex> lock(mutex_);
      // Under load the next job usually arrives within microseconds (the JS thread answers
      // a completion with the next call): watch for it briefly before paying for a sleep and a
      // wake-up on both threads. A busy look, not sched_yield: on a loaded machine a yield
      // hands the core to another process for a whole time slice.
      // Not while parts are aside: what comes next is mostly their return, after a step of
      // hundreds of microseconds, and the spin would take the core the aside thread runs on.
      bool looked = false;
      if (jobs_.empty() && toFree_.empty() && !stopping_ && asideOutstanding_.load(std::memory_order_relaxed) == 0 &&
          spinBudget_.count() > 0) {
        lock.unlock();
        auto until = std::chrono::steady_clock::now() + spinBudget_;
        while (queued_.load(std::memory_order_acquire) == 0 && std::chrono::steady_clock::now() < until) {
        }
        lock.lock();
        looked = true;
      }
      if (jobs_.empty() && toFree_.empty() && !stopping_) {
        if (looked) spinBudget_ /= 2;  // the look found nothing: the next one is shorter
        auto asleep = std::chrono::steady_clock::now();
        sleeping_ = true;
        wake_.wait(lock, [this] { return stopping_ || !jobs_.empty() || !toFree_.empty(); });
        sleeping_ = false;
        // Woken as soon as a whole look would have found the job: look again next time.
        if (std::chrono::steady_clock::now() - asleep < kSpinBeforeSleep) spinBudget_ = kSpinBeforeSleep;
      } else if (looked) {
        spinBudget_ = kSpinBeforeSleep;
      }
      freeing.swap(toFree_);
      if (jobs_.empty() && stopping_) break;  // stopping and drained
      // Every job queued so far, in one take: a burst of sessions' calls (one settled slice of
      // completions answers with as many new calls) costs one lock and one wake-up, not one each.
      batch.swap(jobs_);
      queued_.store(0, std::memory_order_relaxed);
      queuedCalls_.store(0, std::memory_order_relaxed);
    }
    size_t own = 0;
    for (const Queued& job : batch) own += job.returning ? 0 : 1;
    jobsRun_.fetch_add(own, std::memory_order_relaxed);
    if (own > 0) batchesRun_.fetch_add(1, std::memory_order_relaxed);
    // Each call's completion goes over as soon as it is made: the JS thread, when it waits,
    // starts settling it while the rest of the batch runs (it is woken only when the queue
    // was empty; otherwise the completion joins the drain already owed). Work that settles
    // nothing is freed here, with the batch.
    size_t callsLeft = 0;  // in the batch: calls (not housekeeping) still to run
    for (const Queued& job : batch) callsLeft += job.settlesSubmit ? 1 : 0;
    for (Queued& job : batch) {
      if (job.settlesSubmit) --callsLeft;
      job.returning = false;
      job.task->Run();
      // A part that may run aside goes there only while other calls wait for this thread (the
      // rest of the batch, or calls queued since): the aside thread is a second core for several
      // conversations at once. A lone conversation's part runs here, with no hand-off; so does
      // one that only a housekeeping job (a release) waits behind.
      while (job.task->StepsAside() && callsLeft == 0 && queuedCalls_.load(std::memory_order_acquire) == 0) {
        job.task->RunAside();
        job.task->Run();
      }
      if (job.task->StepsAside()) {
        SendAside(std::move(job));
      } else if (job.settlesSubmit) {
        HandOver(std::move(job));
      }
    }
    batch.clear();
    freeing.clear();
  }
  freeing.clear();
  if (apartment) LeaveHostApartment();
}

void HostThread::SendAside(Queued job) {
  {
    std::lock_guard<std::mutex> lock(asideMutex_);
    if (!asideStopping_) {
      // Started by the first part sent: a process whose authenticators serve no TLS-based
      // method (on Windows the shipped modules serve none) never has the thread.
      if (!aside_.joinable()) {
        aside_ = StartNamedThread("eaphost aside", [this] { RunAsideThread(); });
      }
      asideOutstanding_.fetch_add(1, std::memory_order_relaxed);
      asideJobs_.push_back(std::move(job));
      asideWake_.notify_one();
      return;
    }
  }
  // The aside thread has stopped (the environment is going away): the part runs here, in order.
  job.task->RunAside();
  job.returning = true;
  Queue(std::move(job));
}

// No apartment and no EAPHost call here: only parts whose tasks say they touch neither. Each
// part goes back to the host thread's queue when it has run; stopping runs what is queued first.
void HostThread::RunAsideThread() {
  std::vector<Queued> batch;
  for (;;) {
    {
      std::unique_lock<std::mutex> lock(asideMutex_);
      asideWake_.wait(lock, [this] { return asideStopping_ || !asideJobs_.empty(); });
      if (asideJobs_.empty()) return;  // stopping and drained
      batch.swap(asideJobs_);
    }
    for (Queued& job : batch) {
      job.task->RunAside();
      asideRun_.fetch_add(1, std::memory_order_relaxed);
      job.returning = true;
      asideOutstanding_.fetch_sub(1, std::memory_order_relaxed);
      Queue(std::move(job));
    }
    batch.clear();
  }
}

void HostThread::StopAside() {
  std::thread aside;
  {
    // The host thread starts the aside thread under this lock: once stopping is set it cannot.
    std::lock_guard<std::mutex> lock(asideMutex_);
    if (asideStopping_) return;
    asideStopping_ = true;
    aside.swap(aside_);
  }
  asideWake_.notify_all();
  if (aside.joinable()) aside.join();
}

void HostThread::Shutdown(Job last) {
  {
    std::lock_guard<std::mutex> lock(completionMutex_);
    if (stopped_) return;
  }
  {
    // A UI thread still in a dialog completes into nothing from now on.
    std::lock_guard<std::mutex> lock(gate_->mutex);
    gate_->host = nullptr;
  }
  // Every part still aside is back in the host thread's queue before `last` closes what they use;
  // what was given back goes with `last`, and is freed on the host thread before it ends.
  StopAside();
  SendBack();
  Post(std::move(last));
  {
    std::lock_guard<std::mutex> lock(mutex_);
    stopping_ = true;
  }
  wake_.notify_all();
  if (thread_.joinable()) thread_.join();
  // Completions still queued belong to promises nobody can observe any more.
  {
    std::lock_guard<std::mutex> lock(completionMutex_);
    stopped_ = true;
    completions_.clear();
  }
  tsfn_.Abort();
}

}  // namespace eaphost
