#!/usr/bin/env bash
# The Wine lane's checks of scripts/wine/node.sh (the CLI in the Windows node.exe): its stdout and
# stderr reach the caller apart, through a pipe and through a file, standard input reaches a "-"
# value, relative paths are the caller's, and its exit code is the CLI's (0, 1 and 2).
# Prints mocha-style "N passing" / "N failing" lines, which scripts/wine/summary.js adds up.
#   bash scripts/wine/node-check.sh
set -uo pipefail
repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
node_sh="$repo/scripts/wine/node.sh"
scratch=$(mktemp -d "$repo/build-wine/node-check.XXXXXX")
trap 'rm -rf "$scratch"' EXIT
cp "$repo/examples/users.json" "$scratch/users.json"
version=$(node -p "require('$repo/package.json').version")
passing=0
failing=0
# check <name> COMMAND...: a check passes when COMMAND does; a failing one shows what the last
# node.sh call gave (its exit status, stdout and stderr, where node.sh says why it could not run).
check() {
  local name=$1
  shift
  if "$@"; then
    passing=$((passing + 1)); echo "  ✔ node.sh $name"
  else
    failing=$((failing + 1)); echo "  ✘ node.sh $name"
    echo "      exit status $status; stdout:"
    printf '%s\n' "$out" | tail -n 10 | sed 's/^/      | /'
    echo "      stderr:"
    printf '%s\n' "$err" | tail -n 40 | sed 's/^/      | /'
  fi
}
# run <name> ARGS...: node.sh ARGS from $scratch, through pipes; sets status, out, err.
run() {
  out=$(cd "$scratch" && bash "$node_sh" "$@" 2>"$scratch/stderr")
  status=$?
  err=$(cat "$scratch/stderr")
}

started=$(date +%s.%N)
run --version
first=$(awk -v a="$started" -v b="$(date +%s.%N)" 'BEGIN { printf "%.1f", b - a }')
check "--version through a pipe: the package's version on stdout, nothing on stderr, exit 0" \
  test "$status:$out:$err" = "0:$version:"
started=$(date +%s.%N)
(cd "$scratch" && bash "$node_sh" --version >"$scratch/version.txt" 2>"$scratch/version.err")
status=$?
warm=$(awk -v a="$started" -v b="$(date +%s.%N)" 'BEGIN { printf "%.1f", b - a }')
out=$(cat "$scratch/version.txt") err=$(cat "$scratch/version.err")
check "--version into a file: the same (the run before took ${first} s, this one ${warm} s)" \
  test "$status:$out:$err" = "0:$version:"

run methods
check "methods: EAP-MSCHAPv2 (26) registered under author 32473 through the stand-in EAPHost" \
  eval '[ "$status" = 0 ] && grep -q "^type 26 vendor 0/0 author 32473 " <<<"$out"'

run auth --method mschapv2 --identity alice --password-file password.txt --users users.json
check "auth with a missing --password-file (a relative path from the caller's directory): exit 2, said on stderr" \
  eval '[ "$status" = 2 ] && [ -z "$out" ] && grep -q "password.txt" <<<"$err"'
printf 'correct horse battery staple\n' >"$scratch/password.txt"
run auth --method mschapv2 --identity alice --password-file password.txt --users users.json
check "auth EAP-MSCHAPv2 with the right password: EAP-Success on stdout, exit 0" \
  eval '[ "$status" = 0 ] && grep -q "^EAP-Success: alice" <<<"$out"'
out=$(cd "$scratch" && printf 'correct horse battery staple\n' | bash "$node_sh" auth --method mschapv2 --identity alice --password - --users users.json 2>"$scratch/stderr")
status=$?
err=$(cat "$scratch/stderr")
check "auth --password - reads the password from the caller's pipe: exit 0" \
  eval '[ "$status" = 0 ] && grep -q "^EAP-Success: alice" <<<"$out"'
printf 'not the password\n' >"$scratch/wrong.txt"
run auth --method mschapv2 --identity alice --password-file wrong.txt --users users.json
check "auth with the wrong password: EAP-Failure, exit 1" \
  eval '[ "$status" = 1 ] && grep -q "^EAP-Failure: alice" <<<"$out"'
run auth --no-such-flag
check "a flag the CLI does not know: exit 2, the usage hint on stderr, nothing on stdout" \
  eval '[ "$status" = 2 ] && [ -z "$out" ] && grep -q "eaphost auth --help for usage" <<<"$err"'

echo
echo "  $passing passing"
[ "$failing" = 0 ] || echo "  $failing failing"
[ "$failing" = 0 ]
