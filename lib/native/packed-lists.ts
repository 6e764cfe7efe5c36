/**
 * The lists the addon packs into one slab for many results (js_convert.cc's PackAttributes,
 * ReserveSlab): per entry a 32-bit key and its value's length (little-endian), then the value.
 * The generated result builders (result-shapes.ts) cut them back into lists.
 */
import type { EapAttribute } from '../core/attributes';
import type { RadiusEngineQuestion } from './contract';

/** Every empty blob of a result: no bytes to change, frozen against anything else. */
export const NO_BYTES: Buffer = Object.freeze(Buffer.alloc(0)) as Buffer;

/** The list of `count` attributes from byte `at` of `packed`, each value a view. Made at its size:
 *  pushed one by one, an array of a few grows room for sixteen. */
export function attributesOf(packed: Buffer | undefined, at: number, count: number): EapAttribute[] {
  const out = new Array<EapAttribute>(count);
  for (let i = 0; i < count; i++) {
    const bytes = packed as Buffer;
    const type = bytes.readInt32LE(at);
    const length = bytes.readUInt32LE(at + 4);
    at += 8;
    out[i] = { type, value: bytes.subarray(at, at + length) };
    at += length;
  }
  return out;
}

/** The RADIUS engine's store questions, `count` from byte `at` of `packed`: the key is the
 *  question's ID, the value its identity (UTF-8). */
export function questionsOf(packed: Buffer, at: number, count: number): RadiusEngineQuestion[] {
  const out = new Array<RadiusEngineQuestion>(count);
  for (let i = 0; i < count; i++) {
    const question = packed.readUInt32LE(at);
    const length = packed.readUInt32LE(at + 4);
    at += 8;
    out[i] = { question, identity: packed.toString('utf8', at, at + length) };
    at += length;
  }
  return out;
}
