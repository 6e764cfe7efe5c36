// Plumbing shared by the peer and authenticator method hosts: the one shape of a call-order
// refusal, the one place a method's return code and EAP_ERROR become an EapErrorInfo, and
// bounded copies of what a method hands back.
#pragma once

#include <cstddef>
#include <string>
#include <utility>

#include "../common/eap_error_info.h"
#include "../common/utf16.h"
#include "method_values.h"

namespace eaphost {

// kErrorInvalidState naming the refused ABI call, the host state, and the rule it broke.
inline EapErrorInfo OutOfOrder(const char* call, const char* state, const char* rule) {
  return HostError(eap::kErrorInvalidState, call,
                   std::string(call) + " called in state " + state + ": " + rule, state);
}

template <typename T>
void Report(T* out, T value) {
  if (out != nullptr) *out = std::move(value);
}

// True when the call succeeded. A method error is copied and freed by method.TakeError (also
// when a method returns success yet hands back an EAP_ERROR, which would otherwise leak).
template <typename Method>
bool MethodSucceeded(Method& method, eap::DWORD result, eap::EAP_ERROR* raw, const char* call,
                     EapErrorInfo* error) {
  if (result == eap::kErrorSuccess) {
    if (raw != nullptr) method.TakeError(raw, result, call);
    return true;
  }
  Report(error, method.TakeError(raw, result, call));
  return false;
}

// A method's optional input: null for none, as the ABI's callers pass it.
inline const eap::BYTE* DataOrNull(const Bytes& bytes) { return bytes.empty() ? nullptr : bytes.data(); }

// What an EAP packet can be (its Length field is 16 bits).
constexpr eap::DWORD kMaxEapPacketSize = 65535;

// The buffers FillPacket hands the methods, kept per thread between packets. A method is given
// room for the largest packet it may send (1,400 bytes or more): a request that size is past
// glibc's small bins, where malloc first merges every freed small chunk back into its free lists
// (malloc_consolidate): with 64 in-process EAP-MSCHAPv2 authentications in flight, that pass and
// the slower mallocs after it took about 6% of the host thread. A conversation gives its last
// packet's buffer back when the next replaces it, when the peer has its verdict, or when it
// ends, and the next packet made on the same thread is filled in it; what it held is overwritten with zeros first, as a new buffer's would
// be. Small buffers (a 5-byte Identity request) are not kept: they cost malloc nothing; nor
// are the rare ones a method asked more than 4 KB for.
class PacketBuffers {
 public:
  // A buffer of `size` zero bytes: the smallest kept one large enough, when there is one (the
  // larger stay for larger packets: a thread may fill requests and responses of two sizes).
  static Bytes Take(std::size_t size) {
    Kept& kept = OfThisThread();
    if (kept.gone) return Bytes(size, 0);
    std::size_t best = kept.count;
    for (std::size_t i = 0; i < kept.count; ++i) {
      std::size_t capacity = kept.buffers[i].capacity();
      if (capacity >= size && (best == kept.count || capacity < kept.buffers[best].capacity())) best = i;
    }
    if (best == kept.count) return Bytes(size, 0);
    Bytes buffer = std::move(kept.buffers[best]);
    --kept.count;
    if (best != kept.count) kept.buffers[best] = std::move(kept.buffers[kept.count]);
    kept.buffers[kept.count] = Bytes();
    buffer.assign(size, 0);
    return buffer;
  }
  // A packet the caller is done with: its buffer kept for the thread's next packet (in place of
  // the smallest kept when all places are taken), or freed.
  static void Give(Bytes packet) {
    Kept& kept = OfThisThread();
    if (kept.gone || packet.capacity() < kWorthKeeping || packet.capacity() > kLargestKept) return;
    if (kept.count < kKept) {
      kept.buffers[kept.count++] = std::move(packet);
      return;
    }
    Bytes* smallest = &kept.buffers[0];
    for (Bytes& buffer : kept.buffers) {
      if (buffer.capacity() < smallest->capacity()) smallest = &buffer;
    }
    if (smallest->capacity() < packet.capacity()) *smallest = std::move(packet);
  }

 private:
  static constexpr std::size_t kKept = 8;
  static constexpr std::size_t kWorthKeeping = 1024;
  static constexpr std::size_t kLargestKept = 4096;  // a thread keeps at most 32 KB
  struct Kept {
    Bytes buffers[kKept];
    std::size_t count = 0;
    // A packet let go after the thread's list is gone (a thread-exit or exit-time destructor
    // running later) is simply freed.
    bool gone = false;
    Kept() = default;
    Kept(const Kept&) = delete;
    Kept& operator=(const Kept&) = delete;
    ~Kept() {
      count = 0;
      gone = true;
    }
  };
  static Kept& OfThisThread() {
    thread_local Kept kept;
    return kept;
  }
};

// The methods' "fill this buffer" calls (EapPeerGetResponsePacket,
// EapMethodAuthenticatorSendPacket): `fill(size*, packet*, EAP_ERROR**)` makes the call into a
// buffer of `capacity`; one retry with the size the method asks for, bounded by what an EAP
// packet can be; a reported size outside the buffer is refused. *packet is set on success only.
template <typename Method, typename Fill>
bool FillPacket(Method& method, const char* call, const char* what, eap::DWORD capacity, Fill fill, Bytes* packet,
                EapErrorInfo* error) {
  for (int attempt = 0;; ++attempt) {
    Bytes buffer = PacketBuffers::Take(capacity);
    eap::DWORD size = capacity;
    eap::EAP_ERROR* raw = nullptr;
    eap::DWORD result = fill(&size, reinterpret_cast<eap::EapPacket*>(buffer.data()), &raw);
    if (result == eap::kErrorInsufficientBuffer && attempt == 0 && size > capacity && size <= kMaxEapPacketSize) {
      if (raw != nullptr) method.TakeError(raw, result, call);
      capacity = size;
      continue;
    }
    if (!MethodSucceeded(method, result, raw, call, error)) return false;
    if (size > capacity || size < 4) {
      Report(error, HostError(eap::kErrorInvalidData, call,
                              "the method reported a " + std::to_string(size) + "-byte " + what + " in a " +
                                  std::to_string(capacity) + "-byte buffer"));
      return false;
    }
    buffer.resize(size);
    Report(packet, std::move(buffer));
    return true;
  }
}

// Strings from a method: bounded so a missing terminator cannot walk through memory.
constexpr std::size_t kMaxMethodStringUnits = 4096;
inline std::u16string CopyMethodString(const eap::WCHAR* text) {
  if (text == nullptr) return std::u16string();
  std::size_t length = WideLength(text, kMaxMethodStringUnits);
  std::u16string copy;
  copy.reserve(length);
  for (std::size_t i = 0; i < length; ++i) copy.push_back(static_cast<char16_t>(text[i]));
  return copy;
}

// Fills in a readable root cause when a method failed without saying why.
inline void DescribeBareFailure(EapErrorInfo* info, const char* call) {
  if (info->rootCauseString.empty()) {
    info->rootCauseString =
        Utf8ToUtf16(std::string(call) + " failed with error " + std::to_string(info->win32Error));
  }
}

}  // namespace eaphost
