/** What a RadiusServer reports (server.ts, from its engine). */

/** One finished conversation, as `eaphost serve --log` writes it. Never carries credentials. */
export interface RadiusConversationRecord {
  client: string;
  /** User-Name of the conversation's first Access-Request. */
  identity: string;
  /** EAP type of the last EAP-Response (the method that decided), 1 when only Identity was seen. */
  eapType: number;
  outcome: 'accept' | 'reject';
  roundTrips: number;
  durationMs: number;
  /** Whether the TLS session was resumed, when the method says. */
  resumed?: boolean;
  /** On 'reject': why, in the authenticator's words (a refused client certificate is named with
   *  its subject, serial, revocation reason and date). */
  reason?: string;
}

export interface RadiusServerStats {
  requests: number;
  challenges: number;
  accepts: number;
  rejects: number;
  /** Retransmissions answered from the reply cache, or dropped while the original was in progress. */
  duplicates: number;
  /** Requests that are not RADIUS, and RadSec connections closed for a Length out of 20..4096. */
  droppedMalformed: number;
  /** Requests without a valid Message-Authenticator (wrong secret or forged). */
  droppedUnauthenticated: number;
  /** Requests without any Message-Authenticator, dropped under requireMessageAuthenticator. */
  droppedNoMessageAuthenticator: number;
  /** Unknown client address, unsupported code, or a request for a conversation that is busy. */
  droppedUnexpected: number;
  conversationsExpired: number;
  conversationErrors: number;
  /** Idle conversations closed early to stay under maxConversations. */
  conversationsEvicted: number;
}
