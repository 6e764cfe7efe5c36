// Elsewhere than Windows there is no GetAdaptersAddresses (network_adapters.h).
#include "network_adapters.h"

namespace eaphost {

bool ReadNetworkAdapters(std::vector<NetworkAdapter>*, EapErrorInfo* error) {
  *error = HostError(eap::kErrorNotSupported, "GetAdaptersAddresses", "GetAdaptersAddresses exists only on Windows");
  return false;
}

}  // namespace eaphost
