/**
 * The system bus as connect speaks it: method calls that resolve or reject, properties, and
 * signals by interface, member and sender. Built on @homebridge/dbus-native (pure JavaScript:
 * nothing to compile) over a socket this file opens, so that what the peer sends is bounded
 * before the library parses it. The bus is the one DBUS_SYSTEM_BUS_ADDRESS names, else the
 * system's, as nmcli's. Never holds a secret past the call that sends it.
 *
 * Any local user may broadcast a signal on the system bus (or send one to us alone), naming any
 * path and interface: a signal counts only when its sender is the unique name that owns the
 * service it claims to come from, and every match rule names that sender. When the connection
 * ends, every call still waiting is rejected (BusError, org.freedesktop.DBus.Error.Disconnected)
 * and `onLost` listeners hear it: nothing waits for an answer that cannot come.
 */
import * as dbusNative from '@homebridge/dbus-native';
import * as net from 'net';

/** A D-Bus value as dbus-native marshals it: a variant is [signature, value]. */
export type BusValue = string | number | boolean | Buffer | BusValue[];
export type Variant = [signature: string, value: BusValue];

export interface BusSignal {
  /** The sender's unique name, as the bus daemon stamped it (never the name a sender claims). */
  sender: string;
  path: string;
  interface: string;
  member: string;
  body: unknown[];
}

/** A failed call, with the D-Bus error name (org.freedesktop.NetworkManager.…). */
export class BusError extends Error {
  readonly dbusName: string;

  constructor(what: string, dbusName: string, message: string) {
    super(`${what}: ${dbusName}${message ? `: ${message}` : ''}`);
    this.name = 'BusError';
    this.dbusName = dbusName;
  }
}

/** The bus names, object paths and interfaces connect speaks to (NetworkManager's and
 *  wpa_supplicant's D-Bus APIs). */
export const NM_BUS = {
  service: 'org.freedesktop.NetworkManager',
  path: '/org/freedesktop/NetworkManager',
  settingsPath: '/org/freedesktop/NetworkManager/Settings',
  settings: 'org.freedesktop.NetworkManager.Settings',
  connection: 'org.freedesktop.NetworkManager.Settings.Connection',
  device: 'org.freedesktop.NetworkManager.Device',
  active: 'org.freedesktop.NetworkManager.Connection.Active',
  wpa: 'fi.w1.wpa_supplicant1',
  wpaPath: '/fi/w1/wpa_supplicant1',
  wpaInterface: 'fi.w1.wpa_supplicant1.Interface',
} as const;

const SYSTEM_BUS = 'unix:path=/var/run/dbus/system_bus_socket';
const SIGNAL = 4;
/** The bus daemon's own name: the sender it stamps on its signals (NameOwnerChanged). */
export const BUS_DAEMON = 'org.freedesktop.DBus';
const BUS_PATH = '/org/freedesktop/DBus';
/** The D-Bus specification's largest message (2^27 bytes): a peer claiming more is not speaking D-Bus. */
const MAX_MESSAGE_BYTES = 134_217_728;
export const DISCONNECTED = 'org.freedesktop.DBus.Error.Disconnected';

interface RawMessage { type: number; sender?: string; path?: string; interface?: string; member?: string; body?: unknown[] }
interface RawBus {
  connection: { on(event: string, listener: (arg: never) => void): void; end(): void; stream: net.Socket };
  invoke(message: object, callback: (error: { name: string; message: unknown } | null, ...body: unknown[]) => void): void;
}

/** What the peer sent was not D-Bus (or broke a bound): the connection is closed with this. */
export class BusProtocolError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'BusProtocolError';
  }
}

/** A variant as dbus-native reads one: [signature tree, [value]]. */
export function variantValue(variant: unknown): unknown {
  return Array.isArray(variant) && variant.length === 2 && Array.isArray(variant[1]) ? variant[1][0] : undefined;
}

/** An a{sv} as dbus-native reads one, into an object of plain values. */
export function dictionary(entries: unknown): Record<string, unknown> {
  const result: Record<string, unknown> = {};
  if (Array.isArray(entries)) for (const [key, variant] of entries as [string, unknown][]) result[key] = variantValue(variant);
  return result;
}

