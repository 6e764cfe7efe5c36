/**
 * One NetworkManager attempt watched from the bus: the device's StateChanged (state, reason), the
 * active connection's StateChanged (state, reason) and wpa_supplicant's EAP(status, parameter) on
 * the device's interface, in the order the bus delivers them. Each signal becomes a ConnectEvent
 * as it comes, each raw code is kept; the outcome's category is the reason table's reading.
 * wpa_supplicant's `completion failure` ends the attempt at once: NM would only ask for secrets
 * again or retry what the network has already refused.
 */
import type { BusSignal, SystemBus } from './networkmanager-bus';
import { NM_BUS, dictionary } from './networkmanager-bus';
import type { ConnectCode, ConnectEvent, ConnectOutcome } from './outcome';
import { categoryOfCodes, namedCode } from './reasons';
import { categoryWords } from './words';

const { service: NM, path: NM_PATH, device: DEVICE, active: ACTIVE, settings: SETTINGS, connection: CONNECTION, wpa: WPA,
  wpaPath: WPA_PATH, wpaInterface: WPA_INTERFACE } = NM_BUS;

/** NMDeviceState values this reads, and the ConnectEvent each one is. */
const DEVICE_PREPARE = 40;
const DEVICE_EVENTS: Record<number, { state: ConnectEvent['state']; detail: string }> = {
  50: { state: 'associating', detail: 'NetworkManager is connecting the device' },
  60: { state: 'authenticating', detail: 'NetworkManager is gathering the secrets' },
  70: { state: 'configuring', detail: 'NetworkManager is requesting an address' },
  120: { state: 'failed', detail: 'NetworkManager failed the device' },
};
/** NMActiveConnectionState. */
const ACTIVE_ACTIVATED = 2;
const ACTIVE_DEACTIVATED = 4;
/** How long NM is given to take down (and, for a volatile one, forget) what connect made. */
const CLEANUP_MS = 10_000;

interface Device { path: string; name: string }
type Verdict = { kind: 'connected' | 'failed' | 'timeout' } | { kind: 'aborted'; reason: unknown };

export interface WatchOptions {
  started: number;
  onEvent?: (event: ConnectEvent) => void;
  /** The profile's method, until wpa_supplicant names the one that ran. */
  method?: string;
}

export class NetworkManagerWatch {
  private readonly codes: ConnectCode[] = [];
  private readonly unsubscribe: (() => void)[] = [];
  private device: Device | undefined;
  private active: string | undefined;
  private readonly early: BusSignal[] = [];
  private wpaPath: string | undefined;
  private volatile: string | undefined;
  private volatileGone = false;
  private activeGone = false;
  private deviceOurs = false;
  /** wpa_supplicant's EAP `started`: an authenticator answered with an EAP-Request. */
  private eapStarted = false;
  private method: string | undefined;
  private verdict: Verdict | undefined;
  private readonly waiters: (() => void)[] = [];

  constructor(private readonly bus: SystemBus, private readonly options: WatchOptions) {
    this.method = options.method;
  }

  private elapsed(): number {
    return Date.now() - this.options.started;
  }

  private emit(state: ConnectEvent['state'], extra: Omit<ConnectEvent, 'state' | 'elapsedMs'> = {}): void {
    this.options.onEvent?.({ state, elapsedMs: this.elapsed(), ...extra });
  }

  private keep(source: ConnectCode['source'], value: number | string): ConnectCode {
    const code = namedCode(source, value);
    this.codes.push(code);
    return code;
  }

  /** The attempt's end. What the bus says after it is NM undoing the attempt (our own clean-up,
   *  reason USER_REQUESTED): no event, no code, only whether the attempt is gone yet. */
  private decide(verdict: Verdict): void {
    if (this.verdict) return;
    this.verdict = verdict;
    if (verdict.kind === 'connected') this.emit('connected', { detail: 'NetworkManager has the connection up' });
    this.wake();
  }

