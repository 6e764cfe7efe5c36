#!/usr/bin/env bash
# Cross-builds GnuTLS for Windows from Debian's own source packages (gmp, nettle, gnutls28) with
# Debian's mingw-w64, so the Windows method module gets the same TLS engine as every other
# platform. Usage: gnutls-mingw.sh <x64|x86>... (one prefix printed per architecture, in order)
#
# Several architectures in one call share one download and one autoreconf of the sources (their
# output is the same for every target: ~35 s of processor time each time they are made), then
# build one after another, each released to its waiters as soon as it is in the cache.
#
# GnuTLS is configured with its included libtasn1 and libunistring and without p11-kit, tools,
# documentation, tests, guile and C++, and without what no eaphost priority string can reach: SRP,
# anonymous key exchange, GOST, Heartbeat and DTLS-SRTP (less code in a DLL that SYSTEM loads).
# Only its gl/ and lib/ are made: with the tools off, the top-level make still compiles the tools'
# own gnulib (src/gl), ~10 % of the build. nettle's public-key half (hogweed) uses the real gmp. libgcc
# is linked statically into each DLL, and GnuTLS's locks are Windows' own (gnulib's
# --enable-threads=windows: otherwise it picks winpthread's POSIX threads, a DLL of its own), so
# the four DLLs (libgnutls-30, libnettle-8, libhogweed-6, libgmp-10) import only Windows' own DLLs
# and each other (checked below). --disable-gcc-warnings: GnuTLS's configure otherwise compiles
# with dozens of warnings and -fanalyzer, which makes the build several times slower. The sources come through scripts/ci/debian-source.sh and are autoreconf'd as
# Debian's own builds do (Debian's patches touch configure.ac and Makefile.am; gmp's drops doc/,
# which its Debian tarball does not carry, from configure's outputs).
#
# No system configuration file: GnuTLS otherwise reads /etc/gnutls/config, on Windows
# C:\etc\gnutls\config, which any user may create, and the EapHost service (LocalSystem) would
# parse that user's file and obey it (disable TLS 1.2 and 1.3 for everyone, or feed a parser
# running as SYSTEM). --with-system-priority-file= (empty) builds GnuTLS without the file
# (DISABLE_SYSTEM_CONFIG); the path is checked absent from the DLL below and recorded in the
# prefix's build-options.txt, which the prebuild manifest carries (scripts/install/write-manifest.js).
#
# One change to Debian's gnutls28, scripts/ci/patches/gnutls-dtls-cookie-size.patch (its header
# says why): the DTLS client takes a HelloVerifyRequest cookie of up to 255 bytes (RFC 6347
# §4.2.1) instead of 32, so it reaches radsecproxy's ListenDTLS, whose cookie is 40. The patch's
# SHA-256 is in the cache key and in build-options.txt ("patch <name> <sha256>"), so a prefix built
# without it, or with another version of it, is never taken for one built with it.
#
# The result, a prefix with include/, lib/ (import libraries, pkg-config files) and bin/*.dll
# (stripped), is cached under ${XDG_CACHE_HOME:-~/.cache}/eaphost/gnutls-mingw/<arch>-<versions>/
# keyed by the Debian versions apt offers, so a run after the first costs nothing. Prints the
# prefix on stdout; everything else goes to stderr. Fails loudly.
set -euo pipefail

fail() { echo "gnutls-mingw: $*" >&2; exit 1; }

