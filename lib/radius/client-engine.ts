import {
  binding, NativeRadiusClient, NativeRadiusDtls, RadiusClientCounters, RadiusClientEvents, RadiusClientLoadArgs,
  RadiusClientLoadProgress, RadiusClientOutcome, RadiusClientSendArgs, RadiusDtlsConnectArgs, zeroRadiusClientCounters,
} from '../native';
import { formatHostPort, RadiusEndpoint, resolveHost } from './endpoint';
import { RadiusAbortedError } from './errors';
import { RadiusSecret, secretBytes } from './secret';

/**
 * The native RADIUS client engine (native/radius/client/radius_client.h) as every client-side role uses
 * it: one engine per address family, opened when a server of that family is first asked, a target
 * per server and secret, requests handed over at the end of each turn of the event loop, and the
 * process held open exactly while a request is out. It resolves with whatever the engine says
 * (a verified reply or why there is none); turning that into a result or an error is the caller's.
 */
/** What the engine reports of one request and of a load run, named for the command line. */
export type { RadiusClientLoadProgress, RadiusClientOutcome } from '../native';

export type EngineRequest = Omit<RadiusClientSendArgs, 'id' | 'target'> & { signal?: AbortSignal };

export interface EngineAnswer {
  outcome: RadiusClientOutcome;
  /** The server as people write it, for messages. */
  server: string;
}

interface Engine {
  native: NativeRadiusClient;
  outstanding: number;
  /** A flush is due at the end of this turn of the event loop. */
  flushing: boolean;
}

export interface Target {
  engine: Engine;
  target: number;
  link?: number;
  secret: RadiusSecret;
  server: string;
}

/** A load run (RadiusClientLoadArgs) as JS asks for it: each request's own attributes as text,
 *  request n taking entry n (modulo their length) of each; type 2 (User-Password) is hidden. */
export type LoadPlan = Omit<RadiusClientLoadArgs, 'target' | 'columns'> & {
  own: ReadonlyArray<{ type: number; values: readonly string[] }>;
};

/** Texts (UTF-8) back to back and where each ends: a million of them in one Buffer. */
function column(type: number, texts: readonly string[]): RadiusClientLoadArgs['columns'][number] {
  const ends = new Uint32Array(texts.length);
  let length = 0;
  texts.forEach((text, i) => { ends[i] = length += Buffer.byteLength(text); });
  return { type, values: Buffer.from(texts.join(''), 'utf8'), ends };
}

export interface LoadHooks {
  /** Ends the run: its requests are withdrawn, uncounted. */
  signal?: AbortSignal;
  /** A request that got no verified reply, and the server as people write it. */
  unanswered(outcome: RadiusClientOutcome, server: string): void;
}

interface LoadRun {
  engine: Engine;
  server: string;
  hooks: LoadHooks;
  done(): void;
}

interface Pending {
  server: string;
  link: number;
  resolve(answer: EngineAnswer): void;
  reject(error: Error): void;
  done(): void;
}

let nextRequestId = 1;

export class ClientEngine {
  private readonly engines = new Map<4 | 6, Engine>();
  private readonly targets = new Map<string, Target>();
  private readonly making = new Map<string, Promise<Target>>();
  private readonly pending = new Map<number, Pending>();
  private loading: LoadRun | undefined;
  /** From load()'s call to its run's end: one run at a time. */
  private loadClaimed = false;
  /** The engine of the latest load run: its figures stay readable once the run is over. */
  private loaded: Engine | undefined;
  private closed = false;

