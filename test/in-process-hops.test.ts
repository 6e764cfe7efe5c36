/**
 * The cost of an in-process authentication at the seam: host-thread jobs per authentication
 * (binding.hostThreadStats), and that a hop running several rounds reports each of them to
 * authenticate() as a round of its own. The truth for the packets is the same conversation run
 * through a plain EapTransport (no pairing: every round its own hop), and the peer's answers
 * are checked against node:crypto (MD5) and the MS-CHAPv2 oracle (the MSK of the NT-Response
 * that went out).
 */
import { strict as assert } from 'assert';
import { EapError, authenticate, builtinMethods, createAuthenticator, openEapHost } from '../lib';
import { mppeKeysOf } from '../lib/core/keys';
import { loadAuthenticatorMethod } from '../lib/session/authenticator-method';
import { loadPeerMethod } from '../lib/session/peer-method';
import type { AuthenticationResult, BuiltinMethodName, EapHostSession, UserRecord } from '../lib';
import { NativeHandle, binding } from '../lib/native';
import { methodHandle } from '../lib/session/internal';
import { recordAnswer } from '../lib/core/users';
import { expectedMd5Response, randomCredentials, unpaired, openSuiteHost } from './helpers';
import { RFC2759, eapMsChapV2Msk, parseMsChapV2ValuePacket } from './support/mschapv2-oracle';

interface RunOptions {
  method?: BuiltinMethodName;
  maxRoundTrips?: number;
  /** Without it authenticate() gets no onPacket (the hops then only count the rounds they pass). */
  watch?: boolean;
}

async function run(paired: boolean, options: RunOptions = {}) {
  const { method = 'md5', maxRoundTrips, watch = true } = options;
  const { identity } = randomCredentials();
  // MSCHAPv2's user is stored by the RFC 2759 NT hash: the oracle knows its hash of the hash.
  const password = method === 'mschapv2' ? RFC2759.password : randomCredentials().password;
  const record: UserRecord = method === 'mschapv2' ? { ntHash: RFC2759.passwordHash.toString('hex') } : { password };
  await using host = await openSuiteHost();
  await using authenticator = await createAuthenticator({ methods: [method], users: { [identity]: record } });
  const packets: Buffer[] = [];
  const before = binding.hostThreadStats();
  const session = await host.beginSession({ method, identity, password });
  const conversation = authenticator.createConversation();
  const authentication = authenticate({
    session, transport: paired ? conversation : unpaired(conversation), maxRoundTrips,
    onPacket: watch ? (direction, packet) => packets.push(Buffer.concat([Buffer.from(direction === 'in' ? 'I' : 'O'), packet]))
      : undefined,
  });
  // The MSK is zero-filled when the session ends: copied before.
  let msk: Buffer | undefined;
  const result = await authentication.then((r) => { msk = r.msk && Buffer.from(r.msk); return r; })
    .finally(() => session.endSession());
  const after = binding.hostThreadStats();
  // The conversation's own jobs: a handle an earlier test dropped may be collected meanwhile,
  // and its release is a job too (when depends on the garbage collector, so on load).
  const own = (stats: typeof before) => stats.jobs - stats.housekeeping;
  return { result, msk, packets, password, jobs: own(after) - own(before) };
}

const md5Run = (paired: boolean, maxRoundTrips?: number) => run(paired, { maxRoundTrips });

/** Each packet's direction, code and type: identifiers and challenges differ between runs. */
const shape = (packets: Buffer[]) => packets.map((p) => `${String.fromCharCode(p[0])}${p[1]}:${p[5] ?? '-'}`);

/** The session's native handle, for calling the binding directly. */
const handleOf = (session: EapHostSession) => (session as unknown as { handle: NativeHandle }).handle;

