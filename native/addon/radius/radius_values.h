// What the RADIUS roles' bindings read alike (radius_engine_binding.cc defines them): a shared
// secret, a literal address, a client network with its secret; each refuses a bad value with a
// TypeError or RangeError naming it.
#pragma once

#include <memory>
#include <string>

#include <napi.h>

#include "../../radius/wire/radius_base.h"
#include "../generated/arg_structs.h"
#include "../methods/shaped_results.h"

namespace eaphost {

namespace radius {
struct Policy;  // radius_policy.h
}  // namespace radius

// A non-empty Buffer, into the lane's wiped storage.
std::shared_ptr<const radius::SharedSecret> SecretValue(Napi::Env env, Napi::Value value);
// A literal address as a network of its whole length (no secret).
radius::ClientNetwork NetworkValue(Napi::Env env, const std::string& value, const char* what);
// A network as text ("10.1.0.0/22", "192.0.2.7"): false for what is none (radsec_admission_binding.cc).
bool NetworkTextOf(const std::string& network, radius::ClientNetwork* parsed);
// A client: its network, prefix and secret.
radius::ClientNetwork ClientNetworkOf(Napi::Env env, const RadiusEngineClient& client);

// radius_policy_binding.cc: a policy compiled (its replies encoded) and a reply encoded; a bad
// value is a TypeError or RangeError. Encoded attributes reach JS as ToAttributes makes them.
std::shared_ptr<const radius::Policy> PolicyOf(Napi::Env env, const RadiusPolicy& given);
radius::EncodedAttributes ReplyAttributesOf(Napi::Env env, const RadiusPolicyReply& reply);

}  // namespace eaphost
