#include "method_properties.h"

#include <new>

#include "../methods/support/config_xml.h"
#include "../methods/support/method_memory.h"

namespace eaphost {

namespace {

using eap::DWORD;

// One bit per EAP_METHOD_PROPERTY_TYPE 0..28 (the eapProp* flag of the same name is 1 << type).
constexpr DWORD Bit(eap::EAP_METHOD_PROPERTY_TYPE type) { return DWORD{1} << type; }

// Password methods without keys: one-way authentication of the peer, nothing more.
constexpr DWORD kPasswordOnly = Bit(eap::emptPropUserAuth) | Bit(eap::emptPropStandalone) | Bit(eap::emptPropSupportsConfig);

// EAP-MSCHAPv2: mutual authentication (the authenticator response, RFC 2759 §8.7) and an MSK
// from the MPPE master key (RFC 3079): 128-bit MPPE keys.
constexpr DWORD kMsChapV2 = kPasswordOnly | Bit(eap::emptPropMutualAuth) | Bit(eap::emptPropKeyDerivation) |
                            Bit(eap::emptPropKeyStrength128) | Bit(eap::emptPropMppeEncryption);

// TLS: negotiated cipher suites, integrity, replay protection and confidentiality of the
// handshake, a 64-byte MSK (512 bits), fragmentation (RFC 5216 §2.1.5), mutual authentication.
constexpr DWORD kTls = Bit(eap::emptPropCipherSuiteNegotiation) | Bit(eap::emptPropMutualAuth) | Bit(eap::emptPropIntegrity) |
                       Bit(eap::emptPropReplayProtection) | Bit(eap::emptPropConfidentiality) |
                       Bit(eap::emptPropKeyDerivation) | Bit(eap::emptPropKeyStrength128) |
                       Bit(eap::emptPropKeyStrength256) | Bit(eap::emptPropKeyStrength512) |
                       Bit(eap::emptPropDictionaryAttackResistance) | Bit(eap::emptPropSessionIndependence) |
                       Bit(eap::emptPropFragmentation) | Bit(eap::emptPropStandalone) | Bit(eap::emptPropMppeEncryption) |
                       Bit(eap::emptPropSupportsConfig) | Bit(eap::emptPropMachineAuth) | Bit(eap::emptPropUserAuth);

// PEAP, EAP-TTLS and TEAP: TLS around an inner authentication (a tunnel).
constexpr DWORD kTunnel = kTls | Bit(eap::emptPropTunnelMethod);

DWORD PropertiesOf(eap::BYTE type, const ConnectionDataSummary& summary) {
  switch (type) {
    case 4:
    case 6:
      return kPasswordOnly;
    case 26:
      return kMsChapV2;
    case 13:
      return kTls | (summary.anonymousIdentity ? Bit(eap::emptPropIdentityPrivacy) : 0);
    case 21:
    case 55:
      return kTunnel | (summary.anonymousIdentity ? Bit(eap::emptPropIdentityPrivacy) : 0);
    case 25:
      return kTunnel | (summary.anonymousIdentity ? Bit(eap::emptPropIdentityPrivacy) : 0) |
             (summary.requireCryptoBinding ? Bit(eap::emptPropCryptoBinding) : 0);
    default:
      return 0;
  }
}

}  // namespace

void FillMethodProperties(eap::BYTE type, const eap::BYTE* connectionData, eap::DWORD size,
                          eap::EAP_METHOD_PROPERTY_ARRAY* array) {
  ConnectionDataSummary summary = TakesConnectionData(type) ? SummarizeConnectionData(connectionData, size)
                                                            : ConnectionDataSummary();
  DWORD properties = PropertiesOf(type, summary);
  // Every boolean property 0..28, then the legacy flag word (the same bits as a DWORD).
  constexpr DWORD kBooleans = eap::emptPropSharedStateEquivalence + 1;
  constexpr DWORD kCount = kBooleans + 1;
  auto* items = static_cast<eap::EAP_METHOD_PROPERTY*>(AllocateMethodMemory(kCount * sizeof(eap::EAP_METHOD_PROPERTY)));
  if (items == nullptr) throw std::bad_alloc();
  for (DWORD i = 0; i < kBooleans; ++i) {
    items[i].eapMethodPropertyType = static_cast<eap::EAP_METHOD_PROPERTY_TYPE>(i);
    items[i].eapMethodPropertyValueType = eap::empvtBool;
    items[i].eapMethodPropertyValue.empvBool.length = sizeof(eap::BOOL);
    items[i].eapMethodPropertyValue.empvBool.value = (properties >> i) & 1 ? eap::kTrue : eap::kFalse;
  }
  items[kBooleans].eapMethodPropertyType = eap::emptLegacyMethodPropertyFlag;
  items[kBooleans].eapMethodPropertyValueType = eap::empvtDword;
  items[kBooleans].eapMethodPropertyValue.empvDword.length = sizeof(DWORD);
  items[kBooleans].eapMethodPropertyValue.empvDword.value = properties;
  array->dwNumberOfProperties = kCount;
  array->pMethodProperty = items;
}

}  // namespace eaphost
