// The policy of what an Access-Accept carries (native/radius/server/radius_policy.h), and the attribute
// codec under it (native/radius/wire/radius_attribute_codec.h), read from their argument objects:
// radiusAttributesEncode / radiusAttributesDecode, typed values to and from their bytes; the policy compiled once for
// the RADIUS engine (its `policy`), an authorize() answer's reply encoded for it, and
// radiusPolicyOpen(RadiusPolicyOpenArgs): the same policy as a JS object for a path with no RADIUS reply of its own (an
// EAPOL port's embedded authenticator), whose evaluate() says what the reply would carry and encode() what an
// authorize() reply would.
#include <algorithm>
#include <memory>
#include <string>

#include "../../radius/server/radius_policy.h"
#include "../../radius/io/radius_socket.h"
#include "../generated/arg_structs.h"
#include "../generated/exports.h"
#include "../runtime/js_convert.h"
#include "../runtime/named_args.h"
#include "radius_binding.h"
#include "radius_values.h"

namespace eaphost {

using radius::AttributeSpec;
using radius::EncodedAttributes;
using radius::Policy;

namespace {

// One typed attribute as the codec takes it; a format it does not know is a TypeError.
AttributeSpec SpecOf(Napi::Env env, const RadiusPolicyAttribute& given) {
  AttributeSpec attribute;
  attribute.type = given.vendor != 0 ? 26u : given.type;
  attribute.vendor = given.vendor;
  attribute.vendorType = given.vendorType;
  attribute.tag = given.tag ? static_cast<int>(std::min<eap::DWORD>(*given.tag, 0x100)) : -1;
  if (!radius::ValueFormatOf(given.format, &attribute.format)) {
    throw Napi::TypeError::New(env, "format must be string, integer, ipaddr, ipv6addr, ipv6prefix or octets");
  }
  attribute.text = given.value;
  return attribute;
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
  for (const RadiusPolicyAttribute& given : reply.attributes) spec.attributes.push_back(SpecOf(env, given));
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
      if (!radius::NormalizeNetwork(&parsed)) {
        throw Napi::RangeError::New(
            env, "rules[" + std::to_string(i) + "].nas: " + network.network + "/" + std::to_string(network.prefix) +
                     " has address bits set past its prefix (a network's address ends in zeros)");
      }
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
      size_t size = radius::EncodedSize(rule.reply);
      if (size + radius::kLargestEapShare > radius::kMaxPacketLength) {
        throw Napi::RangeError::New(
            env, "rules[" + std::to_string(i) + "].reply: its attributes take " + std::to_string(size) +
                     " bytes, and an Access-Accept holds 4096 with EAP's share beside them (up to " +
                     std::to_string(radius::kLargestEapShare) +
                     ": EAP-Message, MS-MPPE keys, EAP-Key-Name, Message-Authenticator, the header)");
      }
    }
    policy->rules.push_back(std::move(rule));
  }
  policy->mab = given.mab;
  if (given.macVlans.size() != given.macs.size()) throw Napi::TypeError::New(env, "macVlans must be as long as macs");
  policy->macs.reserve(given.macs.size());
  for (size_t i = 0; i < given.macs.size(); ++i) {
    std::string mac;
    const std::string& text = given.macs[i];
    if (!radius::MacText(reinterpret_cast<const uint8_t*>(text.data()), text.size(), &mac)) {
      throw Napi::TypeError::New(env, "macs[" + std::to_string(i) + "] is not a MAC address");
    }
    // A VLAN ID, 1 to 4094 in decimal digits (lib/radius/policy.ts checkVlan), or '' for none.
    const std::string& vlan = given.macVlans[i];
    uint32_t id = 0;
    for (char c : vlan) id = c >= '0' && c <= '9' && id <= 4094 ? id * 10 + static_cast<uint32_t>(c - '0') : 4095;
    if (!vlan.empty() && (id < 1 || id > 4094 || vlan[0] == '0')) {
      throw Napi::RangeError::New(env, "macVlans[" + std::to_string(i) + "]: a VLAN ID is 1 to 4094");
    }
    if (id != 0 && policy->macVlans.count(static_cast<uint16_t>(id)) == 0) {
      EncodedAttributes attributes;
      std::string error;
      if (!radius::EncodeVlan(vlan, given.macVlanTag, &attributes, &error)) {
        throw Napi::RangeError::New(env, "macVlans[" + std::to_string(i) + "]: " + error);
      }
      policy->macVlans.emplace(static_cast<uint16_t>(id), std::move(attributes));
    }
    if (!policy->macs.emplace(radius::MacBits(mac), static_cast<uint16_t>(id)).second) {
      throw Napi::TypeError::New(env, "macs[" + std::to_string(i) + "] is listed twice");
    }
  }
  return policy;
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
    radius::Unmap(&request.nasAddress);
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
  PackedAttributes packed = PackList(env, attributes);
  out.packed(packed.buffer);
  out.attributes(packed.at, attributes.size());
  return out.Make();
}

