// UTF-8 <-> UTF-16 conversion for WCHAR strings at the ABI boundary. Invalid input is
// replaced with U+FFFD rather than rejected, so a malformed name can never abort a session.
#pragma once

#include <string>

#include "../abi/eap_platform.h"

namespace eaphost {

// Appends one code point (<= U+10FFFF, not a surrogate) as UTF-8.
void AppendUtf8(std::string* out, char32_t codePoint);
std::u16string Utf8ToUtf16(const std::string& utf8);
std::string Utf16ToUtf8(const std::u16string& utf16);
// Reads a NUL-terminated WCHAR string (null gives "").
std::u16string WideToU16(const eap::WCHAR* wide);
// Length in code units of a NUL-terminated WCHAR string, reading at most maxUnits.
std::size_t WideLength(const eap::WCHAR* wide, std::size_t maxUnits);

}  // namespace eaphost
