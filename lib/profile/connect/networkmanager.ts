/**
 * Connecting through NetworkManager over D-Bus. A profile not yet installed is tried as a volatile
 * connection (NM forgets it when it goes down, so trying saves nothing), bounded by
 * connection.auth-retries and 802-1x.auth-timeout. The device's state, the active connection's
 * state and wpa_supplicant's EAP signal are watched together; every raw code is kept. A failed or
 * abandoned attempt is taken down before the promise settles: nothing connect made is left behind.
 * One deadline (the request's timeout, from the start) bounds every step, from reaching the bus to
 * the last signal, and an abort is seen at each of them; the clean-up has a bound of its own.
 */
import { randomUUID } from 'crypto';
import { NetworkProfile } from '../network-profile';
import { NmConnectionSettings, NmValue, networkManagerConnections } from '../networkmanager';
import { Deadline, DeadlineError } from './deadline';
import { BusError, DISCONNECTED, NM_BUS, SystemBus, Variant } from './networkmanager-bus';
import { Made, NetworkManagerWatch } from './networkmanager-watch';
import type { ConnectOutcome, ConnectRequest } from './outcome';

const { service: NM, path: NM_PATH, settingsPath: SETTINGS_PATH, settings: SETTINGS, connection: CONNECTION, device: DEVICE } = NM_BUS;
/** NMDeviceType: a veth (20) is an ethernet device to NM, and takes ethernet connections. */
const DEVICE_TYPES: Record<number, 'ethernet' | 'wifi'> = { 1: 'ethernet', 2: 'wifi', 20: 'ethernet' };
/** NMDeviceState: below DISCONNECTED a device cannot take a connection. */
const DEVICE_DISCONNECTED = 30;
/** NMSettingsAddConnection2Flags TO_DISK. */
const ADD_TO_DISK = 0x1;
/** connection.auth-retries: one retry, then NM fails the connection instead of asking again. */
const AUTH_RETRIES = 1;

/** A request NetworkManager cannot even start: no such interface, no such connection, no NM. */
export class NetworkManagerConnectError extends Error {
  readonly code: 'no-networkmanager' | 'no-such-device' | 'no-such-connection' | 'profile-does-not-fit' | 'refused' | 'bus-lost';

  constructor(code: NetworkManagerConnectError['code'], message: string) {
    super(message);
    this.name = 'NetworkManagerConnectError';
    this.code = code;
  }
}

interface Device { path: string; name: string; type: 'ethernet' | 'wifi' }

function variant(entry: NmValue): Variant {
  switch (entry.kind) {
    case 'string': return ['s', entry.value];
    case 'list': return ['as', entry.value];
    case 'int': return ['i', entry.value];
    case 'uint': return ['u', entry.value];
    case 'ssid': case 'blob': return ['ay', entry.value];
  }
}

/** The settings as a{sa{sv}}, with `extra` entries added to (or replacing) their settings' own. */
function busSettings(connection: NmConnectionSettings, extra: Record<string, [string, NmValue][]> = {}): unknown[] {
  return connection.settings.map(([setting, entries]) => {
    const added = extra[setting] ?? [];
    const kept = entries.filter(([key]) => !added.some(([other]) => other === key));
    return [setting, [...kept, ...added].map(([key, entry]) => [key, variant(entry)])];
  });
}

async function deviceOf(bus: SystemBus, path: string, deadline: Deadline): Promise<Device | undefined> {
  const type = DEVICE_TYPES[Number(await deadline.step('DeviceType', bus.property(NM, path, DEVICE, 'DeviceType')))];
  if (!type) return undefined;
  return { path, type, name: String(await deadline.step('Interface', bus.property(NM, path, DEVICE, 'Interface'))) };
}

/** The named interface, or the first device NM manages whose type the given ones fit. */
async function chooseDevice(bus: SystemBus, fits: ('ethernet' | 'wifi')[], deadline: Deadline, name?: string): Promise<Device | undefined> {
  if (name !== undefined) {
    let path: string;
    try {
      [path] = await deadline.step('GetDeviceByIpIface', bus.call(NM, NM_PATH, NM, 'GetDeviceByIpIface', 's', [name])) as string[];
    } catch (error) {
      if (error instanceof BusError && error.dbusName !== DISCONNECTED) {
        throw new NetworkManagerConnectError('no-such-device', `NetworkManager has no interface ${JSON.stringify(name)}`);
      }
      throw error;
    }
    const device = await deviceOf(bus, path, deadline);
    if (!device || !fits.includes(device.type)) {
      throw new NetworkManagerConnectError('profile-does-not-fit', `${name} is ${device ? `a${device.type === 'ethernet' ? 'n' : ''} ${device.type}` : 'neither an ethernet nor a Wi-Fi'} interface; the profile has ${fits.join(' and ')} networks only`);
    }
    return device;
  }
  const [paths] = await deadline.step('GetDevices', bus.call(NM, NM_PATH, NM, 'GetDevices')) as string[][];
  const devices: Device[] = [];
  for (const path of paths) {
    const device = await deviceOf(bus, path, deadline);
    if (device && Number(await deadline.step('State', bus.property(NM, path, DEVICE, 'State'))) >= DEVICE_DISCONNECTED) devices.push(device);
  }
  for (const type of fits) {
    const device = devices.find((candidate) => candidate.type === type);
    if (device) return device;
  }
  return undefined;
}