  /** With `streams`, no socket: every target is a stream the caller holds (RadSec), its requests
   *  handed to `write`, its bytes given back by stream(). */
  constructor(private readonly local: {
    localAddress4?: string; localAddress6?: string;
    streams?: {
      write(link: number, datagram: Buffer): void; broken(link: number): void; resume(link: number): void;
      /** A Disconnect-Request or CoA-Request the stream brought (reverse CoA), a whole packet, unchecked. */
      request?(link: number, packet: Buffer): void;
    };
    /** Called when the last request out (of any family) is answered. */
    idle?: () => void;
    /** With `streams`: opens the native engine instead of radiusClientOpen (a RadSec home's, which
     *  the RADIUS engine's proxy sends its forwards through too: RadiusServer's `proxy`). */
    open?: (onEvents: (events: RadiusClientEvents) => void) => NativeRadiusClient;
  } = {}) {}

  /** Requests (or a load run) out on any family, or a server being looked up for one. */
  get busy(): boolean {
    for (const engine of this.engines.values()) if (engine.outstanding > 0) return true;
    return this.making.size > 0;
  }

  get isClosed(): boolean {
    return this.closed;
  }

  counters(): RadiusClientCounters {
    const sum = zeroRadiusClientCounters();
    for (const engine of this.engines.values()) {
      const counts = engine.native.stats();
      for (const key of Object.keys(sum) as (keyof RadiusClientCounters)[]) sum[key] += counts[key];
    }
    return sum;
  }

  async send(endpoint: RadiusEndpoint, request: EngineRequest): Promise<EngineAnswer> {
    const key = `${endpoint.host}|${endpoint.port}`;
    const cached = this.targets.get(key);
    const found = cached !== undefined && sameSecret(cached.secret, endpoint.secret) ? cached : await this.target(key, endpoint);
    return this.sendOn(found, request);
  }

  /** A stream's target: `address` (a literal) and `port` name the server in messages only;
   *  `radius11`: the stream negotiated RADIUS/1.1 (RFC 9765), `secret` then unused. */
  streamTarget(link: number, address: string, port: number, secret: RadiusSecret, radius11 = false): Target {
    const bytes = secretBytes(secret);
    try {
      const engine = this.engine(4);
      return {
        engine, secret, link, server: formatHostPort(address, port),
        target: engine.native.target({ address, port, secret: bytes, link, radius11 }),
      };
    } finally {
      bytes.fill(0);
    }
  }

  /** True: stop reading the stream until `streams.resume(link)`: the engine holds as much of
   *  its bytes as it takes unread (a server streaming faster than they are framed and checked). */
  stream(link: number, data: Buffer): boolean {
    return !this.closed && this.engine(4).native.stream({ link, data });
  }

  /** A RADIUS/DTLS association carrying stream `link`, joined to the engine natively: the link's
   *  requests go into it and its records come back to the engine without JS (the caller holds its
   *  object for the handshake's end and the association's). */
  dtlsConnect(link: number, args: Omit<RadiusDtlsConnectArgs, 'link'>): NativeRadiusDtls {
    return this.engine(4).native.dtlsConnect({ ...args, link });
  }

  /** Requests out on stream `link`. */
  pendingOn(link: number): number {
    let count = 0;
    for (const entry of this.pending.values()) if (entry.link === link) count++;
    return count;
  }

  /** The stream is gone: its requests reject with `error`. */
  dropStream(link: number, error: Error): void {
    if (this.closed) return;
    const { native } = this.engine(4);
    native.drop({ link });
    for (const [id, entry] of [...this.pending]) {
      if (entry.link !== link) continue;
      native.cancel({ id });
      entry.done();
      entry.reject(error);
    }
  }

