// What the RADIUS roles' bindings read alike (radius_engine_binding.cc defines them): a shared
// secret, a literal address, a client network with its secret; each refuses a bad value with a
// TypeError or RangeError naming it.
#pragma once

#include <memory>

#include <napi.h>

#include "../radius/radius_lane.h"

namespace eaphost {

// A non-empty Buffer, into the lane's wiped storage.
std::shared_ptr<const radius::SharedSecret> SecretValue(Napi::Env env, Napi::Value value);
// A literal address as a network of its whole length (no secret).
radius::ClientNetwork NetworkValue(Napi::Env env, Napi::Value value, const char* what);
// { network, prefix, secret }.
radius::ClientNetwork ClientNetworkValue(Napi::Env env, Napi::Value entry);

}  // namespace eaphost
