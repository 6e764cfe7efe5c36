// libFuzzer target: the ONEX notification reader (native/platform/wlan_notification.cc), which reads
// what Native Wifi hands a WLAN callback: a structure whose blobs name their own offsets and sizes.
// Byte 0 picks the notification code; the rest is the notification's data, its size dwDataSize.
// Under ASan a read past the data is a finding; a decoded EAP error or string must have come from
// inside it.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <vector>

#include "../native/platform/wlan_notification.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size < 1) return 0;
  // A copy of exactly the notification's bytes, so ASan sees any read beyond dwDataSize.
  std::vector<std::uint8_t> notification(data + 1, data + size);
  eaphost::WlanNotice notice;
  eaphost::DecodeOnexNotice(data[0] % 4, notification.empty() ? nullptr : notification.data(),
                            static_cast<std::uint32_t>(notification.size()), &notice);
  if (notice.hasEapError && notification.size() < 40 + 92) std::abort();
  if (notice.rootCause.size() > 3 * eaphost::kNoticeTextLimit || notice.repair.size() > 3 * eaphost::kNoticeTextLimit) {
    std::abort();
  }
  return 0;
}
