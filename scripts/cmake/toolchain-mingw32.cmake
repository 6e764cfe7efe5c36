# Cross-compiles the Windows x86 (32-bit) artifacts on Linux with mingw-w64. The Wine lane
# compiles them with the same warnings as the x64 build (stdcall exports, 32-bit sizes and
# pointer widths show different warnings); the windows-latest workflow builds with MSVC.
set(CMAKE_SYSTEM_PROCESSOR x86)
set(EAPHOST_MINGW_TRIPLE i686-w64-mingw32)
include(${CMAKE_CURRENT_LIST_DIR}/toolchain-mingw-common.cmake)
