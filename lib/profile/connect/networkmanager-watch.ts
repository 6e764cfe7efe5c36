/**
 * One NetworkManager attempt watched from the bus: the device's StateChanged (state, reason), the
 * active connection's StateChanged (state, reason) and wpa_supplicant's EAP(status, parameter) on
 * the device's interface, in the order the bus delivers them. Each signal becomes a ConnectEvent
 * as it comes, each raw code is kept; the outcome's category is the reason table's reading.
 * wpa_supplicant's `completion failure` ends the attempt at once: NM would only ask for secrets
 * again or retry what the network has already refused.
 *
 * Only NetworkManager and wpa_supplicant speak here: each signal counts only when the unique name
 * that owns its service sent it (any local client may broadcast a signal naming any path); the
 * attempt ends as `interrupted` when either service changes hands (a restart) or the bus goes;
 * and "connected" is said only after the active connection's own State property says ACTIVATED.
 */
import type { BusSignal, SystemBus } from './networkmanager-bus';
import { BUS_DAEMON, NM_BUS, dictionary } from './networkmanager-bus';
import { Deadline } from './deadline';
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
const DEVICE_IP_CONFIG = 70;
/** How long NM is given, in all, to take down (and, for a volatile one, forget) what connect made. */
export const CLEANUP_MS = 10_000;

interface Device { path: string; name: string }
type Verdict = { kind: 'connected' | 'authenticated' | 'failed' | 'timeout' } | { kind: 'aborted'; reason: unknown }
  | { kind: 'lost'; why: string };

export interface WatchOptions {
  started: number;
  onEvent?: (event: ConnectEvent) => void;
  /** The profile's method, until wpa_supplicant names the one that ran. */
  method?: string;
  /** Where a successful attempt ends (default 'connected'). */
  until?: 'connected' | 'authenticated';
  /** The unique name that owns org.freedesktop.NetworkManager, read before the attempt. */
  nmOwner: string;
}

/** What the attempt made, as far as connect knows it: clean-up undoes exactly this. */
export interface Made {
  /** The active connection, once NM answered the activation. */
  active?: string;
  /** A volatile connection AddAndActivateConnection2 made, by path once known, and by the UUID connect gave it. */
  volatile?: { path?: string; uuid: string };
  /** An installed connection activated by ActivateConnection (clean-up deactivates it, never deletes it). */
  connection?: string;
}

export class NetworkManagerWatch {
  private readonly codes: ConnectCode[] = [];
  private readonly unsubscribe: (() => void)[] = [];
  private device: Device | undefined;
  private active: string | undefined;
  private readonly early: BusSignal[] = [];
  private wpaPath: string | undefined;
  private wpaOwner: string | undefined;
  private volatile: string | undefined;
  private volatileGone = false;
  private configuring = false;
  /** wpa_supplicant's `completion success`: 802.1X succeeded. */
  private eapSucceeded = false;
  private confirming = false;
  private busLost = false;
  private activeGone = false;
  private deviceOurs = false;
  /** wpa_supplicant's EAP `started`: an authenticator answered with an EAP-Request. */
  private eapStarted = false;
  private method: string | undefined;
  private verdict: Verdict | undefined;
  private readonly waiters: (() => void)[] = [];

  constructor(private readonly bus: SystemBus, private readonly options: WatchOptions) {
    this.method = options.method;
    this.unsubscribe.push(bus.onLost((error) => {
      this.busLost = true;
      this.decide({ kind: 'lost', why: `the connection to the system bus ended during the attempt (${error.message})` });
    }));
  }

