import { strict as assert } from 'node:assert';
import { main } from '../../lib/cli/main';
import { startFreeRadius, FreeRadiusInstance } from '../support/freeradius';
import { CliRun, runCli, secretFlag } from '../support/cli-run';
import { unsignedReplyServer } from '../support/unsigned-reply-server';

/**
 * Plain RADIUS as radclient sends it, judged by FreeRADIUS: PAP (the hidden User-Password is
 * right only if FreeRADIUS recovers the password from it, RFC 2865 §5.2), MAB (a users entry for
 * the MAC, checked against the Calling-Station-Id a switch sends) and accounting (FreeRADIUS
 * drops an Accounting-Request whose authenticator, RFC 2866 §3, does not verify).
 */
const SECRET = 'plain-secret';
const PAP_USER = { identity: 'paula', password: 'p4ula pass' };
/** Longer than one 16-octet block: the hiding chains MD5 over the previous block. */
const LONG_USER = { identity: 'lena', password: 'a password of forty-one characters, long!' };
const MAC = 'aabbccddeeff';
/** FreeRADIUS before 3.2.5 signs only replies carrying EAP with a Message-Authenticator. */
const LEGACY_REPLIES = '--no-require-message-authenticator';

/**
 * A forger's server: answers every datagram with an Access-Accept whose Response Authenticator is
 * right (RFC 2865 §3, computed here with node:crypto over the request's authenticator and the
 * secret) and which carries no Message-Authenticator — the reply a BlastRADIUS attacker can make
 * (CVE-2024-3596). The same Accept answers an Accounting-Request, where it is the wrong code.
 */
const unsignedAcceptServer = () => unsignedReplyServer(2, SECRET);

const run = (argv: string[]): Promise<CliRun> => runCli(main, argv);

