/**
 * `serve --policy FILE` and `--mab FILE`: what an Access-Accept carries, from a JSON policy
 * (first match wins; schema/serve-policy.schema.json describes it), and the MAB allow-list (one
 * MAC a line in any usual spelling, optionally followed by whitespace and a VLAN). Both are
 * checked when serve starts: a bad file is a usage error naming the file, the line or the rule
 * and key. Each is UTF-8 (a byte-order mark is skipped; bytes that are not UTF-8 are refused, not
 * replaced); the policy may name a key once per object, the allow-list a MAC once.
 */
import { visit } from 'jsonc-parser';
import type { MabAllowList, RadiusPolicy } from '../../../radius';
import { checkPolicy, checkVlan, macDigits } from '../../../radius/policy';
import { compilePolicyRules } from '../../../radius/policy-decision';
import { FILE_LIMITS, readFlagFile } from '../../../core/file-read';
import { utf8Text } from '../../../core/input-checks';
import { stringFlag } from '../../command-line';
import { FlagValues, UsageError } from '../../main';

function readText(flag: string, file: string, limit: number): string {
  const text = utf8Text(readFlagFile(`--${flag}`, file, limit, (message) => new UsageError(message)));
  if (text === undefined) throw new UsageError(`--${flag} ${file}: not UTF-8 text`);
  return text;
}

/** The policy's JSON; a syntax error, or a key given twice in one object, names its line. */
export function policyJson(file: string, text: string): unknown {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new UsageError(`--policy ${file}: not JSON (${(error as Error).message})`);
  }
  // JSON.parse keeps the last of a key given twice: which one did the author mean?
  const objects: Set<string>[] = [];
  visit(text, {
    onObjectBegin: () => { objects.push(new Set()); },
    onObjectEnd: () => { objects.pop(); },
    onObjectProperty: (key, _offset, _length, line) => {
      const keys = objects[objects.length - 1];
      if (keys.has(key)) throw new UsageError(`--policy ${file} line ${line + 1}: "${key}" is given twice in one object`);
      keys.add(key);
    },
  }, { disallowComments: true });
  return value;
}

const MAB_LINE = 'expected "MAC [VLAN]" (aa:bb:cc:dd:ee:ff, AA-BB-CC-DD-EE-FF, aabb.ccdd.eeff, aabbccddeeff; VLAN 1 to 4094)';

/** --mab FILE: "MAC [VLAN]" a line; blank lines and # comments skipped. One pass over the text,
 *  each MAC kept as its 12 digits: a list of millions loads in time and memory in proportion. */
export function mabFile(file: string, text: string): MabAllowList {
  const devices: { mac: string; vlan?: string }[] = [];
  const seen = new Map<string, number>();
  let start = 0;
  for (let line = 1; ; line++) {
    let end = text.indexOf('\n', start);
    if (end === -1) end = text.length;
    const raw = text.slice(start, end);
    const hash = raw.indexOf('#');
    const content = (hash === -1 ? raw : raw.slice(0, hash)).trim();
    start = end + 1;
    if (content !== '') {
      const [given, vlan, extra] = content.split(/\s+/);
      const mac = macDigits(given);
      if (mac === undefined || extra !== undefined) throw new UsageError(`--mab ${file} line ${line}: ${MAB_LINE}`);
      const before = seen.get(mac);
      if (before !== undefined) throw new UsageError(`--mab ${file} line ${line}: ${given} is listed on line ${before} already`);
      seen.set(mac, line);
      if (vlan !== undefined) {
        try {
          checkVlan(vlan, 'the VLAN');
        } catch (error) {
          throw new UsageError(`--mab ${file} line ${line}: ${(error as Error).message}`);
        }
      }
      devices.push(vlan !== undefined ? { mac, vlan } : { mac });
    }
    if (end === text.length) break;
  }
  return { devices };
}

/** The policy and allow-list serve was given, checked; neither: both undefined. */
export function policyFlags(values: FlagValues): { policy?: RadiusPolicy; mab?: MabAllowList } {
  const policyPath = stringFlag(values, 'policy');
  const mabPath = stringFlag(values, 'mab');
  const policy = policyPath !== undefined
    ? policyJson(policyPath, readText('policy', policyPath, FILE_LIMITS.policy)) as RadiusPolicy : undefined;
  const mab = mabPath !== undefined ? mabFile(mabPath, readText('mab', mabPath, FILE_LIMITS.mab)) : undefined;
  try {
    compilePolicyRules(checkPolicy(policy, mab));
  } catch (error) {
    if (!(error instanceof TypeError || error instanceof RangeError)) throw error;
    const ofMab = mab !== undefined && error.message.startsWith('mab');
    throw new UsageError(`--${ofMab ? 'mab' : 'policy'} ${(ofMab ? mabPath : policyPath) ?? ''}: ${error.message}`);
  }
  return { ...(policy !== undefined ? { policy } : {}), ...(mab !== undefined ? { mab } : {}) };
}
