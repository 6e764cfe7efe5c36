// Bytes that must not outlive their use (passwords, CHAP values): one exact-size heap block,
// never copied and never grown, wiped when cleared or destroyed. A std::string would leave
// stale copies behind in freed memory whenever it reallocates.
#pragma once

#include <cstddef>
#include <cstdint>

#include "../../abi/eap_platform.h"
#include "../../common/byte_span.h"

namespace eaphost {

class SecretBytes {
 public:
  SecretBytes() = default;
  ~SecretBytes() { Clear(); }
  SecretBytes(const SecretBytes&) = delete;
  SecretBytes& operator=(const SecretBytes&) = delete;
  SecretBytes(SecretBytes&& other) noexcept;
  SecretBytes& operator=(SecretBytes&& other) noexcept;

  // Replaces the contents (throws std::bad_alloc).
  void Assign(const std::uint8_t* data, std::size_t size);
  void Clear() noexcept;

  const std::uint8_t* data() const { return data_; }
  std::size_t size() const { return size_; }
  ByteSpan span() const { return ByteSpan{data_, size_}; }

 private:
  friend bool WideToUtf8Secret(const eap::WCHAR*, std::size_t, SecretBytes*);
  std::uint8_t* data_ = nullptr;
  std::size_t size_ = 0;
};

// Encodes a NUL-terminated WCHAR password as UTF-8 straight into `out`, measuring first so no
// intermediate buffer holds it. Unpaired surrogates become U+FFFD (see wide_text.h).
// False (out cleared) when the string is longer than maxUnits. Null encodes as empty.
bool WideToUtf8Secret(const eap::WCHAR* wide, std::size_t maxUnits, SecretBytes* out);

// Equality that takes the same time wherever the first difference is, so response checks
// do not leak how many leading bytes an attacker guessed right.
bool ConstantTimeEqual(const std::uint8_t* a, const std::uint8_t* b, std::size_t size);

}  // namespace eaphost
