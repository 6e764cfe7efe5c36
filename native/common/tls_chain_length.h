// The longest certificate chain verified, leaf included (kMaxVerifiedChainLength, declared once in
// seam/seam.js and generated into generated/constants.h, which the facade's node:tls checks read
// too: lib/radius/radsec/chain-length.ts). GnuTLS's default verification depth; a real chain holds
// 2 to 4. A longer chain is read whole and refused as "longer than" this, naming the count sent,
// never as a missing issuer or a constraint: by the TLS methods (methods/tls/gnutls/tls_verify.cc)
// and by RADIUS/DTLS (radius/dtls/radius_dtls_session.cc).
#pragma once

#include "generated/constants.h"
