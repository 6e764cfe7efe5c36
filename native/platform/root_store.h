// Windows' Root certificate stores, which Windows' own PEAP / EAP-TLS / EAP-TTLS trust a server
// through: TrustedRootCA thumbprints in a profile only select among installed roots. Looking a
// CA up is done before a session begins (a CA nobody installed fails every authentication,
// silently with prompts disabled); installing one is only ever an explicit call, since it is a
// security decision. Elsewhere there are no such stores: both fail with ERROR_NOT_SUPPORTED.
#pragma once

#include <string>
#include <vector>

#include "../common/eap_error_info.h"
#include "../hosts/method_values.h"

namespace eaphost {

// The Root stores ("LocalMachine", "CurrentUser") holding the certificate whose SHA-1
// thumbprint is `sha1` (20 bytes).
bool FindRootCertificate(const Bytes& sha1, std::vector<std::string>* stores, EapErrorInfo* error);
// Adds the DER certificate to LocalMachine\Root (needs an administrator) or CurrentUser\Root
// (Windows asks the user to confirm).
bool InstallRootCertificate(const Bytes& der, bool localMachine, EapErrorInfo* error);
// Deletes the certificate whose SHA-1 thumbprint is `sha1` from that Root store; *removed says
// whether the store held it (a store without it is not an error).
bool RemoveRootCertificate(const Bytes& sha1, bool localMachine, bool* removed, EapErrorInfo* error);

}  // namespace eaphost
