// UTF-16 (WCHAR) <-> UTF-8 for strings crossing the method ABI, written straight into
// exact-size buffers. Invalid input becomes U+FFFD, as in common/utf16.h.
//
// Method modules do not use common/utf16.h or std::u16string: libstdc++ ships no prebuilt
// basic_string<char16_t>, so each use instantiates its members in the module with namespace
// std's default visibility, and the module would export them beside its eight ABI functions.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>

#include "../../abi/eap_platform.h"

namespace eaphost {

// Length in units of a NUL-terminated string; false when there are more than maxUnits, so an
// over-long or unterminated host string is never read past maxUnits + 1 units. Null is "".
bool MeasureWide(const eap::WCHAR* wide, std::size_t maxUnits, std::size_t* units);

// UTF-8 size of `units` units of `wide`, then the encoding itself into that many bytes.
std::size_t Utf8SizeOfWide(const eap::WCHAR* wide, std::size_t units);
void WriteUtf8FromWide(const eap::WCHAR* wide, std::size_t units, std::uint8_t* out);

// MeasureWide + conversion into a std::string (for names, never for passwords).
bool ReadWideAsUtf8(const eap::WCHAR* wide, std::size_t maxUnits, std::string* out);

// Units (without terminator) needed for UTF-8 text, and the conversion plus a terminator.
std::size_t WideSizeOfUtf8(const std::string& utf8);
void WriteWideFromUtf8(const std::string& utf8, eap::WCHAR* out);

// A NUL-terminated WCHAR copy in method memory; nullptr when memory is exhausted.
eap::WCHAR* DuplicateUtf8AsWide(const std::string& utf8);

}  // namespace eaphost
