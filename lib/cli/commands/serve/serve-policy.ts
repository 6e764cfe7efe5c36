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
import { checkPolicy, checkVlan, firstRepeat, macDigits } from '../../../radius/policy';
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
 *  each MAC kept as its 12 digits and as a number: a MAC listed twice is found by one sort of the
 *  numbers, not a hash table of millions of strings, so a list of millions loads in seconds. */
export function mabFile(file: string, text: string): MabAllowList {
  const devices: { mac: string; vlan?: string }[] = [];
  let numbers = new Float64Array(1024);
  let lines = new Uint32Array(1024);
  let start = 0;
  for (let line = 1; ; line++) {
    let end = text.indexOf('\n', start);
    if (end === -1) end = text.length;
    const raw = text.slice(start, end);
    const hash = raw.indexOf('#');
    const content = (hash === -1 ? raw : raw.slice(0, hash)).trim();
    start = end + 1;
    if (content !== '') {
      const space = content.search(/\s/);
      const given = space === -1 ? content : content.slice(0, space);
      const rest = space === -1 ? '' : content.slice(space).trim();
      const mac = colonDigits(given) ?? macDigits(given);
      if (mac === undefined || /\s/.test(rest)) throw new UsageError(`--mab ${file} line ${line}: ${MAB_LINE}`);
      if (rest !== '') {
        try {
          checkVlan(rest, 'the VLAN');
        } catch (error) {
          throw new UsageError(`--mab ${file} line ${line}: ${(error as Error).message}`);
        }
      }
      const index = devices.length;
      if (index === numbers.length) {
        numbers = grown(numbers, new Float64Array(index * 2));
        lines = grown(lines, new Uint32Array(index * 2));
      }
      numbers[index] = parseInt(mac, 16);
      lines[index] = line;
      devices.push(rest !== '' ? { mac, vlan: rest } : { mac });
    }
    if (end === text.length) break;
  }
  const repeat = firstRepeat(numbers, devices.length);
  if (repeat !== undefined) {
    const line = lines[repeat.at];
    throw new UsageError(`--mab ${file} line ${line}: ${givenMac(text, line)} is listed on line ${lines[repeat.first]} already`);
  }
  return { devices };
}

/** The value of hex digit `code` (either case), or -1. */
function hexValue(code: number): number {
  if (code >= 0x30 && code <= 0x39) return code - 0x30;
  const lower = code | 0x20;
  return lower >= 0x61 && lower <= 0x66 ? lower - 0x61 + 10 : -1;
}

/** aa:bb:cc:dd:ee:ff (or with "-"), the usual spelling of a list, as its 12 digits, read a
 *  character at a time (no regex's groups, no pieces to join); anything else undefined
 *  (macDigits then reads it). */
function colonDigits(given: string): string | undefined {
  if (given.length !== 17) return undefined;
  const separator = given.charCodeAt(2);
  if (separator !== 0x3a && separator !== 0x2d) return undefined;
  let value = 0;
  for (let at = 0; at < 17; at += 3) {
    if (at > 0 && given.charCodeAt(at - 1) !== separator) return undefined;
    const high = hexValue(given.charCodeAt(at));
    const low = hexValue(given.charCodeAt(at + 1));
    if (high < 0 || low < 0) return undefined;
    value = value * 256 + high * 16 + low;
  }
  return value.toString(16).padStart(12, '0');
}

function grown<T extends Float64Array | Uint32Array>(from: T, to: T): T {
  to.set(from);
  return to;
}

/** The MAC as line `line` of `text` spells it (for the message that names a repeat). */
function givenMac(text: string, line: number): string {
  let start = 0;
  for (let at = 1; at < line; at++) start = text.indexOf('\n', start) + 1;
  const end = text.indexOf('\n', start);
  return text.slice(start, end === -1 ? text.length : end).trim().split(/\s+/)[0];
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
