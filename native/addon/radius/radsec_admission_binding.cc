// radsecAdmissionOpen(RadsecAdmissionOpenArgs): the admission RadSec over TCP's listener
// (lib/radius/radsec/admission.ts, its face) asks whom to displace at a cap, the very one
// RADIUS/DTLS's listener holds natively (native/radius/io/radius_admission.h): one policy, two
// record layers. Slots are the listener's connection numbers, ascending with their arrival.
// radsecBudgetOpen(RadsecBudgetOpenArgs): likewise the handshake budget of unknown prefixes
// (lib/radius/radsec/handshake-budget.ts, its face), the one RADIUS/DTLS's listener applies.
#include <algorithm>
#include <cmath>
#include <iterator>
#include <memory>
#include <string>
#include <vector>

#include "../../radius/io/radius_admission.h"
#include "../generated/arg_structs.h"
#include "../generated/exports.h"
#include "../runtime/js_convert.h"
#include "../runtime/named_args.h"
#include "radius_values.h"

namespace eaphost {

namespace {

struct Admission {
  explicit Admission(radius::AdmissionLimits limits) : admission(limits) {}
  radius::RadsecAdmission admission;
};

struct Budget {
  Budget(double perSecond, double burst) : budget(perSecond, burst) {}
  radius::HandshakeBudget budget;
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

bool NetworkTextOf(const std::string& network, radius::ClientNetwork* parsed) {
  size_t slash = network.find('/');
  radius::Source address;
  if (!radius::ParseAddress(network.substr(0, slash), &address)) return false;
  parsed->family = address.family;
  std::copy(std::begin(address.address), std::end(address.address), std::begin(parsed->address));
  const unsigned bits = address.family == 4 ? 32u : 128u;
  parsed->prefix = bits;
  if (slash == std::string::npos) return true;
  const std::string length = network.substr(slash + 1);
  if (length.empty() || length.size() > 3 || length.find_first_not_of("0123456789") != std::string::npos) return false;
  parsed->prefix = static_cast<unsigned>(std::stoul(length));
  return parsed->prefix <= bits;
}

Napi::Value seam::RadsecAdmissionOpen(const Napi::CallbackInfo& info, Napi::Object object) {
  Napi::Env env = info.Env();
  RadsecAdmissionOpenArgs args = ReadRadsecAdmissionOpenArgs(object);
  if (args.maxConnections == 0 || args.maxConnectionsPerAddress == 0)
    throw Napi::RangeError::New(env, "radsecAdmissionOpen: the caps are at least 1");
  auto self = std::make_shared<Admission>(radius::AdmissionLimits{args.maxConnections, args.maxConnectionsPerAddress});
  // What is no prefix or network is skipped, as a saved list's reader has refused it already.
  for (const std::string& prefix : args.knownPrefixes) self->admission.KnowPrefix(prefix, false);
  for (const std::string& network : args.clientNetworks) {
    radius::ClientNetwork parsed;
    if (NetworkTextOf(network, &parsed)) self->admission.KnowNetwork(parsed);
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

Napi::Value seam::RadsecBudgetOpen(const Napi::CallbackInfo& info, Napi::Object object) {
  Napi::Env env = info.Env();
  RadsecBudgetOpenArgs args = ReadRadsecBudgetOpenArgs(object);
  if (args.perSecond == 0 || args.perSecond > 1000000 || args.burst == 0 || args.burst > 1000000)
    throw Napi::RangeError::New(env, "radsecBudgetOpen: perSecond and burst from 1 to 1000000");
  auto self = std::make_shared<Budget>(static_cast<double>(args.perSecond), static_cast<double>(args.burst));
  Napi::Object out = Napi::Object::New(env);
  seam::NativeRadsecBudget::AddMethods(env, out, self);
  return out;
}

Napi::Value seam::NativeRadsecBudget::Offer(const Napi::CallbackInfo& info, Napi::Object object) {
  Napi::Env env = info.Env();
  RadsecBudgetOfferArgs args = ReadRadsecBudgetOfferArgs(object);
  OwnerOf<Budget>(info).budget.Offer(SlotOf(env, args.slot), AddressOf(env, args.address));
  return env.Undefined();
}

Napi::Value seam::NativeRadsecBudget::Withdraw(const Napi::CallbackInfo& info, Napi::Object object) {
  Napi::Env env = info.Env();
  RadsecAdmissionSlotArgs args = ReadRadsecAdmissionSlotArgs(object);
  OwnerOf<Budget>(info).budget.Withdraw(SlotOf(env, args.slot));
  return env.Undefined();
}

Napi::Value seam::NativeRadsecBudget::Due(const Napi::CallbackInfo& info, Napi::Object object) {
  Napi::Env env = info.Env();
  RadsecBudgetDueArgs args = ReadRadsecBudgetDueArgs(object);
  std::vector<radius::HandshakeBudget::Id> due =
      OwnerOf<Budget>(info).budget.Due(WholeOf(env, args.nowMs * 1000, "nowMs"));
  Napi::Array out = Napi::Array::New(env, due.size());
  for (uint32_t i = 0; i < due.size(); ++i) out.Set(i, Napi::Number::New(env, static_cast<double>(due[i])));
  return out;
}

Napi::Value seam::NativeRadsecBudget::NextMs(const Napi::CallbackInfo& info) {
  uint64_t next = OwnerOf<Budget>(info).budget.NextUs();
  return Napi::Number::New(info.Env(), next == UINT64_MAX ? -1.0 : static_cast<double>(next) / 1000);
}

Napi::Value seam::NativeRadsecBudget::Clear(const Napi::CallbackInfo& info) {
  OwnerOf<Budget>(info).budget.Clear();
  return info.Env().Undefined();
}

}  // namespace eaphost
