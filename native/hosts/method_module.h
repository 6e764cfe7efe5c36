// The core every method host shares: one loaded method module, one side of it (peer or
// authenticator). Opening (GetInfo for a type, or a probe that learns the type from the
// module's refusal; every routine the ABI requires present; Initialize), Shutdown when the last
// reference goes, and the module's own free functions for its errors and memory. The side
// (PeerSide, AuthenticatorSide below) names the ABI entry points; nothing else differs.
#pragma once

#include <initializer_list>
#include <memory>
#include <string>

#include "../abi/eap_method_abi.h"
#include "../common/eap_error_info.h"
#include "../common/secure_zero.h"
#include "method_call.h"
#include "method_library.h"
#include "method_values.h"

namespace eaphost {

template <typename Side>
class MethodModule {
 public:
  using Routines = typename Side::Routines;
  using TypeId = typename Side::TypeId;

  MethodModule(const MethodModule&) = delete;
  MethodModule& operator=(const MethodModule&) = delete;

  const TypeId& type() const { return type_; }
  const Routines& routines() const { return routines_; }
  const std::shared_ptr<MethodLibrary>& library() const { return library_; }
  // The type GetInfo accepted (after a probe: the one the module named).
  const eap::EAP_METHOD_TYPE& openedAs() const { return openedAs_; }
  // The buffers its packets are filled in (FillPacket), shared by its sessions.
  PacketBuffers& packetBuffers() const { return packetBuffers_; }

  // Copies then frees (with the module's own functions).
  EapErrorInfo TakeError(eap::EAP_ERROR* error, eap::DWORD win32Error, const char* call) {
    EapErrorInfo info = CopyEapError(error, win32Error, call, ErrorOrigin::kMethod);
    if (error != nullptr) Side::FreeError(*library_, error);
    if (win32Error != eap::kErrorSuccess) DescribeBareFailure(&info, call);
    return info;
  }
  void FreeMemory(void* memory) {
    if (memory != nullptr) Side::FreeMemory(*library_, memory);
  }
  // A buffer that may carry a secret (user data, connection data, UI context): wiped here, in
  // the host, before the module releases it, whatever the module's own allocator does.
  void FreeSecret(void* memory, std::size_t size) {
    SecureZero(memory, size);
    FreeMemory(memory);
  }

 protected:
  MethodModule() = default;
  ~MethodModule() {
    if (!initialized_) return;
    eap::EAP_ERROR* raw = nullptr;
    // Nothing can be reported from a destructor: the error is only freed.
    if (Side::Shutdown(routines_, type_, &raw) != eap::kErrorSuccess || raw != nullptr) {
      TakeError(raw, 0, Side::kShutdown);
    }
  }

  // Every host's Open: loads the library at `path` and opens a `Method` (which befriends
  // MethodModule: its constructor is private) for `type`, or probing for it when `type` is null.
  template <typename Method>
  static std::shared_ptr<Method> Load(const std::string& path, const eap::EAP_METHOD_TYPE* type, EapErrorInfo* error) {
    std::shared_ptr<MethodLibrary> library = MethodLibrary::Load(path, error);
    if (!library) return nullptr;
    std::shared_ptr<Method> method(new Method());
    bool probe = type == nullptr;
    if (!Open(method.get(), std::move(library), probe ? eap::EAP_METHOD_TYPE{} : *type, probe, error)) return nullptr;
    return method;
  }

  // Opens `module` over `library`. With probe, GetInfo gets a zeroed type, and a refusal whose
  // EAP_ERROR names the module's own type is retried once with that type.
  static bool Open(MethodModule* module, std::shared_ptr<MethodLibrary> library, const eap::EAP_METHOD_TYPE& type,
                   bool probe, EapErrorInfo* error) {
    if (!library || !Side::Exports(*library)) {
      Report(error, HostError(eap::kErrorProcNotFound, Side::kGetInfo,
                              (library ? library->path() : std::string("(no library)")) + " has no " +
                                  Side::kSideName + " side: it does not export " + Side::kGetInfo));
      return false;
    }
    module->library_ = std::move(library);
    module->routines_ = Routines{};
    module->openedAs_ = type;
    eap::EAP_ERROR* raw = nullptr;
    eap::DWORD result = Side::GetInfo(*module->library_, type, &module->routines_, &raw);
    if (result != eap::kErrorSuccess) {
      EapErrorInfo info = module->TakeError(raw, result, Side::kGetInfo);
      // A refusal that names the method's own type tells us what to ask for: one retry.
      if (probe && info.methodType.eapType.type != 0) {
        return Open(module, module->library_, info.methodType, false, error);
      }
      if (probe) info.rootCauseString += Utf8ToUtf16("; open it with the EAP type it serves");
      Report(error, std::move(info));
      return false;
    }
    if (raw != nullptr) module->TakeError(raw, result, Side::kGetInfo);
    // The routines table is the method's promise of what it implements; a null entry would be
    // a crash in mid-conversation, so it is refused here.
    std::string defect = Side::TableDefect(module->routines_);
    if (!defect.empty()) {
      Report(error, HostError(eap::kErrorProcNotFound, Side::kGetInfo, module->library_->path() + " " + defect));
      return false;
    }
    if (module->routines_.pEapType != nullptr) {
      module->type_ = *module->routines_.pEapType;
    } else if (!probe) {
      module->type_ = Side::Requested(type);
    } else {
      Report(error, HostError(eap::kErrorNotSupported, Side::kGetInfo,
                              module->library_->path() + " does not report the EAP type it serves; open it with a type"));
      return false;
    }
    raw = nullptr;
    result = Side::Initialize(module->routines_, module->type_, &raw);
    if (!MethodSucceeded(*module, result, raw, Side::kInitialize, error)) return false;
    module->initialized_ = true;
    return true;
  }

