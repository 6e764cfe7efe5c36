/** What a RadiusServer reports (server.ts, from its engine). */

/** One finished conversation, as `eaphost serve --log` writes it. Never carries credentials. */
export interface RadiusConversationRecord {
  client: string;
  /** User-Name of the conversation's first Access-Request. */
  identity: string;
  /** EAP type of the last EAP-Response (the method that decided), 1 when only Identity was seen;
   *  256 for PAP, 257 for MAB (policy.ts methodName). */
  eapType: number;
  outcome: 'accept' | 'reject';
  roundTrips: number;
  durationMs: number;
  /** Whether the TLS session was resumed, when the method says. */
  resumed?: boolean;
  /** On 'reject': why, in the authenticator's words (a refused client certificate is named with
   *  its subject, serial, revocation reason and date). */
  reason?: string;
  /** A proxied verdict's home server, as its URL (udp://, radsec:// or dtls://HOST:PORT): the one that answered. */
  home?: string;
}

/** Declared once with the engine's counters (seam/seam.js, engineStats). */
export type { RadiusServerStats } from '../native';
