import { connect, ConnectionOptions, TLSSocket } from 'node:tls';
import { AUTHENTICATOR_LENGTH, RADIUS_HEADER_LENGTH, RADIUS_MAX_PACKET_LENGTH, RadiusAttributeType, RadiusCode } from './constants';
import { formatHostPort, RadiusEndpoint } from './endpoint';
import {
  RadiusAbortedError, RadiusAuthenticatorMismatchError, RadiusMalformedError, RadiusMessageAuthenticatorMissingError,
  RadiusTimeoutError,
} from './errors';
import type { RadiusExchange, RadiusRequestOptions } from './client';
import { IdentifierPool } from './identifier-pool';
import { eapMessageAttributes, reassembleEapMessage } from './eap-message';
import { decryptMppeKey } from './mppe';
import { decodeRadiusPacket, DecodedRadiusPacket, RadiusAttribute } from './packet';
import { secretBytes, signAccessRequest, verifyResponse } from './signing';

/**
 * RADIUS over TLS (RadSec, RFC 6614): the same packets over one TLS connection on TCP 2083,
 * both ends authenticated by certificate. The shared secret is fixed to "radsec" (§2.3) and
 * still signs every packet; Message-Authenticator stays mandatory (BlastRADIUS does not apply to
 * TLS, but RFC 3579 still wants it with EAP). Over TCP a request is never retransmitted on the
 * same connection (RFC 6613 §2.6.1): it waits once, for the whole timeout.
 */
export const RADSEC_SECRET = 'radsec';
export const RADSEC_PORT = 2083;

export interface RadSecClientOptions {
  /** Client certificate and key (PEM) the server checks, and the CA (PEM) that issued the server's. */
  cert: string | Buffer;
  key: string | Buffer;
  passphrase?: string;
  ca: string | Buffer;
  /** The name the server's certificate must carry; default the host. */
  serverName?: string;
  /** Time one request may take. Default 6000 ms. */
  timeoutMs?: number;
  /** TLS version bounds. Default TLSv1.2 .. TLSv1.3. */
  minVersion?: ConnectionOptions['minVersion'];
  maxVersion?: ConnectionOptions['maxVersion'];
}

interface Outstanding {
  requestAuthenticator: Buffer;
  secret: Buffer;
  requireMessageAuthenticator: boolean;
  settle(error: Error | undefined, reply?: DecodedRadiusPacket): void;
}

interface Connection {
  socket: TLSSocket;
  identifiers: IdentifierPool;
  outstanding: Map<number, Outstanding>;
  failed?: Error;
}

const ACCESS_REPLY_CODES: readonly number[] = [RadiusCode.AccessAccept, RadiusCode.AccessReject, RadiusCode.AccessChallenge];

export class RadSecClient {
  private readonly connections = new Map<string, Promise<Connection>>();
  private closed = false;

  constructor(private readonly options: RadSecClientOptions) {
    if (!options.cert || !options.key || !options.ca) throw new TypeError('RadSec needs a client cert, its key and a CA');
    if (options.timeoutMs !== undefined && !(options.timeoutMs > 0)) throw new RangeError('timeoutMs must be > 0');
  }

  async accessRequest(endpoint: RadiusEndpoint, attributes: RadiusAttribute[],
    options: RadiusRequestOptions = {}): Promise<RadiusExchange> {
    const secret = secretBytes(endpoint.secret);
    const server = formatHostPort(endpoint.host, endpoint.port);
    const connection = await this.connection(endpoint);
    if (options.signal?.aborted) throw new RadiusAbortedError();
    const identifier = await connection.identifiers.acquire();
    const { datagram, requestAuthenticator } = signAccessRequest(identifier,
      options.eapMessage ? [...attributes, ...eapMessageAttributes(options.eapMessage)] : attributes, secret,
      RadiusCode.AccessRequest, options.userPassword);
    const timeoutMs = options.timeoutMs ?? this.options.timeoutMs ?? 6000;
    const started = Date.now();
    return new Promise<RadiusExchange>((resolve, reject) => {
      let unauthenticated = 0;
      let withoutMessageAuthenticator = 0;
      const onAbort = (): void => settle(new RadiusAbortedError());
      const timer = setTimeout(() => settle(unauthenticated > 0 ? new RadiusAuthenticatorMismatchError(server, unauthenticated)
        : withoutMessageAuthenticator > 0 ? new RadiusMessageAuthenticatorMissingError(server, withoutMessageAuthenticator)
          : new RadiusTimeoutError(server, 1, Date.now() - started)), timeoutMs);
      const settle = (error: Error | undefined, reply?: DecodedRadiusPacket): void => {
        if (connection.outstanding.get(identifier) !== entry) return;
        clearTimeout(timer);
        connection.outstanding.delete(identifier);
        connection.identifiers.release(identifier);
        options.signal?.removeEventListener('abort', onAbort);
        if (error) reject(error);
        else resolve(exchangeOf(reply!, secret, requestAuthenticator));
      };
      const entry: Outstanding = {
        requestAuthenticator, secret, requireMessageAuthenticator: options.requireMessageAuthenticator ?? true,
        settle: (error, reply) => {
          if (error) return settle(error);
          if (!verifyResponse(reply!, requestAuthenticator, secret)) {
            unauthenticated++;
            return;
          }
          if (entry.requireMessageAuthenticator
            && !reply!.attributes.some((a) => a.type === RadiusAttributeType.MessageAuthenticator)) {
            withoutMessageAuthenticator++;
            return;
          }
          settle(undefined, reply);
        },
      };
      connection.outstanding.set(identifier, entry);
      options.signal?.addEventListener('abort', onAbort, { once: true });
      connection.socket.write(datagram);
    });
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    const all = await Promise.allSettled(this.connections.values());
    for (const result of all) {
      if (result.status !== 'fulfilled') continue;
      fail(result.value, new RadiusAbortedError('RadSec client closed'));
      result.value.socket.destroy();
    }
    this.connections.clear();
  }

