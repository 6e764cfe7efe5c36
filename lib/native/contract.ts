/**
 * The contract between lib/ and the addon: NativeBinding and the objects its calls return
 * (generated from seam/seam_exports.js into native-binding.ts), their arguments (generated from
 * seam/seam_args.js into arg-types.ts), both re-exported here, and the results they name. The
 * addon's export table is generated from the same declaration; a test checks that the loaded
 * addon exports exactly these. Handles are opaque numbers naming the addon's resources
 * (native/addon/runtime/addon_state.h).
 * Results are raw shapes of this layer (raw-types.ts), which the facade's public types mirror;
 * raw results carry numbers where the facade shows names (actions), and the facade maps them.
 */
// The values argument objects carry (raw-types.ts), here beside the calls that take them.
export type {
  NativeEapolFrameSink, NativeHandle, NativeKnownAnswer, NativeRegistryValue, NativeRegistryWrite,
  RadiusClientEvents, RadiusClientOutcome, RadiusEngineEvents, RadiusEngineQuestion, RadiusEngineRecord, RadiusEngineReply,
  RadiusEngineAuthorization, RadiusDecodedAttribute, RadiusValueFormat, DasSessionIdentification, NativeDasRequest,
  NativeIdentity, NativeWlanInterface, NativeEapHostSession, NativePeerOutput, NativeLoadedMethod, ConversationStep, ConversationStopped, ConversationInput, PeerAct, ConversationResult, RadiusEngineStreamCut, RadiusClientLoadProgress, RadiusClientCounters, DynamicAuthorizationServerStats,
} from './raw-types';
export { NATIVE_FUNCTION_NAMES } from './generated/export-names';
// The results' types seam/seam.js declares (declareType), and RadiusEngineStats.
export type * from './generated/export-names';
// Every argument object, generated from seam/seam_args.js (seam/generate.js).
export type * from './generated/arg-types';
// NativeBinding and the objects its calls return, generated from seam/seam_exports.js.
export type * from './generated/native-binding';

/** RadiusClientOutcome.kind. */
export const RadiusClientOutcomeKind = { Reply: 0, Timeout: 1, SecretMismatch: 2 } as const;
