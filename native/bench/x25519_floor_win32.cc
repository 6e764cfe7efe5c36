// The nettle X25519 floor (x25519_floor.h) is measured off Windows only, as GnuTLS's handshake
// floor is (tls_handshake_floor_win32.cc).
#include "x25519_floor.h"

namespace eaphost {

Napi::Value X25519Floor(const Napi::CallbackInfo& info) {
  throw Napi::Error::New(info.Env(), "the nettle X25519 floor is measured off Windows only");
}

}  // namespace eaphost
