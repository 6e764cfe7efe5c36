# The Wine lane's 32-bit Windows part, sourced by scripts/wine/run.sh after lib.sh: the suite's
# core, PEAP and EAP-TLS and the certificate dates past 2038 run in the official 32-bit node.exe
# (npm node-win-x86) under Debian's wine32, against the x86 cross-build (build-win32: the addon,
# eap_methods.dll with the x86 GnuTLS beside it, and the stand-in eappprxy.dll in the 32-bit
# prefix's system32), so the ia32 build runs before it ships, not only compiles.

# node-win-x86 has one version on the npm registry; 22 runs under Wine 8 (see run.sh).
NODE_WIN_X86_VERSION=22.23.2
X86_SPECS=("${WIN_CORE_SPECS[@]}" windows/tls-methods-windows certificate-dates)
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

# run_x86_core <log>: its own 32-bit prefix, in a subshell so the x64 prefix's environment and
# node_exe stay the caller's. A preparation that fails writes why into <log> and returns 1.
run_x86_core() (
  local log=$1 spec specs=()
  fail() { echo "x86: $*" >"$log"; echo "  1 failing" >>"$log"; exit 1; }
  # Debian's wine32 installs the 32-bit loader beside wine64's (scripts/ci/wine32.sh). When
  # scripts/ci/wine32.sh could not install it because Debian's archive could not give it (an i386
  # index that fails its check), the x86 part is reported as not run, with that reason, rather
  # than failing a suite that is otherwise green; without that record a missing wine32 fails.
  if [ ! -x /usr/lib/wine/wine ]; then
    local unavailable=${XDG_CACHE_HOME:-$HOME/.cache}/eaphost/wine32-unavailable
    [ -f "$unavailable" ] || fail "wine32 (i386) is not installed: bash scripts/setup.sh --all"
    echo "x86: NOT RUN: wine32 (i386) could not be installed: $(cat "$unavailable")" >"$log"
    echo "  0 passing" >>"$log"
    exit 0
  fi
  fetch_win_node "$NODE_WIN_X86_VERSION" x86 >"$log" 2>&1 || fail "node-win-x86@$NODE_WIN_X86_VERSION could not be fetched"
  wine_environment "$work/prefix-x86" x86
  prepare_prefix "${EAPHOST_WINE_KEEP_PREFIX:-0}" || fail "could not create the 32-bit Wine prefix (see build-wine/wineboot.log)"
  install_standin "$build_x86"
  register_shipped_methods "$build_x86/Release/eaphost.node" >/dev/null
  EAPHOST_ADDON_PATH=$(winepath -w "$build_x86/Release/eaphost.node") || fail "winepath failed"
  export EAPHOST_ADDON_PATH EAPHOST_WINE=1
  win_node "$work/node-x86.arch" -p process.arch
  [ "$(tr -d '\r\n' <"$work/node-x86.arch")" = ia32 ] || fail "node-win-x86 ran as $(cat "$work/node-x86.arch"), not ia32"
  for spec in "${X86_SPECS[@]}"; do specs+=("dist/test/$spec.test.js"); done
  # As in run.sh's other core runs: the 100k-session RSS measure ran under the lane's main node.
  win_node "$log" node_modules/mocha/bin/mocha.js --no-config --no-color --timeout 30000 "${specs[@]}" \
    --grep '100k sessions, including failing and dropped ones' --invert
)
