/**
 * Every metric serve exposes, each declared once: its name, its help, its labels and, where a label
 * value is an engine counter, which counter, beside it. The engine counts every request, reply and
 * verdict (its outcome, reason and time) natively, and the counters are read at each scrape:
 * nothing crosses to JS per packet or per verdict. RadSec's listener tells its connections' fates.
 */
import { Counter, Gauge, Histogram, HistogramConfiguration, Registry } from 'prom-client';
import type { RadiusClientTally, RadiusServerStats } from '../radius';
import type { RadiusDtlsServerCounters } from '../native';
import type { RadSecConnectionEvent } from '../radius/radsec/listener';
import type { CarriedCounts, ProxyHomeCounts, ServingStats } from './counts';
import type { SpoolCounts } from '../accounting/spool';
import { eapTypeName, innerMethodName, tlsVersionName } from './names';
import { RADIUS_DISCOVERY_REASONS } from '../radius/discovery';
import type { RadiusDiscoveryStats } from '../radius/discovery';

/** A counter whose series are engine totals: each value of its one label is one engine counter. */
interface TotalsCounter {
  name: string;
  help: string;
  label: string;
  series: Partial<Record<keyof RadiusServerStats, string>>;
}

const TOTALS: TotalsCounter[] = [
  { name: 'eaphost_radius_responses_total', help: 'RADIUS responses sent, by code.', label: 'code',
    series: { challenges: 'Access-Challenge', accepts: 'Access-Accept', rejects: 'Access-Reject', accountingResponses: 'Accounting-Response' } },
  { name: 'eaphost_radius_dropped_total', help: 'RADIUS requests dropped or not answered, by reason.', label: 'reason',
    series: { droppedMalformed: 'malformed', droppedUnauthenticated: 'invalid-message-authenticator',
      droppedNoMessageAuthenticator: 'no-message-authenticator', droppedUnexpected: 'unexpected',
      droppedBadAuthenticator: 'invalid-request-authenticator', duplicates: 'duplicate', accountingUnrecorded: 'accounting-unrecorded' } },
  { name: 'eaphost_radius_proxy_total', help: 'What the proxy met: loops, busy home servers, home replies unsigned, too large or ' +
    'unverified, failovers in a pool, its homes judged zombie, dead or alive again, requests refused because discovery found no home, ' +
    'Accounting-Requests forwarded, acknowledged by their home or left unanswered.',
    label: 'event',
    series: { proxyDiscoveryRefused: 'discovery-refused', proxyLoops: 'loop', proxyBusy: 'home-busy', proxyRepliesUnsigned: 'unsigned-reply', proxyRepliesTooLarge: 'reply-too-large',
      proxyRepliesUnverified: 'unverified-reply', proxyFailovers: 'failover', proxyHomesZombie: 'home-zombie', proxyHomesDead: 'home-dead',
      proxyHomesRevived: 'home-revived', proxyAccountingForwarded: 'accounting-forwarded',
      proxyAccountingAcknowledged: 'accounting-acknowledged', proxyAccountingUnanswered: 'accounting-unanswered' } },
  { name: 'eaphost_radius_requests_total', help: 'New RADIUS requests that passed every check, by code.', label: 'code',
    series: { requests: 'Access-Request', accountingRequests: 'Accounting-Request' } },
];

/** A counter of each client's tally, by code: each code one field of RadiusClientTally. */
interface ClientCounter {
  name: string;
  help: string;
  series: Partial<Record<keyof RadiusClientTally, string>>;
}

const CLIENT_TOTALS: ClientCounter[] = [
  { name: 'eaphost_radius_client_requests_total', help: 'RADIUS requests received from each client, by code.',
    series: { accessRequests: 'Access-Request', accountingRequests: 'Accounting-Request', statusServer: 'Status-Server' } },
  { name: 'eaphost_radius_client_responses_total', help: 'RADIUS responses sent to each client, by code.',
    series: { challenges: 'Access-Challenge', accepts: 'Access-Accept', rejects: 'Access-Reject', accountingResponses: 'Accounting-Response' } },
];

/** The RADIUS/DTLS listener's counts behind eaphost_radsec_dtls_associations_total, by its event label. */
const DTLS_EVENTS: [string, keyof RadiusDtlsServerCounters][] = [
  ['made', 'associations'], ['evicted', 'evicted'], ['refused', 'refused'], ['handshake-timeout', 'handshakeTimeouts'],
  ['idle-timeout', 'idleTimeouts'], ['failed', 'failed'],
];

