#include "ownership_ledger.h"

#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <mutex>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include "runtime_memory.h"
#include "../common/environment.h"

namespace eaphost {
namespace portable {

namespace {

struct Entry {
  Ownership ownership;
  std::uint32_t sessionId;
  void* block;             // the block an inner pointer lies in; null for a block
  std::size_t innerCount;  // a block's inner pointers not yet freed
  const char* call;        // the export that returned it (a static name)
};

// Never destroyed: it must outlive every static destructor that could still free memory.
// Besides the entries, each session's blocks and each block's inner pointers are indexed: ending
// a session or forgetting a block then touches only its own entries. A pass over the whole ledger
// made every EndSession cost as much as all live sessions' buffers, so sessions a caller left to
// end later (collected by a garbage collector, say) slowed every other session's end.
struct Ledger {
  std::mutex mutex;
  std::unordered_map<void*, Entry> entries;
  std::unordered_map<std::uint32_t, std::unordered_set<void*>> blocksBySession;
  // Inner pointers recorded for a block; one freed since may still be listed (checked on use).
  std::unordered_map<void*, std::vector<void*>> innersByBlock;

  void Insert(void* pointer, const Entry& entry) {
    auto found = entries.find(pointer);
    if (found != entries.end()) Erase(found);
    entries.emplace(pointer, entry);
    if (entry.block == nullptr) {
      blocksBySession[entry.sessionId].insert(pointer);
    } else {
      innersByBlock[entry.block].push_back(pointer);
    }
  }

