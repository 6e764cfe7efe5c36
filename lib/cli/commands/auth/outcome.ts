/**
 * What `eaphost auth` reports beyond success or failure, the same way in embedded and RADIUS
 * mode: whether the MPPE keys match our MSK, the keys themselves only with --show-keys, the
 * method's typed failure. Attribute values are never printed: they may be key material.
 */
import { AuthenticationResult } from '../../../session/authenticate';
import { EapError } from '../../../core/errors';

export interface OutcomeOptions {
  showKeys: boolean;
}

/** The JSON fields: mppeKeysMatch when an MSK was derived, resumed for the TLS methods,
 *  msk/emsk with --show-keys, error. */
export function outcomeJson(result: AuthenticationResult, options: OutcomeOptions): Record<string, unknown> {
  const out: Record<string, unknown> = {
    attributes: result.attributes.map((attribute) => ({ type: attribute.type, length: attribute.value.length })),
  };
  if (result.msk) out.mppeKeysMatch = result.mppeKeysMatch === true;
  // Not a secret: the TLS methods' Session-Id is built from values sent in the clear.
  if (result.sessionId) out.sessionId = result.sessionId.toString('hex');
  if (result.resumed !== undefined) out.resumed = result.resumed;
  if (options.showKeys) {
    if (result.msk) out.msk = result.msk.toString('hex');
    if (result.emsk) out.emsk = result.emsk.toString('hex');
  }
  if (result.error) out.error = errorJson(result.error);
  return out;
}

export function errorJson(error: EapError): Record<string, unknown> {
  return {
    win32Error: error.win32Error,
    reasonCode: error.reasonCode,
    ...(error.retry !== undefined ? { retry: error.retry } : {}),
    rootCause: error.rootCause,
    ...(error.repair ? { repair: error.repair } : {}),
  };
}

/** Extra lines for the human-readable output. */
export function outcomeLines(result: AuthenticationResult, options: OutcomeOptions): string[] {
  const lines: string[] = [];
  if (result.msk) lines.push(`MPPE keys ${result.mppeKeysMatch ? 'match' : 'do not match'} the MSK`);
  if (options.showKeys) {
    if (result.msk) lines.push(`MSK ${result.msk.toString('hex')}`);
    if (result.emsk) lines.push(`EMSK ${result.emsk.toString('hex')}`);
  }
  if (result.error) {
    const retry = result.error.retry === undefined ? '' : result.error.retry ? ' (retry allowed)' : ' (no retry)';
    lines.push(`error ${result.error.win32Error}${retry}: ${result.error.rootCause || result.error.message}`);
  }
  return lines;
}
