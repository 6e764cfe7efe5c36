// The Windows method ABI around the methods of method_catalog.h, written once: the routine
// tables EapPeerGetInfo and EapMethodAuthenticatorGetInfo hand out (peer_adapter.cc,
// authenticator_adapter.cc). BeginSession carries no EAP type, so each catalog entry gets its
// own BeginSession entry point; every other routine is shared and finds the method through the
// session handle.
#pragma once

#include <array>
#include <cstddef>
#include <type_traits>
#include <utility>

#include "../abi/eap_method_abi.h"
#include "../methods/support/method_catalog.h"
#include "../methods/support/method_identity.h"

namespace eaphost {

void FillPeerRoutines(std::size_t methodIndex, eap::EAP_PEER_METHOD_ROUTINES* routines);
void FillAuthenticatorRoutines(std::size_t methodIndex,
                               eap::EAP_AUTHENTICATOR_METHOD_ROUTINES* routines);

// The methods keep no module-wide state: each session owns everything it uses. So the
// Initialize and Shutdown routines of both sides have nothing to set up or release.
inline eap::DWORD EAP_API NoModuleState(eap::EAP_ERROR** ppEapError) {
  if (ppEapError != nullptr) *ppEapError = nullptr;
  return eap::kErrorSuccess;
}

// Errors raised before a method is chosen carry the module's first type: a host that probed
// with type 0 learns from it what to ask for. A function, not a constant: the catalog lives in
// another translation unit.
inline eap::EAP_METHOD_TYPE ModuleType() { return MethodTypeOf(kMethodCatalog[0]->type); }

// The table of a routine that carries no EAP type, one entry point per catalog entry:
// `entryFor(index)` names the instance of the routine's template bound to that index, e.g.
// [](auto index) { return &BeginSessionAt<index>; }.
template <typename EntryFor, std::size_t... Index>
constexpr auto PerMethodEntries(EntryFor entryFor, std::index_sequence<Index...>) {
  using Entry = decltype(entryFor(std::integral_constant<std::size_t, 0>{}));
  return std::array<Entry, sizeof...(Index)>{entryFor(std::integral_constant<std::size_t, Index>{})...};
}
template <typename EntryFor>
constexpr auto PerMethodEntries(EntryFor entryFor) {
  return PerMethodEntries(entryFor, std::make_index_sequence<kMethodCount>());
}

}  // namespace eaphost
