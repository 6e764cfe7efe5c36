/**
 * Connecting through NetworkManager over D-Bus. A profile not yet installed is tried as a volatile
 * connection (NM forgets it when it goes down, so trying saves nothing), bounded by
 * connection.auth-retries and 802-1x.auth-timeout. The device's state, the active connection's
 * state and wpa_supplicant's EAP signal are watched together; every raw code is kept. A failed or
 * abandoned attempt is taken down before the promise settles: nothing connect made is left behind.
 */
import { randomUUID } from 'crypto';
import { NetworkProfile } from '../network-profile';
import { NmConnectionSettings, NmValue, networkManagerConnections } from '../networkmanager';
import { BusError, NM_BUS, SystemBus, Variant } from './networkmanager-bus';
import { NetworkManagerWatch } from './networkmanager-watch';
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
  readonly code: 'no-networkmanager' | 'no-such-device' | 'no-such-connection' | 'profile-does-not-fit' | 'refused';

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

async function deviceOf(bus: SystemBus, path: string): Promise<Device | undefined> {
  const type = DEVICE_TYPES[Number(await bus.property(NM, path, DEVICE, 'DeviceType'))];
  if (!type) return undefined;
  return { path, type, name: String(await bus.property(NM, path, DEVICE, 'Interface')) };
}

/** The named interface, or the first device NM manages whose type the given ones fit. */
async function chooseDevice(bus: SystemBus, fits: ('ethernet' | 'wifi')[], name?: string): Promise<Device | undefined> {
  if (name !== undefined) {
    let path: string;
    try {
      [path] = await bus.call(NM, NM_PATH, NM, 'GetDeviceByIpIface', 's', [name]) as string[];
    } catch (error) {
      if (error instanceof BusError) throw new NetworkManagerConnectError('no-such-device', `NetworkManager has no interface ${name}`);
      throw error;
    }
    const device = await deviceOf(bus, path);
    if (!device || !fits.includes(device.type)) {
      throw new NetworkManagerConnectError('profile-does-not-fit', `${name} is ${device ? `a${device.type === 'ethernet' ? 'n' : ''} ${device.type}` : 'neither an ethernet nor a Wi-Fi'} interface; the profile has ${fits.join(' and ')} networks only`);
    }
    return device;
  }
  const [paths] = await bus.call(NM, NM_PATH, NM, 'GetDevices') as string[][];
  const devices: Device[] = [];
  for (const path of paths) {
    const device = await deviceOf(bus, path);
    if (device && Number(await bus.property(NM, path, DEVICE, 'State')) >= DEVICE_DISCONNECTED) devices.push(device);
  }
  for (const type of fits) {
    const device = devices.find((candidate) => candidate.type === type);
    if (device) return device;
  }
  return undefined;
}

/** The installed connection with this id (or UUID), and the type its settings give. */
async function findConnection(bus: SystemBus, name: string): Promise<{ path: string; type: 'ethernet' | 'wifi' }> {
  const [paths] = await bus.call(NM, SETTINGS_PATH, SETTINGS, 'ListConnections') as string[][];
  for (const path of paths) {
    const [settings] = await bus.call(NM, path, CONNECTION, 'GetSettings') as unknown[][];
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
async function saveConnection(bus: SystemBus, connection: NmConnectionSettings): Promise<string> {
  const settings = busSettings(connection);
  try {
    const [path] = await bus.call(NM, SETTINGS_PATH, SETTINGS, 'GetConnectionByUuid', 's', [connection.uuid]) as string[];
    await bus.call(NM, path, CONNECTION, 'Update', 'a{sa{sv}}', [settings]);
    return path;
  } catch (error) {
    if (!(error instanceof BusError)) throw error;
  }
  const [path] = await bus.call(NM, SETTINGS_PATH, SETTINGS, 'AddConnection2', 'a{sa{sv}}ua{sv}', [settings, ADD_TO_DISK, []]) as string[];
  return path;
}

function connectionsOf(profile: NetworkProfile): NmConnectionSettings[] {
  return networkManagerConnections(profile, { secrets: true }).connections;
}

export async function connectNetworkManager(request: ConnectRequest): Promise<ConnectOutcome> {
  const started = Date.now();
  request.signal?.throwIfAborted();
  let bus: SystemBus;
  try {
    bus = await SystemBus.open();
  } catch (error) {
    throw new NetworkManagerConnectError('no-networkmanager', (error as Error).message);
  }
  try {
    const candidates = request.profile ? connectionsOf(request.profile) : [];
    const named = request.name !== undefined ? await findConnection(bus, request.name) : undefined;
    const asked = request.network === undefined ? undefined : request.network === 'wifi' ? 'wifi' : 'ethernet';
    const fits = named ? [named.type] : [...new Set(candidates.map((connection) => connection.type))]
      .filter((type) => asked === undefined || type === asked);
    const device = await chooseDevice(bus, fits, request.interface);
    const watch = new NetworkManagerWatch(bus, { started, onEvent: request.onEvent, method: request.profile?.eap[0]?.method });
    if (!device) {
      return watch.noDevice(fits);
    }
    await watch.begin(device);
    const connection = candidates.find((candidate) => candidate.type === device.type);
    let active: string;
    try {
      if (named) {
        [active] = await bus.call(NM, NM_PATH, NM, 'ActivateConnection', 'ooo', [named.path, device.path, '/']) as string[];
      } else if (connection && request.install) {
        watch.installing();
        const path = await saveConnection(bus, connection);
        [active] = await bus.call(NM, NM_PATH, NM, 'ActivateConnection', 'ooo', [path, device.path, '/']) as string[];
      } else if (connection) {
        const seconds = Math.max(1, Math.floor(request.timeoutMs / 1000 / (AUTH_RETRIES + 1)));
        const settings = busSettings(connection, {
          // A UUID of its own: the profile's, already installed, would make NM refuse the new one.
          connection: [['uuid', { kind: 'string', value: randomUUID() }], ['auth-retries', { kind: 'int', value: AUTH_RETRIES }]],
          '802-1x': [['auth-timeout', { kind: 'int', value: seconds }]],
        });
        const reply = await bus.call(NM, NM_PATH, NM, 'AddAndActivateConnection2', 'a{sa{sv}}ooa{sv}',
          [settings, device.path, '/', [['persist', ['s', 'volatile']]]]) as string[];
        active = reply[1];
        watch.madeVolatile(reply[0]);
      } else {
        throw new NetworkManagerConnectError('profile-does-not-fit', 'the profile has no network for that interface');
      }
    } catch (error) {
      watch.stop();
      // NM's refusal of the settings or of the activation, in its own words (e.g. "802-1x.identity: property is missing").
      if (error instanceof BusError) throw new NetworkManagerConnectError('refused', `NetworkManager refused the connection: ${error.message}`);
      throw error;
    }
    return await watch.until(active, request.timeoutMs, request.signal);
  } catch (error) {
    if (error instanceof BusError && error.dbusName === 'org.freedesktop.DBus.Error.ServiceUnknown') {
      throw new NetworkManagerConnectError('no-networkmanager', `NetworkManager is not running on the system bus (${error.message})`);
    }
    throw error;
  } finally {
    bus.close();
  }
}
