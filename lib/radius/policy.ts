/**
 * What an Access-Accept carries: a policy of rules (first match wins), a MAB allow-list, or the
 * caller's authorize(). Everything here is checked when it is given, with a TypeError or
 * RangeError naming the rule and the key, and handed to native/radius, which compiles the rules
 * once, encodes every reply attribute (the one encoder, radius_policy.h) and matches each
 * request on the engine's thread: a file's policy costs no turn of the event loop.
 */
import { isIP } from 'node:net';
import { methodNameOfType, methodTypeOfName } from '../core/method-facts';
import type {
  RadiusPolicy as NativePolicy, RadiusPolicyAttribute, RadiusPolicyReply as NativeReply, RadiusPolicyRule as NativeRule,
} from '../native';

/** A value a match key takes: one, or any of several. Text values are patterns: `*` any run, `?` one character. */
export type PolicyMatchValue = string | readonly string[];

export interface RadiusPolicyMatch {
  /** The identity the user store was asked about (PEAP's and TTLS's inner identity), else User-Name. */
  user?: PolicyMatchValue;
  /** The Access-Request's User-Name (the outer identity). */
  userName?: PolicyMatchValue;
  /** The method: an EAP method's name (peap, mschapv2, tls, …), `pap` or `mab`. */
  method?: PolicyMatchValue;
  /** The NAS: an address or CIDR network (NAS-IP-Address / NAS-IPv6-Address, else the packet's
   *  source), or a NAS-Identifier pattern. */
  nas?: PolicyMatchValue;
  /** The SSID after the MAC in Called-Station-Id ("AA-BB-CC-DD-EE-FF:eduroam", RFC 3580 §3.20). */
  ssid?: PolicyMatchValue;
  /** Called-Station-Id's MAC, in any usual spelling; `*` and `?` over its hex digits. */
  calledStationId?: PolicyMatchValue;
  /** Calling-Station-Id's MAC (the supplicant's or MAB device's), as calledStationId. */
  callingStationId?: PolicyMatchValue;
  /** NAS-Port-Type: a number or a name (Ethernet, Wireless-802.11, Virtual, Async, …). */
  nasPortType?: number | string | ReadonlyArray<number | string>;
}

/** One attribute of a reply: a standard one by `type`, or a Vendor-Specific one by `vendor` and `vendorType`. */
export interface RadiusReplyAttribute {
  type?: number;
  vendor?: number;
  vendorType?: number;
  /** Text, or an integer; an address or hex octets as `format` says. */
  value: string | number;
  /** Default: integer for a number, string for text. */
  format?: 'string' | 'integer' | 'ipaddr' | 'ipv6addr' | 'octets';
  /** An RFC 2868 tag (0..31) ahead of a string or integer value. */
  tag?: number;
}

/** What an Accept carries beyond EAP's own attributes. */
export interface RadiusPolicyReply {
  /** The VLAN (RFC 3580 §3.31): Tunnel-Type VLAN (13), Tunnel-Medium-Type IEEE-802 (6), Tunnel-Private-Group-Id. */
  vlan?: string | number;
  /** The three VLAN attributes' RFC 2868 tag, 0..31. Default 0 (untagged, what switches expect). */
  vlanTag?: number;
  /** Session-Timeout, seconds (RFC 3580 §3.17: re-authentication). */
  sessionTimeout?: number;
  filterId?: string;
  /** Class (RFC 2865 §5.25), text the NAS echoes in its accounting. */
  class?: string;
  replyMessage?: string;
  attributes?: readonly RadiusReplyAttribute[];
}

export interface RadiusPolicyRule {
  /** What serve --metrics counts its hits under (`rules[N]` without one): 1 to 64 characters, no control characters, unique. */
  name?: string;
  /** A missing key matches anything; every key given must match. */
  match?: RadiusPolicyMatch;
  reply?: RadiusPolicyReply;
  /** An Access-Reject instead. */
  reject?: boolean;
}

