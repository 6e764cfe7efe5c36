/**
 * Checks on strings and numbers that cross into native code, where they would otherwise be
 * changed silently: UTF-16 with a lone surrogate becomes U+FFFD in UTF-8 (so 'x\uD800' and
 * 'x\uFFFD' would be one password), a NUL ends a C string (so 'ali\0ce' would be 'ali'), and a
 * fractional or out-of-range number is truncated. Each is refused with one clear TypeError.
 */
import * as path from 'path';
import { EapMethodTypeInfo } from './errors';

// With the u flag a surrogate pair is one code point, so this matches only unpaired halves.
const LONE_SURROGATE = /[\uD800-\uDFFF]/u;

/** Whether `value` reads back as itself from UTF-8: no unpaired surrogate (which UTF-8 makes
 *  U+FFFD). Asked with no Buffer made. */
export function isWellFormed(value: string): boolean {
  return !LONE_SURROGATE.test(value);
}

/** The text of UTF-8 bytes read from a file or a stream, or undefined when they are not valid
 *  UTF-8: decoding them leniently would put U+FFFD in place of the bytes, and a password or a
 *  user name would silently become another one. A leading byte order mark is dropped. */
export function utf8Text(bytes: Uint8Array): string | undefined {
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    return undefined;
  }
}

/** A string that reaches native code unchanged: no NUL, no unpaired surrogate. */
export function checkText(value: unknown, name: string): string {
  if (typeof value !== 'string') throw new TypeError(`${name} must be a string`);
  const nul = value.indexOf('\0');
  if (nul >= 0) throw new TypeError(`${name} must not contain NUL (found at index ${nul}): it would be cut short there`);
  const lone = LONE_SURROGATE.exec(value);
  if (lone) {
    throw new TypeError(`${name} holds an unpaired UTF-16 surrogate at index ${lone.index}: it is not valid Unicode ` +
      'and would be changed to U+FFFD');
  }
  return value;
}

/** A method module path: absolute, as EAPHost's registry requires, so that no library search
 *  path is consulted and nothing but the named file is loaded (and its start-up code run). */
export function checkModulePath(value: unknown, name = 'path'): string {
  const text = checkText(value, name);
  if (text.length === 0) throw new TypeError(`${name} must be a non-empty string`);
  if (!path.isAbsolute(text)) {
    throw new TypeError(`${name} must be an absolute path to the method module (as EAPHost's registry requires), ` +
      `not "${text}", which the system library search would resolve`);
  }
  return text;
}

const METHOD_TYPE_FIELDS: [keyof EapMethodTypeInfo, number, number][] = [
  ['type', 1, 255], ['vendorId', 0, 0xffffff], ['vendorType', 0, 0xffffffff], ['authorId', 0, 0xffffffff],
];

/** An EAP_METHOD_TYPE given as { type, vendorId?, vendorType?, authorId? }, all integers in range. */
export function checkMethodType(value: unknown): EapMethodTypeInfo {
  const shape = 'method must be a shipped method name or { type: 1..255, vendorId?: 0..16777215, ' +
    'vendorType?: 0..4294967295, authorId?: 0..4294967295 }';
  if (typeof value !== 'object' || value === null) throw new TypeError(shape);
  const input = value as Record<string, unknown>;
  const out: Record<string, number> = {};
  for (const [field, min, max] of METHOD_TYPE_FIELDS) {
    const v = input[field];
    if (v === undefined && field !== 'type') {
      out[field] = 0;
      continue;
    }
    if (typeof v !== 'number' || !Number.isInteger(v) || v < min || v > max) {
      throw new TypeError(`${shape}; got ${field} ${typeof v === 'number' ? v : typeof v}`);
    }
    out[field] = v;
  }
  return out as unknown as EapMethodTypeInfo;
}

export function checkBuffer(value: unknown, name: string): Buffer {
  if (!Buffer.isBuffer(value)) throw new TypeError(`${name} must be a Buffer`);
  return value;
}

export function checkSignal(signal: unknown): AbortSignal | undefined {
  if (signal === undefined) return undefined;
  if (typeof signal !== 'object' || signal === null || typeof (signal as AbortSignal).aborted !== 'boolean') {
    throw new TypeError('signal must be an AbortSignal');
  }
  return signal as AbortSignal;
}

export function checkUint32(value: unknown, name: string, fallback: number): number {
  if (value === undefined) return fallback;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 0 || value > 0xffffffff) {
    throw new TypeError(`${name} must be an integer in 0..4294967295`);
  }
  return value;
}
