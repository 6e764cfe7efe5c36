/**
 * An in-process authentication nobody watches (no onPacket) against an authenticator whose users
 * are a plain table runs as one host-thread job: the user store's answer is known before the
 * conversation starts, so the method's question is answered natively. The same conversation
 * with a store that answers through JS (a UserStore object: every question a trip to JS) is the
 * reference: both must give the same verdict, round trips, identity, typed errors and abort
 * handling. The keys are checked across the two ends (the MSK the peer derived from the RFC 2759
 * password against the MPPE keys the authenticator derived from the RFC's NT hash).
 */
import { strict as assert } from 'assert';
import { EapError, authenticate, createAuthenticator } from '../lib';
import type { AuthenticationResult, BuiltinMethodName, UserRecord, UserStore } from '../lib';
import { binding } from '../lib/native';
import { mppeKeysOf } from '../lib/core/keys';
import { randomCredentials, openSuiteHost } from './helpers';
import { RFC2759 } from './support/mschapv2-oracle';

interface Run {
  result?: AuthenticationResult;
  error?: unknown;
  /** The MSK, copied before the session ended (which zero-fills it). */
  msk?: Buffer;
  mppe?: Buffer;
  /** Host-thread jobs authenticate() itself took (not beginSession's or endSession's). */
  jobs: number;
  lookups: string[];
  conversationIdentity: string;
  conversationMethod: number;
  /** Every buffer of the result that may hold key material reads as zeros once the session ended. */
  keysWipedAtEnd?: boolean;
}

interface RunOptions {
  method: BuiltinMethodName;
  /** The user the authenticator knows. */
  identity: string;
  record: UserRecord;
  /** The peer's credentials. */
  peer: { identity: string; password: string };
  /** true: a table (the one-job path); false: a UserStore object (a trip to JS per question). */
  table: boolean;
  abort?: boolean;
  maxRoundTrips?: number;
}

const ownJobs = () => {
  const stats = binding.hostThreadStats();
  return stats.jobs - stats.housekeeping;
};

async function run(options: RunOptions): Promise<Run> {
  const lookups: string[] = [];
  const users: UserStore | Record<string, UserRecord> = options.table ? { [options.identity]: options.record } : {
    lookup: (identity: string) => {
      lookups.push(identity);
      return identity === options.identity ? options.record : undefined;
    },
  };
  await using host = await openSuiteHost();
  await using authenticator = await createAuthenticator({ methods: [options.method], users });
  const session = await host.beginSession({ method: options.method, ...options.peer });
  const conversation = authenticator.createConversation();
  const controller = new AbortController();
  const before = ownJobs();
  const authentication = authenticate({ session, transport: conversation, signal: controller.signal,
    maxRoundTrips: options.maxRoundTrips });
  // The conversation's job is posted by now: an abort lands while it runs.
  if (options.abort) controller.abort();
  const out: Run = { jobs: 0, lookups, conversationIdentity: '', conversationMethod: 0 };
  try {
    out.result = await authentication;
    out.jobs = ownJobs() - before;
    if (out.result.msk) out.msk = Buffer.from(out.result.msk);
    const { recv, send } = mppeKeysOf(out.result.attributes.filter((a) => !out.result?.peerResult?.attributes.includes(a)));
    if (recv && send) out.mppe = Buffer.concat([recv, send]);
  } catch (error) {
    out.error = error;
  } finally {
    await session.endSession();
  }
  if (out.result) {
    const held = [...out.result.attributes.map((a) => a.value), out.result.msk, out.result.emsk];
    out.keysWipedAtEnd = held.every((buffer) => buffer === undefined || buffer.every((byte) => byte === 0));
  }
  out.conversationIdentity = conversation.identity;
  out.conversationMethod = conversation.methodType;
  return out;
}

/** What both paths must agree on. */
function observable(r: Run) {
  const { result } = r;
  return {
    success: result?.success, method: result?.method, identity: result?.identity, roundTrips: result?.roundTrips,
    reason: result?.reason, attributeTypes: result?.attributes.map((a) => a.type),
    error: result?.error && { win32Error: result.error.win32Error, retry: result.error.retry, rootCause: result.error.rootCause },
    mppeKeysMatch: result?.mppeKeysMatch, mskLength: result?.msk?.length,
    thrown: r.error instanceof EapError ? { win32Error: r.error.win32Error, call: r.error.call, message: r.error.message } : r.error,
    conversationIdentity: r.conversationIdentity, conversationMethod: r.conversationMethod,
    keysWipedAtEnd: r.keysWipedAtEnd,
  };
}