  void Erase(std::unordered_map<void*, Entry>::iterator it) {
    void* pointer = it->first;
    if (it->second.block == nullptr) {
      auto session = blocksBySession.find(it->second.sessionId);
      if (session != blocksBySession.end()) {
        session->second.erase(pointer);
        if (session->second.empty()) blocksBySession.erase(session);
      }
      innersByBlock.erase(pointer);
    }
    entries.erase(it);
  }
};

Ledger& TheLedger() {
  static Ledger* ledger = new Ledger();
  return *ledger;
}

struct ScopeState {
  const char* call = nullptr;
  std::uint32_t sessionId = 0;
};
thread_local ScopeState currentScope;

// The ownership each export's memory and errors have, from the reference pages.
Ownership MemoryOwnership(const char* call) {
  static const char* const kSessionCalls[] = {
      "EapHostPeerBeginSession",          "EapHostPeerProcessReceivedPacket", "EapHostPeerGetSendPacket",
      "EapHostPeerGetResult",             "EapHostPeerGetUIContext",          "EapHostPeerSetUIContext",
      "EapHostPeerGetResponseAttributes", "EapHostPeerSetResponseAttributes", "EapHostPeerGetAuthStatus",
      "EapHostPeerEndSession",            "EapHostPeerClearConnection"};
  if (call == nullptr) return Ownership::kConfigMemory;
  for (const char* name : kSessionCalls) {
    if (std::strcmp(call, name) == 0) return Ownership::kSession;
  }
  if (std::strcmp(call, "EapHostPeerGetIdentity") == 0) return Ownership::kRuntimeMemory;
  return Ownership::kConfigMemory;
}

Ownership ErrorOwnership(const char* call) {
  // GetIdentity's page names EapHostPeerFreeErrorMemory; the session calls are the ones
  // EapHostPeerFreeEapError's page lists.
  return MemoryOwnership(call) == Ownership::kSession ? Ownership::kRuntimeError : Ownership::kConfigError;
}

const char* FreeName(FreeFunction function) {
  switch (function) {
    case FreeFunction::kRuntimeMemory: return "EapHostPeerFreeRuntimeMemory";
    case FreeFunction::kMemory: return "EapHostPeerFreeMemory";
    case FreeFunction::kEapError: return "EapHostPeerFreeEapError";
    case FreeFunction::kErrorMemory: return "EapHostPeerFreeErrorMemory";
  }
  return "?";
}

// The one function that releases memory of each ownership (none for EAPHost's own).
bool Matches(Ownership ownership, FreeFunction function) {
  switch (ownership) {
    case Ownership::kRuntimeMemory: return function == FreeFunction::kRuntimeMemory;
    case Ownership::kConfigMemory: return function == FreeFunction::kMemory;
    case Ownership::kRuntimeError: return function == FreeFunction::kEapError;
    case Ownership::kConfigError: return function == FreeFunction::kErrorMemory;
    case Ownership::kSession: return false;
  }
  return false;
}

const char* RightFree(Ownership ownership) {
  switch (ownership) {
    case Ownership::kRuntimeMemory: return "EapHostPeerFreeRuntimeMemory";
    case Ownership::kConfigMemory: return "EapHostPeerFreeMemory";
    case Ownership::kRuntimeError: return "EapHostPeerFreeEapError";
    case Ownership::kConfigError: return "EapHostPeerFreeErrorMemory";
    case Ownership::kSession: return "no function (EAPHost frees it at EapHostPeerEndSession)";
  }
  return "?";
}

std::string Address(const void* pointer) {
  char text[32];
  std::snprintf(text, sizeof text, "%p", pointer);
  return text;
}

}  // namespace

void ContractViolation(const std::string& rule) {
  std::fprintf(stderr, "eaphost stand-in: EAPHost contract violated: %s\n", rule.c_str());
  std::fflush(stderr);
  if (EnvironmentValue("EAPHOST_STANDIN_STRICT") == "report") return;
  std::abort();
}

void ReportAtExit(const std::string& rule) {
  std::fprintf(stderr, "eaphost stand-in: EAPHost contract violated: %s\n", rule.c_str());
  std::fflush(stderr);
}

ExportScope::ExportScope(const char* call) { currentScope = ScopeState{call, 0}; }

ExportScope::~ExportScope() { currentScope = ScopeState{}; }

void ExportScope::SetSession(std::uint32_t sessionId) { currentScope.sessionId = sessionId; }

void RecordAllocation(void* pointer, bool asError) {
  if (pointer == nullptr) return;
  Ownership ownership = asError ? ErrorOwnership(currentScope.call) : MemoryOwnership(currentScope.call);
  // Errors returned through ppEapError belong to the caller even from a session call.
  Ledger& ledger = TheLedger();
  std::lock_guard<std::mutex> lock(ledger.mutex);
  ledger.Insert(pointer, Entry{ownership, currentScope.sessionId, nullptr, 0, currentScope.call});
}

void RecordInnerPointer(void* block, void* inner) {
  if (block == nullptr || inner == nullptr || block == inner) return;
  Ledger& ledger = TheLedger();
  std::lock_guard<std::mutex> lock(ledger.mutex);
  auto outer = ledger.entries.find(block);
  if (outer == ledger.entries.end()) return;
  if (ledger.entries.count(inner) != 0) return;  // one pointer, one entry
  ++outer->second.innerCount;
  ledger.Insert(inner, Entry{outer->second.ownership, outer->second.sessionId, block, 0, outer->second.call});
}

bool ReleaseByCaller(void* pointer, FreeFunction function, void** blockToRelease) {
  *blockToRelease = nullptr;
  if (pointer == nullptr) return false;
  std::string violation;
  {
    Ledger& ledger = TheLedger();
    std::lock_guard<std::mutex> lock(ledger.mutex);
    auto it = ledger.entries.find(pointer);
    if (it == ledger.entries.end()) {
      violation = std::string(FreeName(function)) + "(" + Address(pointer) +
                  "): not a pointer EAPHost returned, or one already freed (a double free)";
    } else if (it->second.ownership == Ownership::kSession) {
      violation = std::string(FreeName(function)) + "(" + Address(pointer) +
                  "): EAPHost owns this buffer until EapHostPeerEndSession; the caller must copy it, never free it";
    } else if (!Matches(it->second.ownership, function)) {
      violation = std::string(FreeName(function)) + "(" + Address(pointer) + "): freed with the wrong function; " +
                  "it must be freed with " + RightFree(it->second.ownership);
    } else if (it->second.block != nullptr) {
      auto outer = ledger.entries.find(it->second.block);
      if (outer != ledger.entries.end() && outer->second.innerCount > 0) --outer->second.innerCount;
      ledger.Erase(it);
      return false;  // released with its block
    } else if (it->second.innerCount > 0) {
      violation = std::string(FreeName(function)) + "(" + Address(pointer) + "): " +
                  std::to_string(it->second.innerCount) +
                  " inner pointer(s) not freed yet; the reference page says to free them first, innermost first";
    } else {
      ledger.Erase(it);
      *blockToRelease = pointer;
      return true;
    }
  }
  ContractViolation(violation);
  return false;
}

void ForgetAllocation(void* pointer) {
  if (pointer == nullptr) return;
  Ledger& ledger = TheLedger();
  std::lock_guard<std::mutex> lock(ledger.mutex);
  auto it = ledger.entries.find(pointer);
  if (it == ledger.entries.end()) return;
  // A block's inner pointers go with it.
  if (it->second.block == nullptr && it->second.innerCount > 0) {
    auto inners = ledger.innersByBlock.find(pointer);
    if (inners != ledger.innersByBlock.end()) {
      for (void* inner : inners->second) {
        auto entry = ledger.entries.find(inner);
        if (entry != ledger.entries.end() && entry->second.block == pointer) ledger.Erase(entry);
      }
    }
  }
  ledger.Erase(ledger.entries.find(pointer));
}

void EndSessionMemory(std::uint32_t sessionId) {
  std::vector<void*> owned;
  std::size_t errors = 0;
  std::string calls;  // which exports returned them, so the report names the call to fix
  {
    Ledger& ledger = TheLedger();
    std::lock_guard<std::mutex> lock(ledger.mutex);
    auto blocks = ledger.blocksBySession.find(sessionId);
    if (blocks == ledger.blocksBySession.end()) return;
    for (void* pointer : blocks->second) {
      const Entry& entry = ledger.entries.at(pointer);
      if (entry.ownership == Ownership::kSession) owned.push_back(pointer);
      if (entry.ownership == Ownership::kRuntimeError) {
        ++errors;
        std::string call = entry.call != nullptr ? entry.call : "?";
        if (calls.find(call) == std::string::npos) calls += (calls.empty() ? "" : ", ") + call;
      }
    }
  }
  for (void* pointer : owned) FreeCallerMemory(pointer);
  if (errors != 0) {
    ContractViolation(std::to_string(errors) + " EAP_ERROR(s) returned by calls on session " +
                      std::to_string(sessionId) +
                      " were never freed with EapHostPeerFreeEapError before the session ended (from " + calls +
                      ")");
  }
}

void CheckNoRuntimeMemoryOutstanding(const char* when) {
  std::size_t outstanding = 0;
  std::vector<void*> owned;
  {
    Ledger& ledger = TheLedger();
    std::lock_guard<std::mutex> lock(ledger.mutex);
    for (auto& [pointer, entry] : ledger.entries) {
      if (entry.block != nullptr) continue;
      if (entry.ownership == Ownership::kSession) owned.push_back(pointer);
      if (entry.ownership == Ownership::kRuntimeError || entry.ownership == Ownership::kRuntimeMemory) {
        ++outstanding;
      }
    }
  }
  for (void* pointer : owned) FreeCallerMemory(pointer);
  if (outstanding != 0) {
    ContractViolation(std::to_string(outstanding) +
                      " buffer(s) or EAP_ERROR(s) the caller must free (EapHostPeerFreeRuntimeMemory / "
                      "EapHostPeerFreeEapError) were still outstanding at " + when);
  }
}

}  // namespace portable
}  // namespace eaphost