/** The rules in order, the first that matches deciding; none matching: an Accept with nothing added. */
export interface RadiusPolicy {
  rules: readonly RadiusPolicyRule[];
}

/** A MAB allow-list: the devices answered with an Accept, each with its own VLAN when given
 *  (it wins over a rule's). */
export interface MabAllowList {
  devices: ReadonlyArray<{ mac: string; vlan?: string | number }>;
  /** The devices' VLAN attributes' tag. Default 0. */
  vlanTag?: number;
}

/** What a request that authenticated offers authorize(). */
export interface AuthorizeRequest {
  /** The identity the user store was asked about (inner), else User-Name. */
  user: string;
  userName: string;
  /** peap, mschapv2, …, pap or mab (an EAP type's number when the method table has no name for it). */
  method: string;
  /** The NAS client's address, as the server saw the packet come. */
  client: string;
  nasIdentifier?: string;
  /** NAS-IP-Address / NAS-IPv6-Address, else the packet's source. */
  nasAddress?: string;
  calledStationId?: string;
  callingStationId?: string;
  /** Called-Station-Id's SSID, after its MAC. */
  ssid?: string;
  nasPortType?: number;
}

/** authorize()'s word: a reply (accept with it), `{ reject: true }`, or nothing (accept as is). */
export type AuthorizeResult = RadiusPolicyReply | { reject: true } | undefined | void;

export type Authorize = (request: AuthorizeRequest) => AuthorizeResult | Promise<AuthorizeResult>;

export const PAP_METHOD = 256;
export const MAB_METHOD = 257;

/** RFC 2865 §5.41's NAS-Port-Type values a policy names most, by their dictionary names. */
const NAS_PORT_TYPES: Record<string, number> = {
  async: 0, sync: 1, 'isdn-sync': 2, virtual: 5, ethernet: 15, 'wireless-802.11': 19, 'wireless-other': 18, xdsl: 16,
  cable: 17, 'wireless-802.16': 22,
};

const MAX_TEXT = 253;
/** The engine's bounds (seam/seam_args_radius.js): rules of one policy, MACs of one allow-list. */
const MAX_RULES = 65536;
const MAX_MACS = 16777216;
const MATCH_KEYS = ['user', 'userName', 'method', 'nas', 'ssid', 'calledStationId', 'callingStationId', 'nasPortType'];
const REPLY_KEYS = ['vlan', 'vlanTag', 'sessionTimeout', 'filterId', 'class', 'replyMessage', 'attributes'];
const ATTRIBUTE_KEYS = ['type', 'vendor', 'vendorType', 'value', 'format', 'tag'];
const FORMATS = ['string', 'integer', 'ipaddr', 'ipv6addr', 'octets'];
/** What the server writes itself, which a policy may not. */
const SERVER_OWNED = new Map<number, string>([[2, 'User-Password'], [24, 'State'], [33, 'Proxy-State'], [79, 'EAP-Message'],
  [80, 'Message-Authenticator'], [102, 'EAP-Key-Name']]);
const MICROSOFT = 311;
/** Vendor-Specific (RFC 2865 §5.26), given here by vendor and vendorType. */
const VENDOR_SPECIFIC = 26;

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function onlyKeys(value: Record<string, unknown>, keys: readonly string[], where: string): void {
  for (const key of Object.keys(value)) {
    if (!keys.includes(key)) throw new TypeError(`${where}.${key}: unknown key (${keys.join(', ')})`);
  }
}

function integer(value: unknown, min: number, max: number, where: string): number {
  if (typeof value !== 'number' || !Number.isInteger(value)) throw new TypeError(`${where} must be an integer`);
  if (value < min || value > max) throw new RangeError(`${where} must be from ${min} to ${max}`);
  return value;
}

