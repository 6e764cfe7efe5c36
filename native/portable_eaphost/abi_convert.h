// Turns the hosts' owned C++ values into the ABI structures EapHostPeer* callers receive.
// Each function makes ONE allocation (from runtime_memory.h) holding the structure and
// everything it points to. Where a reference page tells the caller to free inner pointers
// first (the configuration API), those are recorded as inner pointers of the block, so the
// ledger holds the caller to that order; the memory goes when the block is freed.
// All return null when out of memory.
#pragma once

#include <string>
#include <vector>

#include "../abi/eap_types.h"
#include "../common/eap_error_info.h"
#include "../method_registry/method_registry.h"
#include "../hosts/peer_method_host.h"

namespace eaphost {
namespace portable {

eap::EAP_ERROR* NewEapError(const EapErrorInfo& info);

// Stores a new EAP_ERROR in *out (when out is not null) and returns the error code to
// return from the export: never 0, so a failure can never read as success.
eap::DWORD ReportError(const EapErrorInfo& info, eap::EAP_ERROR** out);

// Runtime buffers.
eap::BYTE* NewBuffer(const Bytes& bytes);
eap::LPWSTR NewWideString(const std::u16string& text);

// An EAP_ATTRIBUTES header followed by its EAP_ATTRIBUTE array and all values.
eap::EAP_ATTRIBUTES* NewAttributesBlock(const Attributes& attributes);
// Just the EAP_ATTRIBUTE array and its values (for a caller-owned EAP_ATTRIBUTES header);
// null when `attributes` is empty.
eap::EAP_ATTRIBUTE* NewAttributeArray(const Attributes& attributes);

// EAP_METHOD_INFO for one registration, or an array of them, with their strings.
eap::EAP_METHOD_INFO* NewMethodInfo(const MethodRegistration& registration);
eap::EAP_METHOD_INFO* NewMethodInfoArray(const std::vector<const MethodRegistration*>& methods);

}  // namespace portable
}  // namespace eaphost
