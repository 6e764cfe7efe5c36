#include "method_library.h"

#include "library_os.h"

namespace eaphost {

namespace {

template <typename Function>
void Resolve(void* handle, const char* name, Function* slot) {
  *slot = reinterpret_cast<Function>(library_os::FindExport(handle, name));
}

// A side the module claims (it has the GetInfo) must also have both free functions: without
// them every buffer and error it returns would leak or be freed by the wrong allocator.
bool CheckSide(const MethodLibrary& library, const char* side, bool present, bool hasFree,
               const char* freeName, bool hasFreeError, const char* freeErrorName,
               EapErrorInfo* error) {
  if (!present || (hasFree && hasFreeError)) return true;
  const char* missing = hasFree ? freeErrorName : freeName;
  if (error != nullptr) {
    *error = HostError(eap::kErrorProcNotFound, "MethodLibrary::Load",
                       library.path() + " exports the " + side + " GetInfo but not " + missing);
  }
  return false;
}

}  // namespace

std::shared_ptr<MethodLibrary> MethodLibrary::Load(const std::string& path, EapErrorInfo* error) {
  void* handle = library_os::OpenLibrary(path, "EAP method module", error);
  if (handle == nullptr) return nullptr;

  std::shared_ptr<MethodLibrary> library(new MethodLibrary());
  library->path_ = path;
  library->handle_ = handle;  // from here the destructor unloads on every failure path
  Resolve(handle, EAP_PEER_GET_INFO_NAME, &library->peerGetInfo);
  Resolve(handle, EAP_PEER_FREE_MEMORY_NAME, &library->peerFreeMemory);
  Resolve(handle, EAP_PEER_FREE_ERROR_MEMORY_NAME, &library->peerFreeErrorMemory);
  Resolve(handle, EAP_PEER_QUERY_CREDENTIAL_INPUT_FIELDS_NAME,
          &library->peerQueryCredentialInputFields);
  Resolve(handle, EAP_PEER_QUERY_USER_BLOB_NAME, &library->peerQueryUserBlob);
  Resolve(handle, EAP_AUTHENTICATOR_GET_INFO_NAME, &library->authenticatorGetInfo);
  Resolve(handle, EAP_AUTHENTICATOR_FREE_MEMORY_NAME, &library->authenticatorFreeMemory);
  Resolve(handle, EAP_AUTHENTICATOR_FREE_ERROR_MEMORY_NAME,
          &library->authenticatorFreeErrorMemory);

  if (!library->hasPeer() && !library->hasAuthenticator()) {
    if (error != nullptr) {
      *error = HostError(eap::kErrorProcNotFound, "MethodLibrary::Load",
                         path + " is not an EAP method module: it exports neither " +
                             EAP_PEER_GET_INFO_NAME + " nor " + EAP_AUTHENTICATOR_GET_INFO_NAME);
    }
    return nullptr;
  }
  if (!CheckSide(*library, "peer", library->hasPeer(), library->peerFreeMemory != nullptr,
                 EAP_PEER_FREE_MEMORY_NAME, library->peerFreeErrorMemory != nullptr,
                 EAP_PEER_FREE_ERROR_MEMORY_NAME, error) ||
      !CheckSide(*library, "authenticator", library->hasAuthenticator(),
                 library->authenticatorFreeMemory != nullptr, EAP_AUTHENTICATOR_FREE_MEMORY_NAME,
                 library->authenticatorFreeErrorMemory != nullptr,
                 EAP_AUTHENTICATOR_FREE_ERROR_MEMORY_NAME, error)) {
    return nullptr;
  }
  return library;
}

MethodLibrary::~MethodLibrary() { library_os::CloseLibrary(handle_); }

MethodLibrary::ExportAddress MethodLibrary::FindAddress(const char* name) const {
  return library_os::FindExport(handle_, name);
}

}  // namespace eaphost
