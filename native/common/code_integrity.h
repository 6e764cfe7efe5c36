// Words for a module Windows refused to map because Code Integrity could not verify its
// signature: LoadLibrary's last error is ERROR_INVALID_IMAGE_HASH (577, from the loader's
// STATUS_INVALID_IMAGE_HASH 0xC0000428). A policy requiring signed code (Windows Defender
// Application Control, Smart App Control, a service that loads signed images only) does this, and
// Windows names the file and the policy in event 3077 of Microsoft-Windows-CodeIntegrity/Operational
// (docs/WINDOWS-CONTRACT.md, "Code Integrity"). Any other code has no words here.
#pragma once

#include <cstdint>
#include <string>

namespace eaphost {

inline std::string CodeIntegrityNote(std::uint32_t win32Error) {
  if (win32Error != 577) return std::string();
  return "; Code Integrity blocked it (STATUS_INVALID_IMAGE_HASH 0xC0000428): a policy here requires signed code, "
         "and event 3077 in Microsoft-Windows-CodeIntegrity/Operational names the file and the policy";
}

}  // namespace eaphost
