/**
 * In-process pairings against an authenticator that serves a TLS-based method, several at once,
 * run the authenticator's steps on the addon's aside thread while the host thread runs the
 * peer's (EAPHost's) part of another, so the two ends' handshake work of different conversations
 * uses two cores (a lone pairing never steps aside: in-process-hops.test.ts).
 * What must hold: every authentication gives what the same conversation gives through a plain
 * transport (every step on the host thread), the keys the two ends derive agree (the peer's MSK
 * from EAPHost against the MPPE keys the authenticator hands out), an authenticator with no TLS
 * method never steps aside, and closing, aborting or ending things while steps run aside settles
 * every call with a result or a typed EapError, never a crash, and leaves the addon working.
 */
import { strict as assert } from 'assert';
import { AuthenticatorConversation, EapError, authenticate, createAuthenticator, openEapHost } from '../../lib';
import type { Authenticator, AuthenticationResult, EapHost, EapHostSession } from '../../lib';
import { NativeHandle, binding } from '../../lib/native';
import { mppeKeysOf } from '../../lib/core/keys';
import { EngineAuthenticatorParts, enginePartsOf } from '../../lib/radius/server';
import { randomCredentials, unpaired } from '../helpers';

type TlsMethod = 'peap' | 'ttls';

interface Outcome {
  result: AuthenticationResult;
  /** Copied before the session ended (which zero-fills it). */
  msk?: Buffer;
  /** MS-MPPE-Recv-Key then MS-MPPE-Send-Key, as the authenticator handed them out. */
  mppe?: Buffer;
}

async function authenticateOnce(host: EapHost, authenticator: Authenticator, method: TlsMethod, identity: string,
  password: string, paired = true): Promise<Outcome> {
  const session = await host.beginSession({ method, identity, password, ...authenticator.trust,
    ...(method === 'ttls' ? { phase2: 'mschapv2' as const } : {}) });
  try {
    const conversation = authenticator.createConversation();
    const result = await authenticate({ session, transport: paired ? conversation : unpaired(conversation) });
    const own = result.attributes.filter((a) => !result.peerResult?.attributes.includes(a));
    const { recv, send } = mppeKeysOf(own);
    return { result, msk: result.msk && Buffer.from(result.msk), mppe: recv && send ? Buffer.concat([recv, send]) : undefined };
  } finally {
    await session.endSession();
  }
}

