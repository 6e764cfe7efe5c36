#!/usr/bin/env bash
# Runs one lane and stops it when it hangs, never because the machine is slow.
#   lane-watchdog.sh --log FILE --progress FILE [--idle S] [--ceiling S] -- COMMAND...
# COMMAND runs in a session of its own (its stdout and stderr are the caller's, normally FILE).
# The lane makes progress while any of these moves: FILE grows (a line of output), the progress
# file changes (the mocha root hook test/support/lane-progress.ts touches it after every test, in
# node and in node.exe under Wine), or the lane's processes use processor time (at least one
# second of it: a compile, a peer, node.exe under Wine, each counted through the session's
# processes in /proc). A lane with none of them for --idle seconds waits on something that
# will never come (a child that never exits, a server keeping mocha alive): it is stopped. Nothing
# in a lane legitimately waits that long in silence: where a lane waits on another lane or on a
# background build, it says so once a minute. --ceiling is the backstop for a hang that spins (a
# loop that never ends uses processor time): at least three times the longest lane's from-nothing
# time (docs/testing.md), so a slow or loaded machine never meets it.
# Stopping lists what was still running (`ps`), then SIGTERM to the session, SIGKILL 30 s later.
# Exit status: COMMAND's own, or 124 when it was stopped (the reason is the log's last line).
set -uo pipefail

idle=600
ceiling=3900
log=
progress=
while [ $# -gt 0 ]; do
  case "$1" in
    --idle) idle=$2; shift 2 ;;
    --ceiling) ceiling=$2; shift 2 ;;
    --log) log=$2; shift 2 ;;
    --progress) progress=$2; shift 2 ;;
    --) shift; break ;;
    *) echo "lane-watchdog: unknown option $1" >&2; exit 2 ;;
  esac
done
[ $# -gt 0 ] && [ -n "$log" ] && [ -n "$progress" ] ||
  { echo "usage: lane-watchdog.sh --log FILE --progress FILE [--idle S] [--ceiling S] -- COMMAND..." >&2; exit 2; }
[[ "$idle" =~ ^[0-9]+$ && "$ceiling" =~ ^[0-9]+$ && "$idle" -gt 0 && "$ceiling" -gt 0 ]] ||
  { echo "lane-watchdog: --idle and --ceiling take whole seconds above 0" >&2; exit 2; }
poll=${EAPHOST_WATCHDOG_POLL:-5}

# A background job of a shell without job control is no process group leader, so setsid makes
# the session in place: $! is its leader, and the session id of every process the lane starts
# (but those that make sessions of their own, as daemons do: they are the lane's to stop).
setsid "$@" &
sid=$!

# session_ticks: processor ticks used by the session's live processes and by the children they
# reaped (utime, stime, cutime, cstime: fields 14-17 of /proc/PID/stat). A process's comm may
# hold spaces and parentheses: fields are counted after its last ')', so field N is $(N-2).
session_ticks() {
  local pids
  pids=$(ps -o pid= -s "$sid" 2>/dev/null | sed 's|^ *|/proc/|; s|$|/stat|')
  [ -n "$pids" ] || { echo 0; return; }
  # shellcheck disable=SC2086 # one path a word
  awk '{ sub(/.*\) /, ""); total += $12 + $13 + $14 + $15 } END { printf "%d\n", total }' $pids 2>/dev/null
}
# marker FILE: what changes when FILE is written (size and modification time), or "absent".
marker() { stat -c '%s %Y' "$1" 2>/dev/null || echo absent; }

# signal_session SIGNAL: the signal to every process of the lane's session (a process that made a
# process group of its own, as `timeout` does, is still in it). False when none is left.
signal_session() {
  local pids
  pids=$(ps -o pid= -s "$sid" 2>/dev/null) || return 1
  [ -n "$pids" ] || return 1
  # shellcheck disable=SC2086 # one pid a word
  kill "-$1" $pids 2>/dev/null
  return 0
}
stop() {
  echo "lane-watchdog: $1; what was still running:"
  ps -o pid=,etimes=,time=,args= -s "$sid" 2>/dev/null | sed 's/^/  /'
  signal_session TERM
  local waited=0
  while [ $waited -lt 30 ] && ps -o stat= -s "$sid" 2>/dev/null | grep -qv '^Z'; do
    sleep 1
    waited=$(( waited + 1 ))
  done
  signal_session KILL
  wait "$sid" 2>/dev/null
  echo "lane-watchdog: $1"
  exit 124
}

ticks_per_second=$(getconf CLK_TCK 2>/dev/null || echo 100)
start=$(date +%s)
last_progress=$start
last_log=$(marker "$log")
last_mark=$(marker "$progress")
last_ticks=$(session_ticks)
[[ "$last_ticks" =~ ^[0-9]+$ ]] || last_ticks=0
while kill -0 "$sid" 2>/dev/null; do
  sleep "$poll"
  kill -0 "$sid" 2>/dev/null || break
  now=$(date +%s)
  log_now=$(marker "$log")
  mark_now=$(marker "$progress")
  ticks_now=$(session_ticks)
  # Every process read between ps and awk may have ended: then nothing was measured this time.
  [[ "$ticks_now" =~ ^[0-9]+$ ]] || ticks_now=$last_ticks
  # Processes that end take their ticks with them unless a process of the session reaps them:
  # fewer ticks than before means something ended, which is progress too.
  if [ "$log_now" != "$last_log" ] || [ "$mark_now" != "$last_mark" ] ||
    [ $(( ticks_now - last_ticks )) -ge "$ticks_per_second" ] || [ "$ticks_now" -lt "$last_ticks" ]; then
    last_progress=$now
    last_log=$log_now
    last_mark=$mark_now
    last_ticks=$ticks_now
  fi
  if [ $(( now - start )) -ge "$ceiling" ]; then
    stop "stopped after $ceiling s, the ceiling for any lane (--ceiling; it still used the processor: a loop that never ends?)"
  fi
  if [ $(( now - last_progress )) -ge "$idle" ]; then
    stop "no progress for $idle s (no output, no test finished, under a processor second used): a hang, stopped"
  fi
done
wait "$sid"
