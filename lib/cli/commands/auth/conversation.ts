/**
 * `auth --json`'s `conversation`: each EAP packet of the authentication by its header alone
 * (RFC 3748 §4: code, identifier, length, and the type of a Request or Response), never its data,
 * which carries identities, challenges and, for GTC, the password itself.
 */
export interface ConversationPacket {
  /** 'in' from the authenticator, 'out' from the peer. */
  direction: 'in' | 'out';
  code: number;
  identifier: number;
  /** The bytes that travelled (a packet shorter than its header is reported as it came). */
  length: number;
  /** The EAP type of a Request or Response; null for Success, Failure and a packet too short to say. */
  type: number | null;
}

export class ConversationRecord {
  readonly packets: ConversationPacket[] = [];

  /** authenticate()'s onPacket. */
  readonly observe = (direction: 'in' | 'out', packet: Buffer): void => {
    const code = packet.length > 0 ? packet[0] : 0;
    this.packets.push({
      direction, code, identifier: packet.length > 1 ? packet[1] : 0, length: packet.length,
      type: (code === 1 || code === 2) && packet.length > 4 ? packet[4] : null,
    });
  };

  /** The report's field. */
  json(): { conversation: ConversationPacket[] } {
    return { conversation: this.packets };
  }
}
