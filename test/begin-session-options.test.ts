/**
 * BeginSession's Windows-facing options: machineAuth must be a boolean (it decides whether
 * EAPHost gets the caller's token at all), and a session begun with it, or with credentials
 * (which set EAP_FLAG_PREFER_ALT_CREDENTIALS), still runs to an authenticator's verdict.
 */
import { strict as assert } from 'node:assert';
import { randomBytes } from 'node:crypto';
import { authenticate, createAuthenticator, EapFlags, openEapHost } from '../lib/index';

describe('beginSession: machineAuth and the credentials flag', function () {
  it('refuses a machineAuth that is not a boolean, before anything native runs', async () => {
    const host = await openEapHost({ backend: 'portable' });
    try {
      await assert.rejects(host.beginSession({ method: 'md5', machineAuth: 'yes' as never }), /machineAuth must be a boolean/);
    } finally {
      await host.close();
    }
  });

  it('documents the flag values EAPHost defines (eaptypes.h)', () => {
    assert.equal(EapFlags.MACHINE_AUTH, 0x20);
    assert.equal(EapFlags.PREFER_ALT_CREDENTIALS, 0x2000);
  });

  it('a machineAuth session with credentials authenticates against the embedded authenticator', async () => {
    const identity = `m-${randomBytes(4).toString('hex')}`;
    const password = randomBytes(9).toString('base64');
    const authenticator = await createAuthenticator({ methods: ['md5'], users: { [identity]: { password } } });
    const host = await openEapHost({ backend: 'portable' });
    try {
      const session = await host.beginSession({ method: 'md5', identity, password, machineAuth: true });
      const result = await authenticate({ session, transport: authenticator.createConversation() });
      assert.equal(result.success, true, result.reason);
      assert.equal(result.identity, identity);
    } finally {
      await authenticator.close();
      await host.close();
    }
  });
});
