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
}

/** Starts measuring; stop() ends it and gives the p99 and max delay since. */
export function loopDelayMonitor(): { stop(): LoopDelay } {
  const histogram = monitorEventLoopDelay({ resolution: RESOLUTION_MS });
  histogram.enable();
  return {
    stop() {
      histogram.disable();
      const late = (ns: number) => Number(Math.max(0, ns / 1e6 - RESOLUTION_MS).toFixed(3));
      return { p99Ms: late(histogram.percentile(99)), maxMs: late(histogram.max) };
    },
  };
}

/** The delay over `seconds` of whatever the loop is doing meanwhile. */
export async function loopDelayOver(seconds: number): Promise<LoopDelay> {
  const monitor = loopDelayMonitor();
  await new Promise((resolve) => setTimeout(resolve, seconds * 1000));
  return monitor.stop();
}
