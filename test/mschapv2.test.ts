/**
 * EAP-MSCHAPv2 through the public API. The independent truth is the node:crypto oracle
 * (test/support/mschapv2-oracle.ts, itself checked against RFC 2759 / RFC 3079): an oracle
 * authenticator for the peer module, the oracle's MSK for the embedded authenticator's
 * conversations, RFC 2759's NT hash of "clientPass" for the user store.
 */
import { strict as assert } from 'assert';
import { EapError, authenticate, createAuthenticator } from '../lib';
import { EapReason } from '../lib/core/constants';
import type { EapHost } from '../lib';
import { randomCredentials, openSuiteHost } from './helpers';
import { OracleBehaviour, OracleMsChapV2Authenticator } from './support/mschapv2-authenticator';
import { RFC2759, eapMsChapV2Msk, parseMsChapV2ValuePacket } from './support/mschapv2-oracle';

const NT_HASH = RFC2759.passwordHash.toString('hex');

describe('EAP-MSCHAPv2 through the public API', function () {
  let host: EapHost;
  before(async () => { host = await openSuiteHost(); });
  after(async () => { await host?.close(); });

  async function againstOracle(behaviour: OracleBehaviour, password = RFC2759.password) {
    const { identity } = randomCredentials();
    const session = await host.beginSession({ method: 'mschapv2', identity, password });
    const oracle = new OracleMsChapV2Authenticator({
      passwordHash: RFC2759.passwordHash, passwordHashHash: RFC2759.passwordHashHash, behaviour,
    });
    return { session, oracle, run: () => authenticate({ session, transport: oracle }) };
  }

  describe('peer against the node:crypto authenticator', () => {
    it('succeeds; result.msk is the oracle MSK and mppeKeysMatch holds', async () => {
      const { session, oracle, run } = await againstOracle({ kind: 'success' });
      try {
        const result = await run();
        assert.equal(result.success, true, result.reason);
        assert.equal(oracle.peerProvedPassword, true);
        assert.equal(result.method, 26);
        assert.deepEqual(result.msk, oracle.msk);
        assert.equal(result.msk!.length, 32);
        assert.equal(result.emsk, undefined, 'MSCHAPv2 defines no EMSK');
        assert.equal(result.mppeKeysMatch, true);
      } finally {
        await session.endSession();
      }
    });

    it('refuses a server whose Success carries a wrong authenticator response', async () => {
      const { session, run } = await againstOracle({ kind: 'wrong-authenticator-response' });
      try {
        const outcome: unknown = await run().then((result) => result, (error: unknown) => error);
        if (!(outcome instanceof Error)) {
          const result = outcome as Awaited<ReturnType<typeof run>>;
          assert.equal(result.success, false, 'never success');
          assert.ok(result.error instanceof EapError);
        } else {
          assert.ok(outcome instanceof EapError, String(outcome));
          assert.ok(outcome.win32Error === 13 || outcome.reasonCode === EapReason.EAP_E_AUTHENTICATION_FAILED,
            `${outcome.message}`);
        }
      } finally {
        await session.endSession();
      }
    });

    it('refuses a server whose Success has no authenticator response', async () => {
      const { session, run } = await againstOracle({ kind: 'missing-authenticator-response' });
      try {
        const outcome: unknown = await run().then((result) => result, (error: unknown) => error);
        if (outcome instanceof Error) assert.ok(outcome instanceof EapError, String(outcome));
        else assert.equal((outcome as Awaited<ReturnType<typeof run>>).success, false, 'never success');
      } finally {
        await session.endSession();
      }
    });

    for (const [code, retry, reason] of [
      [691, false, EapReason.EAP_E_USER_NAME_PASSWORD_REJECTED],
      [691, true, EapReason.EAP_E_USER_NAME_PASSWORD_REJECTED],
      [648, false, EapReason.EAP_E_USER_CREDENTIALS_REJECTED],
      [647, false, EapReason.EAP_E_USER_CREDENTIALS_REJECTED],
    ] as const) {
      it(`a Failure E=${code} R=${retry ? 1 : 0} becomes result.error: win32Error ${code}, retry ${retry}`, async () => {
        const message = `E=${code} R=${retry ? 1 : 0} C=00112233445566778899AABBCCDDEEFF V=3 M=refused`;
        const { session, run } = await againstOracle({ kind: 'failure', message });
        try {
          const result = await run();
          assert.equal(result.success, false);
          assert.ok(result.error instanceof EapError, `no typed error: ${result.reason}`);
          assert.equal(result.error.win32Error, code);
          assert.equal(result.error.reasonCode, reason);
          assert.equal(result.error.retry, retry);
          assert.equal(result.msk, undefined);
        } finally {
          await session.endSession();
        }
      });
    }

    it('a wrong password: the oracle sees a wrong NT-Response and the peer reports E=691', async () => {
      const { session, oracle, run } = await againstOracle({ kind: 'success' }, 'not-clientPass');
      try {
        const result = await run();
        assert.equal(oracle.peerProvedPassword, false);
        assert.equal(result.success, false);
        assert.equal(result.error?.win32Error, 691);
      } finally {
        await session.endSession();
      }
    });
  });

  describe('peer against the embedded authenticator', () => {
    it('a user stored by NT hash (RFC 2759): success, and the MSK is the oracle MSK of the exchanged NT-Response', async () => {
      const { identity } = randomCredentials();
      await using authenticator = await createAuthenticator({ methods: ['mschapv2'], users: { [identity]: { ntHash: NT_HASH } } });
      const session = await host.beginSession({ method: 'mschapv2', identity, password: RFC2759.password });
      const sent: Buffer[] = [];
      try {
        const result = await authenticate({
          session, transport: authenticator.createConversation(),
          onPacket: (direction, packet) => { if (direction === 'out' && packet[4] === 26) sent.push(Buffer.from(packet)); },
        });
        assert.equal(result.success, true, result.reason);
        const response = sent.filter((p) => p[5] === 2).map(parseMsChapV2ValuePacket)[0];
        assert.ok(response, 'an MSCHAPv2 Response went out');
        const expected = eapMsChapV2Msk(RFC2759.passwordHashHash, response.value.subarray(24, 48));
        assert.deepEqual(result.msk, expected);
        assert.equal(result.mppeKeysMatch, true, 'the authenticator released the same keys');
      } finally {
        await session.endSession();
      }
    });

    it('a user stored by password; the keys are zero-filled when the session ends', async () => {
      const { identity, password } = randomCredentials();
      await using authenticator = await createAuthenticator({ methods: ['mschapv2'], users: { [identity]: { password } } });
      const session = await host.beginSession({ method: 'mschapv2', identity, password });
      const result = await authenticate({ session, transport: authenticator.createConversation() });
      assert.equal(result.success, true, result.reason);
      assert.equal(result.msk?.length, 32);
      assert.ok(result.msk!.some((byte) => byte !== 0));
      assert.equal(result.mppeKeysMatch, true);
      const msk = result.msk!;
      await session.endSession();
      assert.ok(msk.every((byte) => byte === 0), 'MSK wiped at endSession');
      for (const attribute of result.attributes) assert.ok(attribute.value.every((byte) => byte === 0));
    });

    it("an attribute value's underlying memory holds nothing past the result's own bytes but zeros", async () => {
      // The slab results are packed into is uninitialized memory when the addon takes it (and
      // AddressSanitizer fills such memory with 0xbe): what no result has been given must read 0.
      const { identity, password } = randomCredentials();
      await using authenticator = await createAuthenticator({ methods: ['mschapv2'], users: { [identity]: { password } } });
      await using session = await host.beginSession({ method: 'mschapv2', identity, password });
      const result = await authenticate({ session, transport: authenticator.createConversation() });
      assert.equal(result.success, true, result.reason);
      const views = [...result.attributes, ...(result.peerResult?.attributes ?? [])].map((attribute) => attribute.value);
      assert.ok(views.length > 0);
      const memory = views[0].buffer;
      const end = Math.max(...views.filter((view) => view.buffer === memory).map((view) => view.byteOffset + view.length));
      assert.ok(new Uint8Array(memory, end).every((byte) => byte === 0), 'the bytes after the result are zeros');
    });

    it('ending one session zero-fills its keys alone, not those of a session authenticated beside it', async () => {
      // Results share the addon's packing slab: a wipe must stay inside the session's own views.
      const users: Record<string, { password: string }> = {};
      const pair = [randomCredentials(), randomCredentials()];
      for (const { identity, password } of pair) users[identity] = { password };
      await using authenticator = await createAuthenticator({ methods: ['mschapv2'], users });
      const sessions = await Promise.all(pair.map(({ identity, password }) => host.beginSession({ method: 'mschapv2', identity, password })));
      try {
        const results = await Promise.all(sessions.map((session) => authenticate({ session, transport: authenticator.createConversation() })));
        for (const result of results) assert.equal(result.success, true, result.reason);
        const kept = results[1].attributes.map((attribute) => Buffer.from(attribute.value));
        const keptMsk = Buffer.from(results[1].msk!);
        await sessions[0].endSession();
        for (const attribute of results[0].attributes) assert.ok(attribute.value.every((byte) => byte === 0));
        assert.deepEqual(results[1].attributes.map((attribute) => Buffer.from(attribute.value)), kept);
        assert.deepEqual(results[1].msk, keptMsk);
        assert.ok(keptMsk.some((byte) => byte !== 0));
      } finally {
        await Promise.all(sessions.map((session) => session.endSession()));
      }
    });

    it('a wrong password: EAP-Failure with result.error 691 and the reject reason code', async () => {
      const { identity, password } = randomCredentials();
      await using authenticator = await createAuthenticator({ methods: ['mschapv2'], users: { [identity]: { password } } });
      await using session = await host.beginSession({ method: 'mschapv2', identity, password: `${password}!` });
      const result = await authenticate({ session, transport: authenticator.createConversation() });
      assert.equal(result.success, false);
      assert.equal(result.error?.win32Error, 691);
      assert.equal(result.error?.reasonCode, EapReason.EAP_E_USER_NAME_PASSWORD_REJECTED);
      assert.equal(typeof result.error?.retry, 'boolean');
      assert.equal(result.msk, undefined);
    });

    it('an identity the store does not know fails', async () => {
      const { identity, password } = randomCredentials();
      await using authenticator = await createAuthenticator({ methods: ['mschapv2'], users: { someoneElse: { password } } });
      await using session = await host.beginSession({ method: 'mschapv2', identity, password });
      assert.equal((await authenticate({ session, transport: authenticator.createConversation() })).success, false);
    });
  });
});

