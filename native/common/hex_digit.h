// One hex digit's value, for the readers of hex text (connection IDs, a stand-in's files).
#pragma once

namespace eaphost {

// 0-15, or -1 for a character that is no hex digit.
inline int HexDigit(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

}  // namespace eaphost
