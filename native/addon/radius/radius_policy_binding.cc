// The policy of what an Access-Accept carries (native/radius/radius_policy.h), read from its
// argument objects: compiled once for the RADIUS engine (its `policy`), an authorize() answer's
// reply encoded for it, and radiusPolicyOpen(RadiusPolicyOpenArgs): the same policy as a JS object for a
// path with no RADIUS reply of its own (an EAPOL port's embedded authenticator), whose
// evaluate() says what the reply would carry and encode() what an authorize() reply would.
#include <algorithm>
#include <memory>
#include <string>

#include "../../radius/radius_policy.h"
#include "../../radius/radius_socket.h"
#include "../generated/arg_structs.h"
#include "../generated/exports.h"
#include "../runtime/js_convert.h"
#include "../runtime/named_args.h"
#include "radius_binding.h"
#include "radius_values.h"

namespace eaphost {

using radius::EncodedAttributes;
using radius::Policy;
using radius::ReplyAttributeSpec;

namespace {

ReplyAttributeSpec::Format FormatOf(Napi::Env env, const std::string& format) {
  if (format == "string") return ReplyAttributeSpec::Format::kString;
  if (format == "integer") return ReplyAttributeSpec::Format::kInteger;
  if (format == "ipaddr") return ReplyAttributeSpec::Format::kIpv4;
  if (format == "ipv6addr") return ReplyAttributeSpec::Format::kIpv6;
  if (format == "octets") return ReplyAttributeSpec::Format::kOctets;
  throw Napi::TypeError::New(env, "format must be string, integer, ipaddr, ipv6addr or octets");
}

}  // namespace

EncodedAttributes ReplyAttributesOf(Napi::Env env, const RadiusPolicyReply& reply) {
  radius::ReplySpec spec;
  spec.hasVlan = reply.vlan.has_value();
  if (reply.vlan) spec.vlan = *reply.vlan;
  spec.vlanTag = reply.vlanTag;
  spec.hasSessionTimeout = reply.sessionTimeout.has_value();
  spec.sessionTimeout = reply.sessionTimeout.value_or(0);
  spec.hasFilterId = reply.filterId.has_value();
  if (reply.filterId) spec.filterId = *reply.filterId;
  spec.hasClass = reply.classValue.has_value();
  if (reply.classValue) spec.classValue = *reply.classValue;
  spec.hasReplyMessage = reply.replyMessage.has_value();
  if (reply.replyMessage) spec.replyMessage = *reply.replyMessage;
  for (const RadiusPolicyAttribute& given : reply.attributes) {
    ReplyAttributeSpec attribute;
    attribute.type = given.vendor != 0 ? 26u : given.type;
    attribute.vendor = given.vendor;
    attribute.vendorType = given.vendorType;
    attribute.tag = given.tag ? static_cast<int>(std::min<eap::DWORD>(*given.tag, 0x100)) : -1;
    attribute.format = FormatOf(env, given.format);
    attribute.text = given.value;
    spec.attributes.push_back(std::move(attribute));
  }
  EncodedAttributes out;
  std::string error;
  if (!radius::EncodeReply(spec, &out, &error)) throw Napi::RangeError::New(env, "reply: " + error);
  return out;
}

std::shared_ptr<const Policy> PolicyOf(Napi::Env env, const RadiusPolicy& given) {
  auto policy = std::make_shared<Policy>();
  for (size_t i = 0; i < given.rules.size(); ++i) {
    const RadiusPolicyRule& from = given.rules[i];
    radius::PolicyRule rule;
    rule.user = from.user;
    rule.userName = from.userName;
    rule.nasIdentifier = from.nasIdentifier;
    rule.ssid = from.ssid;
    rule.calledStationId = from.calledStationId;
    rule.callingStationId = from.callingStationId;
    for (const RadiusPolicyNetwork& network : from.nasNetworks) {
      radius::ClientNetwork parsed = NetworkValue(env, network.network, "nasNetworks");
      if (network.prefix > (parsed.family == 4 ? 32u : 128u))
        throw Napi::RangeError::New(env, "nasNetworks: prefix out of range");
      parsed.prefix = network.prefix;
      rule.nasNetworks.push_back(std::move(parsed));
    }
    rule.methods.assign(from.methods.begin(), from.methods.end());
    rule.nasPortTypes.assign(from.nasPortTypes.begin(), from.nasPortTypes.end());
    rule.reject = from.reject;
    if (from.reply) {
      try {
        rule.reply = ReplyAttributesOf(env, *from.reply);
      } catch (const Napi::Error& error) {
        throw Napi::RangeError::New(env, "rules[" + std::to_string(i) + "]." + error.Message());
      }
    }
    policy->rules.push_back(std::move(rule));
  }
  policy->mab = given.mab;
  if (given.macVlans.size() != given.macs.size()) throw Napi::TypeError::New(env, "macVlans must be as long as macs");
  for (size_t i = 0; i < given.macs.size(); ++i) {
    std::string mac;
    const std::string& text = given.macs[i];
    if (!radius::MacText(reinterpret_cast<const uint8_t*>(text.data()), text.size(), &mac)) {
      throw Napi::TypeError::New(env, "macs[" + std::to_string(i) + "] is not a MAC address");
    }
    EncodedAttributes vlan;
    std::string error;
    if (!given.macVlans[i].empty() && !radius::EncodeVlan(given.macVlans[i], given.macVlanTag, &vlan, &error)) {
      throw Napi::RangeError::New(env, "macVlans[" + std::to_string(i) + "]: " + error);
    }
    policy->macs[mac] = std::move(vlan);
  }
  return policy;
}

Napi::Array EncodedToJs(Napi::Env env, EncodedAttributes& attributes) {
  return ListOf(env, attributes, [&](std::pair<uint8_t, Bytes>& attribute) {
    return RadiusAttributeToJs(env, attribute.first, attribute.second);
  });
}

namespace {

struct PolicyOwner {
  std::shared_ptr<const Policy> policy;
};

}  // namespace

// evaluate(RadiusPolicyRequestArgs): { rule (-1: none matched), reject, attributes }.
Napi::Value seam::NativeRadiusPolicy::Evaluate(const Napi::CallbackInfo& info, Napi::Object object) {
  Napi::Env env = info.Env();
  RadiusPolicyRequestArgs args = ReadRadiusPolicyRequestArgs(object);
  radius::PolicyRequest request;
  request.user = args.user;
  request.userName = args.userName;
  request.method = args.method;
  request.nasIdentifier = args.nasIdentifier;
  if (!args.nasAddress.empty()) {
    if (!radius::ParseAddress(args.nasAddress, &request.nasAddress)) {
      throw Napi::TypeError::New(env, "evaluate: nasAddress must be a literal IP address");
    }
    request.hasNasAddress = true;
  }
  // The station ids read as a NAS's Access-Request would carry them (ReadPolicyRequest).
  auto station = [](const std::string& text, std::string* mac) {
    radius::MacText(reinterpret_cast<const uint8_t*>(text.data()), text.size(), mac);
  };
  request.callingStationId = args.callingStationId;
  station(args.callingStationId, &request.callingMac);
  request.calledStationId = args.calledStationId;
  station(args.calledStationId, &request.calledMac);
  if (args.nasPortType) request.nasPortType = *args.nasPortType;
  const Policy& policy = *OwnerOf<PolicyOwner>(info).policy;
  size_t index = 0;
  const radius::PolicyRule* rule = radius::FirstMatch(policy, request, &index);
  EncodedAttributes attributes = rule != nullptr && !rule->reject ? rule->reply : EncodedAttributes{};
  PolicyVerdictShapeWriter out(env);
  out.rule(rule != nullptr ? static_cast<double>(index) : -1);
  out.reject(rule != nullptr && rule->reject);
  out.attributes(EncodedToJs(env, attributes));
  return out.Make();
}

// encode(RadiusPolicyEncodeArgs): the attributes an authorize() reply makes.
Napi::Value seam::NativeRadiusPolicy::Encode(const Napi::CallbackInfo& info, Napi::Object object) {
  Napi::Env env = info.Env();
  EncodedAttributes attributes = ReplyAttributesOf(env, ReadRadiusPolicyEncodeArgs(object).reply);
  return EncodedToJs(env, attributes);
}

Napi::Value seam::RadiusPolicyOpen(const Napi::CallbackInfo& info, Napi::Object object) {
  Napi::Env env = info.Env();
  auto owner = std::make_shared<PolicyOwner>();
  owner->policy = PolicyOf(env, ReadRadiusPolicyOpenArgs(object).policy);
  Napi::Object out = Napi::Object::New(env);
  seam::NativeRadiusPolicy::AddMethods(env, out, owner);
  return out;
}

}  // namespace eaphost
