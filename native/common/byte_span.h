// A read-only view of bytes that belong to someone else (a packet, a blob, a secret).
#pragma once

#include <cstddef>
#include <cstdint>

namespace eaphost {

struct ByteSpan {
  const std::uint8_t* data = nullptr;
  std::size_t size = 0;
};

}  // namespace eaphost
