// Helpers shared by the EapHostPeer* export files: argument checks, the exception barrier,
// and the session look-up every runtime call starts with.
#pragma once

#include <memory>
#include <new>
#include <string>

#include "../abi/eap_host_peer_abi.h"
#include "abi_convert.h"
#include "ownership_ledger.h"
#include "peer_runtime.h"
#include "runtime_memory.h"

namespace eaphost {
namespace portable {

// The caller's half of every EapHostPeerFree* export: the ledger checks the pointer was the
// caller's to free with this function, then the memory is wiped and released.
inline void ReleaseForCaller(void* pointer, FreeFunction function) {
  void* block = nullptr;
  if (ReleaseByCaller(pointer, function, &block)) FreeCallerMemory(block);
}

inline eap::DWORD InvalidParameter(const char* call, const std::string& what,
                                   eap::EAP_ERROR** ppEapError) {
  return ReportError(HostError(eap::kErrorInvalidParameter, call, what), ppEapError);
}

inline eap::DWORD OutOfMemory(const char* call, eap::EAP_ERROR** ppEapError) {
  return ReportError(HostError(eap::kErrorNotEnoughMemory, call, "out of memory"), ppEapError);
}

// Where an export reports its failure: without ppEapError it can only return
// ERROR_INVALID_PARAMETER; with it, *ppEapError starts null (the caller frees what it finds).
inline bool TakeErrorOut(eap::EAP_ERROR** ppEapError) {
  if (ppEapError == nullptr) return false;
  *ppEapError = nullptr;
  return true;
}

// Every export that can fail runs its body inside this: ppEapError is checked and cleared
// first (TakeErrorOut), and no C++ exception may cross the C ABI. It also opens the export's
// ownership scope, so what the body allocates is owned as `call`'s page says.
template <typename Body>
eap::DWORD Guard(const char* call, eap::EAP_ERROR** ppEapError, Body body) {
  if (!TakeErrorOut(ppEapError)) return eap::kErrorInvalidParameter;
  ExportScope scope(call);
  try {
    return body();
  } catch (const std::bad_alloc&) {
    return OutOfMemory(call, ppEapError);
  } catch (...) {
    return ReportError(HostError(eap::kErrorInvalidState, call, "internal error"), ppEapError);
  }
}

inline bool CopyIn(const eap::BYTE* data, eap::DWORD size, Bytes* out) {
  if (size != 0 && data == nullptr) return false;
  out->assign(data, data + size);
  return true;
}

// CopyAttributes trusts its input; a caller's array is checked here first.
inline bool ValidAttributes(const eap::EAP_ATTRIBUTES* attributes) {
  if (attributes == nullptr || attributes->dwNumberOfAttributes == 0) return true;
  if (attributes->pAttribs == nullptr) return false;
  for (eap::DWORD i = 0; i < attributes->dwNumberOfAttributes; ++i) {
    const eap::EAP_ATTRIBUTE& a = attributes->pAttribs[i];
    if (a.dwLength != 0 && a.pValue == nullptr) return false;
  }
  return true;
}

inline Attributes CopyAttributesIn(const eap::EAP_ATTRIBUTES* attributes) {
  if (attributes == nullptr || attributes->dwNumberOfAttributes == 0) return Attributes();
  return CopyAttributes(attributes);
}

// The live session behind an id (requires Initialize), or null with *error set.
inline std::shared_ptr<PeerConversation> FindLiveSession(eap::DWORD id, const char* call,
                                                         EapErrorInfo* error) {
  PeerRuntime& runtime = PeerRuntime::Instance();
  if (!runtime.CheckInitialized(call, error)) return nullptr;
  auto session = runtime.FindSession(id, call, error);
  if (session != nullptr) ExportScope::SetSession(id);
  return session;
}

}  // namespace portable
}  // namespace eaphost
