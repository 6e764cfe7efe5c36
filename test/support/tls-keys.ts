import { strict as assert } from 'node:assert';
import { parseClearMppeKey } from '../../lib/core/mppe-key';
import type { AuthenticationResult } from '../../lib';
import type { TransportAttribute } from '../../lib/core/transport';

/** A RADIUS authentication's outcome with a copy of what the server's verdict carried. */
export type RadiusOutcome = AuthenticationResult & { verdictAttributes: TransportAttribute[] };

/** The MS-MPPE keys of the Access-Accept (decrypted by the client), read independently of result.mppeKeysMatch. */
export function serverMppeKeys(result: RadiusOutcome): { recv?: Buffer; send?: Buffer } {
  const keys: { recv?: Buffer; send?: Buffer } = {};
  for (const attribute of result.verdictAttributes) {
    const clear = attribute.type === 26 ? parseClearMppeKey(attribute.value) : undefined;
    if (clear?.vendorType === 17) keys.recv = Buffer.from(clear.key);
    if (clear?.vendorType === 16) keys.send = Buffer.from(clear.key);
  }
  return keys;
}

/** Success with a 64-byte MSK equal to the server's Recv-Key ‖ Send-Key (32 bytes each), and
 *  (unless `checkEmsk` is false) a 64-byte EMSK. */
export function assertTlsKeysFromServer(result: RadiusOutcome, eapType: number, log: () => string,
  { checkEmsk = true }: { checkEmsk?: boolean } = {}): void {
  assert.equal(result.success, true, `${result.reason}\n${log().slice(-4000)}`);
  assert.equal(result.method, eapType);
  const server = serverMppeKeys(result);
  assert.ok(server.recv && server.send, 'the Access-Accept carries MS-MPPE-Recv-Key and MS-MPPE-Send-Key');
  assert.equal(server.recv.length, 32);
  assert.equal(server.send.length, 32);
  assert.equal(result.msk?.length, 64);
  assert.deepEqual(result.msk, Buffer.concat([server.recv, server.send]), 'MSK = Recv-Key ‖ Send-Key of the server');
  assert.equal(result.mppeKeysMatch, true);
  if (checkEmsk) assert.equal(result.emsk?.length, 64);
}
