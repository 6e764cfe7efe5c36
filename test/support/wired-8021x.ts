import { strict as assert } from 'node:assert';
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { uninstrumentedEnv } from './child-env';
import { inNamespace, WiredLink } from './netns';
import { Daemon, findProgram, makeTempDir, quoteConfigString, runProgram, startDaemon, stopChild } from './programs';

/**
 * The reference 802.1X peers on a wired link: hostapd driver=wired as the authenticator (its own
 * EAP server, or a RADIUS server behind it) and wpa_supplicant -Dwired as the supplicant, each in
 * a network namespace; and our own authenticator port there (`eaphost serve --interface`).
 */
export interface WiredUser {
  identity: string;
  password: string;
  /** hostapd's method names, the first proposed. */
  methods: ('MD5' | 'MSCHAPV2' | 'PEAP' | 'TLS' | 'TTLS')[];
  /** The phase 2 methods inside PEAP / TTLS. */
  phase2?: ('MSCHAPV2' | 'TTLS-MSCHAPV2')[];
}

export interface WiredHostapdOptions {
  ns: string;
  ifname: string;
  /** The integrated EAP server's users and certificates, or */
  users?: WiredUser[];
  certificates?: { ca: string; serverCert: string; serverKey: string };
  /** a RADIUS server (reachable from the namespace) that authenticates instead. */
  radius?: { host: string; port: number; secret: string };
  /** Further hostapd.conf lines (a Dynamic Authorization Server, a control interface, …). */
  extraConfig?: string[];
}

/** hostapd driver=wired with -d -K: its log holds the MSK it derived or received, an oracle for ours. */
export async function startWiredHostapd(options: WiredHostapdOptions): Promise<Daemon> {
  const dir = makeTempDir('hostapd-wired');
  const config = [
    `interface=${options.ifname}`, 'driver=wired', 'ieee8021x=1', 'eapol_version=2', 'logger_stdout=-1',
    'logger_stdout_level=0', 'use_pae_group_addr=1',
  ];
  if (options.users) {
    const usersFile = join(dir.path, 'eap_users');
    writeFileSync(usersFile, options.users.map((user) =>
      `${quoteConfigString(user.identity)} ${user.methods.join(',')} ${quoteConfigString(user.password)}\n` +
      (user.phase2 ? `${quoteConfigString(user.identity)} ${user.phase2.join(',')} ${quoteConfigString(user.password)} [2]\n` : ''))
      .join(''));
    config.push('eap_server=1', `eap_user_file=${usersFile}`);
    if (options.certificates) {
      config.push(`ca_cert=${options.certificates.ca}`, `server_cert=${options.certificates.serverCert}`,
        `private_key=${options.certificates.serverKey}`);
    }
  } else if (options.radius) {
    config.push('eap_server=0', 'own_ip_addr=127.0.0.1', 'nas_identifier=eaphost-wired', `auth_server_addr=${options.radius.host}`,
      `auth_server_port=${options.radius.port}`, `auth_server_shared_secret=${options.radius.secret}`);
  }
  config.push(...(options.extraConfig ?? []));
  const configFile = join(dir.path, 'hostapd.conf');
  writeFileSync(configFile, config.join('\n') + '\n');
  const [program, args] = inNamespace(options.ns, findProgram(['hostapd'], 'hostapd'), ['-d', '-K', configFile]);
  return startDaemon('hostapd (wired)', program, args, 'AP-ENABLED', 10_000, dir);
}

/** hostapd's view of `station` (its control interface's STA command at `control`), as key=value pairs; null when it has none. */
export async function hostapdStation(control: string, ifname: string, station: string): Promise<Record<string, string> | null> {
  const run = await runProgram(findProgram(['hostapd_cli'], 'hostapd'), ['-p', control, '-i', ifname, 'sta', station], { timeoutMs: 10_000 });
  if (run.stdout.trim() === '' || /^FAIL/m.test(run.stdout)) return null;
  return Object.fromEntries(run.stdout.split('\n').filter((line) => line.includes('='))
    .map((line) => [line.slice(0, line.indexOf('=')), line.slice(line.indexOf('=') + 1)]));
}

/** The keys hostapd printed for `what` with -K, as hostapd -d prints a hex dump ("… - hexdump(len=64): 40 9f …"). */
export function hostapdKeyDumps(log: string, label: string): Buffer[] {
  const dumps: Buffer[] = [];
  const escaped = label.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const pattern = new RegExp(`${escaped} - hexdump\\(len=(\\d+)\\):((?: [0-9a-f]{2})*)\\s*$`, 'gm');
  for (const match of log.matchAll(pattern)) {
    const bytes = Buffer.from(match[2].replace(/\s+/g, ''), 'hex');
    if (bytes.length === Number(match[1])) dumps.push(bytes);
  }
  return dumps;
}

export interface WpaSupplicantRun {
  outcome: 'success' | 'failure' | 'timeout';
  log: string;
}

/**
 * wpa_supplicant -Dwired on `ifname` in `ns` with one network block, until it reports
 * CTRL-EVENT-EAP-SUCCESS or -FAILURE (or `timeoutMs` passes); then it is stopped. With `debug`
 * it runs with -d, so that a run that heard nothing shows which EAPOL frames it sent and received.
 */
