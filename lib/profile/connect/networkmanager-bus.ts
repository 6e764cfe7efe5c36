/**
 * The system bus as connect speaks it: method calls that resolve or reject, properties, and
 * signals by interface and member. Built on @homebridge/dbus-native (pure JavaScript: nothing to
 * compile). The bus is the one DBUS_SYSTEM_BUS_ADDRESS names, else the system's, as nmcli's.
 * Never holds a secret past the call that sends it.
 */
import * as dbusNative from '@homebridge/dbus-native';

/** A D-Bus value as dbus-native marshals it: a variant is [signature, value]. */
export type BusValue = string | number | boolean | Buffer | BusValue[];
export type Variant = [signature: string, value: BusValue];

export interface BusSignal {
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

interface RawMessage { type: number; path?: string; interface?: string; member?: string; body?: unknown[] }
interface RawBus {
  connection: { on(event: string, listener: (arg: never) => void): void; end(): void; stream: { destroy(): void } };
  invoke(message: object, callback: (error: { name: string; message: unknown } | null, ...body: unknown[]) => void): void;
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

export class SystemBus {
  private readonly listeners = new Set<(signal: BusSignal) => void>();
  private failure: Error | undefined;

  private constructor(private readonly raw: RawBus) {
    raw.connection.on('message', (message: RawMessage) => {
      if (message.type !== SIGNAL) return;
      const signal = { path: message.path ?? '', interface: message.interface ?? '', member: message.member ?? '', body: message.body ?? [] };
      for (const listener of [...this.listeners]) listener(signal);
    });
    raw.connection.on('error', (error: Error) => { this.failure = error; });
  }

  /** Connects and says Hello; rejects when no bus answers there. */
  static async open(address = process.env.DBUS_SYSTEM_BUS_ADDRESS || SYSTEM_BUS): Promise<SystemBus> {
    // The package's own typings declare systemBus() only; createClient takes any address.
    const raw = (dbusNative as unknown as { createClient(options: { busAddress: string }): RawBus }).createClient({ busAddress: address });
    const bus = new SystemBus(raw);
    await new Promise<void>((resolve, reject) => {
      raw.connection.on('error', (error: Error) => reject(new Error(`cannot reach the system bus at ${address}: ${error.message}`)));
      raw.connection.on('connect', () => resolve());
    });
    return bus;
  }

  call(destination: string, path: string, iface: string, member: string, signature = '', body: unknown[] = []): Promise<unknown[]> {
    if (this.failure) return Promise.reject(this.failure);
    return new Promise((resolve, reject) => {
      this.raw.invoke({ destination, path, interface: iface, member, ...(signature ? { signature, body } : {}) }, (error, ...reply) => {
        if (error) {
          const text = Array.isArray(error.message) ? String(error.message[0] ?? '') : String(error.message ?? '');
          reject(new BusError(`${iface}.${member}`, error.name, text));
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

  /** Every signal of `iface` (one member, or all): the bus delivers them once the match is added. */
  async subscribe(iface: string, member: string | undefined, listener: (signal: BusSignal) => void): Promise<() => void> {
    const rule = `type='signal',interface='${iface}'${member ? `,member='${member}'` : ''}`;
    const filtered = (signal: BusSignal): void => {
      if (signal.interface === iface && (member === undefined || signal.member === member)) listener(signal);
    };
    this.listeners.add(filtered);
    await this.call('org.freedesktop.DBus', '/org/freedesktop/DBus', 'org.freedesktop.DBus', 'AddMatch', 's', [rule]);
    return () => { this.listeners.delete(filtered); };
  }

  close(): void {
    this.listeners.clear();
    this.raw.connection.end();
    this.raw.connection.stream.destroy();
  }
}