  private wake(): void {
    for (const waiter of this.waiters.splice(0)) waiter();
  }

  /** Resolves once `done()` holds, re-checked at every signal. */
  private waitFor(done: () => boolean): Promise<void> {
    return new Promise((resolve) => {
      const check = (): void => { if (done()) resolve(); else this.waiters.push(check); };
      check();
    });
  }

  private onDevice(signal: BusSignal): void {
    if (signal.path !== this.device?.path || this.verdict) return;
    const [state, , reason] = signal.body.map(Number);
    // What came before PREPARE is another connection going down, not this attempt.
    if (state === DEVICE_PREPARE) this.deviceOurs = true;
    if (!this.deviceOurs) return;
    const code = reason ? this.keep('nm-device-reason', reason) : undefined;
    const event = DEVICE_EVENTS[state];
    if (event) this.emit(event.state, { detail: event.detail, ...(code ? { code } : {}) });
  }

  private onActive(signal: BusSignal): void {
    if (signal.path !== this.active) return;
    const [state, reason] = signal.body.map(Number);
    if (state === ACTIVE_DEACTIVATED) this.activeGone = true;
    if (this.verdict) return;
    if (reason) this.keep('nm-active-reason', reason);
    if (state === ACTIVE_ACTIVATED) this.decide({ kind: 'connected' });
    if (state === ACTIVE_DEACTIVATED) this.decide({ kind: 'failed' });
  }

  private onWpa(signal: BusSignal): void {
    if (signal.member === 'InterfaceAdded') {
      const [path, properties] = signal.body as [string, unknown];
      if (dictionary(properties).Ifname === this.device?.name) this.wpaPath = path;
      return;
    }
    if (signal.member !== 'EAP' || signal.path !== this.wpaPath || this.verdict) return;
    const [status, parameter] = signal.body.map(String);
    const code = this.keep('wpa-eap-status', parameter ? `${status} ${parameter}` : status);
    if (status === 'started') {
      this.eapStarted = true;
      this.emit('802.1x-started', { code });
    } else if (status === 'accept proposed method') {
      this.method = parameter.toLowerCase();
      this.emit('method', { method: this.method, code });
    } else if (status === 'completion') {
      this.emit(parameter === 'success' ? 'authenticated' : 'failed', { code });
      if (parameter !== 'success') this.decide({ kind: 'failed' });
    } else {
      this.emit('authenticating', { code });
    }
  }

  /** Watches `device` from now on: call before activating, so no signal is missed. */
  async begin(device: Device): Promise<void> {
    this.device = device;
    const route = (handler: (signal: BusSignal) => void) => (signal: BusSignal): void => { handler.call(this, signal); this.wake(); };
    // Until AddAndActivateConnection2 answers, the active connection's path is unknown: its
    // signals and the EAP ones that may come as early wait, in order, until it is.
    const later = (handler: (signal: BusSignal) => void) => route((signal) => {
      if (this.active === undefined) this.early.push(signal); else handler.call(this, signal);
    });
    this.unsubscribe.push(
      await this.bus.subscribe(DEVICE, 'StateChanged', route(this.onDevice)),
      await this.bus.subscribe(ACTIVE, 'StateChanged', later(this.onActive)),
      await this.bus.subscribe(WPA, 'InterfaceAdded', route(this.onWpa)),
      await this.bus.subscribe(WPA_INTERFACE, 'EAP', later(this.onWpa)),
      await this.bus.subscribe(SETTINGS, 'ConnectionRemoved', route((signal) => {
        if (signal.body[0] === this.volatile) this.volatileGone = true;
      })),
    );
    try {
      [this.wpaPath] = await this.bus.call(WPA, WPA_PATH, WPA, 'GetInterface', 's', [device.name]) as string[];
    } catch {
      // Not there yet: NM creates it when it activates the device, and InterfaceAdded says so.
    }
  }

