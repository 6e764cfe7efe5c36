// Elsewhere than Windows the standard library's timed wait is right (timed_wait.h).
#include "timed_wait.h"

namespace eaphost {

void WaitForMs(std::condition_variable& cv, std::unique_lock<std::mutex>& lock, uint32_t ms) {
  cv.wait_for(lock, std::chrono::milliseconds(ms));
}

}  // namespace eaphost
