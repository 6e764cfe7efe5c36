import { strict as assert } from 'node:assert';
import { createAuthenticator } from '../../lib';
import { RadiusServer } from '../../lib/radius';
import { freeUdpPort } from '../support/programs';
import { startFreeRadius, FreeRadiusInstance } from '../support/freeradius';
import { CliRun, runCli, secretFlag, eaphostCommand } from '../support/cli-run';

const runRadiusAuth = eaphostCommand('auth');

/** `eaphost auth --radius …` exit codes and one-line reasons against a live FreeRADIUS. */
const SECRET = 'cli-test-secret';

const run = (argv: string[]): Promise<CliRun> => runCli(runRadiusAuth, argv);

describe('eaphost auth --radius', function () {
  this.timeout(60_000);
  let server: FreeRadiusInstance;
  const target = () => `127.0.0.1:${server.port}`;

  before(async () => {
    server = await startFreeRadius({ secret: SECRET, users: [{ identity: 'erin', password: 's3same' }] });
  });
  after(async () => {
    await server?.stop();
  });

  it('exits 0 on Access-Accept with one line', async () => {
    const { code, out } = await run(['--radius', target(), ...secretFlag('secret', SECRET), '--method', 'md5', '--identity', 'erin', ...secretFlag('password', 's3same')]);
    assert.equal(code, 0);
    assert.equal(out.length, 1);
    assert.match(out[0], /^Access-Accept from 127\.0\.0\.1:\d+/);
  });

  it('exits 1 on Access-Reject', async () => {
    const { code, err } = await run(['--radius', target(), ...secretFlag('secret', SECRET), '--identity', 'erin', ...secretFlag('password', 'wrong')]);
    assert.equal(code, 1);
    assert.match(err[0], /Access-Reject/);
  });

  it('exits 2 on bad usage', async () => {
    assert.equal((await run(['--radius', target(), '--identity', 'erin', ...secretFlag('password', 'x')])).code, 2);
    assert.equal((await run(['--radius', 'not a port:x', ...secretFlag('secret', 's'), '--identity', 'e', ...secretFlag('password', 'x')])).code, 2);
    assert.equal((await run(['--radius', target(), ...secretFlag('secret', 's'), '--identity', 'e', ...secretFlag('password', 'x'), '--method', 'tls'])).code, 2);
  });

  it('exits 3 when the server does not answer, within --timeout', async () => {
    const started = Date.now();
    const { code, err } = await run(['--radius', `127.0.0.1:${await freeUdpPort()}`, ...secretFlag('secret', SECRET),
      '--identity', 'erin', ...secretFlag('password', 's3same'), '--timeout', '1000']);
    assert.equal(code, 3);
    assert.match(err[0], /no reply from RADIUS server/);
    assert.ok(Date.now() - started < 2000);
  });

  it('reports a wrong shared secret as such', async () => {
    const { code, err } = await run(['--radius', target(), ...secretFlag('secret', 'not-it'), '--identity', 'erin', ...secretFlag('password', 's3same'), '--timeout', '2000']);
    assert.equal(code, 3);
    assert.match(err[0], /check the shared secret/);
  });

  it('reports a wrong shared secret as such against `eaphost serve`\'s RadiusServer too', async () => {
    const authenticator = await createAuthenticator({ methods: ['md5'], users: { erin: { password: 's3same' } } });
    // Bare requests answered: what the secret probe needs (a BlastRADIUS-strict server stays silent).
    const ours = new RadiusServer({ port: 0, secret: SECRET, requireMessageAuthenticator: false,
      authenticator: authenticator });
    try {
      const { port } = await ours.listen();
      const { code, err } = await run(['--radius', `127.0.0.1:${port}`, ...secretFlag('secret', 'not-it'), '--identity', 'erin',
        ...secretFlag('password', 's3same'), '--timeout', '2000']);
      assert.equal(code, 3);
      assert.match(err[0], /check the shared secret/);
      assert.ok(ours.stats.droppedUnauthenticated >= 1, 'the EAP request itself was never trusted');
    } finally {
      await ours.close();
      await authenticator.close();
    }
  });

  it('--json prints one JSON object without the password or secret; --verbose traces round trips', async () => {
    const { code, out, err } = await run(['--radius', target(), ...secretFlag('secret', SECRET), '--identity', 'erin', ...secretFlag('password', 's3same'), '--json', '--verbose']);
    assert.equal(code, 0);
    const result = JSON.parse(out[0]);
    assert.equal(result.result, 'accept');
    assert.equal(result.roundTrips, 2);
    assert.ok(err.some((line) => /Access-Challenge/.test(line)));
    assert.doesNotMatch([...out, ...err].join('\n'), /s3same|cli-test-secret/);
  });

  it('--method mschapv2 --json: mppeKeysMatch true against FreeRADIUS\'s MPPE keys; --show-keys adds the MSK', async () => {
    const plain = await run(['--radius', target(), ...secretFlag('secret', SECRET), '--method', 'mschapv2', '--identity', 'erin',
      ...secretFlag('password', 's3same'), '--json', '--verbose']);
    assert.equal(plain.code, 0, plain.err.join('\n'));
    const result = JSON.parse(plain.out[0]);
    assert.equal(result.method, 'mschapv2');
    assert.equal(result.mppeKeysMatch, true);
    assert.equal(result.msk, undefined, 'keys only with --show-keys');
    const shown = await run(['--radius', target(), ...secretFlag('secret', SECRET), '--method', 'mschapv2', '--identity', 'erin',
      ...secretFlag('password', 's3same'), '--json', '--show-keys', '--verbose']);
    const keyed = JSON.parse(shown.out[0]);
    assert.match(keyed.msk, /^[0-9a-f]{64}$/);
    const traced = shown.err.join('\n').toLowerCase();
    for (const part of [keyed.msk, keyed.msk.slice(0, 32), keyed.msk.slice(32)]) assert.ok(!traced.includes(part));
    assert.doesNotMatch(shown.err.join('\n'), /s3same/);
  });

  it('--method mschapv2 with a wrong password exits 1 (Access-Reject), no key verdict', async () => {
    const { code, out } = await run(['--radius', target(), ...secretFlag('secret', SECRET), '--method', 'mschapv2', '--identity', 'erin',
      ...secretFlag('password', 'wrong'), '--json']);
    assert.equal(code, 1);
    const result = JSON.parse(out[0]);
    assert.equal(result.result, 'reject');
    assert.equal(result.mppeKeysMatch, undefined);
  });
});
