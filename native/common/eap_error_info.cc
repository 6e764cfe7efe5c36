#include "eap_error_info.h"

#include "utf16.h"

namespace eaphost {

namespace {
// Root-cause and repair strings come from foreign code: cap what we read so a missing
// terminator cannot walk us through memory.
constexpr std::size_t kMaxErrorStringUnits = 4096;

std::u16string CopyBounded(const eap::WCHAR* text) {
  if (text == nullptr) return std::u16string();
  std::size_t n = WideLength(text, kMaxErrorStringUnits);
  std::u16string out;
  out.reserve(n);
  for (std::size_t i = 0; i < n; ++i) out.push_back(static_cast<char16_t>(text[i]));
  return out;
}
}  // namespace

EapErrorInfo CopyEapError(const eap::EAP_ERROR* error, eap::DWORD win32Error, const char* call,
                          ErrorOrigin origin) {
  EapErrorInfo info;
  info.win32Error = win32Error;
  info.call = call ? call : "";
  info.origin = origin;
  if (error != nullptr) {
    if (error->dwWinError != 0) info.win32Error = error->dwWinError;
    info.methodType = error->type;
    info.reasonCode = error->dwReasonCode;
    info.rootCauseGuid = error->rootCauseGuid;
    info.repairGuid = error->repairGuid;
    info.helpLinkGuid = error->helpLinkGuid;
    info.rootCauseString = CopyBounded(error->pRootCauseString);
    info.repairString = CopyBounded(error->pRepairString);
  }
  return info;
}

EapErrorInfo HostError(eap::DWORD win32Error, const char* call, const std::string& message,
                       const std::string& state) {
  EapErrorInfo info;
  info.win32Error = win32Error;
  info.call = call ? call : "";
  info.rootCauseString = Utf8ToUtf16(message);
  info.state = state;
  info.origin = ErrorOrigin::kHost;
  return info;
}

}  // namespace eaphost
