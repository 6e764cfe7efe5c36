/**
 * The builders of the result objects every authentication makes several of (an authenticator
 * step, a list of attributes, the peer's exchange, an EAPHost result, a begun session). The addon calls
 * them with the fields in the order native/addon/js_convert.h lists them: an object literal made
 * here gets its final hidden class at once, where fields set one by one from native code each
 * take V8's generic path. The objects are exactly those the contract (contract.ts) describes.
 */
import type { EapAttribute } from '../core/attributes';

export const resultShapes = {
  step: (kind: string, packet: Buffer, timeoutMs: number, identity: string, attributes: EapAttribute[],
    failureReason: number, methodType: number) =>
    ({ kind, packet, timeoutMs, identity, attributes, failureReason, methodType }),
  /** A list of attributes as one Buffer (js_convert.cc's ToAttributes): per attribute its type
   *  and its value's length, 32 bits little-endian each, then the value; each value a view. */
  attributes: (packed: Buffer): EapAttribute[] => {
    const out: EapAttribute[] = [];
    for (let at = 0; at + 8 <= packed.length;) {
      const type = packed.readInt32LE(at);
      const length = packed.readUInt32LE(at + 4);
      at += 8;
      out.push({ type, value: packed.subarray(at, at + length) });
      at += length;
    }
    return out;
  },
  exchange: (action: number, packet: Buffer) => ({ action, packet }),
  result: (success: boolean, failureReasonCode: number, saveConnectionData: boolean, connectionData: Buffer,
    saveUserData: boolean, userData: Buffer, attributes: EapAttribute[], isolationState: number) =>
    ({ success, failureReasonCode, saveConnectionData, connectionData, saveUserData, userData, attributes, isolationState }),
  session: (handle: unknown, sessionId: number, notificationToken: number) =>
    ({ handle, sessionId, notificationToken }),
  // One in-process hop (eapHostConverse, eapHostAnswer): the parts it did not reach undefined.
  converse: (action: number | undefined, packet: Buffer | undefined, passed: unknown, exchangeError: unknown,
    step: unknown, stepError: unknown, final: unknown, finalError: unknown) =>
    ({ action, packet, passed, exchangeError, step, stepError, final, finalError }),
  conclude: (action: number, result: unknown) => ({ action, result }),
};

export type ResultShapes = typeof resultShapes;