/** The socket a D-Bus address names (its first unix or tcp entry). */
function socketFor(address: string): net.Socket {
  for (const entry of address.split(';')) {
    const colon = entry.indexOf(':');
    const family = entry.slice(0, colon);
    const params = Object.fromEntries(entry.slice(colon + 1).split(',').map((pair) => {
      const equals = pair.indexOf('=');
      return [pair.slice(0, equals), decodeURIComponent(pair.slice(equals + 1))];
    }));
    if (family === 'unix' && params.path) return net.createConnection(params.path);
    if (family === 'unix' && params.abstract) return net.createConnection(`\0${params.abstract}`);
    if (family === 'tcp' && params.port) return net.createConnection(Number(params.port), params.host || 'localhost');
  }
  throw new BusProtocolError(`no unix or tcp address in the bus address "${address.slice(0, 200)}"`);
}

/** What the SASL exchange may take before the bus says OK: its lines are short. */
const MAX_HANDSHAKE_BYTES = 65_536;

/**
 * The socket, guarded: the library parses what arrives inside the socket's own event handlers,
 * where a throw (a malformed header, a length past what a stream may read) would end the
 * process. Here it ends the connection with a BusProtocolError instead; a message longer than
 * the specification allows, or a handshake longer than any real one, is refused before anything
 * is buffered for it. `handshaken()` says the SASL exchange is over.
 */
function guarded(socket: net.Socket): { socket: net.Socket; handshaken(): void } {
  let handshake = 0;
  let handshaking = true;
  const fail = (error: unknown): void => {
    socket.destroy(error instanceof BusProtocolError ? error
      : new BusProtocolError(`the bus sent something that is not D-Bus: ${(error as Error)?.message ?? String(error)}`));
  };
  const read = socket.read.bind(socket);
  socket.read = (size?: number) => {
    if (size !== undefined && size > MAX_MESSAGE_BYTES) throw new BusProtocolError(`the bus announced a message of ${size} bytes (at most ${MAX_MESSAGE_BYTES})`);
    const chunk = read(size) as Buffer | null;
    if (handshaking && chunk && (handshake += chunk.length) > MAX_HANDSHAKE_BYTES) {
      throw new BusProtocolError(`the bus sent over ${MAX_HANDSHAKE_BYTES} bytes without finishing the authentication exchange`);
    }
    return chunk;
  };
  type Listener = (...args: unknown[]) => void;
  const wrapped = new WeakMap<Listener, Listener>();
  const wrap = (event: string | symbol, listener: Listener): Listener => {
    if (event !== 'readable' && event !== 'data') return listener;
    let guard = wrapped.get(listener);
    if (!guard) {
      guard = (...args: unknown[]) => {
        if (socket.destroyed) return;
        try {
          listener(...args);
        } catch (error) {
          fail(error);
        }
      };
      wrapped.set(listener, guard);
    }
    return guard;
  };
  // Every way a listener is added or removed goes through `wrap`, so the library's own removals still match.
  type Method = (event: string | symbol, listener: Listener) => unknown;
  const events = socket as unknown as Record<'on' | 'addListener' | 'once' | 'removeListener' | 'off', Method>;
  const on = events.on.bind(socket);
  const once = events.once.bind(socket);
  const off = events.removeListener.bind(socket);
  events.on = (event, listener) => on(event, wrap(event, listener));
  events.addListener = events.on;
  events.once = (event, listener) => once(event, wrap(event, listener));
  events.removeListener = (event, listener) => off(event, wrapped.get(listener) ?? listener);
  events.off = events.removeListener;
  return { socket, handshaken: () => { handshaking = false; } };
}

export class SystemBus {
  private readonly listeners = new Set<(signal: BusSignal) => void>();
  private readonly pending = new Set<(error: Error) => void>();
  private readonly lostListeners = new Set<(error: Error) => void>();
  private failure: Error | undefined;

  private constructor(private readonly raw: RawBus) {
    raw.connection.on('message', (message: RawMessage) => {
      if (message.type !== SIGNAL) return;
      const signal = { sender: message.sender ?? '', path: message.path ?? '', interface: message.interface ?? '',
        member: message.member ?? '', body: message.body ?? [] };
      for (const listener of [...this.listeners]) listener(signal);
    });
    raw.connection.on('error', (error: Error) => this.lose(error));
    raw.connection.stream.on('close', () => this.lose(new Error('the bus closed the connection')));
  }

  /** The connection is gone: every waiting call rejects, every onLost listener hears why, once. */
  private lose(cause: Error): void {
    if (this.failure) return;
    this.failure = new BusError('the system bus', DISCONNECTED, cause.message);
    for (const reject of [...this.pending]) reject(this.failure);
    this.pending.clear();
    for (const listener of [...this.lostListeners]) listener(this.failure);
    this.lostListeners.clear();
  }

