/**
 * The lifecycle every facade object shares (lib/native/native-object.ts), and the binding contract:
 * ending releases the native handle even when the native end call fails, a caller's own
 * buffers are never wiped, credentials given to beginSession never come back to JS as a user
 * blob, and the addon exports exactly the functions lib/native/contract.ts declares.
 */
import { strict as assert } from 'assert';
import * as crypto from 'crypto';
import { EventEmitter } from 'events';
import { EapError, authenticate, createAuthenticator, openEapHost } from '../lib';
import { loadAuthenticatorMethod } from '../lib/session/authenticator-method';
import { loadPeerMethod } from '../lib/session/peer-method';
import { binding } from '../lib/native';
import { dispatchNotification } from '../lib/session/eaphost';
import { notificationToken } from '../lib/session/internal';
import { NATIVE_FUNCTION_NAMES, NativeHandle } from '../lib/native/contract';
import { openSuiteHost } from './helpers';

/** Records every handle binding.release() is given while `body` runs. */
async function watchReleases(body: (released: NativeHandle[]) => Promise<void>): Promise<void> {
  const original = binding.release;
  const released: NativeHandle[] = [];
  binding.release = (args: { handle: NativeHandle }) => {
    released.push(args.handle);
    original.call(binding, args);
  };
  try {
    await body(released);
  } finally {
    binding.release = original;
  }
}

const handleOf = (object: object): NativeHandle => (object as unknown as { handle: NativeHandle }).handle;

