#include "method_error.h"

#include "method_memory.h"
#include "wide_text.h"

namespace eaphost {

eap::EAP_ERROR* AllocateEapError(eap::DWORD winError, eap::DWORD reasonCode,
                                 const eap::EAP_METHOD_TYPE& methodType,
                                 const MethodErrorText& text) {
  std::size_t rootUnits = WideSizeOfUtf8(text.rootCause) + 1;
  std::size_t repairUnits = text.repair.empty() ? 0 : WideSizeOfUtf8(text.repair) + 1;
  // One block, so the host frees an error with one call and cannot leak its strings.
  std::size_t size = sizeof(eap::EAP_ERROR) + (rootUnits + repairUnits) * sizeof(eap::WCHAR);
  auto* error = static_cast<eap::EAP_ERROR*>(AllocateMethodMemory(size));
  if (error == nullptr) return nullptr;
  error->dwWinError = winError;
  error->type = methodType;
  error->dwReasonCode = reasonCode;
  error->rootCauseGuid = text.rootCauseGuid;
  auto* strings = reinterpret_cast<eap::WCHAR*>(error + 1);
  error->pRootCauseString = strings;
  WriteWideFromUtf8(text.rootCause, strings);
  if (repairUnits != 0) {
    error->pRepairString = strings + rootUnits;
    WriteWideFromUtf8(text.repair, error->pRepairString);
  }
  return error;
}

std::string Decimal(std::uint64_t value) {
  char digits[20];  // 2^64 - 1 has 20 digits
  std::size_t first = sizeof(digits);
  do {
    digits[--first] = static_cast<char>('0' + value % 10);
    value /= 10;
  } while (value != 0);
  return std::string(digits + first, digits + sizeof(digits));
}

void FreeEapError(eap::EAP_ERROR* error) { FreeMethodMemory(error); }

eap::DWORD RaiseError(eap::EAP_ERROR** ppEapError, const eap::EAP_METHOD_TYPE& methodType,
                      eap::DWORD winError, eap::DWORD reasonCode, const std::string& rootCause,
                      const std::string& repair, const eap::GUID& rootCauseGuid) {
  if (ppEapError != nullptr) {
    try {
      *ppEapError = AllocateEapError(winError, reasonCode, methodType, {rootCause, repair, rootCauseGuid});
    } catch (...) {
      // The error code alone still reaches the host.
      *ppEapError = nullptr;
    }
  }
  return winError;
}

eap::DWORD RaiseCallFailure(eap::EAP_ERROR** ppEapError, const eap::EAP_METHOD_TYPE& methodType,
                            eap::DWORD winError, const char* call, const char* what) noexcept {
  try {
    return RaiseError(ppEapError, methodType, winError, 0, std::string(call) + what);
  } catch (...) {
    if (ppEapError != nullptr) *ppEapError = nullptr;
    return winError;
  }
}

eap::DWORD RaiseFailure(eap::EAP_ERROR** ppEapError, const eap::EAP_METHOD_TYPE& methodType,
                        const MethodFailure& failure, const char* call) noexcept {
  try {
    return RaiseError(ppEapError, methodType, failure.winError, failure.reasonCode,
                      failure.rootCause, failure.repair, failure.rootCauseGuid);
  } catch (...) {
    return RaiseCallFailure(ppEapError, methodType, failure.winError, call, " failed");
  }
}

MethodFailure InvalidPacket(const std::string& why) {
  return MethodFailure{eap::kErrorInvalidData, eap::EAP_E_EAPHOST_METHOD_INVALID_PACKET, why,
                       std::string()};
}

MethodFailure InternalFailure(const std::string& what) {
  return MethodFailure{eap::kErrorInvalidState, 0,
                       "The system crypto library failed to " + what, std::string()};
}

}  // namespace eaphost