function text(value: unknown, where: string, max = MAX_TEXT): string {
  if (typeof value !== 'string' || value === '') throw new TypeError(`${where} must be a non-empty string`);
  if (Buffer.byteLength(value, 'utf8') > max) throw new RangeError(`${where} holds at most ${max} bytes of UTF-8`);
  return value;
}

function list(value: unknown, where: string): string[] {
  const values = Array.isArray(value) ? value : [value];
  if (values.length === 0) throw new TypeError(`${where} must not be an empty list`);
  return values.map((item, i) => text(item, Array.isArray(value) ? `${where}[${i}]` : where, 1024));
}

/** A MAC in any usual spelling, or a pattern over one, as 12 lower-case hex digits (patterns keep `*` and `?`). */
function macPattern(value: string, where: string): string {
  const digits = value.replace(/[-:.]/g, '').toLowerCase();
  const pattern = /[*?]/.test(digits);
  if (!/^[0-9a-f*?]+$/.test(digits) || (!pattern && digits.length !== 12)) {
    throw new TypeError(`${where}: "${value}" is not a MAC address (aa:bb:cc:dd:ee:ff, AA-BB-CC-DD-EE-FF, aabb.ccdd.eeff) or a pattern over one`);
  }
  return digits;
}

const TWELVE_DIGITS = /^[0-9a-f]{12}$/;

/** 12 lower-case hex digits from any usual spelling of a MAC, or undefined. */
export function macDigits(value: string): string | undefined {
  // What an allow-list read from a file holds already: no regex groups, no copies.
  if (value.length === 12 && TWELVE_DIGITS.test(value)) return value;
  const match = /^([0-9a-f]{2})[-:.]?([0-9a-f]{2})[-:.]?([0-9a-f]{2})[-:.]?([0-9a-f]{2})[-:.]?([0-9a-f]{2})[-:.]?([0-9a-f]{2})$/i
    .exec(value.trim());
  if (match) return match.slice(1).join('').toLowerCase();
  const dotted = /^([0-9a-f]{4})\.([0-9a-f]{4})\.([0-9a-f]{4})$/i.exec(value.trim());
  return dotted ? dotted.slice(1).join('').toLowerCase() : undefined;
}

function methodOf(name: string, where: string): number {
  const lower = name.toLowerCase();
  if (lower === 'pap') return PAP_METHOD;
  if (lower === 'mab') return MAB_METHOD;
  const type = methodTypeOfName(lower);
  if (type === undefined) throw new TypeError(`${where}: "${name}" is not a method (pap, mab, or an EAP method's name)`);
  return type;
}

/** The method as authorize() and records name it. */
export function methodName(type: number): string {
  if (type === PAP_METHOD) return 'pap';
  if (type === MAB_METHOD) return 'mab';
  return methodNameOfType(type) ?? String(type);
}

function nasPortTypeOf(value: unknown, where: string): number {
  if (typeof value === 'number') return integer(value, 0, 0xffffffff, where);
  if (typeof value === 'string' && NAS_PORT_TYPES[value.toLowerCase()] !== undefined) return NAS_PORT_TYPES[value.toLowerCase()];
  throw new TypeError(`${where} must be a number or one of ${Object.keys(NAS_PORT_TYPES).join(', ')}`);
}

function nasNetwork(value: string): { network: string; prefix: number } | undefined {
  const slash = value.indexOf('/');
  const address = slash === -1 ? value : value.slice(0, slash);
  const family = isIP(address);
  if (family === 0) return undefined;
  const most = family === 4 ? 32 : 128;
  const prefix = slash === -1 ? most : Number(value.slice(slash + 1));
  if (!Number.isInteger(prefix) || prefix < 0 || prefix > most || (slash !== -1 && !/^\d+$/.test(value.slice(slash + 1)))) {
    throw new RangeError(`"${value}": the prefix must be from 0 to ${most}`);
  }
  return { network: address, prefix };
}

