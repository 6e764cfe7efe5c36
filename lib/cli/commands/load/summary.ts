/**
 * The figures of `eaphost load`: counts by outcome and latency percentiles, for the live
 * progress line and the final summary alike.
 */
import type { RadiusClientLoadProgress } from '../../../radius/client-engine';

export type LoadOutcome = 'success' | 'failure' | 'timeout' | 'error';

export interface LoadSummary {
  started: number;
  completed: number;
  successes: number;
  failures: number;
  timeouts: number;
  errors: number;
  inFlight: number;
  elapsedMs: number;
  /** Completed authentications per second over the whole run. */
  rate: number;
  /** Latency of answered authentications (success or failure), milliseconds. */
  latencyMs: { p50: number; p95: number; p99: number; max: number } | null;
  interrupted: boolean;
  /** This process's own CPU time (user and system, every thread) over the run, in µs per completed
   *  request: what the generator spent, to read beside the server's. */
  cpuUsPerRequest: number;
  /** The first few distinct error messages, so a broken setup is visible in the summary. */
  errorSamples: string[];
}

/** Nearest-rank percentile of a sorted array (the figure eapol_test wrappers report). */
export function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return 0;
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length - 1, Math.max(0, rank - 1))];
}

export class LoadRecorder {
  private readonly latencies: number[] = [];
  private readonly counts = { success: 0, failure: 0, timeout: 0, error: 0 };
  private readonly samples = new Set<string>();
  private readonly startedAt = performance.now();
  private readonly cpuAtStart = process.cpuUsage();
  started = 0;
  inFlight = 0;
  interrupted = false;

  record(outcome: LoadOutcome, latencyMs: number, message?: string): void {
    this.counts[outcome]++;
    if (outcome === 'success' || outcome === 'failure') this.latencies.push(latencyMs);
    if (message && outcome === 'error' && this.samples.size < 3) this.samples.add(message);
  }

  /** A run the client engine drives (PAP, MAB): its counts so far and its latencies since the
   *  last call; unanswered requests still come through record(). */
  absorb(progress: RadiusClientLoadProgress): void {
    this.started = progress.started;
    this.inFlight = progress.inFlight;
    this.counts.success = progress.successes;
    this.counts.failure = progress.failures;
    for (const latency of progress.latenciesMs) this.latencies.push(latency);
  }

  summary(): LoadSummary {
    const elapsedMs = performance.now() - this.startedAt;
    const completed = this.counts.success + this.counts.failure + this.counts.timeout + this.counts.error;
    const sorted = [...this.latencies].sort((a, b) => a - b);
    const round = (value: number): number => Math.round(value * 10) / 10;
    const cpu = process.cpuUsage(this.cpuAtStart);
    return {
      started: this.started, completed, successes: this.counts.success, failures: this.counts.failure,
      timeouts: this.counts.timeout, errors: this.counts.error, inFlight: this.inFlight,
      elapsedMs: Math.round(elapsedMs), rate: elapsedMs > 0 ? round(completed / (elapsedMs / 1000)) : 0,
      latencyMs: sorted.length === 0 ? null : {
        p50: round(percentile(sorted, 50)), p95: round(percentile(sorted, 95)), p99: round(percentile(sorted, 99)),
        max: round(sorted[sorted.length - 1]),
      },
      interrupted: this.interrupted,
      cpuUsPerRequest: completed > 0 ? round((cpu.user + cpu.system) / completed) : 0,
      errorSamples: [...this.samples],
    };
  }
}

export function progressLine(summary: LoadSummary): string {
  const latency = summary.latencyMs
    ? ` p50 ${summary.latencyMs.p50} ms p95 ${summary.latencyMs.p95} ms p99 ${summary.latencyMs.p99} ms` : '';
  return `${summary.completed} done (${summary.rate}/s): ${summary.successes} ok, ${summary.failures} failed, ` +
    `${summary.timeouts} timed out, ${summary.errors} errors, ${summary.inFlight} in flight;${latency}`;
}

export function summaryLines(summary: LoadSummary): string[] {
  const lines = [
    `${summary.interrupted ? 'interrupted after' : 'finished in'} ${(summary.elapsedMs / 1000).toFixed(1)} s: ` +
    `${summary.completed} authentications, ${summary.rate} per second`,
    `  successes ${summary.successes}, failures ${summary.failures}, timeouts ${summary.timeouts}, errors ${summary.errors}`,
  ];
  if (summary.latencyMs) {
    lines.push(`  latency p50 ${summary.latencyMs.p50} ms, p95 ${summary.latencyMs.p95} ms, ` +
      `p99 ${summary.latencyMs.p99} ms, max ${summary.latencyMs.max} ms`);
  }
  if (summary.completed > 0) lines.push(`  this process's CPU ${summary.cpuUsPerRequest} µs a request`);
  for (const sample of summary.errorSamples) lines.push(`  error: ${sample}`);
  return lines;
}
