// Type machinery for sdk_layout_check.cc (Windows compilers only): translates a type written
// with this project's eap:: declarations into the Windows SDK's, so a function-pointer type can
// be compared with the SDK's declaration for exact identity (calling convention, return type,
// every parameter) rather than by size or arity.
//
// A mismatch fails inside SameParameter / SameSignature; the compiler's instantiation trace
// then names the parameter's index and both types, and the static_assert at the call site
// names the function.
#pragma once

#include <cstddef>
#include <tuple>
#include <type_traits>
#include <utility>

namespace eap_sdk_check {

// ToSdk<T>::type: the SDK type a type of ours stands for. Base types (DWORD, BYTE, WCHAR,
// GUID, HANDLE...) are already the SDK's on Windows (eap_platform.h imports them), so the
// primary template is the identity; sdk_layout_check.cc maps each struct and enum of ours.
template <typename T>
struct ToSdk {
  using type = T;
};
template <typename T>
struct ToSdk<const T> {
  using type = const typename ToSdk<T>::type;
};
template <typename T>
struct ToSdk<T*> {
  using type = typename ToSdk<T>::type*;
};
template <typename T, std::size_t N>
struct ToSdk<T[N]> {
  using type = typename ToSdk<T>::type[N];
};

// The calling convention is part of a function type only on 32-bit x86; elsewhere __cdecl and
// __stdcall name the one platform convention and a pointer type has a single spelling.
enum class Convention { kPlatform, kCdecl, kStdcall };

template <typename F>
struct Signature;  // left undefined: only function pointers are compared

#if defined(_M_IX86) || defined(__i386__)
template <typename R, typename... A>
struct ToSdk<R(__cdecl*)(A...)> {
  using type = typename ToSdk<R>::type(__cdecl*)(typename ToSdk<A>::type...);
};
template <typename R, typename... A>
struct ToSdk<R(__stdcall*)(A...)> {
  using type = typename ToSdk<R>::type(__stdcall*)(typename ToSdk<A>::type...);
};
template <typename R, typename... A>
struct Signature<R(__cdecl*)(A...)> {
  static constexpr Convention kConvention = Convention::kCdecl;
  using Result = R;
  using Parameters = std::tuple<A...>;
};
template <typename R, typename... A>
struct Signature<R(__stdcall*)(A...)> {
  static constexpr Convention kConvention = Convention::kStdcall;
  using Result = R;
  using Parameters = std::tuple<A...>;
};
#else
template <typename R, typename... A>
struct ToSdk<R (*)(A...)> {
  using type = typename ToSdk<R>::type (*)(typename ToSdk<A>::type...);
};
template <typename R, typename... A>
struct Signature<R (*)(A...)> {
  static constexpr Convention kConvention = Convention::kPlatform;
  using Result = R;
  using Parameters = std::tuple<A...>;
};
#endif

template <typename T>
using ToSdkT = typename ToSdk<T>::type;

// One parameter; Index counts from 0. Ours is translated before the comparison.
template <std::size_t Index, typename Ours, typename Sdk>
struct SameParameter {
  static constexpr bool value = std::is_same<ToSdkT<Ours>, Sdk>::value;
  static_assert(value,
                "a parameter differs from the SDK's declaration (see this instantiation for its "
                "index from 0, our type and the SDK's)");
};

template <typename OursParameters, typename SdkParameters, std::size_t... Index>
constexpr bool SameParameters(std::index_sequence<Index...>) {
  return (true && ... &&
          SameParameter<Index, std::tuple_element_t<Index, OursParameters>,
                        std::tuple_element_t<Index, SdkParameters>>::value);
}

// Ours and Sdk are function-pointer types. Each aspect is asserted on its own so the first
// failure says what differs; the final comparison of the whole translated type is the proof.
template <typename Ours, typename Sdk>
constexpr bool SameSignature() {
  using O = Signature<Ours>;
  using S = Signature<Sdk>;
  constexpr std::size_t kOursArity = std::tuple_size<typename O::Parameters>::value;
  constexpr std::size_t kSdkArity = std::tuple_size<typename S::Parameters>::value;
  static_assert(O::kConvention == S::kConvention,
                "the calling convention differs from the SDK's declaration");
  static_assert(kOursArity == kSdkArity,
                "the number of parameters differs from the SDK's declaration");
  static_assert(std::is_same<ToSdkT<typename O::Result>, typename S::Result>::value,
                "the return type differs from the SDK's declaration");
  if constexpr (kOursArity == kSdkArity) {
    return SameParameters<typename O::Parameters, typename S::Parameters>(
               std::make_index_sequence<kOursArity>{}) &&
           std::is_same<ToSdkT<Ours>, Sdk>::value;
  } else {
    return false;
  }
}

}  // namespace eap_sdk_check
