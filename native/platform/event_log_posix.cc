// Windows' event log exists only on Windows; Linux's connect reads NetworkManager over D-Bus.
#include "event_log.h"

namespace eaphost {

bool QueryEventLog(const EventLogQuery&, std::vector<std::string>*, EapErrorInfo* error) {
  *error = HostError(eap::kErrorNotSupported, "EvtQuery", "the Windows event log (wevtapi.dll) exists only on Windows");
  return false;
}

}  // namespace eaphost
