// The X25519 half of the TLS methods' cryptographic floor, computed as GnuTLS computes it: the
// two scalar multiplications of nettle (libhogweed, the library GnuTLS links for its public-key
// arithmetic), timed on a worker thread. `openssl speed` gives the machine's floor with
// libcrypto; GnuTLS offers no hook to take X25519 from libcrypto, so serve's handshakes pay
// nettle's, and bench/targets.ts prints the floor both ways.
#pragma once

#include <napi.h>

namespace eaphost {

// x25519Floor({ count }) → Promise<{ count, keyShareCpuMs, secretCpuMs, anyNonZero, nettleVersion }>:
// `count` key shares made (curve25519_mul_g, the server's share) and `count` secrets derived
// (curve25519_mul, with the peer's share), each phase's CPU time on the worker thread.
Napi::Value X25519Floor(const Napi::CallbackInfo& info);

}  // namespace eaphost
