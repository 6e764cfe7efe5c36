/**
 * CPU time from Linux's /proc, read one way by every bench: utime and stime of a process's or a
 * thread's stat file. The fields are counted after the command name's last ')': a name may hold
 * spaces and parentheses ("eaphost host", "eaphost step"), and a line cut at its first ') ' or
 * split on spaces from the start reads the wrong fields for those.
 */
import { readFileSync } from 'node:fs';

/** Clock ticks per second of utime and stime (USER_HZ: 100 on every Linux architecture Node runs on). */
const USER_HZ = 100;

/** `/proc/<path>/stat`'s command name and CPU time so far, in ms: user (`utime`), in the kernel
 *  (`stime`) and both (`cpuMs`). `path`: a process's id, or "<pid>/task/<tid>" (and
 *  "self/task/<tid>") for one of its threads. */
export function procStat(path: number | string): { name: string; cpuMs: number; userMs: number; systemMs: number } {
  const stat = readFileSync(`/proc/${path}/stat`, 'utf8');
  const close = stat.lastIndexOf(')');
  // After the name: state is the first field, utime the 12th, stime the 13th.
  const fields = stat.slice(close + 2).split(' ');
  const userMs = (Number(fields[11]) * 1000) / USER_HZ;
  const systemMs = (Number(fields[12]) * 1000) / USER_HZ;
  return { name: stat.slice(stat.indexOf('(') + 1, close), cpuMs: userMs + systemMs, userMs, systemMs };
}

/** A process's (or one thread's) CPU time so far, in ms: procStat's. */
export function cpuMs(path: number | string): number {
  return procStat(path).cpuMs;
}
