// The reason a CRL gives for revoking one serial (RFC 5280 §5.3.1 CRLReason, a CRL entry
// extension), read from the CRL's DER: the TLS libraries list revoked serials and dates but not
// why, and a refusal should say why ("keyCompromise" is not "superseded").
#pragma once

#include <string>

#include "../../common/byte_span.h"

namespace eaphost {
namespace tls {

// The reason's name ("keyCompromise", ...) for the entry of `serial` (its INTEGER content
// octets) in the DER CertificateList `crl`; empty when the entry has no reason or the CRL
// cannot be read. Every length is checked before it is read.
std::string CrlEntryReason(ByteSpan crl, ByteSpan serial);

// RFC 5280 CRLReason's name for its code (OCSP's revocationReason uses the same codes); ""
// for a code it does not define.
const char* CrlReasonName(unsigned int code);

}  // namespace tls
}  // namespace eaphost
