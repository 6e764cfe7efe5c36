// Windows services through the service control manager (OpenSCManagerW, OpenServiceW,
// QueryServiceStatusEx, EnumDependentServicesW, ControlService, StartServiceW): what `eaphost
// register --restart-service` needs to make EapHost read its registrations again, stopping first
// the services that depend on it (Wired AutoConfig) and starting them after. States are the
// SCM's numbers, never a program's text in the machine's language. Elsewhere there is no SCM:
// every call fails with ERROR_NOT_SUPPORTED. And a file deleted at the next restart
// (MoveFileExW, MOVEFILE_DELAY_UNTIL_REBOOT), for a copy the service still holds, and the list
// Session Manager deletes by at boot (PendingFileRenameOperations), read and rewritten as its
// bytes: lib/register/pending-renames.ts alone reads and writes its format.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "../common/eap_error_info.h"

namespace eaphost {

enum class ServiceAction { kQuery, kStop, kStart };

struct ServiceDependent {
  std::u16string name;
  uint32_t state = 0;  // SERVICE_STOPPED (1) ... SERVICE_PAUSED (7)
};

struct ServiceState {
  uint32_t state = 0;
  std::vector<ServiceDependent> dependents;  // EnumDependentServicesW's order: stop in it, start in reverse
};

// Does `action` to the service and waits up to `timeoutMs` for it to reach STOPPED or RUNNING;
// then reads its state and its dependents' into *out.
bool ControlWindowsService(const std::u16string& name, ServiceAction action, uint32_t timeoutMs, ServiceState* out,
                           EapErrorInfo* error);

// Has Windows delete `path` when it next starts (needs an administrator).
bool DeleteAtReboot(const std::u16string& path, EapErrorInfo* error);

// `value` (PendingFileRenameOperations or PendingFileRenameOperations2) under
// HKLM\SYSTEM\CurrentControlSet\Control\Session Manager: its REG_MULTI_SZ data as stored.
// *exists is false when the value is not there; a value of another type is a failure.
bool ReadPendingRenames(const std::u16string& value, bool* exists, std::vector<uint8_t>* data, EapErrorInfo* error);
// Sets `value` to `data` as REG_MULTI_SZ, or deletes it when `data` is empty (needs an administrator).
bool WritePendingRenames(const std::u16string& value, const std::vector<uint8_t>& data, EapErrorInfo* error);

}  // namespace eaphost
