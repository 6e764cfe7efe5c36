import {
  authenticate, AuthenticationResult, BeginSessionOptions, BuiltinMethodName, openEapHost, EapHost,
  EapHostSession,
} from '../../lib';
import type { TransportAttribute } from '../../lib/core/transport';
import { RadiusAttribute, RadiusClient, RadiusEapTransport } from '../../lib/radius';

/** Runs the real peer (EAPHost session, a shipped method module; MD5 by default) against a RADIUS server. */
let host: Promise<EapHost> | undefined;

export interface RadiusPeerOptions {
  client?: RadiusClient;
  timeoutMs?: number;
  method?: BuiltinMethodName;
  /** The TLS methods' options (ca, serverName, insecure, tls, phase2, cert, key, …). */
  tls?: Omit<BeginSessionOptions, 'method' | 'identity' | 'password'>;
  onPacket?: (direction: 'in' | 'out', packet: Buffer) => void;
  /** More attributes for every Access-Request (RadiusEapTransport's `attributes`). */
  attributes?: RadiusAttribute[];
}

export async function authenticateOverRadius(server: { host: string; port: number; secret: string },
  identity: string, password: string, options: RadiusPeerOptions = {})
  : Promise<AuthenticationResult & { verdictAttributes: TransportAttribute[]; radiusCodes: number[] }> {
  host ??= openEapHost();
  const session = await (await host).beginSession({ method: options.method ?? 'md5', identity, password, ...options.tls });
  return authenticateSessionOverRadius(session, server, options);
}

/** Runs a session already begun (on any backend) against a RADIUS server, with a copy of the
 *  server's verdict attributes and the code of every reply. */
export async function authenticateSessionOverRadius(session: EapHostSession, server: { host: string; port: number; secret: string },
  options: Pick<RadiusPeerOptions, 'client' | 'timeoutMs' | 'onPacket' | 'attributes'> = {})
  : Promise<AuthenticationResult & { verdictAttributes: TransportAttribute[]; radiusCodes: number[] }> {
  // The RADIUS code of every reply, as the server sent it: 11 Access-Challenge, 2 Access-Accept, 3 Access-Reject.
  const radiusCodes: number[] = [];
  const transport = new RadiusEapTransport({ server, client: options.client, timeoutMs: options.timeoutMs ?? 3000, tries: 3,
    attributes: options.attributes,
    onExchange: (exchange) => { radiusCodes.push(exchange.reply.code); } });
  // A copy of what the server's verdict carried (MPPE keys decrypted), as the transport gave it.
  let verdictAttributes: TransportAttribute[] = [];
  const respond = transport.respond.bind(transport);
  transport.respond = async (response, respondOptions) => {
    const reply = await respond(response, respondOptions);
    if (reply.kind !== 'request') {
      verdictAttributes = (reply.attributes ?? []).map((a) => ({ type: a.type, value: Buffer.from(a.value) }));
    }
    return reply;
  };
  const result = await authenticate({ session, transport, onPacket: options.onPacket });
  return { ...result, verdictAttributes, radiusCodes };
}

/** authenticateOverRadius, with the size of every EAP packet the peer sent, in order. */
export async function authenticateCountingSent(server: { host: string; port: number; secret: string },
  identity: string, password: string): Promise<{ result: Awaited<ReturnType<typeof authenticateOverRadius>>; sent: number[] }> {
  const sent: number[] = [];
  const result = await authenticateOverRadius(server, identity, password, {
    onPacket: (direction, packet) => { if (direction === 'out') sent.push(packet.length); },
  });
  return { result, sent };
}
