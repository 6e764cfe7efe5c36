/**
 * An interface's GUID from its name (the wired one's, and a WLAN interface's), through the API: the adapters GetAdaptersAddresses
 * lists (the addon's networkAdapters(), native/platform/network_adapters_win32.cc), each with its
 * UTF-16 friendly name, the name the user sees and gives ("Ethernet", "イーサネット", "以太网",
 * "이더넷" on a localized Windows), and its GUID, which Wired AutoConfig's records carry. No
 * console text is read: netsh writes its lists in the console's code page, with translated
 * labels. Names are compared as Windows compares them, without regard to case, one character
 * at a time (simple upper-casing: "ß" stays itself, never "SS").
 */
import type { NativeNetworkAdapter } from '../../native/contract';

const upper = (text: string): string => [...text].map((c) => {
  const u = c.toUpperCase();
  return [...u].length === 1 ? u : c;
}).join('');

/** The adapter named `name` (without regard to case), or undefined when none is. */
export function adapterNamed(adapters: readonly NativeNetworkAdapter[], name: string): NativeNetworkAdapter | undefined {
  const wanted = upper(name);
  return adapters.find((adapter) => upper(adapter.friendlyName) === wanted);
}

/** The adapters' names, for a refusal that says which exist. */
export function adapterNames(adapters: readonly NativeNetworkAdapter[]): string {
  return adapters.map((adapter) => `"${adapter.friendlyName}"`).join(', ') || 'none';
}

/**
 * A WLAN interface as Native Wifi matches it (its GUID or its description) from the name a user
 * gives: an adapter's friendly name, the one Network Connections shows ("Wi-Fi", "WLAN" on a German
 * Windows), becomes that adapter's GUID; anything else (a GUID, a description) is passed as given.
 */
export function wlanInterfaceName(adapters: readonly NativeNetworkAdapter[], name: string): string {
  const adapter = adapterNamed(adapters, name);
  return adapter === undefined ? name : recordGuid(adapter);
}

/** The GUID as Wired AutoConfig's records write it: braces, upper case. */
export function recordGuid(adapter: NativeNetworkAdapter): string {
  return `{${adapter.guid.replace(/^\{|\}$/g, '').toUpperCase()}}`;
}
