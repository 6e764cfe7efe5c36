/**
 * The builders of the result objects every authentication makes several of (an authenticator
 * step, a list of attributes, an EAPHost result, a begun session, a driver call's result). The
 * addon calls them with the fields in the order native/addon/js_convert.h lists them: object
 * literals made here get their final hidden class at once, where fields set one by one from
 * native code each take V8's generic path, and a result with parts (a driver call's: its step, the
 * peer's act and result, the session) is made in one call into JS, not one per part. The objects
 * are exactly those the contract (contract.ts) describes.
 */
import type { EapAttribute } from '../core/attributes';
import type { EapError } from '../core/errors';
import type {
  ConversationPeerAct, ConversationResult, ConversationStep, ConversationStopped, NativeHandle, RadiusEngineEvents,
  RadiusEngineQuestion, RadiusEngineRecord, RadiusEngineReply, ResultShapes,
} from './contract';
import type { RawEapHostResult as EapHostResult } from './raw-types';

/** Every empty blob of a result: no bytes to change, frozen against anything else. */
const NO_BYTES: Buffer = Object.freeze(Buffer.alloc(0)) as Buffer;

/** The list of `count` attributes from byte `at` of `packed`, the slab many results' lists share
 *  (js_convert.cc's PackAttributes): per attribute its type and its value's length, 32 bits
 *  little-endian each, then the value; each value a view. The list is made at its size: pushed
 *  one by one, an array of a few grows room for sixteen. */
function attributesOf(packed: Buffer | undefined, at: number, count: number): EapAttribute[] {
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

/** An authenticator step; its attributes `count` from byte `at` of `packed`. */
function step(packed: Buffer | undefined, kind: ConversationStep['kind'], packet: Buffer | undefined,
  timeoutMs: number, identity: string, at: number, count: number, failureReason: number, methodType: number,
  error: EapError | undefined): ConversationStep {
  const made: ConversationStep = {
    kind, packet, timeoutMs, identity, attributes: attributesOf(packed, at, count), failureReason, methodType,
  };
  if (error !== undefined) made.error = error;
  return made;
}

/** An EAPHost result, its error and method (EAPHost's type and names) when it has them; an empty
 *  blob comes as undefined, the one empty Buffer here; its attributes `count` from byte `at`. */
function result(packed: Buffer | undefined, success: boolean, failureReasonCode: number,
  saveConnectionData: boolean, connectionData: Buffer | undefined, saveUserData: boolean, userData: Buffer | undefined,
  at: number, count: number, isolationState: number, error: EapError | undefined, type: number | undefined,
  vendorId: number, vendorType: number, authorId: number, friendlyName: string, authorName: string): EapHostResult {
  const made: EapHostResult = {
    success, failureReasonCode, saveConnectionData, connectionData: connectionData ?? NO_BYTES, saveUserData,
    userData: userData ?? NO_BYTES, attributes: attributesOf(packed, at, count), isolationState,
  };
  if (error !== undefined) made.error = error;
  if (type !== undefined) made.method = { type, vendorId, vendorType, authorId, friendlyName, authorName };
  return made;
}

/** The RADIUS engine's store questions, `count` from byte `at` of `packed`: per question its ID
 *  and its identity's length, 32 bits little-endian each, then the identity (UTF-8). */
function questionsOf(packed: Buffer, at: number, count: number): RadiusEngineQuestion[] {
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

export const resultShapes: ResultShapes = {
  /** A list of attributes alone. */
  attributes: attributesOf,
  result,
  session: (handle: NativeHandle | undefined, sessionId: number, notificationToken: number,
    connectionId: string | undefined) => ({ handle, sessionId, notificationToken, connectionId }),
  /** What a driver call settles, its parts absent as their first field is: the step (`kind`), the
   *  peer's act (`action`), its result (`success`), the session begun (`sessionId`). The step's
   *  and the result's attributes share `packed`. */
  conversation: (stopped: ConversationStopped, conversation: NativeHandle | undefined, rounds: number,
    packets: Buffer[] | undefined, error: EapError | undefined, packed: Buffer | undefined,
    kind: ConversationStep['kind'] | undefined, packet: Buffer | undefined, timeoutMs: number, identity: string,
    stepAt: number, stepCount: number, failureReason: number, methodType: number, stepError: EapError | undefined,
    action: number | undefined, peerPacket: Buffer | undefined,
    success: boolean | undefined, failureReasonCode: number, saveConnectionData: boolean,
    connectionData: Buffer | undefined, saveUserData: boolean, userData: Buffer | undefined, resultAt: number,
    resultCount: number, isolationState: number, resultError: EapError | undefined, type: number | undefined,
    vendorId: number, vendorType: number, authorId: number, friendlyName: string, authorName: string,
    handle: NativeHandle | undefined, sessionId: number | undefined, notificationToken: number,
    connectionId: string | undefined, endError: EapError | undefined): ConversationResult => {
    const made: ConversationResult = { stopped, rounds };
    if (conversation !== undefined) made.conversation = conversation;
    if (kind !== undefined) {
      made.step = step(packed, kind, packet, timeoutMs, identity, stepAt, stepCount, failureReason, methodType, stepError);
    }
    if (packets !== undefined) made.packets = packets;
    if (action !== undefined) {
      const peer: ConversationPeerAct = { action };
      if (peerPacket !== undefined) peer.packet = peerPacket;
      if (success !== undefined) {
        peer.result = result(packed, success, failureReasonCode, saveConnectionData, connectionData, saveUserData,
          userData, resultAt, resultCount, isolationState, resultError, type, vendorId, vendorType, authorId,
          friendlyName, authorName);
      }
      made.peer = peer;
    }
    if (error !== undefined) made.error = error;
    if (sessionId !== undefined) {
      made.session = { sessionId, notificationToken, connectionId };
      if (handle !== undefined) made.session.handle = handle;
      if (endError !== undefined) made.endError = endError;
    }
    return made;
  },
  /** The RADIUS engine's batch for JS: its lists, each absent when empty. */
  engineEvents: (records: RadiusEngineRecord[] | undefined, packed: Buffer | undefined, at: number, count: number,
    replies: RadiusEngineReply[] | undefined): RadiusEngineEvents => {
    const made: RadiusEngineEvents = {};
    if (records !== undefined) made.records = records;
    if (count > 0) made.questions = questionsOf(packed as Buffer, at, count);
    if (replies !== undefined) made.replies = replies;
    return made;
  },
};