describe('TLS pairings step aside', function () {
  this.timeout(120000);

  for (const method of ['peap', 'ttls'] as const) {
    it(`${method}: 12 pairings at once step aside and end as the plain transport's do, the two ends' keys equal`, async () => {
      const { identity, password } = randomCredentials();
      await using host = await openEapHost();
      await using authenticator = await createAuthenticator({ methods: [method], users: { [identity]: { password } } });
      const reference = await authenticateOnce(host, authenticator, method, identity, password, false);
      const before = binding.hostThreadStats().aside;
      const outcomes = await Promise.all(Array.from({ length: 12 }, () => authenticateOnce(host, authenticator, method, identity, password)));
      const aside = binding.hostThreadStats().aside - before;
      // A part goes aside only while other calls wait for the host thread, so how many do depends on
      // the machine's load at each step (one loaded run counted 35, idle ones 36 or more); the
      // twelve run at once, each with the others waiting at some step: some go.
      assert.ok(aside > 0, `${aside} parts aside for 12 authentications at once`);
      for (const outcome of [reference, ...outcomes]) {
        assert.equal(outcome.result.success, true);
        assert.equal(outcome.result.resumed ?? false, false);
        assert.equal(outcome.msk?.length, 64);
        assert.deepEqual(outcome.mppe, outcome.msk, 'the authenticator\'s MPPE keys are the peer\'s MSK');
      }
      const shape = (o: Outcome) => ({ success: o.result.success, roundTrips: o.result.roundTrips, identity: o.result.identity,
        method: o.result.method });
      for (const outcome of outcomes) assert.deepEqual(shape(outcome), shape(reference));
      // Fresh handshakes: no two conversations share keys.
      assert.equal(new Set(outcomes.map((o) => o.msk!.toString('hex'))).size, outcomes.length);
    });
  }

  it('an authenticator with no TLS method keeps every step on the host thread', async () => {
    const { identity, password } = randomCredentials();
    await using host = await openEapHost();
    await using authenticator = await createAuthenticator({ methods: ['mschapv2', 'md5'], users: { [identity]: { password } } });
    const before = binding.hostThreadStats().aside;
    await Promise.all(Array.from({ length: 8 }, async () => {
      const session = await host.beginSession({ method: 'mschapv2', identity, password });
      try {
        assert.equal((await authenticate({ session, transport: authenticator.createConversation() })).success, true);
      } finally {
        await session.endSession();
      }
    }));
    assert.equal(binding.hostThreadStats().aside - before, 0);
  });

  it('a conversation released while its step runs aside ends the hop with a typed Closed error; the addon goes on', async () => {
    const { identity, password } = randomCredentials();
    await using host = await openEapHost();
    await using authenticator = await createAuthenticator({ methods: ['peap'], users: { [identity]: { password } } });
    const handleOf = (session: EapHostSession) => (session as unknown as { handle: NativeHandle }).handle;
    const parts = enginePartsOf(authenticator) as EngineAuthenticatorParts;
    // A conversation's first request (PEAP's Start) to the peer alone, and its ClientHello back.
    const started = async (session: EapHostSession) => {
      const begun = await binding.conversationBegin({ authenticator: { methods: parts.methodHandles(), settings: parts.settings } });
      const hello = await binding.eapHostSessionReceive({ session: handleOf(session), kind: 'request', packet: begun.step?.packet as Buffer });
      assert.ok(hello.packet && hello.packet.length > 0, 'the peer answered PEAP\'s Start');
      return { conversation: begun.conversation as NativeHandle, response: hello.packet, peer: { session: handleOf(session) } };
    };
    // Twenty times, so that the close lands both while a step runs aside (the close waits for
    // it) and before the aside thread takes one (the step finds the conversation closed).
    const outcomes: string[] = [];
    for (let i = 0; i < 20; i++) {
      const sessions = [await host.beginSession({ method: 'peap', identity, password, ...authenticator.trust }),
        await host.beginSession({ method: 'peap', identity, password, ...authenticator.trust })];
      try {
        const [released, beside] = [await started(sessions[0]), await started(sessions[1])];
        // The rest of each handshake in one job (up to the authenticator's question to the user
        // store, since no answer goes with it): two at once, so each steps aside while the other
        // waits for the host thread (a lone one never does), and the first one's release right
        // behind its first part. A JS thread the machine preempts between the calls may let the
        // whole job run first: then it ends at that question, whole.
        const rest = binding.conversationRun({ kind: 'response', budget: 100, ...released });
        const other = binding.conversationRun({ kind: 'response', budget: 100, ...beside });
        binding.release({ handle: released.conversation });
        const out = await rest.catch((error: unknown) => ({ kind: 'rejected' as const, error }));
        if (out.kind === 'error' || out.kind === 'rejected') {
          assert.ok(out.error instanceof EapError, `job ${i}: ${String(out.error)}`);
          assert.equal(out.error.state, 'Closed');
          outcomes.push('closed');
        } else {
          assert.equal(out.kind, 'answer', `job ${i}: neither closed nor at the user store's question`);
          outcomes.push('asked');
        }
        assert.equal((await other).kind, 'answer', `job ${i}: the other conversation did not reach the user store's question`);
        binding.release({ handle: beside.conversation });
      } finally {
        await Promise.all(sessions.map((session) => session.endSession()));
      }
    }
    // Each job takes a millisecond or more; a release within microseconds of the call lands in it.
    assert.ok(outcomes.includes('closed'), outcomes.join(' '));
    const outcome = await authenticateOnce(host, authenticator, 'peap', identity, password);
    assert.equal(outcome.result.success, true);
    assert.deepEqual(outcome.mppe, outcome.msk);
  });

  it('closing conversations, aborting and closing the authenticator while steps run aside: each call settles, typed', async () => {
    const { identity, password } = randomCredentials();
    await using host = await openEapHost();
    const authenticator = await createAuthenticator({ methods: ['peap'], users: { [identity]: { password } } });
    const settled: string[] = [];
    const one = async (i: number): Promise<void> => {
      const session = await host.beginSession({ method: 'peap', identity, password, ...authenticator.trust });
      const controller = new AbortController();
      // On a slow machine the authenticator may be closed by now: that refusal is typed too.
      let conversation: AuthenticatorConversation | undefined;
      // Spread over the run (some 20 ms for 48 handshakes here): some land before any step, most
      // mid-way, while a step may be running aside.
      const when = i % 24;
      const disturb = setTimeout(() => {
        if (i % 3 === 0) controller.abort();
        else if (i % 3 === 1) void conversation?.close();
      }, when);
      // Watching the packets takes the user store's answer through JS: the conversation is then
      // several hops, and JS holds its handle (to close it) while the later ones run.
      const onPacket = i % 2 === 0 ? () => undefined : undefined;
      try {
        conversation = authenticator.createConversation();
        const result = await authenticate({ session, transport: conversation, signal: controller.signal, onPacket });
        settled.push(result.success ? 'success' : 'failure');
      } catch (error) {
        assert.ok(error instanceof EapError, `authentication ${i} rejected with ${String(error)}`);
        settled.push(`error:${error.call}:${error.state}`);
      } finally {
        clearTimeout(disturb);
        await session.endSession();
      }
    };
    const running = Array.from({ length: 48 }, (_, i) => one(i));
    // The authenticator closes while many of them are still in their handshakes.
    await new Promise((resolve) => setTimeout(resolve, 12));
    const closing = authenticator.close();
    await Promise.all([...running, closing]);
    assert.equal(settled.length, 48);
    // The addon still works: a new authenticator, a new pairing, on both threads.
    await using again = await createAuthenticator({ methods: ['peap'], users: { [identity]: { password } } });
    const outcome = await authenticateOnce(host, again, 'peap', identity, password);
    assert.equal(outcome.result.success, true);
    assert.deepEqual(outcome.mppe, outcome.msk);
  });
});
