// radsecAdmissionOpen(RadsecAdmissionOpenArgs): the admission RadSec over TCP's listener
// (lib/radius/radsec/admission.ts, its face) asks whom to displace at a cap, the very one
// RADIUS/DTLS's listener holds natively (native/radius/io/radius_admission.h): one policy, two
// record layers. Slots are the listener's connection numbers, ascending with their arrival.
#include <algorithm>
#include <cmath>
#include <iterator>
#include <memory>
#include <string>

#include "../../radius/io/radius_admission.h"
#include "../generated/arg_structs.h"
#include "../generated/exports.h"
#include "../runtime/js_convert.h"
#include "../runtime/named_args.h"

namespace eaphost {

namespace {

struct Admission {
  explicit Admission(radius::AdmissionLimits limits) : admission(limits) {}
  radius::RadsecAdmission admission;
};

// A slot's number: a whole number from 1 below 2^53 (JS's counter).
radius::RadsecAdmission::Id SlotOf(const Napi::Env& env, double slot) {
  if (!(slot >= 1 && slot < 9007199254740992.0) || std::floor(slot) != slot)
    throw Napi::RangeError::New(env, "slot: a whole number from 1 below 2^53");
  return static_cast<radius::RadsecAdmission::Id>(slot);
}

// A count or a time: a finite number from 0 below 2^53, as a whole number.
uint64_t WholeOf(const Napi::Env& env, double value, const char* what) {
  if (!(value >= 0 && value < 9007199254740992.0))
    throw Napi::RangeError::New(env, std::string(what) + ": a number from 0 below 2^53");
  return static_cast<uint64_t>(value);
}

radius::Source AddressOf(const Napi::Env& env, const std::string& text) {
  radius::Source source;
  if (!radius::ParseAddress(text, &source)) throw Napi::TypeError::New(env, "address: a literal IPv4 or IPv6 address");
  return source;
}

}  // namespace

Napi::Value seam::RadsecAdmissionOpen(const Napi::CallbackInfo& info, Napi::Object object) {
  Napi::Env env = info.Env();
  RadsecAdmissionOpenArgs args = ReadRadsecAdmissionOpenArgs(object);
  if (args.maxConnections == 0 || args.maxConnectionsPerAddress == 0)
    throw Napi::RangeError::New(env, "radsecAdmissionOpen: the caps are at least 1");
  auto self = std::make_shared<Admission>(radius::AdmissionLimits{args.maxConnections, args.maxConnectionsPerAddress});
  // What is no prefix or network is skipped, as a saved list's reader has refused it already.
  for (const std::string& prefix : args.knownPrefixes) self->admission.KnowPrefix(prefix, false);
  for (const std::string& network : args.clientNetworks) {
    size_t slash = network.find('/');
    radius::Source address;
    if (!radius::ParseAddress(network.substr(0, slash), &address)) continue;
    radius::ClientNetwork parsed;
    parsed.family = address.family;
    std::copy(std::begin(address.address), std::end(address.address), std::begin(parsed.address));
    const unsigned bits = address.family == 4 ? 32u : 128u;
    parsed.prefix = bits;
    if (slash != std::string::npos) {
      const std::string length = network.substr(slash + 1);
      if (length.empty() || length.size() > 3 || length.find_first_not_of("0123456789") != std::string::npos) continue;
      parsed.prefix = static_cast<unsigned>(std::stoul(length));
      if (parsed.prefix > bits) continue;
    }
    self->admission.KnowNetwork(parsed);
  }
  Napi::Object out = Napi::Object::New(env);
  seam::NativeRadsecAdmission::AddMethods(env, out, self);
  return out;
}

Napi::Value seam::NativeRadsecAdmission::Admit(const Napi::CallbackInfo& info, Napi::Object object) {
  Napi::Env env = info.Env();
  RadsecAdmissionAdmitArgs args = ReadRadsecAdmissionAdmitArgs(object);
  radius::RadsecAdmission::Id slot = SlotOf(env, args.slot);
  radius::Source address = AddressOf(env, args.address);
  uint64_t nowUs = WholeOf(env, args.nowMs * 1000, "nowMs");
  radius::RadsecAdmission::Id evicted = 0;
  if (!OwnerOf<Admission>(info).admission.Admit(slot, address, nowUs, &evicted)) return Napi::Number::New(env, -1);
  return Napi::Number::New(env, static_cast<double>(evicted));
}

Napi::Value seam::NativeRadsecAdmission::Progress(const Napi::CallbackInfo& info, Napi::Object object) {
  Napi::Env env = info.Env();
  RadsecAdmissionProgressArgs args = ReadRadsecAdmissionProgressArgs(object);
  OwnerOf<Admission>(info).admission.Progress(SlotOf(env, args.slot),
                                              {WholeOf(env, args.read, "read"), WholeOf(env, args.written, "written")});
  return env.Undefined();
}

Napi::Value seam::NativeRadsecAdmission::Authenticated(const Napi::CallbackInfo& info, Napi::Object object) {
  Napi::Env env = info.Env();
  RadsecAdmissionSlotArgs args = ReadRadsecAdmissionSlotArgs(object);
  return Napi::String::New(env, OwnerOf<Admission>(info).admission.Authenticated(SlotOf(env, args.slot)));
}

Napi::Value seam::NativeRadsecAdmission::Forget(const Napi::CallbackInfo& info, Napi::Object object) {
  Napi::Env env = info.Env();
  RadsecAdmissionSlotArgs args = ReadRadsecAdmissionSlotArgs(object);
  OwnerOf<Admission>(info).admission.Forget(SlotOf(env, args.slot));
  return env.Undefined();
}

Napi::Value seam::NativeRadsecAdmission::IsKnown(const Napi::CallbackInfo& info, Napi::Object object) {
  Napi::Env env = info.Env();
  RadsecAdmissionAddressArgs args = ReadRadsecAdmissionAddressArgs(object);
  return Napi::Boolean::New(env, OwnerOf<Admission>(info).admission.IsKnown(AddressOf(env, args.address)));
}

Napi::Value seam::NativeRadsecAdmission::KnownPrefixes(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  std::vector<std::string> prefixes = OwnerOf<Admission>(info).admission.KnownPrefixes();
  Napi::Array out = Napi::Array::New(env, prefixes.size());
  for (uint32_t i = 0; i < prefixes.size(); ++i) out.Set(i, Napi::String::New(env, prefixes[i]));
  return out;
}

}  // namespace eaphost
