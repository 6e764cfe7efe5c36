// Shared by the libFuzzer harnesses: how an input becomes a sequence of EAP packets, which
// method type it exercises, and the method module every harness loads.
//
// Input layout: byte 0 holds control bits (which EAP type, whether to repair the Identifier
// and Length fields so the fuzzer reaches deeper states), then packets, each a 2-byte
// big-endian length followed by that many bytes (cut short at the input's end).
#pragma once

#include <dlfcn.h>

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <vector>

#include "../native/abi/eap_abi.h"

namespace eaphost_fuzz {

using Bytes = std::vector<std::uint8_t>;

// The shipped method types. A type the module does not serve yet is skipped (GetInfo refuses
// it), so new methods are covered as soon as the module serves them.
constexpr std::uint8_t kMethodTypes[] = {4, 6, 26};
constexpr std::uint32_t kAuthorId = 32473;

struct Input {
  std::uint8_t typeIndex = 0;
  bool repairIdentifier = false;
  bool repairLength = false;
  std::vector<Bytes> packets;
};

inline Input Split(const std::uint8_t* data, std::size_t size, std::size_t maxPackets = 32) {
  Input input;
  if (size == 0) return input;
  input.typeIndex = static_cast<std::uint8_t>(data[0] % sizeof kMethodTypes);
  input.repairIdentifier = (data[0] & 0x04) != 0;
  input.repairLength = (data[0] & 0x08) != 0;
  std::size_t at = 1;
  while (at + 2 <= size && input.packets.size() < maxPackets) {
    std::size_t length = (static_cast<std::size_t>(data[at]) << 8) | data[at + 1];
    at += 2;
    if (length > size - at) length = size - at;
    input.packets.emplace_back(data + at, data + at + length);
    at += length;
  }
  return input;
}

inline eap::EAP_METHOD_TYPE MethodType(std::uint8_t eapType) {
  eap::EAP_METHOD_TYPE type{};
  type.eapType.type = eapType;
  type.dwAuthorId = kAuthorId;
  return type;
}

// Repairs what the input asked to: the Identifier (to the one expected) and the Length field.
inline void Repair(const Input& input, std::uint8_t expectedId, Bytes* packet) {
  if (input.repairIdentifier && packet->size() >= 2) (*packet)[1] = expectedId;
  if (input.repairLength && packet->size() >= 4 && packet->size() <= 0xffff) {
    (*packet)[2] = static_cast<std::uint8_t>(packet->size() >> 8);
    (*packet)[3] = static_cast<std::uint8_t>(packet->size());
  }
}

// The instrumented method module, absolute. Loaded once and pinned (RTLD_NODELETE plus a
// handle never closed): hosts unload their own references, and libFuzzer's coverage tables
// cannot survive an instrumented library being unmapped.
inline const std::string& MethodModulePath() {
  static const std::string path = [] {
    const char* overridden = std::getenv("EAPHOST_FUZZ_METHOD_MODULE");
    std::string p = overridden != nullptr ? overridden : EAPHOST_FUZZ_METHOD_MODULE;
    if (dlopen(p.c_str(), RTLD_NOW | RTLD_NODELETE) == nullptr) {
      std::fprintf(stderr, "cannot load %s: %s\n", p.c_str(), dlerror());
      std::abort();
    }
    return p;
  }();
  return path;
}

inline std::u16string Wide(const char* text) {
  std::u16string out;
  for (const char* p = text; *p != '\0'; ++p) out.push_back(static_cast<char16_t>(*p));
  return out;
}

}  // namespace eaphost_fuzz