 private:
  std::shared_ptr<MethodLibrary> library_;
  TypeId type_{};
  eap::EAP_METHOD_TYPE openedAs_{};
  Routines routines_{};
  bool initialized_ = false;
  mutable PacketBuffers packetBuffers_;
};

// The first routine a method left null in its table (by name), or null when none is.
struct RequiredRoutine {
  const char* name;
  bool present;
};
inline std::string FirstMissing(std::initializer_list<RequiredRoutine> routines) {
  for (const RequiredRoutine& routine : routines) {
    if (!routine.present) return std::string("returned no ") + routine.name + " routine";
  }
  return std::string();
}

struct PeerSide {
  using Routines = eap::EAP_PEER_METHOD_ROUTINES;
  using TypeId = eap::EAP_TYPE;
  static constexpr const char* kSideName = "peer";
  static constexpr const char* kGetInfo = EAP_PEER_GET_INFO_NAME;
  static constexpr const char* kInitialize = "EapPeerInitialize";
  static constexpr const char* kShutdown = "EapPeerShutdown";
  static bool Exports(const MethodLibrary& library) { return library.hasPeer(); }
  static TypeId Requested(const eap::EAP_METHOD_TYPE& type) { return type.eapType; }
  static eap::DWORD GetInfo(const MethodLibrary& library, const eap::EAP_METHOD_TYPE& type, Routines* routines,
                            eap::EAP_ERROR** error) {
    eap::EAP_TYPE requested = type.eapType;
    return library.peerGetInfo(&requested, routines, error);
  }
  static eap::DWORD Initialize(const Routines& routines, const TypeId&, eap::EAP_ERROR** error) {
    return routines.EapPeerInitialize(error);
  }
  static eap::DWORD Shutdown(const Routines& routines, const TypeId&, eap::EAP_ERROR** error) {
    return routines.EapPeerShutdown(error);
  }
  static void FreeError(const MethodLibrary& library, eap::EAP_ERROR* error) { library.peerFreeErrorMemory(error); }
  static void FreeMemory(const MethodLibrary& library, void* memory) { library.peerFreeMemory(memory); }
  // What is wrong with the routine table GetInfo filled, or empty: peer_method_host.cc.
  static std::string TableDefect(const Routines& routines);
};

struct AuthenticatorSide {
  using Routines = eap::EAP_AUTHENTICATOR_METHOD_ROUTINES;
  using TypeId = eap::EAP_METHOD_TYPE;
  static constexpr const char* kSideName = "authenticator";
  static constexpr const char* kGetInfo = EAP_AUTHENTICATOR_GET_INFO_NAME;
  static constexpr const char* kInitialize = "EapMethodAuthenticatorInitialize";
  static constexpr const char* kShutdown = "EapMethodAuthenticatorShutdown";
  static bool Exports(const MethodLibrary& library) { return library.hasAuthenticator(); }
  static TypeId Requested(const eap::EAP_METHOD_TYPE& type) { return type; }
  static eap::DWORD GetInfo(const MethodLibrary& library, const eap::EAP_METHOD_TYPE& type, Routines* routines,
                            eap::EAP_ERROR** error) {
    eap::EAP_METHOD_TYPE requested = type;
    routines->dwSizeInBytes = sizeof(*routines);
    return library.authenticatorGetInfo(&requested, routines, error);
  }
  static eap::DWORD Initialize(const Routines& routines, const TypeId& type, eap::EAP_ERROR** error) {
    eap::EAP_METHOD_TYPE initType = type;
    return routines.EapMethodAuthenticatorInitialize(&initType, error);
  }
  static eap::DWORD Shutdown(const Routines& routines, const TypeId& type, eap::EAP_ERROR** error) {
    eap::EAP_METHOD_TYPE shutdownType = type;
    return routines.EapMethodAuthenticatorShutdown(&shutdownType, error);
  }
  static void FreeError(const MethodLibrary& library, eap::EAP_ERROR* error) {
    library.authenticatorFreeErrorMemory(error);
  }
  static void FreeMemory(const MethodLibrary& library, void* memory) { library.authenticatorFreeMemory(memory); }
  // What is wrong with the routine table GetInfo filled, or empty: authenticator_method_host.cc.
  static std::string TableDefect(const Routines& routines);
};

}  // namespace eaphost
