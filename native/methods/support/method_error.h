// EAP_ERRORs raised by a method module, and the guard every exported ABI function runs in.
//
// Contract with hosts: whenever a method function returns non-zero and the caller passed
// ppEapError, *ppEapError is an EAP_ERROR (unless memory ran out), allocated as ONE block
// (struct + both strings) and released by the module's Free*ErrorMemory export.
#pragma once

#include <cstdint>
#include <new>
#include <string>

#include "../../abi/eap_types.h"

namespace eaphost {

// A method's failure, thrown from EAP logic and turned into the running routine's EAP_ERROR by
// GuardAbiCall, so a method reads `throw InvalidPacket("...")` instead of threading errors.
struct MethodFailure {
  eap::DWORD winError;
  eap::DWORD reasonCode;  // an EAP_E_* value or 0
  std::string rootCause;  // names the numbers that show what went wrong; never a secret
  std::string repair;
  eap::GUID rootCauseGuid{};  // a cause a host acts on (common/root_causes.h); zero: none
};

// Shorthands for the failures every method raises.
MethodFailure InvalidPacket(const std::string& why);
MethodFailure InternalFailure(const std::string& what);

struct MethodErrorText {
  std::string rootCause;  // UTF-8; what went wrong, with the numbers that show it
  std::string repair;     // UTF-8; may be empty
  eap::GUID rootCauseGuid{};
};

// nullptr when memory is exhausted.
eap::EAP_ERROR* AllocateEapError(eap::DWORD winError, eap::DWORD reasonCode,
                                 const eap::EAP_METHOD_TYPE& methodType,
                                 const MethodErrorText& text);
void FreeEapError(eap::EAP_ERROR* error);

// Stores an EAP_ERROR in *ppEapError (when the caller gave somewhere to put it) and returns
// winError, so a failing path reads `return RaiseError(...)`.
eap::DWORD RaiseError(eap::EAP_ERROR** ppEapError, const eap::EAP_METHOD_TYPE& methodType,
                      eap::DWORD winError, eap::DWORD reasonCode, const std::string& rootCause,
                      const std::string& repair = std::string(), const eap::GUID& rootCauseGuid = eap::GUID{});

// Decimal text for error messages. std::to_string is avoided in method modules: libstdc++
// gives its digit table STB_GNU_UNIQUE binding, which is exported and stops dlclose from ever
// unloading the module.
std::string Decimal(std::uint64_t value);

// For the exception guard: never throws, even when building the message cannot allocate.
eap::DWORD RaiseCallFailure(eap::EAP_ERROR** ppEapError, const eap::EAP_METHOD_TYPE& methodType,
                            eap::DWORD winError, const char* call, const char* what) noexcept;
// RaiseError for a thrown MethodFailure; never throws.
eap::DWORD RaiseFailure(eap::EAP_ERROR** ppEapError, const eap::EAP_METHOD_TYPE& methodType,
                        const MethodFailure& failure, const char* call) noexcept;

// Runs one ABI call: clears *ppEapError first (hosts may pass uninitialised storage) and turns
// any C++ exception into an error return, because none may cross the C ABI into the host.
template <typename Body>
eap::DWORD GuardAbiCall(eap::EAP_ERROR** ppEapError, const eap::EAP_METHOD_TYPE& methodType,
                        const char* call, Body&& body) {
  if (ppEapError != nullptr) *ppEapError = nullptr;
  try {
    return body();
  } catch (const MethodFailure& failure) {
    return RaiseFailure(ppEapError, methodType, failure, call);
  } catch (const std::bad_alloc&) {
    return RaiseCallFailure(ppEapError, methodType, eap::kErrorNotEnoughMemory, call,
                            " ran out of memory");
  } catch (...) {
    return RaiseCallFailure(ppEapError, methodType, eap::kErrorInvalidState, call,
                            " failed with an unexpected internal exception");
  }
}

}  // namespace eaphost
