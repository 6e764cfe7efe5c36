/**
 * `serve --metrics HOST:PORT`: Prometheus's text exposition on /metrics (prom-client) and /healthz,
 * ready once every listener is up. The engine counts every request, reply and verdict (its
 * outcome, reason and time) natively, and they are read at each scrape: nothing crosses to JS per
 * packet or per verdict for metrics. RadSec's listener tells its connections' fates. The registry
 * outlives the RADIUS server it reads: a server opened again (a reload) continues its counts from
 * where the last one left them.
 */
import { createServer, Server } from 'node:http';
import { Counter, Gauge, Histogram, HistogramConfiguration, Registry } from 'prom-client';
import type { RadiusClientTally, RadiusServer, RadiusServerStats } from '../../../radius';
import type { RadiusEngineVerdicts } from '../../../radius/server';
import { methodName } from '../../../radius/policy';
import { shippedMethodOfType } from '../../../session/builtin';
import type { RadSecConnectionEvent } from '../../../radius/radsec-listener';
import { UsageError } from '../../main';

/** The counters, and what is now: conversations open, the step threads' queue and lent threads, RadSec connections. */
type Stats = RadiusServerStats & { active: number; activeTls: number; stepPool: RadiusServer['stepPool'];
  radsecConnections: RadiusServer['radsecConnections'] };

/** Which engine counter each labelled series is: requests and responses by code, drops by reason. */
const RESPONSES: [keyof RadiusServerStats, string][] = [
  ['challenges', 'Access-Challenge'], ['accepts', 'Access-Accept'], ['rejects', 'Access-Reject'],
  ['accountingResponses', 'Accounting-Response'],
];
const DROPS: [keyof RadiusServerStats, string][] = [
  ['droppedMalformed', 'malformed'], ['droppedUnauthenticated', 'invalid-message-authenticator'],
  ['droppedNoMessageAuthenticator', 'no-message-authenticator'], ['droppedUnexpected', 'unexpected'],
  ['droppedBadAuthenticator', 'invalid-request-authenticator'], ['duplicates', 'duplicate'],
  ['accountingUnrecorded', 'accounting-unrecorded'],
];

/** What the proxy met (docs/proxy.md): loops and busy home servers refused, home servers' replies unsigned or too large. */
const PROXY_EVENTS: [keyof RadiusServerStats, string][] = [
  ['proxyLoops', 'loop'], ['proxyBusy', 'home-busy'], ['proxyRepliesUnsigned', 'unsigned-reply'],
  ['proxyRepliesTooLarge', 'reply-too-large'],
];

/** Each client's counts by code, and its Message-Authenticator posture, as label values. */
const CLIENT_REQUESTS: [keyof RadiusClientTally, string][] = [
  ['accessRequests', 'Access-Request'], ['accountingRequests', 'Accounting-Request'], ['statusServer', 'Status-Server'],
];
const CLIENT_RESPONSES: [keyof RadiusClientTally, string][] = [
  ['challenges', 'Access-Challenge'], ['accepts', 'Access-Accept'], ['rejects', 'Access-Reject'],
  ['accountingResponses', 'Accounting-Response'],
];
const POSTURES: [keyof RadiusClientTally, keyof RadiusClientTally, string][] = [
  ['valid', 'lastValidMs', 'valid'], ['invalid', 'lastInvalidMs', 'invalid'], ['absent', 'lastAbsentMs', 'absent'],
  ['proxyStateWithout', 'lastProxyStateWithoutMs', 'proxy-state-without'],
];

/** What the server now serving counts: its totals, each client's, and its verdicts'. */
export interface ServingCounts {
  stats(): Stats;
  clients(): RadiusClientTally[];
  verdicts(): RadiusEngineVerdicts;
  /** Its policy's rules by name, in order (RadiusEngineVerdicts' ruleHits by index). */
  ruleNames: string[];
}

/** EAP-TTLS's AVP phase 2 methods (RFC 5281 §11.2), as the engine numbers them past 256 (RadiusVerdictTally's inner). */
const TTLS_AVP_METHODS = ['pap', 'chap', 'mschap', 'mschapv2'];

/** A tunnel's inner method by name: an EAP method's, EAP-TTLS's AVP phase 2 as "ttls-" and its name; "" for none. */
function innerMethodName(inner: number): string {
  if (inner === 0) return '';
  return inner < 256 ? eapTypeName(inner) : `ttls-${TTLS_AVP_METHODS[inner - 257] ?? inner}`;
}

