# What both mingw-w64 toolchain files share; each sets EAPHOST_MINGW_TRIPLE and the processor,
# then includes this.
#
# The -posix compilers are required: the default win32-thread g++ has no std::thread or
# std::mutex, which node-addon-api and the host thread need.
set(CMAKE_SYSTEM_NAME Windows)
set(CMAKE_C_COMPILER ${EAPHOST_MINGW_TRIPLE}-gcc-posix)
set(CMAKE_CXX_COMPILER ${EAPHOST_MINGW_TRIPLE}-g++-posix)
set(CMAKE_RC_COMPILER ${EAPHOST_MINGW_TRIPLE}-windres)
set(CMAKE_DLLTOOL ${EAPHOST_MINGW_TRIPLE}-dlltool)

# Headers and libraries come from the mingw sysroot only; programs (node, dlltool) from the
# build machine.
set(CMAKE_FIND_ROOT_PATH /usr/${EAPHOST_MINGW_TRIPLE})
set(CMAKE_FIND_ROOT_PATH_MODE_PROGRAM NEVER)
set(CMAKE_FIND_ROOT_PATH_MODE_LIBRARY ONLY)
set(CMAKE_FIND_ROOT_PATH_MODE_INCLUDE ONLY)
set(CMAKE_FIND_ROOT_PATH_MODE_PACKAGE ONLY)

# MSVC's view of the CRT where mingw-w64's headers would hide a difference. MSVC rejects what the
# UCRT deprecates (C4996 under /sdl); mingw-w64's headers mark none of it: the forced header marks
# it, and a use is an error here too. The UCRT has no POSIX ssize_t; mingw-w64's corecrt.h defines
# one unless _SSIZE_T_DEFINED is set, so setting it leaves a use MSVC would reject undeclared here
# too (GnuTLS's headers come through native/methods/tls/gnutls/gnutls_headers.h, which declares it).
set(EAPHOST_MSVC_CRT_VIEW "-include ${CMAKE_CURRENT_LIST_DIR}/ucrt-deprecations.h -Werror=deprecated-declarations -D_SSIZE_T_DEFINED")
set(CMAKE_C_FLAGS_INIT "${EAPHOST_MSVC_CRT_VIEW}")
set(CMAKE_CXX_FLAGS_INIT "${EAPHOST_MSVC_CRT_VIEW}")

# Reproducible DLLs: GNU ld writes the link's time into every PE header by default, so two builds
# of the same sources would differ; without it the shipped prebuild's bytes are a function of its
# inputs, which is how the lanes prove the release carries the files they tested
# (scripts/dev/prebuild.js, which strips with SOURCE_DATE_EPOCH=0 for the same reason). The auto
# image base hashes the output's name, the same in every build.
set(CMAKE_SHARED_LINKER_FLAGS_INIT "-Wl,--no-insert-timestamp")
set(CMAKE_MODULE_LINKER_FLAGS_INIT "-Wl,--no-insert-timestamp")
