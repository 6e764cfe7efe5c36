/**
 * Bad input through the public API: every case must end in a typed error (TypeError for
 * wrong types, EapError for everything EAP) and never crash the process or lose a session.
 */
import { strict as assert } from 'assert';
import * as crypto from 'crypto';
import * as os from 'os';
import * as path from 'path';
import * as fs from 'fs';
import { EapError, authenticate, createAuthenticator, openEapHost } from '../lib';
import { loadAuthenticatorMethod } from '../lib/session/authenticator-method';
import { loadPeerMethod } from '../lib/session/peer-method';
import { eapPacket, md5ChallengeRequest, randomCredentials, openSuiteHost } from './helpers';

type Expect = 'TypeError' | 'EapError' | 'discard';

/** Win32 codes an EapError carries for these causes (winerror.h, eaphosterror.h). */
const WIN32 = {
  invalidData: 13, modNotFound: 126, procNotFound: 127, busy: 170, badExeFormat: 193, invalidState: 5023,
  methodNotInstalled: 0x80420011,
} as const;
/** libm stands in for "a library that is not X" where it exists; elsewhere the path is missing. */
const LIBM = ['/lib/x86_64-linux-gnu/libm.so.6', '/usr/lib/x86_64-linux-gnu/libm.so.6', '/lib64/libm.so.6'].find(fs.existsSync);

