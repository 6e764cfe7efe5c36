// nettle's X25519, as GnuTLS's key exchange calls it (x25519_floor.h): per exchange the server
// makes its share from a fresh scalar (curve25519_mul_g) and derives the secret from the peer's
// share (curve25519_mul). Scalars come from GnuTLS's own generator, as its key shares' do.
#include <gnutls/crypto.h>
#include <gnutls/gnutls.h>
#include <nettle/curve25519.h>
#include <nettle/version.h>

#include <array>
#include <cstdint>
#include <stdexcept>
#include <string>
#include <vector>

#include "../common/secure_zero.h"
#include "promise_worker.h"
#include "tls_handshake_floor.h"
#include "x25519_floor.h"

namespace eaphost {

namespace {

using Scalar = std::array<uint8_t, CURVE25519_SIZE>;

void Random(Scalar* scalar) {
  if (gnutls_rnd(GNUTLS_RND_KEY, scalar->data(), scalar->size()) < 0) throw std::runtime_error("gnutls_rnd failed");
}

// RFC 7748 §6.1: Alice's private key, her public key, Bob's public key and their shared secret.
// Checked before anything is timed, so the figure is X25519's and no other function's.
constexpr Scalar kAlicePrivate{0x77, 0x07, 0x6d, 0x0a, 0x73, 0x18, 0xa5, 0x7d, 0x3c, 0x16, 0xc1,
                               0x72, 0x51, 0xb2, 0x66, 0x45, 0xdf, 0x4c, 0x2f, 0x87, 0xeb, 0xc0,
                               0x99, 0x2a, 0xb1, 0x77, 0xfb, 0xa5, 0x1d, 0xb9, 0x2c, 0x2a};
constexpr Scalar kAlicePublic{0x85, 0x20, 0xf0, 0x09, 0x89, 0x30, 0xa7, 0x54, 0x74, 0x8b, 0x7d,
                              0xdc, 0xb4, 0x3e, 0xf7, 0x5a, 0x0d, 0xbf, 0x3a, 0x0d, 0x26, 0x38,
                              0x1a, 0xf4, 0xeb, 0xa4, 0xa9, 0x8e, 0xaa, 0x9b, 0x4e, 0x6a};
constexpr Scalar kBobPublic{0xde, 0x9e, 0xdb, 0x7d, 0x7b, 0x7d, 0xc1, 0xb4, 0xd3, 0x5b, 0x61,
                            0xc2, 0xec, 0xe4, 0x35, 0x37, 0x3f, 0x83, 0x43, 0xc8, 0x5b, 0x78,
                            0x67, 0x4d, 0xad, 0xfc, 0x7e, 0x14, 0x6f, 0x88, 0x2b, 0x4f};
constexpr Scalar kSharedSecret{0x4a, 0x5d, 0x9d, 0x5b, 0xa4, 0xce, 0x2d, 0xe1, 0x72, 0x8e, 0x3b,
                               0xf4, 0x80, 0x35, 0x0f, 0x25, 0xe0, 0x7e, 0x21, 0xc9, 0x47, 0xd1,
                               0x9e, 0x33, 0x76, 0xf0, 0x9b, 0x3c, 0x1e, 0x16, 0x17, 0x42};

void CheckRfc7748() {
  Scalar out{};
  nettle_curve25519_mul_g(out.data(), kAlicePrivate.data());
  if (out != kAlicePublic) throw std::runtime_error("curve25519_mul_g disagrees with RFC 7748 section 6.1");
  nettle_curve25519_mul(out.data(), kAlicePrivate.data(), kBobPublic.data());
  if (out != kSharedSecret) throw std::runtime_error("curve25519_mul disagrees with RFC 7748 section 6.1");
}

struct X25519Result {
  double keyShareCpuMs = 0, secretCpuMs = 0;
  bool anyNonZero = false;
};

X25519Result RunX25519(uint32_t count) {
  CheckRfc7748();
  // The peer's share, made once: the server's work is its own share and the secret. Each phase
  // is timed over the whole batch, so the clock's own cost stays out of the figure.
  Scalar peerScalar{}, peerShare{};
  Random(&peerScalar);
  nettle_curve25519_mul_g(peerShare.data(), peerScalar.data());
  std::vector<Scalar> scalars(count), shares(count), secrets(count);
  for (Scalar& scalar : scalars) Random(&scalar);
  X25519Result result;
  double start = ThreadCpuMs();
  for (uint32_t i = 0; i < count; ++i) nettle_curve25519_mul_g(shares[i].data(), scalars[i].data());
  result.keyShareCpuMs = ThreadCpuMs() - start;
  start = ThreadCpuMs();
  for (uint32_t i = 0; i < count; ++i) nettle_curve25519_mul(secrets[i].data(), scalars[i].data(), peerShare.data());
  result.secretCpuMs = ThreadCpuMs() - start;
  // The outputs are read (the multiplications cannot be elided), then every secret wiped.
  uint8_t sink = 0;
  for (uint32_t i = 0; i < count; ++i) sink = static_cast<uint8_t>(sink | shares[i][0] | secrets[i][0]);
  result.anyNonZero = sink != 0;
  for (Scalar& scalar : scalars) SecureZeroContents(scalar);
  for (Scalar& secret : secrets) SecureZeroContents(secret);
  SecureZeroContents(peerScalar);
  return result;
}

}  // namespace

Napi::Value X25519Floor(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  if (!info[0].IsObject()) throw Napi::TypeError::New(env, "options must be an object");
  Napi::Value countValue = info[0].As<Napi::Object>().Get("count");
  if (!countValue.IsNumber()) throw Napi::TypeError::New(env, "count must be a number");
  const double count = countValue.As<Napi::Number>().DoubleValue();
  if (!(count >= 1 && count <= 1e6) || count != static_cast<double>(static_cast<uint32_t>(count))) {
    throw Napi::RangeError::New(env, "count must be an integer from 1 to 1,000,000");
  }
  const auto exchanges = static_cast<uint32_t>(count);
  return PromiseWorker<X25519Result>::Start(
      env, [exchanges] { return RunX25519(exchanges); },
      [exchanges](Napi::Object out, const X25519Result& result) {
        out.Set("count", exchanges);
        out.Set("keyShareCpuMs", result.keyShareCpuMs);
        out.Set("secretCpuMs", result.secretCpuMs);
        out.Set("anyNonZero", result.anyNonZero);
        out.Set("nettleVersion", std::to_string(nettle_version_major()) + "." + std::to_string(nettle_version_minor()));
      });
}

}  // namespace eaphost