function checkMatch(match: unknown, where: string): Omit<NativeRule, 'reject' | 'reply'> {
  if (!isObject(match)) throw new TypeError(`${where} must be an object`);
  onlyKeys(match, MATCH_KEYS, where);
  const rule: Omit<NativeRule, 'reject' | 'reply'> = {};
  const at = (key: string): string[] | undefined => (match[key] === undefined ? undefined : list(match[key], `${where}.${key}`));
  rule.user = at('user');
  rule.userName = at('userName');
  rule.ssid = at('ssid');
  rule.methods = at('method')?.map((name) => methodOf(name, `${where}.method`));
  rule.calledStationId = at('calledStationId')?.map((mac) => macPattern(mac, `${where}.calledStationId`));
  rule.callingStationId = at('callingStationId')?.map((mac) => macPattern(mac, `${where}.callingStationId`));
  const nas = at('nas');
  if (nas) {
    rule.nasIdentifier = [];
    rule.nasNetworks = [];
    for (const value of nas) {
      let network;
      try {
        network = nasNetwork(value);
      } catch (error) {
        throw new RangeError(`${where}.nas: ${(error as Error).message}`);
      }
      if (network) rule.nasNetworks.push(network);
      else rule.nasIdentifier.push(value);
    }
  }
  if (match.nasPortType !== undefined) {
    const values = Array.isArray(match.nasPortType) ? match.nasPortType : [match.nasPortType];
    if (values.length === 0) throw new TypeError(`${where}.nasPortType must not be an empty list`);
    rule.nasPortTypes = values.map((value, i) => nasPortTypeOf(value, Array.isArray(match.nasPortType) ? `${where}.nasPortType[${i}]` : `${where}.nasPortType`));
  }
  for (const key of Object.keys(rule) as (keyof typeof rule)[]) if (rule[key] === undefined) delete rule[key];
  return rule;
}

function checkAttribute(attribute: unknown, where: string): RadiusPolicyAttribute {
  if (!isObject(attribute)) throw new TypeError(`${where} must be an object`);
  onlyKeys(attribute, ATTRIBUTE_KEYS, where);
  const { type, vendor, vendorType, value, format, tag } = attribute;
  const out: RadiusPolicyAttribute = { format: 'string', value: '' };
  if (vendor !== undefined || vendorType !== undefined) {
    if (type !== undefined) throw new TypeError(`${where}: give type, or vendor and vendorType, not both`);
    out.vendor = integer(vendor, 1, 0xffffff, `${where}.vendor`);
    out.vendorType = integer(vendorType, 1, 255, `${where}.vendorType`);
    if (out.vendor === MICROSOFT && (out.vendorType === 16 || out.vendorType === 17)) {
      throw new TypeError(`${where}: MS-MPPE-${out.vendorType === 16 ? 'Send' : 'Recv'}-Key is written by the server itself`);
    }
  } else {
    out.type = integer(type, 1, 255, `${where}.type`);
    if (out.type === VENDOR_SPECIFIC) throw new TypeError(`${where}.type: Vendor-Specific (26) is given by vendor and vendorType`);
    const owned = SERVER_OWNED.get(out.type);
    if (owned !== undefined) throw new TypeError(`${where}.type: ${owned} (${out.type}) is written by the server itself`);
  }
  if (format !== undefined && !FORMATS.includes(format as string)) throw new TypeError(`${where}.format must be one of ${FORMATS.join(', ')}`);
  out.format = (format ?? (typeof value === 'number' ? 'integer' : 'string')) as RadiusPolicyAttribute['format'];
  if (tag !== undefined) {
    if (out.format !== 'string' && out.format !== 'integer') throw new TypeError(`${where}.tag goes with a string or integer value`);
    out.tag = integer(tag, 0, 31, `${where}.tag`);
  }
  const max = out.vendor !== undefined ? 247 : MAX_TEXT;
  const what = `${where}.value`;
  switch (out.format) {
    case 'integer': {
      const number = typeof value === 'string' && /^\d+$/.test(value) ? Number(value) : value;
      out.value = String(integer(number, 0, out.tag !== undefined ? 0xffffff : 0xffffffff, what));
      break;
    }
    case 'ipaddr': case 'ipv6addr':
      if (typeof value !== 'string' || isIP(value) !== (out.format === 'ipaddr' ? 4 : 6)) {
        throw new TypeError(`${what} must be an IPv${out.format === 'ipaddr' ? 4 : 6} address`);
      }
      out.value = value;
      break;
    case 'octets': {
      const hex = typeof value === 'string' ? value.replace(/^0x/i, '') : '';
      if (hex === '' || hex.length % 2 !== 0 || !/^[0-9a-f]+$/i.test(hex)) throw new TypeError(`${what} must be hex octets, e.g. 0x0a0b`);
      if (hex.length / 2 > max) throw new RangeError(`${what} holds at most ${max} bytes`);
      out.value = hex;
      break;
    }
    default:
      out.value = text(value, what, max - (out.tag !== undefined ? 1 : 0));
  }
  return out;
}

