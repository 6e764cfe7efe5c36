// EAP-TTLS phase 2 CHAP (RFC 5281 §11.2.2) and MS-CHAP (§11.2.3, RFC 2433), both sides. Neither
// sends its challenge over the wire in the clear sense: both sides derive it, with the CHAP
// Identifier behind it, from the tunnel ("ttls challenge"), and the authenticator refuses a
// challenge that is not the derived one. Neither proves the server: the TLS handshake did.
#pragma once

#include <cstdint>
#include <vector>

#include "../mschapv2/mschapv2_crypto.h"
#include "../../common/byte_span.h"
#include "../tls/tls_engine.h"
#include "ttls_avp.h"

namespace eaphost {
namespace ttls {

enum class ChapKind { kChap, kMsChap };

// Peer (User-Name is the caller's): appends CHAP-Challenge and CHAP-Password, or
// MS-CHAP-Challenge and MS-CHAP-Response (NT-Response only: Flags = 1, LM-Response zero).
// `password` is UTF-8.
void PutChapAvps(ChapKind kind, tls::TlsEngine& engine, ByteSpan password,
                 std::vector<std::uint8_t>* avps);

// Authenticator: what the peer answered, taken from its AVPs once the challenge is checked.
struct ChapAnswer {
  ChapKind kind = ChapKind::kChap;
  std::uint8_t ident = 0;
  std::uint8_t challenge[16] = {};
  std::uint8_t response[24] = {};  // CHAP: 16 bytes used; MS-CHAP: the NT-Response
  ~ChapAnswer();
};

// False when the AVPs carry neither CHAP nor MS-CHAP; throws MethodFailure (invalid packet)
// when they do but malformed, or with another challenge or Identifier than the derived ones.
bool TakeChapAnswer(const std::vector<Avp>& avps, tls::TlsEngine& engine, ChapAnswer* out);

// The NT hash (MS-CHAP, MS-CHAPv2) of the secret the store gave: its NT hash when it has one of
// the right size, else the hash of the clear password; false when it gave neither.
bool NtHashOfSecret(const ByteSpan* password, const ByteSpan* ntHash,
                    std::uint8_t out[mschapv2::kPasswordHashSize]);

// True when the answer was made with this secret: the clear password (CHAP, MS-CHAP) or the NT
// hash (MS-CHAP only); null means "not known".
bool ChapAnswerValid(const ChapAnswer& answer, const ByteSpan* password, const ByteSpan* ntHash);

}  // namespace ttls
}  // namespace eaphost
