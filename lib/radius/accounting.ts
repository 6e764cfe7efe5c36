import { createHash, randomInt } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { AUTHENTICATOR_LENGTH } from './constants';
import { RadiusEndpoint } from './endpoint';
import { DecodedRadiusPacket, encodeRadiusPacket, RadiusAttribute } from './packet';
import { secretBytes } from './signing';
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
  reply: DecodedRadiusPacket;
}

/** Encodes an Accounting-Request and fills in its authenticator (RFC 2866 §3). */
export function signAccountingRequest(identifier: number, attributes: RadiusAttribute[], secret: Buffer): Buffer {
  const datagram = encodeRadiusPacket({
    code: AccountingCode.Request, identifier, authenticator: Buffer.alloc(AUTHENTICATOR_LENGTH), attributes,
  });
  createHash('md5').update(datagram).update(secret).digest().copy(datagram, 4);
  return datagram;
}

export async function accountingRequest(endpoint: RadiusEndpoint, attributes: RadiusAttribute[],
  options: AccountingOptions = {}): Promise<AccountingReply> {
  const timeoutMs = options.timeoutMs ?? 6000;
  const tries = options.tries ?? 3;
  if (!(timeoutMs > 0) || !Number.isInteger(tries) || tries < 1) {
    throw new RangeError('accountingRequest needs timeoutMs > 0 and tries >= 1');
  }
  const secret = secretBytes(endpoint.secret);
  const identifier = randomInt(256);
  const datagram = signAccountingRequest(identifier, attributes, secret);
  const requestAuthenticator = Buffer.from(datagram.subarray(4, 4 + AUTHENTICATOR_LENGTH));
  // Every try resends the same bytes, so the latency runs from the first one.
  const answer = await udpExchange(endpoint, {
    timeoutMs, tries, signal: options.signal, secret, answerCodes: [AccountingCode.Response],
    makeTry: () => ({ identifier, datagram, requestAuthenticator }),
  });
  return {
    latencyMs: Math.round((performance.now() - answer.startedAt) * 100) / 100, tries: answer.sent, reply: answer.reply,
  };
}
