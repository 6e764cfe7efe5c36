import { randomBytes } from 'node:crypto';
import { findProgram, runProgram } from './programs';

/**
 * Two network namespaces joined by a veth pair, made for one test and removed after it: the
 * supplicant's end in `supplicant`, the authenticator's in `authenticator`. Needs root (CI runs
 * as root); a machine where they cannot be made fails the test, it does not skip it.
 */
export interface WiredLink {
  supplicant: { ns: string; ifname: string };
  authenticator: { ns: string; ifname: string };
  /** Another station on the supplicant's side of the same link: a macvlan over its interface,
   *  with its own MAC address, in the same namespace. Private mode: the stations do not hear each
   *  other (wpa_supplicant -Dwired sends to the PAE group, and takes a neighbour's frames as its own
   *  authenticator's), as supplicants on separate switch ports would not. */
  addStation(): Promise<{ ifname: string; mac: string }>;
  /** Gives the supplicant's interface a new MAC address (a new station to the authenticator). */
  newSupplicantAddress(): Promise<string>;
  /** Gives the authenticator's interface a new MAC address, known before anything listens on it. */
  newAuthenticatorAddress(): Promise<string>;
  remove(): Promise<void>;
}

async function ip(...args: string[]): Promise<void> {
  const run = await runProgram(findProgram(['ip'], 'iproute2'), args, { timeoutMs: 10_000 });
  if (run.code !== 0) throw new Error(`ip ${args.join(' ')} failed (${run.code}): ${run.stderr.trim()}`);
}

/** A locally administered unicast MAC address. */
export function randomMac(): string {
  const bytes = randomBytes(6);
  bytes[0] = (bytes[0] & 0xfc) | 0x02;
  return [...bytes].map((byte) => byte.toString(16).padStart(2, '0')).join(':');
}

/** `supplicantIfname`: the supplicant's end by another name (its namespace is its own, so any name is free). */
export async function makeWiredLink({ supplicantIfname }: { supplicantIfname?: string } = {}): Promise<WiredLink> {
  const tag = randomBytes(4).toString('hex');
  const supplicant = { ns: `eaphost-s-${tag}`, ifname: supplicantIfname ?? `s${tag}` };
  const authenticator = { ns: `eaphost-a-${tag}`, ifname: `a${tag}` };
  const made: string[] = [];
  const remove = async (): Promise<void> => {
    // Deleting a namespace deletes the interfaces in it, the veth pair included.
    for (const ns of made.splice(0)) await ip('netns', 'delete', ns).catch(() => undefined);
  };
  try {
    for (const ns of [supplicant.ns, authenticator.ns]) {
      await ip('netns', 'add', ns);
      made.push(ns);
      await ip('-n', ns, 'link', 'set', 'lo', 'up');
    }
    await ip('-n', supplicant.ns, 'link', 'add', supplicant.ifname, 'type', 'veth', 'peer', 'name', authenticator.ifname,
      'netns', authenticator.ns);
    await ip('-n', supplicant.ns, 'link', 'set', supplicant.ifname, 'up');
    await ip('-n', authenticator.ns, 'link', 'set', authenticator.ifname, 'up');
  } catch (error) {
    await remove();
    throw error;
  }
  let stations = 0;
  const setAddress = async (end: { ns: string; ifname: string }): Promise<string> => {
    const mac = randomMac();
    await ip('-n', end.ns, 'link', 'set', end.ifname, 'address', mac);
    return mac;
  };
  return {
    supplicant, authenticator, remove,
    async addStation(): Promise<{ ifname: string; mac: string }> {
      const ifname = `m${stations++}${tag}`;
      const mac = randomMac();
      await ip('-n', supplicant.ns, 'link', 'add', ifname, 'link', supplicant.ifname, 'address', mac, 'type', 'macvlan',
        'mode', 'private');
      await ip('-n', supplicant.ns, 'link', 'set', ifname, 'up');
      return { ifname, mac };
    },
    newSupplicantAddress: () => setAddress(supplicant),
    newAuthenticatorAddress: () => setAddress(authenticator),
  };
}

/** `program args` inside namespace `ns`, as a command line for spawn: ip netns exec execs the program itself. */
export function inNamespace(ns: string, program: string, args: string[]): [string, string[]] {
  return [findProgram(['ip'], 'iproute2'), ['netns', 'exec', ns, program, ...args]];
}
