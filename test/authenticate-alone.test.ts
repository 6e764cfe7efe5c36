/**
 * authenticate() with a session of its own (`host` and `begin` instead of `session`): begun,
 * run and ended by authenticate() itself. Against the embedded authenticator with a plain-table
 * user store the whole authentication, beginning and end included, is one host-thread job. The
 * reference is the same authentication with a session the caller begins and ends: verdict,
 * round trips, identity, typed errors and abort handling must be the same, the keys must have
 * matched across the two ends (checked against the RFC 2759 NT hash), and nothing of them may
 * be left readable once the promise settles.
 */
import { strict as assert } from 'assert';
import { EapError, authenticate, createAuthenticator } from '../lib';
import type { AuthenticationResult, BuiltinMethodName, EapHost, EapTransport, UserRecord } from '../lib';
import { binding } from '../lib/native';
import { randomCredentials, openSuiteHost } from './helpers';
import { RFC2759 } from './support/mschapv2-oracle';

const ownJobs = () => {
  const stats = binding.hostThreadStats();
  return stats.jobs - stats.housekeeping;
};

interface Outcome {
  result?: AuthenticationResult;
  error?: unknown;
  /** Host-thread jobs the whole authentication took, the session's beginning and end included. */
  jobs: number;
  /** What the authenticator's conversation says of itself afterwards. */
  conversation?: { methodType: number; identity: string; closed: boolean };
}

interface Case {
  method: BuiltinMethodName;
  /** The user the authenticator knows, and its record. */
  identity: string;
  record: UserRecord;
  /** The peer's credentials. */
  peer: { identity: string; password: string };
  abort?: boolean;
  /** Hide the embedded authenticator behind a plain EapTransport (no in-process pairing). */
  plainTransport?: boolean;
  maxRoundTrips?: number;
}

/** The embedded authenticator's conversation as any other EapTransport would be. */
function plain(transport: EapTransport): EapTransport {
  return {
    begin: (options) => transport.begin(options),
    respond: (response, options) => transport.respond(response, options),
    retransmission: (options) => transport.retransmission!(options),
    close: () => transport.close(),
  };
}

async function authenticateWith(use: 'alone' | 'session', host: EapHost, c: Case): Promise<Outcome> {
  await using authenticator = await createAuthenticator({ methods: [c.method], users: { [c.identity]: c.record } });
  const conversation = authenticator.createConversation();
  const transport = c.plainTransport ? plain(conversation) : conversation;
  const controller = new AbortController();
  const begin = { method: c.method, ...c.peer };
  const out: Outcome = { jobs: 0 };
  const before = ownJobs();
  try {
    if (use === 'alone') {
      const authentication = authenticate({ host, begin, transport, signal: controller.signal, maxRoundTrips: c.maxRoundTrips });
      if (c.abort) controller.abort();
      out.result = await authentication;
    } else {
      const session = await host.beginSession(begin);
      try {
        const authentication = authenticate({ session, transport, signal: controller.signal, maxRoundTrips: c.maxRoundTrips });
        if (c.abort) controller.abort();
        out.result = await authentication;
      } finally {
        await session.endSession();
      }
    }
  } catch (error) {
    out.error = error;
  }
  out.jobs = ownJobs() - before;
  out.conversation = { methodType: conversation.methodType, identity: conversation.identity, closed: conversation.ended };
  return out;
}

/** What both uses must agree on (the keys apart: the session of its own has ended). */
function observable(o: Outcome) {
  const { result } = o;
  return {
    success: result?.success, method: result?.method, identity: result?.identity, roundTrips: result?.roundTrips,
    reason: result?.reason, attributeTypes: result?.attributes.map((a) => a.type), mppeKeysMatch: result?.mppeKeysMatch,
    error: result?.error && { win32Error: result.error.win32Error, retry: result.error.retry, rootCause: result.error.rootCause },
    thrown: o.error instanceof EapError ? { win32Error: o.error.win32Error, call: o.error.call, message: o.error.message } : o.error,
    conversation: o.conversation,
  };
}

async function bothUses(host: EapHost, c: Case): Promise<[Outcome, Outcome]> {
  const alone = await authenticateWith('alone', host, c);
  const session = await authenticateWith('session', host, c);
  assert.deepEqual(observable(alone), observable(session));
  return [alone, session];
}