// encode(RadiusPolicyEncodeArgs): the attributes an authorize() reply makes.
Napi::Value seam::NativeRadiusPolicy::Encode(const Napi::CallbackInfo& info, Napi::Object object) {
  Napi::Env env = info.Env();
  EncodedAttributes attributes = ReplyAttributesOf(env, ReadRadiusPolicyEncodeArgs(object).reply);
  return ToAttributes(env, attributes);
}

// radiusAttributesEncode(RadiusAttributesEncodeArgs): [{ type, value }], in order.
Napi::Value seam::RadiusAttributesEncode(const Napi::CallbackInfo& info, Napi::Object object) {
  Napi::Env env = info.Env();
  RadiusAttributesEncodeArgs args = ReadRadiusAttributesEncodeArgs(object);
  EncodedAttributes out;
  for (size_t i = 0; i < args.attributes.size(); ++i) {
    uint8_t type = 0;
    Bytes value;
    radius::AttributeFault fault;
    if (!radius::EncodeAttribute(SpecOf(env, args.attributes[i]), &type, &value, &fault)) {
      throw OptionRangeError(env, "attributes[" + std::to_string(i) + "]." + fault.field, fault.detail);
    }
    out.emplace_back(type, std::move(value));
  }
  return ToAttributes(env, out);
}

namespace {

Napi::Object DecodedToJs(Napi::Env env, const radius::DecodedAttribute& decoded) {
  RadiusDecodedAttributeShapeWriter out(env);
  out.type(decoded.type);
  out.name(decoded.name);
  out.format(std::string(radius::ValueFormatName(decoded.format)));
  if (decoded.isNumber) {
    out.value(Napi::Number::New(env, decoded.number));
  } else {
    out.value(Napi::String::New(env, decoded.text));
  }
  if (decoded.tag >= 0) out.tag(decoded.tag);
  if (decoded.type == radius::kVendorSpecific && decoded.error.empty()) out.vendor(decoded.vendor);
  if (decoded.vendorType != 0) out.vendorType(decoded.vendorType);
  if (!decoded.error.empty()) out.error(decoded.error);
  return out.Make();
}

}  // namespace

// radiusAttributesDecode(RadiusAttributesDecodeArgs): each attribute typed, in order.
Napi::Value seam::RadiusAttributesDecode(const Napi::CallbackInfo& info, Napi::Object object) {
  Napi::Env env = info.Env();
  RadiusAttributesDecodeArgs args = ReadRadiusAttributesDecodeArgs(object);
  if (args.packet.has_value() == args.attributes.has_value()) {
    throw Napi::TypeError::New(env, "radiusAttributesDecode: give packet or attributes, one of them");
  }
  std::vector<radius::DecodedAttribute> decoded;
  if (args.packet) {
    radius::RequestView view;
    const Bytes& packet = *args.packet;
    if (!radius::ReadRequest(packet.data(), packet.size(), &view)) {
      throw Napi::RangeError::New(env, "packet: not one RADIUS packet (" + std::to_string(packet.size()) +
                                           " bytes: a header of 20, a Length of 20..4096 that the bytes hold, "
                                           "each attribute 2 bytes or more and inside the Length)");
    }
    for (const radius::AttributeView& attribute : view.attributes) {
      decoded.push_back(radius::DecodeAttribute(attribute.type, view.value(attribute), attribute.length));
    }
  } else {
    for (uint32_t i = 0; i < args.attributes->Length(); ++i) {
      RadiusClientAttribute given = args.attributes->Read(i);
      if (given.type < 1 || given.type > 255 || given.value.size() > radius::kMaxAttributeValue) {
        throw Napi::RangeError::New(env,
                                    "attributes[" + std::to_string(i) + "]: a type of 1 to 255, at most 253 bytes");
      }
      decoded.push_back(
          radius::DecodeAttribute(static_cast<uint8_t>(given.type), given.value.data(), given.value.size()));
    }
  }
  return ListOf(env, decoded, [&](const radius::DecodedAttribute& attribute) { return DecodedToJs(env, attribute); });
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
