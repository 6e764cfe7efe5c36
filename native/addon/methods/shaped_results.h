// Results several binding groups build through the seam's generated writers (result_shapes.h):
// an attribute list alone, and a peer's identity. Here, above the runtime, which includes no
// generated header; the groups over methods/ (eaphost/, radius/) include it from here.
#pragma once

#include <napi.h>

#include "../../common/secure_zero.h"
#include "../../hosts/peer_method_host.h"
#include "../generated/result_shapes.h"
#include "../runtime/js_convert.h"

namespace eaphost {

// A list alone as JS has it: [{ type, value }], each value a view of the slab.
template <typename List>
Napi::Value ToAttributes(Napi::Env env, const List& attributes) {
  if (attributes.empty()) return Napi::Array::New(env, 0);
  PackedAttributes packed = PackList(env, attributes);
  AttributesShapeWriter out(env);
  out.packed(packed.buffer);
  out.list(packed.at, attributes.size());
  return out.Make();
}
inline Napi::Value SettleAttributes(Napi::Env env, Attributes& attributes) { return ToAttributes(env, attributes); }

// GetIdentity's outcome; the user data it returned (credentials) is wiped once copied.
inline Napi::Value IdentityToJs(Napi::Env env, PeerIdentity& identity) {
  IdentityShapeWriter result(env);
  result.invokeUI(identity.invokeUI);
  result.userData(ToBuffer(env, identity.userDataOut));
  result.identity(identity.identity);
  SecureZeroContents(identity.userDataOut);
  return result.Make();
}

}  // namespace eaphost
