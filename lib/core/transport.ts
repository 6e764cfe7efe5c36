/**
 * The authenticator side of a conversation, as the peer sees it. `authenticate()` runs a peer
 * session against any EapTransport: the embedded in-process authenticator, or a RADIUS
 * server reached through the RADIUS client. The RADIUS server mode consumes the same shape,
 * so one authenticator serves both directions.
 */
import type { EapError } from './errors';

export interface TransportReply {
  /** 'request': another EAP-Request follows; 'success' / 'failure': the conversation ended. */
  kind: 'request' | 'success' | 'failure';
  /** The EAP packet from the authenticator (Request, Success or Failure). May be absent on
   *  'failure' when the authenticator gave up without a packet (e.g. retransmissions exhausted). */
  packet?: Buffer;
  /** Attributes the authenticator released with its verdict (e.g. MS-MPPE keys). */
  attributes?: TransportAttribute[];
  /** Human-readable reason on 'failure' (e.g. "Access-Reject", "retransmissions exhausted"). */
  reason?: string;
  /** On 'failure' decided by a method that said why: its typed error (reason is its message). */
  error?: EapError;
  /** On a verdict of a TLS-based method: whether the TLS session was resumed, when the method says. */
  resumed?: boolean;
}

export interface TransportAttribute {
  /** EAP_ATTRIBUTE_TYPE value (RADIUS attribute number for RFC attributes). */
  type: number;
  value: Buffer;
}

export interface TransportBeginOptions {
  /** An EAP-Response/Identity obtained before the transport was involved (a NAS does the
   *  Identity exchange itself): the authenticator takes it as the answer to its Identity
   *  request and replies with its first method request. */
  identityResponse?: Buffer;
  signal?: AbortSignal;
}

export interface EapTransport {
  /** Starts the conversation; resolves with the authenticator's first EAP-Request
   *  (normally Request/Identity). */
  begin(options?: TransportBeginOptions): Promise<TransportReply>;
  /** Delivers the peer's EAP-Response; resolves with what the authenticator sends next. */
  respond(response: Buffer, options?: { signal?: AbortSignal }): Promise<TransportReply>;
  /** Optional. The peer discarded the last request (RFC 3748 §4.1) and sends nothing: resolves
   *  with what the authenticator sends next on its own — its retransmission once its timer runs
   *  out, or a failure once it gives up. Without it, a discarded request ends authenticate(). */
  retransmission?(options?: { signal?: AbortSignal }): Promise<TransportReply>;
  /** Releases the conversation's resources; safe to call more than once. */
  close(): Promise<void>;
}

/** The embedded authenticator (createAuthenticator()'s Authenticator) as the layers below the
 *  session see it: what a RadiusServer serves, a conversation for each authentication. */
export interface EmbeddedAuthenticator {
  /** The EAP types it offers, most preferred first. */
  readonly methodTypes: number[];
  createConversation(): EapTransport;
  close(): Promise<void>;
}
