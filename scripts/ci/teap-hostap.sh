#!/usr/bin/env bash
# Builds a TEAP-capable eapol_test and hostapd from Debian's own `wpa` source package.
# Debian 12 ships both without CONFIG_EAP_TEAP, and no other Debian package speaks TEAP, so the
# TEAP interop tests need this build. Only Debian's archive is reached: the deb-src entry names the
# same URIs and suites as the machine's own apt sources (scripts/ci/debian-source.sh).
#
# The result is cached under ${XDG_CACHE_HOME:-~/.cache}/eaphost/hostap-teap/<version>-<digest>/, keyed
# by the Debian version of hostapd apt offers and a digest of the build configuration below, so a
# run after the first costs nothing. Prints the cache directory (holding eapol_test and hostapd) on
# stdout; everything else goes to stderr. Fails loudly.
set -euo pipefail

fail() { echo "teap-hostap: $*" >&2; exit 1; }

# shellcheck source=scripts/ci/debian-source.sh
source "$(dirname "${BASH_SOURCE[0]}")/debian-source.sh"
version=${EAPHOST_TEAP_HOSTAP_VERSION:-$(debian_candidate hostapd)}
[ -n "$version" ] || fail "apt knows no hostapd version to build (apt-get update?)"
# eapol_test: the EAP methods the interop tests use, TEAP among them, and PKCS#12 keys (the profile
# writers' client certificates); no driver, so no libnl/dbus.
eapol_test_config=$(cat <<'EOF'
CONFIG_EAPOL_TEST=y
CONFIG_IEEE8021X_EAPOL=y
CONFIG_EAP_MD5=y
CONFIG_EAP_MSCHAPV2=y
CONFIG_EAP_TLS=y
CONFIG_EAP_PEAP=y
CONFIG_EAP_TTLS=y
CONFIG_EAP_GTC=y
CONFIG_EAP_TEAP=y
CONFIG_TLS=openssl
CONFIG_TLSV11=y
CONFIG_TLSV12=y
CONFIG_PKCS12=y
CONFIG_DEBUG_FILE=y
EOF
)
# hostapd as a RADIUS server with its integrated EAP server. EAP-FAST is built in because hostapd 2.10
# parses pac_opaque_encr_key / eap_fast_a_id (which its TEAP server requires) only with it.
hostapd_config=$(cat <<'EOF'
CONFIG_DRIVER_NONE=y
CONFIG_RADIUS_SERVER=y
CONFIG_EAP=y
CONFIG_EAP_MD5=y
CONFIG_EAP_MSCHAPV2=y
CONFIG_EAP_TLS=y
CONFIG_EAP_PEAP=y
CONFIG_EAP_TTLS=y
CONFIG_EAP_GTC=y
CONFIG_EAP_FAST=y
CONFIG_EAP_TEAP=y
CONFIG_TLS=openssl
CONFIG_TLSV11=y
CONFIG_TLSV12=y
CONFIG_IPV6=y
CONFIG_NO_RANDOM_POOL=y
EOF
)
cache_root=${XDG_CACHE_HOME:-$HOME/.cache}/eaphost/hostap-teap
# Keyed by the build configuration too, so a changed configuration builds again.
config_digest=$(printf '%s\n%s\n' "$eapol_test_config" "$hostapd_config" | sha256sum | cut -c1-12)
out="$cache_root/${version//[:\/]/_}-$config_digest"
if [ -x "$out/eapol_test" ] && [ -x "$out/hostapd" ]; then
  echo "$out"
  exit 0
fi

command -v make >/dev/null && command -v gcc >/dev/null || fail "make and gcc are needed: apt-get install make gcc"
[ -f /usr/include/openssl/ssl.h ] || fail "OpenSSL headers missing: apt-get install libssl-dev"

work=$(mktemp -d "${TMPDIR:-/tmp}/eaphost-teap-hostap.XXXXXX")
trap 'rm -rf "$work"' EXIT

debian_source_fetch "$work" "wpa=$version" || fail "could not fetch Debian's wpa $version source package"
src=$(find "$work" -maxdepth 1 -type d -name 'wpa-*' | head -1)
[ -n "$src" ] || fail "apt-get source left no wpa-* directory"
printf '%s\n' "$eapol_test_config" >"$src/wpa_supplicant/.config"
printf '%s\n' "$hostapd_config" >"$src/hostapd/.config"

jobs=$(nproc 2>/dev/null || echo 2)
# hostap's default flags less -g: the tests run these programs and never debug them, and debug
# information is a good part of a C compile's time. In the environment, not on make's command
# line, where it would also override the flags the makefiles add (their includes, defines).
export CFLAGS="-MMD -O2 -Wall"
(cd "$src/wpa_supplicant" && nice make -j"$jobs" eapol_test >"$work/eapol_test.log" 2>&1) ||
  { tail -40 "$work/eapol_test.log" >&2; fail "building eapol_test failed"; }
(cd "$src/hostapd" && nice make -j"$jobs" hostapd >"$work/hostapd.log" 2>&1) ||
  { tail -40 "$work/hostapd.log" >&2; fail "building hostapd failed"; }

mkdir -p "$cache_root"
stage=$(mktemp -d "$cache_root/.stage.XXXXXX")
cp "$src/wpa_supplicant/eapol_test" "$src/hostapd/hostapd" "$stage/"
# -h exits non-zero by design: judge it by what it prints.
usage=$("$stage/eapol_test" -h 2>&1 || true)
case "$usage" in *eapol_test*) ;; *) fail "the eapol_test built does not run: $usage" ;; esac
rm -rf "$out"
mv "$stage" "$out"
echo "$out"
