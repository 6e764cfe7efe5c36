/**
 * What authenticate() reports of one authentication: the verdict both ends agree on, the
 * peer's and the authenticator's attributes, the keys and how they compare across the ends,
 * and a failure's typed reasons. Made the same way whether the conversation went hop by hop
 * or in one native job.
 */
import type { EapAttribute } from '../core/attributes';
import { EapReason } from '../core/constants';
import { EapError } from '../core/errors';
import { emskOf, mskMatchesMppeKeys, mskOf, resumedOf, sessionIdOf } from '../core/keys';
import type { TransportReply } from '../core/transport';
import type { EapHostResult } from './eaphost';

export interface AuthenticationResult {
  success: boolean;
  /** The EAP type the peer's method ran. */
  method: number;
  identity: string;
  /** EAP Request/Response exchanges. */
  roundTrips: number;
  /** The peer method's result attributes and the authenticator's (e.g. MSK parts). */
  attributes: EapAttribute[];
  /** Why it failed, when it did. */
  reason?: string;
  /** The peer method's typed failure, when it reported one: e.g. MSCHAPv2's E=691 (bad
   *  credentials, `win32Error` 691), 648 (password expired), 647 (account disabled), with
   *  `retry` from R=. */
  error?: EapError;
  /** The authenticator's typed refusal, when it said why (an in-process authenticator whose
   *  method refused, e.g., a revoked client certificate: subject, serial, reason, date). */
  authenticatorError?: EapError;
  /** The MSK the peer's method derived (MS-MPPE-Recv-Key ‖ MS-MPPE-Send-Key as it reports
   *  them), when it derives one. Zero-filled when the session ends. */
  msk?: Buffer;
  /** The EMSK, for methods that define one. Zero-filled when the session ends. */
  emsk?: Buffer;
  /** The method's Session-Id (RFC 5247; for EAP-TLS, PEAP and EAP-TTLS: the type and the TLS
   *  randoms on TLS 1.2, the type and the exporter's Method-Id on TLS 1.3), for methods that
   *  define one. */
  sessionId?: Buffer;
  /** For EAP-TLS, PEAP and EAP-TTLS: whether the peer resumed an earlier TLS session with this
   *  server (kept within this EapHost) instead of a full handshake; on PEAP a resumed session
   *  may skip phase 2 (MS-PEAP fast reconnect). Undefined for methods that do not say. */
  resumed?: boolean;
  /** When the peer derived an MSK and the authenticator said Success: true only if the MPPE
   *  keys the authenticator released (over RADIUS: decrypted from the Access-Accept) equal it,
   *  Recv-Key the first half and Send-Key the second. */
  mppeKeysMatch?: boolean;
  peerResult?: EapHostResult;
}

/** The peer's failure, with `retry` read from the method's text where it states it (R=0 / R=1).
 *  When GetResult carried no EAP_ERROR, the result's failure reason code is the failure: Windows'
 *  own methods may report a rejected password only there (docs/WINDOWS-CONTRACT.md). */
function typedFailure(peerResult: EapHostResult | undefined): EapError | undefined {
  const error = peerResult?.error;
  if (!error) return reasonCodeFailure(peerResult?.failureReasonCode ?? 0);
  const stated = /\bR=([01])\b/.exec(error.rootCause);
  if (!stated || error.retry !== undefined) return error;
  return new EapError({ ...error, retry: stated[1] === '1' });
}

// EAPHost's reason codes are HRESULTs of its own facility (eaphosterror.h: 0x8042xxxx).
const EAP_REASON_FACILITY = 0x80420000;

function reasonCodeFailure(code: number): EapError | undefined {
  const reason = code >>> 0;
  if (reason === 0) return undefined;
  const eapReason = (reason & 0xffff0000) >>> 0 === EAP_REASON_FACILITY;
  const name = Object.entries(EapReason).find(([, value]) => value === reason)?.[0];
  const described = name ?? `0x${reason.toString(16)}`;
  return new EapError({
    win32Error: reason,
    reasonCode: eapReason ? reason : 0,
    call: 'EapHostPeerGetResult',
    rootCause: `the method failed with reason ${described} and gave no EAP_ERROR`,
    origin: 'method',
  });
}

const NO_ATTRIBUTES: readonly EapAttribute[] = Object.freeze([]);

/** The result of the authenticator's last reply `reply` and the peer's result `peerResult`
 *  (undefined when no outcome reached the peer), for a session of EAP type `method`. With
 *  `keepKeys`, the MSK and EMSK the peer derived are the result's `msk` and `emsk`; without (a
 *  session ended with the authentication, its keys zero-filled), the result has no such fields,
 *  never added and deleted: a deleted field turns the result into a dictionary of its fields,
 *  a few hundred bytes more garbage for each authentication. */
export function authenticationResult(reply: Pick<TransportReply, 'kind' | 'attributes' | 'reason' | 'error'>,
                                     peerResult: EapHostResult | undefined, method: number, identity: string,
                                     roundTrips: number, keepKeys: boolean): AuthenticationResult {
  const success = reply.kind === 'success' && peerResult?.success === true;
  const peerAttributes = peerResult?.attributes ?? NO_ATTRIBUTES;
  const authenticatorAttributes = reply.attributes ?? NO_ATTRIBUTES;
  const result: AuthenticationResult = {
    success,
    method,
    identity,
    roundTrips,
    attributes: peerAttributes.concat(authenticatorAttributes),
    peerResult,
  };
  if (peerResult?.success) {
    if (keepKeys) {
      result.msk = mskOf(peerAttributes);
      result.emsk = emskOf(peerAttributes);
    }
    result.sessionId = sessionIdOf(peerAttributes);
    const resumed = resumedOf(peerAttributes);
    if (resumed !== undefined) result.resumed = resumed;
    // Defined exactly when the peer's attributes hold an MSK.
    const keysMatch = reply.kind === 'success' ? mskMatchesMppeKeys(peerAttributes, authenticatorAttributes) : undefined;
    if (keysMatch !== undefined) result.mppeKeysMatch = keysMatch;
  }
  if (!success) {
    result.error = typedFailure(peerResult);
    result.reason = reply.kind === 'success' ? 'the authenticator sent EAP-Success but the peer did not accept it'
      : reply.reason ?? 'EAP-Failure';
    if (result.error?.rootCause) result.reason += `: ${result.error.rootCause}`;
    if (reply.error) result.authenticatorError = reply.error;
  }
  return result;
}

/** The buffers of `result` (made from `reply`) that may hold key material: the authenticator's
 *  attributes' values and the result's MSK and EMSK. They live as long as the session. */
export function resultSecrets(reply: Pick<TransportReply, 'attributes'>, result: AuthenticationResult): Buffer[] {
  const secrets: Buffer[] = [];
  for (const attribute of reply.attributes ?? NO_ATTRIBUTES) secrets.push(attribute.value);
  if (result.msk) secrets.push(result.msk);
  if (result.emsk) secrets.push(result.emsk);
  return secrets;
}
