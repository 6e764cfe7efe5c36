// Windows has no GnuTLS floor (tls_handshake_floor.h): Windows' own EAPHost serves the TLS
// methods there, not our GnuTLS engine.
#include "tls_handshake_floor.h"

namespace eaphost {

Napi::Value TlsHandshakeFloor(const Napi::CallbackInfo& info) {
  throw Napi::Error::New(info.Env(), "the GnuTLS handshake floor is measured off Windows only");
}

}  // namespace eaphost
