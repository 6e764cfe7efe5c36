/**
 * What GetMethods says of each shipped method, read back against the module's own
 * EapPeerGetMethodProperties (its legacy flag word) and against the RFCs' claims.
 */
import { strict as assert } from 'node:assert';
import type { EapHost } from '../../lib/index';

// eslint-disable-next-line @typescript-eslint/no-var-requires
const { shippedMethods, EAPHOST_AUTHOR_NAME } = require('../../../scripts/shipped-methods.js') as {
  shippedMethods: ReadonlyArray<{ name: string; type: number; authorId: number }>;
  EAPHOST_AUTHOR_NAME: string;
};

const LEGACY_FLAG = 31; // emptLegacyMethodPropertyFlag: the eapProp* bits as one DWORD
const PROP = { mutualAuth: 0x2, keyDerivation: 0x20, standalone: 0x40000, supportsConfig: 0x200000, userAuth: 0x2000000 };

export async function methodPropertyChecks(host: EapHost): Promise<void> {
  const listed = await host.getMethods();
  assert.ok(shippedMethods.length > 0);
  for (const shipped of shippedMethods) {
    const method = listed.find((m) => m.type === shipped.type && m.authorId === shipped.authorId);
    assert.ok(method, `${shipped.name} is not listed by GetMethods`);
    assert.equal(method.authorName, EAPHOST_AUTHOR_NAME, `${shipped.name}: author name`);
    const reported = await host.getMethodProperties(
      { type: shipped.type, vendorId: 0, vendorType: 0, authorId: shipped.authorId });
    const flag = reported.find((p) => p.type === LEGACY_FLAG);
    assert.ok(flag && typeof flag.value === 'number', `${shipped.name}: no legacy property flag`);
    assert.equal(method.properties, flag.value,
      `${shipped.name}: registered 0x${method.properties.toString(16)}, the module claims 0x${flag.value.toString(16)}`);
    // Every shipped method authenticates a user on its own and is configurable.
    for (const bit of [PROP.userAuth, PROP.standalone, PROP.supportsConfig]) {
      assert.ok(method.properties & bit, `${shipped.name}: bit 0x${bit.toString(16)} missing`);
    }
    // RFC 3748 §5.4 / RFC 3748 §5.6: MD5 and GTC derive no keys and do not authenticate the
    // server; MS-CHAPv2 checks the authenticator response (RFC 2759 §8.7) and derives MPPE keys.
    const keyed = !['md5', 'gtc'].includes(shipped.name);
    assert.equal((method.properties & PROP.keyDerivation) !== 0, keyed, `${shipped.name}: key derivation`);
    assert.equal((method.properties & PROP.mutualAuth) !== 0, keyed, `${shipped.name}: mutual authentication`);
  }
}
