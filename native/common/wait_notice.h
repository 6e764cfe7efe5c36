// A thread about to wait on something outside the process (an OCSP responder) says so first, so
// that a pool whose thread it is can put another thread to work in its place at once rather than
// find the wait out later (native/radius/server/radius_step_pool.h). A pool installs a hook on
// each of its threads; on any other thread a notice does nothing.
#pragma once

namespace eaphost {

struct WaitHook {
  void (*notice)(void* context) = nullptr;
  void* context = nullptr;
};

// The calling thread's hook (plain data: no destructor runs at thread exit).
inline WaitHook& ThisThreadWaitHook() {
  thread_local WaitHook hook;
  return hook;
}

// Called by the thread that is about to wait.
inline void NoticeWaiting() {
  const WaitHook& hook = ThisThreadWaitHook();
  if (hook.notice != nullptr) hook.notice(hook.context);
}

}  // namespace eaphost
