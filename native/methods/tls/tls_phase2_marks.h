// MS-PEAP fast reconnect needs to know that a resumed TLS session once carried a successful
// phase 2, and whom it authenticated: resuming the session of a peer whose password failed
// must never skip to success. The authenticator marks the TLS 1.2 session cache entry when
// phase 2 succeeds (tls_credentials.h), reads the mark when a session resumes, and drops the
// entry when a conversation fails. TLS 1.3 sessions resume by tickets that GnuTLS seals with
// no room for such a mark, and the server cannot tell which ticket was used: they are never
// marked, so a resumed TLS 1.3 tunnel runs phase 2 in full.
#pragma once

#include <cstdint>
#include <string>

#include "tls_engine.h"

namespace eaphost {
namespace tls {

// Phase 2 of `methodType` (the tunnel method's EAP type) succeeded for `identity`.
void MarkPhase2Success(const TlsEngine& engine, std::uint8_t methodType, const std::string& identity);
// The session resumed one whose phase 2 of `methodType` succeeded: true, and who it was.
bool ResumedAfterPhase2(const TlsEngine& engine, std::uint8_t methodType, std::string* identity);
// The conversation failed: its session is not offered for resumption again.
void ForgetCachedSession(const TlsEngine& engine);

}  // namespace tls
}  // namespace eaphost
