/**
 * The policy's word where no RADIUS reply goes out (an EAPOL port's embedded authenticator): the
 * same rules, compiled by native/radius and matched there, or authorize() checked as the RADIUS
 * server checks it; the attributes come from native/radius's one encoder, as the server would
 * send them.
 */
import { EapError, thrownText } from '../core/errors';
import { bounded } from '../core/abortable';
import { binding, NativeRadiusPolicy, RadiusPolicy as NativePolicy } from '../native';
import { Authorize, AuthorizeRequest, RadiusPolicy, checkAuthorizeResult, checkPolicy } from './policy';
import { PAP_METHOD, MAB_METHOD } from './policy';
import { methodTypeOfName } from '../core/method-facts';
import type { RadiusAttribute } from './attributes';

export interface PolicyDecision {
  reject: boolean;
  /** Why, on reject. */
  reason?: string;
  /** What the Accept carries, encoded as RADIUS would send it. */
  attributes: RadiusAttribute[];
}

export type Decide = (request: AuthorizeRequest) => Promise<PolicyDecision>;

/** The rules of a checked policy compiled once as the engine will (each reply encoded, each NAS
 *  network read), so that what only the encoder can tell is said when the policy is given: a
 *  reply that cannot fit in an Access-Accept beside EAP's share, a network with host bits set.
 *  Throws a RangeError naming `where`'s rule. */
export function compilePolicyRules(policy: NativePolicy, where = 'policy'): void {
  try {
    binding.radiusPolicyOpen({ policy: { rules: policy.rules } });
  } catch (error) {
    if (!(error instanceof RangeError || error instanceof TypeError)) throw error;
    throw new RangeError(`${where}.${error.message}`);
  }
}

/** A decider from a policy (matched natively) or authorize() (bounded by timeoutMs); none: undefined. */
export function policyDecider(policy: RadiusPolicy | undefined, authorize: Authorize | undefined, timeoutMs: number): Decide | undefined {
  if (policy === undefined && authorize === undefined) return undefined;
  if (policy !== undefined && authorize !== undefined) throw new TypeError('give policy or authorize, not both');
  const compiled: NativeRadiusPolicy = binding.radiusPolicyOpen({ policy: checkPolicy(policy) });
  if (policy !== undefined) {
    return async (request) => {
      const method = request.method === 'pap' ? PAP_METHOD : request.method === 'mab' ? MAB_METHOD : methodTypeOfName(request.method) ?? 0;
      const verdict = compiled.evaluate({
        user: request.user, userName: request.userName, method, nasIdentifier: request.nasIdentifier,
        nasAddress: request.nasAddress, calledStationId: request.calledStationId, callingStationId: request.callingStationId,
        ...(request.nasPortType !== undefined ? { nasPortType: request.nasPortType } : {}),
      });
      return verdict.reject ? { reject: true, reason: `the policy's rule ${verdict.rule} rejects`, attributes: [] }
        : { reject: false, attributes: verdict.attributes };
    };
  }
  return async (request) => {
    let result: unknown;
    try {
      result = await bounded(Promise.resolve().then(() => authorize!(request)), 'authorize', undefined, { ms: timeoutMs, what: 'authorize()' });
    } catch (error) {
      return { reject: true, reason: `authorize() failed: ${error instanceof EapError ? error.rootCause : thrownText(error)}`, attributes: [] };
    }
    try {
      const checked = checkAuthorizeResult(result);
      if ('reject' in checked) return { reject: true, reason: 'authorize() rejects', attributes: [] };
      return { reject: false, attributes: compiled.encode({ reply: checked.reply }) };
    } catch (error) {
      return { reject: true, reason: thrownText(error), attributes: [] };
    }
  };
}
