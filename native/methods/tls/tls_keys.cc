#include "tls_keys.h"

#include "../../common/secure_zero.h"
#include "tls_config.h"

namespace eaphost {
namespace tls {

void DeriveKeyMaterial(TlsEngine& engine, eap::BYTE type, const char* tls12Label,
                       std::uint8_t out[kKeyMaterialSize]) {
  const std::uint8_t context[1] = {type};
  if (engine.tls13()) {
    engine.Export("EXPORTER_EAP_TLS_Key_Material", ByteSpan{context, 1}, out, kKeyMaterialSize);
  } else {
    engine.Export(tls12Label, ByteSpan{}, out, kKeyMaterialSize);
  }
}

void DeriveMethodKeys(TlsEngine& engine, eap::BYTE type, const char* tls12Label, MethodKeys* keys) {
  std::uint8_t material[kKeyMaterialSize];
  DeriveKeyMaterial(engine, type, tls12Label, material);
  keys->msk.Assign(material, 64);
  keys->emsk.Assign(material + 64, 64);
  SecureZero(material, sizeof(material));
}

std::string OuterIdentity(ByteSpan connectionData, const PeerCredentials* credentials) {
  TlsConfig config;
  ParseTlsConfig(connectionData, &config);
  if (!config.anonymousIdentity.empty()) return config.anonymousIdentity;
  return credentials != nullptr ? credentials->identity : std::string();
}

}  // namespace tls
}  // namespace eaphost
