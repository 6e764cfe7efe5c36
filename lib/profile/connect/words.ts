/**
 * What each category means to the person at the keyboard, and the one thing they can do next:
 * the words connect() and `eaphost connect` give with every outcome, whichever OS produced it.
 */
import type { ConnectCategory } from './outcome';

export interface CategoryWords {
  /** One sentence: what happened. */
  message: string;
  /** What the user can do next; absent when connected. */
  nextStep?: string;
}

const WORDS: Record<ConnectCategory, CategoryWords> = {
  connected: { message: 'Connected: the network accepted the credentials.' },
  authenticated: { message: 'Authenticated: the network accepted the credentials; the attempt stopped there, as asked, without seeking an address.' },
  'no-address': {
    message: 'The network accepted the credentials, but the machine got no address: no DHCP server answered on the network the port or access point put it on.',
    nextStep: 'Ask the network\'s administrator whether the VLAN this account is assigned to has a DHCP server (or relay) that answers, or whether the account should be on another VLAN; the credentials need no change.',
  },
  'credentials-rejected': {
    message: 'The network refused the credentials.',
    nextStep: 'Check the identity and password (or ask the network\'s administrator whether the account is active), then connect again.',
  },
  'server-untrusted': {
    message: 'The authentication server\'s certificate does not chain to a CA the profile trusts.',
    nextStep: 'Get the current profile from the network\'s administrator (its CA may have changed); do not connect to a server the profile cannot verify.',
  },
  'server-name-mismatch': {
    message: 'The authentication server\'s certificate does not carry a name the profile accepts.',
    nextStep: 'Compare the profile\'s server names with the server\'s certificate together with the network\'s administrator: a mismatch can also mean another party\'s server answered.',
  },
  'client-certificate': {
    message: 'The client certificate was missing, not valid, expired or refused.',
    nextStep: 'Install a valid client certificate (PKCS#12) for this profile, or ask the network\'s administrator for a new one.',
  },
  'no-authenticator': {
    message: 'No 802.1X authenticator answered: the network was not found, or this port or access point does not run 802.1X.',
    nextStep: 'Check that the network is in range (Wi-Fi) or the cable is in an 802.1X port (wired), and that the interface is the right one (--interface).',
  },
  'interaction-required': {
    message: 'The system needed input from a user and had no way to ask for it.',
    nextStep: 'Put the identity and password (or the client certificate) in the profile, or connect from the user\'s own session, then connect again.',
  },
  timeout: {
    message: 'The attempt did not finish in time.',
    nextStep: 'Try again with a longer timeout (--timeout); if it keeps happening, the authentication server may be unreachable from this network.',
  },
  policy: {
    message: 'The system or the profile\'s settings do not allow this connection.',
    nextStep: 'Check the profile against the system\'s policy (group policy, allowed EAP methods) and what the interface supports.',
  },
  interrupted: {
    message: 'Something on this machine ended the attempt before the network answered: another connection took the interface, a user or program took it down, or the interface or the supplicant went away.',
    nextStep: 'See what else manages the interface (a connection set to connect automatically, another tool, a cable or adapter removed), then connect again.',
  },
  unknown: {
    message: 'The connection failed for a reason the codes do not explain.',
    nextStep: 'Look at the raw codes (--json) and at the system\'s log: NetworkManager\'s journal, or the WLAN-AutoConfig / Wired-AutoConfig event log.',
  },
};

/** The words for a category (a copy: callers may change theirs). */
export function categoryWords(category: ConnectCategory): CategoryWords {
  const words = WORDS[category] ?? WORDS.unknown;
  return { ...words };
}

