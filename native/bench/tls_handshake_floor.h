// The TLS methods' floor for the benchmark: GnuTLS's own full handshake, both ends in one thread
// over memory, with no EAP, no certificate verification and no phase 2 around it. bench/
// divides the TLS methods' rates by it to say how much of an authentication is GnuTLS's
// handshake and how much is ours. GnuTLS is the method modules' TLS library off Windows only
// (Windows' own EAPHost serves the TLS methods there), so the Windows build of the bench addon
// reports the floor as unavailable.
#pragma once

#include <napi.h>

namespace eaphost {

// tlsHandshakeFloor({ serverCertificate, serverKey, ca, priority, serverName, count,
//                     clientCertificate?, clientKey? })
//   → Promise<{ handshakes, elapsedMs, cpuMs, version, group, cipher, serverSignature }>
Napi::Value TlsHandshakeFloor(const Napi::CallbackInfo& info);

// The calling thread's CPU time in milliseconds: both floors time their worker thread with it
// (POSIX builds only; defined in tls_handshake_floor_posix.cc).
double ThreadCpuMs();

}  // namespace eaphost
