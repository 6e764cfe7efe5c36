#include "tls_peer_resumption.h"

#include <cstring>

namespace eaphost {
namespace tls {

PeerResumption::PeerResumption(bool client, const char* methodName, const TlsConfig& config)
    // A peer configured with session lifetime 0 neither offers nor keeps a session: every
    // handshake is a full one (what `eaphost audit` needs to see each server's whole chain).
    : resumable_(client && config.sessionLifetime != 0 && ServerKeyOf(methodName, config, &server_)),
      tls13Resumable_(std::strcmp(methodName, "EAP-TLS") == 0) {}

void PeerResumption::Offer(gnutls_session_t session) {
  if (resumable_) offered_ = OfferKeptSession(session, server_, &offeredVersion_);
}

void PeerResumption::Established(gnutls_session_t session) {
  if (gnutls_session_is_resumed(session) == 0) {
    // The server did not take the session offered (it ran a full handshake, which GnuTLS
    // followed): offering it again would only repeat the refusal.
    const bool fromTls12 = offered_ && offeredVersion_ == GNUTLS_TLS1_2;
    ForgetOffered();
    // A TLS 1.3 ClientHello that offered a TLS 1.2 session carried its Session ID, which the
    // server echoed and GnuTLS keeps as the new session's: offered later to a TLS 1.2 server
    // whose cache still knows that ID, it would resume the old session with the new session's
    // secrets ("decryption has failed"). Such a session is not kept; the next full handshake
    // makes one with an ID of its own.
    if (fromTls12 && gnutls_protocol_get_version(session) == GNUTLS_TLS1_3) kept_ = true;
  }
  Keep(session);
}

// Kept as soon as there is something to resume with: a TLS 1.2 session once established, a
// TLS 1.3 one once the server's first ticket has been read (the EAP session may live on long
// after the result).
void PeerResumption::Keep(gnutls_session_t session) {
  if (!resumable_ || kept_ || session == nullptr) return;
  if (gnutls_protocol_get_version(session) == GNUTLS_TLS1_3) {
    // A tunnel method (PEAP, EAP-TTLS) resumed over TLS 1.3 goes straight to encrypted
    // phase-2 data, and hostapd 2.10 then drops the NewSessionTicket record it wrote before
    // that data: the record sequence breaks and the tunnel cannot be decrypted. Only EAP-TLS,
    // which ends with the handshake, resumes TLS 1.3 sessions.
    if (!tls13Resumable_) return;
    if ((gnutls_session_get_flags(session) & GNUTLS_SFLAGS_SESSION_TICKET) == 0) return;
  }
  kept_ = true;
  KeepSession(session, server_);
}

void PeerResumption::ForgetOffered() {
  if (!offered_) return;
  offered_ = false;
  ForgetSession(server_);
}

}  // namespace tls
}  // namespace eaphost
