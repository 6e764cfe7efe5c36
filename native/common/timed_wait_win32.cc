// Windows: a timed wait that hands winpthreads no struct timespec (timed_wait.h says why). The
// caller's condition variable waits untimed; a thread-pool timer (CreateThreadpoolTimer, due in
// `ms` milliseconds) notifies it at the deadline. The timer's callback takes the caller's mutex
// before it notifies, and the timer is set while the caller holds it: the notification can only
// come once the caller is waiting, never be lost before. Other waiters on the same condition
// variable may wake too, which a condition variable's waiters allow for (they wait in a loop).
#include "timed_wait.h"

#include <windows.h>

namespace eaphost {

namespace {

struct Alarm {
  std::mutex* mutex;
  std::condition_variable* cv;
};

VOID CALLBACK Ring(PTP_CALLBACK_INSTANCE, PVOID context, PTP_TIMER) {
  Alarm* alarm = static_cast<Alarm*>(context);
  std::lock_guard<std::mutex> hold(*alarm->mutex);
  alarm->cv->notify_all();
}

}  // namespace

void WaitForMs(std::condition_variable& cv, std::unique_lock<std::mutex>& lock, uint32_t ms) {
  Alarm alarm{lock.mutex(), &cv};
  PTP_TIMER timer = CreateThreadpoolTimer(Ring, &alarm, nullptr);
  if (timer == nullptr) {
    // No timer to be had (out of memory): a short sleep, unlocked, then the caller looks again.
    lock.unlock();
    Sleep(ms < 10 ? ms : 10);
    lock.lock();
    return;
  }
  // A relative due time: negative, in 100-nanosecond units.
  ULARGE_INTEGER due;
  due.QuadPart = static_cast<ULONGLONG>(-static_cast<LONGLONG>(ms) * 10000);
  FILETIME dueTime;
  dueTime.dwLowDateTime = due.LowPart;
  dueTime.dwHighDateTime = due.HighPart;
  SetThreadpoolTimer(timer, &dueTime, 0, 0);
  cv.wait(lock);
  // A callback already under way waits for the mutex: release it while the timer is cancelled
  // and its callbacks finish, so `alarm` outlives every use.
  lock.unlock();
  SetThreadpoolTimer(timer, nullptr, 0, 0);
  WaitForThreadpoolTimerCallbacks(timer, TRUE);
  CloseThreadpoolTimer(timer);
  lock.lock();
}

}  // namespace eaphost