/** The installed connection with this id (or UUID), and the type its settings give. */
async function findConnection(bus: SystemBus, name: string, deadline: Deadline): Promise<{ path: string; type: 'ethernet' | 'wifi' }> {
  const [paths] = await deadline.step('ListConnections', bus.call(NM, SETTINGS_PATH, SETTINGS, 'ListConnections')) as string[][];
  for (const path of paths) {
    const [settings] = await deadline.step('GetSettings', bus.call(NM, path, CONNECTION, 'GetSettings')) as unknown[][];
    const connection = (settings as [string, [string, unknown][]][]).find(([setting]) => setting === 'connection');
    const read = Object.fromEntries((connection?.[1] ?? []).map(([key, value]) => [key, (value as unknown[][])[1]?.[0]]));
    if (read.id === name || read.uuid === name) {
      const type = read.type === '802-11-wireless' ? 'wifi' : read.type === '802-3-ethernet' ? 'ethernet' : undefined;
      if (type) return { path, type };
    }
  }
  throw new NetworkManagerConnectError('no-such-connection', `NetworkManager has no ethernet or Wi-Fi connection named ${name}`);
}

/** Saves the connection for good (replacing one of the same UUID) and returns its path. */
async function saveConnection(bus: SystemBus, connection: NmConnectionSettings, deadline: Deadline): Promise<string> {
  const settings = busSettings(connection);
  try {
    const [path] = await deadline.step('GetConnectionByUuid', bus.call(NM, SETTINGS_PATH, SETTINGS, 'GetConnectionByUuid', 's', [connection.uuid])) as string[];
    await deadline.step('Update', bus.call(NM, path, CONNECTION, 'Update', 'a{sa{sv}}', [settings]));
    return path;
  } catch (error) {
    if (!(error instanceof BusError) || error.dbusName === DISCONNECTED) throw error;
  }
  const [path] = await deadline.step('AddConnection2',
    bus.call(NM, SETTINGS_PATH, SETTINGS, 'AddConnection2', 'a{sa{sv}}ua{sv}', [settings, ADD_TO_DISK, []])) as string[];
  return path;
}

function connectionsOf(profile: NetworkProfile): NmConnectionSettings[] {
  return networkManagerConnections(profile, { secrets: true }).connections;
}

/** The outcome when the time ran out before the attempt could even be watched: NM did not answer `what`. */
function notAnswered(started: number, what: string, request: ConnectRequest): ConnectOutcome {
  return {
    connected: false, authenticated: false, category: 'timeout', codes: [], elapsedMs: Date.now() - started, via: 'networkmanager',
    ...(request.interface !== undefined ? { interface: request.interface } : {}),
    ...(request.profile?.eap[0]?.method ? { method: request.profile.eap[0].method } : {}),
    message: `the system bus or NetworkManager did not answer (${what}) before the time ran out; nothing was activated`,
    nextStep: 'Check that NetworkManager runs and answers (nmcli general status), then connect again.',
  };
}

