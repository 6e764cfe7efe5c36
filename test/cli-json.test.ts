/**
 * One JSON shape: real `--json` outputs of `auth` (embedded and RADIUS), `load`, `ping` and
 * `acct`, validated against the schema shipped in the package (schema/cli-output.schema.json),
 * and the same core fields with the same meaning in both auth modes.
 */
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { createAuthenticator, Authenticator } from '../lib';
import { main } from '../lib/cli/main';
import { RadiusServer } from '../lib/radius';
import { randomCredentials } from './helpers';
import { cliOutputSchema as schema, validate } from './support/cli-output-schema';
import { freeUdpPort } from './support/programs';

const CORE = ['command', 'success', 'result', 'exitCode', 'reason', 'mode', 'server', 'method', 'identity', 'roundTrips',
  'elapsedMs', 'insecure', 'warnings'];

async function json(argv: string[]): Promise<{ code: number; report: Record<string, unknown> }> {
  const out: string[] = [];
  const code = await main([...argv, '--json'], (line) => out.push(line), () => undefined);
  assert.equal(out.length, 1, `one JSON object on stdout: ${out.join('\n')}`);
  const report = JSON.parse(out[0]) as Record<string, unknown>;
  assert.deepEqual(validate(report, schema), [], `${argv.slice(0, 2).join(' ')}: ${out[0]}`);
  assert.equal(report.exitCode, code, 'exitCode is the exit code');
  return { code, report };
}

describe('one JSON shape for auth, load, ping and acct (schema/cli-output.schema.json)', function () {
  this.timeout(60_000);
  const user = randomCredentials();
  const SECRET = 'json-shape-secret';
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'eaphost-json-'));
  const users = path.join(dir, 'users.json');
  fs.writeFileSync(users, JSON.stringify({ [user.identity]: { password: user.password } }));
  // One server per method, as the embedded mode has one authenticator per method (no Nak round trip).
  const authenticators: Authenticator[] = [];
  const servers: RadiusServer[] = [];
  const radiusFor: Record<string, string[]> = {};
  let radius: string[];

  before(async () => {
    for (const method of ['md5', 'mschapv2'] as const) {
      const authenticator = await createAuthenticator({ methods: [method], users: { [user.identity]: { password: user.password } } });
      authenticators.push(authenticator);
      const server = new RadiusServer({ port: 0, secret: SECRET, authenticator: authenticator });
      servers.push(server);
      radiusFor[method] = ['--radius', `127.0.0.1:${(await server.listen()).port}`, '--secret', SECRET];
    }
    radius = radiusFor.md5;
  });
  after(async () => {
    for (const server of servers) await server.close();
    for (const authenticator of authenticators) await authenticator.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('the schema ships in the package', () => {
    const manifest = JSON.parse(fs.readFileSync(path.resolve(__dirname, '..', '..', 'package.json'), 'utf8'));
    assert.ok((manifest.files as string[]).includes('schema'), 'package.json files lists schema/');
    assert.equal(schema.$schema, 'https://json-schema.org/draft/2020-12/schema');
  });

  it('the validator refuses what the schema forbids (it can fail)', () => {
    const good = { command: 'auth', success: true, result: 'accept', exitCode: 0, reason: 'x', mode: 'embedded', server: null,
      method: 'md5', identity: 'a', roundTrips: 2, elapsedMs: 1, insecure: false, warnings: [] };
    assert.deepEqual(validate(good, schema), []);
    const { success: _dropped, ...noSuccess } = good;
    assert.notDeepEqual(validate(noSuccess, schema), []);
    assert.notDeepEqual(validate({ ...good, result: 'reject' }, schema), [], 'success true with result reject');
    assert.notDeepEqual(validate({ ...good, server: '127.0.0.1:1812' }, schema), [], 'embedded mode names no server');
    assert.notDeepEqual(validate({ ...good, command: 'load' }, schema), [], 'load without its figures');
  });

  it('auth, embedded and RADIUS: the same core fields with the same values for the same authentication', async () => {
    for (const method of ['md5', 'mschapv2']) {
      const credentials = ['--method', method, '--identity', user.identity, '--password', user.password];
      const embedded = await json(['auth', ...credentials, '--users', users]);
      const overRadius = await json(['auth', ...radiusFor[method], ...credentials]);
      for (const report of [embedded.report, overRadius.report]) {
        assert.deepEqual(Object.keys(report).filter((key) => CORE.includes(key)).sort(), [...CORE].sort());
        assert.equal(report.success, true);
        assert.equal(report.result, 'accept');
        assert.equal(report.method, method);
        assert.equal(report.identity, user.identity);
        assert.equal(report.roundTrips, method === 'md5' ? 2 : 3, 'EAP-MD5 takes 2 round trips, EAP-MSCHAPv2 3');
        assert.equal(report.insecure, false);
      }
      assert.equal(embedded.report.mode, 'embedded');
      assert.equal(overRadius.report.mode, 'radius');
      assert.equal(embedded.report.mppeKeysMatch, overRadius.report.mppeKeysMatch);
    }
    const rejected = await json(['auth', ...radius, '--method', 'md5', '--identity', user.identity, '--password', 'wrong']);
    assert.equal(rejected.code, 1);
    assert.deepEqual([rejected.report.success, rejected.report.result], [false, 'reject']);
    const failed = await json(['auth', '--method', 'md5', '--identity', user.identity, '--password', 'wrong', '--users', users]);
    assert.deepEqual([failed.code, failed.report.success, failed.report.result], [1, false, 'reject']);
  });

  it('load, ping and acct (and a silent server) speak the same shape', async () => {
    const load = await json(['load', ...radius, '--method', 'md5', '--identity', user.identity, '--password', user.password,
      '--count', '5', '--concurrency', '2']);
    assert.deepEqual([load.code, load.report.success, load.report.result, load.report.successes], [0, true, 'done', 5]);
    const ping = await json(['ping', ...radius]);
    assert.deepEqual([ping.code, ping.report.success, ping.report.result], [0, true, 'alive']);
    // RadiusServer does no accounting: a silent server is a timeout in the same shape.
    const acct = await json(['acct', 'start', ...radius, '--identity', user.identity, '--timeout', '300', '--tries', '1']);
    assert.deepEqual([acct.code, acct.report.success, acct.report.result], [3, false, 'timeout']);
    const silent = await json(['auth', '--radius', `127.0.0.1:${await freeUdpPort()}`, '--secret', SECRET, '--method', 'md5',
      '--identity', user.identity, '--password', user.password, '--timeout', '300', '--tries', '1']);
    assert.deepEqual([silent.code, silent.report.success, silent.report.result, silent.report.roundTrips], [3, false, 'timeout', null]);
  });
});
