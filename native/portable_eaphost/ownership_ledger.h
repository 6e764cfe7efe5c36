// The stand-in's record of every pointer it hands out, so it can be as strict as Windows is
// documented to be (docs/WINDOWS-CONTRACT.md) and fail loudly where Windows would corrupt its
// heap or leak silently: a buffer freed twice or with the wrong EapHostPeerFree* function, a
// buffer EAPHost owns freed by the caller, an outer pointer freed before its inner pointers,
// an EAP_ERROR still outstanding when its session ends, a connection never cleared.
//
// Who owns what is decided per export (the ExportScope every export opens), not per call site,
// so one table says which memory each API returns.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>

namespace eaphost {
namespace portable {

// Who releases a pointer this library returned, and with which function.
enum class Ownership {
  kSession,        // EAPHost's: released at EndSession (GetSendPacket, GetResult, ...)
  kRuntimeMemory,  // the caller's: EapHostPeerFreeRuntimeMemory (GetIdentity's outputs)
  kConfigMemory,   // the caller's: EapHostPeerFreeMemory, inner pointers first
  kRuntimeError,   // the caller's: EapHostPeerFreeEapError
  kConfigError,    // the caller's: EapHostPeerFreeErrorMemory
};

// The function a caller used to release a pointer.
enum class FreeFunction { kRuntimeMemory, kMemory, kEapError, kErrorMemory };

// Reports a broken contract: one line on stderr naming the rule, then abort() unless
// EAPHOST_STANDIN_STRICT=report (then the report stays and the call is refused/ignored).
void ContractViolation(const std::string& rule);
// The same line, never aborting: for what is found while the library unloads.
void ReportAtExit(const std::string& rule);

// Opened by every export: allocations inside it get the export's ownership.
class ExportScope {
 public:
  explicit ExportScope(const char* call);
  ~ExportScope();
  ExportScope(const ExportScope&) = delete;
  ExportScope& operator=(const ExportScope&) = delete;
  // The session the export works on (set when the session is found): its kSession memory and
  // its EAP_ERRORs are checked and released when that session ends.
  static void SetSession(std::uint32_t sessionId);
};

// Records a new allocation; `asError` for an EAP_ERROR returned through ppEapError.
void RecordAllocation(void* pointer, bool asError);
// A pointer inside `block` the caller must free (with the block's function) before the block.
void RecordInnerPointer(void* block, void* inner);
// Checks a caller's free. True when the memory may really be released now (the pointer is a
// block whose inner pointers are all freed); false when the free only marks an inner pointer,
// or broke the contract (reported).
bool ReleaseByCaller(void* pointer, FreeFunction function, void** blockToRelease);
// Forgets an allocation the library released itself (out-of-memory paths).
void ForgetAllocation(void* pointer);

// At EndSession (and ClearConnection for each of its sessions): EAP_ERRORs of the session the
// caller never freed are a violation; the session's EAPHost-owned memory is released.
void EndSessionMemory(std::uint32_t sessionId);
// At the last Uninitialize / library unload: caller-owned runtime memory still outstanding.
void CheckNoRuntimeMemoryOutstanding(const char* when);

}  // namespace portable
}  // namespace eaphost
