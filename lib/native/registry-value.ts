/**
 * The Methods key's values as the addon reads and writes them: a file of its own because the
 * seam's generated types name it, and raw-types.ts names those (no import cycle).
 */

/** A value of the Methods key as EAPHost reads it; an empty name is the key's default value. */
export type NativeRegistryValue = { name: string; type: 'sz' | 'expandSz'; data: string } |
  { name: string; type: 'dword'; data: number } | { name: string; type: 'other' };

export type NativeRegistryWrite = Exclude<NativeRegistryValue, { type: 'other' }>;