describe('eaphost auth --method pap / --mab and eaphost acct against FreeRADIUS', function () {
  this.timeout(60_000);
  let server: FreeRadiusInstance;
  const radius = () => ['--radius', `127.0.0.1:${server.port}`, ...secretFlag('secret', SECRET), LEGACY_REPLIES];
  const accounting = () => ['--radius', `127.0.0.1:${server.acctPort}`, ...secretFlag('secret', SECRET)];

  before(async () => {
    server = await startFreeRadius({
      secret: SECRET, accounting: true,
      users: [PAP_USER, LONG_USER, { identity: MAC, password: MAC, check: ['Calling-Station-Id == "AA-BB-CC-DD-EE-FF"'],
        reply: ['Tunnel-Private-Group-Id = "42"'] }],
    });
  });
  after(async () => {
    await server?.stop();
  });

  it('PAP: Access-Accept for the right password (one block and three), Access-Reject for a wrong one', async () => {
    for (const user of [PAP_USER, LONG_USER]) {
      const accepted = await run(['auth', ...radius(), '--method', 'pap', '--identity', user.identity, ...secretFlag('password', user.password)]);
      assert.equal(accepted.code, 0, [...accepted.out, ...accepted.err, server.log()].join('\n'));
      assert.match(accepted.out[0], /^Access-Accept from 127\.0\.0\.1:\d+: pap authentication of "\w+" succeeded/);
    }
    const rejected = await run(['auth', ...radius(), '--method', 'pap', '--identity', PAP_USER.identity,
      ...secretFlag('password', `${PAP_USER.password}x`), '--json']);
    assert.equal(rejected.code, 1);
    const result = JSON.parse(rejected.out[0]);
    assert.equal(result.result, 'reject');
    assert.equal(result.reply.code, 'Access-Reject');
    assert.doesNotMatch(rejected.out.join('\n'), new RegExp(`${SECRET}|${PAP_USER.password}`));
  });

  it('PAP --verbose prints the exchange on stderr, FreeRADIUS\'s reply included, never the password', async () => {
    const run1 = await run(['auth', ...radius(), '--method', 'pap', '--identity', PAP_USER.identity,
      ...secretFlag('password', PAP_USER.password), '--verbose']);
    assert.equal(run1.code, 0, [...run1.out, ...run1.err, server.log()].join('\n'));
    const request = run1.err.find((line) => line.startsWith('> Access-Request'));
    assert.ok(request, run1.err.join('\n'));
    assert.match(request, new RegExp(`User-Name="${PAP_USER.identity}"`));
    assert.match(request, /User-Password=\(hidden\)/);
    assert.ok(run1.err.some((line) => /^< Access-Accept from 127\.0\.0\.1:\d+/.test(line)), run1.err.join('\n'));
    assert.doesNotMatch([...run1.out, ...run1.err].join('\n'), new RegExp(PAP_USER.password));
  });

  describe('against a server that sends an unsigned Access-Accept (BlastRADIUS)', () => {
    let forger: Awaited<ReturnType<typeof unsignedAcceptServer>>;
    before(async () => { forger = await unsignedAcceptServer(); });
    after(async () => { await forger?.close(); });
    const forged = () => ['--radius', `127.0.0.1:${forger.port}`, ...secretFlag('secret', SECRET), '--timeout', '600', '--tries', '2', '--json'];

    for (const [what, flags] of [
      ['PAP', ['--method', 'pap', '--identity', PAP_USER.identity, ...secretFlag('password', PAP_USER.password)]],
      ['MAB', ['--mab', '--calling-station-id', 'aa:bb:cc:dd:ee:ff']],
    ] as const) {
      it(`${what} by default refuses the Accept: exit 3, "no-message-authenticator", never "accept"`, async () => {
        const before = forger.answered();
        const refused = await run(['auth', ...forged(), ...flags]);
        assert.equal(refused.code, 3, refused.out.join('\n'));
        const result = JSON.parse(refused.out[0]);
        assert.equal(result.result, 'no-message-authenticator');
        assert.match(result.reason, /without Message-Authenticator/);
        assert.match(result.reason, /CVE-2024-3596/);
        // Both tries were answered (and the probe that tells a wrong secret from this): the
        // refusal is the client's, not a silent server's.
        assert.ok(forger.answered() - before >= 2, 'the forger answered every try');
      });
    }

    it('acct drops an Access-Accept sent for its Accounting-Request: exit 3 after every try went unanswered', async () => {
      const before = forger.answered();
      const dropped = await run(['acct', 'start', ...forged(), '--identity', PAP_USER.identity]);
      assert.equal(dropped.code, 3, dropped.out.join('\n'));
      assert.equal(JSON.parse(dropped.out[0]).result, 'timeout');
      assert.equal(forger.answered() - before, 2, 'the forger answered both tries');
    });
  });

  it('PAP with a wrong secret: exit 3, said to be the secret', async () => {
    const wrong = await run(['auth', '--radius', `127.0.0.1:${server.port}`, ...secretFlag('secret', 'not-it'), '--method', 'pap',
      '--identity', PAP_USER.identity, ...secretFlag('password', PAP_USER.password), '--timeout', '1500', '--json']);
    assert.equal(wrong.code, 3, wrong.out.join('\n'));
    assert.equal(JSON.parse(wrong.out[0]).result, 'secret-mismatch');
  });

  it('MAB: the MAC in any spelling matches the users entry; another MAC is rejected', async () => {
    for (const spelling of ['AA:BB:CC:DD:EE:FF', 'aabb.ccdd.eeff', 'aa-bb-cc-dd-ee-ff']) {
      const accepted = await run(['auth', ...radius(), '--mab', '--calling-station-id', spelling, '--json']);
      assert.equal(accepted.code, 0, [...accepted.out, ...accepted.err].join('\n'));
      const result = JSON.parse(accepted.out[0]);
      assert.equal(result.identity, MAC);
      assert.ok(result.reply.attributes.some((a: { name: string; value: unknown }) =>
        a.name === 'Tunnel-Private-Group-Id' && a.value === '42'), accepted.out[0]);
    }
    const other = await run(['auth', ...radius(), '--mab', '--calling-station-id', '00:11:22:33:44:55']);
    assert.equal(other.code, 1);
    const bad = await run(['auth', ...radius(), '--mab', '--calling-station-id', 'not-a-mac']);
    assert.equal(bad.code, 2);
    assert.match(bad.err[0], /not a MAC address/);
  });

  it('acct start, update and stop are acknowledged; a wrong secret is not (exit 3)', async () => {
    const started = await run(['acct', 'start', ...accounting(), '--identity', PAP_USER.identity, '--json',
      '--calling-station-id', 'aa:bb:cc:dd:ee:ff']);
    assert.equal(started.code, 0, [...started.out, ...started.err, server.log()].join('\n'));
    const { sessionId, result } = JSON.parse(started.out[0]);
    assert.equal(result, 'acknowledged');
    assert.match(sessionId, /^[0-9A-F]{16}$/);
    const updated = await run(['acct', 'update', ...accounting(), '--identity', PAP_USER.identity, '--session-id', sessionId,
      '--session-time', '60', '--input-octets', '1000', '--output-octets', '2000']);
    assert.equal(updated.code, 0, updated.err.join('\n'));
    assert.match(updated.out[0], new RegExp(`^Accounting-Response from 127\\.0\\.0\\.1:\\d+: update of session ${sessionId}`));
    const stopped = await run(['acct', 'stop', ...accounting(), '--identity', PAP_USER.identity, '--session-id', sessionId,
      '--session-time', '120']);
    assert.equal(stopped.code, 0, stopped.err.join('\n'));
    const wrong = await run(['acct', 'stop', '--radius', `127.0.0.1:${server.acctPort}`, ...secretFlag('secret', 'not-it'),
      '--identity', PAP_USER.identity, '--session-id', sessionId, '--timeout', '900']);
    assert.equal(wrong.code, 3);
    assert.match(wrong.err[0], /no reply|timed out|did not/i);
    const usage = await run(['acct', 'stop', ...accounting(), '--identity', PAP_USER.identity]);
    assert.equal(usage.code, 2);
    assert.match(usage.err[0], /--session-id/);
  });
});
