#include "eaphost_process.h"

#include <condition_variable>
#include <functional>
#include <map>
#include <mutex>
#include <string>
#include <thread>

#include "../common/thread_name.h"
#include "eaphost_library.h"

namespace eaphost {

namespace {

// The owner thread: enters the MTA once (EapHostPeerInitialize's own CoInitializeEx then only
// takes a reference, which its Uninitialize's CoUninitialize gives back on the same thread) and
// runs one job at a time for whoever holds the process lock.
class OwnerThread {
 public:
  OwnerThread() : thread_(StartNamedThread("eaphost owner", [this] { Run(); })) {}
  ~OwnerThread() {
    {
      std::lock_guard<std::mutex> lock(mutex_);
      stopping_ = true;
    }
    wake_.notify_all();
    thread_.join();
  }
  OwnerThread(const OwnerThread&) = delete;
  OwnerThread& operator=(const OwnerThread&) = delete;

  void RunAndWait(std::function<void()> job) {
    std::unique_lock<std::mutex> lock(mutex_);
    job_ = std::move(job);
    done_ = false;
    wake_.notify_all();
    wake_.wait(lock, [this] { return done_; });
  }

 private:
  void Run() {
    EapErrorInfo ignored;  // without an MTA of its own, EAPHost's Initialize makes one
    bool apartment = EnterHostApartment(&ignored);
    std::unique_lock<std::mutex> lock(mutex_);
    for (;;) {
      wake_.wait(lock, [this] { return stopping_ || job_ != nullptr; });
      if (job_ == nullptr) break;
      std::function<void()> job = std::move(job_);
      job_ = nullptr;
      lock.unlock();
      job();
      lock.lock();
      done_ = true;
      wake_.notify_all();
    }
    lock.unlock();
    if (apartment) LeaveHostApartment();
  }

  std::mutex mutex_;
  std::condition_variable wake_;
  std::function<void()> job_;
  bool done_ = false;
  bool stopping_ = false;
  std::thread thread_;
};

struct ProcessState {
  std::mutex mutex;  // held across each Initialize/Uninitialize, so they never overlap
  // Users per loaded EAPHost, keyed by its EapHostPeerInitialize: the same module loaded twice
  // (by every instance of the system backend, or one path opened twice) is one EAPHost.
  std::map<const void*, int> users;
  std::unique_ptr<OwnerThread> owner;  // while any EAPHost is initialized
};

// Never destroyed: an instance may still close while the process exits.
ProcessState& State() {
  static ProcessState* state = new ProcessState();
  return *state;
}

// EapHostPeerInitialize reaches the EapHost service over RPC: when the service is not running the
// call fails with an RPC error (as a Win32 code, or the same code as an HRESULT, 0x8007xxxx), and
// the caller's repair is to start it.
std::string RpcHint(eap::DWORD result) {
  const eap::DWORD code = (result & 0xffff0000u) == 0x80070000u ? (result & 0xffffu) : result;
  // RPC_S_SERVER_UNAVAILABLE, RPC_S_UNKNOWN_IF, RPC_S_CALL_FAILED, EPT_S_NOT_REGISTERED
  // (winerror.h), and ERROR_SERVICE_NOT_ACTIVE.
  const bool rpc = code == 1722 || code == 1717 || code == 1726 || code == 1753 || code == 1062;
  return rpc ? ": the EapHost service is not reachable; start it (Start-Service EapHost, as an administrator)" : "";
}

const void* KeyOf(const eap::EapHostPeerApi& api) { return reinterpret_cast<const void*>(api.EapHostPeerInitialize); }

}  // namespace

bool AcquireEapHostInitialization(const eap::EapHostPeerApi& api, EapErrorInfo* error) {
  ProcessState& state = State();
  std::lock_guard<std::mutex> lock(state.mutex);
  int& users = state.users[KeyOf(api)];
  if (users > 0) {
    ++users;
    return true;
  }
  if (!state.owner) state.owner = std::make_unique<OwnerThread>();
  eap::DWORD result = eap::kErrorSuccess;
  state.owner->RunAndWait([&api, &result] { result = api.EapHostPeerInitialize(); });
  if (result != eap::kErrorSuccess) {
    state.users.erase(KeyOf(api));
    if (state.users.empty()) state.owner.reset();
    *error = HostError(result, "EapHostPeerInitialize",
                       "EapHostPeerInitialize failed with Win32 error " + std::to_string(result) + RpcHint(result));
    error->origin = ErrorOrigin::kEapHost;
    return false;
  }
  users = 1;
  return true;
}

void ReleaseEapHostInitialization(const eap::EapHostPeerApi& api) {
  ProcessState& state = State();
  std::lock_guard<std::mutex> lock(state.mutex);
  auto found = state.users.find(KeyOf(api));
  if (found == state.users.end()) return;
  if (--found->second > 0) return;
  state.users.erase(found);
  state.owner->RunAndWait([&api] { api.EapHostPeerUninitialize(); });
  if (state.users.empty()) state.owner.reset();  // joins: its apartment ends with it
}

}  // namespace eaphost
