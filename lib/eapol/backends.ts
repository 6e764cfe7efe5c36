/**
 * What stands behind an EAPOL authenticator port: one EapTransport per supplicant conversation,
 * from the embedded authenticator or from a RADIUS server reached as a NAS reaches it.
 */
import { EapTransport, TransportReply } from '../core/transport';
import { RadiusClient, RadiusEapTransport } from '../radius';
import type { RadiusAttribute, RadiusEndpoint, RadiusPolicy } from '../radius';
import { Decide, policyDecider } from '../radius/policy-decision';
import { encodeAttributes, integerOf, textOf } from '../radius/attribute-codec';
import { methodName } from '../radius/policy';
import type { Authenticator } from '../session/authenticator';

/** Who a conversation is for: the supplicant's MAC, the port's MAC and interface. */
export interface SupplicantContext {
  supplicant: string;
  portAddress: string;
  interfaceName: string;
  /** Acct-Session-Id the port gave this conversation (16 hex digits). */
  sessionId?: string;
}

export interface EapolBackend {
  /** A new conversation; its begin() resolves with the first EAP-Request (normally Request/Identity). */
  conversation(context: SupplicantContext): EapTransport;
  close?(): Promise<void>;
}

export interface EmbeddedBackendOptions {
  /** What each Accept would carry, or a refusal (as RadiusServer's policy): matched natively. Not
   *  with the authenticator's authorize(), which is asked otherwise. */
  policy?: RadiusPolicy;
}

/** The embedded authenticator (our methods, a user store) behind the port; with a policy (or the
 *  authenticator's authorize()) each success is decided by it: a refusal becomes a failure, and
 *  the attributes a RADIUS server would send come with the verdict (the outcome's vlan, … and
 *  replyAttributes). */
export function embeddedBackend(authenticator: Authenticator, options: EmbeddedBackendOptions = {}): EapolBackend {
  const decide = policyDecider(options.policy, authenticator.authorize, 30_000);
  if (!decide) return { conversation: () => authenticator.createConversation() };
  return { conversation: (context) => decidedConversation(authenticator.createConversation(), context, decide) };
}

/** The conversation, its success put to the policy first. */
function decidedConversation(inner: ReturnType<Authenticator['createConversation']>, context: SupplicantContext,
  decide: Decide): EapTransport & { readonly identity: string } {
  const after = async (reply: TransportReply): Promise<TransportReply> => {
    if (reply.kind !== 'success') return reply;
    const verdict = await decide({
      user: inner.identity, userName: inner.identity, method: methodName(inner.methodType), client: context.interfaceName,
      calledStationId: stationId(context.portAddress), callingStationId: stationId(context.supplicant),
      nasPortType: NAS_PORT_TYPE_ETHERNET,
    });
    if (verdict.reject) return { kind: 'failure', reason: verdict.reason };
    return { ...reply, attributes: [...(reply.attributes ?? []), ...verdict.attributes] };
  };
  return {
    begin: (options) => inner.begin(options).then(after),
    respond: (response, options) => inner.respond(response, options).then(after),
    retransmission: (options) => inner.retransmission(options).then(after),
    close: () => inner.close(),
    get identity() { return inner.identity; },
  };
}

const NAS_PORT_TYPE = 61;
const CALLED_STATION_ID = 30;
const NAS_PORT_ID = 87;
const ACCT_SESSION_ID = 44;
// RFC 2865 §5.41: NAS-Port-Type Ethernet.
const NAS_PORT_TYPE_ETHERNET = 15;

/** RFC 3580 §3.20/§3.21: station ids as IEEE 802 addresses in upper-case hex, '-' separated. */
function stationId(mac: string): string {
  return mac.toUpperCase().replace(/:/g, '-');
}

export interface RadiusBackendOptions {
  server: RadiusEndpoint;
  /** NAS-Identifier. Default "eaphost". */
  nasIdentifier?: string;
  /** Per-request retransmission, as RadiusClient takes it. */
  timeoutMs?: number;
  tries?: number;
}

/**
 * Pass-through to a RADIUS server, as a switch does it (RFC 3580): Access-Requests with
 * EAP-Message, Message-Authenticator and State, NAS-Port-Type Ethernet, Calling-Station-Id the
 * supplicant's MAC, Called-Station-Id the port's, NAS-Port-Id the interface. One UDP client for
 * every conversation of the port.
 */
export function radiusBackend(options: RadiusBackendOptions): EapolBackend {
  const client = new RadiusClient({
    ...(options.timeoutMs !== undefined ? { timeoutMs: options.timeoutMs } : {}),
    ...(options.tries !== undefined ? { tries: options.tries } : {}),
  });
  return {
    conversation(context: SupplicantContext): EapTransport {
      const attributes: RadiusAttribute[] = encodeAttributes([
        integerOf(NAS_PORT_TYPE, NAS_PORT_TYPE_ETHERNET), textOf(CALLED_STATION_ID, stationId(context.portAddress)),
        textOf(NAS_PORT_ID, context.interfaceName),
        // RFC 3580 §3.23 / RFC 2866: the session a Disconnect-Request or CoA-Request may name later.
        ...(context.sessionId !== undefined ? [textOf(ACCT_SESSION_ID, context.sessionId)] : []),
      ]);
      return new RadiusEapTransport({
        server: options.server, client, nasIdentifier: options.nasIdentifier,
        callingStationId: stationId(context.supplicant), attributes,
      });
    },
    close: () => client.close(),
  };
}
