import { createHash, randomInt } from 'node:crypto';
import { createSocket, RemoteInfo } from 'node:dgram';
import { performance } from 'node:perf_hooks';
import { AUTHENTICATOR_LENGTH } from './constants';
import { canonicalAddress, formatHostPort, RadiusEndpoint, resolveHost } from './endpoint';
import { RadiusAbortedError, RadiusAuthenticatorMismatchError, RadiusTimeoutError } from './errors';
import { decodeRadiusPacket, DecodedRadiusPacket, encodeRadiusPacket, RadiusAttribute } from './packet';
import { secretBytes, verifyResponse } from './signing';

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
  const target = await resolveHost(endpoint.host);
  const server = formatHostPort(target.address, endpoint.port);
  if (options.signal?.aborted) throw new RadiusAbortedError();
  const identifier = randomInt(256);
  const datagram = signAccountingRequest(identifier, attributes, secret);
  const requestAuthenticator = Buffer.from(datagram.subarray(4, 4 + AUTHENTICATOR_LENGTH));
  const socket = createSocket(target.family === 4 ? 'udp4' : 'udp6');
  await new Promise<void>((resolve, reject) => {
    socket.once('error', reject);
    socket.bind(0, () => {
      socket.removeListener('error', reject);
      resolve();
    });
  });
  socket.on('error', () => undefined);
  const started = performance.now();
  let unauthenticated = 0;

  return new Promise<AccountingReply>((resolve, reject) => {
    let timer: NodeJS.Timeout | undefined;
    let sent = 0;
    const interval = Math.max(1, Math.floor(timeoutMs / tries));
    const finish = (error: Error | undefined, result?: AccountingReply): void => {
      if (timer) clearTimeout(timer);
      options.signal?.removeEventListener('abort', onAbort);
      socket.close();
      if (error) reject(error);
      else resolve(result!);
    };
    const onAbort = (): void => finish(new RadiusAbortedError());
    const transmit = (): void => {
      sent++;
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
        : new RadiusTimeoutError(server, sent, Math.round(performance.now() - started)));
    };
    socket.on('message', (message: Buffer, remote: RemoteInfo) => {
      if (canonicalAddress(remote.address) !== target.address || remote.port !== endpoint.port) return;
      let reply: DecodedRadiusPacket;
      try {
        reply = decodeRadiusPacket(message);
      } catch {
        return;
      }
      if (reply.identifier !== identifier || reply.code !== AccountingCode.Response) return;
      if (!verifyResponse(reply, requestAuthenticator, secret)) {
        unauthenticated++;
        return;
      }
      finish(undefined, { latencyMs: Math.round((performance.now() - started) * 100) / 100, tries: sent, reply });
    });
    if (options.signal) options.signal.addEventListener('abort', onAbort, { once: true });
    transmit();
  });
}
