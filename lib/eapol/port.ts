/**
 * An EAPOL port: the addon's link-layer socket on one interface (Linux), as a small JS object.
 * Frames arrive validated by the addon; listeners get them on the event loop.
 */
import { binding, EapolPortStats, NativeEapolPort } from '../native';
import { EapolError, eapolError, linuxOnlyError } from './errors';
import { EAPOL_VERSION } from './frame';

export interface EapolFrame {
  source: Buffer;
  destination: Buffer;
  version: number;
  type: number;
  body: Buffer;
}

/** Declared once, in the seam (seam/seam.js's eapolPortStats): the addon builds it as it is. */
export type { EapolPortStats };

/** What opens a port: the constructor and the frame delivery stay out of the public class. */
let portOn: (native: NativeEapolPort) => { port: EapolPort; deliver(frame: EapolFrame): void };

export class EapolPort {
  readonly #listeners = new Set<(frame: EapolFrame) => void>();
  readonly #native: NativeEapolPort;
  #closed = false;

  private constructor(native: NativeEapolPort) {
    this.#native = native;
  }

  static {
    portOn = (native) => {
      const port = new EapolPort(native);
      return { port, deliver: (frame) => { for (const listener of [...port.#listeners]) listener(frame); } };
    };
  }

  get interfaceName(): string { return this.#native.interfaceName; }
  /** The interface's MAC address. */
  get address(): Buffer { return Buffer.from(this.#native.address); }
  get mtu(): number { return this.#native.mtu; }
  get isClosed(): boolean { return this.#closed; }

  /** Listens for frames; returns the function that stops listening. */
  onFrame(listener: (frame: EapolFrame) => void): () => void {
    this.#listeners.add(listener);
    return () => { this.#listeners.delete(listener); };
  }

  send(destination: Buffer, type: number, body: Buffer = Buffer.alloc(0)): void {
    if (this.#closed) throw new EapolError('ERR_EAPOL_CLOSED', `the EAPOL port on ${this.interfaceName} is closed`);
    try {
      this.#native.send({ destination, version: EAPOL_VERSION, type, body });
    } catch (error) {
      throw eapolError(error);
    }
  }

  stats(): EapolPortStats {
    return this.#native.stats();
  }

  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    this.#listeners.clear();
    this.#native.close();
  }
}

/**
 * Opens an EAPOL port on `interfaceName`. Throws an EapolError that says how to fix it: not Linux,
 * no CAP_NET_RAW, no such interface, the interface down, not Ethernet.
 */
export function openEapolPort(interfaceName: string): EapolPort {
  if (typeof interfaceName !== 'string' || interfaceName.length === 0) {
    throw new TypeError('interfaceName must be a non-empty string');
  }
  if (process.platform !== 'linux') throw linuxOnlyError(interfaceName);
  let opened: ReturnType<typeof portOn> | undefined;
  let native: NativeEapolPort;
  try {
    native = binding.eapolOpen({ interfaceName, onFrame: (source, destination, version, type, body) => {
      opened?.deliver({ source, destination, version, type, body });
    } });
  } catch (error) {
    throw eapolError(error);
  }
  opened = portOn(native);
  return opened.port;
}

/** The port an EAPOL endpoint runs on: one given (`owned` false: the caller closes it), or one
 *  opened on `interfaceName` (`owned`: the endpoint closes it with itself). */
export function portOf(options: { port?: EapolPort; interfaceName?: string }): { port: EapolPort; owned: boolean } {
  if (options.port) {
    if (!(options.port instanceof EapolPort)) throw new TypeError('port must be an EapolPort');
    return { port: options.port, owned: false };
  }
  if (typeof options.interfaceName !== 'string') throw new TypeError('give port or interfaceName');
  return { port: openEapolPort(options.interfaceName), owned: true };
}

/** A timer or bound option: an integer from `min` up, `fallback` when absent. */
export function integerOption(value: number | undefined, fallback: number, name: string, min = 1): number {
  if (value === undefined) return fallback;
  if (!Number.isInteger(value) || value < min || value > 0x7fffffff) throw new RangeError(`${name} must be an integer >= ${min}`);
  return value;
}
