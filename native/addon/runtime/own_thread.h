// A thread of its own for one piece of work that must stall neither the host thread nor the JS
// thread (a dialog, a certificate store that may ask the user), and that nobody joins: the work
// hands its outcome back through HostThread's gate (HostThread::CompleteThrough).
//
// On Windows the thread is made with _beginthreadex, as MSVC's std::thread makes it, never with
// MinGW's std::thread: winpthreads lets a finished thread's late DLL_THREAD_DETACH clear the
// control block that pthread_detach has already handed to the next thread, which then exits
// without running its body, so a promise waiting on it never settled (docs/WINDOWS-CONTRACT.md,
// first-run check 12). Joined threads are safe: pthread_join waits for the thread's handle.
#pragma once

#include <cstdint>
#include <memory>
#include <system_error>
#include <utility>

#if defined(_WIN32)
#include <errno.h>
#include <process.h>

#include "../../abi/eap_platform.h"
#else
#include <thread>
#endif

namespace eaphost {

#if defined(_WIN32)
template <typename Body>
unsigned __stdcall RunOwnThread(void* argument) {
  std::unique_ptr<Body> body(static_cast<Body*>(argument));
  (*body)();
  return 0;
}
#endif

// Starts `body` on a new thread and lets it go. Throws std::system_error when the process has
// no thread to give; `body` has then not run and never will.
template <typename Body>
void StartOwnThread(Body body) {
#if defined(_WIN32)
  auto owned = std::make_unique<Body>(std::move(body));
  uintptr_t thread = _beginthreadex(nullptr, 0, &RunOwnThread<Body>, owned.get(), 0, nullptr);
  if (thread == 0) throw std::system_error(errno, std::generic_category(), "_beginthreadex");
  owned.release();  // the thread's own now: RunOwnThread frees it
  CloseHandle(reinterpret_cast<HANDLE>(thread));
#else
  std::thread(std::move(body)).detach();
#endif
}

}  // namespace eaphost