  private fromNm = (sender: string): boolean => sender === this.options.nmOwner;
  private fromWpa = (sender: string): boolean => this.wpaOwner !== undefined && sender === this.wpaOwner;
  private fromBus = (sender: string): boolean => sender === BUS_DAEMON;

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
    this.configuring = state === DEVICE_IP_CONFIG;
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
    if (state === ACTIVE_ACTIVATED) this.confirmActivated();
    if (state === ACTIVE_DEACTIVATED) this.decide({ kind: 'failed' });
  }

  /** "Connected" only once the active connection's own State property says ACTIVATED. */
  private confirmActivated(): void {
    if (this.confirming || this.active === undefined) return;
    this.confirming = true;
    this.bus.property(NM, this.active, ACTIVE, 'State').then((state) => {
      this.confirming = false;
      if (Number(state) === ACTIVE_ACTIVATED) this.decide({ kind: 'connected' });
    }, () => { this.confirming = false; });
  }

  /** A service changed hands: NetworkManager restarted or stopped, or wpa_supplicant did. */
  private onOwner(signal: BusSignal): void {
    const [name, before, after] = signal.body.map(String);
    if (name === WPA && !before) {
      this.wpaOwner = after || undefined;
      return;
    }
    const who = name === NM ? 'NetworkManager' : 'wpa_supplicant';
    this.decide({ kind: 'lost', why: `${who} ${after ? 'restarted' : 'stopped'} during the attempt (its name on the system bus changed hands)` });
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
      if (parameter === 'success') this.eapSucceeded = true;
      if (parameter !== 'success') this.decide({ kind: 'failed' });
      else if (this.options.until === 'authenticated') this.decide({ kind: 'authenticated' });
    } else {
      this.emit('authenticating', { code });
    }
  }

  /** Watches `device` from now on: call before activating, so no signal is missed. */
  async begin(device: Device, deadline: Deadline): Promise<void> {
    this.device = device;
    const route = (handler: (signal: BusSignal) => void) => (signal: BusSignal): void => { handler.call(this, signal); this.wake(); };
    // Until AddAndActivateConnection2 answers, the active connection's path is unknown: its
    // signals and the EAP ones that may come as early wait, in order, until it is.
    const later = (handler: (signal: BusSignal) => void) => route((signal) => {
      if (this.active === undefined) this.early.push(signal); else handler.call(this, signal);
    });
    const subscribe = (iface: string, member: string, sender: string, accept: (sender: string) => boolean,
      listener: (signal: BusSignal) => void, arg0?: string): Promise<() => void> =>
      deadline.step(`AddMatch ${member}`, this.bus.subscribe(iface, member, sender, accept, listener, arg0));
    // The owner changes first: a restart between reading the owner and the first match ends the attempt.
    this.unsubscribe.push(await subscribe(BUS_DAEMON, 'NameOwnerChanged', BUS_DAEMON, this.fromBus, route(this.onOwner), NM));
    this.unsubscribe.push(await subscribe(BUS_DAEMON, 'NameOwnerChanged', BUS_DAEMON, this.fromBus, route(this.onOwner), WPA));
    if (this.options.nmOwner !== await deadline.step('GetNameOwner', this.bus.owner(NM).catch(() => ''))) {
      this.decide({ kind: 'lost', why: 'NetworkManager changed hands on the system bus before the attempt began' });
    }
    // wpa_supplicant may not run yet: NetworkManager starts it, and NameOwnerChanged names it then.
    this.wpaOwner = (await deadline.step('GetNameOwner', this.bus.owner(WPA).catch(() => ''))) || this.wpaOwner;
    this.unsubscribe.push(
      await subscribe(DEVICE, 'StateChanged', NM, this.fromNm, route(this.onDevice)),
      await subscribe(ACTIVE, 'StateChanged', NM, this.fromNm, later(this.onActive)),
      await subscribe(WPA, 'InterfaceAdded', WPA, this.fromWpa, route(this.onWpa)),
      await subscribe(WPA_INTERFACE, 'EAP', WPA, this.fromWpa, later(this.onWpa)),
      await subscribe(SETTINGS, 'ConnectionRemoved', NM, this.fromNm, route((signal) => {
        if (signal.body[0] === this.volatile) this.volatileGone = true;
      })),
    );
    if (this.wpaOwner !== undefined) {
      try {
        [this.wpaPath] = await deadline.step('GetInterface', this.bus.call(WPA, WPA_PATH, WPA, 'GetInterface', 's', [device.name])) as string[];
      } catch (error) {
        if (deadline.signal?.aborted || error instanceof Error && error.name === 'DeadlineError') throw error;
        // Not there yet: NM creates it when it activates the device, and InterfaceAdded says so.
      }
    }
  }

  /** `--install`: the profile is being saved into NetworkManager. */
  installing(): void {
    this.emit('installing', { detail: 'saving the connection to NetworkManager' });
  }

  stop(): void {
    for (const off of this.unsubscribe.splice(0)) off();
  }

  noDevice(fits: string[]): ConnectOutcome {
    return {
      connected: false, authenticated: false, category: 'no-authenticator', codes: [], elapsedMs: this.elapsed(), via: 'networkmanager',
      message: `NetworkManager manages no ${fits.join(' or ')} device that could take this profile`,
      nextStep: 'Plug in the cable or turn the Wi-Fi on, or name the interface',
      ...(this.method ? { method: this.method } : {}),
    };
  }

  /** Until the attempt on `made.active` connects (or authenticates, as asked), fails, times out,
   *  is aborted or loses NetworkManager; then, unless connected, undoes what it made. */
  async until(made: Made, deadline: Deadline): Promise<ConnectOutcome> {
    const signal = deadline.signal;
    this.active = made.active;
    this.volatile = made.volatile?.path;
    for (const early of this.early.splice(0)) {
      if (early.interface === ACTIVE) this.onActive(early); else this.onWpa(early);
    }
    const timer = setTimeout(() => this.decide({ kind: 'timeout' }), deadline.remaining());
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
    if (verdict.kind !== 'connected') await this.cleanUp(made);
    this.stop();
    if (verdict.kind === 'aborted') throw verdict.reason;
    return this.outcome(verdict);
  }

  /** An attempt ended before its activation answered (abort, deadline): undo what it may have made. */
  async abandon(made: Made, reason: unknown): Promise<never> {
    this.decide({ kind: 'aborted', reason });
    await this.cleanUp(made);
    this.stop();
    throw reason;
  }

  /**
   * Takes down what the attempt made, within CLEANUP_MS in all (each call raced against it): the
   * active connection deactivated, a volatile connection gone from NM's list (deleted by hand if
   * NM has not forgotten it), found by its UUID when the activation never answered with its path.
   */
  private async cleanUp(made: Made): Promise<void> {
    if (this.busLost) return;
    this.emit('cleaning-up');
    const bound = new Deadline(Date.now(), CLEANUP_MS);
    const quietly = async <T>(what: string, call: () => Promise<T>): Promise<T | undefined> => {
      try {
        return await bound.step(what, call());
      } catch {
        return undefined;
      }
    };
    if (made.volatile && made.volatile.path === undefined) {
      const [path] = (await quietly('GetConnectionByUuid', () => this.bus.call(NM, NM_BUS.settingsPath, SETTINGS, 'GetConnectionByUuid', 's', [made.volatile!.uuid]))) as string[] ?? [];
      if (path === undefined) return;
      this.volatile = path;
      made.volatile.path = path;
    }
    let active = made.active;
    if (active === undefined && (made.volatile?.path ?? made.connection) !== undefined && this.device) {
      // The activation never answered: the device's active connection, if it is ours.
      const current = String(await quietly('ActiveConnection', () => this.bus.property(NM, this.device!.path, DEVICE, 'ActiveConnection')) ?? '/');
      const of = current !== '/' ? String(await quietly('Connection', () => this.bus.property(NM, current, ACTIVE, 'Connection')) ?? '') : '';
      if (of !== '' && of === (made.volatile?.path ?? made.connection)) active = current;
      this.active = active;
    }
    if (active !== undefined && !this.activeGone) {
      const done = await quietly('DeactivateConnection', () => this.bus.call(NM, NM_PATH, NM, 'DeactivateConnection', 'o', [active]));
      // Already gone (NM took it down itself), or no answer in time: nothing to wait for.
      if (done === undefined) this.activeGone = true;
    }
    if (active === undefined) this.activeGone = true;
    await quietly('clean-up', () => this.waitFor(() => this.busLost || (this.activeGone && (this.volatile === undefined || this.volatileGone))));
    if (this.volatile !== undefined && !this.volatileGone) {
      // NM forgets a volatile connection when it goes down; one still there is deleted by hand.
      const volatile = this.volatile;
      await quietly('Delete', () => this.bus.call(NM, volatile, CONNECTION, 'Delete'));
    }
  }

  private outcome(verdict: Exclude<Verdict, { kind: 'aborted' }>): ConnectOutcome {
    const base = { codes: this.codes, elapsedMs: this.elapsed(), interface: this.device?.name, via: 'networkmanager' as const,
      authenticated: this.eapSucceeded, ...(this.method ? { method: this.method } : {}) };
    const kind = verdict.kind;
    if (kind === 'connected') return { ...base, connected: true, category: 'connected', message: categoryWords('connected').message };
    if (kind === 'authenticated') return { ...base, connected: false, category: 'authenticated', message: categoryWords('authenticated').message };
    if (kind === 'lost') return { ...base, connected: false, category: 'interrupted', message: verdict.why,
      nextStep: 'Connect again once NetworkManager is running (systemctl status NetworkManager); what this attempt made goes with NetworkManager\'s restart.' };
    const read = categoryOfCodes(this.codes);
    if (kind === 'timeout') {
      if (this.eapSucceeded && (read === 'unknown' || read === 'no-address') && this.configuring) {
        return { ...base, connected: false, category: 'no-address',
          message: `The network accepted the credentials, but ${this.device?.name} had no address when the time ran out: no DHCP server answered on the network the port put it on.` };
      }
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
