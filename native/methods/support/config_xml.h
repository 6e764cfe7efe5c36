// The XML of this module's methods, as EAPHost's configuration API carries it (see the README):
//
//   <Config xmlns="http://www.microsoft.com/provisioning/EapHostConfig">
//     <EapHostMethodConfig xmlns="urn:eaphost:config:1"> ... </EapHostMethodConfig>
//   </Config>
//   <Credentials xmlns="http://www.microsoft.com/provisioning/EapHostUserCredentials">
//     <EapHostMethodCredentials xmlns="urn:eaphost:credentials:1">
//       <Identity>alice</Identity> <Password>...</Password>
//     </EapHostMethodCredentials>
//   </Credentials>
//
// EAPHost hands EapPeerConfigXml2Blob / EapPeerCredentialsXml2Blob a document holding the
// Config (Credentials) element, and expects EapPeerConfigBlob2Xml to create the method's
// configuration inside a Config element; a document whose root is our element itself, or the
// whole EapHostConfig / EapHostUserCredentials, is
// accepted too. The configuration blob of EAP-TLS, PEAP and EAP-TTLS is the "eCFG" connection
// data (seam/connection_data.js, lib/core/connection-data.ts), written TLV for TLV in the order
// encodeConnectionData writes them, so XML-made and JS-made blobs are byte-equal; the other
// methods take no configuration (an empty element, an empty blob).
//
// Every function throws MethodFailure (ERROR_INVALID_DATA, EAP_E_EAPHOST_XML_MALFORMED) naming
// the element at fault, never a secret's value.
#pragma once

#include <string>
#include <vector>

#include "../../abi/eap_types.h"
#include "secret_bytes.h"

namespace eaphost {

constexpr const char kConfigNamespace[] = "urn:eaphost:config:1";
constexpr const char kCredentialsNamespace[] = "urn:eaphost:credentials:1";

// True for the methods whose configuration is connection data (EAP-TLS, PEAP, EAP-TTLS).
bool TakesConnectionData(eap::BYTE type);

// XML text of a Config document (or of EapHostMethodConfig) -> configuration blob.
void ConfigXmlToBlob(eap::BYTE type, const std::string& xml, SecretBytes* blob);
// Configuration blob -> the text of a <Config> element holding EapHostMethodConfig.
std::string ConfigBlobToXml(eap::BYTE type, const eap::BYTE* blob, eap::DWORD size);

// Credentials document text -> identity and password (UTF-8). EAP-TLS takes an identity only.
void CredentialsXmlToFields(eap::BYTE type, const std::string& xml, std::string* identity,
                            SecretBytes* password);

// What the connection data says about identity privacy and the PEAP cryptobinding, for
// EapPeerGetMethodProperties; an empty or unreadable blob says neither.
struct ConnectionDataSummary {
  bool anonymousIdentity = false;
  bool requireCryptoBinding = false;
};
ConnectionDataSummary SummarizeConnectionData(const eap::BYTE* blob, eap::DWORD size);

}  // namespace eaphost
