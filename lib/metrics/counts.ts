/**
 * What the metrics read: the counts of the RADIUS server now serving, and what the servers before
 * it counted (a reload opens a new server; its counts continue from where the last one left them).
 */
import type { RadiusClientTally, RadiusServer, RadiusServerStats } from '../radius';
import type { RadiusEngineVerdicts } from '../radius/server';

/** The counters, and what is now: conversations open, the step threads' queue and lent threads, RadSec connections, and
 *  the RADIUS/DTLS listener's counts (its own, from its start: a reload's listener starts again from none). */
export type ServingStats = RadiusServerStats & { active: number; activeTls: number; stepPool: RadiusServer['stepPool'];
  radsecConnections: RadiusServer['radsecConnections']; radsecDtls?: RadiusServer['radsecDtlsCounters'];
  proxyHomes?: RadiusServer['proxyHomes'] };

/** A home server of the proxy: its counts and a pooled one's state (RadiusServer.proxyHomes). */
export type ProxyHomeCounts = RadiusServer['proxyHomes'][number];

/** The step pool's counters, carried across a reload (its queue, lent threads and threads are what is now). */
export type StepCount = 'kept' | 'handedOver' | 'heapReturns';
const STEP_COUNTS: readonly StepCount[] = ['kept', 'handedOver', 'heapReturns'];

/** What is now rather than counted, or counted by a listener of its own: never carried across a reload. */
const GAUGES = new Set<keyof ServingStats>(['active', 'activeTls', 'stepPool', 'radsecConnections', 'radsecDtls', 'proxyHomes']);

/** What the server now serving counts: its totals, each client's, and its verdicts'. */
export interface ServingCounts {
  stats(): ServingStats;
  clients(): RadiusClientTally[];
  verdicts(): RadiusEngineVerdicts;
  /** Its policy's rules by name, in order (RadiusEngineVerdicts' ruleHits by index). */
  ruleNames: string[];
}

/** The counts of every server served since the metrics started: the one now serving's, the closed ones' added in. */
export class CarriedCounts {
  private current: ServingCounts | undefined;
  private readonly carried = new Map<string, number>();
  private readonly carriedClients = new Map<string, RadiusClientTally>();
  private carriedVerdicts: RadiusEngineVerdicts = { outcomes: [], durations: [], tls: [], ruleHits: [] };
  // Rule hits by name: a reload may reorder, add or drop rules.
  private readonly carriedRules = new Map<string, number>();
  // Each home server's counts by URL: only the last server's homes (a home a reload drops goes with it).
  private carriedHomes = new Map<string, ProxyHomeCounts>();
  private readonly carriedSteps: Record<StepCount, number> = { kept: 0, handedOver: 0, heapReturns: 0 };

  /** The server now serving (undefined between a close and the next listen): what the last one counted is kept. */
  serving(counts: ServingCounts | undefined): void {
    const last = this.current;
    if (last) {
      const stats = last.stats();
      for (const key of Object.keys(stats) as (keyof ServingStats)[]) {
        if (!GAUGES.has(key)) this.carried.set(key, (this.carried.get(key) ?? 0) + (stats[key] as number));
      }
      for (const tally of last.clients()) this.carriedClients.set(tally.client, addTally(this.carriedClients.get(tally.client), tally));
      this.carriedVerdicts = addVerdicts(this.carriedVerdicts, last.verdicts());
      for (const [name, hits] of this.ruleHits()) this.carriedRules.set(name, hits);
      this.carriedHomes = new Map(this.proxyHomes().map((home) => [home.url, home]));
      for (const key of STEP_COUNTS) this.carriedSteps[key] += stats.stepPool[key];
    }
    this.current = counts;
  }

  /** One of the step pool's counters (not what is now: its queue and lent threads), all servers' together. */
  stepTotal(key: StepCount): number {
    return this.carriedSteps[key] + (this.current ? this.current.stats().stepPool[key] : 0);
  }

  /** One engine counter, all servers' together. */
  total(key: keyof RadiusServerStats): number {
    return (this.carried.get(key) ?? 0) + (this.current ? this.current.stats()[key] : 0);
  }

  /** What is now (undefined while no server serves). */
  now(): ServingStats | undefined {
    return this.current?.stats();
  }

