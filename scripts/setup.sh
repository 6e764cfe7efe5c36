#!/usr/bin/env bash
# Sets up a fresh Debian/Ubuntu machine for eaphost: the system packages npm ci needs, then npm ci
# (which builds the native code with cmake-js and the TypeScript with tsc), beside the rest.
#   bash scripts/setup.sh          build tools only (enough for the library and the CLI)
#   bash scripts/setup.sh --all    also what the full test suite (npm test) needs: mingw-w64 + Wine
#                                  (and 32-bit Wine in a cached chroot: scripts/ci/i386-chroot.sh),
#                                  FreeRADIUS / hostapd / eapol_test / wpa_supplicant, NetworkManager's
#                                  nmcli, clang (libFuzzer), and hostapd + eapol_test built with TEAP
#                                  from Debian's own source package (cached; scripts/ci/teap-hostap.sh),
#                                  and GnuTLS for Windows x64 and x86 from Debian's source packages
#                                  (cached; scripts/ci/gnutls-mingw.sh; these two go on in the
#                                  background after set-up returns, below)
#   --packages-only                the system side alone, no npm ci
# This is the one list of system packages: .ci/run calls it.
set -euo pipefail
cd "$(dirname "$0")/.."

all=0
npm_ci=1
for arg in "$@"; do
  case "$arg" in
    --all) all=1 ;;
    --packages-only) npm_ci=0 ;;
    *) echo "setup.sh: unknown option $arg (--all, --packages-only)" >&2; exit 2 ;;
  esac
done

# libssl3: the system libcrypto that RSA keys sign with at run time (never linked; see
# native/methods/tls/gnutls/tls_rsa_signer.h). Without it GnuTLS signs, three times slower.
# These (and, with --all, ccache, through which npm ci's build and the lanes' share a compiler
# cache) are all npm ci needs: it starts once they are in, while apt installs the rest.
packages=(cmake ninja-build g++ make python3 pkg-config nettle-dev libgnutls28-dev binutils libssl3)
extra=()
if [ "$all" = 1 ]; then
  # GnuTLS for Windows' tools come first: its build (the Wine lane's longest wait from nothing)
  # starts as soon as they are in, while the rest is installed.
  packages+=(ccache mingw-w64 m4 autoconf automake libtool autopoint dpkg-dev patch)
  extra=(wine wine64 freeradius freeradius-utils eapoltest hostapd wpasupplicant iproute2 openssl
    clang libclang-rt-14-dev network-manager osslsigncode  # osslsigncode: the Authenticode digest's judge
    libssl-dev  # with dpkg-dev, builds the TEAP-capable hostapd and eapol_test
    dnsmasq-base  # the DHCP server behind the NetworkManager connect tests' authenticator, the DNS server of the discovery tests
    m4 autoconf automake libtool autopoint  # and these (with dpkg-dev) GnuTLS for Windows
    postgresql sqlite3 prometheus  # serve --accounting's shared store, the SQLite file's reader, promtool
    radsecproxy  # the RADIUS/DTLS peer of the RadSec tests
    gnutls-bin  # gnutls-cli, the GnuTLS judge of RadSec ALPN (radius/1.1 echoed)
    debootstrap)  # the chroot that runs 32-bit Wine (scripts/ci/i386-chroot.sh)
fi

