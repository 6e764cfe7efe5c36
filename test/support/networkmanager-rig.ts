import { chmodSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { uninstrumentedEnv } from './child-env';
import { inNamespace, makeWiredLink, WiredLink } from './netns';
import { Daemon, findProgram, makeTempDir, runProgram, startDaemon } from './programs';

/**
 * A real NetworkManager and wpa_supplicant on a private system bus, managing one end of a veth
 * pair in its own network namespace: the other end, in the authenticator's namespace, is for the
 * test's authenticator (`eaphost serve --interface` or hostapd) and a DHCP server (dnsmasq), so
 * an authenticated device goes on to NM's ACTIVATED. Nothing here touches the machine's own NM:
 * the bus is a dbus-daemon of our own (reached by address, DBUS_SYSTEM_BUS_ADDRESS), and NM runs
 * in a mount namespace where /run, /var/lib/NetworkManager and /etc/NetworkManager are empty
 * tmpfs and its configuration, state and keyfiles are in the rig's directory. Needs root.
 *
 * The traps this steps around: without udev, NM leaves every device unmanaged unless sysfs is
 * read-only (its container mode), so NM's mount namespace remounts /sys read-only; NM's udev rules
 * unmanage a veth not named eth*, so the supplicant's end is eth0; and an automatic "Wired
 * connection" would take the device, so no-auto-default=*.
 */
export interface NetworkManagerRig {
  link: WiredLink;
  /** The private system bus's address. */
  busAddress: string;
  /** NM's device (the supplicant's end). */
  ifname: string;
  /** Where NM's keyfile plugin saves connections. */
  keyfileDirectory: string;
  /** The authenticator's end's IPv4 address, where dnsmasq serves DHCP. */
  authenticatorAddress: string;
  /** The DHCP server on the authenticator's end: running from the start; stop it for a network that gives no address. */
  dhcp: { running(): boolean; stop(): Promise<void>; start(): Promise<void> };
  /** Lets users other than root reach the rig's bus (its directory and socket), for a test that plays an unprivileged client. */
  openToEveryone(): void;
  nmLog(): string;
  wpaLog(): string;
  stop(): Promise<void>;
}

const IFNAME = 'eth0';
const AUTHENTICATOR_ADDRESS = '10.231.0.1';

function busConfig(socket: string): string {
  // The rig's own bus: anyone on this machine who can reach the socket (root only, by its
  // directory's mode) may own any name and call anything: NM and wpa_supplicant run as root.
  return `<!DOCTYPE busconfig PUBLIC "-//freedesktop//DTD D-Bus Bus Configuration 1.0//EN"
 "http://www.freedesktop.org/standards/dbus/1.0/busconfig.dtd">
<busconfig>
  <type>system</type>
  <listen>unix:path=${socket}</listen>
  <auth>EXTERNAL</auth>
  <policy context="default">
    <allow user="*"/>
    <allow own="*"/>
    <allow send_type="method_call"/>
    <allow send_type="signal"/>
    <allow send_type="method_return"/>
    <allow send_type="error"/>
    <allow receive_type="method_call"/>
    <allow receive_type="signal"/>
    <allow receive_type="method_return"/>
    <allow receive_type="error"/>
  </policy>
</busconfig>
`;
}

function nmConfig(dir: string): string {
  return ['[main]', 'plugins=keyfile', 'no-auto-default=*', 'dns=none', 'rc-manager=unmanaged', 'hostname-mode=none',
    'auth-polkit=false', 'dhcp=internal', '', '[keyfile]', `path=${join(dir, 'connections')}`, '', '[logging]', 'level=INFO',
    '', '[connectivity]', 'enabled=false',
    // NM's own defaults wait up to 45 s for a DHCP lease and for a router advertisement; the rig's
    // DHCP server answers within a second or is stopped on purpose (the no-address case), and
    // nothing on the link sends an RA, so what has not come in 10 s is not coming.
    '', '[connection]', 'ipv4.dhcp-timeout=10', 'ipv6.ra-timeout=10', 'ipv6.dhcp-timeout=10', ''].join('\n');
}

export async function startNetworkManagerRig(): Promise<NetworkManagerRig> {
  const dir = makeTempDir('nm-rig');
  const daemons: Daemon[] = [];
  const stops: (() => Promise<void>)[] = [];
  const keepDir = { remove: (): void => undefined };
  let link: WiredLink | undefined;
  const stop = async (): Promise<void> => {
    // NM first (it would see wpa_supplicant and the bus go), the bus last; the namespaces take the veth pair with them.
    for (const daemon of daemons.splice(0).reverse()) await daemon.stop();
    for (const other of stops.splice(0)) await other();
    await link?.remove();
    dir.remove();
  };
  try {
    link = await makeWiredLink({ supplicantIfname: IFNAME });
    const socket = join(dir.path, 'system_bus_socket');
    writeFileSync(join(dir.path, 'bus.conf'), busConfig(socket));
    const bus = await startDaemon('dbus-daemon', findProgram(['dbus-daemon'], 'dbus-daemon'),
      ['--config-file', join(dir.path, 'bus.conf'), '--nofork', '--print-address'], 'unix:path=', 10_000, keepDir);
    daemons.push(bus);
    const busAddress = `unix:path=${socket}`;
    const env = { ...uninstrumentedEnv(), DBUS_SYSTEM_BUS_ADDRESS: busAddress };

    const authenticator = link.authenticator;
    const ip = findProgram(['ip'], 'iproute2');
    const addressed = await runProgram(ip, ['-n', authenticator.ns, 'addr', 'add', `${AUTHENTICATOR_ADDRESS}/24`, 'dev', authenticator.ifname]);
    if (addressed.code !== 0) throw new Error(`ip addr add failed: ${addressed.stderr}`);
    const [dnsmasqProgram, dnsmasqArgs] = inNamespace(authenticator.ns, findProgram(['dnsmasq'], 'dnsmasq-base'), [
      '--keep-in-foreground', '--log-facility=-', '--conf-file=/dev/null', '--port=0', '--user=root', `--interface=${authenticator.ifname}`,
      '--bind-interfaces', '--dhcp-range=10.231.0.10,10.231.0.250,1h', `--dhcp-leasefile=${join(dir.path, 'leases')}`,
      `--pid-file=${join(dir.path, 'dnsmasq.pid')}`]);
    let dnsmasq: Daemon | undefined;
    const dhcp = {
      running: (): boolean => dnsmasq !== undefined,
      start: async (): Promise<void> => {
        if (!dnsmasq) dnsmasq = await startDaemon('dnsmasq', dnsmasqProgram, dnsmasqArgs, 'DHCP, IP range', 10_000, keepDir);
      },
      stop: async (): Promise<void> => {
        const running = dnsmasq;
        dnsmasq = undefined;
        await running?.stop();
      },
    };
    await dhcp.start();
    stops.push(dhcp.stop);
    const openToEveryone = (): void => {
      chmodSync(dir.path, 0o711);
      chmodSync(socket, 0o666);
    };

    const nmDir = join(dir.path, 'nm');
    for (const sub of ['conf.d', 'system-conf.d']) mkdirSync(join(nmDir, sub), { recursive: true });
    writeFileSync(join(nmDir, 'NetworkManager.conf'), nmConfig(nmDir));
    // In the mount namespace `ip netns exec` made (its sysfs that namespace's own): read-only sysfs,
    // and empty tmpfs where NM would read or leave state, so it sees nothing of the machine's.
    const script = 'mount -o remount,ro /sys && mount -t tmpfs tmpfs /run && mount -t tmpfs tmpfs /var/lib/NetworkManager && ' +
      'mount -t tmpfs tmpfs /etc/NetworkManager && exec "$@"';
    const [nmProgram, nmArgs] = inNamespace(link.supplicant.ns, '/bin/sh', ['-c', script, 'sh', findProgram(['NetworkManager'], 'network-manager'),
      '--debug', `--config=${join(nmDir, 'NetworkManager.conf')}`, `--config-dir=${join(nmDir, 'conf.d')}`,
      `--system-config-dir=${join(nmDir, 'system-conf.d')}`, `--intern-config=${join(nmDir, 'intern.conf')}`,
      `--state-file=${join(nmDir, 'NetworkManager.state')}`, `--pid-file=${join(nmDir, 'NetworkManager.pid')}`]);
    const nm = await startDaemon('NetworkManager', nmProgram, nmArgs, `device (${IFNAME}): state change: unavailable -> disconnected`,
      30_000, keepDir, env);
    daemons.push(nm);
    // wpa_supplicant in NM's own namespaces (the `ip netns exec` started exec'd into NM, so its pid
    // is NM's): NM hands it certificates as files under its /run, which only that mount namespace has.
    const wpa = await startDaemon('wpa_supplicant (D-Bus)', findProgram(['nsenter'], 'util-linux'),
      ['-t', String(nm.pid), '-m', '-n', findProgram(['wpa_supplicant'], 'wpasupplicant'), '-u', '-d'],
      'Successfully initialized wpa_supplicant', 10_000, keepDir, env);
    daemons.push(wpa);
    return {
      link, busAddress, ifname: IFNAME, keyfileDirectory: join(nmDir, 'connections'), authenticatorAddress: AUTHENTICATOR_ADDRESS,
      dhcp, openToEveryone, nmLog: nm.log, wpaLog: wpa.log, stop,
    };
  } catch (error) {
    await stop();
    throw error;
  }
}
