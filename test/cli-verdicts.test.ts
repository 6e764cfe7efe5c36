/**
 * Verdicts a misbehaving server must not turn into success: an Access-Accept carrying an
 * EAP-Failure (the RADIUS and EAP verdicts disagree), and MPPE keys that do not match the MSK
 * (the NAS would derive other keys than the client). The server is our RadiusServer in front of
 * the real embedded authenticator, with its final reply altered the way a broken server sends it.
 */
import { strict as assert } from 'node:assert';
import { createAuthenticator, Authenticator } from '../lib';
import { main } from '../lib/cli/main';
import { RadiusServer } from '../lib/radius';
import { parseClearMppeKey } from '../lib/radius/mppe';
import { EapTransport, TransportReply } from '../lib/core/transport';
import { randomCredentials } from './helpers';
import { CliRun, runCli, eaphostCommand } from './support/cli-run';

const runRadiusAuth = eaphostCommand('auth');

const SECRET = 'verdict-secret';
type Misbehaviour = 'none' | 'failure-in-accept' | 'wrong-mppe-keys';

/** The authenticator's conversation with its verdict altered as `misbehaviour` says. */
function misbehaving(inner: EapTransport, misbehaviour: Misbehaviour): EapTransport {
  const alter = (reply: TransportReply): TransportReply => {
    if (reply.kind === 'request' || misbehaviour === 'none') return reply;
    if (misbehaviour === 'failure-in-accept') {
      // The method failed (wrong password) and said EAP-Failure; the server still sends Access-Accept.
      return { kind: 'success', packet: reply.packet, attributes: [] };
    }
    return {
      ...reply,
      attributes: (reply.attributes ?? []).map((attribute) => {
        if (!parseClearMppeKey(attribute.value)) return attribute;
        const value = Buffer.from(attribute.value);
        value[9] ^= 0xff;
        return { type: attribute.type, value };
      }),
    };
  };
  return {
    begin: async (options) => alter(await inner.begin(options)),
    respond: async (packet, options) => alter(await inner.respond(packet, options)),
    close: () => inner.close(),
  };
}

describe('eaphost auth --radius: inconsistent verdicts are failures', function () {
  this.timeout(60_000);
  const user = randomCredentials();
  let authenticator: Authenticator;
  const servers: RadiusServer[] = [];

  async function serve(misbehaviour: Misbehaviour): Promise<string[]> {
    const server = new RadiusServer({ port: 0, secret: SECRET,
      conversationFactory: () => misbehaving(authenticator.createConversation(), misbehaviour) });
    servers.push(server);
    const { port } = await server.listen();
    return ['--radius', `127.0.0.1:${port}`, '--secret', SECRET, '--identity', user.identity];
  }

  const run = (argv: string[]): Promise<CliRun> => runCli(runRadiusAuth, argv);

  async function nagios(argv: string[]): Promise<{ code: number; line: string }> {
    const out: string[] = [];
    const code = await main(['auth', ...argv, '--nagios'], (line) => out.push(line), () => undefined);
    assert.equal(out.length, 1, out.join('\n'));
    return { code, line: out[0] };
  }

  before(async () => {
    authenticator = await createAuthenticator({ methods: ['mschapv2', 'md5'], users: { [user.identity]: { password: user.password } } });
  });
  after(async () => {
    for (const server of servers) await server.close();
    await authenticator?.close();
  });

  it('the honest server: exit 0, mppeKeysMatch true, Nagios OK (the control case)', async () => {
    const radius = await serve('none');
    const { code, out } = await run([...radius, '--method', 'mschapv2', '--password', user.password, '--json']);
    assert.equal(code, 0);
    const report = JSON.parse(out[0]);
    assert.equal(report.success, true);
    assert.equal(report.mppeKeysMatch, true);
    assert.equal((await nagios([...radius, '--method', 'mschapv2', '--password', user.password])).code, 0);
  });

  it('an Access-Accept carrying an EAP-Failure: exit 1, result "inconsistent", Nagios CRITICAL', async () => {
    const radius = await serve('failure-in-accept');
    for (const method of ['md5', 'mschapv2']) {
      const { code, out } = await run([...radius, '--method', method, '--password', `not-${user.password}`, '--json']);
      assert.equal(code, 1, out.join('\n'));
      const report = JSON.parse(out[0]);
      assert.equal(report.success, false);
      assert.equal(report.result, 'inconsistent');
      assert.match(report.reason, /Access-Accept carrying an EAP-Failure/);
      assert.equal(report.reply.code, 'Access-Accept', 'the server did say Access-Accept');
    }
    const graded = await nagios([...radius, '--method', 'md5', '--password', `not-${user.password}`]);
    assert.equal(graded.code, 2, graded.line);
    assert.match(graded.line, /^EAPHOST CRITICAL - .*EAP-Failure/);
  });

  it('MPPE keys that do not match the MSK: Nagios CRITICAL, --json mppeKeysMatch false', async () => {
    const radius = await serve('wrong-mppe-keys');
    const { out } = await run([...radius, '--method', 'mschapv2', '--password', user.password, '--json']);
    assert.equal(JSON.parse(out[0]).mppeKeysMatch, false);
    const graded = await nagios([...radius, '--method', 'mschapv2', '--password', user.password]);
    assert.equal(graded.code, 2, graded.line);
    assert.match(graded.line, /^EAPHOST CRITICAL - .*MPPE keys .* do not match the MSK/);
  });
});
