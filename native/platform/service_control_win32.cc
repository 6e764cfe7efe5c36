// Windows: the service control manager's own calls (service_control.h).
#include "service_control.h"

#include <windows.h>

#include <string>
#include <vector>

#include "../common/utf16.h"
#include "win32_text_errors.h"

namespace eaphost {

namespace {

class ServiceHandle {
 public:
  explicit ServiceHandle(SC_HANDLE handle) : handle_(handle) {}
  ~ServiceHandle() {
    if (handle_ != nullptr) CloseServiceHandle(handle_);
  }
  ServiceHandle(const ServiceHandle&) = delete;
  ServiceHandle& operator=(const ServiceHandle&) = delete;
  SC_HANDLE get() const { return handle_; }

 private:
  SC_HANDLE handle_;
};

bool QueryState(SC_HANDLE service, const std::string& name, DWORD* state, EapErrorInfo* error) {
  SERVICE_STATUS_PROCESS status{};
  DWORD needed = 0;
  if (!QueryServiceStatusEx(service, SC_STATUS_PROCESS_INFO, reinterpret_cast<BYTE*>(&status), sizeof status,
                            &needed)) {
    *error = Win32Failure(GetLastError(), "QueryServiceStatusEx", "cannot read the state of the service " + name);
    return false;
  }
  *state = status.dwCurrentState;
  return true;
}

// Polls until the service is in `wanted` or `timeoutMs` passed.
bool WaitForState(SC_HANDLE service, const std::string& name, DWORD wanted, uint32_t timeoutMs, EapErrorInfo* error) {
  const ULONGLONG deadline = GetTickCount64() + timeoutMs;
  for (;;) {
    DWORD state = 0;
    if (!QueryState(service, name, &state, error)) return false;
    if (state == wanted) return true;
    if (GetTickCount64() >= deadline) {
      *error = Win32Failure(ERROR_SERVICE_REQUEST_TIMEOUT, "QueryServiceStatusEx",
                            "the service " + name + " did not reach state " + std::to_string(wanted) + " within " +
                                std::to_string(timeoutMs) + " ms (it is in state " + std::to_string(state) + ")");
      return false;
    }
    Sleep(100);
  }
}

bool ReadDependents(SC_HANDLE service, const std::string& name, std::vector<ServiceDependent>* out,
                    EapErrorInfo* error) {
  DWORD needed = 0, count = 0;
  if (EnumDependentServicesW(service, SERVICE_STATE_ALL, nullptr, 0, &needed, &count)) return true;  // none
  DWORD code = GetLastError();
  if (code != ERROR_MORE_DATA) {
    *error = Win32Failure(code, "EnumDependentServicesW", "cannot list the services that depend on " + name);
    return false;
  }
  std::vector<BYTE> buffer(needed);
  auto* services = reinterpret_cast<ENUM_SERVICE_STATUSW*>(buffer.data());
  if (!EnumDependentServicesW(service, SERVICE_STATE_ALL, services, needed, &needed, &count)) {
    *error = Win32Failure(GetLastError(), "EnumDependentServicesW", "cannot list the services that depend on " + name);
    return false;
  }
  for (DWORD i = 0; i < count; ++i) {
    const wchar_t* serviceName = services[i].lpServiceName;
    ServiceDependent dependent;
    dependent.name.assign(serviceName, serviceName + wcslen(serviceName));
    dependent.state = services[i].ServiceStatus.dwCurrentState;
    out->push_back(dependent);
  }
  return true;
}

}  // namespace

bool ControlWindowsService(const std::u16string& name, ServiceAction action, uint32_t timeoutMs, ServiceState* out,
                           EapErrorInfo* error) {
  const std::string shown = Utf16ToUtf8(name);
  ServiceHandle manager(OpenSCManagerW(nullptr, nullptr, SC_MANAGER_CONNECT));
  if (manager.get() == nullptr) {
    *error = Win32Failure(GetLastError(), "OpenSCManagerW", "cannot reach the service control manager");
    return false;
  }
  DWORD access = SERVICE_QUERY_STATUS | SERVICE_ENUMERATE_DEPENDENTS;
  if (action == ServiceAction::kStop) access |= SERVICE_STOP;
  if (action == ServiceAction::kStart) access |= SERVICE_START;
  ServiceHandle service(OpenServiceW(manager.get(), Wide(name).c_str(), access));
  if (service.get() == nullptr) {
    *error = Win32Failure(GetLastError(), "OpenServiceW", "cannot open the service " + shown);
    return false;
  }
  DWORD state = 0;
  if (!QueryState(service.get(), shown, &state, error)) return false;
  if (action == ServiceAction::kStop && state != SERVICE_STOPPED) {
    SERVICE_STATUS status{};
    if (!ControlService(service.get(), SERVICE_CONTROL_STOP, &status) && GetLastError() != ERROR_SERVICE_NOT_ACTIVE) {
      *error = Win32Failure(GetLastError(), "ControlService", "cannot stop the service " + shown);
      return false;
    }
    if (!WaitForState(service.get(), shown, SERVICE_STOPPED, timeoutMs, error)) return false;
  } else if (action == ServiceAction::kStart && state != SERVICE_RUNNING) {
    if (!StartServiceW(service.get(), 0, nullptr) && GetLastError() != ERROR_SERVICE_ALREADY_RUNNING) {
      *error = Win32Failure(GetLastError(), "StartServiceW", "cannot start the service " + shown);
      return false;
    }
    if (!WaitForState(service.get(), shown, SERVICE_RUNNING, timeoutMs, error)) return false;
  }
  if (!QueryState(service.get(), shown, &state, error)) return false;
  out->state = state;
  out->dependents.clear();
  return ReadDependents(service.get(), shown, &out->dependents, error);
}

bool DeleteAtReboot(const std::u16string& path, EapErrorInfo* error) {
  if (!MoveFileExW(Wide(path).c_str(), nullptr, MOVEFILE_DELAY_UNTIL_REBOOT)) {
    *error = Win32Failure(GetLastError(), "MoveFileExW",
                          "cannot have " + Utf16ToUtf8(path) + " deleted at the next restart");
    return false;
  }
  return true;
}

namespace {

constexpr wchar_t kSessionManager[] = L"SYSTEM\\CurrentControlSet\\Control\\Session Manager";

class RegistryKey {
 public:
  RegistryKey() = default;
  RegistryKey(const RegistryKey&) = delete;
  RegistryKey& operator=(const RegistryKey&) = delete;
  ~RegistryKey() {
    if (handle_ != nullptr) RegCloseKey(handle_);
  }
  HKEY* out() { return &handle_; }
  HKEY get() const { return handle_; }

