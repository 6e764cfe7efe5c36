/**
 * A hostile bus client, run by test/linux/connect-networkmanager.test.ts as an unprivileged user
 * (nobody) on the rig's private system bus: it broadcasts what a NetworkManager and a
 * wpa_supplicant would say at the end of an attempt (an active connection ACTIVATED, a device
 * ACTIVATED, an EAP `completion failure`, NetworkManager's name changing hands) on every path such
 * an attempt could have, and sends the same to every other client directly (a unicast signal no
 * match rule governs), every 20 ms until killed. It prints one line once it has sent a round, with
 * its uid, so the test knows it runs and as whom.
 */
import * as dbusNative from '@homebridge/dbus-native';

interface RawBus {
  name?: string;
  serial: number;
  connection: { message(message: object): void; on(event: string, listener: (arg: never) => void): void };
  invoke(message: object, callback: (error: unknown, ...body: unknown[]) => void): void;
}

const SIGNAL = 4;
const address = process.env.DBUS_SYSTEM_BUS_ADDRESS;
if (!address) throw new Error('DBUS_SYSTEM_BUS_ADDRESS is not set');
const bus = (dbusNative as unknown as { createClient(options: { busAddress: string }): RawBus }).createClient({ busAddress: address });
bus.connection.on('error', (error: Error) => {
  process.stderr.write(`forger: ${error.message}\n`);
  process.exit(1);
});

function forge(destination: string | undefined): void {
  const send = (path: string, iface: string, member: string, signature: string, body: unknown[]): void => {
    bus.connection.message({ type: SIGNAL, serial: bus.serial++, path, interface: iface, member, signature, body, ...(destination ? { destination } : {}) });
  };
  for (let n = 0; n < 64; n++) {
    send(`/org/freedesktop/NetworkManager/ActiveConnection/${n}`, 'org.freedesktop.NetworkManager.Connection.Active', 'StateChanged',
      'uu', [2, 0]);
    send(`/fi/w1/wpa_supplicant1/Interfaces/${n}`, 'fi.w1.wpa_supplicant1.Interface', 'EAP', 'ss', ['completion', 'failure']);
  }
  for (let n = 0; n < 16; n++) {
    send(`/org/freedesktop/NetworkManager/Devices/${n}`, 'org.freedesktop.NetworkManager.Device', 'StateChanged', 'uuu', [100, 70, 0]);
  }
  send('/org/freedesktop/DBus', 'org.freedesktop.DBus', 'NameOwnerChanged', 'sss',
    ['org.freedesktop.NetworkManager', ':1.1', ':1.9999']);
}

let rounds = 0;
const round = (): void => {
  bus.invoke({ destination: 'org.freedesktop.DBus', path: '/org/freedesktop/DBus', interface: 'org.freedesktop.DBus', member: 'ListNames' },
    (error, names) => {
      forge(undefined);
      if (!error && Array.isArray(names)) {
        for (const name of names as string[]) if (name.startsWith(':') && name !== bus.name) forge(name);
      }
      if (++rounds === 1) process.stdout.write(`forging as uid ${process.getuid?.()}\n`);
      setTimeout(round, 20);
    });
};
round();