  /** `--install`: the profile is being saved into NetworkManager. */
  installing(): void {
    this.emit('installing', { detail: 'saving the connection to NetworkManager' });
  }

  /** The volatile connection AddAndActivateConnection2 made, which a failed attempt must leave gone. */
  madeVolatile(path: string): void {
    this.volatile = path;
  }

  stop(): void {
    for (const off of this.unsubscribe.splice(0)) off();
  }

  noDevice(fits: string[]): ConnectOutcome {
    return {
      connected: false, category: 'no-authenticator', codes: [], elapsedMs: this.elapsed(), via: 'networkmanager',
      message: `NetworkManager manages no ${fits.join(' or ')} device that could take this profile`,
      nextStep: 'Plug in the cable or turn the Wi-Fi on, or name the interface',
      ...(this.method ? { method: this.method } : {}),
    };
  }

  /** Until the attempt on `active` connects, fails, times out or is aborted; then cleans up. */
  async until(active: string, timeoutMs: number, signal?: AbortSignal): Promise<ConnectOutcome> {
    this.active = active;
    for (const early of this.early.splice(0)) {
      if (early.interface === ACTIVE) this.onActive(early); else this.onWpa(early);
    }
    const timer = setTimeout(() => this.decide({ kind: 'timeout' }), Math.max(0, timeoutMs - this.elapsed()));
    const onAbort = (): void => this.decide({ kind: 'aborted', reason: signal?.reason });
    signal?.addEventListener('abort', onAbort, { once: true });
    if (signal?.aborted) onAbort();
    try {
      await this.waitFor(() => this.verdict !== undefined);
    } finally {
      clearTimeout(timer);
      signal?.removeEventListener('abort', onAbort);
    }
    const verdict = this.verdict!;
    if (verdict.kind !== 'connected') await this.cleanUp(active);
    this.stop();
    if (verdict.kind === 'aborted') throw verdict.reason;
    return this.outcome(verdict.kind);
  }

  private async cleanUp(active: string): Promise<void> {
    this.emit('cleaning-up');
    if (!this.activeGone) {
      try {
        await this.bus.call(NM, NM_PATH, NM, 'DeactivateConnection', 'o', [active]);
      } catch {
        // Already gone: NM took it down itself.
        this.activeGone = true;
      }
    }
    let timer: NodeJS.Timeout | undefined;
    const bounded = new Promise<void>((resolve) => { timer = setTimeout(resolve, CLEANUP_MS); });
    await Promise.race([bounded, this.waitFor(() => this.activeGone && (this.volatile === undefined || this.volatileGone))]);
    clearTimeout(timer);
    if (this.volatile !== undefined && !this.volatileGone) {
      // NM forgets a volatile connection when it goes down; one still there is deleted by hand.
      await this.bus.call(NM, this.volatile, CONNECTION, 'Delete').catch(() => undefined);
    }
  }

  private outcome(kind: 'connected' | 'failed' | 'timeout'): ConnectOutcome {
    const base = { codes: this.codes, elapsedMs: this.elapsed(), interface: this.device?.name, via: 'networkmanager' as const,
      ...(this.method ? { method: this.method } : {}) };
    if (kind === 'connected') return { ...base, connected: true, category: 'connected', message: categoryWords('connected').message };
    const read = categoryOfCodes(this.codes);
    if (kind === 'timeout') {
      return { ...base, connected: false, category: read === 'unknown' ? 'timeout' : read,
        message: `NetworkManager had not connected ${this.device?.name} when the time ran out` };
    }
    if (!this.eapStarted) {
      // No EAP-Request ever came: NM's reason is then what it says on giving up waiting (1.42: "association
      // took too long", then NO_SECRETS, as there is no one to ask), not a verdict on the secrets.
      return { ...base, connected: false, category: 'no-authenticator',
        message: `nothing answered 802.1X on ${this.device?.name}: no EAP-Request came before NetworkManager gave up` };
    }
    return { ...base, connected: false, category: read, message: categoryWords(read).message };
  }
}