/** Each Message-Authenticator posture: its count and its last-seen time in RadiusClientTally. */
const POSTURES: { posture: string; count: keyof RadiusClientTally; last: keyof RadiusClientTally }[] = [
  { posture: 'valid', count: 'valid', last: 'lastValidMs' },
  { posture: 'invalid', count: 'invalid', last: 'lastInvalidMs' },
  { posture: 'absent', count: 'absent', last: 'lastAbsentMs' },
  { posture: 'proxy-state-without', count: 'proxyStateWithout', last: 'lastProxyStateWithoutMs' },
];

/** The registry of serve's metrics over `counts`; `radsecEvent` counts what RadSec's listener tells. */
export function servingRegistry(counts: CarriedCounts, transport: 'udp' | 'tls', spool?: SpoolCounts):
{ registry: Registry; radsecEvent(event: RadSecConnectionEvent): void } {
  const registry = new Registry();
  const registers = [registry];
  if (spool) {
    // eslint-disable-next-line no-new
    new Counter({
      name: 'eaphost_radius_proxy_spool_total', help: 'The accounting spool (serve --accounting with --proxy-realm): Accounting-Requests ' +
        'spooled for their realm\'s home server, and replayed (sent from the spool and acknowledged by their home).',
      labelNames: ['event'], registers,
      collect() {
        this.reset();
        this.inc({ event: 'spooled' }, spool.spooled);
        this.inc({ event: 'replayed' }, spool.replayed);
      },
    });
    // eslint-disable-next-line no-new
    new Gauge({
      name: 'eaphost_radius_proxy_spool_depth', help: 'Accounting-Requests in the spool now, waiting for their home server.', registers,
      collect() {
        this.set(spool.depth);
      },
    });
  }
  for (const { name, help, series } of CLIENT_TOTALS) {
    // eslint-disable-next-line no-new
    new Counter({
      name, help, labelNames: ['client', 'code', 'transport'], registers,
      collect() {
        this.reset();
        for (const tally of counts.clients()) {
          for (const [key, code] of Object.entries(series)) this.inc({ client: tally.client, code, transport }, tally[key as keyof RadiusClientTally] as number);
        }
      },
    });
  }
  // eslint-disable-next-line no-new
  new Counter({
    name: 'eaphost_radius_message_authenticator_total',
    help: 'Requests from each client by Message-Authenticator: valid, invalid, absent, or Proxy-State without one (BlastRADIUS).',
    labelNames: ['client', 'posture'], registers,
    collect() {
      this.reset();
      for (const tally of counts.clients()) for (const { posture, count } of POSTURES) this.inc({ client: tally.client, posture }, tally[count] as number);
    },
  });
  // eslint-disable-next-line no-new
  new Gauge({
    name: 'eaphost_radius_message_authenticator_last_seen_timestamp_seconds',
    help: 'When each client last sent a request of each Message-Authenticator posture, seconds since 1970 (absent: never).',
    labelNames: ['client', 'posture'], registers,
    collect() {
      this.reset();
      for (const tally of counts.clients()) {
        for (const { posture, last } of POSTURES) {
          if ((tally[last] as number) > 0) this.set({ client: tally.client, posture }, (tally[last] as number) / 1000);
        }
      }
    },
  });
  for (const { name, help, label, series } of TOTALS) {
    // eslint-disable-next-line no-new
    new Counter({
      name, help, labelNames: [label, 'transport'], registers,
      collect() {
        this.reset();
        for (const [key, value] of Object.entries(series)) this.inc({ [label]: value, transport }, counts.total(key as keyof RadiusServerStats));
      },
    });
  }
  // eslint-disable-next-line no-new
  new Gauge({
    name: 'eaphost_conversations_active', help: 'Conversations open now, by kind.', labelNames: ['kind'], registers,
    collect() {
      const now = counts.now();
      this.set({ kind: 'all' }, now?.active ?? 0);
      this.set({ kind: 'tls' }, now?.activeTls ?? 0);
    },
  });
  const stepPool: [string, string, keyof ServingStats['stepPool']][] = [
    ['eaphost_step_pool_threads', 'Step threads the TLS methods\' handshake steps run on (serve --step-threads; 0: the engine\'s thread).', 'threads'],
    ['eaphost_step_pool_queued', 'TLS steps waiting for a step thread now.', 'queued'],
    ['eaphost_step_pool_threads_lent', 'Step threads lent now in place of ones whose steps wait.', 'lent'],
  ];
  for (const [name, help, field] of stepPool) {
    // eslint-disable-next-line no-new
    new Gauge({
      name, help, registers,
      collect() {
        this.set(counts.now()?.stepPool[field] ?? 0);
      },
    });
  }
  // eslint-disable-next-line no-new
  new Counter({
    name: 'eaphost_step_pool_steps_total',
    help: 'TLS steps by the thread they ran on: handed to a step thread, or handshake steps the engine kept on its own while it had room (serve --keep-steps-below).',
    labelNames: ['thread'], registers,
    collect() {
      this.reset();
      this.inc({ thread: 'step' }, counts.stepTotal('handedOver'));
      this.inc({ thread: 'engine' }, counts.stepTotal('kept'));
    },
  });
  // eslint-disable-next-line no-new
  new Counter({
    name: 'eaphost_step_pool_heap_returns_total',
    help: 'Times a step thread asked glibc to hand the heap\'s free pages back, after the TLS state of handshakes the engine kept was freed where no handshake now runs (0 elsewhere).',
    registers,
    collect() {
      this.reset();
      this.inc(counts.stepTotal('heapReturns'));
    },
  });
  // eslint-disable-next-line no-new
  new Gauge({
    name: 'eaphost_radius_proxy_home_state', help: 'Each home server of a proxy pool by URL: 1 for its state now (alive, zombie or dead), 0 for the others.',
    labelNames: ['home', 'state'], registers,
    collect() {
      this.reset();
      for (const { url, state, pooled } of counts.proxyHomes()) {
        if (!pooled) continue;
        for (const each of ['alive', 'zombie', 'dead']) this.set({ home: url, state: each }, each === state ? 1 : 0);
      }
    },
  });
  registerHomeMetrics(registers, counts);
  if (transport === 'tls') {
    // eslint-disable-next-line no-new
    new Gauge({
      name: 'eaphost_radsec_connections', help: 'RadSec connections now, by state: handshaking, open, paused.',
      labelNames: ['state'], registers,
      collect() {
        const states = counts.now()?.radsecConnections ?? { handshaking: 0, open: 0, paused: 0 };
        for (const [state, count] of Object.entries(states)) this.set({ state }, count);
      },
    });
    // eslint-disable-next-line no-new
    new Counter({
      name: 'eaphost_radsec_dtls_associations_total',
      help: 'RADIUS/DTLS associations by event: made (a cookie came back), evicted (an unfinished handshake displaced), ' +
        'refused (at a cap, nothing to displace), handshake-timeout, idle-timeout, failed.',
      labelNames: ['event'], registers,
      collect() {
        this.reset();
        const dtls = counts.now()?.radsecDtls;
        if (dtls === undefined) return;
        for (const [event, key] of DTLS_EVENTS) this.inc({ event }, dtls[key]);
      },
    });
  }
  // eslint-disable-next-line no-new
  new Counter({
    name: 'eaphost_authentications_total', help: 'Finished authentications, by client, method, inner method, outcome and reason.',
    labelNames: ['client', 'method', 'inner_method', 'outcome', 'reason'], registers,
    collect() {
      this.reset();
      for (const row of counts.verdicts().outcomes) {
        this.inc({ client: row.client, method: eapTypeName(row.method), inner_method: innerMethodName(row.inner),
          outcome: row.accept ? 'accept' : 'reject', reason: row.reason }, row.count);
      }
    },
  });
  // eslint-disable-next-line no-new
  new Counter({
    name: 'eaphost_policy_rule_hits_total', help: 'Verdicts each rule of the policy decided (the first rule that matched), by rule name.',
    labelNames: ['rule'], registers,
    collect() {
      this.reset();
      for (const [rule, hits] of counts.ruleHits()) this.inc({ rule }, hits);
    },
  });
  // eslint-disable-next-line no-new
  new EngineHistogram({
    name: 'eaphost_authentication_duration_seconds', help: 'Time from first request to verdict, by method.',
    labelNames: ['method'], registers,
  }, () => counts.verdicts().durations.map((row) => ({ ...row, labels: { method: eapTypeName(row.method) } })));
  // eslint-disable-next-line no-new
  new Counter({
    name: 'eaphost_tls_sessions_total', help: 'Authentications of a TLS method whose handshake completed, by TLS version and whether it resumed a session.',
    labelNames: ['method', 'version', 'resumed'], registers,
    collect() {
      this.reset();
      for (const row of counts.verdicts().tls) {
        this.inc({ method: eapTypeName(row.method), version: tlsVersionName(row.version), resumed: String(row.resumed) }, row.count);
      }
    },
  });
  const radsec = new Counter({
    name: 'eaphost_radsec_connections_total', help: 'RadSec connections closed, paused or resumed by the listener, by reason.',
    labelNames: ['event', 'reason'], registers,
  });
  return { registry, radsecEvent: ({ event, reason }) => radsec.inc({ event, reason: reason ?? '' }) };
}

