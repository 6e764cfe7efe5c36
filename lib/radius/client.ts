import { RadiusClientCounters, RadiusClientOutcome, RadiusClientOutcomeKind } from '../native';
import { ClientEngine, sharedClientEngine } from './client-engine';
import { RadiusAttributeType, RadiusCode } from './constants';
import { RadiusEndpoint } from './endpoint';
import {
  RadiusAuthenticatorMismatchError, RadiusMessageAuthenticatorInvalidError,
  RadiusMessageAuthenticatorMissingError, RadiusTimeoutError,
} from './errors';
import type { RadiusAttribute, RadiusPacket } from './attributes';

/** Counters of what the client did and, above all, what it refused to trust. */
export type RadiusClientStats = RadiusClientCounters;

export interface RadiusClientOptions {
  /** Total time one request may take, over all its tries. Default 6000 ms. */
  timeoutMs?: number;
  /** Transmissions per request (the first one and its identical retransmissions). Default 3. */
  tries?: number;
  /**
   * When the first try goes unanswered, send one Access-Request without Message-Authenticator or
   * EAP-Message: servers silently drop requests with a bad Message-Authenticator, but usually
   * answer this one (with a Reject), and its Response Authenticator then shows whether the
   * secret is right. Default true.
   */
  secretProbe?: boolean;
  /**
   * Drop replies without a Message-Authenticator, even those with no EAP-Message (a bare
   * Access-Reject, say): their MD5 Response Authenticator alone can be forged (BlastRADIUS,
   * CVE-2024-3596). Default true.
   */
  requireMessageAuthenticator?: boolean;
  /** Local addresses to bind; default: any address, ephemeral port. */
  localAddress4?: string;
  localAddress6?: string;
}

export interface RadiusRequestOptions {
  signal?: AbortSignal;
  timeoutMs?: number;
  tries?: number;
  secretProbe?: boolean;
  requireMessageAuthenticator?: boolean;
  /** PAP: the password to send as a hidden User-Password (RFC 2865 §5.2). */
  userPassword?: Buffer;
  /** One EAP packet, carried in as many EAP-Message attributes as it takes (RFC 3579 §3.1). */
  eapMessage?: Buffer;
}

/** A verified reply, decoded. */
export interface RadiusExchange {
  reply: RadiusPacket;
  tries: number;
  /** The reply's EAP packet, its EAP-Message attributes joined; absent when it carries none. */
  eap?: Buffer;
  /** Why its EAP-Message attributes do not make one EAP packet, when they do not. */
  eapMalformed?: string;
  /** Its MS-MPPE-Send-Key and -Recv-Key revealed, in the clear layout the EAP layer reads. */
  mppeKeys: Buffer[];
}

const ACCESS_REPLY_CODES = [RadiusCode.AccessAccept, RadiusCode.AccessReject, RadiusCode.AccessChallenge];

/**
 * A RADIUS client: the native client engine (one UDP socket and thread per address family,
 * client-engine.ts) does every request's packet work, Identifiers, retransmission and
 * verification; this class holds the options and turns each outcome into a reply or the error
 * that says what went wrong.
 */
export class RadiusClient {
  private readonly options: Required<Omit<RadiusClientOptions, 'localAddress4' | 'localAddress6'>> & RadiusClientOptions;
  private readonly engine: ClientEngine;

  constructor(options: RadiusClientOptions = {}) {
    this.options = { ...ACCESS_DEFAULTS, ...options };
    if (!(this.options.tries >= 1) || !(this.options.timeoutMs > 0)) {
      throw new RangeError('RadiusClient needs tries >= 1 and timeoutMs > 0');
    }
    // An engine of its own, not the shared one (sharedClientEngine): its local addresses are its
    // own, its stats count its requests alone, and close() ends exactly its requests.
    this.engine = new ClientEngine(options);
  }

  get stats(): RadiusClientStats {
    return this.engine.counters();
  }

