# Cross-compiles the Windows x64 artifacts on Linux with mingw-w64. Used by the Wine lane
# (scripts/wine/run.sh); the windows-latest workflow builds with MSVC instead.
set(CMAKE_SYSTEM_PROCESSOR x86_64)
set(EAPHOST_MINGW_TRIPLE x86_64-w64-mingw32)
include(${CMAKE_CURRENT_LIST_DIR}/toolchain-mingw-common.cmake)
