// The user's personal certificate store (CurrentUser\My), where Windows' own EAP-TLS finds the
// client certificate it authenticates with: a PKCS#12 is imported there only when a caller asks
// (installing a profile), and looked up by thumbprint. Elsewhere: ERROR_NOT_SUPPORTED.
#pragma once

#include <string>
#include <vector>

#include "../common/eap_error_info.h"
#include "../hosts/method_values.h"

namespace eaphost {

// Imports every certificate of the PKCS#12 (its key kept by the user's key store, not
// exportable) into CurrentUser\My, replacing an identical one. `password` is wiped before
// return. *thumbprints gets each imported certificate's SHA-1 as uppercase hex. A wrong
// password fails with ERROR_INVALID_PASSWORD, as PFXImportCertStore reports it.
bool ImportUserPkcs12(const Bytes& pkcs12, std::string* password, std::vector<std::string>* thumbprints,
                      EapErrorInfo* error);

// Whether CurrentUser\My holds the certificate whose SHA-1 thumbprint is `sha1` (20 bytes),
// and whether Windows links a private key to it there.
bool FindUserCertificate(const Bytes& sha1, bool* found, bool* hasKey, EapErrorInfo* error);

}  // namespace eaphost