describe('bad input through the public API', () => {
  const { identity, password } = randomCredentials();
  // Each case: a name, what it must produce, and the call.
  // An EapError case names the Win32 codes that say why (any other cause, such as a session
  // closed under the call, fails it).
  const cases: [string, Expect, () => Promise<unknown>, (readonly number[])?][] = [];
  const add = (name: string, expect: Expect, call: () => Promise<unknown>, codes?: readonly number[]) =>
    cases.push([name, expect, call, codes]);

  const withSession = async <T>(use: (s: Awaited<ReturnType<Awaited<ReturnType<typeof openEapHost>>['beginSession']>>) => Promise<T>) => {
    const host = await openSuiteHost();
    const session = await host.beginSession({ method: 'md5', identity, password });
    try {
      return await use(session);
    } finally {
      await session.endSession().catch(() => undefined);
      await host.close();
    }
  };
  const anyArg = (value: unknown) => value as never;

  add('openEapHost with a non-object', 'TypeError', () => openEapHost(anyArg(42)));
  add('openEapHost with an unknown backend', 'TypeError', () => openEapHost({ backend: anyArg('nope') }));
  add('openEapHost with a missing library', 'EapError', () => openEapHost({ backend: 'portable', libraryPath: '/nonexistent/libeaphost.so' }),
    [WIN32.modNotFound]);
  add('openEapHost with a library that is not EAPHost', 'EapError', async () => {
    return await openEapHost({ backend: 'portable', libraryPath: LIBM ?? '/nonexistent' });
  }, [LIBM ? (process.platform === 'win32' ? WIN32.badExeFormat : WIN32.procNotFound) : WIN32.modNotFound]);
  add('beginSession with an unknown method name', 'TypeError', async () => {
    await using host = await openSuiteHost();
    return await host.beginSession({ method: anyArg('tls'), identity, password });
  });
  add('beginSession with a method that is not installed', 'EapError', async () => {
    await using host = await openSuiteHost();
    return await host.beginSession({ method: { type: 13, vendorId: 0, vendorType: 0, authorId: 311 }, userData: Buffer.alloc(0) });
  }, [WIN32.methodNotInstalled]);
  add('beginSession with a non-string password', 'TypeError', async () => {
    await using host = await openSuiteHost();
    return await host.beginSession({ method: 'md5', identity, password: anyArg(12345) });
  });
  add('beginSession with a non-Buffer userData', 'TypeError', async () => {
    await using host = await openSuiteHost();
    return await host.beginSession({ method: 'md5', userData: anyArg('blob') });
  });
  add('beginSession with a malformed user blob', 'EapError', async () => {
    await using host = await openSuiteHost();
    return await host.beginSession({ method: 'md5', userData: crypto.randomBytes(7) });
  }, [WIN32.invalidData]);
  add('beginSession on a closed host', 'EapError', async () => {
    const host = await openSuiteHost();
    await host.close();
    return await host.beginSession({ method: 'md5', identity, password });
  }, [WIN32.invalidState]);
  add('processReceivedPacket with a string', 'TypeError', () => withSession((s) => s.processReceivedPacket(anyArg('packet'))));
  add('processReceivedPacket with an empty packet', 'discard', () => withSession((s) => s.processReceivedPacket(Buffer.alloc(0))));
  add('processReceivedPacket with a truncated header', 'discard', () => withSession((s) => s.processReceivedPacket(Buffer.from([1, 1, 0]))));
  add('processReceivedPacket with Length beyond the buffer', 'discard', () => withSession((s) => {
    const p = eapPacket(1, 1, 1);
    p.writeUInt16BE(1000, 2);
    return s.processReceivedPacket(p);
  }));
  add('processReceivedPacket with Length below the header', 'discard', () => withSession((s) => {
    const p = eapPacket(1, 1, 1);
    p.writeUInt16BE(2, 2);
    return s.processReceivedPacket(p);
  }));
  add('processReceivedPacket with an oversized (64 KiB) packet', 'discard', () => withSession((s) => {
    const p = Buffer.alloc(70000, 0x41);
    p[0] = 1; p[1] = 1; p.writeUInt16BE(0xffff, 2); p[4] = 4; p[5] = 0;  // Value-Size 0 is invalid
    return s.processReceivedPacket(p).then((a) => (a === 'discard' ? a : Promise.reject(new Error(`action ${a}`))))
      .catch((e) => (e instanceof EapError ? 'discard' : Promise.reject(e)));
  }));
  add('Success with the wrong Identifier', 'discard', () => withSession(async (s) => {
    await s.processReceivedPacket(md5ChallengeRequest(50, crypto.randomBytes(16)));
    await s.getSendPacket();
    return s.processReceivedPacket(eapPacket(3, 51));
  }));
  add('a Response packet sent to the peer', 'discard', () => withSession((s) => s.processReceivedPacket(eapPacket(2, 1, 1))));
  add('getSendPacket before any request', 'EapError', () => withSession((s) => s.getSendPacket()), [WIN32.invalidState]);
  add('overlapping calls on one session', 'EapError', () => withSession(async (s) => {
    const first = s.processReceivedPacket(eapPacket(1, 1, 1));
    const second = s.processReceivedPacket(eapPacket(1, 1, 1));
    await first;
    return second;
  }), [WIN32.busy]);
  add('a call on an ended session', 'EapError', () => withSession(async (s) => {
    await s.endSession();
    return s.getSendPacket();
  }), [WIN32.invalidState]);
  add('getResult with an unknown reason', 'TypeError', () => withSession((s) => s.getResult(anyArg('maybe'))));
  add('setResponseAttributes with malformed attributes', 'TypeError', () => withSession((s) => s.setResponseAttributes(anyArg([{ type: 'x' }]))));
  add('loadPeerMethod with a missing module', 'EapError', () => loadPeerMethod({ path: path.join(os.tmpdir(), 'no-such-eap-method.so') }),
    [WIN32.modNotFound]);
  add('loadPeerMethod with a library that is not a method', 'EapError', async () => {
    return await loadPeerMethod({ path: LIBM ?? '/nonexistent' });
  }, [LIBM ? (process.platform === 'win32' ? WIN32.badExeFormat : WIN32.procNotFound) : WIN32.modNotFound]);
  add('loadPeerMethod with a file that is not a library', 'EapError', () => loadPeerMethod({ path: __filename }),
    [WIN32.modNotFound, WIN32.badExeFormat]);
  add('loadAuthenticatorMethod with an empty path', 'TypeError', () => loadAuthenticatorMethod({ path: '' }));
  add('peer method: ProcessRequestPacket out of order (after EndSession)', 'EapError', async () => {
    await using method = await loadPeerMethod('md5');
    const session = await method.beginSession({ identity, password });
    await session.endSession();
    return await session.processRequestPacket(md5ChallengeRequest(1, crypto.randomBytes(16)));
  }, [WIN32.invalidState]);
  add('peer method: a request of the wrong EAP type', 'EapError', async () => {
    await using method = await loadPeerMethod('md5');
    await using session = await method.beginSession({ identity, password });
    return await session.processRequestPacket(eapPacket(1, 1, 26, crypto.randomBytes(20)));
  }, [WIN32.invalidData]);
  add('authenticator method: GetResult before any exchange', 'EapError', async () => {
    await using method = await loadAuthenticatorMethod('md5');
    await using session = await method.beginSession({ identity });
    return await session.getResult();
  }, [WIN32.invalidState]);
  add('authenticator method: sendPacket with an Identifier out of range', 'TypeError', async () => {
    await using method = await loadAuthenticatorMethod('md5');
    await using session = await method.beginSession({ identity });
    return await session.sendPacket(300);
  });
  add('createAuthenticator with malformed users', 'TypeError', () => createAuthenticator({ users: anyArg({ bob: 'pw' }) }));
  add('conversation.respond before begin', 'EapError', async () => {
    await using authenticator = await createAuthenticator({ users: {} });
    return await authenticator.createConversation().respond(eapPacket(2, 1, 1));
  }, [WIN32.invalidState]);
  add('authenticate without a transport', 'TypeError', () => withSession((s) => authenticate({ session: s, transport: anyArg(null) })));
  add('authenticate with a wrong password resolves as failure, not a throw', 'discard', async () => {
    await using host = await openSuiteHost();
    await using authenticator = await createAuthenticator({ users: { [identity]: { password } } });
    await using session = await host.beginSession({ method: 'md5', identity, password: 'wrong' });
    const result = await authenticate({ session, transport: authenticator.createConversation() });
    return result.success ? 'success' : 'discard';
  });

  it(`has at least 25 cases (${cases.length})`, () => assert.ok(cases.length >= 25));

  for (const [name, expect, call, codes] of cases) {
    it(`${name} → ${expect === 'discard' ? 'discarded / failure result' : expect}`, async () => {
      let outcome: unknown;
      let thrown: unknown;
      try {
        outcome = await call();
      } catch (error) {
        thrown = error;
      }
      if (expect === 'discard') {
        assert.equal(thrown, undefined, `unexpected error: ${thrown}`);
        assert.equal(outcome, 'discard');
      } else if (expect === 'TypeError') {
        assert.ok(thrown instanceof TypeError, `expected TypeError, got ${thrown} / ${String(outcome)}`);
      } else {
        assert.ok(thrown instanceof EapError, `expected EapError, got ${thrown} / ${String(outcome)}`);
        assert.ok(thrown.message.length > 0);
        assert.ok(codes, 'an EapError case names its Win32 codes');
        assert.ok(codes.includes(thrown.win32Error), `Win32 error ${thrown.win32Error} is not one of ${codes.join(', ')}: ${thrown.message}`);
      }
    });
  }

  it('the process is still healthy: a full authentication succeeds afterwards', async () => {
    await using host = await openSuiteHost();
    await using authenticator = await createAuthenticator({ users: { [identity]: { password } } });
    await using session = await host.beginSession({ method: 'md5', identity, password });
    assert.equal((await authenticate({ session, transport: authenticator.createConversation() })).success, true);
  });
});