/** A TLS version's wire value by name: 0x0303 is "1.2". */
function tlsVersionName(version: number): string {
  return version >> 8 === 3 ? `1.${(version & 0xff) - 1}` : `0x${version.toString(16)}`;
}

/** An EAP type's name as the log and the metrics give it: the method's, identity for type 1, pap and mab. */
export function eapTypeName(type: number): string {
  return type === 1 ? 'identity' : shippedMethodOfType(type) ?? methodName(type);
}

export interface ServeMetrics {
  /** Where /metrics is (the port taken, for PORT 0). */
  readonly url: string;
  /** The server now serving (undefined between a close and the next listen). */
  serving(counts: ServingCounts | undefined): void;
  radsecEvent(event: RadSecConnectionEvent): void;
  /** /healthz answers 200 from now on. */
  ready(): void;
  close(): Promise<void>;
}

/** Parses HOST:PORT ([v6]:PORT); a bad value is a UsageError. */
export function metricsAddress(value: string): { host: string; port: number } {
  const match = /^(?:\[([^\]]+)\]|([^:]+)):(\d+)$/.exec(value);
  const port = match ? Number(match[3]) : NaN;
  if (!match || !(port >= 0 && port <= 65535)) throw new UsageError(`--metrics ${value}: expected HOST:PORT`);
  return { host: match[1] ?? match[2], port };
}

