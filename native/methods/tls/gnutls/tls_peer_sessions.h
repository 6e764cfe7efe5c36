// The peer's memory of the sessions it had with each server, so the next authentication to the
// same server resumes (TLS 1.2 session / ticket, TLS 1.3 NewSessionTicket) instead of running a
// full handshake, as Windows keeps them within one EAPHost. A server is known by everything the
// peer trusts it with: the method, the trusted CAs (or `insecure`), the accepted server names, the
// peer's own certificate and the TLS versions it allows, so a session is never offered to a
// server the configuration would not have accepted, nor under another client identity.
#pragma once

#include "gnutls_headers.h"

#include <array>
#include <cstdint>

#include "../tls_config.h"

namespace eaphost {
namespace tls {

// Which server a configuration talks to: a SHA-256 digest of the parts above (no copy of the
// configuration is kept). False when no digest could be made: then nothing is kept or offered.
using ServerKey = std::array<std::uint8_t, 32>;
bool ServerKeyOf(const char* methodName, const TlsConfig& config, ServerKey* key);

// Offers the session last kept for this server (if any) on a client `session` not yet started;
// true when one was offered, with the TLS version it was made with in `version`.
bool OfferKeptSession(gnutls_session_t session, const ServerKey& key, gnutls_protocol_t* version);
// Drops what is kept for this server: it refused the session offered (a restarted server,
// another one behind the same name, a rotated ticket key), or the handshake that offered it
// failed, so the next authentication does not offer it again.
void ForgetSession(const ServerKey& key);
// Keeps the resumption data of an established client `session` for the next authentication to
// the same server (the caller waits, on TLS 1.3, for the server's ticket).
void KeepSession(gnutls_session_t session, const ServerKey& key);

}  // namespace tls
}  // namespace eaphost
