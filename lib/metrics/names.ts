/** Label values the metrics (and serve's log) give EAP methods and TLS versions. */
import { methodName } from '../radius/policy';
import { shippedMethodOfType } from '../session/builtin';

/** EAP-TTLS's AVP phase 2 methods (RFC 5281 §11.2), as the engine numbers them past 256 (RadiusVerdictTally's inner). */
const TTLS_AVP_METHODS = ['pap', 'chap', 'mschap', 'mschapv2'];

/** An EAP type's name as the log and the metrics give it: the method's, identity for type 1, pap and mab. */
export function eapTypeName(type: number): string {
  return type === 1 ? 'identity' : shippedMethodOfType(type) ?? methodName(type);
}

/** A tunnel's inner method by name: an EAP method's, EAP-TTLS's AVP phase 2 as "ttls-" and its name; "" for none. */
export function innerMethodName(inner: number): string {
  if (inner === 0) return '';
  return inner < 256 ? eapTypeName(inner) : `ttls-${TTLS_AVP_METHODS[inner - 257] ?? inner}`;
}

/** A TLS version's wire value by name: 0x0303 is "1.2". */
export function tlsVersionName(version: number): string {
  return version >> 8 === 3 ? `1.${(version & 0xff) - 1}` : `0x${version.toString(16)}`;
}
