/**
 * Input files and names that used to be taken wrongly: profile XML in invalid UTF-8 (was turned
 * into U+FFFD silently), in UTF-16 with a byte-order mark (was "must not contain NUL"), a huge
 * file (was read whole before the size check), and a wildcard serverName (passed the option
 * check, then never matched).
 */
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { openEapHost } from '../../lib';
import { main } from '../../lib/cli/main';
import { processEphemeralCa } from '../../lib/core/ephemeral-ca';
import { randomCredentials } from '../helpers';
import { CliRun, runCli, secretFlag } from '../support/cli-run';

const run = (argv: string[]): Promise<CliRun> => runCli(main, argv);

describe('eaphost auth --config-xml: what the files hold, and serverName', function () {
  this.timeout(60_000);
  const user = randomCredentials();
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'eaphost-xml-'));
  const users = path.join(dir, 'users.json');
  const config = path.join(dir, 'config.xml');
  const credentials = path.join(dir, 'credentials.xml');
  fs.writeFileSync(users, JSON.stringify({ [user.identity]: { password: user.password } }));
  const auth = (configFile: string): string[] => ['auth', '--config-xml', configFile, '--credentials-xml', credentials, '--users', users];

  before(async () => {
    const made = await run(['config', '--method', 'md5', '--shipped', '--print-xml']);
    assert.equal(made.code, 0, made.err.join('\n'));
    fs.writeFileSync(config, made.out.join('\n'));
    const secret = await run(['config', '--method', 'md5', '--shipped', '--print-xml', '--credentials', '--identity', user.identity,
      ...secretFlag('password', user.password)]);
    fs.writeFileSync(credentials, secret.out.join('\n'));
  });
  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('the UTF-8 profile authenticates (the control case)', async () => {
    const { code, err } = await run(auth(config));
    assert.equal(code, 0, err.join('\n'));
  });

  it('invalid UTF-8 is bad input (exit 2) saying so, not a silent U+FFFD', async () => {
    const broken = path.join(dir, 'broken.xml');
    const text = fs.readFileSync(config, 'utf8');
    const at = text.indexOf('?>') + 2;
    fs.writeFileSync(broken, Buffer.concat([Buffer.from(text.slice(0, at)), Buffer.from('<!-- caf\xe9 -->', 'latin1'),
      Buffer.from(text.slice(at))]));
    const { code, err } = await run(auth(broken));
    assert.equal(code, 2);
    assert.match(err[0], /--config-xml .*not valid UTF-8/);
  });

  it('UTF-16 with a byte-order mark (as Windows tools save it) is read, little- and big-endian', async () => {
    const text = fs.readFileSync(config, 'utf8').replace(/encoding="utf-8"/i, 'encoding="UTF-16"');
    const le = path.join(dir, 'utf16le.xml');
    fs.writeFileSync(le, Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, 'utf16le')]));
    const be = path.join(dir, 'utf16be.xml');
    const swapped = Buffer.from(text, 'utf16le').swap16();
    fs.writeFileSync(be, Buffer.concat([Buffer.from([0xfe, 0xff]), swapped]));
    for (const file of [le, be]) {
      const { code, err, out } = await run(auth(file));
      assert.equal(code, 0, `${path.basename(file)}: ${err.join('\n')} ${out.join('\n')}`);
    }
    const odd = path.join(dir, 'odd.xml');
    fs.writeFileSync(odd, Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, 'utf16le'), Buffer.from([0x41])]));
    const refused = await run(auth(odd));
    assert.equal(refused.code, 2);
    assert.match(refused.err[0], /not valid UTF-16/);
  });

  it('a 200 MiB file is refused by its size, naming the limit', async () => {
    const huge = path.join(dir, 'huge.xml');
    const fd = fs.openSync(huge, 'w');
    fs.writeSync(fd, '<?xml version="1.0"?>');
    fs.ftruncateSync(fd, 200 * 1024 * 1024);
    fs.closeSync(fd);
    const { code, err } = await run(auth(huge));
    assert.equal(code, 2);
    assert.match(err[0], /--config-xml .*209715200 bytes is over the \d+-byte limit/);
  });

  it('serverName "*.example.com" is refused when the options are checked, on the command line and in the API', async () => {
    const ca = path.join(dir, 'ca.pem');
    fs.writeFileSync(ca, processEphemeralCa().ca);
    const { code, err } = await run(['auth', '--method', 'peap', '--identity', user.identity, ...secretFlag('password', user.password),
      '--users', users, '--ca', ca, '--server-name', '*.example.com']);
    assert.equal(code, 2);
    assert.match(err[0], /wildcard/);
    const host = await openEapHost();
    try {
      await assert.rejects(host.beginSession({ method: 'peap', identity: user.identity, password: user.password,
        ca: processEphemeralCa().ca, serverName: '*.example.com' }), (error: Error) => error instanceof TypeError && /wildcard/.test(error.message));
      const session = await host.beginSession({ method: 'peap', identity: user.identity, password: user.password,
        ca: processEphemeralCa().ca, serverName: 'radius.example.com' });
      await session.endSession();
    } finally {
      await host.close();
    }
  });
});
