// Naming the project's own threads, so a profile, a debugger or a process explorer tells their
// CPU from the JS thread's and V8's (every thread of a Node process is "node" otherwise). Each
// thread names itself, first thing (thread_name_posix.cc, thread_name_win32.cc); the one that
// starts it goes on once the name is set, so no thread is ever seen unnamed.
#pragma once

#include <condition_variable>
#include <memory>
#include <mutex>
#include <thread>
#include <utility>

namespace eaphost {

// The calling thread's name; `name`: plain ASCII, at most 15 characters (Linux's limit).
void NameThisThread(const char* name);

// A thread that names itself `name` and then runs `body`; returned once the name is set.
template <typename Body>
std::thread StartNamedThread(const char* name, Body body) {
  struct Named {
    std::mutex mutex;
    std::condition_variable set;
    bool done = false;
  };
  auto named = std::make_shared<Named>();
  std::thread thread([name, named, body = std::move(body)]() mutable {
    NameThisThread(name);
    {
      std::lock_guard<std::mutex> lock(named->mutex);
      named->done = true;
    }
    named->set.notify_one();
    named.reset();
    body();
  });
  std::unique_lock<std::mutex> lock(named->mutex);
  named->set.wait(lock, [&named] { return named->done; });
  return thread;
}

}  // namespace eaphost
