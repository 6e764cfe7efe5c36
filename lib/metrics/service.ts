/**
 * The metrics service: Prometheus's text exposition on /metrics (prom-client) and /healthz, ready
 * once every listener is up. The registry outlives the RADIUS server it reads: a server opened
 * again (a reload) continues its counts from where the last one left them.
 */
import { createServer, Server } from 'node:http';
import type { RadSecConnectionEvent } from '../radius/radsec-listener';
import { CarriedCounts, ServingCounts } from './counts';
import { servingRegistry } from './registry';

export interface MetricsOptions {
  host: string;
  /** 0: any free port (MetricsService.url says which). */
  port: number;
  /** The RADIUS transport served, a label of the RADIUS series; 'tls' adds RadSec's connection gauge. */
  transport: 'udp' | 'tls';
}

export interface MetricsService {
  /** Where /metrics is (the port taken, for port 0). */
  readonly url: string;
  /** The server now serving (undefined between a close and the next listen). */
  serving(counts: ServingCounts | undefined): void;
  radsecEvent(event: RadSecConnectionEvent): void;
  /** /healthz answers 200 from now on. */
  ready(): void;
  close(): Promise<void>;
}

/** Listens on host:port; an address it cannot take is an Error that says why ("cannot listen there (EADDRINUSE: …)"). */
export async function startMetrics({ host, port, transport }: MetricsOptions): Promise<MetricsService> {
  const counts = new CarriedCounts();
  const { registry, radsecEvent } = servingRegistry(counts, transport);
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
      `cannot listen there (${error.code ?? error.message}${error.code === 'EADDRINUSE' ? ': the port is taken' : ''})`)));
    http.listen(port, host, () => resolve());
  });
  const bound = http.address();
  return {
    url: `http://${host.includes(':') ? `[${host}]` : host}:${typeof bound === 'object' && bound ? bound.port : port}/metrics`,
    serving: (next) => counts.serving(next),
    radsecEvent,
    ready() {
      isReady = true;
    },
    close: () => new Promise((resolve) => http.close(() => resolve())),
  };
}
