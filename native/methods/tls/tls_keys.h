// Keys and identities every TLS-based method derives the same way.
#pragma once

#include <string>

#include "../method.h"
#include "tls_engine.h"

namespace eaphost {
namespace tls {

constexpr std::size_t kKeyMaterialSize = 128;  // MSK (64) ‖ EMSK (64)

// RFC 5216 §2.3 / RFC 5281 §8 / MS-PEAP on TLS 1.2: PRF(master, tls12Label, randoms);
// RFC 9190 §2.3 / RFC 9427 §2.1 on TLS 1.3: the exporter "EXPORTER_EAP_TLS_Key_Material" with
// the EAP type as context. Fills 128 bytes.
void DeriveKeyMaterial(TlsEngine& engine, eap::BYTE type, const char* tls12Label,
                       std::uint8_t out[kKeyMaterialSize]);
// The same derivation asked for only 64 bytes. On TLS 1.2 those are the first 64 bytes of the
// 128 above; on TLS 1.3 the exporter's output depends on the length asked for. A PEAP tunnel key
// (TK, MS-PEAP §3.1.5.5.2) is cut from the 128-byte key material (RFC 9427, and wpa_supplicant
// 2.10's peer), but hostapd 2.10's PEAP server cuts it from this 64-byte export, so a peer
// checking a TLS 1.3 cryptobinding tries both.
constexpr std::size_t kTunnelKeyMaterialSize = 64;
void DeriveTunnelKeyMaterial(TlsEngine& engine, eap::BYTE type, const char* tls12Label,
                             std::uint8_t out[kTunnelKeyMaterialSize]);
// The Session-Id (RFC 5247 §1.2 and appendix; RFC 5216 §2.3): TLS 1.2 — Type ‖ client.random ‖
// server.random; TLS 1.3 — Type ‖ the exporter "EXPORTER_EAP_TLS_Method-Id" (64 bytes), whose
// context is the Type for every method (RFC 9190 §2.3, RFC 9427 §2.1). 65 bytes either way.
std::vector<std::uint8_t> SessionId(TlsEngine& engine, eap::BYTE type);
// MSK = first 64 bytes, EMSK = the next 64, the Session-Id, and whether the session resumed.
void DeriveMethodKeys(TlsEngine& engine, eap::BYTE type, const char* tls12Label, MethodKeys* keys);

// The identity a TLS-based peer answers EAP-Identity with: the configured anonymous outer
// identity, else the user's (MethodDescriptor::peerIdentity).
std::string OuterIdentity(ByteSpan connectionData, const PeerCredentials* credentials);

}  // namespace tls
}  // namespace eaphost