/** The attributes each typed key of a reply writes, which `attributes` may not give again. */
const TYPED_KEYS: ReadonlyArray<readonly [string, readonly number[]]> = [['vlan', [64, 65, 81]], ['sessionTimeout', [27]],
  ['filterId', [11]], ['class', [25]], ['replyMessage', [18]]];
const FILTER_ID = 11;
const REPLY_MESSAGE = 18;

/** A VLAN as RFC 3580 §3.31's Tunnel-Private-Group-Id carries it: 1 to 4094 in decimal, nothing else. */
export function checkVlan(value: unknown, where: string): string {
  if (typeof value === 'number') return String(integer(value, 1, 4094, where));
  if (typeof value !== 'string' || !/^[1-9][0-9]{0,3}$/.test(value) || Number(value) > 4094) {
    throw new RangeError(`${where} must be a VLAN ID from 1 to 4094 in decimal digits${typeof value === 'string' ? ` (not ${JSON.stringify(value.slice(0, 40))})` : ''}`);
  }
  return value;
}

/** Text a NAS may show or pass to a terminal (Reply-Message, Filter-Id): no control characters (NUL, ESC, …). */
function shownText(value: unknown, where: string): string {
  const checked = text(value, where);
  const control = /[\u0000-\u001f\u007f-\u009f]/.exec(checked);
  if (control) throw new TypeError(`${where} holds the control character U+${control[0].charCodeAt(0).toString(16).padStart(4, '0').toUpperCase()}`);
  return checked;
}

/** A reply as the native encoder takes it; throws TypeError / RangeError naming `where` and the key. */
export function checkReply(reply: unknown, where: string): NativeReply {
  if (!isObject(reply)) throw new TypeError(`${where} must be an object`);
  onlyKeys(reply, REPLY_KEYS, where);
  const out: NativeReply = {};
  if (reply.vlan !== undefined) out.vlan = checkVlan(reply.vlan, `${where}.vlan`);
  if (reply.vlanTag !== undefined) {
    if (reply.vlan === undefined) throw new TypeError(`${where}.vlanTag goes with vlan`);
    out.vlanTag = integer(reply.vlanTag, 0, 31, `${where}.vlanTag`);
  }
  if (reply.sessionTimeout !== undefined) out.sessionTimeout = integer(reply.sessionTimeout, 1, 0xffffffff, `${where}.sessionTimeout`);
  if (reply.filterId !== undefined) out.filterId = shownText(reply.filterId, `${where}.filterId`);
  if (reply.class !== undefined) out.classValue = Buffer.from(text(reply.class, `${where}.class`), 'utf8');
  if (reply.replyMessage !== undefined) out.replyMessage = shownText(reply.replyMessage, `${where}.replyMessage`);
  if (reply.attributes !== undefined) {
    if (!Array.isArray(reply.attributes)) throw new TypeError(`${where}.attributes must be an array`);
    out.attributes = reply.attributes.map((attribute, i) => {
      const at = `${where}.attributes[${i}]`;
      const checked = checkAttribute(attribute, at);
      const typed = checked.type !== undefined ? TYPED_KEYS.find(([key, types]) => reply[key] !== undefined && types.includes(checked.type!)) : undefined;
      if (typed !== undefined) throw new TypeError(`${at}: attribute ${checked.type} is what ${where}.${typed[0]} writes already`);
      if ((checked.type === FILTER_ID || checked.type === REPLY_MESSAGE) && checked.format === 'string') shownText(checked.value, `${at}.value`);
      return checked;
    });
  }
  return out;
}