describe('in-process authentication at the seam', () => {
  it('counts host-thread jobs, batches and drains', () => {
    const stats = binding.hostThreadStats();
    for (const key of ['jobs', 'batches', 'drains'] as const) assert.ok(Number.isInteger(stats[key]) && stats[key] >= 0);
    assert.ok(stats.batches <= stats.jobs);
  });

  it('runs the Identity and MD5-Challenge rounds in one hop, reporting both rounds', async () => {
    await md5Run(true);  // loads the MD5 module the credentials are checked with, once
    const paired = await md5Run(true);
    const plain = await md5Run(false);
    assert.equal(paired.result.success, true);
    assert.equal(plain.result.success, true);
    assert.equal(paired.result.roundTrips, 2);
    assert.equal(plain.result.roundTrips, 2);
    // Same sequence of codes/types in the same directions.
    assert.deepEqual(shape(paired.packets), shape(plain.packets));
    assert.deepEqual(shape(paired.packets), ['I1:1', 'O2:1', 'I1:4', 'O2:4', 'I3:-']);
    // The MD5 response the pairing reported is the answer to the challenge it reported.
    const challenge = paired.packets[2].subarray(1);
    const response = paired.packets[3].subarray(1);
    const value = challenge.subarray(6, 6 + challenge[5]);
    assert.deepEqual(response.subarray(6, 6 + response[5]),
      expectedMd5Response(challenge[1], paired.password, value));
    // beginSession, one hop for the authenticator's start and both rounds, the user store's
    // answer with the peer's processing of the outcome, endSession and the session's release
    // (the conversation's outcome closed it in its hop); the plain transport pays the start, a
    // hop per round, one for the outcome and the conversation's release.
    assert.ok(paired.jobs <= 5, `paired: ${paired.jobs} jobs`);
    assert.ok(plain.jobs >= paired.jobs + 3, `plain: ${plain.jobs} jobs, paired: ${paired.jobs}`);
  });

  it('MSCHAPv2: the answer to the user store goes on through the Success request and its acknowledgement in one hop', async () => {
    await run(true, { method: 'mschapv2' });
    const paired = await run(true, { method: 'mschapv2' });
    const plain = await run(false, { method: 'mschapv2' });
    for (const { result } of [paired, plain]) {
      assert.equal(result.success, true, result.reason);
      assert.equal(result.roundTrips, 3);
    }
    assert.deepEqual(shape(paired.packets), shape(plain.packets));
    assert.deepEqual(shape(paired.packets), ['I1:1', 'O2:1', 'I1:26', 'O2:26', 'I1:26', 'O2:26', 'I3:-']);
    // The MSK the paired run reports is the oracle's MSK of the NT-Response it reported.
    const response = parseMsChapV2ValuePacket(paired.packets[3].subarray(1));
    assert.equal(response.op, 2);
    assert.deepEqual(paired.msk, eapMsChapV2Msk(RFC2759.passwordHashHash, response.value.subarray(24, 48)));
    assert.equal(paired.result.mppeKeysMatch, true);
    // As many jobs as MD5: the Success request no longer costs a hop of its own.
    assert.ok(paired.jobs <= 5, `paired: ${paired.jobs} jobs`);
    assert.ok(plain.jobs >= paired.jobs + 4, `plain: ${plain.jobs} jobs, paired: ${paired.jobs}`);
  });

  it('without onPacket a hop only counts the rounds it passed: the same round trips, verdict and bound', async () => {
    for (const method of ['md5', 'mschapv2'] as const) {
      const paired = await run(true, { method, watch: false });
      const plain = await run(false, { method, watch: false });
      assert.equal(paired.result.success, true, paired.result.reason);
      assert.equal(plain.result.success, true, plain.result.reason);
      assert.equal(paired.result.roundTrips, plain.result.roundTrips);
      assert.equal(paired.result.roundTrips, method === 'md5' ? 2 : 3);
      const bound = paired.result.roundTrips - 1;
      await assert.rejects(run(true, { method, watch: false, maxRoundTrips: bound }), /no outcome after/);
      await assert.rejects(run(false, { method, watch: false, maxRoundTrips: bound }), /no outcome after/);
    }
  });

  it('an ended session fails the paired run with the same typed error as a plain transport', async () => {
    const failures: EapError[] = [];
    for (const paired of [true, false]) {
      const { identity, password } = randomCredentials();
      await using host = await openSuiteHost();
      await using authenticator = await createAuthenticator({ users: { [identity]: { password } } });
      const session = await host.beginSession({ method: 'md5', identity, password });
      await session.endSession();
      const conversation = authenticator.createConversation();
      const error = await authenticate({ session, transport: paired ? conversation : unpaired(conversation) })
        .then(() => assert.fail('an ended session authenticated'), (e: unknown) => e);
      assert.ok(error instanceof EapError, String(error));
      failures.push(error);
    }
    assert.equal(failures[0].state, 'Ended');
    assert.equal(failures[0].call, failures[1].call);
    assert.equal(failures[0].message, failures[1].message);
  });

  it('an abort while a hop is in flight rejects with ERROR_CANCELLED and leaves the session free to end', async () => {
    for (const paired of [true, false]) {
      const { identity, password } = randomCredentials();
      await using host = await openSuiteHost();
      await using authenticator = await createAuthenticator({ users: { [identity]: { password } } });
      const session = await host.beginSession({ method: 'md5', identity, password });
      const conversation = authenticator.createConversation();
      const controller = new AbortController();
      const authentication = authenticate({
        session, transport: paired ? conversation : unpaired(conversation), signal: controller.signal,
      });
      controller.abort();
      await assert.rejects(authentication, (error: unknown) => error instanceof EapError && error.win32Error === 1223);
      // No call of authenticate()'s is left on the session: ending it is not refused as overlapping.
      await session.endSession();
      assert.equal(session.ended, true);
    }
  });

  it('stops a multi-round hop at maxRoundTrips', async () => {
    await assert.rejects(md5Run(true, 1), /round trip|maxRoundTrips|no outcome/i);
  });

  it('a lone TLS pairing (PEAP) hands no step to the aside thread: every step on the host thread, the two ends\' keys equal', async function () {
    this.timeout(60000);
    const { identity, password } = randomCredentials();
    await using host = await openEapHost({ backend: 'portable' });
    await using authenticator = await createAuthenticator({ methods: ['peap'], users: { [identity]: { password } } });
    // Several in turn, each alone: the first also loads what the later ones reuse.
    for (let i = 0; i < 3; i++) {
      const session = await host.beginSession({ method: 'peap', identity, password, ...authenticator.trust });
      const before = binding.hostThreadStats();
      let result: AuthenticationResult;
      let msk: Buffer | undefined;
      let mppe: Buffer | undefined;
      try {
        result = await authenticate({ session, transport: authenticator.createConversation() });
        // Both copied before the session ends (which zero-fills them).
        msk = result.msk && Buffer.from(result.msk);
        const { recv, send } = mppeKeysOf(result.attributes.filter((a) => !result.peerResult?.attributes.includes(a)));
        mppe = recv && send ? Buffer.concat([recv, send]) : undefined;
      } finally {
        await session.endSession();
      }
      const after = binding.hostThreadStats();
      assert.equal(result.success, true, result.reason);
      // A PEAP handshake is several authenticator steps: none went aside and came back.
      assert.ok(result.roundTrips >= 4, `${result.roundTrips} round trips`);
      assert.equal(after.aside - before.aside, 0, `run ${i}: ${after.aside - before.aside} parts aside`);
      // The authenticator's MPPE keys are the MSK the peer (EAPHost) derived.
      assert.equal(msk?.length, 64);
      assert.deepEqual(mppe, msk);
    }
    // Several at once still hand steps to the aside thread (a second core): tls/aside-thread.test.ts.
  });
});