describe('authenticate() with a session of its own (host and begin)', () => {
  let host: EapHost;
  before(async () => {
    host = await openSuiteHost();
    // Loads the method modules the credentials are checked with, once.
    for (const method of ['md5', 'mschapv2', 'gtc'] as const) {
      const { identity, password } = randomCredentials();
      await authenticateWith('alone', host, { method, identity, record: { password }, peer: { identity, password } });
    }
  });
  after(async () => {
    await host.close();
  });

  it('MD5 and GTC: one host-thread job for the beginning, the conversation and the end, and the same verdict', async () => {
    for (const method of ['md5', 'gtc'] as const) {
      const { identity, password } = randomCredentials();
      const [alone, session] = await bothUses(host, { method, identity, record: { password }, peer: { identity, password } });
      assert.equal(alone.result?.success, true, alone.result?.reason);
      assert.equal(alone.result?.identity, identity);
      assert.equal(alone.jobs, 1, method);
      // The caller's own session: beginSession, the conversation, endSession.
      assert.equal(session.jobs, 3, method);
    }
  });

  it('MS-CHAPv2 with the RFC 2759 NT hash: one job; the keys matched across the ends and are gone afterwards', async () => {
    const identity = RFC2759.userName;
    const record = { ntHash: RFC2759.passwordHash.toString('hex') };
    const [alone, session] = await bothUses(host, { method: 'mschapv2', identity, record,
      peer: { identity, password: RFC2759.password } });
    assert.equal(alone.result?.success, true, alone.result?.reason);
    assert.equal(alone.result?.roundTrips, 3);
    assert.equal(alone.jobs, 1);
    assert.equal(alone.result?.mppeKeysMatch, true);
    // The caller's session has ended too by now: its keys read as zeros there as well.
    assert.equal(alone.result?.msk, undefined);
    assert.equal(alone.result?.emsk, undefined);
    assert.ok(session.result?.msk && session.result.msk.length >= 32, 'the caller\'s session reports its MSK');
    // Both ends' MPPE keys (the peer's MSK halves, the authenticator's release), whole
    // Vendor-Specific attributes: zero-filled, where the caller's session reads them as keys.
    const keyAttributes = (r?: AuthenticationResult) => (r?.attributes ?? []).filter((a) => a.type === 26);
    assert.equal(keyAttributes(alone.result).length, keyAttributes(session.result).length);
    assert.ok(keyAttributes(alone.result).length >= 4, 'the keys of both ends');
    for (const attribute of keyAttributes(alone.result)) {
      assert.ok(attribute.value.length > 0 && attribute.value.every((byte) => byte === 0), 'keys left readable after the end');
    }
  });

  it('a wrong password and an unknown user fail as with the caller\'s session: MS-CHAPv2 E=691, no retry', async () => {
    const { identity, password } = randomCredentials();
    const [wrong] = await bothUses(host, { method: 'mschapv2', identity, record: { password },
      peer: { identity, password: `${password}x` } });
    assert.equal(wrong.result?.success, false);
    assert.ok(wrong.result?.error instanceof EapError);
    assert.equal(wrong.result?.error?.win32Error, 691);
    assert.equal(wrong.result?.error?.retry, false);
    assert.equal(wrong.jobs, 1);
    const [unknown] = await bothUses(host, { method: 'md5', identity: `${identity}-other`, record: { password },
      peer: { identity, password } });
    assert.equal(unknown.result?.success, false);
  });

  it('any other transport: the session is begun, run through the transport and ended, with the same outcome', async () => {
    const { identity, password } = randomCredentials();
    const [alone] = await bothUses(host, { method: 'mschapv2', identity, record: { password }, peer: { identity, password },
      plainTransport: true });
    assert.equal(alone.result?.success, true, alone.result?.reason);
    assert.equal(alone.result?.mppeKeysMatch, true);
    assert.equal(alone.result?.msk, undefined);
    assert.ok(alone.jobs > 2, `${alone.jobs} jobs`);
  });

  it('a job that stops short of the outcome goes on from where it stopped: the round bound, a question the store\'s answer does not cover', async () => {
    const { identity, password } = randomCredentials();
    // MS-CHAPv2 takes 3 round trips: a bound of 2 stops the job after its second, as it stops the hops.
    const [bounded] = await bothUses(host, { method: 'mschapv2', identity, record: { password }, peer: { identity, password },
      maxRoundTrips: 2 });
    assert.ok(bounded.error instanceof EapError, String(bounded.error));
    assert.match(bounded.error.message, /no outcome after 2 round trips/);
    // EAP-MD5 needs the clear-text password; a record with only the NT hash answers nothing ahead,
    // so the job stops at the method's question and the store is asked as it is without the job.
    const ntHash = RFC2759.passwordHash.toString('hex');
    const [unanswered] = await bothUses(host, { method: 'md5', identity, record: { ntHash }, peer: { identity, password } });
    assert.equal(unanswered.result?.success, false);
    assert.equal(unanswered.conversation?.closed, true);
    // And the same record where its answer does cover the question: MS-CHAPv2 with the NT hash.
    const [covered] = await bothUses(host, { method: 'mschapv2', identity: RFC2759.userName, record: { ntHash },
      peer: { identity: RFC2759.userName, password: RFC2759.password } });
    assert.equal(covered.result?.success, true, covered.result?.reason);
    assert.deepEqual(covered.conversation, { methodType: 26, identity: RFC2759.userName, closed: true });
  });

  it('an abort while a job runs that then stops short rejects, and leaves the conversation closed', async () => {
    const { identity, password } = randomCredentials();
    const [alone] = await bothUses(host, { method: 'mschapv2', identity, record: { password }, peer: { identity, password },
      abort: true, maxRoundTrips: 2 });
    assert.ok(alone.error instanceof EapError, String(alone.error));
    assert.equal(alone.error.win32Error, 1223);
    // The conversation the job started is the conversation's to end: closed, not left to nobody.
    assert.equal(alone.conversation?.closed, true);
  });

  it('an abort while the job runs rejects with ERROR_CANCELLED, as with the caller\'s session', async () => {
    const { identity, password } = randomCredentials();
    const [alone] = await bothUses(host, { method: 'mschapv2', identity, record: { password }, peer: { identity, password },
      abort: true });
    assert.ok(alone.error instanceof EapError, String(alone.error));
    assert.equal(alone.error.win32Error, 1223);
  });

  it('a session that cannot begin rejects as beginSession does, and leaves the conversation unstarted', async () => {
    await using authenticator = await createAuthenticator({ methods: ['md5'], users: {} });
    const transport = authenticator.createConversation();
    const refusal = (error: unknown) => error instanceof EapError || error instanceof TypeError;
    const begin = { method: { type: 99, vendorId: 0, vendorType: 0, authorId: 0 }, identity: 'a', password: 'b' };
    let alone: unknown;
    let reference: unknown;
    await authenticate({ host, begin, transport }).catch((error: unknown) => { alone = error; });
    await host.beginSession(begin).catch((error: unknown) => { reference = error; });
    assert.ok(refusal(alone), String(alone));
    assert.equal(String(alone), String(reference));
    // Never begun: it still asks for begin().
    await assert.rejects(transport.respond(Buffer.from([2, 1, 0, 4])), /begin\(\) first/);
  });

  it('refuses bad options with a TypeError before anything runs', async () => {
    await using authenticator = await createAuthenticator({ methods: ['md5'], users: {} });
    const transport = authenticator.createConversation();
    const session = await host.beginSession({ method: 'md5', identity: 'a', password: 'b' });
    try {
      const bad: unknown[] = [
        { host, transport },
        { host, begin: null, transport },
        { host: {}, begin: { method: 'md5' }, transport },
        { session, host, begin: { method: 'md5' }, transport },
        { transport },
        { host, begin: { method: 'md5', identity: 'a', password: 'b' }, transport: {} },
      ];
      for (const options of bad) {
        await assert.rejects(authenticate(options as Parameters<typeof authenticate>[0]), TypeError, JSON.stringify(Object.keys(options as object)));
      }
    } finally {
      await session.endSession();
    }
  });

  it('a closed EAPHost refuses with the Closed state, as its beginSession does', async () => {
    const closed = await openSuiteHost();
    await closed.close();
    await using authenticator = await createAuthenticator({ methods: ['md5'], users: {} });
    const begin = { method: 'md5' as const, identity: 'a', password: 'b' };
    await assert.rejects(authenticate({ host: closed, begin, transport: authenticator.createConversation() }),
      (error: unknown) => error instanceof EapError && error.state === 'Closed');
  });
});
