// Plumbing shared by the peer and authenticator method hosts: the one shape of a call-order
// refusal, the one place a method's return code and EAP_ERROR become an EapErrorInfo, and
// bounded copies of what a method hands back.
#pragma once

#include <cstddef>
#include <mutex>
#include <string>
#include <utility>

#include "../common/eap_error_info.h"
#include "../common/secure_zero.h"
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

// The buffers FillPacket hands a method, kept by the method between packets. A method is given
// room for the largest packet it may send (1,400 bytes or more): a request that size is past
// glibc's small bins, where malloc first merges every freed small chunk back into its free lists
// (malloc_consolidate): with 64 in-process EAP-MSCHAPv2 authentications in flight, that pass and
// the slower mallocs after it took about 6% of the host thread. A conversation gives its last
// packet's buffer back to its method when the next replaces it, when the peer has its verdict, or
// when it ends, and the method's next packet, in any conversation, is filled in it. A packet given
// back is wiped at once, kept or not (a response may carry a password), and a buffer taken is
// zeros, as a new one would be. Kept by the method module's object,
// not per thread: a thread_local with a destructor in a library that is unloaded (the stand-in
// eappprxy.dll is) runs that destructor after the unload, in code no longer mapped. Small buffers
// (a 5-byte Identity request) are not kept: they cost malloc nothing; nor are the rare ones a
// method asked more than 4 KB for.
class PacketBuffers {
 public:
  PacketBuffers() = default;
  PacketBuffers(const PacketBuffers&) = delete;
  PacketBuffers& operator=(const PacketBuffers&) = delete;

  // A buffer of `size` zero bytes: the smallest kept one large enough, when there is one (the
  // larger stay for larger packets).
  Bytes Take(std::size_t size) {
    Bytes buffer;
    {
      std::lock_guard<std::mutex> lock(mutex_);
      std::size_t best = count_;
      for (std::size_t i = 0; i < count_; ++i) {
        std::size_t capacity = buffers_[i].capacity();
        if (capacity >= size && (best == count_ || capacity < buffers_[best].capacity())) best = i;
      }
      if (best != count_) {
        buffer = std::move(buffers_[best]);
        --count_;
        if (best != count_) buffers_[best] = std::move(buffers_[count_]);
        buffers_[count_] = Bytes();
      }
    }
    buffer.assign(size, 0);
    return buffer;
  }
  // A packet the caller is done with: its buffer kept for the next packet (in place of the
  // smallest kept when all places are taken), or freed.
  void Give(Bytes packet) {
    SecureZeroContents(packet);
    if (packet.capacity() < kWorthKeeping || packet.capacity() > kLargestKept) return;
    std::lock_guard<std::mutex> lock(mutex_);
    if (count_ < kKept) {
      buffers_[count_++] = std::move(packet);
      return;
    }
    Bytes* smallest = &buffers_[0];
    for (Bytes& buffer : buffers_) {
      if (buffer.capacity() < smallest->capacity()) smallest = &buffer;
    }
    if (smallest->capacity() < packet.capacity()) std::swap(*smallest, packet);
  }

 private:
  static constexpr std::size_t kKept = 8;
  static constexpr std::size_t kWorthKeeping = 1024;
  static constexpr std::size_t kLargestKept = 4096;  // a method keeps at most 32 KB
  std::mutex mutex_;
  Bytes buffers_[kKept];
  std::size_t count_ = 0;
};

// The methods' "fill this buffer" calls (EapPeerGetResponsePacket,
// EapMethodAuthenticatorSendPacket): `fill(size*, packet*, EAP_ERROR**)` makes the call into a
// buffer of `capacity`; one retry with the size the method asks for, bounded by what an EAP
// packet can be; a reported size outside the buffer is refused. *packet is set on success only.
template <typename Method, typename Fill>
bool FillPacket(Method& method, const char* call, const char* what, eap::DWORD capacity, Fill fill, Bytes* packet,
                EapErrorInfo* error) {
  for (int attempt = 0;; ++attempt) {
    Bytes buffer = method.packetBuffers().Take(capacity);
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
