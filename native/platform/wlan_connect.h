// Connecting through Windows' own supplicant (Native Wifi, wlanapi.dll) and telling why not:
// WlanRegisterNotification for ACM and ONEX before WlanConnect, every notification copied in the
// callback and handed on, the attempt final at ACM connection_complete (an intermediate
// connection_attempt_fail is not), the timeout or a cancel. The WLAN handle is unregistered and
// closed by the thread that opened it, never inside the callback nor from a finalizer.
// Elsewhere (wlan_connect_posix.cc) the outcome says Native Wifi exists only on Windows.
#pragma once

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <mutex>
#include <string>

#include "../common/timed_wait.h"
#include "wlan_notification.h"

namespace eaphost {

// Between the attempt's thread, the WLAN callback and JS's cancel().
class WlanConnectControl {
 public:
  void Cancel() {
    std::lock_guard<std::mutex> lock(mutex_);
    cancelled_ = true;
    changed_.notify_all();
  }
  void Finish() {
    std::lock_guard<std::mutex> lock(mutex_);
    finished_ = true;
    changed_.notify_all();
  }
  // Waits until finished, cancelled or `ms` have passed; true when finished.
  bool WaitFinished(uint32_t ms) {
    std::unique_lock<std::mutex> lock(mutex_);
    WaitForMs(changed_, lock, ms, [this] { return finished_ || cancelled_; });
    return finished_;
  }
  bool cancelled() {
    std::lock_guard<std::mutex> lock(mutex_);
    return cancelled_;
  }

 private:
  std::mutex mutex_;
  std::condition_variable changed_;
  bool cancelled_ = false;
  bool finished_ = false;
};

struct WlanConnectOutcome {
  std::string interfaceGuid;
  std::string interfaceDescription;
  bool completed = false;       // ACM connection_complete came for the attempt
  uint32_t wlanReasonCode = 0;  // its wlanReasonCode (0: connected)
  bool timedOut = false;
  bool cancelled = false;
  // A call that failed before any notification could answer (WlanOpenHandle, WlanConnect, ...).
  uint32_t win32Error = 0;
  std::string call;
  std::string message;
  bool noInterface = false;
  // WlanConnect refused with 87 and the profile is a per-user one (WLAN_PROFILE_USER).
  bool perUserProfile = false;
  // The Remote Desktop session of this process (0: a service, no interactive user).
  bool hasSession = false;
  uint32_t session = 0;
  uint32_t malformed = 0;  // notifications whose sizes did not hold together (each also sent)
};

// The attempt: an installed profile by name, or (profileName empty) a WLANProfile document tried
// as a temporary profile, saved nowhere; the interface by GUID or description (empty: the first
// WLAN interface); how long to wait for the outcome.
struct WlanConnectRequest {
  std::string profileName;
  std::string profileXml;
  std::string interfaceName;
  uint32_t timeoutMs = 0;
};

using WlanNoticeSink = std::function<void(WlanNotice&&)>;

// Blocks for the whole attempt; `sink` is called from the WLAN callback's thread.
void RunWlanConnect(const WlanConnectRequest& request, WlanConnectControl& control, const WlanNoticeSink& sink,
                    WlanConnectOutcome* out);

}  // namespace eaphost
