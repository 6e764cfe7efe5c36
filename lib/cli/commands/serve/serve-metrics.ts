/** serve's --metrics flag, which both forms take (RADIUS, and --interface's 802.1X port). */
import { UsageError } from '../../main';

/** --metrics HOST:PORT ([v6]:PORT); a bad value is a UsageError. */
export function metricsAddress(value: string): { host: string; port: number } {
  const match = /^(?:\[([^\]]+)\]|([^:]+)):(\d+)$/.exec(value);
  const port = match ? Number(match[3]) : NaN;
  if (!match || !(port >= 0 && port <= 65535)) throw new UsageError(`--metrics ${value}: expected HOST:PORT`);
  return { host: match[1] ?? match[2], port };
}
