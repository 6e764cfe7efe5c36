/** The metrics layer: serve's Prometheus service over the RADIUS server's native counters, and over an 802.1X port's. */
export { listenMetrics, startMetrics } from './service';
export type { MetricsListener, MetricsService } from './service';
export { eapolRegistry } from './eapol';
export { eapTypeName } from './names';
