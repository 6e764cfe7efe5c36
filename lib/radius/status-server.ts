import { performance } from 'node:perf_hooks';
import { RadiusAttributeType, RadiusCode } from './constants';
import { RadiusEndpoint } from './endpoint';
import { DecodedRadiusPacket, textAttribute } from './packet';
import { secretBytes, signAccessRequest } from './signing';
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
  reply: DecodedRadiusPacket;
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
  const secret = secretBytes(endpoint.secret);
  // Identifiers are ours alone on the exchange's socket: count up from a random start.
  const firstIdentifier = Math.floor(Math.random() * 256);
  const answer = await udpExchange(endpoint, {
    timeoutMs, tries, signal: options.signal, secret, answerCodes: ALIVE_CODES,
    makeTry: (number) => {
      const identifier = (firstIdentifier + number - 1) & 0xff;
      // Message-Authenticator is mandatory in Status-Server (RFC 5997 §3); signAccessRequest puts it first.
      const { datagram, requestAuthenticator } = signAccessRequest(identifier,
        [{ type: RadiusAttributeType.NasIdentifier, value: textAttribute('eaphost') }], secret, RadiusCode.StatusServer);
      return { identifier, datagram, requestAuthenticator };
    },
  });
  const { reply } = answer;
  return {
    code: reply.code, latencyMs: Math.round((performance.now() - answer.answered.sentAt) * 100) / 100,
    tries: answer.answered.number, reply,
    messageAuthenticator: reply.attributes.some((a) => a.type === RadiusAttributeType.MessageAuthenticator),
  };
}
