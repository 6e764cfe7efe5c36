# Debian's own source packages through a private apt state, for the scripts that build from them
# (teap-hostap.sh, gnutls-mingw.sh). Sourced, not run. Only Debian's archive is reached: the deb-src
# entries name the same URIs and suites as the machine's own apt sources, kept in a private apt
# state (sources, lists, caches) so the system's sources and package lists are left alone.
#
#   debian_source_fetch <work dir> <package>=<version>...
# unpacks each source package (Debian's patches applied) in <work dir>, with its apt state in
# <work dir>/apt and its logs beside. Messages go to stderr; returns non-zero on any failure.
#   debian_candidate <binary package>...
# prints the version apt offers of each <binary package>, a line each in order (an empty line when
# it offers none), from one apt-cache call (each call loads apt's whole cache: seconds on a busy
# machine, and the Wine lane asks at every run).

debian_candidate() {
  local policy p v
  policy=$(apt-cache policy "$@" 2>/dev/null)
  for p in "$@"; do
    v=$(awk -v header="$p:" '$0 == header { inside = 1; next } /^[^ ]/ { inside = 0 }
      inside && $1 == "Candidate:" { print $2; exit }' <<<"$policy")
    [ "$v" = "(none)" ] && v=
    printf '%s\n' "$v"
  done
}

debian_source_fetch() {
  local work=$1
  shift
  command -v dpkg-source >/dev/null || { echo "dpkg-source missing: apt-get install dpkg-dev" >&2; return 1; }
  local apt_dir="$work/apt" found=0 f
  mkdir -p "$apt_dir/sources.list.d" "$apt_dir/lists/partial"
  for f in /etc/apt/sources.list.d/*.sources; do
    [ -f "$f" ] || continue
    sed 's/^Types:.*/Types: deb-src/' "$f" >"$apt_dir/sources.list.d/$(basename "$f")"
    found=1
  done
  if [ -f /etc/apt/sources.list ] && grep -q '^deb ' /etc/apt/sources.list; then
    sed -n 's/^deb /deb-src /p' /etc/apt/sources.list >"$apt_dir/sources.list.d/from-sources-list.list"
    found=1
  fi
  [ "$found" = 1 ] || { echo "no apt sources found under /etc/apt to derive a deb-src entry from" >&2; return 1; }
  local apt_opts=(-o "Dir::Etc::SourceList=/dev/null" -o "Dir::Etc::SourceParts=$apt_dir/sources.list.d"
    -o "Dir::State::Lists=$apt_dir/lists" -o "Dir::Cache::srcpkgcache=" -o "Dir::Cache::pkgcache="
    -o "APT::Sandbox::User=root")
  apt-get "${apt_opts[@]}" update >"$work/apt-update.log" 2>&1 ||
    { cat "$work/apt-update.log" >&2; echo "apt-get update (deb-src) failed" >&2; return 1; }
  (cd "$work" && apt-get "${apt_opts[@]}" source "$@" >"$work/apt-source.log" 2>&1) ||
    { cat "$work/apt-source.log" >&2; echo "apt-get source $* failed" >&2; return 1; }
}
