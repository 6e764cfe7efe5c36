/**
 * The metrics service: Prometheus's text exposition on /metrics (prom-client) and /healthz, ready
 * once every listener is up. The registry outlives the RADIUS server it reads: a server opened
 * again (a reload) continues its counts from where the last one left them.
 */
import type { SpoolCounts } from '../accounting/spool';
import { createServer, Server } from 'node:http';
import type { Socket } from 'node:net';
import type { RadSecConnectionEvent } from '../radius/radsec/listener';
import { CarriedCounts, ServingCounts } from './counts';
import type { Registry } from 'prom-client';
import { registerDiscoveryMetrics, servingRegistry } from './registry';
import type { RadiusDiscoveryStats } from '../radius/discovery';

export interface MetricsOptions {
  host: string;
  /** 0: any free port (MetricsService.url says which). */
  port: number;
  /** The RADIUS transport served, a label of the RADIUS series; 'tls' adds RadSec's connection gauge. */
  transport: 'udp' | 'tls';
  /** Connections held at once (default 64). */
  maxConnections?: number;
  /** A request's headers must arrive within it (default 5 s), the whole request within twice it; a connection idle for twice it is closed. */
  timeoutMs?: number;
  /** The proxy's dynamic discovery (serve --proxy-discover): its cache's and failures' metrics too. */
  discovery?: () => RadiusDiscoveryStats;
  /** The accounting spool's counts (serve --accounting), read at each scrape. */
  spool?: SpoolCounts;
}

/**
 * A port anyone who reaches it may open connections to: without a cap, 4,500 connections that each
 * sent half a request held 4,096 descriptors, RadSec accepted nothing and /healthz was out of reach.
 * Past the cap a new connection takes the place of the oldest one not in the middle of a request (a
 * scrape's or a probe's connection sends its request at once: a stalled one is evicted first); when
 * every one is mid-request, the new one is closed at once.
 */
const DEFAULT_MAX_CONNECTIONS = 64;
const DEFAULT_TIMEOUT_MS = 5000;

/** Where the metrics listen, and how many connections and how long a request they allow. */
export type MetricsEndpoint = Pick<MetricsOptions, 'host' | 'port' | 'maxConnections' | 'timeoutMs'>;

/** /metrics (a registry's exposition) and /healthz on one HTTP listener. */
export interface MetricsListener {
  /** Where /metrics is (the port taken, for port 0). */
  readonly url: string;
  /** /healthz answers 200 from now on. */
  ready(): void;
  close(): Promise<void>;
}

export interface MetricsService extends MetricsListener {
  /** The server now serving (undefined between a close and the next listen). */
  serving(counts: ServingCounts | undefined): void;
  radsecEvent(event: RadSecConnectionEvent): void;
}

/** serve's RADIUS metrics. Listens on host:port; an address it cannot take is an Error that says why
 *  ("cannot listen there (EADDRINUSE: …)"). */
export async function startMetrics({ transport, discovery, spool, ...endpoint }: MetricsOptions): Promise<MetricsService> {
  const counts = new CarriedCounts();
  const { registry, radsecEvent } = servingRegistry(counts, transport, spool);
  if (discovery !== undefined) registerDiscoveryMetrics(registry, discovery);
  const listener = await listenMetrics(registry, endpoint);
  return { ...listener, serving: (next) => counts.serving(next), radsecEvent };
}

/** Serves `registry` on /metrics, and /healthz, on host:port (the one HTTP listener of every serve form). */
export async function listenMetrics(registry: Registry, { host, port, maxConnections = DEFAULT_MAX_CONNECTIONS,
  timeoutMs = DEFAULT_TIMEOUT_MS }: MetricsEndpoint): Promise<MetricsListener> {
  let isReady = false;
  // Each connection held, oldest first: whether it is in the middle of a request.
  const held = new Map<Socket, boolean>();
  const http: Server = createServer({
    headersTimeout: timeoutMs, requestTimeout: 2 * timeoutMs, keepAliveTimeout: timeoutMs,
    // How often Node looks for a request past its timeouts (its default: every 30 s).
    connectionsCheckingInterval: Math.min(1000, timeoutMs),
  }, (request, response) => {
    if (held.has(request.socket)) held.set(request.socket, true);
    response.once('close', () => {
      if (held.has(request.socket)) held.set(request.socket, false);
    });
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
  // A socket idle this long is closed (no 'timeout' listener: Node destroys it).
  http.timeout = 2 * timeoutMs;
  http.on('connection', (socket: Socket) => {
    if (held.size >= maxConnections) {
      const evicted = [...held].find(([, busy]) => !busy)?.[0];
      if (evicted === undefined) {
        socket.destroy();
        return;
      }
      held.delete(evicted);
      evicted.destroy();
    }
    held.set(socket, false);
    socket.once('close', () => held.delete(socket));
  });
  await new Promise<void>((resolve, reject) => {
    http.once('error', (error: NodeJS.ErrnoException) => reject(new Error(
      `cannot listen there (${error.code ?? error.message}${error.code === 'EADDRINUSE' ? ': the port is taken' : ''})`)));
    http.listen(port, host, () => resolve());
  });
  const bound = http.address();
  return {
    url: `http://${host.includes(':') ? `[${host}]` : host}:${typeof bound === 'object' && bound ? bound.port : port}/metrics`,
    ready() {
      isReady = true;
    },
    close: () => new Promise((resolve) => {
      http.close(() => resolve());
      http.closeAllConnections();
    }),
  };
}
