// libFuzzer target: the peer side of the TLS-based methods past the handshake, where random
// packets never get (a handshake needs the other side's keys). Each input first completes a
// real handshake between the method's peer (from the catalog) and a GnuTLS server engine with
// the fuzzing certificate (fuzz_support.h), then the server sends the input's records through
// the tunnel, encrypted, as EAP-TLS requests: PEAP's phase 2 (headerless inner EAP, Extensions,
// Result and Cryptobinding TLVs), EAP-TTLS's Diameter AVPs, EAP-TLS's post-handshake data.
//
// Input: byte 0 picks the method (served[byte % count] of those whose peer answers a Start
// with TLS), byte 1 bit 0 limits the handshake to TLS 1.2, then plaintexts, each a 2-byte
// big-endian length and its bytes. Typed failures (MethodFailure) end a conversation, as they
// do in the methods; a crash, a sanitizer report or another exception is a finding.
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <memory>
#include <vector>

#include "../native/methods/support/method_catalog.h"
#include "../native/methods/support/method_error.h"
#include "../native/methods/tls/tls_config.h"
#include "../native/methods/tls/tls_engine.h"
#include "fuzz_support.h"

using namespace eaphost;
using eaphost_fuzz::Bytes;

namespace {

constexpr std::uint8_t kStart = 0x20;
constexpr std::uint8_t kLengthIncluded = 0x80;

// The catalog's methods whose peer begins a TLS handshake when started.
const std::vector<const MethodDescriptor*>& TunnelMethods() {
  static const std::vector<const MethodDescriptor*> methods = [] {
    std::vector<const MethodDescriptor*> out;
    Bytes connectionData = eaphost_fuzz::TlsConnectionData(true);
    PeerCredentials credentials;
    for (const MethodDescriptor* method : kMethodCatalog) {
      try {
        auto peer = method->makePeer(PeerContext{&credentials, 0xFFFF, ByteSpan{connectionData.data(), connectionData.size()}});
        MethodPacketView start{eap::EapCodeRequest, 1, method->type, 6, ByteSpan{&kStart, 1}};
        TypeDataWriter hello;
        // A TLS record of type handshake (22) after the Flags (and the length when included).
        if (peer->Process(start, &hello) == PeerAction::kSend && hello.size() > 5) {
          std::size_t at = (hello.bytes()[0] & kLengthIncluded) != 0 ? 5 : 1;
          if (hello.size() > at && hello.bytes()[at] == 22) out.push_back(method);
        }
      } catch (const MethodFailure&) {
        // not a TLS-based method
      }
    }
    if (out.empty()) {
      std::fprintf(stderr, "the catalog holds no TLS-based method\n");
      std::abort();
    }
    return out;
  }();
  return methods;
}

struct Tunnel {
  const MethodDescriptor* method;
  PeerCredentials credentials;
  std::unique_ptr<PeerMethod> peer;
  std::unique_ptr<tls::TlsEngine> server;
  std::uint8_t identifier = 0;

  // One request to the peer with `typeData`; the response's records (none for an ACK).
  Bytes Ask(const Bytes& typeData) {
    MethodPacketView request{eap::EapCodeRequest, ++identifier, method->type, typeData.size() + 5,
                             ByteSpan{typeData.data(), typeData.size()}};
    TypeDataWriter response;
    if (peer->Process(request, &response) != PeerAction::kSend || response.size() == 0) return Bytes();
    std::size_t at = (response.bytes()[0] & kLengthIncluded) != 0 ? 5 : 1;
    if (response.size() <= at) return Bytes();
    return Bytes(response.bytes().begin() + static_cast<std::ptrdiff_t>(at), response.bytes().end());
  }

  // The server's queued records as one unfragmented EAP-TLS request.
  Bytes ServerRequest() {
    Bytes typeData{0};
    std::vector<std::uint8_t> records = server->TakeOutgoing();
    typeData.insert(typeData.end(), records.begin(), records.end());
    return typeData;
  }
};

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size < 2) return 0;
  const std::vector<const MethodDescriptor*>& methods = TunnelMethods();
  Tunnel tunnel;
  tunnel.method = methods[data[0] % methods.size()];
  tunnel.credentials.identity = "alice";
  static const char kPassword[] = "correct horse";
  tunnel.credentials.password.Assign(reinterpret_cast<const std::uint8_t*>(kPassword), sizeof kPassword - 1);
  tunnel.credentials.present = true;

  static const Bytes peerData = eaphost_fuzz::TlsConnectionData(true);
  static const Bytes serverData = eaphost_fuzz::TlsConnectionData(false);
  tls::TlsConfig serverConfig;
  tls::ParseTlsConfig(ByteSpan{serverData.data(), serverData.size()}, &serverConfig);
  if ((data[1] & 1) != 0) serverConfig.tlsMax = tls::kTls12;
  try {
    tunnel.peer = tunnel.method->makePeer(PeerContext{&tunnel.credentials, 0xFFFF, ByteSpan{peerData.data(), peerData.size()}});
    tunnel.server.reset(new tls::TlsEngine(tls::TlsEngineOptions{tls::TlsRole::kServer, "fuzz", false, false}, serverConfig));
    // The handshake, driven by both real engines: Start, then each side's flight in turn.
    Bytes records = tunnel.Ask(Bytes{kStart});
    for (int flight = 0; flight < 8 && !records.empty(); ++flight) {
      tunnel.server->Receive(ByteSpan{records.data(), records.size()});
      tunnel.server->Handshake();
      if (!tunnel.server->HasOutgoing()) break;
      records = tunnel.Ask(tunnel.ServerRequest());
    }
    if (!tunnel.server->established()) {
      std::fprintf(stderr, "the fuzzing handshake with %s did not complete\n", tunnel.method->name);
      std::abort();
    }
  } catch (const MethodFailure& failure) {
    // The set-up handshake is the harness's precondition: it must succeed for every input,
    // including when the peer offers a session it kept from an earlier input's handshake to a
    // server that negotiates another TLS version.
    std::fprintf(stderr, "the fuzzing handshake with %s failed: %s\n", tunnel.method->name, failure.rootCause.c_str());
    std::abort();
  }

  // The input's plaintexts, each one request in the tunnel; the peer's answers are read back
  // through the server so that its records keep flowing.
  std::size_t at = 2;
  try {
    while (at + 2 <= size) {
      std::size_t length = static_cast<std::size_t>(data[at]) << 8 | data[at + 1];
      at += 2;
      if (length > size - at) length = size - at;
      tunnel.server->Write(ByteSpan{data + at, length});
      at += length;
      Bytes answer = tunnel.Ask(tunnel.ServerRequest());
      if (!answer.empty()) {
        tunnel.server->Receive(ByteSpan{answer.data(), answer.size()});
        std::vector<std::uint8_t> plain;
        tunnel.server->ReadAll(&plain);
      }
    }
  } catch (const MethodFailure&) {
    // a refused packet ends the conversation
  }
  for (bool hostSuccess : {true, false}) {
    PeerVerdict verdict;
    try {
      tunnel.peer->Conclude(hostSuccess, &verdict);
    } catch (const MethodFailure&) {
    }
  }
  return 0;
}
