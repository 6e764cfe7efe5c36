# The Wine lane's 32-bit Windows part, sourced by scripts/wine/run.sh after lib.sh: the suite's
# core, PEAP and EAP-TLS, the certificate dates past 2038 and the 300 ms timed wait run in the
# official 32-bit node.exe (npm node-win-x86) under 32-bit Wine, in a pure 32-bit prefix
# (WINEARCH=win32), against the x86 cross-build (build-win32: the addon, eap_methods.dll with the
# x86 GnuTLS beside it, and the stand-in eappprxy.dll in the prefix's system32), so the ia32 build
# runs before it ships; then the same node.exe in a 64-bit prefix, under WoW64 as on 64-bit
# Windows (test/windows-wow64/**: where register finds Program Files there).
#
# Wine is a Debian chroot's (scripts/ci/i386-chroot.sh: amd64 with wine64 and wine32:i386, made by
# scripts/setup.sh --all and cached; made here when missing), not the machine's: the machine needs
# no i386 architecture. lib.sh's in_i386_chroot bind-mounts the tree into it at its own path, and
# its run_chroot_core runs the core there (scripts/wine/core-chroot.sh). A part that cannot run
# fails the lane: there is no "not run".

# node-win-x86 has one version on the npm registry.
NODE_WIN_X86_VERSION=22.23.2
X86_SPECS=("${WIN_CORE_SPECS[@]}" windows/tls-methods-windows certificate-dates timed-wait)
build_x86="$repo/build-win32"

# Every x86 binary has a 64-bit time_t (scripts/ci/time32-imports.sh says which do not).
x86_time64_check() {
  local files=() f
  for f in eaphost.node eap_methods.dll eappprxy.dll libgnutls-30.dll libnettle-8.dll libhogweed-6.dll libgmp-10.dll; do
    [ -f "$build_x86/Release/$f" ] || fail "the x86 cross-build produced no $f"
    files+=("$build_x86/Release/$f")
  done
  bash scripts/ci/time32-imports.sh i686-w64-mingw32 "${files[@]}" ||
    fail "an x86 binary imports msvcrt's 32-bit time functions (build with -D__MINGW_USE_VC2005_COMPAT)"
  echo "   x86: no 32-bit time_t import in ${#files[@]} binaries"
}

# run_x86_core <log>: the suite's core in node-win-x86, in the chroot's pure 32-bit prefix
# (lib.sh's run_chroot_core, scripts/wine/core-chroot.sh), its outcome in <log>.
run_x86_core() { run_chroot_core x86 "$NODE_WIN_X86_VERSION" "$1" "${X86_SPECS[@]}"; }

# run_wow64 <log>: node-win-x86 in a 64-bit prefix (scripts/wine/wow64-chroot.sh), its outcome
# in <log> as lib.sh's run_chroot_core's: the same chroot, node.exe and x86 addon, a prefix of its own.
run_wow64() (
  local log=$1 chroot_root
  fail() { echo "wow64: $*" >"$log"; echo "  1 failing" >>"$log"; exit 1; }
  chroot_ready "$log" "$NODE_WIN_X86_VERSION" x86
  in_i386_chroot "$chroot_root" bash scripts/wine/wow64-chroot.sh "$node_exe" "$log"
)
