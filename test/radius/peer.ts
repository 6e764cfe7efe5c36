import { authenticate, AuthenticationResult, openEapHost, EapHost } from '../../lib';
import { RadiusClient, RadiusEapTransport } from '../../lib/radius';

/** Runs the real peer (EAPHost session, EAP-MD5 method module) against a RADIUS server. */
let host: Promise<EapHost> | undefined;

export async function authenticateOverRadius(server: { host: string; port: number; secret: string },
  identity: string, password: string, options: { client?: RadiusClient; timeoutMs?: number; onPacket?: (direction: 'in' | 'out', packet: Buffer) => void } = {})
  : Promise<AuthenticationResult> {
  host ??= openEapHost();
  const session = await (await host).beginSession({ method: 'md5', identity, password });
  const transport = new RadiusEapTransport({ server, client: options.client, timeoutMs: options.timeoutMs ?? 3000, tries: 3 });
  return authenticate({ session, transport, onPacket: options.onPacket });
}