describe('one lifecycle for native objects', () => {
  it("an EAPHost session is still an EventEmitter: instanceof holds and 'notification' listeners attach and detach", async () => {
    await using host = await openSuiteHost();
    const session = await host.beginSession({ method: 'md5', identity: 'alice', password: 'secret' });
    try {
      assert.ok(session instanceof EventEmitter);
      const listener = (): void => undefined;
      session.on('notification', listener);
      assert.equal(session.listenerCount('notification'), 1);
      session.off('notification', listener);
      assert.equal(session.listenerCount('notification'), 0);
    } finally {
      await session.endSession();
    }
  });

  it("EAPHost's notifications reach JS only while a session listens: the stand-in's one at EndSession", async () => {
    // The stand-in notifies a connection once as its session ends, so that a caller who freed the
    // callback's context with the session finds out; Windows' own EAPHost need not, so this asks
    // for the portable one by name.
    await using host = await openEapHost({ backend: 'portable' });
    const handed: number[] = [];
    binding.configure({ notificationDispatcher: (token, connectionId) => {
      handed.push(token);
      dispatchNotification(token, connectionId);
    } });
    try {
      const unheard = await host.beginSession({ method: 'md5', identity: 'alice', password: 'secret' });
      await unheard.endSession();
      assert.equal(handed.length, 0, 'a notification nobody listens to is not handed to JS');

      const heard = await host.beginSession({ method: 'md5', identity: 'alice', password: 'secret' });
      const quiet = await host.beginSession({ method: 'md5', identity: 'bob', password: 'secret' });
      const received: { connectionId: string }[] = [];
      heard.on('notification', (notification: { connectionId: string }) => received.push(notification));
      await quiet.endSession();
      await heard.endSession();
      assert.deepEqual(received, [{ connectionId: heard.connectionId }]);
      assert.ok(handed.includes(heard[notificationToken]));

      // Its listener gone with the session, the next end is unheard again.
      handed.length = 0;
      const later = await host.beginSession({ method: 'md5', identity: 'alice', password: 'secret' });
      await later.endSession();
      assert.equal(handed.length, 0);
    } finally {
      binding.configure({ notificationDispatcher: dispatchNotification });
    }
  });

  it('EapHostSession.endSession ends and releases in one host-thread job: no release() after it', async () => {
    await using host = await openSuiteHost();
    const session = await host.beginSession({ method: 'md5', identity: 'alice', password: 'secret' });
    await watchReleases(async (released) => {
      const before = binding.hostThreadStats().jobs;
      await session.endSession();
      assert.equal(binding.hostThreadStats().jobs - before, 1, 'EapHostPeerEndSession and the release are one job');
      assert.deepEqual(released, [], 'no separate release() call');
    });
    // Released for good: the handle is refused as ended, natively too.
    await assert.rejects(binding.eapHostGetAuthStatus({ session: handleOf(session), authParam: 1 }),
      (error: unknown) => error instanceof EapError && error.state === 'Ended');
    await assert.rejects(session.getAuthStatus(), (error: unknown) => error instanceof EapError && error.state === 'Ended');
  });

  it('PeerMethodSession.endSession releases the handle even when EapPeerEndSession fails', async () => {
    await using method = await loadPeerMethod('md5');
    const session = await method.beginSession({ identity: 'alice', password: 'secret' });
    const handle = handleOf(session);
    await watchReleases(async (released) => {
      // The native side closes the session first (as environment teardown does): EndSession fails there.
      binding.release({ handle });
      await assert.rejects(session.endSession(), (error: unknown) => error instanceof EapError &&
        error.call === 'EapPeerEndSession' && /closed/.test(error.rootCause));
      assert.equal(released.filter((h) => h === handle).length, 2, 'endSession released the handle after the failure');
      // The session is ended for good: no second native call, and later calls say so.
      await session.endSession();
      await assert.rejects(session.getResponsePacket(), (error: unknown) => error instanceof EapError &&
        error.state === 'Ended');
      assert.equal(released.filter((h) => h === handle).length, 2);
    });
  });

  it('AuthenticatorMethodSession.endSession releases the handle even when EndSession fails', async () => {
    await using method = await loadAuthenticatorMethod('md5');
    const session = await method.beginSession({ identity: 'alice' });
    const handle = handleOf(session);
    await watchReleases(async (released) => {
      binding.release({ handle });
      await assert.rejects(session.endSession(), (error: unknown) => error instanceof EapError &&
        error.call === 'EapMethodAuthenticatorEndSession');
      assert.equal(released.filter((h) => h === handle).length, 2);
      await session.endSession();
      await assert.rejects(session.sendPacket(1), (error: unknown) => error instanceof EapError && error.state === 'Ended');
    });
  });

  it("PeerMethod.beginSession leaves the caller's userData Buffer as it was", async () => {
    await using method = await loadPeerMethod('md5');
    const userData = await method.userBlob('alice', 'secret');
    const before = Buffer.from(userData);
    assert.ok(before.some((byte) => byte !== 0));
    const session = await method.beginSession({ userData });
    await session.endSession();
    assert.deepEqual(userData, before);
  });

  it('EapHost.beginSession with identity/password makes the user blob natively: no blob reaches JS', async () => {
    await using host = await openSuiteHost();
    await using authenticator = await createAuthenticator({ users: { alice: { password: 'secret' } } });
    const original = binding.peerMethodQueryUserBlobFromCredentialInputFields;
    let blobsMade = 0;
    binding.peerMethodQueryUserBlobFromCredentialInputFields = ((args) => {
      blobsMade++;
      return original.call(binding, args);
    }) as typeof original;
    try {
      await using session = await host.beginSession({ method: 'md5', identity: 'alice', password: 'secret' });
      const result = await authenticate({ session, transport: authenticator.createConversation() });
      assert.equal(result.success, true);
      await using wrong = await host.beginSession({ method: 'md5', identity: 'alice', password: 'not it' });
      assert.equal((await authenticate({ session: wrong, transport: authenticator.createConversation() })).success, false);
    } finally {
      binding.peerMethodQueryUserBlobFromCredentialInputFields = original;
    }
    assert.equal(blobsMade, 0);
  });

  it('a closed EapHost refuses calls with a typed Closed error, and close() is idempotent', async () => {
    const host = await openSuiteHost();
    await host.close();
    await host.close();
    await assert.rejects(host.getMethods(), (error: unknown) => error instanceof EapError && error.state === 'Closed');
    await assert.rejects(host.beginSession({ method: 'md5', identity: 'a', password: 'b' }),
      (error: unknown) => error instanceof EapError && error.state === 'Closed');
  });

  it('the addon exports exactly the functions lib/native/contract.ts declares', () => {
    const exported = Object.keys(binding).filter((name) => typeof (binding as unknown as Record<string, unknown>)[name] === 'function');
    assert.deepEqual([...exported].sort(), [...NATIVE_FUNCTION_NAMES].sort());
  });

  it('MD5 through the native credential path matches node:crypto (RFC 1994 CHAP over MD5)', async () => {
    // The authenticator checks the peer's response against its own MD5 of id ‖ password ‖
    // challenge; watch one exchange and recompute it independently.
    await using host = await openSuiteHost();
    await using authenticator = await createAuthenticator({ users: { bob: { password: 'pa55' } } });
    await using session = await host.beginSession({ method: 'md5', identity: 'bob', password: 'pa55' });
    let challenge: Buffer | undefined;
    let response: Buffer | undefined;
    const result = await authenticate({ session, transport: authenticator.createConversation(), onPacket: (direction, packet) => {
      if (packet[4] !== 4) return;  // EAP-MD5 only
      if (direction === 'in') challenge = packet;
      else response = packet;
    } });
    assert.equal(result.success, true);
    assert.ok(challenge && response);
    const value = challenge.subarray(6, 6 + challenge[5]);
    const expected = crypto.createHash('md5').update(Buffer.from([response[1]])).update('pa55').update(value).digest();
    assert.deepEqual(response.subarray(6, 6 + response[5]), expected);
  });
});