/** Each home server's counts (ProxyHomeCounts) behind eaphost_radius_proxy_home_responses_total, by its code label. */
const HOME_ANSWERS: [string, keyof ProxyHomeCounts][] = [
  ['Access-Accept', 'accepts'], ['Access-Reject', 'rejects'], ['Access-Challenge', 'challenges'], ['Accounting-Response', 'accountingResponses'],
];

/** The proxy's metrics per home server, by URL: requests sent, answers, losses, failovers and latency, as the engine counted them. */
function registerHomeMetrics(registers: Registry[], counts: CarriedCounts): void {
  const homeCounter = (name: string, help: string, labelNames: string[], each: (home: ProxyHomeCounts, inc: (labels: Record<string, string>,
    value: number) => void) => void): void => {
    // eslint-disable-next-line no-new
    new Counter({
      name, help, labelNames, registers,
      collect() {
        this.reset();
        for (const home of counts.proxyHomes()) each(home, (labels, value) => this.inc({ home: home.url, ...labels }, value));
      },
    });
  };
  homeCounter('eaphost_radius_proxy_home_requests_total', 'Requests the proxy sent to each home server, by kind (access, accounting): ' +
    'each once, however often it was sent again.', ['home', 'kind'], (home, inc) => {
    inc({ kind: 'access' }, home.accessRequests);
    inc({ kind: 'accounting' }, home.accountingRequests);
  });
  homeCounter('eaphost_radius_proxy_home_responses_total', 'Answers from each home server to the requests the proxy sent it, by code.',
    ['home', 'code'], (home, inc) => {
      for (const [code, key] of HOME_ANSWERS) inc({ code }, home[key] as number);
    });
  homeCounter('eaphost_radius_proxy_home_timeouts_total', 'Requests each home server left unanswered through every try.', ['home'],
    (home, inc) => inc({}, home.timeouts));
  homeCounter('eaphost_radius_proxy_home_failovers_total', 'Requests of a pool sent past each home server, moved off it to another, ' +
    'or refused because it is dead.', ['home'], (home, inc) => inc({}, home.failovers));
  // eslint-disable-next-line no-new
  new EngineHistogram({
    name: 'eaphost_radius_proxy_home_latency_seconds', help: 'Time from a request sent to each home server to its answer.',
    labelNames: ['home'], registers,
  }, () => counts.proxyHomes().map((home) => ({ ...home, count: home.answers, labels: { home: home.url } })));
}