  async sendOn(found: Target, request: EngineRequest): Promise<EngineAnswer> {
    if (request.signal?.aborted) throw new RadiusAbortedError();
    if (this.closed) throw new RadiusAbortedError('RADIUS client closed');
    // Below 2^31: the engine marks the RADIUS proxy's forwards with that bit (radius_exchange.h).
    const id = nextRequestId;
    nextRequestId = nextRequestId === 0x7fffffff ? 1 : nextRequestId + 1;
    const { engine } = found;
    const { signal, ...args } = request;
    engine.native.send({ ...args, id, target: found.target });
    if (!engine.flushing) {
      engine.flushing = true;
      setImmediate(() => {
        engine.flushing = false;
        if (!this.closed) engine.native.flush();
      });
    }
    return new Promise<EngineAnswer>((resolve, reject) => {
      const onAbort = (): void => {
        engine.native.cancel({ id });
        entry.done();
        reject(new RadiusAbortedError());
      };
      const entry: Pending = {
        server: found.server, link: found.link ?? 0, resolve, reject,
        done: () => {
          if (!this.pending.delete(id)) return;
          signal?.removeEventListener('abort', onAbort);
          if (--engine.outstanding === 0 && !this.closed) {
            engine.native.unref();
            if (!this.busy) this.local.idle?.();
          }
        },
      };
      this.pending.set(id, entry);
      if (engine.outstanding++ === 0) engine.native.ref();
      signal?.addEventListener('abort', onAbort, { once: true });
    });
  }

  /**
   * A load run: the engine's thread makes every request from `plan.requests` in turn, counts the
   * answered ones (loadProgress) and hands each unanswered one to `hooks`; resolves when the run
   * is over (its count done, its duration over, stopped by `hooks.signal` or the client closed).
   */
  async load(endpoint: RadiusEndpoint, plan: LoadPlan, hooks: LoadHooks): Promise<void> {
    return this.loadOn(() => {
      const key = `${endpoint.host}|${endpoint.port}`;
      const cached = this.targets.get(key);
      return cached !== undefined && sameSecret(cached.secret, endpoint.secret) ? Promise.resolve(cached) : this.target(key, endpoint);
    }, plan, hooks);
  }

  /** load() on the target `find` gives: a UDP server's, or a stream's (a RadSec connection). */
  async loadOn(find: () => Promise<Target>, plan: LoadPlan, hooks: LoadHooks): Promise<void> {
    if (this.loadClaimed) throw new Error('a load run is already on');
    this.loadClaimed = true;
    let running = false;
    try {
      const found = await find();
      if (this.closed || hooks.signal?.aborted) return;
      const { engine } = found;
      const { own, ...bounds } = plan;
      const columns = own.map((entry) => column(entry.type, entry.values));
      try {
        engine.native.load({ ...bounds, target: found.target, columns });
      } finally {
        for (const entry of columns) entry.values.fill(0);
      }
      running = true;
      this.loaded = engine;
      await new Promise<void>((resolve) => {
        const stop = (): void => engine.native.loadStop();
        hooks.signal?.addEventListener('abort', stop, { once: true });
        this.loading = {
          engine, server: found.server, hooks,
          done: () => {
            this.loading = undefined;
            hooks.signal?.removeEventListener('abort', stop);
            if (--engine.outstanding === 0 && !this.closed) engine.native.unref();
            resolve();
          },
        };
        if (engine.outstanding++ === 0) engine.native.ref();
      });
    } finally {
      this.loadClaimed = false;
      if (!running) this.loading = undefined;
    }
  }

  /** The latest load run's figures so far (the latencies since the last call); zeros before one. */
  loadProgress(): RadiusClientLoadProgress {
    return this.loaded?.native.loadTake() ?? { started: 0, inFlight: 0, successes: 0, failures: 0, latenciesMs: new Float64Array() };
  }

