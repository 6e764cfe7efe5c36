// The lane's step threads: where a TLS-based conversation's authenticator step runs (a handshake
// message, and with it the server's private-key operation), so that steps of different
// conversations use every core while the lane thread goes on reading, deciding and replying. A
// step that brings a tunnel's records alone stays on the lane thread (wire/eap_tls_records.h).
// One conversation is only ever on one thread at a time: the lane hands a step over and takes
// nothing of that conversation back until the step is done (EapHandler::OnStepsDone).
//
// Jobs are Job objects the lane owns again once done; `run` is called on a step thread,
// `wake` there too, when a job joined an empty done list (the lane thread then takes the list).
//
// A step is CPU work of a millisecond or two, unless it waits on something outside the process:
// an EAP-TLS step asking the OCSP responder (--ocsp-responder) waits for its answer, up to the
// responder's deadline. So that a slow responder delays only the conversations that wait on it,
// a step that has run kBlockedAfter while other steps are queued is taken as waiting, not
// working, and the pool lends a thread in its place (at most kMaxLent at once): the queue moves
// on at the pool's width whatever some steps wait for. A lent thread ends when it finds the queue
// empty, and is lent again when steps queue up behind the waiting ones once more. The watcher
// that lends them starts the first time steps are queued behind busy threads. A step that knows
// it is about to wait (the OCSP question: common/wait_notice.h) says so, and counts as waiting at
// once: the watcher lends its thread's stand-in then, not kBlockedAfter later. Without it, 64
// EAP-TLS steps reaching one slow OCSP question each held a working thread for kBlockedAfter
// before the next could run, and a PEAP step queued behind them waited 64 x 50 ms over the
// pool's width (1.6 s on two cores, 3.2 s on one). A step queued while a step that said it waits
// has no stand-in yet wakes the watcher too, even one already waiting for its next look: when the
// queue was empty as the step said so, no stand-in was due, and this one would wait for that
// look (up to kBlockedAfter, once for each conversation reaching the question one by one).
//
// Steps come in kinds (the conversation's EAP type), and one kind runs at most kMaxPerKind steps
// at once: when 200 EAP-TLS conversations wait on one slow OCSP question, the lent threads fill
// with EAP-TLS steps and the rest of them stay queued, while a PEAP step queued behind them is
// taken by the next free or lent thread at once, not when the responder's deadline frees one.
// Kinds take turns: a thread takes the oldest step of the next kind after the one taken last (a
// kind with none queued, or at kMaxPerKind, is passed over), so a step waits behind at most one
// of each other kind, however deep their queues. Before, the oldest step of any kind went first,
// and a PEAP step queued behind 30 EAP-TLS steps each about to ask the OCSP question waited for
// 30 threads lent one after another (20-50 ms each on a loaded machine). Within a kind, the
// oldest goes first.
#pragma once

#include <array>
#include <chrono>
#include <cstdint>
#include <condition_variable>
#include <cstddef>
#include <deque>
#include <functional>
#include <list>
#include <map>
#include <memory>
#include <mutex>
#include <system_error>
#include <thread>
#include <utility>
#include <vector>

#include "../../common/thread_name.h"
#include "../../common/timed_wait.h"
#include "../../common/wait_notice.h"

namespace eaphost::radius {

template <typename Job>
class StepPool {
 public:
  // Far longer than any step's CPU work takes on a loaded machine, far shorter than an OCSP
  // responder's deadline (3 s).
  static constexpr std::chrono::milliseconds kBlockedAfter{50};
  static constexpr size_t kMaxLent = 64;
  // At most the lent threads: a kind whose steps all wait leaves the pool's own threads, and
  // lent ones, to the other kinds.
  static constexpr size_t kMaxPerKind = kMaxLent;

  StepPool(size_t threads, std::function<void(Job&)> run, std::function<void()> wake)
      : run_(std::move(run)), wake_(std::move(wake)) {
    threads_.reserve(threads);
    for (size_t i = 0; i < threads; ++i) {
      threads_.push_back(StartNamedThread("eaphost step", [this] { Serve(false); }));
    }
  }
  ~StepPool() { Stop(); }
  StepPool(const StepPool&) = delete;
  StepPool& operator=(const StepPool&) = delete;

  void Submit(std::unique_ptr<Job> job, uint8_t kind) {
    bool behind = false;
    bool wakeWatcher = false;
    Parked* wake = nullptr;
    {
      std::lock_guard<std::mutex> lock(mutex_);
      queued_[kind].push_back(std::move(job));
      const size_t takeable = Takeable();
      behind = idle_ < takeable;
      if (!parked_.empty() && takeable > 0) {
        wake = parked_.back();
        parked_.pop_back();
        wake->woken = true;
      }
      if (behind) StartWatcher();
      // Parked, or with a waiting step no lent thread stands in for yet: its next look may be up
      // to kBlockedAfter away, and this step would wait for it.
      wakeWatcher = watcherParked_ || (waiting_ > lent_ && lent_ < kMaxLent);
    }
    // Woken outside the lock, which it needs at once. `wake` outlives this: its thread ends only
    // once Stop has run, and Stop never runs beside a Submit (both are the lane's, which one
    // thread at a time drives: radius_engine.h).
    if (wake != nullptr) wake->wake.notify_one();
    // A watcher already waiting for its next look needs no wake when every step that said it
    // waits has its stand-in: a queued step starts no clock of its own, and that look comes
    // within kBlockedAfter. Only one waiting for a queue, or owing a stand-in, is woken, so the
    // watcher costs nothing per step (its wake per step cost PEAP 2-4 % of serve's CPU).
    if (behind && wakeWatcher) watch_.notify_one();
  }