/** Registers the metrics of a proxy's dynamic discovery (RFC 7585) in `registry`: how its cache answered, why
 *  discoveries failed, and what it holds now, read from `stats` (the RadiusDiscovery's own) at each scrape. */
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

/** A histogram's series as prom-client's registry writes them. */
type Exposition = Awaited<ReturnType<Histogram['get']>>;

/** One series of a histogram the engine counted: its labels, each bucket's bound (seconds) and count (cumulative), its count and sum. */
interface EngineSeries<Label extends string> {
  labels: Record<Label, string>;
  bounds: number[];
  buckets: number[];
  count: number;
  sumSeconds: number;
}

/**
 * A histogram whose buckets the engine counted (RadiusDurationTally: cumulative, with their
 * bounds): read at each scrape and written as prom-client writes its own, with nothing observed
 * in JS.
 */
class EngineHistogram<Label extends string> extends Histogram<Label> {
  constructor(private readonly configuration: HistogramConfiguration<Label>, private readonly read: () => EngineSeries<Label>[]) {
    super(configuration);
  }

  override async get(): Promise<Exposition> {
    return this.exposition();
  }

  /** What the registry writes the text exposition from. */
  async getForPromString(): Promise<Exposition> {
    return this.exposition();
  }

  private exposition(): Exposition {
    const { name, help } = this.configuration;
    const values: Exposition['values'] = [];
    const series = (suffix: string, labels: Record<string, string | number>, value: number): void => {
      values.push({ metricName: `${name}_${suffix}`, labels: labels as Exposition['values'][number]['labels'], value });
    };
    for (const { labels, bounds, buckets, count, sumSeconds } of this.read()) {
      bounds.forEach((le, i) => series('bucket', { ...labels, le }, buckets[i]));
      series('bucket', { ...labels, le: '+Inf' }, count);
      series('sum', labels, sumSeconds);
      series('count', labels, count);
    }
    // What prom-client's own get() gives (its typings declare `type` a numeric enum its code never
    // exports, and a `collect` it never returns): the type's name, as its Histogram writes it.
    return { name, help, type: 'histogram', aggregator: 'sum', values } as unknown as Exposition;
  }
}
