#include "wide_text.h"

#include "method_memory.h"

namespace eaphost {

namespace {
constexpr char32_t kReplacement = 0xFFFD;

// The code point at wide[i], and how many units it spans. A high surrogate at the end peeks
// at the next unit, which is the terminator or at least inside the measured string.
char32_t WideCodePointAt(const eap::WCHAR* wide, std::size_t i, std::size_t units,
                         std::size_t* used) {
  char32_t u = static_cast<char16_t>(wide[i]);
  *used = 1;
  if (u >= 0xD800 && u <= 0xDBFF && i + 1 < units) {
    char32_t low = static_cast<char16_t>(wide[i + 1]);
    if (low >= 0xDC00 && low <= 0xDFFF) {
      *used = 2;
      return 0x10000 + ((u - 0xD800) << 10) + (low - 0xDC00);
    }
  }
  return (u >= 0xD800 && u <= 0xDFFF) ? kReplacement : u;
}

std::size_t Utf8Length(char32_t cp) {
  return cp < 0x80 ? 1 : cp < 0x800 ? 2 : cp < 0x10000 ? 3 : 4;
}

// The code point at utf8[i], and how many bytes it spans; a bad sequence is one U+FFFD byte.
char32_t Utf8CodePointAt(const std::string& utf8, std::size_t i, std::size_t* used) {
  const auto* s = reinterpret_cast<const unsigned char*>(utf8.data());
  unsigned char c = s[i];
  std::size_t len = c < 0x80           ? 1
                    : (c >> 5) == 0x6   ? 2
                    : (c >> 4) == 0xE   ? 3
                    : (c >> 3) == 0x1E  ? 4
                                        : 0;
  *used = 1;
  if (len == 0 || i + len > utf8.size()) return kReplacement;
  static const unsigned char kLeadMask[5] = {0, 0x7F, 0x1F, 0x0F, 0x07};
  static const char32_t kMinimum[5] = {0, 0, 0x80, 0x800, 0x10000};
  char32_t cp = c & kLeadMask[len];
  for (std::size_t k = 1; k < len; ++k) {
    if ((s[i + k] & 0xC0) != 0x80) return kReplacement;
    cp = (cp << 6) | (s[i + k] & 0x3F);
  }
  if (cp < kMinimum[len] || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) return kReplacement;
  *used = len;
  return cp;
}
}  // namespace

bool MeasureWide(const eap::WCHAR* wide, std::size_t maxUnits, std::size_t* units) {
  *units = 0;
  if (wide == nullptr) return true;
  std::size_t n = 0;
  while (wide[n] != 0) {
    if (n == maxUnits) return false;
    ++n;
  }
  *units = n;
  return true;
}

std::size_t Utf8SizeOfWide(const eap::WCHAR* wide, std::size_t units) {
  std::size_t bytes = 0;
  for (std::size_t i = 0, used = 0; i < units; i += used) {
    bytes += Utf8Length(WideCodePointAt(wide, i, units, &used));
  }
  return bytes;
}

void WriteUtf8FromWide(const eap::WCHAR* wide, std::size_t units, std::uint8_t* out) {
  static const std::uint8_t kLead[5] = {0, 0x00, 0xC0, 0xE0, 0xF0};
  for (std::size_t i = 0, used = 0; i < units; i += used) {
    char32_t cp = WideCodePointAt(wide, i, units, &used);
    std::size_t n = Utf8Length(cp);
    for (std::size_t k = n - 1; k > 0; --k) {
      out[k] = static_cast<std::uint8_t>(0x80 | (cp & 0x3F));
      cp >>= 6;
    }
    out[0] = static_cast<std::uint8_t>(kLead[n] | cp);
    out += n;
  }
}

bool ReadWideAsUtf8(const eap::WCHAR* wide, std::size_t maxUnits, std::string* out) {
  out->clear();
  std::size_t units = 0;
  if (!MeasureWide(wide, maxUnits, &units)) return false;
  out->resize(Utf8SizeOfWide(wide, units));
  if (!out->empty()) WriteUtf8FromWide(wide, units, reinterpret_cast<std::uint8_t*>(&(*out)[0]));
  return true;
}

std::size_t WideSizeOfUtf8(const std::string& utf8) {
  std::size_t units = 0;
  for (std::size_t i = 0, used = 0; i < utf8.size(); i += used) {
    units += Utf8CodePointAt(utf8, i, &used) >= 0x10000 ? 2 : 1;
  }
  return units;
}

void WriteWideFromUtf8(const std::string& utf8, eap::WCHAR* out) {
  for (std::size_t i = 0, used = 0; i < utf8.size(); i += used) {
    char32_t cp = Utf8CodePointAt(utf8, i, &used);
    if (cp < 0x10000) {
      *out++ = static_cast<eap::WCHAR>(cp);
    } else {
      cp -= 0x10000;
      *out++ = static_cast<eap::WCHAR>(0xD800 + (cp >> 10));
      *out++ = static_cast<eap::WCHAR>(0xDC00 + (cp & 0x3FF));
    }
  }
  *out = 0;
}

eap::WCHAR* DuplicateUtf8AsWide(const std::string& utf8) {
  std::size_t bytes = (WideSizeOfUtf8(utf8) + 1) * sizeof(eap::WCHAR);
  auto* out = static_cast<eap::WCHAR*>(AllocateMethodMemory(bytes));
  if (out != nullptr) WriteWideFromUtf8(utf8, out);
  return out;
}

}  // namespace eaphost
