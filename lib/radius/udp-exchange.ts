import { createSocket, RemoteInfo } from 'node:dgram';
import { performance } from 'node:perf_hooks';
import { canonicalAddress, formatHostPort, RadiusEndpoint, resolveHost } from './endpoint';
import {
  RadiusAbortedError, RadiusAuthenticatorMismatchError, RadiusMalformedError, RadiusMessageAuthenticatorInvalidError,
  RadiusMessageAuthenticatorMissingError, RadiusTimeoutError,
} from './errors';
import { decodeRadiusPacket, DecodedRadiusPacket } from './packet';
import { checkResponse, responseAuthenticatorValid } from './signing';

/**
 * One RADIUS request that is not part of an EAP conversation (Status-Server, Accounting-Request,
 * CoA-Request, Disconnect-Request): a private UDP socket, up to `tries` transmissions spread over
 * `timeoutMs`, the first verified answer wins. Replies from elsewhere and ones of another code or
 * Identifier are ignored, but a reply under another Identifier whose Response Authenticator proves
 * it answers one of our tries is counted as stray (RFC 2865 §3 drops it; the server is at fault,
 * and the timeout says so); replies that fail verification are counted by why, so a wrong secret (the
 * Response Authenticator) is reported as such, and a reply whose Response Authenticator proves
 * the secret but whose Message-Authenticator is wrong (or missing where it must be: a reply
 * with EAP-Message) is reported as that, never as a secret mismatch. A server that answered only
 * with datagrams that do not parse is reported as malformed, not as silent.
 */
export interface UdpTry {
  identifier: number;
  datagram: Buffer;
  requestAuthenticator: Buffer;
}

export interface UdpExchangeOptions {
  timeoutMs: number;
  tries: number;
  signal?: AbortSignal;
  secret: Buffer;
  /** The datagram of try `number` (1-based): the same bytes again, or a new packet. */
  makeTry(number: number): UdpTry;
  /** Reply codes that answer the request. */
  answerCodes: readonly number[];
  /** Drop replies without a Message-Authenticator (BlastRADIUS, CVE-2024-3596). Default false. */
  requireMessageAuthenticator?: boolean;
}

export interface UdpAnswer {
  reply: DecodedRadiusPacket;
  /** The try the reply answered, and when it was sent (performance.now()). */
  answered: { number: number; sentAt: number };
  /** Transmissions made, and when the first one left. */
  sent: number;
  startedAt: number;
}

export async function udpExchange(endpoint: RadiusEndpoint, options: UdpExchangeOptions): Promise<UdpAnswer> {
  const { timeoutMs, tries, secret } = options;
  const target = await resolveHost(endpoint.host);
  const server = formatHostPort(target.address, endpoint.port);
  if (options.signal?.aborted) throw new RadiusAbortedError();
  const socket = createSocket(target.family === 4 ? 'udp4' : 'udp6');
  await new Promise<void>((resolve, reject) => {
    socket.once('error', reject);
    socket.bind(0, () => {
      socket.removeListener('error', reject);
      resolve();
    });
  });
  socket.on('error', () => undefined);
  const startedAt = performance.now();
  // By Identifier: a resent identical packet replaces its earlier try.
  const outstanding = new Map<number, { requestAuthenticator: Buffer; number: number; sentAt: number }>();
  let unauthenticated = 0;  // wrong Response Authenticator: the secret differs
  let messageAuthenticatorInvalid = 0;
  let messageAuthenticatorMissing = 0;
  let malformed = 0;  // datagrams from the server that are not RADIUS packets
  let stray = 0;  // answers to a try under another Identifier

  return new Promise<UdpAnswer>((resolve, reject) => {
    let timer: NodeJS.Timeout | undefined;
    let sent = 0;
    const interval = Math.max(1, Math.floor(timeoutMs / tries));
    const finish = (error: Error | undefined, result?: UdpAnswer): void => {
      if (timer) clearTimeout(timer);
      options.signal?.removeEventListener('abort', onAbort);
      socket.close();
      if (error) reject(error);
      else resolve(result!);
    };
    const onAbort = (): void => finish(new RadiusAbortedError());
    const transmit = (): void => {
      sent++;
      const attempt = options.makeTry(sent);
      outstanding.set(attempt.identifier,
        { requestAuthenticator: attempt.requestAuthenticator, number: sent, sentAt: performance.now() });
      socket.send(attempt.datagram, endpoint.port, target.address);
      timer = setTimeout(onTimer, sent === tries ? timeoutMs - interval * (tries - 1) : interval);
    };
    const onTimer = (): void => {
      if (sent < tries) {
        transmit();
        return;
      }
      finish(unauthenticated > 0 ? new RadiusAuthenticatorMismatchError(server, unauthenticated)
        : messageAuthenticatorInvalid > 0 ? new RadiusMessageAuthenticatorInvalidError(server, messageAuthenticatorInvalid)
          : messageAuthenticatorMissing > 0 ? new RadiusMessageAuthenticatorMissingError(server, messageAuthenticatorMissing)
            : malformed > 0 ? new RadiusMalformedError(`RADIUS server ${server} answered only with ${malformed} ` +
              `${malformed === 1 ? 'datagram that is' : 'datagrams that are'} not well-formed RADIUS packets`)
              : new RadiusTimeoutError(server, sent, Math.round(performance.now() - startedAt), stray));
    };
    socket.on('message', (message: Buffer, remote: RemoteInfo) => {
      if (canonicalAddress(remote.address) !== target.address || remote.port !== endpoint.port) return;
      let reply: DecodedRadiusPacket;
      try {
        reply = decodeRadiusPacket(message);
      } catch {
        malformed++;
        return;
      }
      if (!options.answerCodes.includes(reply.code)) return;
      const attempt = outstanding.get(reply.identifier);
      if (!attempt) {
        for (const other of outstanding.values()) {
          if (responseAuthenticatorValid(reply, other.requestAuthenticator, secret)) {
            stray++;
            break;
          }
        }
        return;
      }
      const check = checkResponse(reply, attempt.requestAuthenticator, secret,
        options.requireMessageAuthenticator ?? false);
      if (check !== 'valid') {
        if (check === 'bad-response-authenticator') unauthenticated++;
        else if (check === 'message-authenticator-invalid') messageAuthenticatorInvalid++;
        else messageAuthenticatorMissing++;
        return;
      }
      finish(undefined, { reply, answered: { number: attempt.number, sentAt: attempt.sentAt }, sent, startedAt });
    });
    if (options.signal) options.signal.addEventListener('abort', onAbort, { once: true });
    transmit();
  });
}
