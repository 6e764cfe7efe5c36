// The lane's step threads: where a TLS-based conversation's authenticator step runs (a handshake
// message, and with it the server's private-key operation), so that steps of different
// conversations use every core while the lane thread goes on reading, deciding and replying.
// One conversation is only ever on one thread at a time: the lane hands a step over and takes
// nothing of that conversation back until the step is done (RadiusLane::OnStepsDone).
//
// Jobs are Job objects the lane owns again once done; `run` is called on a step thread,
// `wake` there too, when a job joined an empty done list (the lane thread then takes the list).
#pragma once

#include <condition_variable>
#include <cstddef>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>
#include <thread>
#include <utility>
#include <vector>

#include "../common/thread_name.h"

namespace eaphost::radius {

template <typename Job>
class StepPool {
 public:
  StepPool(size_t threads, std::function<void(Job&)> run, std::function<void()> wake)
      : run_(std::move(run)), wake_(std::move(wake)) {
    threads_.reserve(threads);
    for (size_t i = 0; i < threads; ++i) {
      threads_.push_back(StartNamedThread("eaphost step", [this] { Serve(); }));
    }
  }
  ~StepPool() { Stop(); }
  StepPool(const StepPool&) = delete;
  StepPool& operator=(const StepPool&) = delete;

  void Submit(std::unique_ptr<Job> job) {
    {
      std::lock_guard<std::mutex> lock(mutex_);
      queued_.push_back(std::move(job));
    }
    ready_.notify_one();
  }

  // Lane thread: every job done since the last take.
  std::vector<std::unique_ptr<Job>> TakeDone() {
    std::vector<std::unique_ptr<Job>> done;
    std::lock_guard<std::mutex> lock(mutex_);
    done.swap(done_);
    return done;
  }

  // Lane thread, as the lane ends: jobs not started are handed back unrun, running ones are
  // waited for; every job is then in the done list, and no thread runs any more.
  void Stop() {
    {
      std::lock_guard<std::mutex> lock(mutex_);
      if (stopping_) return;
      stopping_ = true;
      for (auto& job : queued_) done_.push_back(std::move(job));
      queued_.clear();
    }
    ready_.notify_all();
    for (std::thread& thread : threads_) thread.join();
  }

 private:
  void Serve() {
    for (;;) {
      std::unique_ptr<Job> job;
      {
        std::unique_lock<std::mutex> lock(mutex_);
        ready_.wait(lock, [this] { return stopping_ || !queued_.empty(); });
        if (queued_.empty()) return;  // stopping
        job = std::move(queued_.front());
        queued_.pop_front();
      }
      run_(*job);
      bool first;
      {
        std::lock_guard<std::mutex> lock(mutex_);
        first = done_.empty();
        done_.push_back(std::move(job));
      }
      // One wake per take: steps done before the lane thread takes the list join it unannounced.
      if (first) wake_();
    }
  }

  std::function<void(Job&)> run_;
  std::function<void()> wake_;
  std::mutex mutex_;
  std::condition_variable ready_;
  std::deque<std::unique_ptr<Job>> queued_;
  std::vector<std::unique_ptr<Job>> done_;
  bool stopping_ = false;
  std::vector<std::thread> threads_;
};

}  // namespace eaphost::radius
