/**
 * Typed RADIUS failures. Callers (the CLI above all) tell "nobody answered" apart from "answers
 * came but could not be authenticated", because the second almost always means a wrong shared
 * secret and the user must be told so rather than to check the network.
 */
export class RadiusError extends Error {
  readonly code: string;
  constructor(code: string, message: string) {
    super(message);
    this.name = new.target.name;
    this.code = code;
  }
}

/** A datagram that is not a well-formed RADIUS packet (bad lengths, truncated attributes, ...). */
export class RadiusMalformedError extends RadiusError {
  constructor(message: string) {
    super('ERR_RADIUS_MALFORMED', message);
  }
}

/** No acceptable reply after every try. */
export class RadiusTimeoutError extends RadiusError {
  readonly server: string;
  readonly tries: number;
  /** Replies that answered this request under another request's Identifier (dropped). */
  readonly strayReplies: number;
  constructor(server: string, tries: number, elapsedMs: number, strayReplies = 0) {
    super('ERR_RADIUS_TIMEOUT', strayReplies > 0
      ? `RADIUS server ${server} replied, but ${strayReplies === 1 ? 'its reply came' : `its ${strayReplies} replies came`} ` +
        `with another Identifier than the request's and ${strayReplies === 1 ? 'was' : 'were'} dropped (RFC 2865 §3: the ` +
        `server is at fault, not the secret); no reply with the right Identifier after ${tries} tries in ${elapsedMs} ms`
      : `no reply from RADIUS server ${server} after ${tries} tries in ${elapsedMs} ms`);
    this.server = server;
    this.tries = tries;
    this.strayReplies = strayReplies;
  }
}

/**
 * Replies did arrive from the server for this request, but none carried a valid Response
 * Authenticator: the shared secrets on the two sides differ.
 */
export class RadiusAuthenticatorMismatchError extends RadiusError {
  readonly server: string;
  readonly rejectedReplies: number;
  constructor(server: string, rejectedReplies: number) {
    super('ERR_RADIUS_AUTHENTICATOR_MISMATCH',
      `RADIUS server ${server} answered, but ${rejectedReplies === 1 ? 'its reply' : `all ${rejectedReplies} replies`} ` +
      'failed Response Authenticator verification: check the shared secret');
    this.server = server;
    this.rejectedReplies = rejectedReplies;
  }
}

/**
 * Replies to this request passed the MD5 Response Authenticator check but carried no
 * Message-Authenticator: a server still open to BlastRADIUS (CVE-2024-3596), whose replies
 * an attacker on the path can forge, so none of them was trusted.
 */
export class RadiusMessageAuthenticatorMissingError extends RadiusError {
  readonly server: string;
  readonly droppedReplies: number;
  constructor(server: string, droppedReplies: number) {
    super('ERR_RADIUS_MESSAGE_AUTHENTICATOR_MISSING',
      `RADIUS server ${server} answered without Message-Authenticator ` +
      `(${droppedReplies === 1 ? '1 reply' : `${droppedReplies} replies`} dropped): such replies can be forged ` +
      '(BlastRADIUS, CVE-2024-3596); make the server send Message-Authenticator in every reply ' +
      '(FreeRADIUS >= 3.2.5, NPS with the July 2024 update), or pass --no-require-message-authenticator');
    this.server = server;
    this.droppedReplies = droppedReplies;
  }
}

/**
 * Replies to this request carried the right Response Authenticator (so the shared secret is
 * right) but a Message-Authenticator that does not verify: forged or altered on the path (a
 * BlastRADIUS attempt, CVE-2024-3596), or a server that signs wrongly. None was trusted.
 */
export class RadiusMessageAuthenticatorInvalidError extends RadiusError {
  readonly server: string;
  readonly droppedReplies: number;
  constructor(server: string, droppedReplies: number) {
    super('ERR_RADIUS_MESSAGE_AUTHENTICATOR_INVALID',
      `RADIUS server ${server} answered with a correct Response Authenticator (the shared secret matches) but ` +
      `a Message-Authenticator that does not verify (${droppedReplies === 1 ? '1 reply' : `${droppedReplies} replies`} dropped): ` +
      'the reply was forged or altered on the way (BlastRADIUS, CVE-2024-3596), or the server computes it wrongly');
    this.server = server;
    this.droppedReplies = droppedReplies;
  }
}

/** The server answered in a way RFC 3579 does not allow (e.g. Access-Challenge without EAP-Message). */
export class RadiusProtocolError extends RadiusError {
  constructor(message: string) {
    super('ERR_RADIUS_PROTOCOL', message);
  }
}

/**
 * The server's verdict contradicts itself: an Access-Accept whose EAP-Message is not an
 * EAP-Success (an EAP-Failure, say). The NAS would open the port while the peer was told it
 * failed; RFC 3579 §2.6.3 pairs Access-Accept with EAP-Success only, so this is a failure.
 */
export class RadiusInconsistentVerdictError extends RadiusProtocolError {
  readonly eapCode: number;
  constructor(eapCode: number) {
    super(`the server sent an Access-Accept carrying an EAP-${['', 'Request', 'Response', 'Success', 'Failure'][eapCode] ?? `code ${eapCode}`}: ` +
      'its RADIUS and EAP verdicts disagree (RFC 3579 §2.6.3), so the authentication is not trusted');
    this.eapCode = eapCode;
  }
}

/** The caller aborted the exchange (AbortSignal) or closed the client while it was pending. */
export class RadiusAbortedError extends RadiusError {
  constructor(message = 'RADIUS request aborted') {
    super('ERR_RADIUS_ABORTED', message);
  }
}
