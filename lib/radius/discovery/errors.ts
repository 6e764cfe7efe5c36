/**
 * Why dynamic discovery (RFC 7585) found no home server for a realm, as one typed error whose
 * `reason` a proxy can act on and whose message it can pass to the NAS in a Reply-Message.
 */
import { RadiusError } from '../errors';

/**
 * What went wrong, in one word:
 * - `invalid-realm`: the realm is no DNS name (never sent to the resolver);
 * - `nxdomain`: the realm's name does not exist in the DNS;
 * - `no-naptr`: the name exists and holds no NAPTR record;
 * - `no-service`: NAPTR records, none for RADIUS/TLS or RADIUS/DTLS with flag "s";
 * - `no-srv`: the NAPTR records' replacements hold no usable SRV record;
 * - `no-address`: the SRV targets have no A or AAAA record;
 * - `timeout`: the DNS did not answer within the discovery's time bound;
 * - `dns-error`: the DNS server failed (SERVFAIL, REFUSED, unreachable, a malformed answer);
 * - `busy`: too many discoveries already under way: none was started for this one;
 * - `cert-refused`: the home server found presented a certificate naming neither its SRV target nor
 *   the realm's NAIRealm (RFC 7585 §2.3), as a proxy tells its discovery (RadiusDiscovery.refuse).
 */
export const RADIUS_DISCOVERY_REASONS = [
  'invalid-realm', 'nxdomain', 'no-naptr', 'no-service', 'no-srv', 'no-address', 'timeout', 'dns-error', 'busy', 'cert-refused',
] as const;
export type RadiusDiscoveryReason = typeof RADIUS_DISCOVERY_REASONS[number];

/** RFC 2865 §5.18: one Reply-Message attribute holds at most 253 octets. */
const MAX_REPLY_MESSAGE = 253;

/** No home server was found for a realm: `reason` says why, the message in words a NAS's user can be shown. */
export class RadiusDiscoveryError extends RadiusError {
  readonly reason: RadiusDiscoveryReason;
  /** The realm as it was looked up (lower case), or as given (shortened) when it was refused. */
  readonly realm: string;
  /** What went wrong in words, without the realm and the reason (the message has both). */
  readonly detail: string;
  constructor(reason: RadiusDiscoveryReason, realm: string, detail: string) {
    super('ERR_RADIUS_DISCOVERY', `no home server found for realm ${JSON.stringify(realm)}: ${reason}: ${detail}`);
    this.reason = reason;
    this.realm = realm;
    this.detail = detail;
  }

  /** The message as an Access-Reject's Reply-Message carries it: after `prefix`, at most 253 octets
   *  of UTF-8 (RFC 2865 §5.18), cut between characters. */
  replyMessage(prefix = 'eaphost proxy: '): string {
    const characters = [...`${prefix}${this.message}`];
    while (Buffer.byteLength(characters.join('')) > MAX_REPLY_MESSAGE) characters.pop();
    return characters.join('');
  }
}
