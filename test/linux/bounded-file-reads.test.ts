import { strict as assert } from 'node:assert';
import { spawn, spawnSync } from 'node:child_process';
import { createWriteStream, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { createEphemeralCa } from '../../lib/core/ephemeral-ca';
import { writeEapConfig } from '../../lib/profile';
import { makeTempDir } from '../support/programs';

const cliScript = resolve(__dirname, '..', '..', 'lib', 'cli', 'main.js');

/** `eaphost args…` in a child, stopped after `ms`: a read without end shows as a stop, not a hang. */
function eaphost(args: string[], ms = 15000): { status: number | null; stderr: string; elapsed: number } {
  const started = Date.now();
  const result = spawnSync(process.execPath, [cliScript, ...args], { encoding: 'utf8', timeout: ms, killSignal: 'SIGKILL' });
  return { status: result.status, stderr: result.stderr ?? '', elapsed: Date.now() - started };
}

/**
 * A file named on the command line whose size is bounded is read no further than the bound, also
 * when it is no regular file: a device reports size 0 to stat() and then streams without end
 * (before: /dev/zero as a profile held 9.5 GB after 60 s). A FIFO still reads, to its end.
 */
describe('bounded reads of the files the CLI is given', function () {
  this.timeout(120000);
  const dir = makeTempDir('bounded-reads');
  after(() => dir.remove());

  const devices: Array<[string, string[], RegExp]> = [
    ['profile --from /dev/zero', ['profile', '--from', '/dev/zero', '--to', 'json'], /--from \/dev\/zero: over 4194304 bytes/],
    ['auth --profile /dev/zero', ['auth', '--profile', '/dev/zero', '--radius', '127.0.0.1:9'], /--profile \/dev\/zero: over 4194304 bytes/],
    ['connect --profile /dev/zero', ['connect', '--profile', '/dev/zero'], /--profile \/dev\/zero: over 4194304 bytes/],
    ['auth --config-xml /dev/urandom', ['auth', '--config-xml', '/dev/urandom'], /--config-xml \/dev\/urandom: more than \d+ bytes is over the \d+-byte limit/],
    ['auth --password-file /dev/zero', ['auth', '--method', 'md5', '--identity', 'alice', '--password-file', '/dev/zero'],
      /--password-file \/dev\/zero: more than 65536 bytes is not a secret file/],
  ];
  for (const [what, args, message] of devices) {
    it(`${what} (a device) is refused at its bound, at once`, () => {
      const run = eaphost(args);
      assert.equal(run.status, 2, `exit ${run.status} after ${run.elapsed} ms: ${run.stderr}`);
      assert.match(run.stderr, message);
      assert.ok(run.elapsed < 10000, `${run.elapsed} ms`);
    });
  }

  it('a profile through a FIFO is read to its end, as from a file', async () => {
    const fifo = join(dir.path, 'profile.fifo');
    const made = spawnSync('mkfifo', [fifo]);
    assert.equal(made.status, 0, String(made.stderr));
    const text = writeEapConfig({
      version: 1, name: 'Fifo', networks: [{ type: 'wifi', ssid: 'through-a-fifo' }],
      eap: [{ method: 'peap', ca: [createEphemeralCa('radius.example.invalid').ca], serverNames: ['radius.example.invalid'] }], credentials: { identity: 'user@example.invalid' },
    }).text;
    const child = spawn(process.execPath, [cliScript, 'profile', '--from', fifo, '--to', 'json'], { stdio: ['ignore', 'pipe', 'pipe'] });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on('data', (chunk: Buffer) => out.push(chunk));
    child.stderr.on('data', (chunk: Buffer) => err.push(chunk));
    const writer = createWriteStream(fifo);
    writer.end(text);
    const code = await new Promise<number | null>((done) => child.on('close', done));
    assert.equal(code, 0, Buffer.concat(err).toString());
    assert.match(Buffer.concat(out).toString(), /"ssid": "through-a-fifo"/);
  });

  it('a regular file over the bound is refused by its size, before it is read', () => {
    const big = join(dir.path, 'big.eap-config');
    writeFileSync(big, Buffer.alloc(4 * 1024 * 1024 + 1, 0x20));
    const run = eaphost(['profile', '--from', big, '--to', 'json']);
    assert.equal(run.status, 2, run.stderr);
    assert.match(run.stderr, /over 4194304 bytes/);
  });
});