describe('EAP-GTC through the public API', function () {
  let host: EapHost;
  before(async () => { host = await openSuiteHost(); });
  after(async () => { await host?.close(); });

  it('succeeds with the right password and derives no keys; fails with a wrong one', async () => {
    const { identity, password } = randomCredentials();
    await using authenticator = await createAuthenticator({ methods: ['gtc'], users: { [identity]: { password } } });
    for (const [given, expected] of [[password, true], [`${password}x`, false]] as const) {
      await using session = await host.beginSession({ method: 'gtc', identity, password: given });
      const sent: Buffer[] = [];
      const result = await authenticate({ session, transport: authenticator.createConversation(),
        onPacket: (direction, packet) => { if (direction === 'out' && packet[4] === 6) sent.push(Buffer.from(packet)); } });
      assert.equal(result.success, expected, result.reason);
      assert.equal(result.method, 6);
      assert.equal(result.msk, undefined);
      assert.equal(result.mppeKeysMatch, undefined);
      // RFC 3748 §5.6: the response is the password itself.
      assert.deepEqual(sent.at(-1)!.subarray(5), Buffer.from(given, 'utf8'));
    }
  });

  it('a user stored by NT hash only cannot use GTC (or MD5): the clear password is needed', async () => {
    for (const method of ['gtc', 'md5'] as const) {
      const { identity } = randomCredentials();
      await using authenticator = await createAuthenticator({ methods: [method], users: { [identity]: { ntHash: NT_HASH } } });
      await using session = await host.beginSession({ method, identity, password: RFC2759.password });
      const result = await authenticate({ session, transport: authenticator.createConversation() });
      assert.equal(result.success, false, `${method} must fail without a clear password`);
    }
  });
});

describe('createAuthenticator({ methods: [...] }): the first is proposed, a Nak chooses another', function () {
  it('proposes MSCHAPv2 and follows a Nak to GTC or MD5', async () => {
    const { identity, password } = randomCredentials();
    await using host = await openSuiteHost();
    await using authenticator = await createAuthenticator({
      methods: ['mschapv2', 'gtc', 'md5'], users: { [identity]: { password } },
    });
    assert.deepEqual(authenticator.methodTypes, [26, 6, 4]);
    for (const [method, type] of [['mschapv2', 26], ['gtc', 6], ['md5', 4]] as const) {
      await using session = await host.beginSession({ method, identity, password });
      const requested: number[] = [];
      const result = await authenticate({ session, transport: authenticator.createConversation(),
        onPacket: (direction, packet) => { if (direction === 'in' && packet[0] === 1) requested.push(packet[4]); } });
      assert.equal(result.success, true, `${method}: ${result.reason}`);
      assert.equal(result.method, type);
      assert.equal(requested[1], 26, 'MSCHAPv2 is proposed first');
      assert.equal(requested.at(-1), type);
    }
  });
});
