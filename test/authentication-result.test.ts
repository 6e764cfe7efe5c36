/**
 * How authenticate() turns a peer's result into a typed failure: the EAP_ERROR when GetResult
 * gives one, and the failure reason code when it gives none (Windows' own methods may report a
 * rejected password only there; docs/WINDOWS-CONTRACT.md).
 */
import { strict as assert } from 'assert';
import { EapError } from '../lib';
import { authenticationResult } from '../lib/session/authentication-result';
import type { EapHostResult } from '../lib/session/eaphost';

// eaphosterror.h's EAP_E_USER_NAME_PASSWORD_REJECTED, written out here as the header has it.
const USER_NAME_PASSWORD_REJECTED = 0x80420112;

function failedPeer(fields: Partial<EapHostResult>): EapHostResult {
  return {
    success: false, failureReasonCode: 0, saveConnectionData: false, connectionData: Buffer.alloc(0),
    saveUserData: false, userData: Buffer.alloc(0), attributes: [], isolationState: 0, ...fields,
  };
}

describe('authentication result: a failure the peer reported', () => {
  it('types a failure reason code that came without an EAP_ERROR', () => {
    const result = authenticationResult({ kind: 'failure' },
      failedPeer({ failureReasonCode: USER_NAME_PASSWORD_REJECTED }), 26, 'alice', 3, false);
    assert.equal(result.success, false);
    assert.ok(result.error instanceof EapError);
    assert.equal(result.error.reasonCode, USER_NAME_PASSWORD_REJECTED);
    assert.equal(result.error.call, 'EapHostPeerGetResult');
    assert.match(result.error.rootCause, /EAP_E_USER_NAME_PASSWORD_REJECTED/);
    assert.match(result.reason ?? '', /EAP_E_USER_NAME_PASSWORD_REJECTED/);
  });

  it('keeps a Win32 failure reason as the error code, with no EAP reason', () => {
    const result = authenticationResult({ kind: 'failure' }, failedPeer({ failureReasonCode: 691 }), 26, 'alice', 3, false);
    assert.equal(result.error?.win32Error, 691);
    assert.equal(result.error?.reasonCode, 0);
    assert.match(result.error?.rootCause ?? '', /0x2b3/);
  });

  it('prefers the EAP_ERROR when GetResult gave one', () => {
    const stated = new EapError({ win32Error: 691, rootCause: 'E=691 R=0 wrong password', origin: 'method' });
    const result = authenticationResult({ kind: 'failure' },
      failedPeer({ failureReasonCode: USER_NAME_PASSWORD_REJECTED, error: stated }), 26, 'alice', 3, false);
    assert.equal(result.error?.win32Error, 691);
    assert.equal(result.error?.retry, false);
  });

  it('reports no peer error when the peer reported neither', () => {
    const result = authenticationResult({ kind: 'failure', reason: 'EAP-Failure' }, failedPeer({}), 26, 'alice', 3, false);
    assert.equal(result.error, undefined);
    assert.equal(result.reason, 'EAP-Failure');
  });
});
