// Type-checked (not run) against the shipped declarations under every resolution a consumer
// uses (node16 / nodenext from CommonJS and ES modules, bundler, and node10 through
// typesVersions): the public entry points resolve, with their types.
import { authenticate, openEapHost } from 'eaphost';
import type { AuthenticationResult, EapTransport } from 'eaphost';
import { RadiusEapTransport, RadiusClient } from 'eaphost/radius';
import type { RadiusEapTransportOptions } from 'eaphost/radius';
import { shippedConfigXml, microsoftConfigXml } from 'eaphost/profile';

export async function overRadius(options: RadiusEapTransportOptions): Promise<boolean> {
  const transport: EapTransport = new RadiusEapTransport(options);
  const host = await openEapHost();
  try {
    const session = await host.beginSession({ method: 'md5', identity: 'alice', password: 'pw' });
    const result: AuthenticationResult = await authenticate({ session, transport });
    return result.success;
  } finally {
    await host.close();
  }
}

const method: Parameters<typeof shippedConfigXml>[0] = 'peap';
export const profiles = [shippedConfigXml(method, { insecure: true }), microsoftConfigXml('peap', { insecure: true })];
export const client: typeof RadiusClient = RadiusClient;
