// The failure codes the TLS-based methods report. EAPHost's reasons (eaphosterror.h) say which
// certificate check failed; dwWinError carries the matching CERT_E_* / SEC_E_* code (winerror.h)
// that Windows' own methods report for the same problem.
#pragma once

#include "../../abi/eap_types.h"

namespace eaphost {
namespace tls {

// eaphosterror.h
constexpr eap::DWORD kEapServerCertInvalid = 0x80420201;   // EAP_E_SERVER_CERT_INVALID
constexpr eap::DWORD kEapServerCertExpired = 0x80420202;   // EAP_E_SERVER_CERT_EXPIRED
constexpr eap::DWORD kEapServerCertRevoked = 0x80420203;   // EAP_E_SERVER_CERT_REVOKED
constexpr eap::DWORD kEapServerRootCertNotFound = 0x80420400;  // EAP_E_SERVER_ROOT_CERT_NOT_FOUND
constexpr eap::DWORD kEapUserCertNotFound = 0x80420100;    // EAP_E_USER_CERT_NOT_FOUND
constexpr eap::DWORD kEapUserCertInvalid = 0x80420101;     // EAP_E_USER_CERT_INVALID
constexpr eap::DWORD kEapUserCertRevoked = 0x80420103;     // EAP_E_USER_CERT_REVOKED
constexpr eap::DWORD kEapUserCertRejected = 0x80420105;    // EAP_E_USER_CERT_REJECTED

// winerror.h
constexpr eap::DWORD kCertExpired = 0x800B0101;         // CERT_E_EXPIRED
constexpr eap::DWORD kCertRevoked = 0x800B010C;         // CERT_E_REVOKED
constexpr eap::DWORD kCertUntrustedRoot = 0x800B0109;   // CERT_E_UNTRUSTEDROOT
constexpr eap::DWORD kCertNameMismatch = 0x800B010F;    // CERT_E_CN_NO_MATCH
constexpr eap::DWORD kCertWrongUsage = 0x800B0110;      // CERT_E_WRONG_USAGE
constexpr eap::DWORD kCertUntrustedCa = 0x800B0112;     // CERT_E_UNTRUSTEDCA
constexpr eap::DWORD kCryptNoRevocationCheck = 0x80092012;  // CRYPT_E_NO_REVOCATION_CHECK
constexpr eap::DWORD kCryptRevocationOffline = 0x80092013;  // CRYPT_E_REVOCATION_OFFLINE (a stale CRL)
constexpr eap::DWORD kSecInternalError = 0x80090304;    // SEC_E_INTERNAL_ERROR
constexpr eap::DWORD kSecIllegalMessage = 0x80090326;   // SEC_E_ILLEGAL_MESSAGE
constexpr eap::DWORD kSecUnsupportedFunction = 0x80090302;  // SEC_E_UNSUPPORTED_FUNCTION (no common TLS version)
constexpr eap::DWORD kSecCertUnknown = 0x80090327;      // SEC_E_CERT_UNKNOWN (a key too weak)

}  // namespace tls
}  // namespace eaphost
