/** The metrics layer: serve's Prometheus service over the RADIUS server's native counters. */
export { startMetrics } from './service';
export type { MetricsOptions, MetricsService } from './service';
export type { ServingCounts, ServingStats } from './counts';
export { eapTypeName } from './names';