export async function runWpaSupplicant(ns: string, ifname: string, network: string[], timeoutMs = 20_000,
  { debug = false }: { debug?: boolean } = {}): Promise<WpaSupplicantRun> {
  const dir = makeTempDir('wpa');
  const configFile = join(dir.path, 'wpa.conf');
  writeFileSync(configFile, [`ctrl_interface=${join(dir.path, 'ctl')}`, 'ap_scan=0', 'network={', 'key_mgmt=IEEE8021X',
    'eapol_flags=0', ...network, '}', ''].join('\n'));
  const [program, args] = inNamespace(ns, findProgram(['wpa_supplicant'], 'wpasupplicant'), ['-Dwired', `-i${ifname}`, '-c', configFile, ...(debug ? ['-d'] : [])]);
  const child = spawn(program, args, { env: uninstrumentedEnv(), stdio: ['ignore', 'pipe', 'pipe'] });
  const exited = new Promise<void>((done) => child.on('exit', () => done()));
  let log = '';
  const outcome = await new Promise<WpaSupplicantRun['outcome']>((resolve) => {
    const timer = setTimeout(() => resolve('timeout'), timeoutMs);
    const onData = (chunk: Buffer): void => {
      log += chunk;
      const seen = /CTRL-EVENT-EAP-(SUCCESS|FAILURE)/.exec(log);
      if (seen) {
        clearTimeout(timer);
        resolve(seen[1] === 'SUCCESS' ? 'success' : 'failure');
      }
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    child.on('exit', () => { clearTimeout(timer); resolve('timeout'); });
  });
  await stopChild(child, exited);
  dir.remove();
  return { outcome, log };
}

/**
 * wpa_supplicant -Dwired on `ifname` in `ns` with one network block and a control interface at
 * `control`, left running once it prints `readyLine` (by default once it reports
 * CTRL-EVENT-EAP-SUCCESS), for wpa_cli and later events.
 */
export async function startWiredSupplicant(ns: string, ifname: string, control: string, network: string[],
  readyLine = 'CTRL-EVENT-EAP-SUCCESS'): Promise<Daemon> {
  const dir = makeTempDir('wpa-daemon');
  const config = join(dir.path, 'wpa.conf');
  writeFileSync(config, [`ctrl_interface=${control}`, 'ap_scan=0', 'network={', 'key_mgmt=IEEE8021X', 'eapol_flags=0',
    ...network, '}', ''].join('\n'));
  const [program, args] = inNamespace(ns, findProgram(['wpa_supplicant'], 'wpasupplicant'), ['-Dwired', `-i${ifname}`, '-c', config]);
  return startDaemon('wpa_supplicant (wired)', program, args, readyLine, 20_000, dir);
}

/** EAP-MD5 as wpa_supplicant's network block says it. */
export function md5Network(user: { identity: string; password: string }): string[] {
  return ['eap=MD5', `identity=${quoteConfigString(user.identity)}`, `password=${quoteConfigString(user.password)}`];
}

const MAIN = resolve(__dirname, '..', '..', 'lib', 'cli', 'main.js');

export interface PortEvent {
  event: string;
  supplicant?: string;
  identity?: string;
  method?: number;
  vlan?: string;
  sessionTimeout?: number;
  filterId?: string;
  address?: string;
  reason?: string;
  /** The port's Acct-Session-Id for the conversation. */
  sessionId?: string;
  /** The listening event's: where --metrics serves. */
  metrics?: string;
}

/** `eaphost serve --interface … --json` in the authenticator's namespace. */
export async function servePort(link: WiredLink, args: string[]): Promise<Daemon & { events(): PortEvent[] }> {
  const [program, argv] = inNamespace(link.authenticator.ns, process.execPath,
    [MAIN, 'serve', '--interface', link.authenticator.ifname, '--json', '--quiet-period', '1000', ...args]);
  const dir = makeTempDir('eapol-serve');
  const daemon = await startDaemon('eaphost serve --interface', program, argv, '"event":"listening"', 15_000, dir, process.env);
  return {
    ...daemon,
    events: () => daemon.log().split('\n').filter((line) => line.startsWith('{')).map((line) => JSON.parse(line) as PortEvent),
  };
}

/** The eaphost CLI run once in namespace `ns` (a peer of the port, on its side of the link). */
export async function eaphostIn(ns: string, args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const [program, argv] = inNamespace(ns, process.execPath, [MAIN, ...args]);
  return runProgram(program, argv, { timeoutMs: 20_000 });
}

export function someone(): { identity: string; password: string } {
  return { identity: `user-${randomBytes(4).toString('hex')}`, password: randomBytes(9).toString('base64') };
}

/** Waits until `events()` holds one matching `match` (the event line follows the supplicant's success by a moment). */
export async function eventFor(port: { events(): PortEvent[] }, match: (event: PortEvent) => boolean): Promise<PortEvent> {
  for (let waited = 0; waited < 5000; waited += 50) {
    const found = port.events().find(match);
    if (found) return found;
    await new Promise((done) => setTimeout(done, 50));
  }
  assert.fail(`no such event in ${JSON.stringify(port.events())}`);
}
