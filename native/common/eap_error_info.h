// An EAP error as the hosts and the addon carry it: an owned copy of an EAP_ERROR plus where
// it came from. Method- and EAPHost-allocated EAP_ERRORs are copied into this and freed at
// once with their owner's function, so nothing downstream ever holds foreign memory.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "../abi/eap_types.h"

namespace eaphost {

enum class ErrorOrigin {
  kMethod,   // an EAP_ERROR returned by a method module
  kEapHost,  // an EAP_ERROR returned by an EapHostPeer* function
  kHost,     // raised by this project's hosts (call order, bad input, loading)
};

struct EapErrorInfo {
  eap::DWORD win32Error = 0;
  eap::EAP_METHOD_TYPE methodType{};
  eap::DWORD reasonCode = 0;
  eap::GUID rootCauseGuid{};
  eap::GUID repairGuid{};
  eap::GUID helpLinkGuid{};
  std::u16string rootCauseString;
  std::u16string repairString;
  std::string call;   // the ABI call that failed, e.g. "EapPeerProcessRequestPacket"
  std::string state;  // host state when a call was refused, e.g. "Idle"; empty otherwise
  ErrorOrigin origin = ErrorOrigin::kHost;
  // A TLS handshake of this package's peer methods that this side refused (the cause GUID says
  // so, common/tls_outcome.h): the certificates the server had sent (DER, leaf first), read from
  // the session's result, so a refused chain can be shown; empty when none came or none is known.
  std::vector<std::vector<std::uint8_t>> serverCertificates;
  // And the OCSP response it stapled (DER), when the peer asked for one: the refusal may be its.
  std::vector<std::uint8_t> ocspStaple;
};

// Copies a foreign EAP_ERROR (may be null: then only win32Error and call are set).
EapErrorInfo CopyEapError(const eap::EAP_ERROR* error, eap::DWORD win32Error, const char* call,
                          ErrorOrigin origin);

// An error raised by this project's own code, with an ASCII/UTF-8 message as root cause.
EapErrorInfo HostError(eap::DWORD win32Error, const char* call, const std::string& message,
                       const std::string& state = std::string());

}  // namespace eaphost
