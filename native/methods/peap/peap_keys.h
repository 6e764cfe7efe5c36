// What the PEAPv0 peer and authenticator share beyond the TLVs: the method's name for the TLS
// flow, the inner EAP types both ends look for, and the keys PEAP exports once it succeeds —
// the compound session key when cryptobinding took place (MS-PEAP §3.1.5.5), the TLS key
// export with the "client EAP encryption" label otherwise (RFC 5216 §2.3, as EAP-TLS).
#pragma once

#include <cstdint>

#include "../../common/secure_zero.h"
#include "../support/method_error.h"
#include "../method.h"
#include "../tls/tls_flow.h"
#include "../tls/tls_keys.h"
#include "peap_method.h"
#include "peap_tlv.h"

namespace eaphost {
namespace peap {

constexpr tls::TlsMethodInfo kInfo{kEapTypePeap, kMethodTitlePeap};
constexpr const char* kKeyLabel = "client EAP encryption";
constexpr std::uint8_t kTypeIdentity = 1;
constexpr std::uint8_t kTypeNak = 3;

// The MSK/EMSK and session id of a successful PEAP conversation; `bound` says whether the
// Cryptobinding TLV was exchanged (then `ipmk` holds the inner methods' compound key).
inline void DeriveSessionKeys(tls::TlsEngine& engine, bool bound, const std::uint8_t ipmk[kIpmkSize],
                              MethodKeys* keys) {
  if (!bound) {
    tls::DeriveMethodKeys(engine, kEapTypePeap, kKeyLabel, keys);
    return;
  }
  std::uint8_t msk[64];
  if (!CompoundSessionKey(ipmk, msk, sizeof(msk))) throw InternalFailure("PEAP key derivation failed");
  keys->msk.Assign(msk, sizeof(msk));
  SecureZero(msk, sizeof(msk));
  keys->sessionId = tls::SessionId(engine, kEapTypePeap);
  keys->saysResumed = true;
  keys->resumed = engine.resumed();
}

}  // namespace peap
}  // namespace eaphost