  /** Outstanding requests reject with RadiusAbortedError; a load run ends. */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.loading?.done();
    for (const entry of [...this.pending.values()]) {
      entry.done();
      entry.reject(new RadiusAbortedError('RADIUS client closed'));
    }
    for (const engine of this.engines.values()) engine.native.close();
  }

  /** One target per server and secret, however many requests ask for it at once. */
  private target(key: string, endpoint: RadiusEndpoint): Promise<Target> {
    const making = this.making.get(key);
    if (making) return making.then((made) => (sameSecret(made.secret, endpoint.secret) ? made : this.target(key, endpoint)));
    const made = this.makeTarget(key, endpoint).finally(() => this.making.delete(key));
    this.making.set(key, made);
    return made;
  }

  private async makeTarget(key: string, endpoint: RadiusEndpoint): Promise<Target> {
    if (this.closed) throw new RadiusAbortedError('RADIUS client closed');
    const secret = secretBytes(endpoint.secret);
    try {
      const resolved = await resolveHost(endpoint.host);
      if (this.closed) throw new RadiusAbortedError('RADIUS client closed');
      const engine = this.engine(resolved.family);
      const made: Target = {
        engine, secret: endpoint.secret, server: formatHostPort(resolved.address, endpoint.port),
        target: engine.native.target({ address: resolved.address, port: endpoint.port, secret }),
      };
      this.targets.set(key, made);
      return made;
    } finally {
      secret.fill(0);
    }
  }

  private engine(family: 4 | 6): Engine {
    let engine = this.engines.get(family);
    if (!engine) {
      const host = this.local.streams ? undefined
        : family === 4 ? this.local.localAddress4 ?? '0.0.0.0' : this.local.localAddress6 ?? '::';
      const onEvents = (events: RadiusClientEvents): void => this.onEvents(events);
      engine = {
        native: this.local.streams && this.local.open ? this.local.open(onEvents) : binding.radiusClientOpen({ host, onEvents }),
        outstanding: 0, flushing: false,
      };
      this.engines.set(family, engine);
    }
    return engine;
  }

  private onEvents(events: RadiusClientEvents): void {
    for (const write of events.writes ?? []) this.local.streams?.write(write.link, write.datagram);
    for (const link of events.broken ?? []) this.local.streams?.broken(link);
    for (const link of events.resumed ?? []) this.local.streams?.resume(link);
    for (const request of events.requests ?? []) this.local.streams?.request?.(request.link, request.datagram);
    for (const outcome of events.outcomes ?? []) {
      const entry = this.pending.get(outcome.id);
      if (!entry) {
        if (outcome.id === 0) this.loading?.hooks.unanswered(outcome, this.loading.server);
        continue;
      }
      entry.done();
      entry.resolve({ outcome, server: entry.server });
    }
    if (events.loadDone) this.loading?.done();
  }
}

/** How long the shared engine stays open with nothing out before it closes (its thread ended,
 *  its sockets closed, the secrets its targets hold wiped); the next request opens it again. */
const SHARED_IDLE_MS = 10_000;
let shared: ClientEngine | undefined;
let idleTimer: NodeJS.Timeout | undefined;

/**
 * The client engine every client-side role without local options of its own shares: accounting,
 * Status-Server, CoA, Disconnect (udp-exchange.ts) and `auth --radius`: one socket and one thread
 * per address family for the whole process, however many requests, in turn or at once. Opened
 * by the first request; it holds the process open only while a request is out (each native
 * engine is unref'd in between), and closes itself after SHARED_IDLE_MS with nothing out.
 */
export function sharedClientEngine(): ClientEngine {
  if (idleTimer) {
    clearTimeout(idleTimer);
    idleTimer = undefined;
  }
  if (shared === undefined || shared.isClosed) {
    const engine: ClientEngine = new ClientEngine({
      idle: () => {
        if (idleTimer) clearTimeout(idleTimer);
        idleTimer = setTimeout(() => {
          idleTimer = undefined;
          if (shared === engine && !engine.busy) closeSharedClientEngine();
        }, SHARED_IDLE_MS);
        idleTimer.unref();
      },
    });
    shared = engine;
  }
  return shared;
}

/** Closes the shared engine now (its outstanding requests reject with RadiusAbortedError); the next
 *  request opens a new one. */
export function closeSharedClientEngine(): void {
  if (idleTimer) {
    clearTimeout(idleTimer);
    idleTimer = undefined;
  }
  const engine = shared;
  shared = undefined;
  engine?.close();
}

function sameSecret(a: RadiusSecret, b: RadiusSecret): boolean {
  if (typeof a === 'string' || typeof b === 'string') return a === b;
  return a.equals(b);
}
