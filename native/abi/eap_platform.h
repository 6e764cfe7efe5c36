// Base Windows types as the EAP ABI uses them, identical in size on every platform.
//
// On Windows the real SDK base types are used (so our declarations interoperate with
// eappprxy.dll and with method DLLs built against the SDK). Elsewhere they are declared
// here with the Windows widths: DWORD is 32-bit (never `unsigned long`, which is 64-bit on
// LP64), WCHAR is a UTF-16 code unit, BOOL is a 32-bit int.
#pragma once

#include <cstddef>
#include <cstdint>

#if defined(_WIN32)
#ifndef WIN32_LEAN_AND_MEAN
#define WIN32_LEAN_AND_MEAN
#endif
#ifndef NOMINMAX
#define NOMINMAX
#endif
#include <windows.h>

#include <ctime>
// GnuTLS's dates (certificates, CRLs, OCSP) cross DLL boundaries as time_t: every Windows build
// has the 64-bit one MSVC has, mingw-w64's i686 included (CMakeLists.txt defines it).
static_assert(sizeof(std::time_t) == 8, "time_t must be 64 bits on Windows (x86 mingw-w64: -D__MINGW_USE_VC2005_COMPAT)");

#define EAP_API WINAPI
// The SDK declares a few functions without WINAPI (EapMethodAuthenticatorGetInfo): they are
// __cdecl, which differs from WINAPI on x86, where the wrong one corrupts the stack.
#define EAP_CDECL __cdecl
#define EAP_EXPORT extern "C" __declspec(dllexport)

namespace eap {
using ::BOOL;
using ::BYTE;
using ::DWORD;
using ::GUID;
using ::HANDLE;
using ::LPCWSTR;
using ::LPWSTR;
using ::UINT32;
using ::WCHAR;
}  // namespace eap

#else

// WINAPI is __stdcall only on 32-bit x86 Windows; everywhere else the platform ABI applies.
#define EAP_API
#define EAP_CDECL
#define EAP_EXPORT extern "C" __attribute__((visibility("default")))

namespace eap {
using BOOL = std::int32_t;
using BYTE = std::uint8_t;
using DWORD = std::uint32_t;
using UINT32 = std::uint32_t;
using WCHAR = char16_t;
using LPWSTR = WCHAR*;
using LPCWSTR = const WCHAR*;
using HANDLE = void*;

struct GUID {
  std::uint32_t Data1;
  std::uint16_t Data2;
  std::uint16_t Data3;
  std::uint8_t Data4[8];
};
}  // namespace eap

#endif

namespace eap {
constexpr BOOL kTrue = 1;
constexpr BOOL kFalse = 0;

// Win32 error codes the EAP stack uses. Values are those of winerror.h.
enum : DWORD {
  kErrorSuccess = 0,
  kErrorFileNotFound = 2,
  kErrorNotEnoughMemory = 8,
  kErrorInvalidData = 13,
  kErrorNotSupported = 50,
  kErrorInvalidParameter = 87,
  kErrorInsufficientBuffer = 122,
  kErrorModNotFound = 126,
  kErrorProcNotFound = 127,
  kErrorInvalidHandle = 6,
  kErrorBadLength = 24,
  kErrorBusy = 170,
  kErrorNotFound = 1168,
  kErrorCancelled = 1223,
  kErrorTimeout = 1460,
  kErrorInvalidState = 5023,
};

// RAS errors (raserror.h) an MS-CHAP / MS-CHAPv2 Failure packet carries as E=<code>
// (RFC 2759 §6); a method reports them as they are.
enum : DWORD {
  kErrorRestrictedLogonHours = 646,
  kErrorAcctDisabled = 647,
  kErrorPasswdExpired = 648,
  kErrorNoDialinPermission = 649,
  kErrorAuthenticationFailure = 691,
  kErrorChangingPassword = 709,
};
}  // namespace eap

static_assert(sizeof(eap::DWORD) == 4, "DWORD must be 32-bit");
static_assert(sizeof(eap::BOOL) == 4, "BOOL must be 32-bit");
static_assert(sizeof(eap::WCHAR) == 2, "WCHAR must be a UTF-16 code unit");
static_assert(sizeof(eap::GUID) == 16, "GUID is 16 bytes");
