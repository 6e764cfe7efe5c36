/**
 * The builders of the result objects every authentication makes several of (an authenticator
 * step, a list of attributes, an EAPHost result, a begun session). The addon calls
 * them with the fields in the order native/addon/js_convert.h lists them: an object literal made
 * here gets its final hidden class at once, where fields set one by one from native code each
 * take V8's generic path. The objects are exactly those the contract (contract.ts) describes.
 */
import type { EapAttribute } from '../core/attributes';
import type { EapError } from '../core/errors';
import type { RawEapHostResult as EapHostResult } from './raw-types';

/** Every empty blob of a result: no bytes to change, frozen against anything else. */
const NO_BYTES: Buffer = Object.freeze(Buffer.alloc(0)) as Buffer;

export const resultShapes = {
  step: (kind: string, packet: Buffer, timeoutMs: number, identity: string, attributes: EapAttribute[],
    failureReason: number, methodType: number) =>
    ({ kind, packet, timeoutMs, identity, attributes, failureReason, methodType }),
  /** The list of `count` attributes from byte `at` of `packed`, which holds the lists of one
   *  result (js_convert.cc's ToAttributeLists): per attribute its type and its value's length,
   *  32 bits little-endian each, then the value; each value a view. The list is made at its size:
   *  pushed one by one, an array of a few grows room for sixteen. */
  attributes: (packed: Buffer, at: number, count: number): EapAttribute[] => {
    const out = new Array<EapAttribute>(count);
    for (let i = 0; i < count; i++) {
      const type = packed.readInt32LE(at);
      const length = packed.readUInt32LE(at + 4);
      at += 8;
      out[i] = { type, value: packed.subarray(at, at + length) };
      at += length;
    }
    return out;
  },
  /** An EAPHost result, its error and method (EAPHost's type and names) when it has them; an
   *  empty blob comes as undefined, the one empty Buffer here. */
  result: (success: boolean, failureReasonCode: number, saveConnectionData: boolean, connectionData: Buffer | undefined,
    saveUserData: boolean, userData: Buffer | undefined, attributes: EapAttribute[], isolationState: number,
    error: EapError | undefined, type: number | undefined, vendorId: number, vendorType: number, authorId: number,
    friendlyName: string, authorName: string): EapHostResult => {
    const result: EapHostResult = {
      success, failureReasonCode, saveConnectionData, connectionData: connectionData ?? NO_BYTES, saveUserData,
      userData: userData ?? NO_BYTES, attributes, isolationState,
    };
    if (error !== undefined) result.error = error;
    if (type !== undefined) result.method = { type, vendorId, vendorType, authorId, friendlyName, authorName };
    return result;
  },
  session: (handle: unknown, sessionId: number, notificationToken: number, connectionId: string | undefined) =>
    ({ handle, sessionId, notificationToken, connectionId }),
};

export type ResultShapes = typeof resultShapes;