export async function startMetrics(value: string, transport: 'udp' | 'tls'): Promise<ServeMetrics> {
  const { host, port } = metricsAddress(value);
  const registry = new Registry();
  let current: ServingCounts | undefined;
  // What closed servers counted, added to the open one's.
  const carried = new Map<string, number>();
  const carriedClients = new Map<string, RadiusClientTally>();
  let carriedVerdicts: RadiusEngineVerdicts = { outcomes: [], durations: [], tls: [], ruleHits: [] };
  // Rule hits by name: a reload may reorder, add or drop rules.
  const carriedRules = new Map<string, number>();
  const ruleHits = (): Map<string, number> => {
    const hits = new Map(carriedRules);
    if (current) {
      const counted = current.verdicts().ruleHits;
      current.ruleNames.forEach((name, i) => hits.set(name, (hits.get(name) ?? 0) + (counted[i] ?? 0)));
    }
    return hits;
  };
  const verdicts = (): RadiusEngineVerdicts => (current ? addVerdicts(carriedVerdicts, current.verdicts()) : carriedVerdicts);
  const read = (key: keyof RadiusServerStats): number => (carried.get(key) ?? 0) + (current ? current.stats()[key] : 0);
  /** Each client's tally, what closed servers counted added in (a last-seen time: the later). */
  const clientTallies = (): RadiusClientTally[] => {
    const merged = new Map<string, RadiusClientTally>([...carriedClients].map(([client, tally]) => [client, { ...tally }]));
    for (const tally of current?.clients() ?? []) merged.set(tally.client, addTally(merged.get(tally.client), tally));
    return [...merged.values()];
  };
  const fromClients = (name: string, help: string, series: [keyof RadiusClientTally, string][]): void => {
    // eslint-disable-next-line no-new
    new Counter({
      name, help, labelNames: ['client', 'code', 'transport'], registers: [registry],
      collect() {
        this.reset();
        for (const tally of clientTallies()) {
          for (const [key, code] of series) this.inc({ client: tally.client, code, transport }, tally[key] as number);
        }
      },
    });
  };
  fromClients('eaphost_radius_client_requests_total', 'RADIUS requests received from each client, by code.', CLIENT_REQUESTS);
  fromClients('eaphost_radius_client_responses_total', 'RADIUS responses sent to each client, by code.', CLIENT_RESPONSES);
  // eslint-disable-next-line no-new
  new Counter({
    name: 'eaphost_radius_message_authenticator_total',
    help: 'Requests from each client by Message-Authenticator: valid, invalid, absent, or Proxy-State without one (BlastRADIUS).',
    labelNames: ['client', 'posture'], registers: [registry],
    collect() {
      this.reset();
      for (const tally of clientTallies()) for (const [key, , posture] of POSTURES) this.inc({ client: tally.client, posture }, tally[key] as number);
    },
  });
  // eslint-disable-next-line no-new
  new Gauge({
    name: 'eaphost_radius_message_authenticator_last_seen_timestamp_seconds',
    help: 'When each client last sent a request of each Message-Authenticator posture, seconds since 1970 (absent: never).',
    labelNames: ['client', 'posture'], registers: [registry],
    collect() {
      this.reset();
      for (const tally of clientTallies()) {
        for (const [, last, posture] of POSTURES) {
          if ((tally[last] as number) > 0) this.set({ client: tally.client, posture }, (tally[last] as number) / 1000);
        }
      }
    },
  });
  const fromStats = (name: string, help: string, series: [keyof RadiusServerStats, string][], label: string): void => {
    // eslint-disable-next-line no-new
    new Counter({
      name, help, labelNames: [label, 'transport'], registers: [registry],
      collect() {
        this.reset();
        for (const [key, value] of series) this.inc({ [label]: value, transport }, read(key));
      },
    });
  };
  fromStats('eaphost_radius_responses_total', 'RADIUS responses sent, by code.', RESPONSES, 'code');
  fromStats('eaphost_radius_dropped_total', 'RADIUS requests dropped or not answered, by reason.', DROPS, 'reason');
  fromStats('eaphost_radius_proxy_total', 'What the proxy met: loops, busy home servers, home replies unsigned or too large.',
    PROXY_EVENTS, 'event');
  fromStats('eaphost_radius_requests_total', 'New RADIUS requests that passed every check, by code.',
    [['requests', 'Access-Request'], ['accountingRequests', 'Accounting-Request']], 'code');
  // eslint-disable-next-line no-new
  new Gauge({
    name: 'eaphost_conversations_active', help: 'Conversations open now, by kind.', labelNames: ['kind'], registers: [registry],
    collect() {
      const stats = current?.stats();
      this.set({ kind: 'all' }, stats?.active ?? 0);
      this.set({ kind: 'tls' }, stats?.activeTls ?? 0);
    },
  });
  // eslint-disable-next-line no-new
  new Gauge({
    name: 'eaphost_step_pool_queued', help: 'TLS steps waiting for a step thread now.', registers: [registry],
    collect() {
      this.set(current?.stats().stepPool.queued ?? 0);
    },
  });
  // eslint-disable-next-line no-new
  new Gauge({
    name: 'eaphost_step_pool_threads_lent', help: 'Step threads lent now in place of ones whose steps wait.', registers: [registry],
    collect() {
      this.set(current?.stats().stepPool.lent ?? 0);
    },
  });
  if (transport === 'tls') {
    // eslint-disable-next-line no-new
    new Gauge({
      name: 'eaphost_radsec_connections', help: 'RadSec connections now, by state: handshaking, open, paused.',
      labelNames: ['state'], registers: [registry],
      collect() {
        const states = current?.stats().radsecConnections ?? { handshaking: 0, open: 0, paused: 0 };
        for (const [state, count] of Object.entries(states)) this.set({ state }, count);
      },
    });
  }
  // eslint-disable-next-line no-new
  new Counter({
    name: 'eaphost_authentications_total', help: 'Finished authentications, by client, method, inner method, outcome and reason.',
    labelNames: ['client', 'method', 'inner_method', 'outcome', 'reason'], registers: [registry],
    collect() {
      this.reset();
      for (const row of verdicts().outcomes) {
        this.inc({ client: row.client, method: eapTypeName(row.method), inner_method: innerMethodName(row.inner),
          outcome: row.accept ? 'accept' : 'reject', reason: row.reason }, row.count);
      }
    },
  });
  // eslint-disable-next-line no-new
  new Counter({
    name: 'eaphost_policy_rule_hits_total', help: 'Verdicts each rule of the policy decided (the first rule that matched), by rule name.',
    labelNames: ['rule'], registers: [registry],
    collect() {
      this.reset();
      for (const [rule, hits] of ruleHits()) this.inc({ rule }, hits);
    },
  });
  // eslint-disable-next-line no-new
  new EngineHistogram({
    name: 'eaphost_authentication_duration_seconds', help: 'Time from first request to verdict, by method.',
    labelNames: ['method'], registers: [registry],
  }, () => verdicts().durations.map((row) => ({ ...row, method: eapTypeName(row.method) })));
  // eslint-disable-next-line no-new
  new Counter({
    name: 'eaphost_tls_sessions_total', help: 'Authentications of a TLS method whose handshake completed, by TLS version and whether it resumed a session.',
    labelNames: ['method', 'version', 'resumed'], registers: [registry],
    collect() {
      this.reset();
      for (const row of verdicts().tls) {
        this.inc({ method: eapTypeName(row.method), version: tlsVersionName(row.version), resumed: String(row.resumed) }, row.count);
      }
    },
  });
  const radsec = new Counter({
    name: 'eaphost_radsec_connections_total', help: 'RadSec connections closed, paused or resumed by the listener, by reason.',
    labelNames: ['event', 'reason'], registers: [registry],
  });
  let isReady = false;
  const http: Server = createServer((request, response) => {
    const path = (request.url ?? '/').split('?')[0];
    if (path === '/healthz') {
      response.writeHead(isReady ? 200 : 503, { 'content-type': 'text/plain' }).end(isReady ? 'ok\n' : 'starting\n');
    } else if (path === '/metrics') {
      registry.metrics().then((text) => response.writeHead(200, { 'content-type': registry.contentType }).end(text),
        (error: Error) => response.writeHead(500).end(`${error.message}\n`));
    } else {
      response.writeHead(404).end();
    }
  });
  await new Promise<void>((resolve, reject) => {
    http.once('error', (error: NodeJS.ErrnoException) => reject(new Error(
      `--metrics ${value}: cannot listen there (${error.code ?? error.message}${error.code === 'EADDRINUSE' ? ': the port is taken' : ''})`)));
    http.listen(port, host, () => resolve());
  });
  const bound = http.address();
  return {
    url: `http://${host.includes(':') ? `[${host}]` : host}:${typeof bound === 'object' && bound ? bound.port : port}/metrics`,
    serving(counts) {
      if (current) {
        const last = current.stats();
        for (const key of Object.keys(last) as (keyof Stats)[]) {
          if (key !== 'active' && key !== 'activeTls' && key !== 'stepPool' && key !== 'radsecConnections') carried.set(key, (carried.get(key) ?? 0) + (last[key] as number));
        }
        for (const tally of current.clients()) carriedClients.set(tally.client, addTally(carriedClients.get(tally.client), tally));
        carriedVerdicts = addVerdicts(carriedVerdicts, current.verdicts());
        for (const [name, hits] of ruleHits()) carriedRules.set(name, hits);
      }
      current = counts;
    },
    radsecEvent({ event, reason }) {
      radsec.inc({ event, reason: reason ?? '' });
    },
    ready() {
      isReady = true;
    },
    close: () => new Promise((resolve) => http.close(() => resolve())),
  };
}