  // Any thread: the steps waiting for a thread, and the threads lent now (serve --metrics).
  size_t QueuedNow() {
    std::lock_guard<std::mutex> lock(mutex_);
    size_t queued = 0;
    for (const auto& entry : queued_) queued += entry.second.size();
    return queued;
  }
  size_t LentNow() {
    std::lock_guard<std::mutex> lock(mutex_);
    return lent_;
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
    std::thread watcher;
    {
      std::lock_guard<std::mutex> lock(mutex_);
      if (stopping_) return;
      stopping_ = true;
      for (auto& entry : queued_) {
        for (std::unique_ptr<Job>& queued : entry.second) done_.push_back(std::move(queued));
      }
      queued_.clear();
      watcher.swap(watcher_);
      // Under the lock: a parked thread goes (and its Parked with it) only once it is released.
      for (Parked* parked : parked_) {
        parked->woken = true;
        parked->wake.notify_one();
      }
      parked_.clear();
    }
    watch_.notify_all();
    for (std::thread& thread : threads_) thread.join();
    if (watcher.joinable()) watcher.join();
    std::list<std::thread> lent;
    {
      std::unique_lock<std::mutex> lock(mutex_);
      lentEnded_.wait(lock, [this] { return lent_ == 0; });
      lent.swap(lentThreads_);
      endedIds_.clear();
    }
    for (std::thread& thread : lent) thread.join();
  }

 private:
  struct Running {
    std::chrono::steady_clock::time_point since;
    uint8_t kind = 0;
    bool waiting = false;  // the step said it waits (NoticeWaiting)
  };
  // A pool thread's wait hook's context: its pool and its entry in running_.
  struct Waiter {
    StepPool* pool = nullptr;
    Running* running = nullptr;
  };
  // A pool thread waiting for work, woken by the Submit that hands it some (or by Stop). Each
  // has its own condition, and only a thread known to wait is woken: a Submit never waits for
  // another step thread, as signalling one condition shared by all may (a waiter woken but not yet
  // running holds up the next signal).
  struct Parked {
    std::condition_variable wake;
    bool woken = false;
  };

  // A pool thread waits for work; a lent one (`lent`) ends when it finds none.
  void Serve(bool lent) {
    Parked self;
    // This thread's entry in running_, moved there while it runs a step (no allocation per step).
    std::list<Running> mine(1);
    const auto running = mine.begin();
    Waiter waiter{this, &*running};
    ThisThreadWaitHook() = WaitHook{&StepPool::Waiting, &waiter};
    for (;;) {
      std::unique_ptr<Job> job;
      {
        std::unique_lock<std::mutex> lock(mutex_);
        if (lent && (stopping_ || Takeable() == 0)) {
          // Notified under the lock: Stop, waiting for this, goes on only once it is released,
          // and this thread touches nothing of the pool after that.
          ThisThreadWaitHook() = WaitHook{};
          --lent_;
          endedIds_.push_back(std::this_thread::get_id());
          lentEnded_.notify_all();
          watch_.notify_one();
          return;
        }
        ++idle_;
        while (!stopping_ && Takeable() == 0) {
          self.woken = false;
          parked_.push_back(&self);
          self.wake.wait(lock, [&self] { return self.woken; });
        }
        --idle_;
        if (stopping_) {
          ThisThreadWaitHook() = WaitHook{};
          return;
        }
        running->kind = Take(&job);
        ++runningOf_[running->kind];
        running->since = std::chrono::steady_clock::now();
        running->waiting = false;
        running_.splice(running_.end(), mine, running);
      }
      run_(*job);
      bool first;
      {
        std::lock_guard<std::mutex> lock(mutex_);
        --runningOf_[running->kind];
        if (running->waiting) --waiting_;
        mine.splice(mine.end(), running_, running);
        first = done_.empty();
        done_.push_back(std::move(job));
      }
      // One wake per take: steps done before the lane thread takes the list join it unannounced.
      if (first) wake_();
    }
  }

  // A step thread's wait hook: its step is about to wait. Counted as waiting from now, and the
  // watcher told at once when steps queue behind it (started if it has not been yet).
  static void Waiting(void* context) {
    Waiter* waiter = static_cast<Waiter*>(context);
    StepPool* pool = waiter->pool;
    {
      std::lock_guard<std::mutex> lock(pool->mutex_);
      if (!waiter->running->waiting) ++pool->waiting_;
      waiter->running->waiting = true;
      if (pool->stopping_ || pool->idle_ >= pool->Takeable()) return;
      pool->StartWatcher();
    }
    pool->watch_.notify_one();
  }

