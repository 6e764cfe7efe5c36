// The longest certificate chain verified, leaf included: GnuTLS's default verification depth
// (DEFAULT_MAX_VERIFY_DEPTH, past which it answers only "Some constraint limits were reached";
// a real chain holds 2 to 4). A longer chain is read whole and refused as "longer than" this,
// naming the count sent, never as a missing issuer or a constraint: by the TLS methods
// (methods/tls/gnutls/tls_verify.cc) and by RADIUS/DTLS (radius/dtls/radius_dtls_session.cc).
#pragma once

namespace eaphost {

constexpr unsigned int kMaxVerifiedChainLength = 16;

}  // namespace eaphost