export async function connectNetworkManager(request: ConnectRequest): Promise<ConnectOutcome> {
  const started = Date.now();
  const deadline = new Deadline(started, request.timeoutMs, request.signal);
  deadline.check('the start');
  let bus: SystemBus;
  try {
    bus = await deadline.step('reaching the system bus', SystemBus.open(undefined, deadline.expired()));
  } catch (error) {
    if (error instanceof DeadlineError || (deadline.remaining() === 0 && !request.signal?.aborted)) {
      return notAnswered(started, 'reaching the system bus', request);
    }
    if (request.signal?.aborted) throw error;
    throw new NetworkManagerConnectError('no-networkmanager', (error as Error).message);
  }
  try {
    const nmOwner = await deadline.step('GetNameOwner', bus.owner(NM));
    const candidates = request.profile ? connectionsOf(request.profile) : [];
    const named = request.name !== undefined ? await findConnection(bus, request.name, deadline) : undefined;
    const asked = request.network === undefined ? undefined : request.network === 'wifi' ? 'wifi' : 'ethernet';
    const fits = named ? [named.type] : [...new Set(candidates.map((connection) => connection.type))]
      .filter((type) => asked === undefined || type === asked);
    const device = await chooseDevice(bus, fits, deadline, request.interface);
    const watch = new NetworkManagerWatch(bus, { started, onEvent: request.onEvent, method: request.profile?.eap[0]?.method,
      until: request.until, nmOwner });
    if (!device) {
      watch.stop();
      return watch.noDevice(fits);
    }
    try {
      await watch.begin(device, deadline);
    } catch (error) {
      watch.stop();
      throw error;
    }
    const connection = candidates.find((candidate) => candidate.type === device.type);
    const made: Made = {};
    let activation: Promise<unknown[]>;
    if (named) {
      made.connection = named.path;
      activation = bus.call(NM, NM_PATH, NM, 'ActivateConnection', 'ooo', [named.path, device.path, '/']);
    } else if (connection && request.install) {
      watch.installing();
      const path = await saveConnection(bus, connection, deadline).catch((error: unknown) => { watch.stop(); throw error; });
      made.connection = path;
      activation = bus.call(NM, NM_PATH, NM, 'ActivateConnection', 'ooo', [path, device.path, '/']);
    } else if (connection) {
      const seconds = Math.max(1, Math.floor(request.timeoutMs / 1000 / (AUTH_RETRIES + 1)));
      // A UUID of its own: the profile's, already installed, would make NM refuse the new one.
      const uuid = randomUUID();
      made.volatile = { uuid };
      const settings = busSettings(connection, {
        connection: [['uuid', { kind: 'string', value: uuid }], ['auth-retries', { kind: 'int', value: AUTH_RETRIES }]],
        '802-1x': [['auth-timeout', { kind: 'int', value: seconds }]],
      });
      activation = bus.call(NM, NM_PATH, NM, 'AddAndActivateConnection2', 'a{sa{sv}}ooa{sv}',
        [settings, device.path, '/', [['persist', ['s', 'volatile']]]]);
    } else {
      watch.stop();
      throw new NetworkManagerConnectError('profile-does-not-fit', 'the profile has no network for that interface');
    }
    try {
      const reply = await deadline.step('the activation', activation) as string[];
      if (made.volatile) {
        made.volatile.path = reply[0];
        made.active = reply[1];
      } else {
        made.active = reply[0];
      }
    } catch (error) {
      if (error instanceof DeadlineError || request.signal?.aborted) {
        // Abandoned while NM was activating: whatever it made is found and taken down before settling.
        const reason = error instanceof DeadlineError ? error : request.signal?.reason;
        try {
          await watch.abandon(made, reason);
        } catch {
          // abandon() rethrows the reason; the outcome below says it.
        }
        if (error instanceof DeadlineError) return notAnswered(started, error.what, request);
        throw reason;
      }
      watch.stop();
      if (error instanceof BusError && error.dbusName === DISCONNECTED) {
        throw new NetworkManagerConnectError('bus-lost', `the connection to the system bus ended while NetworkManager was activating (${error.message}): ` +
          'what it may have brought up could not be taken down from here');
      }
      // NM's refusal of the settings or of the activation, in its own words (e.g. "802-1x.identity: property is missing").
      if (error instanceof BusError && error.dbusName !== DISCONNECTED) {
        throw new NetworkManagerConnectError('refused', `NetworkManager refused the connection: ${error.message}`);
      }
      throw error;
    }
    return await watch.until(made, deadline);
  } catch (error) {
    if (error instanceof DeadlineError) return notAnswered(started, error.what, request);
    if (error instanceof BusError && error.dbusName === 'org.freedesktop.DBus.Error.ServiceUnknown') {
      throw new NetworkManagerConnectError('no-networkmanager', `NetworkManager is not running on the system bus (${error.message})`);
    }
    if (error instanceof BusError && error.dbusName === 'org.freedesktop.DBus.Error.NameHasNoOwner') {
      throw new NetworkManagerConnectError('no-networkmanager', `NetworkManager is not running on the system bus (${error.message})`);
    }
    if (error instanceof BusError && error.dbusName === DISCONNECTED) {
      throw new NetworkManagerConnectError('bus-lost', `the connection to the system bus ended before the attempt began: ${error.message}; nothing was activated`);
    }
    throw error;
  } finally {
    bus.close();
  }
}
