/**
 * The native seam: the addon's loader, its typed contract, the lifecycle of every object that
 * owns a native handle and the gate its calls pass. The layer beneath the facade: nothing
 * here imports the facade.
 */
export { addonPath, nativeDir, binding } from './loader';
export * from './contract';
export { NativeObject, adopt } from './native-object';
export type { Ending } from './native-object';
export { CallGate } from './call-gate';