  private connection(endpoint: RadiusEndpoint): Promise<Connection> {
    if (this.closed) return Promise.reject(new RadiusAbortedError('RadSec client closed'));
    const key = `${endpoint.host}|${endpoint.port}`;
    const existing = this.connections.get(key);
    if (existing) {
      return existing.then((connection) => {
        if (!connection.failed) return connection;
        this.connections.delete(key);
        return this.connection(endpoint);
      });
    }
    const made = new Promise<Connection>((resolve, reject) => {
      const socket = connect({
        host: endpoint.host, port: endpoint.port, cert: this.options.cert, key: this.options.key,
        passphrase: this.options.passphrase, ca: this.options.ca,
        servername: this.options.serverName ?? endpoint.host, minVersion: this.options.minVersion ?? 'TLSv1.2',
        ...(this.options.maxVersion ? { maxVersion: this.options.maxVersion } : {}),
      });
      const connection: Connection = { socket, identifiers: new IdentifierPool(), outstanding: new Map() };
      let buffered = Buffer.alloc(0);
      socket.once('secureConnect', () => resolve(connection));
      socket.on('data', (chunk: Buffer) => {
        buffered = Buffer.concat([buffered, chunk]);
        while (buffered.length >= 4) {
          const length = buffered.readUInt16BE(2);
          if (length < RADIUS_HEADER_LENGTH || length > RADIUS_MAX_PACKET_LENGTH) {
            // A stream that lost its framing cannot be resynchronised: drop the connection.
            fail(connection, new RadiusMalformedError(`RadSec stream: Length field ${length} is out of range`));
            socket.destroy();
            return;
          }
          if (buffered.length < length) break;
          const packet = buffered.subarray(0, length);
          buffered = buffered.subarray(length);
          let reply: DecodedRadiusPacket;
          try {
            reply = decodeRadiusPacket(packet);
          } catch {
            continue;
          }
          if (!ACCESS_REPLY_CODES.includes(reply.code) || reply.authenticator.length !== AUTHENTICATOR_LENGTH) continue;
          connection.outstanding.get(reply.identifier)?.settle(undefined, reply);
        }
      });
      socket.on('error', (error) => {
        fail(connection, error);
        reject(error);
      });
      socket.on('close', () => fail(connection, new RadiusAbortedError(
        `RadSec connection to ${formatHostPort(endpoint.host, endpoint.port)} closed`)));
    });
    this.connections.set(key, made);
    made.catch(() => this.connections.delete(key));
    return made;
  }
}

function fail(connection: Connection, error: Error): void {
  connection.failed ??= error;
  for (const entry of [...connection.outstanding.values()]) entry.settle(error);
}

/** A verified reply as RadiusClient gives it: EAP joined, MPPE keys revealed. */
function exchangeOf(reply: DecodedRadiusPacket, secret: Buffer, requestAuthenticator: Buffer): RadiusExchange {
  const mppeKeys: Buffer[] = [];
  for (const attribute of reply.attributes) {
    if (attribute.type !== RadiusAttributeType.VendorSpecific) continue;
    const clear = decryptMppeKey(attribute.value, secret, requestAuthenticator);
    if (clear) mppeKeys.push(clear);
  }
  try {
    const eap = reassembleEapMessage(reply);
    return { reply, tries: 1, mppeKeys, ...(eap ? { eap } : {}) };
  } catch (error) {
    return { reply, tries: 1, mppeKeys, eapMalformed: (error as Error).message };
  }
}
