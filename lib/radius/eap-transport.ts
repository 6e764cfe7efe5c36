import { randomInt } from 'node:crypto';
import { EapCode } from '../core/constants';
import { decodeEapPacket, eapCodeOf, identityOf, identityRequest, verdictPacket } from '../core/packet';
import { EapTransport, TransportAttribute, TransportBeginOptions, TransportReply } from '../core/transport';
import { RadiusAttributeType, RadiusCode } from './constants';
import { RadiusClient, RadiusClientOptions, RadiusExchange } from './client';
import { RadiusEndpoint } from './endpoint';
import { RadiusAbortedError, RadiusInconsistentVerdictError, RadiusProtocolError } from './errors';
import { mppeKeyVendorType } from '../core/mppe-key';
import { encodeAttributes, integerOf, textOf } from './attribute-codec';
import { findAttribute, RadiusAttribute } from './attributes';
import { secretBytes } from './secret';

/** Service-Type Framed and NAS-Port-Type Virtual: what a NAS without a physical port sends. */
const SERVICE_TYPE_FRAMED = 2;
const NAS_PORT_TYPE_VIRTUAL = 5;

export interface RadiusEapTransportOptions extends RadiusClientOptions {
  server: RadiusEndpoint;
  /** A shared client (UDP, or a RadSecClient for RADIUS over TLS); by default the transport makes
   *  its own UDP client and closes it with itself. */
  client?: Pick<RadiusClient, 'accessRequest' | 'close'>;
  /** NAS-Identifier sent with every request. Default "eaphost". */
  nasIdentifier?: string;
  callingStationId?: string;
  /** Framed-MTU hint to the server, so that TLS-based methods fragment below it. Default 1400. */
  framedMtu?: number;
  /** More attributes for every Access-Request, as a NAS would send them; one of a type the
   *  transport sends by default (NAS-Identifier, Service-Type, NAS-Port-Type, Framed-MTU,
   *  Calling-Station-Id) replaces the default. */
  attributes?: RadiusAttribute[];
  /** Called with every RADIUS round trip, for --verbose output. Never given secrets. */
  onExchange?: (event: RadiusExchangeEvent) => void;
}

export interface RadiusExchangeEvent {
  request: { identifier: number; eapLength: number; state: boolean };
  reply: { code: number; identifier: number; eapLength: number; tries: number; attributes: RadiusAttribute[] };
}

/**
 * The NAS side of EAP over RADIUS (RFC 3579) as an EapTransport. Like a switch or access point,
 * it asks for the identity itself, then relays every EAP-Response in an Access-Request and every
 * EAP packet of the server's replies back to the peer, echoing State so the server finds its
 * conversation again.
 */
export class RadiusEapTransport implements EapTransport {
  private readonly client: Pick<RadiusClient, 'accessRequest' | 'close'>;
  private readonly ownsClient: boolean;
  private readonly options: RadiusEapTransportOptions;
  private identityRequestId: number | undefined;
  private userName: RadiusAttribute | undefined;
  /** The NAS's own attributes, encoded at the first request. */
  private defaults: RadiusAttribute[] | undefined;
  private state: Buffer | undefined;
  private lastResponseId = 0;
  private done = false;
  private closed = false;

  constructor(options: RadiusEapTransportOptions) {
    secretBytes(options.server.secret);
    this.options = options;
    this.ownsClient = options.client === undefined;
    this.client = options.client ?? new RadiusClient(options);
  }

  async begin(options: TransportBeginOptions = {}): Promise<TransportReply> {
    if (options.identityResponse) {
      return this.respond(options.identityResponse, { signal: options.signal });
    }
    // RFC 3579 §2.1: the NAS may start with its own EAP-Request/Identity instead of EAP-Start.
    this.identityRequestId = randomInt(256);
    return { kind: 'request', packet: identityRequest(this.identityRequestId) };
  }

  async respond(response: Buffer, options: { signal?: AbortSignal } = {}): Promise<TransportReply> {
    if (this.closed) throw new RadiusAbortedError('transport closed');
    if (this.done) throw new RadiusProtocolError('the RADIUS conversation has already ended');
    const decoded = decodeEapPacket(response);
    if (!decoded || decoded.code !== EapCode.Response || decoded.length !== response.length) {
      throw new RangeError('respond() takes one whole EAP-Response packet');
    }
    this.lastResponseId = decoded.id;
    const identity = identityOf(response);
    if (this.userName === undefined && identity !== undefined) {
      // RFC 3579 §2.1: User-Name is copied from the EAP-Response/Identity.
      [this.userName] = encodeAttributes([textOf(RadiusAttributeType.UserName, identity)]);
    }
    const exchange = await this.client.accessRequest(this.options.server, this.requestAttributes(),
      { signal: options.signal, eapMessage: response });
    return this.interpret(exchange, response);
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    if (this.ownsClient) await this.client.close();
  }

