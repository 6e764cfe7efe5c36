#include "tls_keys.h"

#include "../../common/secure_zero.h"
#include "tls_config.h"

namespace eaphost {
namespace tls {

namespace {
void Material(TlsEngine& engine, eap::BYTE type, const char* tls12Label, std::uint8_t* out,
              std::size_t size) {
  const std::uint8_t context[1] = {type};
  if (engine.tls13()) {
    engine.Export("EXPORTER_EAP_TLS_Key_Material", ByteSpan{context, 1}, out, size);
  } else {
    engine.Export(tls12Label, ByteSpan{}, out, size);
  }
}
}  // namespace

void DeriveKeyMaterial(TlsEngine& engine, eap::BYTE type, const char* tls12Label,
                       std::uint8_t out[kKeyMaterialSize]) {
  Material(engine, type, tls12Label, out, kKeyMaterialSize);
}

void DeriveTunnelKeyMaterial(TlsEngine& engine, eap::BYTE type, const char* tls12Label,
                             std::uint8_t out[kTunnelKeyMaterialSize]) {
  Material(engine, type, tls12Label, out, kTunnelKeyMaterialSize);
}

std::vector<std::uint8_t> SessionId(TlsEngine& engine, eap::BYTE type) {
  std::vector<std::uint8_t> id(65);
  id[0] = type;
  if (engine.tls13()) {
    // RFC 9190 §2.3 and RFC 9427 §2.1: Method-Id = TLS-Exporter("EXPORTER_EAP_TLS_Method-Id",
    // Type-Code, 64) for every TLS-based method, EAP-TLS included (an early draft used an empty
    // context for EAP-TLS; hostapd and the RFC use the type byte).
    const std::uint8_t context[1] = {type};
    engine.Export("EXPORTER_EAP_TLS_Method-Id", ByteSpan{context, 1}, id.data() + 1, 64);
  } else {
    engine.HelloRandoms(id.data() + 1, id.data() + 33);
  }
  return id;
}

void DeriveMethodKeys(TlsEngine& engine, eap::BYTE type, const char* tls12Label, MethodKeys* keys) {
  std::uint8_t material[kKeyMaterialSize];
  DeriveKeyMaterial(engine, type, tls12Label, material);
  keys->msk.Assign(material, 64);
  keys->emsk.Assign(material + 64, 64);
  SecureZero(material, sizeof(material));
  keys->sessionId = SessionId(engine, type);
  keys->saysResumed = true;
  keys->resumed = engine.resumed();
}

std::string OuterIdentity(ByteSpan connectionData, const PeerCredentials* credentials) {
  TlsConfig config;
  ParseTlsConfig(connectionData, &config);
  if (!config.anonymousIdentity.empty()) return config.anonymousIdentity;
  return credentials != nullptr ? credentials->identity : std::string();
}

}  // namespace tls
}  // namespace eaphost
