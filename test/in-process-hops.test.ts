/**
 * The cost of an in-process authentication at the seam: host-thread jobs per authentication
 * (binding.hostThreadStats), and that a hop running several rounds reports each of them to
 * authenticate() as a round of its own. The truth for the packets is the same conversation run
 * through a plain EapTransport (no pairing: every round its own hop), and the peer's MD5 answer
 * is checked against node:crypto.
 */
import { strict as assert } from 'assert';
import { AuthenticatorConversation, authenticate, createAuthenticator, openEapHost } from '../lib';
import type { EapTransport } from '../lib';
import { binding } from '../lib/native';
import { expectedMd5Response, randomCredentials } from './helpers';

/** The conversation behind a plain transport: authenticate() cannot pair with it. */
function unpaired(conversation: AuthenticatorConversation): EapTransport {
  return {
    begin: (options) => conversation.begin(options),
    respond: (response, options) => conversation.respond(response, options),
    retransmission: (options) => conversation.retransmission(options),
    close: () => conversation.close(),
  };
}

async function md5Run(paired: boolean, maxRoundTrips?: number) {
  const { identity, password } = randomCredentials();
  await using host = await openEapHost();
  await using authenticator = await createAuthenticator({ users: { [identity]: { password } } });
  const packets: Buffer[] = [];
  const before = binding.hostThreadStats();
  const session = await host.beginSession({ method: 'md5', identity, password });
  const conversation = authenticator.createConversation();
  const run = authenticate({
    session, transport: paired ? conversation : unpaired(conversation), maxRoundTrips,
    onPacket: (direction, packet) => packets.push(Buffer.concat([Buffer.from(direction === 'in' ? 'I' : 'O'), packet])),
  });
  const result = await run.finally(() => session.endSession());
  const after = binding.hostThreadStats();
  return { result, packets, password, jobs: after.jobs - before.jobs };
}

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
    // Same sequence of codes/types in the same directions (identifiers and challenges differ).
    const shape = (packets: Buffer[]) => packets.map((p) => `${String.fromCharCode(p[0])}${p[1]}:${p[5] ?? '-'}`);
    assert.deepEqual(shape(paired.packets), shape(plain.packets));
    assert.deepEqual(shape(paired.packets), ['I1:1', 'O2:1', 'I1:4', 'O2:4', 'I3:-']);
    // The MD5 response the pairing reported is the answer to the challenge it reported.
    const challenge = paired.packets[2].subarray(1);
    const response = paired.packets[3].subarray(1);
    const value = challenge.subarray(6, 6 + challenge[5]);
    assert.deepEqual(response.subarray(6, 6 + response[5]),
      expectedMd5Response(challenge[1], paired.password, value));
    // beginSession, the authenticator's start, one hop for both rounds, the user store's answer
    // with the peer's processing of the outcome, endSession, and the two handles' releases; the
    // plain transport pays a hop per round and one for the outcome.
    assert.ok(paired.jobs <= 7, `paired: ${paired.jobs} jobs`);
    assert.ok(plain.jobs >= paired.jobs + 2, `plain: ${plain.jobs} jobs, paired: ${paired.jobs}`);
  });

  it('stops a multi-round hop at maxRoundTrips', async () => {
    await assert.rejects(md5Run(true, 1), /round trip|maxRoundTrips|no outcome/i);
  });
});