  private requestAttributes(): RadiusAttribute[] {
    const attributes: RadiusAttribute[] = [];
    if (this.userName !== undefined) attributes.push(this.userName);
    const extra = this.options.attributes ?? [];
    this.defaults ??= encodeAttributes([
      textOf(RadiusAttributeType.NasIdentifier, this.options.nasIdentifier ?? 'eaphost'),
      integerOf(RadiusAttributeType.ServiceType, SERVICE_TYPE_FRAMED),
      integerOf(RadiusAttributeType.NasPortType, NAS_PORT_TYPE_VIRTUAL),
      integerOf(RadiusAttributeType.FramedMtu, this.options.framedMtu ?? 1400),
      ...(this.options.callingStationId ? [textOf(RadiusAttributeType.CallingStationId, this.options.callingStationId)] : []),
    ]);
    attributes.push(...this.defaults.filter((attribute) => !extra.some((given) => given.type === attribute.type)), ...extra);
    if (this.state !== undefined) attributes.push({ type: RadiusAttributeType.State, value: this.state });
    return attributes;
  }

  private interpret(exchange: RadiusExchange, response: Buffer): TransportReply {
    const { reply, eap } = exchange;
    if (exchange.eapMalformed !== undefined) {
      throw new RadiusProtocolError(`server sent an unusable EAP-Message: ${exchange.eapMalformed}`);
    }
    this.options.onExchange?.({
      request: { identifier: exchange.reply.identifier, eapLength: response.length, state: this.state !== undefined },
      reply: {
        code: reply.code, identifier: reply.identifier, eapLength: eap?.length ?? 0, tries: exchange.tries,
        attributes: reply.attributes,
      },
    });
    const eapCode = eap ? eapCodeOf(eap) : undefined;
    const replyMessage = findAttribute(reply, RadiusAttributeType.ReplyMessage)?.toString('utf8');
    switch (reply.code) {
      case RadiusCode.AccessChallenge:
        if (!eap || eapCode !== EapCode.Request) {
          throw new RadiusProtocolError('Access-Challenge without an EAP-Request in EAP-Message');
        }
        // RFC 2865 §5.24: State is echoed unchanged; a challenge without one clears it.
        this.state = findAttribute(reply, RadiusAttributeType.State);
        return { kind: 'request', packet: eap };
      case RadiusCode.AccessAccept:
        this.done = true;
        // Only a missing EAP-Message may be completed with an EAP-Success of our own (§2.6.3).
        if (eap && eapCode !== EapCode.Success) throw new RadiusInconsistentVerdictError(eapCode ?? 0);
        return {
          kind: 'success',
          // RFC 3579 §2.6.3: a verdict without EAP-Message still ends the conversation; EAP gets its packet.
          packet: eap ?? verdictPacket(EapCode.Success, this.lastResponseId),
          attributes: this.verdictAttributes(exchange),
        };
      default:
        this.done = true;
        return {
          kind: 'failure',
          packet: eap && eapCode === EapCode.Failure ? eap : verdictPacket(EapCode.Failure, this.lastResponseId),
          attributes: this.verdictAttributes(exchange),
          reason: replyMessage ? `Access-Reject: ${replyMessage}` : 'Access-Reject',
        };
    }
  }

  /** Reply attributes the peer may want (Class, Session-Timeout, MPPE keys in clear, last); framing
   *  ones dropped, and hidden keys that did not decode. */
  private verdictAttributes(exchange: RadiusExchange): TransportAttribute[] {
    const out: TransportAttribute[] = [];
    for (const attribute of exchange.reply.attributes) {
      switch (attribute.type) {
        case RadiusAttributeType.EapMessage:
        case RadiusAttributeType.MessageAuthenticator:
        case RadiusAttributeType.ProxyState:
          continue;
        case RadiusAttributeType.VendorSpecific:
          if (mppeKeyVendorType(attribute.value) !== undefined) continue;
          break;
        default:
          break;
      }
      out.push({ type: attribute.type, value: attribute.value });
    }
    for (const key of exchange.mppeKeys) out.push({ type: RadiusAttributeType.VendorSpecific, value: key });
    return out;
  }
}
