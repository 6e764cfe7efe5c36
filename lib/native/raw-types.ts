/**
 * What JS passes in to the addon beyond the argument objects themselves (seam/seam_args*.js names
 * these in its fields' `ts`): callbacks, packed answers and the inputs a call's kind selects.
 * Every result the addon returns declares its type once, in seam/seam.js (generated as
 * generated/result-types.ts); the facade's public types mirror them and the compiler checks each
 * use, so the native seam needs nothing of the facade.
 */
import type { KnownAnswer } from '../core/users';
import type { NativeRegistryValue } from './generated/result-types';

/** A well-formed EAPOL frame, validated by the addon before it calls this: the body is cut to the
 *  EAPOL body length (for EAP-Packet, to the EAP length). Called on the event loop. */
export type NativeEapolFrameSink = (source: Buffer, destination: Buffer, version: number, type: number, body: Buffer) => void;

/** The user store's answer about one identity, packed in one Buffer as lib/core/users.ts lays it
 *  out (KnownAnswer) and native/addon/methods/known_answer.cc reads it. */
export type NativeKnownAnswer = KnownAnswer;

/** A value registryWrite() writes below the Methods key: one registryRead() can give back. */
export type NativeRegistryWrite = Exclude<NativeRegistryValue, { type: 'other' }>;

/** conversationRun's input, by its kind: the peer's response, the retransmission timer's end, or
 *  the user store's answer. */
export type ConversationInput = { kind: 'response'; response: Buffer } | { kind: 'timeout' } |
  { kind: 'knownAnswer'; knownAnswer: NativeKnownAnswer };
