/**
 * The event-loop delay as method-throughput and loop-delay-floor read it:
 * perf_hooks.monitorEventLoopDelay at 1 ms resolution. It records the interval between its
 * timer's runs, which is the resolution itself when the loop is free: the delay is what exceeds
 * it, in ms.
 */
import { monitorEventLoopDelay } from 'perf_hooks';

export const RESOLUTION_MS = 1;

export interface LoopDelay {
  p99Ms: number;
  maxMs: number;
  /** The measurement's distribution, for pooledDelay: its sample count and (percentile, ns)
   *  points of its histogram. */
  count: number;
  points: Array<[number, number]>;
}

// The percentiles each measurement keeps for pooledDelay: coarse to 90, then every tenth.
const TAIL_GRID = [1, ...Array.from({ length: 8 }, (_, i) => (i + 1) * 10), ...Array.from({ length: 100 }, (_, i) => 90 + i / 10), 100];

const lateMs = (ns: number) => Number(Math.max(0, ns / 1e6 - RESOLUTION_MS).toFixed(3));

/** Starts measuring; stop() ends it and gives the p99 and max delay since. */
export function loopDelayMonitor(): { stop(): LoopDelay } {
  const histogram = monitorEventLoopDelay({ resolution: RESOLUTION_MS });
  histogram.enable();
  return {
    stop() {
      histogram.disable();
      return {
        p99Ms: lateMs(histogram.percentile(99)), maxMs: lateMs(histogram.max),
        count: histogram.count, points: TAIL_GRID.map((q) => [q, histogram.percentile(q)]),
      };
    },
  };
}

/** The p99 and max of several measurements taken as one: the delay under which 99% of all their
 *  samples lie, each measurement's share read from its percentile points, linearly between two.
 *  A monitor cannot be paused and resumed (its first interval after a pause spans the pause). */
export function pooledDelay(parts: LoopDelay[]): Pick<LoopDelay, 'p99Ms' | 'maxMs'> {
  const count = parts.reduce((sum, part) => sum + part.count, 0);
  // How many of a part's samples lie under `ns`.
  const under = (part: LoopDelay, ns: number) => {
    const points = part.points;
    if (points.length === 0 || ns < points[0][1]) return 0;
    for (let i = 1; i < points.length; i++) {
      const [p0, v0] = points[i - 1];
      const [p1, v1] = points[i];
      if (ns < v1) return (part.count * (p0 + ((p1 - p0) * (ns - v0)) / Math.max(v1 - v0, 1))) / 100;
    }
    return part.count;
  };
  const all = parts.flatMap((part) => part.points.map(([, ns]) => ns));
  let low = Math.min(...all);
  let high = Math.max(...all);
  if (!Number.isFinite(low)) return { p99Ms: 0, maxMs: 0 };
  while (high - low > 1000) {  // to the microsecond
    const middle = (low + high) / 2;
    if (parts.reduce((sum, part) => sum + under(part, middle), 0) >= 0.99 * count) high = middle;
    else low = middle;
  }
  return { p99Ms: lateMs(high), maxMs: Math.max(0, ...parts.map((part) => part.maxMs)) };
}

/** The delay over `seconds` of whatever the loop is doing meanwhile. */
export async function loopDelayOver(seconds: number): Promise<LoopDelay> {
  const monitor = loopDelayMonitor();
  await new Promise((resolve) => setTimeout(resolve, seconds * 1000));
  return monitor.stop();
}