# x86: mingw-w64's i686 default is a 32-bit time_t (msvcrt's time, gmtime, localtime), which
# MSVC left behind in 2005; everything else on Windows (MSVC's builds, every x64 build, our
# i686 build: CMakeLists.txt) has a 64-bit one. __MINGW_USE_VC2005_COMPAT selects that for msvcrt
# (_time64, _gmtime64, ...): GnuTLS's time_t then matches its callers', and a date past 2038
# does not overflow. It is in the cache key, so a 32-bit prefix is never taken for one.
# arch_settings <x64|x86>: sets triple and time_flags for one architecture.
arch_settings() {
  case "$1" in
    x64) triple=x86_64-w64-mingw32 time_flags= ;;
    x86) triple=i686-w64-mingw32 time_flags=-D__MINGW_USE_VC2005_COMPAT ;;
    *) fail "usage: gnutls-mingw.sh <x64|x86>... (not '$1')" ;;
  esac
}
[ $# -gt 0 ] || fail "usage: gnutls-mingw.sh <x64|x86>..."
for arch in "$@"; do arch_settings "$arch"; done

# shellcheck source=scripts/ci/debian-source.sh
source "$(dirname "${BASH_SOURCE[0]}")/debian-source.sh"
{ read -r gmp_version; read -r nettle_version; read -r gnutls_version; } < <(debian_candidate libgmp-dev nettle-dev libgnutls28-dev)
[ -n "$gmp_version" ] && [ -n "$nettle_version" ] && [ -n "$gnutls_version" ] ||
  fail "apt offers no version of libgmp-dev, nettle-dev or libgnutls28-dev (apt-get update?)"
patch_dir="$(dirname "${BASH_SOURCE[0]}")/patches"
gnutls_patches=(gnutls-dtls-cookie-size.patch)
patch_sums=()
for p in "${gnutls_patches[@]}"; do
  [ -f "$patch_dir/$p" ] || fail "scripts/ci/patches/$p is missing"
  patch_sums+=("$(sha256sum "$patch_dir/$p" | cut -d' ' -f1)")
done
# The first 16 hex digits of each patch's SHA-256, in the order applied.
patch_key=$(printf '%.16s' "${patch_sums[@]}")
cache_root=${XDG_CACHE_HOME:-$HOME/.cache}/eaphost/gnutls-mingw
# out_of <arch>: the architecture's cache directory.
out_of() {
  arch_settings "$1"
  local key="$1${time_flags:+-time64}-nosysconfig-lean-patched$patch_key-gmp$gmp_version-nettle$nettle_version-gnutls$gnutls_version"
  echo "$cache_root/${key//[:\/+~]/_}"
}
dlls=(libgnutls-30.dll libnettle-8.dll libhogweed-6.dll libgmp-10.dll)
complete() {
  local d
  [ -f "$1/build-options.txt" ] || return 1
  for d in "${dlls[@]}"; do [ -f "$1/bin/$d" ] || return 1; done
  [ -f "$1/lib/pkgconfig/gnutls.pc" ] && [ -f "$1/lib/libgnutls.dll.a" ] && [ -f "$1/include/gnutls/gnutls.h" ]
}
# One build per key at a time: a second caller (the set-up and a lane, two lanes) waits for the
# first and takes its result instead of building the same prefix beside it. The locks are taken
# in the order given and each is released once its prefix is cached (a caller that names one
# architecture, as the lanes do, waits for that one only).
mkdir -p "$cache_root"
todo=()
declare -A lock_fd
for arch in "$@"; do
  out=$(out_of "$arch")
  complete "$out" && continue
  [ -z "${lock_fd[$arch]:-}" ] || continue
  exec {fd}>"$out.lock"
  # A lane waiting here says so once a minute: its watchdog (scripts/ci/lane-watchdog.sh) reads
  # silence as a hang, and this wait is the build of another process, not this one's.
  waited=0
  until flock -w 60 "$fd"; do
    waited=$(( waited + 60 ))
    echo "gnutls-mingw: $arch: waiting for another build of this prefix (${waited} s)" >&2
  done
  lock_fd[$arch]=$fd
  complete "$out" || todo+=("$arch")
done
# Prints each architecture's prefix in the order asked, once all are cached.
print_prefixes() {
  local a
  for a in "$@"; do out_of "$a"; done
}
if [ ${#todo[@]} -eq 0 ]; then
  print_prefixes "$@"
  exit 0
fi

for tool in make gcc m4 autoreconf libtoolize autopoint pkg-config patch; do
  command -v "$tool" >/dev/null ||
    fail "$tool missing: apt-get install make gcc m4 autoconf automake libtool autopoint pkg-config patch"
done
for arch in "${todo[@]}"; do
  arch_settings "$arch"
  command -v "$triple-gcc-win32" >/dev/null || fail "$triple-gcc-win32 missing: apt-get install mingw-w64"
done
dash=$(command -v dash) || fail "dash missing: apt-get install dash"

work=$(mktemp -d "${TMPDIR:-/tmp}/eaphost-gnutls-mingw.XXXXXX")
trap 'rm -rf "$work"' EXIT
sources="$work/sources"
mkdir -p "$sources"
debian_source_fetch "$sources" "gmp=$gmp_version" "nettle=$nettle_version" "gnutls28=$gnutls_version" ||
  fail "could not fetch Debian's gmp, nettle and gnutls28 source packages"
rm -rf "$sources/apt"
source_dir() {
  local d
  d=$(find "$sources" -maxdepth 1 -type d -name "$1-*" | head -1)
  [ -n "$d" ] || fail "apt-get source left no $1-* directory"
  basename "$d"
}
gmp_dir=$(source_dir gmp)
nettle_dir=$(source_dir nettle)
gnutls_dir=$(source_dir gnutls28)

jobs=$(nproc 2>/dev/null || echo 2)
# step <name> <dir> <command...>: runs one stage, its output in a log shown on failure. At the
# processor priority of its caller, not below: from nothing, the win32 lane waits for this build,
# and that lane's stream is the test command's longest (a niced build finished 611 s into the run,
# behind the linux lane).
step() {
  local name=$1 dir=$2
  shift 2
  echo "gnutls-mingw: ${arch:-sources}: $name" >&2
  (cd "$dir" && "$@") >"$work/${arch:-sources}-$name.log" 2>&1 ||
    { tail -n 40 "$work/${arch:-sources}-$name.log" >&2; fail "${arch:+$arch: }$name failed"; }
}

# Once for every architecture: the build system regenerated as Debian's own builds do. Debian's
# own autoreconf for gnutls28 (debian/rules): the gettext-0.20 m4 files go, gtk-doc is not run.
arch=
for p in "${gnutls_patches[@]}"; do
  step "gnutls-patch-${p%.patch}" "$sources/$gnutls_dir" patch -p1 --forward --batch -i "$(realpath "$patch_dir/$p")"
done
step gmp-autoreconf "$sources/$gmp_dir" autoreconf -fi
step nettle-autoreconf "$sources/$nettle_dir" autoreconf -fi
(cd "$sources/$gnutls_dir" && grep -rl gettext-0.20 m4/ | xargs -r rm -f)
step gnutls-autoreconf "$sources/$gnutls_dir" env GTKDOCIZE="echo gtkdocize skipped" autoreconf -fi

for arch in "${todo[@]}"; do
  arch_settings "$arch"
  out=$(out_of "$arch")
  # Each architecture builds in a copy of the prepared sources (timestamps kept, so make runs no
  # autotools again).
  tree="$work/$arch"
  mkdir -p "$tree"
  cp -a "$sources/$gmp_dir" "$sources/$nettle_dir" "$sources/$gnutls_dir" "$tree/"
  gmp_src="$tree/$gmp_dir" nettle_src="$tree/$nettle_dir" gnutls_src="$tree/$gnutls_dir"
  prefix="$tree/prefix"
  # The win32-thread compiler (no libwinpthread); libgcc static, so no libgcc_s_*.dll to ship.
  export CC="$triple-gcc-win32 -static-libgcc"
  export CFLAGS="-O2"
  export CPPFLAGS="$time_flags -I$prefix/include"
  export LDFLAGS="-L$prefix/lib"
  export PKG_CONFIG_LIBDIR="$prefix/lib/pkgconfig"
  unset PKG_CONFIG_PATH
  configure_args=(--host="$triple" --prefix="$prefix" --enable-shared --disable-static)
  # configure, the Makefiles and libtool (a shell script run once per compile and link) run in
  # dash, not the bash configure would pick: gmp's configure and build took 20 % less processor
  # time so (49 s against 62 s for its make), the same compiles either way.
  export CONFIG_SHELL=$dash

  step gmp-configure "$gmp_src" ./configure "${configure_args[@]}" CC_FOR_BUILD=gcc
  step gmp-make "$gmp_src" make -j"$jobs"
  step gmp-install "$gmp_src" make install

  step nettle-configure "$nettle_src" ./configure "${configure_args[@]}" --disable-documentation --disable-openssl
  step nettle-make "$nettle_src" make -j"$jobs"
  step nettle-install "$nettle_src" make install

  step gnutls-configure "$gnutls_src" ./configure "${configure_args[@]}" \
    --with-included-libtasn1 --with-included-unistring --without-p11-kit \
    --disable-tools --disable-doc --disable-tests --disable-guile --disable-cxx \
    --disable-gtk-doc --disable-manpages --disable-nls --disable-libdane \
    --without-tpm --without-tpm2 --without-idn --without-brotli --without-zstd --without-zlib \
    --disable-srp-authentication --disable-anon-authentication --disable-gost \
    --disable-heartbeat-support --disable-dtls-srtp-support \
    --enable-threads=windows --disable-gcc-warnings --with-system-priority-file= \
    GMP_CFLAGS="-I$prefix/include" GMP_LIBS="-L$prefix/lib -lgmp"
  step gnutls-make "$gnutls_src" make -j"$jobs" -C gl
  step gnutls-make-lib "$gnutls_src" make -j"$jobs" -C lib
  step gnutls-install "$gnutls_src" make -C lib install

  for d in "${dlls[@]}"; do
    [ -f "$prefix/bin/$d" ] || fail "the build installed no bin/$d"
    "$triple-strip" --strip-unneeded "$prefix/bin/$d"
    # Only Windows' own DLLs and the four built here: nothing else would be found beside them.
    imports=$("$triple-objdump" -p "$prefix/bin/$d" | sed -n 's/^\s*DLL Name: //p')
    for i in $imports; do
      case "${i,,}" in
        libgcc_s*|libwinpthread*|libssp*|libstdc++*) fail "$d imports $i (should be linked statically)" ;;
      esac
    done
  done
  # The compiled-in default is gone (strings(1) finds it in a build configured without the option).
  if grep -qa '/etc/gnutls' "$prefix/bin/libgnutls-30.dll"; then fail "libgnutls-30.dll still names /etc/gnutls"; fi
  bash "$(dirname "${BASH_SOURCE[0]}")/time32-imports.sh" "$triple" "${dlls[@]/#/$prefix/bin/}" >&2 ||
    fail "a DLL imports msvcrt's 32-bit time functions"
  # nettle's command-line tools come along with its install; only the libraries are wanted.
  rm -f "$prefix"/lib/*.la "$prefix"/bin/*.exe
  rm -rf "$prefix/share"
  mkdir -p "$cache_root"
  stage=$(mktemp -d "$cache_root/.stage.XXXXXX")
  cp -a "$prefix/." "$stage/"
  # The pkg-config files name the prefix they were built for: the cache directory instead.
  for pc in "$stage"/lib/pkgconfig/*.pc; do
    sed -i "s|^prefix=.*|prefix=$out|" "$pc"
    sed -i "s|$prefix|\${prefix}|g" "$pc"
  done
  printf 'gmp %s\nnettle %s\ngnutls28 %s\ntarget %s\n' "$gmp_version" "$nettle_version" "$gnutls_version" "$triple" \
    >"$stage/debian-sources.txt"
  printf 'system-priority-file none\ndisabled srp,anon,gost,heartbeat,dtls-srtp\n' >"$stage/build-options.txt"
  for i in "${!gnutls_patches[@]}"; do
    printf 'patch %s %s\n' "${gnutls_patches[$i]}" "${patch_sums[$i]}" >>"$stage/build-options.txt"
  done
  rm -rf "$out"
  mv "$stage" "$out"
  complete "$out" || fail "the prefix $out is incomplete"
  # Cached: whoever waits for this architecture goes on now.
  fd=${lock_fd[$arch]}
  exec {fd}>&-
  rm -rf "$tree"
done
print_prefixes "$@"
