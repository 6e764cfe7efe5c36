/**
 * `serve --policy FILE` and `--mab FILE`: what an Access-Accept carries, from a JSON policy
 * (first match wins; schema/serve-policy.schema.json describes it), and the MAB allow-list (one
 * MAC a line in any usual spelling, optionally followed by whitespace and a VLAN). Both are
 * checked when serve starts: a bad file is a usage error naming the file, the line or the rule
 * and key.
 */
import { readFileSync, statSync } from 'node:fs';
import type { MabAllowList, RadiusPolicy } from '../../../radius';
import { checkPolicy, macDigits } from '../../../radius/policy';
import { stringFlag } from '../../command-line';
import { FlagValues, UsageError } from '../../main';

const MAX_POLICY_FILE = 1024 * 1024;
const MAX_MAB_FILE = 64 * 1024 * 1024;

function readText(flag: string, file: string, max: number): string {
  try {
    if (statSync(file).size > max) throw new UsageError(`--${flag} ${file}: over ${max} bytes`);
    return readFileSync(file, 'utf8');
  } catch (error) {
    if (error instanceof UsageError) throw error;
    throw new UsageError(`--${flag} ${file}: cannot read it (${(error as NodeJS.ErrnoException).code ?? 'error'})`);
  }
}

/** --mab FILE: "MAC [VLAN]" a line; blank lines and # comments skipped. */
export function mabFile(file: string, text: string): MabAllowList {
  const devices: { mac: string; vlan?: string }[] = [];
  text.split(/\r?\n/).forEach((raw, i) => {
    const line = raw.replace(/#.*$/, '').trim();
    if (line === '') return;
    const [mac, vlan, extra] = line.split(/\s+/);
    if (macDigits(mac) === undefined || extra !== undefined) {
      throw new UsageError(`--mab ${file} line ${i + 1}: expected "MAC [VLAN]" (aa:bb:cc:dd:ee:ff, AA-BB-CC-DD-EE-FF, aabb.ccdd.eeff, aabbccddeeff)`);
    }
    devices.push({ mac, ...(vlan !== undefined ? { vlan } : {}) });
  });
  return { devices };
}

/** The policy and allow-list serve was given, checked; neither: both undefined. */
export function policyFlags(values: FlagValues): { policy?: RadiusPolicy; mab?: MabAllowList } {
  const policyPath = stringFlag(values, 'policy');
  const mabPath = stringFlag(values, 'mab');
  let policy: RadiusPolicy | undefined;
  let mab: MabAllowList | undefined;
  if (policyPath !== undefined) {
    try {
      policy = JSON.parse(readText('policy', policyPath, MAX_POLICY_FILE)) as RadiusPolicy;
    } catch (error) {
      if (error instanceof UsageError) throw error;
      throw new UsageError(`--policy ${policyPath}: not JSON (${(error as Error).message})`);
    }
  }
  if (mabPath !== undefined) mab = mabFile(mabPath, readText('mab', mabPath, MAX_MAB_FILE));
  try {
    checkPolicy(policy, mab);
  } catch (error) {
    if (!(error instanceof TypeError || error instanceof RangeError)) throw error;
    throw new UsageError(`--${mab !== undefined && error.message.startsWith('mab') ? 'mab' : 'policy'} ` +
      `${(mab !== undefined && error.message.startsWith('mab') ? mabPath : policyPath) ?? ''}: ${error.message}`);
  }
  return { ...(policy !== undefined ? { policy } : {}), ...(mab !== undefined ? { mab } : {}) };
}