  /** Each client's tally, what closed servers counted added in (a last-seen time: the later). */
  clients(): RadiusClientTally[] {
    const merged = new Map<string, RadiusClientTally>([...this.carriedClients].map(([client, tally]) => [client, { ...tally }]));
    for (const tally of this.current?.clients() ?? []) merged.set(tally.client, addTally(merged.get(tally.client), tally));
    return [...merged.values()];
  }

  verdicts(): RadiusEngineVerdicts {
    return this.current ? addVerdicts(this.carriedVerdicts, this.current.verdicts()) : this.carriedVerdicts;
  }

  /** Each home server of the server now serving by URL, what it counted of that URL before a reload added in
   *  (rows of one URL, two realms' discovered homes that are one, summed). */
  proxyHomes(): ProxyHomeCounts[] {
    const merged = new Map<string, ProxyHomeCounts>();
    for (const home of this.now()?.proxyHomes ?? []) {
      const before = merged.get(home.url);
      merged.set(home.url, before === undefined ? home : addHome(before, home));
    }
    return [...merged.values()].map((home) => {
      const carried = this.carriedHomes.get(home.url);
      return carried === undefined ? home : { ...addHome(carried, home), pooled: home.pooled, state: home.state };
    });
  }

  /** Rule hits by the rule's name. */
  ruleHits(): Map<string, number> {
    const hits = new Map(this.carriedRules);
    if (this.current) {
      const counted = this.current.verdicts().ruleHits;
      this.current.ruleNames.forEach((name, i) => hits.set(name, (hits.get(name) ?? 0) + (counted[i] ?? 0)));
    }
    return hits;
  }
}

/** Verdicts counted by two servers (one before a reload, one after) added: rows of the same labels summed. */
function addVerdicts(a: RadiusEngineVerdicts, b: RadiusEngineVerdicts): RadiusEngineVerdicts {
  if (a.outcomes.length === 0 && a.durations.length === 0 && a.tls.length === 0) return b;
  // Rule hits are carried by name (CarriedCounts.ruleHits), never by index.
  const sum = <Row extends { count: number }>(rows: Row[], key: (row: Row) => string, add: (to: Row, row: Row) => Row): Row[] => {
    const merged = new Map<string, Row>();
    for (const row of rows) {
      const at = key(row);
      const before = merged.get(at);
      merged.set(at, before === undefined ? row : add(before, row));
    }
    return [...merged.values()];
  };
  const counts = <Row extends { count: number }>(to: Row, row: Row): Row => ({ ...to, count: to.count + row.count });
  return {
    outcomes: sum([...a.outcomes, ...b.outcomes], (row) => JSON.stringify([row.client, row.method, row.inner, row.accept, row.reason]), counts),
    durations: sum([...a.durations, ...b.durations], (row) => String(row.method), (to, row) => ({
      ...to, count: to.count + row.count, sumSeconds: to.sumSeconds + row.sumSeconds,
      buckets: to.buckets.map((value, i) => value + (row.buckets[i] ?? 0)),
    })),
    tls: sum([...a.tls, ...b.tls], (row) => `${row.method}/${row.version}/${row.resumed}`, counts),
    ruleHits: [],
  };
}

/** Two counts of one home server added: counts and buckets summed, the state the pooled one's. */
function addHome(to: ProxyHomeCounts, home: ProxyHomeCounts): ProxyHomeCounts {
  const sum = { ...home, pooled: to.pooled || home.pooled, state: home.pooled ? home.state : to.state };
  for (const key of ['accessRequests', 'accountingRequests', 'accepts', 'rejects', 'challenges', 'accountingResponses', 'timeouts',
    'failovers', 'answers', 'sumSeconds'] as const) sum[key] = to[key] + home[key];
  sum.buckets = home.buckets.map((value, i) => value + (to.buckets[i] ?? 0));
  return sum;
}

/** Two tallies of one client added: counts summed, last-seen times the later. */
function addTally(to: RadiusClientTally | undefined, tally: RadiusClientTally): RadiusClientTally {
  if (to === undefined) return { ...tally };
  const sum = { ...to };
  for (const key of Object.keys(tally) as (keyof RadiusClientTally)[]) {
    if (key === 'client') continue;
    sum[key] = key.startsWith('last') ? Math.max(to[key], tally[key]) : to[key] + tally[key];
  }
  return sum;
}
