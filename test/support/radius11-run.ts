/**
 * One RadSec client and one `serve` listener (RadiusServer) in this process, both over TLS-PSK 1.3
 * on loopback, the client with RADIUS version setting argv[2] and the listener "auto": PAP
 * (User-Password) and an EAP-MSCHAPv2 authentication (MPPE keys) across, then the RADIUS engine's
 * MD5 and HMAC-MD5 computations counted over those exchanges (the test-only probe: run with
 * EAPHOST_CONTRACT_PROBE=1). Prints one JSON line. A stand-in for nothing: both ends are eaphost's.
 */
import { randomBytes } from 'node:crypto';
import { authenticate, createAuthenticator, openEapHost } from '../../lib';
import { binding } from '../../lib/native';
import { RadiusServer, RadSecClient, RadiusEapTransport } from '../../lib/radius';
import { RadiusAttributeType, RadiusCode } from '../../lib/radius/constants';
import type { RadiusVersionSetting } from '../../lib/radius/radsec/alpn';

const IDENTITY = 'nas1';
const USER = { name: 'gina', password: 'g1na pass' };

async function run(version: RadiusVersionSetting): Promise<void> {
  const count = (): number => (binding as unknown as { radiusMd5CountProbe(): number }).radiusMd5CountProbe();
  const key = randomBytes(32);
  const authenticator = await createAuthenticator({ methods: ['mschapv2'], users: { [USER.name]: { password: USER.password } } });
  const server = new RadiusServer({ host: '127.0.0.1', port: 0, authenticator, pap: true,
    radsec: { psk: [{ identity: IDENTITY, key, networks: ['127.0.0.1'] }] } });
  const { port } = await server.listen();
  const radsec = new RadSecClient({ psk: { identity: IDENTITY, key }, radiusVersion: version, timeoutMs: 5000 });
  const endpoint = { host: '127.0.0.1', port, secret: 'radsec' };
  const host = await openEapHost();
  try {
    // The connection (and the listener's first packet) before counting: only the exchanges count.
    await radsec.statusServer(endpoint);
    const before = count();
    const user = { type: RadiusAttributeType.UserName, value: Buffer.from(USER.name) };
    const pap = await radsec.accessRequest(endpoint, [user], { userPassword: Buffer.from(USER.password) });
    const wrong = await radsec.accessRequest(endpoint, [user], { userPassword: Buffer.from('not it') });
    const session = await host.beginSession({ method: 'mschapv2', identity: USER.name, password: USER.password });
    let eap;
    try {
      eap = await authenticate({ session, transport: new RadiusEapTransport({ server: endpoint, client: radsec }) });
    } finally {
      await session.endSession();
    }
    const md5 = count() - before;
    process.stdout.write(`${JSON.stringify({
      md5, pap: pap.reply.code === RadiusCode.AccessAccept, wrong: wrong.reply.code === RadiusCode.AccessReject,
      eap: eap.success, mppeKeysMatch: eap.mppeKeysMatch,
      identifier: pap.reply.identifier, reserved2: pap.reply.authenticator.subarray(4).toString('hex'),
    })}\n`);
  } finally {
    await radsec.close();
    await host.close();
    await server.close();
    await authenticator.close();
  }
}

run((process.argv[2] ?? '1.0') as RadiusVersionSetting).catch((error: unknown) => {
  process.stderr.write(`${(error as Error).stack ?? String(error)}\n`);
  process.exitCode = 1;
});
