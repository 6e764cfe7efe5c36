// Naming the project's own threads, so a profile, `top -H` or /proc/PID/task/*/comm tells their
// CPU from the JS thread's and V8's (every thread of a Node process is "node" otherwise). Linux
// only: a name is at most 15 characters there; elsewhere this does nothing.
#pragma once

#include <thread>

#if defined(__linux__)
#include <pthread.h>
#endif

namespace eaphost {

// Called by the thread's creator as soon as the thread exists.
inline void NameThread(std::thread& thread, const char* name) {
#if defined(__linux__)
  pthread_setname_np(thread.native_handle(), name);
#else
  (void)thread;
  (void)name;
#endif
}

}  // namespace eaphost
