import { RadiusEndpoint } from './endpoint';
import { RadiusAttribute, RadiusPacket } from './attributes';
import { udpExchange } from './udp-exchange';

/**
 * Accounting (RFC 2866): one Accounting-Request, answered by an Accounting-Response. Unlike an
 * Access-Request, the Request Authenticator is not random but MD5(Code + Identifier + Length +
 * 16 zero octets + Attributes + secret) (§3), so the server can check the request itself. The
 * same bytes are resent on every try; the reply's Response Authenticator is verified like any other.
 */
export const AccountingCode = { Request: 4, Response: 5 } as const;

/** Acct-Status-Type values (RFC 2866 §5.1). */
export const AcctStatusType = { Start: 1, Stop: 2, InterimUpdate: 3, AccountingOn: 7, AccountingOff: 8 } as const;

export interface AccountingOptions {
  /** Total time over all tries. Default 6000 ms. */
  timeoutMs?: number;
  /** Transmissions at most. Default 3. */
  tries?: number;
  signal?: AbortSignal;
}

export interface AccountingReply {
  latencyMs: number;
  tries: number;
  reply: RadiusPacket;
}

export async function accountingRequest(endpoint: RadiusEndpoint, attributes: RadiusAttribute[],
  options: AccountingOptions = {}): Promise<AccountingReply> {
  const timeoutMs = options.timeoutMs ?? 6000;
  const tries = options.tries ?? 3;
  if (!(timeoutMs > 0) || !Number.isInteger(tries) || tries < 1) {
    throw new RangeError('accountingRequest needs timeoutMs > 0 and tries >= 1');
  }
  // Every try resends the same bytes, so the latency runs from the first one.
  const answer = await udpExchange(endpoint, {
    timeoutMs, tries, signal: options.signal, code: AccountingCode.Request, attributes, messageAuthenticator: false,
    answerCodes: [AccountingCode.Response],
  });
  return { latencyMs: Math.round(answer.elapsedMs * 100) / 100, tries: answer.sent, reply: answer.reply };
}
