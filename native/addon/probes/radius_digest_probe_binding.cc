// Test-only exports that run bytes through the RADIUS engine's own MD5 and HMAC-MD5
// (native/radius/wire/radius_md5.h, the platform's crypto underneath), so a test can hold them to the
// RFC 1321 and RFC 2202 vectors in every lane, the Windows build's CNG included. Built with the
// contract probe (EAPHOST_BUILD_CONTRACT_PROBE, test builds only) and exported only when
// EAPHOST_CONTRACT_PROBE=1 is set as the addon loads; nothing in lib/ calls them.
#include <algorithm>

#include "../../radius/wire/radius_md5.h"
#include "../generated/arg_structs.h"
#include "../generated/exports.h"
#include "../runtime/js_convert.h"
#include "../runtime/named_args.h"

namespace eaphost {

namespace {

// The input's two pieces, cut at `cut` (clamped): the hash must not depend on where the
// engine's callers split what they hash.
size_t CutOf(eap::DWORD cut, size_t size) { return std::min<size_t>(cut, size); }

}  // namespace

// radiusMd5Probe({ data, cut }): MD5 of data, given in two Updates.
Napi::Value seam::RadiusMd5Probe(const Napi::CallbackInfo& info, Napi::Object object) {
  RadiusMd5ProbeArgs args = ReadRadiusMd5ProbeArgs(object);
  const Bytes& data = args.data;
  size_t cut = CutOf(args.cut, data.size());
  Bytes out(radius::kMd5Length);
  radius::Md5().Update(data.data(), cut).Update(data.data() + cut, data.size() - cut).Final(out.data());
  return ToBuffer(info.Env(), out);
}

// radiusHmacMd5Probe({ key, data, cut }): HMAC-MD5 under key of data, given as two parts.
Napi::Value seam::RadiusHmacMd5Probe(const Napi::CallbackInfo& info, Napi::Object object) {
  RadiusHmacMd5ProbeArgs args = ReadRadiusHmacMd5ProbeArgs(object);
  const Bytes& key = args.key;
  const Bytes& data = args.data;
  size_t cut = CutOf(args.cut, data.size());
  Bytes out(radius::kMd5Length);
  radius::HmacMd5(key).Sign({{data.data(), cut}, {data.data() + cut, data.size() - cut}}, out.data());
  return ToBuffer(info.Env(), out);
}

// radiusMd5CountProbe(): the engine's MD5 and HMAC-MD5 computations so far (radius::Md5Computations).
Napi::Value seam::RadiusMd5CountProbe(const Napi::CallbackInfo& info) {
  return Napi::Number::New(info.Env(), static_cast<double>(radius::Md5Computations()));
}

}  // namespace eaphost
