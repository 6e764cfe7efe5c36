import { RadiusAttributeType, RadiusCode } from './constants';
import { RadiusEndpoint } from './endpoint';
import { encodeAttributes, textOf } from './attribute-codec';
import { RadiusPacket } from './attributes';
import { udpExchange } from './udp-exchange';

/**
 * Status-Server (RFC 5997): "are you alive, and do we share a secret?" without authenticating
 * anyone. Unlike an Access-Request, an unanswered Status-Server is never retransmitted as is
 * (RFC 5997 §4.1): each try is a new packet with its own Identifier and Request Authenticator,
 * and the latency reported is that of the try that was answered.
 */
export interface StatusServerOptions {
  /** Total time over all tries. Default 3000 ms. */
  timeoutMs?: number;
  /** Status-Server packets sent at most. Default 3. */
  tries?: number;
  signal?: AbortSignal;
}

export interface StatusServerReply {
  /** Access-Accept on an authentication port, Accounting-Response on an accounting port. */
  code: number;
  latencyMs: number;
  /** Which try was answered (1-based). */
  tries: number;
  /** Whether the reply carried a (verified) Message-Authenticator. */
  messageAuthenticator: boolean;
  reply: RadiusPacket;
}

const ACCOUNTING_RESPONSE = 5;
const ALIVE_CODES: readonly number[] = [RadiusCode.AccessAccept, ACCOUNTING_RESPONSE];

export async function statusServer(endpoint: RadiusEndpoint, options: StatusServerOptions = {})
  : Promise<StatusServerReply> {
  const timeoutMs = options.timeoutMs ?? 3000;
  const tries = options.tries ?? 3;
  if (!(timeoutMs > 0) || !Number.isInteger(tries) || tries < 1) {
    throw new RangeError('statusServer needs timeoutMs > 0 and tries >= 1');
  }
  // Message-Authenticator is mandatory in Status-Server (RFC 5997 §3).
  const answer = await udpExchange(endpoint, {
    timeoutMs, tries, signal: options.signal, code: RadiusCode.StatusServer,
    attributes: encodeAttributes([textOf(RadiusAttributeType.NasIdentifier, 'eaphost')]), messageAuthenticator: true,
    answerCodes: ALIVE_CODES, newPacketEachTry: true,
  });
  const { reply } = answer;
  return {
    code: reply.code, latencyMs: Math.round(answer.answeredAfterMs * 100) / 100, tries: answer.answeredTry, reply,
    messageAuthenticator: reply.attributes.some((a) => a.type === RadiusAttributeType.MessageAuthenticator),
  };
}
