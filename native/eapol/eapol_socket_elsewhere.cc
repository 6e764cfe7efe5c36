// EAPOL on the wire is Linux-only here: Windows runs 802.1X in Wired AutoConfig (dot3svc), whose
// LAN profile is the way in; macOS has no link-layer socket an unprivileged addon can use.
#include "eapol_socket.h"

namespace eaphost::eapol {

std::unique_ptr<EapolSocket> OpenEapolSocket(const std::string& interfaceName, EapolSocket::FrameSink,
                                             PortError* error) {
  error->code = "ERR_EAPOL_LINUX_ONLY";
  error->message = "cannot open an EAPOL port on " + interfaceName +
                   ": EAPOL on the wire is Linux-only here (on Windows, Wired AutoConfig runs 802.1X and a LAN "
                   "profile is the way in)";
  return nullptr;
}

}  // namespace eaphost::eapol
