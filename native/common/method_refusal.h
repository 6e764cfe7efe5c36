// Why an authenticator method refused, carried from the method to its host. The method ABI's
// EapMethodAuthenticatorGetResult returns only a failure code on failure (no EAP_ERROR: the
// call itself succeeded), so the words that name a refused certificate (subject, serial, reason,
// revocation time) would stop inside the method. Our methods add one private attribute to a
// failed result's pAuthAttribs, and our host turns it back into the step's error. Only a host
// that asked gets it (flags bit12 of the method's configuration, seam/connection_data.js, as
// for conversation_facts.h): the words name a client's certificate, no business of a NAS's.
//
//   eaType eatVendorSpecific, value:
//     Vendor-Id (4, big-endian) 32473 | Vendor-Type (1) 1 | Vendor-Length (1) 0
//     winError (4, big-endian) | reasonCode (4, big-endian)
//     rootCause length (4, big-endian) | rootCause (UTF-8) | repair length (4) | repair (UTF-8)
//
// Vendor-Length 0 is impossible in RADIUS (it counts its own two bytes), so the attribute can
// never be mistaken for a well-formed RADIUS Vendor-Specific.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "../abi/eap_types.h"
#include "eap_error_info.h"

namespace eaphost {

constexpr eap::DWORD kRefusalVendorId = 32473;
constexpr eap::BYTE kRefusalVendorType = 1;
constexpr std::size_t kMaxRefusalText = 4096;

// The attribute's value; texts past kMaxRefusalText bytes are cut.
std::vector<std::uint8_t> EncodeRefusal(eap::DWORD winError, eap::DWORD reasonCode, const std::string& rootCause,
                                        const std::string& repair);

// True when `attribute` is a refusal (well-formed, every length inside the value): `error`
// then holds it as a method's error of call `call`.
bool DecodeRefusal(const eap::EAP_ATTRIBUTE& attribute, const char* call, EapErrorInfo* error);

}  // namespace eaphost