  /** Connects and says Hello; rejects when no bus answers there, or `signal` aborts first. */
  static async open(address = process.env.DBUS_SYSTEM_BUS_ADDRESS || SYSTEM_BUS, signal?: AbortSignal): Promise<SystemBus> {
    const { socket: stream, handshaken } = guarded(socketFor(address));
    // The package's own typings declare systemBus() only; createClient takes any stream.
    const raw = (dbusNative as unknown as { createClient(options: { stream: net.Socket }): RawBus }).createClient({ stream });
    raw.connection.on('connect', handshaken);
    const bus = new SystemBus(raw);
    // Until the bus has answered, the abort (or the deadline behind it) ends the connection
    // itself: the stream is destroyed and its calls rejected, so a bus that finishes SASL and then
    // says nothing leaves no socket holding the process open.
    const onAbort = (): void => bus.close(signal?.reason instanceof Error ? signal.reason : undefined);
    signal?.addEventListener('abort', onAbort, { once: true });
    try {
      await new Promise<void>((resolve, reject) => {
        bus.onLost((error) => reject(signal?.aborted ? signal.reason : new Error(`cannot reach the system bus at ${address}: ${error.message}`)));
        raw.connection.on('connect', () => resolve());
        if (signal?.aborted) onAbort();
      });
      // Hello's answer: the bus has admitted us (dbus-native sends Hello itself once connected).
      await bus.call(BUS_DAEMON, BUS_PATH, BUS_DAEMON, 'GetId');
    } catch (error) {
      bus.close();
      throw signal?.aborted ? signal.reason : error;
    } finally {
      signal?.removeEventListener('abort', onAbort);
    }
    return bus;
  }

  /** Calls `listener` once, when the connection ends (at once if it already has); returns the way to stop listening. */
  onLost(listener: (error: Error) => void): () => void {
    if (this.failure) {
      listener(this.failure);
      return () => undefined;
    }
    this.lostListeners.add(listener);
    return () => { this.lostListeners.delete(listener); };
  }

  call(destination: string, path: string, iface: string, member: string, signature = '', body: unknown[] = []): Promise<unknown[]> {
    if (this.failure) return Promise.reject(this.failure);
    return new Promise((resolve, reject) => {
      this.pending.add(reject);
      this.raw.invoke({ destination, path, interface: iface, member, ...(signature ? { signature, body } : {}) }, (error, ...reply) => {
        if (!this.pending.delete(reject)) return;
        if (error) {
          const text = Array.isArray(error.message) ? String(error.message[0] ?? '') : String(error.message ?? '');
          reject(new BusError(`${iface}.${member}`, String(error.name), text));
        } else {
          resolve(reply);
        }
      });
    });
  }

  async property(destination: string, path: string, iface: string, name: string): Promise<unknown> {
    const [value] = await this.call(destination, path, 'org.freedesktop.DBus.Properties', 'Get', 'ss', [iface, name]);
    return variantValue(value);
  }

  /** The unique name (":1.42") that owns `name` now; a BusError (NameHasNoOwner) when none does. */
  async owner(name: string): Promise<string> {
    const [owner] = await this.call(BUS_DAEMON, BUS_PATH, BUS_DAEMON, 'GetNameOwner', 's', [name]);
    return String(owner);
  }

  /**
   * The signals of `iface` (one member, or all) that `sender` sends: the match rule names the
   * sender (the bus daemon resolves a well-known name to its owner), and a signal is handed on
   * only when `accept(signal.sender)` holds, so one sent to us directly by another client, which
   * no match rule governs, is dropped too.
   */
  async subscribe(iface: string, member: string | undefined, sender: string, accept: (sender: string) => boolean,
    listener: (signal: BusSignal) => void, arg0?: string): Promise<() => void> {
    const rule = `type='signal',sender='${sender}',interface='${iface}'${member ? `,member='${member}'` : ''}${arg0 !== undefined ? `,arg0='${arg0}'` : ''}`;
    const filtered = (signal: BusSignal): void => {
      if (signal.interface === iface && (member === undefined || signal.member === member) && accept(signal.sender)) listener(signal);
    };
    this.listeners.add(filtered);
    await this.call(BUS_DAEMON, BUS_PATH, BUS_DAEMON, 'AddMatch', 's', [rule]);
    return () => { this.listeners.delete(filtered); };
  }

  /** Ends the connection: the stream destroyed, every waiting call rejected (with `cause`'s words when given). */
  close(cause?: Error): void {
    this.listeners.clear();
    this.lose(cause ?? new Error('closed'));
    this.raw.connection.stream.destroy();
  }
}
