/**
 * EAPHost's Methods key, HKLM\SYSTEM\CurrentControlSet\Services\EapHost\Methods\<AuthorId>\<Type>
 * (\<VendorId>\<VendorType> under type 254, the expanded type), written and read through the
 * addon's registry calls (RegCreateKeyExW, RegSetValueExW, RegEnumValueW, RegDeleteValueW,
 * RegDeleteKeyExW), the values as Microsoft's EAPHost method registration documents them
 * (docs/WINDOWS-CONTRACT.md, "Method registration").
 */
import { binding } from '../native';
import type { NativeRegistryValue, NativeRegistryWrite } from '../native';

export const METHODS_KEY = 'SYSTEM\\CurrentControlSet\\Services\\EapHost\\Methods';
const EXPANDED_TYPE = 254; // RFC 3748 §5.7

/** One method's registration, as `register` writes it. */
export interface MethodRegistration {
  type: number;
  author: number;
  vendorId?: number;
  vendorType?: number;
  name: string;
  properties: number;
  authorName: string;
}

export interface Sides {
  peer: boolean;
  authenticator: boolean;
}

// The author's name: the <AuthorId> key's default value (GÉANTLink's registration) and "Name"
// (an export of Windows' own author keys), until a windows-latest run says which GetMethods reads.
const AUTHOR_NAME_PLACES = ['', 'Name'];
// The two *Dialog values are required for a peer method: 0 means the method collects its own
// credentials (ours take them from the caller's user data) instead of EAPHost's dialogs.
const PEER_VALUES = ['PeerDllPath', 'PeerFriendlyName', 'PeerInvokeUsernameDialog', 'PeerInvokePasswordDialog'];
const AUTHENTICATOR_VALUES = ['AuthenticatorDllPath', 'AuthenticatorFriendlyName'];
/** Shared by both sides: removed only with the last side. */
const SHARED_VALUES = ['Properties'];
const DLL_PATH_VALUES = ['PeerDllPath', 'AuthenticatorDllPath'];

export function methodKey(method: Pick<MethodRegistration, 'type' | 'author' | 'vendorId' | 'vendorType'>): string {
  const parts = [METHODS_KEY, String(method.author), String(method.type)];
  if (method.type === EXPANDED_TYPE) parts.push(String(method.vendorId), String(method.vendorType));
  return parts.join('\\');
}

export interface KeyState {
  values: Map<string, NativeRegistryValue>;
  subkeys: string[];
}

/** The key's values by name and its subkeys' names, or null when there is no such key. */
export function readKey(key: string): KeyState | null {
  const read = binding.registryRead({ key });
  if (!read) return null;
  return { values: new Map(read.values.map((value) => [value.name, value])), subkeys: read.subkeys };
}

/** Whether every value of `values` is already in `key` with that type and data. */
function holds(key: string, values: NativeRegistryWrite[]): boolean {
  const state = readKey(key);
  return state !== null && values.every((value) => {
    const found = state.values.get(value.name);
    return found !== undefined && found.type === value.type && found.data === value.data;
  });
}

/**
 * Writes one method's values for `sides`, pointing at `dll` (the protected copy); `changed` is
 * false when the key held every one of them already (`register` then has nothing for EapHost to re-read).
 */
export function writeMethod(method: MethodRegistration, dll: string, sides: Sides): { key: string; changed: boolean } {
  const key = methodKey(method);
  const values: NativeRegistryWrite[] = [];
  if (sides.peer) {
    values.push({ name: 'PeerDllPath', type: 'expandSz', data: dll }, { name: 'PeerFriendlyName', type: 'sz', data: method.name },
      { name: 'PeerInvokeUsernameDialog', type: 'dword', data: 0 }, { name: 'PeerInvokePasswordDialog', type: 'dword', data: 0 });
  }
  if (sides.authenticator) {
    values.push({ name: 'AuthenticatorDllPath', type: 'expandSz', data: dll },
      { name: 'AuthenticatorFriendlyName', type: 'sz', data: method.name });
  }
  values.push({ name: 'Properties', type: 'dword', data: method.properties >>> 0 });
  const authorKey = `${METHODS_KEY}\\${method.author}`;
  const authorValues = AUTHOR_NAME_PLACES.map((name) => ({ name, type: 'sz' as const, data: method.authorName }));
  const changed = !holds(key, values) || !holds(authorKey, authorValues);
  binding.registryWrite({ key, values });
  binding.registryWrite({ key: authorKey, values: authorValues });
  return { key, changed };
}

/** Deletes `key`, then each ancestor below the Methods key left empty (the author's name is ours). */
function deleteKeyAndEmptyParents(key: string): void {
  binding.registryDelete({ key });
  for (let parent = key.slice(0, key.lastIndexOf('\\')); parent.length > METHODS_KEY.length;
    parent = parent.slice(0, parent.lastIndexOf('\\'))) {
    const state = readKey(parent);
    if (!state || state.subkeys.length > 0 || [...state.values.keys()].some((name) => !AUTHOR_NAME_PLACES.includes(name))) return;
    binding.registryDelete({ key: parent });
  }
}

/** Removes `sides` of one method; the key goes when nothing else is left in it. Says what was done. */
export function removeMethod(method: Parameters<typeof methodKey>[0], sides: Sides): string {
  const key = methodKey(method);
  const state = readKey(key);
  if (!state) return `nothing registered at HKLM\\${key}`;
  const removing = [...(sides.peer ? PEER_VALUES : []), ...(sides.authenticator ? AUTHENTICATOR_VALUES : [])]
    .filter((name) => state.values.has(name));
  if (!DLL_PATH_VALUES.some((name) => state.values.has(name) && !removing.includes(name))) {
    removing.push(...SHARED_VALUES.filter((name) => state.values.has(name)));
  }
  binding.registryDelete({ key, values: removing });
  for (const name of removing) state.values.delete(name);
  // Anything else (values or subkeys another tool added) keeps the key alive.
  if (state.values.size === 0 && state.subkeys.length === 0) {
    deleteKeyAndEmptyParents(key);
    return `removed HKLM\\${key}`;
  }
  return `kept HKLM\\${key} (${[...state.values.keys()].join(', ')})`;
}

/** Every DLL path any method registration names (for whether a copy is still in use). */
export function registeredDllPaths(): string[] {
  const found: string[] = [];
  const walk = (key: string, depth: number): void => {
    const state = readKey(key);
    if (!state) return;
    for (const name of DLL_PATH_VALUES) {
      const value = state.values.get(name);
      if (value && 'data' in value) found.push(String(value.data));
    }
    // <AuthorId>\<Type>\<VendorId>\<VendorType> at most.
    if (depth < 4) for (const sub of state.subkeys) walk(`${key}\\${sub}`, depth + 1);
  };
  walk(METHODS_KEY, 0);
  return found;
}