/** Allow-lists checked as they were read (serve's --mab file, each fault naming its line), with
 *  their native form made then: checkPolicy() takes that form instead of checking millions of
 *  devices again. */
const readLists = new WeakMap<MabAllowList, { macs: string[]; macVlans: string[] }>();

/** An allow-list whose devices were checked as checkPolicy() checks them (MACs as 12 lower-case
 *  digits, VLANs 1 to 4094, no MAC twice), from its native form (each device's MAC and VLAN, ''
 *  for none), which is what a server is given. Its `devices` are made when first read: a server
 *  started from a list of millions makes none of those objects. */
export function checkedMabList(macs: string[], macVlans: string[]): MabAllowList {
  let devices: MabAllowList['devices'] | undefined;
  const list: MabAllowList = {
    get devices() {
      devices ??= macs.map((mac, i) => (macVlans[i] === '' ? { mac } : { mac, vlan: macVlans[i] }));
      return devices;
    },
  };
  readLists.set(list, { macs, macVlans });
  return list;
}

/** Each rule's name, as serve --metrics counts its hits: its `name`, else `rules[N]`. The policy was checked. */
export function policyRuleNames(policy: RadiusPolicy | undefined): string[] {
  return (policy?.rules ?? []).map((rule, i) => rule.name ?? `rules[${i}]`);
}

