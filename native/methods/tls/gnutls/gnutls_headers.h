// GnuTLS's public headers, the one way this project includes them (test/build-sources.test.ts
// holds every other file to it).
//
// GnuTLS declares its transport callbacks and record calls with POSIX ssize_t, which gnutls.h
// takes from <sys/types.h>. The Windows CRT MSVC compiles against has no ssize_t; mingw-w64's
// corecrt.h defines one only while _SSIZE_T_DEFINED is unset, which is how the cross-builds see
// what MSVC sees (scripts/cmake/toolchain-mingw-common.cmake). So on Windows the type is declared
// here, before GnuTLS's headers, as the signed pointer-sized type: ptrdiff_t, which is also the type
// mingw-w64 gives ssize_t (int on x86, long long on x64), so a compile that has both sees one
// type declared twice, which C++ allows.
#pragma once

#if defined(_WIN32)
#include <cstddef>
typedef std::ptrdiff_t ssize_t;
static_assert(sizeof(ssize_t) == sizeof(void*), "ssize_t is pointer-sized on Windows");
#endif

#include <gnutls/gnutls.h>
#include <gnutls/abstract.h>
#include <gnutls/crypto.h>
#include <gnutls/ocsp.h>
#include <gnutls/x509.h>
#include <gnutls/x509-ext.h>
