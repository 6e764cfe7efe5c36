/**
 * A realm as dynamic discovery may look it up: a DNS name of letters, digits and hyphens (an
 * internationalized realm in its A-label form), checked before any of it reaches a resolver. The
 * realm comes from a User-Name, which is whatever the user typed, or whatever an attacker sent.
 */
import { domainToASCII } from 'node:url';
import { RadiusDiscoveryError } from './errors';

/** RFC 1035 §2.3.4: a name of at most 253 characters written out, each label at most 63. */
const MAX_NAME = 253;
const MAX_LABEL = 63;
/** How much of a refused realm an error message repeats. */
const SHOWN = 64;
const LABEL = /^[a-z0-9]([a-z0-9-]*[a-z0-9])?$/;

/**
 * The realm in the form it is looked up in: lower case, A-labels, no trailing dot; a realm that
 * cannot be a DNS name of two labels or more is a RadiusDiscoveryError('invalid-realm'). A single
 * label is refused because a resolver would try it under its search domains: the realm of a user
 * would become a name of this network.
 */
export function discoveryRealm(realm: string): string {
  if (typeof realm !== 'string') throw new TypeError('the realm must be a string');
  const shown = realm.length > SHOWN ? `${realm.slice(0, SHOWN)}…` : realm;
  const refuse = (why: string): never => {
    throw new RadiusDiscoveryError('invalid-realm', shown, why);
  };
  if (realm.length === 0 || realm.length > MAX_NAME) refuse(`a realm is 1 to ${MAX_NAME} characters`);
  if (realm.includes('@')) refuse('a realm holds no "@" (what follows the last "@" of a User-Name is its realm)');
  // domainToASCII lower-cases and turns U-labels into A-labels; '' for what cannot be a domain name.
  // Its own failures are refusals too: what it accepts is checked again below.
  // eslint-disable-next-line no-control-regex
  const ascii = /^[\x00-\x7f]*$/.test(realm) ? realm.toLowerCase() : domainToASCII(realm);
  const name = ascii.endsWith('.') ? ascii.slice(0, -1) : ascii;
  if (name.length === 0 || name.length > MAX_NAME) refuse('not a DNS name');
  const labels = name.split('.');
  if (labels.length < 2) refuse('a realm for discovery has two labels or more (example.org)');
  for (const label of labels) {
    if (label.length === 0 || label.length > MAX_LABEL || !LABEL.test(label)) {
      refuse(`each label is 1 to ${MAX_LABEL} letters, digits or inner hyphens`);
    }
  }
  if (/^\d+$/.test(labels[labels.length - 1])) refuse('an address is not a realm');
  return name;
}
