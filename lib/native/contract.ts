/**
 * The contract between lib/ and the addon: NativeBinding and the objects its calls return
 * (generated from seam/seam_exports.js into native-binding.ts), their arguments (generated from
 * seam/seam_args.js into arg-types.ts), both re-exported here, and the results they name. The
 * addon's export table is generated from the same declaration; a test checks that the loaded
 * addon exports exactly these. Handles are opaque numbers naming the addon's resources
 * (native/addon/runtime/addon_state.h).
 * Every result's type is declared once, with its shape, in seam/seam.js (generated into
 * result-types.ts); raw results carry numbers where the facade shows names (actions), and the
 * facade maps them. raw-types.ts holds only what JS passes in beyond the argument objects.
 */
// What argument objects carry beyond their declared fields (raw-types.ts), here beside the calls that take them.
export type { NativeKnownAnswer, NativeRegistryWrite, ConversationInput } from './raw-types';
export { NATIVE_FUNCTION_NAMES } from './generated/export-names';
// The results' types seam/seam.js declares (declareType and its types), and the builders' type.
export type * from './generated/result-types';
export type * from './generated/export-names';
// The counters results' zero values (seam/seam.js's shapes marked `counts`).
export * from './generated/zero-counts';
// Every argument object, generated from seam/seam_args.js (seam/generate.js).
export type * from './generated/arg-types';
// The bounds the addon and the facade both hold (seam/seam.js's constants).
export * from './generated/constants';
// NativeBinding and the objects its calls return, generated from seam/seam_exports.js.
export type * from './generated/native-binding';

/** RadiusClientOutcome.kind. */
export const RadiusClientOutcomeKind = { Reply: 0, Timeout: 1, SecretMismatch: 2 } as const;
