#include "secret_bytes.h"

#include <cstring>

#include "../../common/secure_zero.h"
#include "wide_text.h"

namespace eaphost {

SecretBytes::SecretBytes(SecretBytes&& other) noexcept : data_(other.data_), size_(other.size_) {
  other.data_ = nullptr;
  other.size_ = 0;
}

SecretBytes& SecretBytes::operator=(SecretBytes&& other) noexcept {
  if (this != &other) {
    Clear();
    data_ = other.data_;
    size_ = other.size_;
    other.data_ = nullptr;
    other.size_ = 0;
  }
  return *this;
}

void SecretBytes::Assign(const std::uint8_t* data, std::size_t size) {
  std::uint8_t* fresh = size == 0 ? nullptr : new std::uint8_t[size];
  if (size != 0) std::memcpy(fresh, data, size);
  Clear();
  data_ = fresh;
  size_ = size;
}

void SecretBytes::Clear() noexcept {
  if (data_ != nullptr) {
    SecureZero(data_, size_);
    delete[] data_;
  }
  data_ = nullptr;
  size_ = 0;
}

bool WideToUtf8Secret(const eap::WCHAR* wide, std::size_t maxUnits, SecretBytes* out) {
  out->Clear();
  std::size_t units = 0;
  if (!MeasureWide(wide, maxUnits, &units)) return false;
  std::size_t bytes = Utf8SizeOfWide(wide, units);
  if (bytes == 0) return true;
  out->data_ = new std::uint8_t[bytes];
  out->size_ = bytes;
  WriteUtf8FromWide(wide, units, out->data_);
  return true;
}

bool ConstantTimeEqual(const std::uint8_t* a, const std::uint8_t* b, std::size_t size) {
  volatile std::uint8_t difference = 0;
  for (std::size_t i = 0; i < size; ++i) difference = difference | (a[i] ^ b[i]);
  return difference == 0;
}

}  // namespace eaphost
