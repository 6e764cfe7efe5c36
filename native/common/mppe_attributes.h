// Microsoft's Vendor-Id and the Vendor-Types of its MPPE key attributes (RFC 2548 §2.4.2-3):
// the methods hand their keys to EAPHost in them, and the RADIUS stack hides and reveals them.
#pragma once

#include <cstdint>

namespace eaphost {

constexpr uint32_t kMicrosoftVendorId = 311;
constexpr uint8_t kMsMppeSendKey = 16;
constexpr uint8_t kMsMppeRecvKey = 17;

}  // namespace eaphost
