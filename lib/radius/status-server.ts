import { createSocket, RemoteInfo, Socket } from 'node:dgram';
import { performance } from 'node:perf_hooks';
import { RadiusAttributeType, RadiusCode } from './constants';
import { canonicalAddress, formatHostPort, RadiusEndpoint, resolveHost } from './endpoint';
import { RadiusAbortedError, RadiusAuthenticatorMismatchError, RadiusTimeoutError } from './errors';
import { decodeRadiusPacket, DecodedRadiusPacket, textAttribute } from './packet';
import { secretBytes, signAccessRequest, verifyResponse } from './signing';

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

interface Try {
  requestAuthenticator: Buffer;
  sentAt: number;
  number: number;
}

export async function statusServer(endpoint: RadiusEndpoint, options: StatusServerOptions = {})
  : Promise<StatusServerReply> {
  const timeoutMs = options.timeoutMs ?? 3000;
  const tries = options.tries ?? 3;
  if (!(timeoutMs > 0) || !Number.isInteger(tries) || tries < 1) {
    throw new RangeError('statusServer needs timeoutMs > 0 and tries >= 1');
  }
  const secret = secretBytes(endpoint.secret);
  const target = await resolveHost(endpoint.host);
  const server = formatHostPort(target.address, endpoint.port);
  if (options.signal?.aborted) throw new RadiusAbortedError();
  const socket: Socket = createSocket(target.family === 4 ? 'udp4' : 'udp6');
  await new Promise<void>((resolve, reject) => {
    socket.once('error', reject);
    socket.bind(0, () => {
      socket.removeListener('error', reject);
      resolve();
    });
  });
  socket.on('error', () => undefined);
  const started = Date.now();
  // Identifiers are ours alone on this socket: count up from a random start.
  let nextIdentifier = Math.floor(Math.random() * 256);
  const outstanding = new Map<number, Try>();
  let unauthenticated = 0;

  return new Promise<StatusServerReply>((resolve, reject) => {
    let timer: NodeJS.Timeout | undefined;
    let sent = 0;
    const interval = Math.max(1, Math.floor(timeoutMs / tries));
    const finish = (error: Error | undefined, result?: StatusServerReply): void => {
      if (timer) clearTimeout(timer);
      options.signal?.removeEventListener('abort', onAbort);
      socket.close();
      if (error) reject(error);
      else resolve(result!);
    };
    const onAbort = (): void => finish(new RadiusAbortedError());
    const transmit = (): void => {
      sent++;
      const identifier = nextIdentifier++ & 0xff;
      // Message-Authenticator is mandatory in Status-Server (RFC 5997 §3); signAccessRequest puts it first.
      const { datagram, requestAuthenticator } = signAccessRequest(identifier,
        [{ type: RadiusAttributeType.NasIdentifier, value: textAttribute('eaphost') }], secret, RadiusCode.StatusServer);
      outstanding.set(identifier, { requestAuthenticator, sentAt: performance.now(), number: sent });
      socket.send(datagram, endpoint.port, target.address);
      timer = setTimeout(onTimer, sent === tries ? timeoutMs - interval * (tries - 1) : interval);
    };
    const onTimer = (): void => {
      if (sent < tries) {
        transmit();
        return;
      }
      finish(unauthenticated > 0
        ? new RadiusAuthenticatorMismatchError(server, unauthenticated)
        : new RadiusTimeoutError(server, sent, Date.now() - started));
    };
    socket.on('message', (message: Buffer, remote: RemoteInfo) => {
      if (canonicalAddress(remote.address) !== target.address || remote.port !== endpoint.port) return;
      let reply: DecodedRadiusPacket;
      try {
        reply = decodeRadiusPacket(message);
      } catch {
        return;
      }
      const attempt = outstanding.get(reply.identifier);
      if (!attempt || !ALIVE_CODES.includes(reply.code)) return;
      if (!verifyResponse(reply, attempt.requestAuthenticator, secret)) {
        unauthenticated++;
        return;
      }
      finish(undefined, {
        code: reply.code, latencyMs: Math.round((performance.now() - attempt.sentAt) * 100) / 100, tries: attempt.number, reply,
        messageAuthenticator: reply.attributes.some((a) => a.type === RadiusAttributeType.MessageAuthenticator),
      });
    });
    if (options.signal) options.signal.addEventListener('abort', onAbort, { once: true });
    transmit();
  });
}
