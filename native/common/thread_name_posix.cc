// Linux: the kernel's name of the thread (/proc/PID/task/TID/comm, `top -H`, perf). macOS:
// pthread's, which debuggers and Instruments show.
#include "thread_name.h"

#include <pthread.h>

namespace eaphost {

void NameThisThread(const char* name) {
#if defined(__APPLE__)
  pthread_setname_np(name);
#else
  pthread_setname_np(pthread_self(), name);
#endif
}

}  // namespace eaphost