async function bothPaths(options: Omit<RunOptions, 'table'>): Promise<[Run, Run]> {
  const oneJob = await run({ ...options, table: true });
  const throughJs = await run({ ...options, table: false });
  assert.deepEqual(observable(oneJob), observable(throughJs));
  return [oneJob, throughJs];
}

describe('in-process pairing without JS in between (one host-thread job)', () => {
  before(async () => {
    // Loads the method modules the credentials are checked with, once.
    for (const method of ['md5', 'mschapv2'] as const) {
      const { identity, password } = randomCredentials();
      await run({ method, identity, record: { password }, peer: { identity, password }, table: true });
    }
  });

  it('MD5: one job for the whole conversation, the same verdict and round trips as answering through JS', async () => {
    const { identity, password } = randomCredentials();
    const [oneJob, throughJs] = await bothPaths({ method: 'md5', identity, record: { password }, peer: { identity, password } });
    assert.equal(oneJob.result?.success, true, oneJob.result?.reason);
    assert.equal(oneJob.result?.roundTrips, 2);
    assert.equal(oneJob.conversationIdentity, identity);
    assert.equal(oneJob.jobs, 1);
    assert.deepEqual(oneJob.lookups, []);
    // The reference asked its store once, about the peer's identity, and took more trips.
    assert.deepEqual(throughJs.lookups, [identity]);
    assert.ok(throughJs.jobs >= 2, `through JS: ${throughJs.jobs} jobs`);
  });

  it('MS-CHAPv2 with the RFC 2759 NT hash: one job, and the MSK the peer derived is the MPPE keys the authenticator released', async () => {
    const identity = RFC2759.userName;
    const record = { ntHash: RFC2759.passwordHash.toString('hex') };
    const [oneJob, throughJs] = await bothPaths({ method: 'mschapv2', identity, record, peer: { identity, password: RFC2759.password } });
    assert.equal(oneJob.result?.success, true, oneJob.result?.reason);
    assert.equal(oneJob.result?.roundTrips, 3);
    assert.equal(oneJob.jobs, 1);
    for (const r of [oneJob, throughJs]) {
      assert.ok(r.msk && r.msk.length >= 32, 'an MSK');
      assert.deepEqual(r.msk, r.mppe);
      // Kept while the caller's session lives, zero-filled when it ends.
      assert.equal(r.keysWipedAtEnd, true);
    }
    // Fresh challenges each run: the keys differ between runs, as they must.
    assert.notDeepEqual(oneJob.msk, throughJs.msk);
  });

  it('a wrong password: the same failure and the same typed MS-CHAPv2 error (691, no retry) on both paths', async () => {
    const { identity, password } = randomCredentials();
    const peer = { identity, password: `${password}x` };
    const [md5] = await bothPaths({ method: 'md5', identity, record: { password }, peer });
    assert.equal(md5.result?.success, false);
    const [mschap] = await bothPaths({ method: 'mschapv2', identity, record: { password }, peer });
    assert.equal(mschap.result?.success, false);
    assert.ok(mschap.result?.error instanceof EapError);
    assert.equal(mschap.result?.error?.win32Error, 691);
    assert.equal(mschap.result?.error?.retry, false);
  });

  it('a user the table does not know fails as the store that knows nobody fails', async () => {
    const { identity, password } = randomCredentials();
    const [oneJob] = await bothPaths({ method: 'mschapv2', identity: `${identity}-other`, record: { password },
      peer: { identity, password } });
    assert.equal(oneJob.result?.success, false);
  });

  it('a round bound the job reaches first: it stops short and goes on hop by hop to the same typed error', async () => {
    const { identity, password } = randomCredentials();
    const [oneJob] = await bothPaths({ method: 'mschapv2', identity, record: { password }, peer: { identity, password }, maxRoundTrips: 1 });
    assert.ok(oneJob.error instanceof EapError, String(oneJob.error));
    assert.match(oneJob.error.message, /no outcome after 1 round trips/);
    // With a bound it does not reach, the same conversation concludes in the one job.
    const [concluded] = await bothPaths({ method: 'mschapv2', identity, record: { password }, peer: { identity, password }, maxRoundTrips: 3 });
    assert.equal(concluded.result?.success, true, concluded.result?.reason);
    assert.equal(concluded.jobs, 1);
  });

  it('an abort while the job runs rejects with the same typed error (ERROR_CANCELLED) on both paths', async () => {
    const { identity, password } = randomCredentials();
    const [oneJob] = await bothPaths({ method: 'mschapv2', identity, record: { password }, peer: { identity, password }, abort: true });
    assert.ok(oneJob.error instanceof EapError, String(oneJob.error));
    assert.equal(oneJob.error.win32Error, 1223);
  });
});