# install_missing PACKAGE...: apt-get installs those not installed yet (apt-get update first, once).
updated=0
install_missing() {
  local missing=() p sudo=()
  for p in "$@"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
  done
  [ ${#missing[@]} -gt 0 ] || return 0
  [ "$(id -u)" -eq 0 ] || sudo=(sudo)
  export DEBIAN_FRONTEND=noninteractive
  if [ "$updated" = 0 ]; then
    "${sudo[@]}" apt-get update
    updated=1
  fi
  "${sudo[@]}" apt-get install -y --no-install-recommends "${missing[@]}"
}
install_missing "${packages[@]}"

# The cached builds below and npm ci are independent of one another; they run side by side
# (each mostly waits on the network or on a single-threaded configure script), each with its own
# log, printed whole when it fails. Each fails loudly; setup fails when any of them does.
#  - 32-bit Windows under Wine (the Wine lane runs the suite's core in the x86 node.exe in a
#    32-bit prefix, and the same node.exe under WoW64 in a 64-bit one): an amd64 Debian chroot
#    with i386 multiarch and Debian's wine, wine64 and wine32:i386 (scripts/ci/i386-chroot.sh),
#    made once by debootstrap from the Debian archive the machine's sources name and cached
#    outside the tree. The machine gets no i386 architecture and its apt lists are not touched.
#  - TEAP: Debian builds hostapd and eapol_test without it; the TEAP interop tests need both.
#  - GnuTLS for the Windows builds' TLS-based methods (the Wine lane cross-builds x64 and x86).
#    These two take the longest and only the win32 and packaging lanes need them, so set-up starts
#    them and does not wait: they go on in the background (one after the other in a session of
#    their own, each log beside its cache), and the lanes that need them wait for them on the
#    cache's lock
#    (scripts/ci/gnutls-mingw.sh), meanwhile the linux lane runs. Should one fail, the lane's own
#    call builds it again and fails with its output.
logs=$(mktemp -d "${TMPDIR:-/tmp}/eaphost-setup.XXXXXX")
trap 'rm -rf "$logs"' EXIT
names=()
pids=()
# start NAME COMMAND...: runs one set-up step in the background, its output in $logs/NAME.log.
start() {
  local name=$1
  shift
  "$@" >"$logs/$name.log" 2>&1 &
  names+=("$name")
  pids+=($!)
}
setup_start=$(date +%s)
if [ "$all" = 1 ]; then
  gnutls_logs=${XDG_CACHE_HOME:-$HOME/.cache}/eaphost/gnutls-mingw
  mkdir -p "$gnutls_logs"
  # Begun first, before npm ci and the other packages, since from nothing the win32 lane waits for
  # it. x64 first, then x86, one after the other, from one download and autoreconf of the sources: the
  # win32 lane's x64 steps and its suite under Wine need only x64's, which is then ready minutes
  # sooner than when both share the processor, and x86's is needed only at the lane's 32-bit build,
  # well after. Each is released to its waiters (on its cache lock) once it is cached.
  setsid bash -c 'bash scripts/ci/gnutls-mingw.sh x64 x86 >"$1/setup.log" 2>&1' \
    gnutls-mingw "$gnutls_logs" </dev/null >/dev/null 2>&1 &
  echo "setup: gnutls-mingw x64 then x86 go on in the background (log: $gnutls_logs/setup.log);" \
    "the win32 and packaging lanes wait for them" >&2
fi
if [ "$npm_ci" = 1 ]; then
  # npm ci's build and the lanes' builds share one compiler cache (scripts/test-all.sh does the same).
  if command -v ccache >/dev/null && [ -z "${CMAKE_CXX_COMPILER_LAUNCHER:-}" ]; then
    export CMAKE_C_COMPILER_LAUNCHER=ccache CMAKE_CXX_COMPILER_LAUNCHER=ccache CCACHE_BASEDIR="$PWD" CCACHE_NOHASHDIR=1
  fi
  # better-sqlite3 (serve --accounting's driver) would fetch a prebuilt binary from GitHub: it is
  # built from source instead, against the running node's own headers (node-gyp downloads none
  # when nodedir names an installation that has include/node). It is a development dependency
  # only (the tests' SQLite accounting store; users bring their own), so its one C file, SQLite's
  # 9 MB amalgamation, is compiled at -O1: CFLAGS comes after gyp's -O3 on the command line. That
  # compile is the longest single step of npm ci: 43 processor seconds at -O3, 15 at -O1. No other
  # package compiles C here (this project's native code is C++; CXXFLAGS is untouched).
  # With --all, the linux lane's Node (24: scripts/ci/node-binary.sh) loads it too: it is then built
  # once more against that Node's headers, each build in its own ABI's folder
  # (scripts/ci/better-sqlite3-abis.sh).
  nodedir=$(dirname "$(dirname "$(node -p process.execPath)")")
  start npm-ci bash -c 'env npm_config_build_from_source=better-sqlite3 npm_config_nodedir="$1" CFLAGS=-O1 npm ci &&
    { [ "$2" = 0 ] || bash scripts/ci/better-sqlite3-abis.sh; }' npm-ci "$nodedir" "$all"
fi
if [ "$all" = 1 ]; then
  # What the lanes need beyond npm ci's, installed while npm ci runs; then the cached builds.
  install_missing "${extra[@]}" || { [ ${#pids[@]} -eq 0 ] || kill "${pids[@]}" 2>/dev/null; exit 1; }
  start i386-chroot bash scripts/ci/i386-chroot.sh
  start teap-hostap bash scripts/ci/teap-hostap.sh
fi
status=0
# Reported as each one ends, whatever the order.
while [ ${#pids[@]} -gt 0 ]; do
  ended=
  code=0
  wait -n -p ended "${pids[@]}" || code=$?
  for i in "${!pids[@]}"; do
    [ "${pids[$i]}" = "$ended" ] || continue
    if [ $code -eq 0 ]; then
      echo "setup: ${names[$i]} done ($(($(date +%s) - setup_start)) s)" >&2
    else
      status=1
      echo "setup: ${names[$i]} FAILED; its output:" >&2
      cat "$logs/${names[$i]}.log" >&2
    fi
    unset "pids[$i]" "names[$i]"
  done
done
exit $status
