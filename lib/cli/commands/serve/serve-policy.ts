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
import { checkPolicy, checkVlan, checkedMabList, firstRepeat, macDigits } from '../../../radius/policy';
import { compilePolicyRules } from '../../../radius/policy-decision';
import { FILE_LIMITS } from '../../../core/file-read';
import { utf8Text } from '../../../core/input-checks';
import { readFlagFile, stringFlag } from '../../command-line';
import { FlagValues, UsageError } from '../../main';

function readText(flag: string, file: string, limit: number): string {
  const text = utf8Text(readFlagFile(`--${flag}`, file, limit));
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
 *  read a character at a time where it is (no copy of each line, of its trimmed content or of its
 *  pieces, no object a device: a list of millions makes its MAC's digits and its VLAN); each MAC
 *  kept as its 12 digits and as a number: a MAC listed twice is found by one sort of the numbers,
 *  not a hash table of millions of strings. What checkPolicy() checks of a device is checked here,
 *  each fault naming its line, so the list goes to the server with its native form made already
 *  (checkedMabList). */
export function mabFile(file: string, text: string): MabAllowList {
  const macs: string[] = [];
  const macVlans: string[] = [];
  const vlanNames: string[] = [];
  let numbers = new Float64Array(1024);
  let lines = new Uint32Array(1024);
  const length = text.length;
  const fault = (line: number, why = MAB_LINE): UsageError => new UsageError(`--mab ${file} line ${line}: ${why}`);
  let at = 0;
  for (let line = 1; at <= length; line++) {
    let end = text.indexOf('\n', at);
    if (end === -1) end = length;
    // The MAC: from the first character that is not a space up to a space, a "#" or the end.
    let i = skipSpaces(text, at, end);
    const macStart = i;
    while (i < end && !isSpace(text, i) && text.charCodeAt(i) !== HASH) i++;
    const macEnd = i;
    i = skipSpaces(text, i, end);
    // The VLAN, when one follows; then nothing but spaces or a comment.
    const vlanStart = i < end && text.charCodeAt(i) !== HASH ? i : -1;
    while (i < end && !isSpace(text, i) && text.charCodeAt(i) !== HASH) i++;
    const vlanEnd = i;
    i = skipSpaces(text, i, end);
    at = end + 1;
    if (macEnd === macStart) continue;
    if (i < end && text.charCodeAt(i) !== HASH) throw fault(line);
    const mac = colonDigits(text, macStart, macEnd) ?? macDigits(text.slice(macStart, macEnd));
    if (mac === undefined) throw fault(line);
    let vlan = '';
    if (vlanStart !== -1) {
      // One string a VLAN ID, however many devices name it.
      const id = plainVlan(text, vlanStart, vlanEnd);
      if (id === 0) {
        try {
          checkVlan(text.slice(vlanStart, vlanEnd), 'the VLAN');
        } catch (error) {
          throw fault(line, (error as Error).message);
        }
      }
      vlan = vlanNames[id] ??= text.slice(vlanStart, vlanEnd);
    }
    const index = macs.length;
    if (index === numbers.length) {
      numbers = grown(numbers, new Float64Array(index * 2));
      lines = grown(lines, new Uint32Array(index * 2));
    }
    numbers[index] = parseInt(mac, 16);
    lines[index] = line;
    macs.push(mac);
    macVlans.push(vlan);
  }
  const repeat = firstRepeat(numbers, macs.length);
  if (repeat !== undefined) {
    const line = lines[repeat.at];
    throw fault(line, `${givenMac(text, line)} is listed on line ${lines[repeat.first]} already`);
  }
  return checkedMabList(macs, macVlans);
}

const HASH = 0x23;

/** Whether the character at `at` is white space as String.prototype.trim() takes it. */
function isSpace(text: string, at: number): boolean {
  const code = text.charCodeAt(at);
  if (code === 0x20 || (code >= 0x09 && code <= 0x0d)) return true;
  return code > 0x7f && /\s/.test(text[at]);
}

function skipSpaces(text: string, at: number, end: number): number {
  while (at < end && isSpace(text, at)) at++;
  return at;
}

/** A VLAN checkVlan() takes, read where it is (1 to 4094 in decimal digits, no leading zero):
 *  its ID; 0 for anything else. */
function plainVlan(text: string, start: number, end: number): number {
  if (end - start > 4 || text.charCodeAt(start) === 0x30) return 0;
  let value = 0;
  for (let at = start; at < end; at++) {
    const digit = text.charCodeAt(at) - 0x30;
    if (digit < 0 || digit > 9) return 0;
    value = value * 10 + digit;
  }
  return value <= 4094 ? value : 0;
}

/** The value of hex digit `code` (either case), or -1. */
function hexValue(code: number): number {
  if (code >= 0x30 && code <= 0x39) return code - 0x30;
  const lower = code | 0x20;
  return lower >= 0x61 && lower <= 0x66 ? lower - 0x61 + 10 : -1;
}

/** aa:bb:cc:dd:ee:ff (or with "-"), the usual spelling of a list, from `start` to `end` of `text`,
 *  as its 12 digits, read a character at a time (no regex's groups, no pieces to join); anything
 *  else undefined (macDigits then reads it). */
function colonDigits(text: string, start: number, end: number): string | undefined {
  if (end - start !== 17) return undefined;
  const separator = text.charCodeAt(start + 2);
  if (separator !== 0x3a && separator !== 0x2d) return undefined;
  let value = 0;
  for (let at = 0; at < 17; at += 3) {
    if (at > 0 && text.charCodeAt(start + at - 1) !== separator) return undefined;
    const high = hexValue(text.charCodeAt(start + at));
    const low = hexValue(text.charCodeAt(start + at + 1));
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
  // The allow-list is checked as it is read (mabFile): only the policy's rules are left.
  try {
    compilePolicyRules(checkPolicy(policy));
  } catch (error) {
    if (!(error instanceof TypeError || error instanceof RangeError)) throw error;
    throw new UsageError(`--policy ${policyPath ?? ''}: ${error.message}`);
  }
  return { ...(policy !== undefined ? { policy } : {}), ...(mab !== undefined ? { mab } : {}) };
}