describe('the conversation driver with a peer: bad input and failing starts', () => {
  const settings = { maxSendPacketSize: 1400, retransmitTimeoutMs: 3000, maxRetransmits: 4, connectionData: [undefined] };

  it('refuses bad input with a TypeError before anything runs', async () => {
    const { identity, password } = randomCredentials();
    await using host = await openSuiteHost();
    await using authenticator = await createAuthenticator({ users: { [identity]: { password } } });
    await using md5 = await loadAuthenticatorMethod('md5');
    const session = await host.beginSession({ method: 'md5', identity, password });
    try {
      const methods = [md5[methodHandle]()];
      const h = handleOf(session);
      const ownJobs = () => { const stats = binding.hostThreadStats(); return stats.jobs - stats.housekeeping; };
      const jobs = ownJobs();
      const bad = (value: unknown) => value as never;
      const authenticatorOf = (methodHandles: unknown, given: unknown = settings) =>
        bad({ methods: methodHandles, settings: given });
      assert.throws(() => binding.conversationBegin({ authenticator: authenticatorOf(methods), peer: { session: methods[0] } }),
        TypeError, 'a method handle is not a session');
      assert.throws(() => binding.conversationBegin(bad({ peer: { session: h } })), /authenticator must be/, 'no authenticator');
      assert.throws(() => binding.conversationBegin({ authenticator: bad(methods), peer: { session: h } }), TypeError);
      assert.throws(() => binding.conversationBegin({ authenticator: authenticatorOf(methods[0]), peer: { session: h } }), TypeError);
      assert.throws(() => binding.conversationBegin({ authenticator: authenticatorOf([h]), peer: { session: h } }), TypeError);
      assert.throws(() => binding.conversationBegin({ authenticator: authenticatorOf(methods, { connectionData: [42] }) }), TypeError);
      const authenticatorArgs = { methods, settings };
      assert.throws(() => binding.conversationBegin({ authenticator: authenticatorArgs, identityResponse: bad('identity') }), TypeError);
      assert.throws(() => binding.conversationBegin({ authenticator: authenticatorArgs, peer: { session: h }, budget: bad('4') }),
        TypeError);
      assert.throws(() => binding.conversationBegin({ authenticator: authenticatorArgs, peer: bad(7) }), TypeError);
      assert.throws(() => binding.conversationBegin({ authenticator: authenticatorArgs, peer: { begin: bad({}) } }), TypeError,
        'a beginning without its EAPHost');
      assert.throws(() => binding.conversationBegin(bad(methods)), TypeError);
      const withUsers = (users: unknown) => ({ authenticator: bad({ methods, settings, users }) });
      const known = recordAnswer(identity, { password });
      assert.throws(() => binding.conversationBegin(withUsers(known)), /users must be an array/);
      assert.throws(() => binding.conversationBegin(withUsers([{ identity, rules: [] }])), TypeError, 'a known answer is a Buffer');
      // Lengths that do not add up: cut short, one byte over, a count of rules past its size.
      for (const malformed of [known.subarray(0, known.length - 1), Buffer.concat([known, Buffer.alloc(1)]),
        Buffer.concat([known.subarray(0, 4 + Buffer.byteLength(identity)), Buffer.from([0xff, 0xff, 0xff, 0x0f])])]) {
        assert.throws(() => binding.conversationBegin(withUsers([malformed])), /lengths do not match its size/);
      }
      assert.throws(() => binding.conversationRun({ conversation: bad(methods[0]), kind: 'timeout' }), TypeError);
      assert.throws(() => binding.conversationRun(bad({ conversation: methods[0], peer: { session: h } })), /kind must be a string/,
        'no input');
      assert.throws(() => binding.conversationRun(bad({ conversation: methods[0], kind: 'request', packet: Buffer.from([1, 1, 0, 4]) })),
        /kind must be 'response', 'timeout' or 'knownAnswer'/, 'the peer\'s input is not the conversation\'s');
      assert.throws(() => binding.conversationRun(bad({ conversation: methods[0], kind: 'response' })), /response must be a Buffer/,
        'a response without its packet');
      assert.throws(() => binding.eapHostSessionReceive(bad({ session: h, kind: 'response', packet: Buffer.from([1, 1, 0, 4]) })),
        /kind must be 'request' or 'outcome'/, 'a conversation\'s input is not the peer\'s');
      assert.throws(() => binding.eapHostSessionReceive(bad({ kind: 'request', packet: Buffer.from([1, 1, 0, 4]) })),
        /session must be a native handle/, 'a request with no session');
      assert.equal(ownJobs(), jobs, 'nothing reached the host thread');
      // The session is untouched: it still authenticates.
      const result = await authenticate({ session, transport: authenticator.createConversation() });
      assert.equal(result.success, true, result.reason);
    } finally {
      await session.endSession();
    }
  });

  it('a peer given its session has nothing else of it read: no beginning, no endWhenConcluded', async () => {
    const { identity, password } = randomCredentials();
    await using host = await openSuiteHost();
    await using md5 = await loadAuthenticatorMethod('md5');
    const session = await host.beginSession({ method: 'md5', identity, password });
    try {
      const read: string[] = [];
      const peer = {
        session: handleOf(session),
        get begin(): never { read.push('begin'); throw new Error('begin read'); },
        get endWhenConcluded(): boolean { read.push('endWhenConcluded'); return true; },
      };
      const out = await binding.conversationBegin({ authenticator: { methods: [md5[methodHandle]()], settings }, peer, budget: 4 });
      assert.deepEqual(read, []);
      // The session's own: the job began none, so ended none.
      assert.equal(out.session, undefined);
      assert.equal(session.ended, false);
      assert.equal(out.kind, 'answer', 'no store: the job stops at its question');
      const conversation = out.conversation as NativeHandle;
      await binding.conversationEnd({ conversation });
      binding.release({ handle: conversation });
    } finally {
      await session.endSession();
    }
  });

  it('a beginning given credentials has no userData read: the blob is made of them', async () => {
    const { identity, password } = randomCredentials();
    await using host = await openSuiteHost();
    await using peerMethod = await loadPeerMethod('md5');
    const read: string[] = [];
    const begun = await binding.eapHostBeginSession({
      base: { host: (host as unknown as { handle: NativeHandle }).handle, methodType: builtinMethods.md5.methodType, flags: 0,
        maxSendPacketSize: 1400 },
      credentialMethod: peerMethod[methodHandle](), identity, password,
      get userData(): Buffer { read.push('userData'); return Buffer.alloc(4); },
    });
    assert.deepEqual(read, []);
    await binding.eapHostEndSession({ session: begun.handle });
  });

  it('a session base is read at its first beginning only; one refused, or wrapped by another, is never kept', async () => {
    const { identity, password } = randomCredentials();
    await using host = await openSuiteHost();
    await using peerMethod = await loadPeerMethod('md5');
    await using md5 = await loadAuthenticatorMethod('md5');
    const hostHandle = (host as unknown as { handle: NativeHandle }).handle;
    const credentials = { credentialMethod: peerMethod[methodHandle](), identity, password };
    const begin = async (base: unknown) => {
      const begun = await binding.eapHostBeginSession({ base: base as never, ...credentials });
      await binding.eapHostEndSession({ session: begun.handle });
    };
    const read: string[] = [];
    const counted = {
      get host(): NativeHandle { read.push('host'); return hostHandle; },
      get methodType() { read.push('methodType'); return builtinMethods.md5.methodType; },
      get flags(): number { read.push('flags'); return 0; },
      get maxSendPacketSize(): number { read.push('maxSendPacketSize'); return 1400; },
    };
    for (let i = 0; i < 3; i++) await begin(counted);
    assert.deepEqual(read, ['host', 'methodType', 'flags', 'maxSendPacketSize']);
    // Refused by the field it lacks, at every beginning: nothing of it was kept.
    const lacking = { host: hostHandle, flags: 0, maxSendPacketSize: 1400 };
    for (let i = 0; i < 2; i++) {
      assert.throws(() => binding.eapHostBeginSession({ base: lacking as never, ...credentials }),
        /methodType must be an EapMethodTypeInfo/);
    }
    // An object the addon already keeps something else with (an authenticator it started a
    // conversation from) is read as a base at every beginning, never taken for one.
    const authenticator: Record<string, unknown> = { methods: [md5[methodHandle]()], settings: {
      maxSendPacketSize: 1400, retransmitTimeoutMs: 3000, maxRetransmits: 4, connectionData: [undefined] } };
    const started = await binding.conversationBegin({ authenticator: authenticator as never });
    const conversation = started.conversation;
    assert.ok(conversation !== undefined, 'a conversation without a peer stays open');
    await binding.conversationEnd({ conversation });
    binding.release({ handle: conversation });
    assert.throws(() => binding.eapHostBeginSession({ base: authenticator as never, ...credentials }), /host must be a native handle/);
    const readAgain: string[] = [];
    Object.assign(authenticator, { methodType: builtinMethods.md5.methodType, flags: 0, maxSendPacketSize: 1400 });
    Object.defineProperty(authenticator, 'host', { get: () => { readAgain.push('host'); return hostHandle; } });
    for (let i = 0; i < 2; i++) await begin(authenticator);
    assert.deepEqual(readAgain, ['host', 'host']);
    // The other way round: a base the addon keeps its reading with, given as an authenticator, is
    // refused with a TypeError, never taken for one.
    Object.assign(counted, { methods: [md5[methodHandle]()], settings: authenticator.settings });
    assert.throws(() => binding.conversationBegin({ authenticator: counted as never }), /authenticator cannot hold its native part/);
  });

  it('fails where the start fails (a closed method module), with the same error with a peer as without', async () => {
    const { identity, password } = randomCredentials();
    await using host = await openSuiteHost();
    await using authenticator = await createAuthenticator({ users: { [identity]: { password } } });
    const session = await host.beginSession({ method: 'md5', identity, password });
    const method = await loadAuthenticatorMethod('md5');
    const closed = method[methodHandle]();
    await method.close();
    try {
      const alone = await binding.conversationBegin({ authenticator: { methods: [closed], settings } })
        .then(() => assert.fail('started'), (e: unknown) => e);
      const paired = await binding.conversationBegin({ authenticator: { methods: [closed], settings },
        peer: { session: handleOf(session) }, budget: 4 })
        .then(() => assert.fail('started'), (e: unknown) => e);
      assert.ok(paired instanceof EapError && alone instanceof EapError);
      assert.equal(paired.state, 'Closed');
      assert.equal(paired.message, alone.message);
      // The session took no packet: it still authenticates.
      const result = await authenticate({ session, transport: authenticator.createConversation() });
      assert.equal(result.success, true, result.reason);
    } finally {
      await session.endSession();
    }
  });
});
