/**
 * The metrics of a proxy's dynamic discovery (RFC 7585): how its cache answered, why discoveries
 * failed, and what it holds now, read from RadiusDiscovery's stats at each scrape.
 */
import { Counter, Gauge, Registry } from 'prom-client';
import { RADIUS_DISCOVERY_REASONS } from '../radius/discovery';
import type { RadiusDiscoveryStats } from '../radius/discovery';

/** Registers the discovery's metrics in `registry`; `stats` is the RadiusDiscovery's own. */
export function registerDiscoveryMetrics(registry: Registry, stats: () => RadiusDiscoveryStats): void {
  const registers = [registry];
  // eslint-disable-next-line no-new
  new Counter({
    name: 'eaphost_radius_discovery_total',
    help: 'Realm discoveries (RFC 7585) by how the cache answered: hit (a kept answer or failure), miss (a lookup started), ' +
      'coalesced (waited for a lookup of the same realm under way).',
    labelNames: ['cache'], registers,
    collect() {
      this.reset();
      const { hits, misses, coalesced } = stats();
      for (const [cache, count] of [['hit', hits], ['miss', misses], ['coalesced', coalesced]] as const) this.inc({ cache }, count);
    },
  });
  // eslint-disable-next-line no-new
  new Counter({
    name: 'eaphost_radius_discovery_failures_total',
    help: 'Realm discoveries that found no home server, by reason (one answered from the cache counts again).',
    labelNames: ['reason'], registers,
    collect() {
      this.reset();
      const { failures } = stats();
      for (const reason of RADIUS_DISCOVERY_REASONS) this.inc({ reason }, failures[reason] ?? 0);
    },
  });
  // eslint-disable-next-line no-new
  new Gauge({
    name: 'eaphost_radius_discovery_cache_entries', help: 'Realms the discovery cache holds now, answers and failures.', registers,
    collect() {
      this.set(stats().entries);
    },
  });
  // eslint-disable-next-line no-new
  new Gauge({
    name: 'eaphost_radius_discovery_lookups', help: 'Realm lookups under way now.', registers,
    collect() {
      this.set(stats().lookups);
    },
  });
}
