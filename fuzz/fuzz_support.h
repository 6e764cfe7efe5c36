// Shared by the libFuzzer harnesses: how an input becomes a sequence of EAP packets, which
// method type it exercises, the configuration a TLS-based method begins with, and the method
// module every harness loads.
//
// Input layout: byte 0 names the EAP type (a type the module does not serve stands for one it
// does: served[byte % count]), byte 1 holds control bits (0x04 repair the Identifier, 0x08
// repair the Length, so the fuzzer reaches deeper states), then packets, each a 2-byte
// big-endian length followed by that many bytes (cut short at the input's end).
#pragma once

#include <dlfcn.h>

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <iterator>
#include <string>
#include <vector>

#include "../native/abi/eap_abi.h"
#include "../native/methods/support/generated/connection_data_format.h"

namespace eaphost_fuzz {

using Bytes = std::vector<std::uint8_t>;

constexpr std::uint32_t kAuthorId = 32473;

inline const std::string& MethodModulePath();

// The EAP types the module serves, asked of the module itself (EapPeerGetInfo refuses a type
// its catalog does not hold): a method added to the catalog is fuzzed with no change here.
inline const std::vector<std::uint8_t>& ServedTypes() {
  static const std::vector<std::uint8_t> served = [] {
    std::vector<std::uint8_t> out;
    void* module = dlopen(MethodModulePath().c_str(), RTLD_NOW | RTLD_NODELETE);
    auto getInfo = module == nullptr ? nullptr
                                     : reinterpret_cast<eap::PFN_EapPeerGetInfo>(dlsym(module, EAP_PEER_GET_INFO_NAME));
    auto freeError = module == nullptr ? nullptr
                                       : reinterpret_cast<eap::PFN_EapPeerFreeErrorMemory>(
                                             dlsym(module, EAP_PEER_FREE_ERROR_MEMORY_NAME));
    if (getInfo == nullptr || freeError == nullptr) {
      std::fprintf(stderr, "the method module exports no EapPeerGetInfo / EapPeerFreeErrorMemory\n");
      std::abort();
    }
    for (unsigned type = 1; type < 254; ++type) {
      eap::EAP_TYPE eapType{};
      eapType.type = static_cast<eap::BYTE>(type);
      eap::EAP_PEER_METHOD_ROUTINES routines{};
      eap::EAP_ERROR* error = nullptr;
      if (getInfo(&eapType, &routines, &error) == 0) out.push_back(static_cast<std::uint8_t>(type));
      if (error != nullptr) freeError(error);
    }
    if (out.empty()) {
      std::fprintf(stderr, "the method module serves no EAP type\n");
      std::abort();
    }
    return out;
  }();
  return served;
}

struct Input {
  std::uint8_t eapType = 0;
  bool repairIdentifier = false;
  bool repairLength = false;
  std::vector<Bytes> packets;
};

inline Input Split(const std::uint8_t* data, std::size_t size, std::size_t maxPackets = 32) {
  Input input;
  const std::vector<std::uint8_t>& served = ServedTypes();
  if (size < 2) return input;
  input.eapType = served[data[0] % served.size()];
  for (std::uint8_t type : served) {
    if (type == data[0]) input.eapType = type;
  }
  input.repairIdentifier = (data[1] & 0x04) != 0;
  input.repairLength = (data[1] & 0x08) != 0;
  std::size_t at = 2;
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

// The connection data a method that cannot begin without any (the TLS-based methods: the
// peer needs a trust decision, the authenticator its certificate) is fuzzed with: a
// certificate and key (the peer's client certificate and the authenticator's server chain),
// the same certificate as the CA, and the peer's "insecure" flag so that any server
// certificate gets as far as the handshake lets it. scripts/dev/fuzz.sh makes the files
// (EAPHOST_FUZZ_TLS_CERT, EAPHOST_FUZZ_TLS_KEY); the format is seam/connection_data.js's.
inline Bytes TlsConnectionData(bool peer) {
  auto read = [](const char* variable) {
    const char* path = std::getenv(variable);
    std::ifstream file(path != nullptr ? path : "", std::ios::binary);
    if (path == nullptr || !file) {
      std::fprintf(stderr, "%s names no readable file: run the TLS methods' fuzzing through scripts/dev/fuzz.sh\n", variable);
      std::abort();
    }
    return Bytes(std::istreambuf_iterator<char>(file), std::istreambuf_iterator<char>());
  };
  const Bytes certificate = read("EAPHOST_FUZZ_TLS_CERT");
  const Bytes key = read("EAPHOST_FUZZ_TLS_KEY");
  using eaphost::ConnectionDataType;
  Bytes blob(eaphost::kConnectionDataMagic, eaphost::kConnectionDataMagic + 4);
  blob.push_back(eaphost::kConnectionDataVersion);
  auto tlv = [&blob](ConnectionDataType type, const Bytes& value) {
    blob.push_back(static_cast<std::uint8_t>(type));
    for (int shift = 24; shift >= 0; shift -= 8) blob.push_back(static_cast<std::uint8_t>(value.size() >> shift));
    blob.insert(blob.end(), value.begin(), value.end());
  };
  tlv(ConnectionDataType::kCa, certificate);
  if (peer) {
    constexpr std::uint32_t kFlags = eaphost::ConnectionDataFlag::kInsecure;
    tlv(ConnectionDataType::kFlags, Bytes{static_cast<std::uint8_t>(kFlags >> 24), static_cast<std::uint8_t>(kFlags >> 16),
                                          static_cast<std::uint8_t>(kFlags >> 8), static_cast<std::uint8_t>(kFlags)});
  }
  tlv(ConnectionDataType::kCertificate, certificate);
  tlv(ConnectionDataType::kPrivateKey, key);
  return blob;
}

// The connection data a method is fuzzed with: none when it begins without any, else the TLS
// methods' (TlsConnectionData). `begins` tries a session with the given connection data.
template <typename Begins>
Bytes ConnectionDataFor(bool peer, Begins begins) {
  if (begins(Bytes())) return Bytes();
  Bytes tls = TlsConnectionData(peer);
  if (!begins(tls)) {
    std::fprintf(stderr, "a served method begins neither without connection data nor with the TLS methods'\n");
    std::abort();
  }
  return tls;
}

inline std::u16string Wide(const char* text) {
  std::u16string out;
  for (const char* p = text; *p != '\0'; ++p) out.push_back(static_cast<char16_t>(*p));
  return out;
}

// The user blob a peer method makes for the credentials the corpora were recorded with (alice /
// "correct horse"). Field is the hosts' CredentialField, named by the caller so this header
// stays below the hosts.
template <typename Field, typename Method, typename Error>
bool QueryUserBlob(Method& method, Bytes* blob, Error* error) {
  std::vector<Field> fields(2);
  fields[0].type = eap::EapConfigInputUsername;
  fields[0].data = Wide("alice");
  fields[1].type = eap::EapConfigInputPassword;
  fields[1].data = Wide("correct horse");
  return method.QueryUserBlobFromCredentialInputFields(0, Bytes(), fields, blob, error);
}

}  // namespace eaphost_fuzz
