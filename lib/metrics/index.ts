/** The metrics layer: serve's Prometheus service over the RADIUS server's native counters. */
export { startMetrics } from './service';
export type { MetricsService } from './service';
export { eapTypeName } from './names';