 private:
  HKEY handle_ = nullptr;
};

std::string SessionManagerValue(const std::u16string& value) {
  return "HKLM\\SYSTEM\\CurrentControlSet\\Control\\Session Manager\\" + Utf16ToUtf8(value);
}

}  // namespace

bool ReadPendingRenames(const std::u16string& value, bool* exists, std::vector<uint8_t>* data, EapErrorInfo* error) {
  RegistryKey key;
  LSTATUS status = RegOpenKeyExW(HKEY_LOCAL_MACHINE, kSessionManager, 0, KEY_QUERY_VALUE | KEY_WOW64_64KEY, key.out());
  if (status != ERROR_SUCCESS) {
    *error = Win32Failure(static_cast<DWORD>(status), "RegOpenKeyExW", "cannot open the Session Manager key");
    return false;
  }
  std::wstring name = Wide(value);
  // The value may grow between the sizing call and the read (another installer appends): read again.
  for (int attempt = 0; attempt < 4; ++attempt) {
    DWORD type = 0;
    DWORD size = 0;
    status = RegQueryValueExW(key.get(), name.c_str(), nullptr, &type, nullptr, &size);
    *exists = status != ERROR_FILE_NOT_FOUND;
    if (!*exists) return true;
    if (status == ERROR_SUCCESS) {
      if (type != REG_MULTI_SZ) {
        *error =
            Win32Failure(ERROR_DATATYPE_MISMATCH, "RegQueryValueExW",
                         SessionManagerValue(value) + " is not a REG_MULTI_SZ (type " + std::to_string(type) + ")");
        return false;
      }
      data->assign(size, 0);
      status = RegQueryValueExW(key.get(), name.c_str(), nullptr, &type, size == 0 ? nullptr : data->data(), &size);
      if (status == ERROR_MORE_DATA) continue;
      if (status == ERROR_SUCCESS) {
        data->resize(size);
        return true;
      }
    }
    *error = Win32Failure(static_cast<DWORD>(status), "RegQueryValueExW", "cannot read " + SessionManagerValue(value));
    return false;
  }
  *error = Win32Failure(ERROR_MORE_DATA, "RegQueryValueExW", SessionManagerValue(value) + " kept growing while read");
  return false;
}

bool WritePendingRenames(const std::u16string& value, const std::vector<uint8_t>& data, EapErrorInfo* error) {
  RegistryKey key;
  LSTATUS status = RegOpenKeyExW(HKEY_LOCAL_MACHINE, kSessionManager, 0, KEY_SET_VALUE | KEY_WOW64_64KEY, key.out());
  std::wstring name = Wide(value);
  const char* call = "RegOpenKeyExW";
  if (status == ERROR_SUCCESS && data.empty()) {
    call = "RegDeleteValueW";
    status = RegDeleteValueW(key.get(), name.c_str());
    if (status == ERROR_FILE_NOT_FOUND) status = ERROR_SUCCESS;
  } else if (status == ERROR_SUCCESS) {
    call = "RegSetValueExW";
    status = RegSetValueExW(key.get(), name.c_str(), 0, REG_MULTI_SZ, data.data(), static_cast<DWORD>(data.size()));
  }
  if (status != ERROR_SUCCESS) {
    *error = Win32Failure(static_cast<DWORD>(status), call,
                          "cannot write " + SessionManagerValue(value) +
                              (status == ERROR_ACCESS_DENIED ? "; it needs an administrator" : ""));
    return false;
  }
  return true;
}

}  // namespace eaphost
