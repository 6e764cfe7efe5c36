/**
 * Typed RADIUS failures. Callers (the CLI above all) tell "nobody answered" apart from "answers
 * came but could not be authenticated", because the second almost always means a wrong shared
 * secret and the user must be told so rather than to check the network.
 */
export class RadiusError extends Error {
  readonly code: string;
  constructor(code: string, message: string, options?: ErrorOptions) {
    super(message, options);
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

/** What the other end is called in a message: the RADIUS server a client asks, or the NAS a
 *  Dynamic Authorization client asks (RFC 5176). */
export type RadiusPeerNoun = 'RADIUS server' | 'NAS';

const replies = (count: number): string => (count === 1 ? '1 reply' : `${count} replies`);

/** No acceptable reply after every try. */
export class RadiusTimeoutError extends RadiusError {
  readonly server: string;
  readonly tries: number;
  /** Replies from the server while the request was out that answered no request: nothing was
   *  out under their Identifier, the request there takes another code, or they came from another
   *  port (RFC 2865 §3 drops them). Counted, not verified. */
  readonly strayReplies: number;
  /** Replies under this request's Identifier whose Response Authenticator did not verify: a late
   *  reply to an earlier request, a forgery, or a wrong shared secret, which only the secret probe
   *  can prove (RadiusAuthenticatorMismatchError). */
  readonly unverifiedReplies: number;
  constructor(server: string, tries: number, elapsedMs: number, strayReplies = 0, unverifiedReplies = 0,
    peer: RadiusPeerNoun = 'RADIUS server') {
    const heard = [
      ...(strayReplies > 0 ? [`${replies(strayReplies)} answered no request sent to it (another Identifier, another ` +
        'reply code or another port)'] : []),
      ...(unverifiedReplies > 0 ? [`${replies(unverifiedReplies)} under the request's Identifier did not verify (a reply to ` +
        'an earlier request, a forgery, or a wrong shared secret, which the secret probe did not prove)'] : []),
    ];
    super('ERR_RADIUS_TIMEOUT', heard.length > 0
      ? `${peer} ${server} replied, but ${heard.join('; ')}: dropped (RFC 2865 §3); no verified reply after ` +
        `${tries} tries in ${elapsedMs} ms`
      : `no reply from ${peer} ${server} after ${tries} tries in ${elapsedMs} ms`);
    this.server = server;
    this.tries = tries;
    this.strayReplies = strayReplies;
    this.unverifiedReplies = unverifiedReplies;
  }
}

/**
 * Replies did arrive from the server for this request, but none carried a valid Response
 * Authenticator: the shared secrets on the two sides differ.
 */
export class RadiusAuthenticatorMismatchError extends RadiusError {
  readonly server: string;
  readonly rejectedReplies: number;
  constructor(server: string, rejectedReplies: number, peer: RadiusPeerNoun = 'RADIUS server') {
    super('ERR_RADIUS_AUTHENTICATOR_MISMATCH',
      `${peer} ${server} answered, but ${rejectedReplies === 1 ? 'its reply' : `all ${rejectedReplies} replies`} ` +
      'failed Response Authenticator verification: check the shared secret');
    this.server = server;
    this.rejectedReplies = rejectedReplies;
  }
}

/**
 * Replies did arrive, and verified as the answers to this request, but under the Identifier of
 * another request out to the same server at the time: the shared secret is right (no reply can
 * verify under a wrong one), the server's Identifiers are off (RFC 2865 §3 matches a reply by its
 * Identifier, so such replies are dropped).
 */
export class RadiusIdentifierMismatchError extends RadiusError {
  readonly server: string;
  readonly misaddressedReplies: number;
  constructor(server: string, misaddressedReplies: number, peer: RadiusPeerNoun = 'RADIUS server') {
    super('ERR_RADIUS_IDENTIFIER_MISMATCH',
      `${peer} ${server} answered this request under another request's Identifier ` +
      `(${replies(misaddressedReplies)} verified as its answer, under the wrong Identifier, dropped: RFC 2865 §3): ` +
      `the shared secret is right; the ${peer} answers under Identifiers other than the requests'`);
    this.server = server;
    this.misaddressedReplies = misaddressedReplies;
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
  constructor(server: string, droppedReplies: number, peer: RadiusPeerNoun = 'RADIUS server') {
    super('ERR_RADIUS_MESSAGE_AUTHENTICATOR_MISSING',
      `${peer} ${server} answered without Message-Authenticator ` +
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
  constructor(server: string, droppedReplies: number, peer: RadiusPeerNoun = 'RADIUS server') {
    super('ERR_RADIUS_MESSAGE_AUTHENTICATOR_INVALID',
      `${peer} ${server} answered with a correct Response Authenticator (the shared secret matches) but ` +
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

/**
 * A stream transport's connection (RadSec's TLS over TCP) failed or was closed under a request.
 * `afterHandshake` tells a server that never let us in (refused TCP, a certificate or version it
 * would not take during the handshake) from one that ended the connection after it: under TLS 1.3
 * a server that refuses our client certificate says so only after our side finished the
 * handshake, with an alert or just by closing, whichever the socket reports first.
 */
export class RadiusConnectionError extends RadiusError {
  readonly server: string;
  readonly afterHandshake: boolean;
  /** `refined`: a subclass's own code and words. */
  constructor(server: string, afterHandshake: boolean, cause?: Error, refined?: { code: string; message: string }) {
    const why = cause ? `: ${cause.message}` : '';
    super(refined?.code ?? 'ERR_RADIUS_CONNECTION', refined?.message ?? (afterHandshake
      ? `the RadSec connection to ${server} ended after the TLS handshake${why}` +
        ' (a server that refuses our client certificate under TLS 1.3 ends it so)'
      : `the RadSec connection to ${server} failed before the TLS handshake completed${why}`), cause ? { cause } : undefined);
    this.server = server;
    this.afterHandshake = afterHandshake;
  }
}

/** What a peer that refuses with this alert did not accept. */
const REFUSALS: Readonly<Record<string, string>> = {
  unknown_ca: 'it trusts no CA that issued our client certificate',
  bad_certificate: 'it did not accept our client certificate',
  certificate_required: 'it requires a client certificate',
  certificate_unknown: 'it did not accept our client certificate',
  certificate_expired: 'our client certificate has expired',
  certificate_revoked: 'our client certificate is revoked',
  unsupported_certificate: 'it does not take our client certificate\'s kind',
  decrypt_error: 'our key or PSK did not match',
  bad_record_mac: 'our PSK did not match its key',
  unknown_psk_identity: 'it knows no such PSK identity',
  handshake_failure: 'it shares no cipher suite, version or credential with us',
  protocol_version: 'it shares no TLS version with us',
  access_denied: 'it refused access to our identity',
};

/**
 * The RadSec peer refused the TLS or DTLS handshake: with a fatal alert that says why (unknown_ca,
 * bad_certificate, certificate_required for our client certificate; unknown_psk_identity;
 * handshake_failure when nothing we offered will do), or by closing the connection without one
 * once it had our whole flight, certificate and Finished (FreeRADIUS 3.2 over TLS 1.2 does so).
 * Under TLS 1.3 the peer checks our certificate after our side finished: the refusal then comes
 * after the handshake.
 */
export class RadSecHandshakeRefusedError extends RadiusConnectionError {
  /** The alert, as TLS names it (unknown_ca, ...); undefined for a close without one. */
  readonly alert: string | undefined;
  /** `offered`: what we proved ourselves with ("our client certificate", "our PSK"). */
  constructor(server: string, afterHandshake: boolean, alert: string | undefined, offered: string, cause: Error) {
    super(server, afterHandshake, cause, { code: 'ERR_RADSEC_HANDSHAKE_REFUSED',
      message: `the RadSec peer ${server} refused the handshake ` + (alert !== undefined
        ? `with the ${alert} alert (${REFUSALS[alert] ?? `it did not accept ${offered}`}): ${cause.message}`
        : `by closing the connection, without an alert, once it had ${offered} and our Finished: it did not ` +
          `accept ${offered} (its log says why)`) });
    this.alert = alert;
  }
}

/**
 * We refused the RadSec peer: its certificate did not verify against our CA (a stranger's chain,
 * a self-signed one, an expired one), or did not carry the name we expect (--radsec-server-name),
 * or a PSK peer answered with a certificate.
 */
export class RadSecCertificateError extends RadiusConnectionError {
  constructor(server: string, cause: Error) {
    super(server, false, cause,
      { code: 'ERR_RADSEC_CERTIFICATE', message: `we refused the RadSec peer ${server}'s certificate: ${cause.message}` });
  }
}

/**
 * A request over RadSec unanswered in its time on a connection that stays up (a request is never
 * sent again on a connection, RFC 6613 §2.6.1), and what the peer does: a Status-Server (RFC 5997)
 * sent on the same connection after it was answered (the peer is alive and drops requests of this
 * kind: a proxy or server that takes no such request on RadSec), answered with a Protocol-Error
 * (alive, takes no Status-Server either), or went unanswered too (it processes nothing we send).
 */
export class RadSecUnansweredError extends RadiusTimeoutError {
  readonly statusServer: 'answered' | 'protocol-error' | 'unanswered';
  constructor(server: string, elapsedMs: number, request: string, statusServer: RadSecUnansweredError['statusServer'],
    peer: RadiusPeerNoun = 'RADIUS server') {
    super(server, 1, elapsedMs, 0, 0, peer);
    const does = {
      answered: `the connection is up and answers Status-Server: ${peer} ${server} takes RadSec but drops ${request}s ` +
        '(a proxy or server that takes no such request there)',
      'protocol-error': `the connection is up and answers a Status-Server with a Protocol-Error: ${peer} ${server} is alive ` +
        `and drops ${request}s`,
      unanswered: `a Status-Server sent on the same connection went unanswered too: ${peer} ${server} processes nothing ` +
        'sent on this connection',
    }[statusServer];
    this.message = `no answer to the ${request} from ${peer} ${server} over RadSec in ${elapsedMs} ms; ${does}`;
    this.statusServer = statusServer;
  }
}

/**
 * The RadSec server and this client did not agree on a RADIUS version (RFC 9765 §3.3): the client
 * requires RADIUS/1.1 and the server answered with no ALPN (an RFC 6614 server: the client closes)
 * or with radius/1.0, or ended the handshake with the no_application_protocol alert (it takes
 * neither protocol offered), or radius/1.1 came over a TLS version below 1.3.
 */
export class RadSecVersionError extends RadiusError {
  readonly server: string;
  /** What the client's setting asked for, and what the server did. */
  readonly wanted: string;
  readonly got: string;
  constructor(server: string, wanted: string, got: string, cause?: Error) {
    super('ERR_RADSEC_VERSION', `the RadSec server ${server} did not agree to RADIUS/${wanted}: ${got}`, cause ? { cause } : undefined);
    this.server = server;
    this.wanted = wanted;
    this.got = got;
  }
}

/**
 * A RadSec connection that brought nothing for a while and left the Status-Server sent on it
 * unanswered (the RadSec revision §3.8, RFC 3539's watchdog): taken as dead and closed. The
 * requests out on it fail with this error at once instead of each waiting out its own timeout;
 * the next request opens a new connection.
 */
export class RadSecUnresponsiveError extends RadiusError {
  readonly server: string;
  /** How long the connection had brought nothing when the Status-Server went out, and how long
   *  that Status-Server then waited. */
  readonly silentMs: number;
  readonly waitedMs: number;
  /** Requests that were out on the connection and fail with this error. */
  readonly pending: number;
  constructor(server: string, silentMs: number, waitedMs: number, pending: number) {
    super('ERR_RADSEC_UNRESPONSIVE', `the RadSec connection to ${server} brought nothing for ${silentMs} ms and left ` +
      `a Status-Server unanswered for ${waitedMs} ms: closed as dead` +
      (pending > 0 ? ` (${pending === 1 ? '1 request' : `${pending} requests`} out on it failed)` : ''));
    this.server = server;
    this.silentMs = silentMs;
    this.waitedMs = waitedMs;
    this.pending = pending;
  }
}

/**
 * The server answered a request with a Protocol-Error (RFC 7930 §4; the RadSec revision §3.7): a
 * final answer, verified like any reply. Its Error-Cause says why: 406 (Unsupported Extension) a
 * request of a kind the server does not take, 502 (Request Not Routable) a proxy with no route for it.
 */
export class RadiusProtocolErrorReply extends RadiusError {
  readonly server: string;
  /** The Error-Cause values it carried (RFC 5176 §3.6), in order; empty when it carried none. */
  readonly errorCauses: readonly number[];
  constructor(server: string, errorCauses: readonly { value: number; name: string }[]) {
    super('ERR_RADIUS_PROTOCOL_ERROR', `RADIUS server ${server} answered with a Protocol-Error (RFC 7930), its final ` +
      `answer: ${errorCauses.length === 0 ? 'it carried no Error-Cause to say why'
        : errorCauses.map(({ value, name }) => `Error-Cause ${value} (${name})`).join(', ')}`);
    this.server = server;
    this.errorCauses = errorCauses.map(({ value }) => value);
  }
}

/** The caller aborted the exchange (AbortSignal) or closed the client while it was pending. */
export class RadiusAbortedError extends RadiusError {
  constructor(message = 'RADIUS request aborted') {
    super('ERR_RADIUS_ABORTED', message);
  }
}
