#!/usr/bin/env bash
# Cross-builds GnuTLS for Windows from Debian's own source packages (gmp, nettle, gnutls28) with
# Debian's mingw-w64, so the Windows method module gets the same TLS engine as every other
# platform. Usage: gnutls-mingw.sh <x64|x86>
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
case "${1:-}" in
  x64) triple=x86_64-w64-mingw32 time_flags= ;;
  x86) triple=i686-w64-mingw32 time_flags=-D__MINGW_USE_VC2005_COMPAT ;;
  *) fail "usage: gnutls-mingw.sh <x64|x86>" ;;
esac
arch=$1

# shellcheck source=scripts/ci/debian-source.sh
source "$(dirname "${BASH_SOURCE[0]}")/debian-source.sh"
gmp_version=$(debian_candidate libgmp-dev)
nettle_version=$(debian_candidate nettle-dev)
gnutls_version=$(debian_candidate libgnutls28-dev)
[ -n "$gmp_version" ] && [ -n "$nettle_version" ] && [ -n "$gnutls_version" ] ||
  fail "apt offers no version of libgmp-dev, nettle-dev or libgnutls28-dev (apt-get update?)"
key="$arch${time_flags:+-time64}-nosysconfig-lean-gmp$gmp_version-nettle$nettle_version-gnutls$gnutls_version"
cache_root=${XDG_CACHE_HOME:-$HOME/.cache}/eaphost/gnutls-mingw
out="$cache_root/${key//[:\/+~]/_}"
dlls=(libgnutls-30.dll libnettle-8.dll libhogweed-6.dll libgmp-10.dll)
complete() {
  local d
  [ -f "$1/build-options.txt" ] || return 1
  for d in "${dlls[@]}"; do [ -f "$1/bin/$d" ] || return 1; done
  [ -f "$1/lib/pkgconfig/gnutls.pc" ] && [ -f "$1/lib/libgnutls.dll.a" ] && [ -f "$1/include/gnutls/gnutls.h" ]
}
if complete "$out"; then
  echo "$out"
  exit 0
fi
# One build per key at a time: a second caller (the set-up and a lane, two lanes) waits for the
# first and takes its result instead of building the same prefix beside it.
mkdir -p "$cache_root"
exec 9>"$out.lock"
flock 9
if complete "$out"; then
  echo "$out"
  exit 0
fi

command -v "$triple-gcc-win32" >/dev/null || fail "$triple-gcc-win32 missing: apt-get install mingw-w64"
for tool in make gcc m4 autoreconf libtoolize autopoint pkg-config; do
  command -v "$tool" >/dev/null ||
    fail "$tool missing: apt-get install make gcc m4 autoconf automake libtool autopoint pkg-config"
done

work=$(mktemp -d "${TMPDIR:-/tmp}/eaphost-gnutls-mingw.XXXXXX")
trap 'rm -rf "$work"' EXIT
debian_source_fetch "$work" "gmp=$gmp_version" "nettle=$nettle_version" "gnutls28=$gnutls_version" ||
  fail "could not fetch Debian's gmp, nettle and gnutls28 source packages"
source_dir() {
  local d
  d=$(find "$work" -maxdepth 1 -type d -name "$1-*" | head -1)
  [ -n "$d" ] || fail "apt-get source left no $1-* directory"
  echo "$d"
}
gmp_src=$(source_dir gmp)
nettle_src=$(source_dir nettle)
gnutls_src=$(source_dir gnutls28)

prefix="$work/prefix"
jobs=$(nproc 2>/dev/null || echo 2)
# The win32-thread compiler (no libwinpthread); libgcc static, so no libgcc_s_*.dll to ship.
export CC="$triple-gcc-win32 -static-libgcc"
export CFLAGS="-O2"
export CPPFLAGS="$time_flags -I$prefix/include"
export LDFLAGS="-L$prefix/lib"
export PKG_CONFIG_LIBDIR="$prefix/lib/pkgconfig"
unset PKG_CONFIG_PATH
# step <name> <dir> <command...>: runs one stage, its output in a log shown on failure. At the
# processor priority of its caller, not below: from nothing, the win32 lane waits for this build,
# and that lane's stream is the test command's longest (a niced build finished 611 s into the run,
# behind the linux lane).
step() {
  local name=$1 dir=$2
  shift 2
  echo "gnutls-mingw: $arch: $name" >&2
  (cd "$dir" && "$@") >"$work/$name.log" 2>&1 || { tail -n 40 "$work/$name.log" >&2; fail "$name failed"; }
}
configure_args=(--host="$triple" --prefix="$prefix" --enable-shared --disable-static)

step gmp-autoreconf "$gmp_src" autoreconf -fi
step gmp-configure "$gmp_src" ./configure "${configure_args[@]}" CC_FOR_BUILD=gcc
step gmp-make "$gmp_src" make -j"$jobs"
step gmp-install "$gmp_src" make install

step nettle-autoreconf "$nettle_src" autoreconf -fi
step nettle-configure "$nettle_src" ./configure "${configure_args[@]}" --disable-documentation --disable-openssl
step nettle-make "$nettle_src" make -j"$jobs"
step nettle-install "$nettle_src" make install

# Debian's own autoreconf for gnutls28 (debian/rules): the gettext-0.20 m4 files go, gtk-doc is not run.
(cd "$gnutls_src" && grep -rl gettext-0.20 m4/ | xargs -r rm -f)
step gnutls-autoreconf "$gnutls_src" env GTKDOCIZE="echo gtkdocize skipped" autoreconf -fi
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
rm -rf "$out"
mv "$stage" "$out"
complete "$out" || fail "the prefix $out is incomplete"
echo "$out"
