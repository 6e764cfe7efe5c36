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

  it('gives every session without a connectionId its own GUID, and keeps one that is given', async () => {
    const host = await openEapHost({ backend: 'portable' });
    try {
      const guid = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
      const ids = new Set<string>();
      for (let i = 0; i < 50; i++) {
        const session = await host.beginSession({ method: 'md5', identity: 'ida', password: 'pw' });
        assert.match(session.connectionId, guid);
        ids.add(session.connectionId);
        await session.endSession();
      }
      assert.equal(ids.size, 50, 'no connection ID given twice');
      const given = '0f1e2d3c-4b5a-4968-8776-a5b4c3d2e1f0';
      const session = await host.beginSession({ method: 'md5', identity: 'ida', password: 'pw', connectionId: given });
      assert.equal(session.connectionId, given);
      await session.endSession();
    } finally {
      await host.close();
    }
  });
});