/** A policy and a MAB allow-list as native/radius takes them, checked: a TypeError or RangeError names the rule and key. */
export function checkPolicy(policy: unknown, mab?: MabAllowList, where = 'policy'): NativePolicy {
  const out: NativePolicy = { rules: [] };
  if (policy !== undefined) {
    if (!isObject(policy)) throw new TypeError(`${where} must be an object { "rules": [ … ] }`);
    onlyKeys(policy, ['rules'], where);
    if (!Array.isArray(policy.rules)) throw new TypeError(`${where}.rules must be an array`);
    if (policy.rules.length > MAX_RULES) throw new RangeError(`${where}.rules holds ${policy.rules.length} rules, more than ${MAX_RULES}`);
    const named = new Set<string>();
    out.rules = policy.rules.map((rule: unknown, i: number) => {
      const at = `${where}.rules[${i}]`;
      if (!isObject(rule)) throw new TypeError(`${at} must be an object { match, reply } or { match, reject: true }`);
      onlyKeys(rule, ['name', 'match', 'reply', 'reject'], at);
      if (rule.name !== undefined && (typeof rule.name !== 'string' || !/^[^\u0000-\u001f\u007f-\u009f]{1,64}$/u.test(rule.name))) {
        throw new TypeError(`${at}.name must be 1 to 64 characters, none a control character`);
      }
      if (typeof rule.name === 'string') {
        if (named.has(rule.name)) throw new TypeError(`${at}.name "${rule.name}" names an earlier rule too`);
        named.add(rule.name);
      }
      if (rule.reject !== undefined && typeof rule.reject !== 'boolean') throw new TypeError(`${at}.reject must be true or false`);
      if (rule.reject === true && rule.reply !== undefined) throw new TypeError(`${at}: a rule rejects or replies, not both`);
      return {
        ...(rule.match !== undefined ? checkMatch(rule.match, `${at}.match`) : {}),
        reject: rule.reject === true,
        ...(rule.reply !== undefined ? { reply: checkReply(rule.reply, `${at}.reply`) } : {}),
      };
    });
  }
  const read = mab !== undefined ? readLists.get(mab) : undefined;
  if (read !== undefined) {
    if (mab!.vlanTag !== undefined) out.macVlanTag = integer(mab!.vlanTag, 0, 31, 'mab.vlanTag');
    out.mab = true;
    out.macs = read.macs;
    out.macVlans = read.macVlans;
  } else if (mab !== undefined) {
    const at = 'mab';
    if (!isObject(mab) || !Array.isArray(mab.devices)) throw new TypeError(`${at} must be { devices: [{ mac, vlan? }, …] }`);
    if (mab.devices.length > MAX_MACS) throw new RangeError(`${at}.devices holds ${mab.devices.length} MACs, more than ${MAX_MACS}`);
    const macs: string[] = new Array(mab.devices.length);
    const macVlans: string[] = new Array(mab.devices.length);
    const numbers = new Float64Array(mab.devices.length);
    if (mab.vlanTag !== undefined) out.macVlanTag = integer(mab.vlanTag, 0, 31, `${at}.vlanTag`);
    // Each device's name is made when it is needed: a list of millions makes none.
    const here = (i: number) => `${at}.devices[${i}]`;
    for (let i = 0; i < mab.devices.length; i++) {
      const device: unknown = mab.devices[i];
      if (!isObject(device)) throw new TypeError(`${here(i)} must be { mac, vlan? }`);
      const mac = typeof device.mac === 'string' ? macDigits(device.mac) : undefined;
      if (mac === undefined) throw new TypeError(`${here(i)}.mac is not a MAC address`);
      macs[i] = mac;
      numbers[i] = parseInt(mac, 16);
      macVlans[i] = device.vlan === undefined ? '' : checkVlan(device.vlan, `${here(i)}.vlan`);
    }
    const repeat = firstRepeat(numbers);
    if (repeat !== undefined) {
      throw new TypeError(`${here(repeat.at)}.mac ${String(mab.devices[repeat.at].mac)} is devices[${repeat.first}]'s already`);
    }
    out.mab = true;
    out.macs = macs;
    out.macVlans = macVlans;
  }
  return out;
}

/**
 * The first key of `keys` (in their order) equal to one before it, with that earlier one's
 * index; undefined when all differ. One native sort finds whether any repeats, without a hash
 * table of millions of entries; only the repeated keys are then looked for in order.
 */
export function firstRepeat(keys: Float64Array, count = keys.length): { at: number; first: number } | undefined {
  const sorted = keys.slice(0, count).sort();
  const repeated = new Set<number>();
  for (let i = 1; i < sorted.length; i++) if (sorted[i] === sorted[i - 1]) repeated.add(sorted[i]);
  if (repeated.size === 0) return undefined;
  const seen = new Map<number, number>();
  for (let i = 0; i < count; i++) {
    if (!repeated.has(keys[i])) continue;
    const first = seen.get(keys[i]);
    if (first !== undefined) return { at: i, first };
    seen.set(keys[i], i);
  }
  return undefined;
}

/** What authorize() gave, checked as a policy's reply is; throws naming what is wrong. */
export function checkAuthorizeResult(result: unknown): { reject: true } | { reply: NativeReply } {
  if (result === undefined || result === null) return { reply: {} };
  if (isObject(result) && result.reject !== undefined) {
    if (result.reject !== true || Object.keys(result).length !== 1) throw new TypeError('authorize() result: { reject: true } has no other key');
    return { reject: true };
  }
  return { reply: checkReply(result, 'authorize() result') };
}