  // `mutex_` held: the watcher started, unless it has been.
  void StartWatcher() {
    if (watcher_.joinable()) return;
    try {
      watcher_ = StartNamedThread("eaphost lender", [this] { Watch(); });
    } catch (const std::system_error&) {
      // No thread to spare: the queue waits for the pool's own threads, as before.
    }
  }

  // While steps are queued, keeps a lent thread alive for each step that has run kBlockedAfter
  // or said it waits, and looks again when the next running one would reach kBlockedAfter.
  void Watch() {
    std::unique_lock<std::mutex> lock(mutex_);
    while (!stopping_) {
      JoinEnded(lock);
      if (stopping_) break;
      if (idle_ >= Takeable()) {
        watcherParked_ = true;
        watch_.wait(lock);
        watcherParked_ = false;
        continue;
      }
      const auto now = std::chrono::steady_clock::now();
      auto next = now + kBlockedAfter;
      size_t blocked = 0;
      for (const Running& step : running_) {
        if (step.waiting || now - step.since >= kBlockedAfter) {
          ++blocked;
        } else if (step.since + kBlockedAfter < next) {
          next = step.since + kBlockedAfter;
        }
      }
      while (lent_ < blocked && lent_ < kMaxLent) {
        try {
          lentThreads_.push_back(StartNamedThread("eaphost step", [this] { Serve(true); }));
        } catch (const std::system_error&) {
          break;  // looked at again at `next`
        }
        ++lent_;
      }
      WaitUntil(watch_, lock, next);  // not watch_.wait_until: common/timed_wait.h
    }
  }

  // `mutex_` held: how many queued steps a thread may take now (of kinds under kMaxPerKind).
  size_t Takeable() const {
    size_t count = 0;
    for (const auto& entry : queued_) {
      if (runningOf_[entry.first] < kMaxPerKind) count += entry.second.size();
    }
    return count;
  }

  // `mutex_` held, Takeable() > 0: out of the queue, the oldest step of the first kind a thread
  // may take after the kind taken last (in the order of kinds, round again); its kind.
  uint8_t Take(std::unique_ptr<Job>* job) {
    auto turn = queued_.end();
    auto first = queued_.end();
    for (auto at = queued_.begin(); at != queued_.end(); ++at) {
      if (runningOf_[at->first] >= kMaxPerKind) continue;
      if (first == queued_.end()) first = at;
      if (at->first > lastKind_) {
        turn = at;
        break;
      }
    }
    if (turn == queued_.end()) turn = first;
    const uint8_t kind = turn->first;
    *job = std::move(turn->second.front());
    turn->second.pop_front();
    if (turn->second.empty()) queued_.erase(turn);
    lastKind_ = kind;
    return kind;
  }

  // Watcher thread, `lock` held: joins the lent threads that have ended. None is detached
  // (MinGW's winpthreads may lose a detached thread's body: test/linux/windows-build-rules.test.ts).
  // A lent thread is in lentThreads_ before it can take the lock, so before it can end.
  void JoinEnded(std::unique_lock<std::mutex>& lock) {
    if (endedIds_.empty()) return;
    std::list<std::thread> ended;
    for (const std::thread::id& id : endedIds_) {
      for (auto it = lentThreads_.begin(); it != lentThreads_.end(); ++it) {
        if (it->get_id() == id) {
          ended.splice(ended.end(), lentThreads_, it);
          break;
        }
      }
    }
    endedIds_.clear();
    lock.unlock();
    for (std::thread& thread : ended) thread.join();
    lock.lock();
  }

  std::function<void(Job&)> run_;
  std::function<void()> wake_;
  std::mutex mutex_;
  std::condition_variable watch_;
  std::condition_variable lentEnded_;
  // By kind; a kind with none queued has no entry.
  std::map<uint8_t, std::deque<std::unique_ptr<Job>>> queued_;
  int lastKind_ = -1;                    // the kind of the step taken last (kinds take turns)
  std::array<size_t, 256> runningOf_{};  // steps running, by kind
  std::vector<std::unique_ptr<Job>> done_;
  std::list<Running> running_;
  std::vector<Parked*> parked_;  // pool threads waiting for work, not yet woken
  size_t idle_ = 0;              // pool threads waiting for work
  size_t lent_ = 0;              // lent threads not yet ended
  size_t waiting_ = 0;           // running steps that said they wait
  bool stopping_ = false;
  bool watcherParked_ = false;  // the watcher waits for steps to queue up, with no look due
  std::vector<std::thread> threads_;
  std::thread watcher_;                    // started with the first queue behind busy threads
  std::list<std::thread> lentThreads_;     // lent threads, joined once ended
  std::vector<std::thread::id> endedIds_;  // lent threads that have ended, not yet joined
};

}  // namespace eaphost::radius
