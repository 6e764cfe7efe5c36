// One peer connection's part in session resumption (the store is tls_peer_sessions.h): which
// server it talks to, whether it offered a kept session and what became of it, and when the new
// session is worth keeping for the next authentication to the same server. An authenticator's
// connection has none of this: every call is then a no-op.
#pragma once

#include "gnutls_headers.h"

#include "../tls_config.h"
#include "tls_peer_sessions.h"

namespace eaphost {
namespace tls {

class PeerResumption {
 public:
  PeerResumption(bool client, const char* methodName, const TlsConfig& config);

  // Only EAP-TLS resumes TLS 1.3 sessions (see Keep); a tunnel method's peer asks for no
  // tickets, which a TLS 1.3 server would otherwise make and send for nothing.
  bool wantsTickets() const { return tls13Resumable_; }
  // Offers the session kept for this server on a client `session` not yet started.
  void Offer(gnutls_session_t session);
  // The handshake of `session` is complete, resumed or not; keeps it when it can be resumed.
  void Established(gnutls_session_t session);
  // Keeps `session` (null: none yet) once there is something to resume with.
  void Keep(gnutls_session_t session);
  // The session offered is of no more use: not taken, or the handshake that offered it failed.
  void ForgetOffered();

 private:
  ServerKey server_{};
  bool resumable_ = false;
  bool kept_ = false;
  bool tls13Resumable_ = false;
  bool offered_ = false;
  gnutls_protocol_t offeredVersion_ = GNUTLS_VERSION_UNKNOWN;
};

}  // namespace tls
}  // namespace eaphost