/** Verdicts counted by two servers (one before a reload, one after) added: rows of the same labels summed. */
function addVerdicts(a: RadiusEngineVerdicts, b: RadiusEngineVerdicts): RadiusEngineVerdicts {
  if (a.outcomes.length === 0 && a.durations.length === 0 && a.tls.length === 0) return b;
  // Rule hits are carried by name (ruleHits in startMetrics), never by index.
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

/** A histogram's series as prom-client's registry writes them. */
type Exposition = Awaited<ReturnType<Histogram<'method'>['get']>>;

/**
 * A histogram whose buckets the engine counted (RadiusDurationTally: cumulative, with their
 * bounds): read at each scrape and written as prom-client writes its own, with nothing observed
 * in JS.
 */
class EngineHistogram extends Histogram<'method'> {
  constructor(private readonly configuration: HistogramConfiguration<'method'>,
    private readonly read: () => (Omit<RadiusEngineVerdicts['durations'][number], 'method'> & { method: string })[]) {
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
    for (const { method, bounds, buckets, count, sumSeconds } of this.read()) {
      bounds.forEach((le, i) => series('bucket', { method, le }, buckets[i]));
      series('bucket', { method, le: '+Inf' }, count);
      series('sum', { method }, sumSeconds);
      series('count', { method }, count);
    }
    // What prom-client's own get() gives (its typings declare `type` a numeric enum its code never
    // exports, and a `collect` it never returns): the type's name, as its Histogram writes it.
    return { name, help, type: 'histogram', aggregator: 'sum', values } as unknown as Exposition;
  }
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