  /**
   * Sends one Access-Request and resolves with its verified reply. The same bytes are resent
   * on every try (RFC 5080 §2.2.1): a server that already answered recognises the duplicate.
   */
  async accessRequest(endpoint: RadiusEndpoint, attributes: RadiusAttribute[],
    options: RadiusRequestOptions = {}): Promise<RadiusExchange> {
    return accessRequestOn(this.engine, endpoint, attributes, options, this.options);
  }

  /** Closes the sockets; outstanding requests reject with RadiusAbortedError. */
  async close(): Promise<void> {
    this.engine.close();
  }
}

const ACCESS_DEFAULTS = { timeoutMs: 6000, tries: 3, secretProbe: true, requireMessageAuthenticator: true };

/**
 * One Access-Request on `engine` (the process's shared client engine when none is given),
 * resolving with its verified reply: what RadiusClient.accessRequest does, for a caller that
 * holds no client of its own (`auth --radius`). Unset options take RadiusClient's defaults.
 * @internal
 */
export async function accessRequestOn(engine: ClientEngine | undefined, endpoint: RadiusEndpoint, attributes: RadiusAttribute[],
  options: RadiusRequestOptions = {}, defaults: typeof ACCESS_DEFAULTS = ACCESS_DEFAULTS): Promise<RadiusExchange> {
  // An option given as undefined takes the default, as one left out does.
  const settled = {
    timeoutMs: options.timeoutMs ?? defaults.timeoutMs, tries: options.tries ?? defaults.tries,
    secretProbe: options.secretProbe ?? defaults.secretProbe,
    requireMessageAuthenticator: options.requireMessageAuthenticator ?? defaults.requireMessageAuthenticator,
  };
  const probe = settled.secretProbe;
  const { outcome, server } = await (engine ?? sharedClientEngine()).send(endpoint, {
    code: RadiusCode.AccessRequest, attributes, eapMessage: options.eapMessage, userPassword: options.userPassword,
    messageAuthenticator: true, requireMessageAuthenticator: settled.requireMessageAuthenticator,
    secretProbe: probe, probeUserName: probe ? probeUserName(attributes) : undefined, answerCodes: ACCESS_REPLY_CODES,
    tries: settled.tries, timeoutMs: settled.timeoutMs, signal: options.signal,
  });
  if (outcome.kind !== RadiusClientOutcomeKind.Reply) throw failureOf(outcome, server);
  return exchangeOf(outcome);
}

/** The probe's User-Name: the request's own, so the server's log shows whose it is. */
function probeUserName(attributes: RadiusAttribute[]): Buffer {
  return attributes.find((attribute) => attribute.type === RadiusAttributeType.UserName)?.value
    ?? Buffer.from('eaphost-secret-probe');
}

export function exchangeOf(outcome: RadiusClientOutcome): RadiusExchange {
  return {
    reply: {
      code: outcome.code!, identifier: outcome.identifier!, authenticator: outcome.authenticator!, attributes: outcome.attributes!,
    },
    tries: outcome.sent,
    ...(outcome.eap !== undefined ? { eap: outcome.eap } : {}),
    ...(outcome.eapMalformed !== undefined ? { eapMalformed: outcome.eapMalformed } : {}),
    mppeKeys: outcome.keys ?? [],
  };
}

/**
 * Why a request has no reply. A reply with a valid Response Authenticator proves the secret: its
 * Message-Authenticator problem is what to report, not the secret.
 */
export function failureOf(outcome: RadiusClientOutcome, server: string): Error {
  if (outcome.kind === RadiusClientOutcomeKind.SecretMismatch) {
    return new RadiusAuthenticatorMismatchError(server, outcome.unauthenticated ?? 1);
  }
  if (outcome.messageAuthenticatorInvalid) return new RadiusMessageAuthenticatorInvalidError(server, outcome.messageAuthenticatorInvalid);
  if (outcome.messageAuthenticatorMissing) return new RadiusMessageAuthenticatorMissingError(server, outcome.messageAuthenticatorMissing);
  // Replies that did not verify name the secret only through the probe (SecretMismatch above):
  // anyone can send datagrams under the request's Identifier.
  return new RadiusTimeoutError(server, outcome.sent, Math.round(outcome.elapsedMs), outcome.stray ?? 0, outcome.unauthenticated ?? 0);
}
