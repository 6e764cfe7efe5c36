/**
 * One JSON shape: real `--json` outputs of `auth` (embedded and RADIUS), `load`, `ping`, `acct`,
 * `disconnect` and `coa` (against hostapd's Dynamic Authorization Server), validated against the schema shipped in the package (schema/cli-output.schema.json),
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
import { DasHostapd, startDasHostapd } from './support/hostapd-das';
import { freeUdpPort } from './support/programs';

type Schema = Record<string, unknown>;

/** The JSON Schema keywords the shipped schema uses (draft 2020-12 subset); returns the violations. */
function validate(value: unknown, schema: Schema, where = '$'): string[] {
  const errors: string[] = [];
  const typeOf = (v: unknown): string => (v === null ? 'null' : Array.isArray(v) ? 'array' : typeof v);
  if (schema.type !== undefined) {
    const types = ([] as string[]).concat(schema.type as string | string[]);
    const ok = types.some((type) => type === typeOf(value) || (type === 'integer' && Number.isInteger(value)));
    if (!ok) errors.push(`${where}: ${JSON.stringify(value)} is not ${types.join('|')}`);
  }
  if (schema.enum !== undefined && !(schema.enum as unknown[]).includes(value)) errors.push(`${where}: ${JSON.stringify(value)} not in enum`);
  if ('const' in schema && schema.const !== value) errors.push(`${where}: ${JSON.stringify(value)} is not ${JSON.stringify(schema.const)}`);
  if (typeof value === 'number') {
    if (typeof schema.minimum === 'number' && value < schema.minimum) errors.push(`${where}: below ${schema.minimum}`);
    if (typeof schema.maximum === 'number' && value > schema.maximum) errors.push(`${where}: above ${schema.maximum}`);
  }
  if (typeof value === 'string' && typeof schema.pattern === 'string' && !new RegExp(schema.pattern).test(value)) {
    errors.push(`${where}: "${value}" does not match ${schema.pattern}`);
  }
  if (typeOf(value) === 'object') {
    const object = value as Record<string, unknown>;
    for (const name of (schema.required as string[] | undefined) ?? []) if (!(name in object)) errors.push(`${where}: no ${name}`);
    for (const [name, sub] of Object.entries((schema.properties as Record<string, Schema> | undefined) ?? {})) {
      if (name in object) errors.push(...validate(object[name], sub, `${where}.${name}`));
    }
  }
  if (Array.isArray(value) && schema.items) value.forEach((item, i) => errors.push(...validate(item, schema.items as Schema, `${where}[${i}]`)));
  for (const sub of (schema.allOf as Schema[] | undefined) ?? []) {
    if (sub.if !== undefined) {
      const branch = validate(value, sub.if as Schema, where).length === 0 ? sub.then : sub.else;
      if (branch) errors.push(...validate(value, branch as Schema, where));
    } else {
      errors.push(...validate(value, sub, where));
    }
  }
  return errors;
}

const schema = JSON.parse(fs.readFileSync(path.resolve(__dirname, '..', '..', 'schema', 'cli-output.schema.json'), 'utf8')) as Schema;
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

describe('one JSON shape for auth, load, ping, acct, disconnect and coa (schema/cli-output.schema.json)', function () {
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
  let das: DasHostapd;

  before(async () => {
    das = await startDasHostapd({ secret: SECRET });
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
    await das?.daemon.stop();
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

  it('disconnect and coa: a NAK with its Error-Cause, and silence, in the same shape', async () => {
    const nas = ['--nas', `127.0.0.1:${das.port}`, '--secret', SECRET];
    const nak = await json(['disconnect', ...nas, '--identity', user.identity]);
    assert.deepEqual([nak.code, nak.report.success, nak.report.result, nak.report.code, nak.report.roundTrips],
      [1, false, 'nak', 'Disconnect-NAK', 1]);
    assert.deepEqual(nak.report.errorCause, { value: 503, name: 'Session Context Not Found' });
    const coa = await json(['coa', ...nas, '--identity', user.identity, '--filter-id', 'guests']);
    assert.deepEqual([coa.code, coa.report.result, coa.report.errorCauses], [1, 'nak', [{ value: 401, name: 'Unsupported Attribute' }]]);
    const silent = await json(['disconnect', '--nas', `127.0.0.1:${await freeUdpPort()}`, '--secret', SECRET, '--identity', user.identity,
      '--timeout', '300', '--tries', '1']);
    assert.deepEqual([silent.code, silent.report.result, silent.report.roundTrips], [3, 'timeout', null]);
    assert.notDeepEqual(validate({ ...nak.report, errorCause: 503 }, schema), [], 'an Error-Cause is its number and name');
    assert.notDeepEqual(validate({ ...nak.report, success: true }, schema), [], 'success is an ACK');
  });
});
