import { strict as assert } from 'node:assert';
import type { AuthenticationResult } from '../../lib';

/** RADIUS codes (RFC 2865 §4) as a server sends them. */
export const RADIUS_CODE = { AccessAccept: 2, AccessReject: 3, AccessChallenge: 11 } as const;

/**
 * The server's own verdict was Access-Reject: it answered (every earlier reply a challenge, so
 * it was alive and talking), the last reply is an Access-Reject, and the peer holds no keys.
 * A dead server, a timeout or a peer that gave up by itself cannot pass this.
 */
export function assertAccessReject(result: AuthenticationResult & { radiusCodes: number[] }, context = ''): void {
  const codes = result.radiusCodes;
  assert.ok(codes.length >= 1, `the server answered at all ${context}`);
  assert.deepEqual(codes.slice(0, -1).filter((code) => code !== RADIUS_CODE.AccessChallenge), [],
    `every reply before the verdict is an Access-Challenge: ${codes.join(',')} ${context}`);
  assert.equal(codes[codes.length - 1], RADIUS_CODE.AccessReject, `the verdict is Access-Reject: ${codes.join(',')} ${context}`);
  assert.equal(result.success, false);
  assert.match(result.reason ?? '', /Access-Reject/, context);
  assert.equal(result.msk, undefined);
  assert.equal(result.emsk, undefined);
}
