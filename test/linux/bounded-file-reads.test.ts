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

  /**
   * Every other flag that names a file, each with its own bound (lib/core/file-read.ts
   * FILE_LIMITS): /dev/zero is refused at that bound with the process's peak memory flat (before:
   * 2.7 to 3.8 GB read in 6 s, and on). The peak is the child's own (its resourceUsage at exit).
   */
  describe('each file flag, given /dev/zero', () => {
    const small = join(dir.path, 'small.pem');
    const users = join(dir.path, 'users.json');
    writeFileSync(small, 'not yet read as PEM\n');
    writeFileSync(users, JSON.stringify({ alice: { password: 'alice pa55' } }));
    const preload = join(dir.path, 'peak.js');
    writeFileSync(preload, "process.on('exit', () => process.stderr.write(`\\npeak-rss-kb=${process.resourceUsage().maxRSS}\\n`));\n");
    const serve = ['serve', '--port', '0', '--secret', 'x'];
    const serveUsers = [...serve, '--users', users];
    const tls = [...serveUsers, '--methods', 'peap'];
    const flags: Array<[string, string[], number]> = [
      ['serve --users', [...serve, '--users', '/dev/zero'], 64 * 1024 * 1024],
      ['serve --policy', [...serveUsers, '--policy', '/dev/zero'], 1024 * 1024],
      ['serve --mab', [...serveUsers, '--mab', '/dev/zero'], 64 * 1024 * 1024],
      ['serve --clients', ['serve', '--port', '0', '--users', users, '--clients', '/dev/zero'], 1024 * 1024],
      ['serve --cert', [...tls, '--cert', '/dev/zero', '--key', small], 4 * 1024 * 1024],
      ['serve --key', [...tls, '--cert', small, '--key', '/dev/zero'], 1024 * 1024],
      ['serve --ca', [...tls, '--cert', small, '--key', small, '--ca', '/dev/zero'], 4 * 1024 * 1024],
      ['serve --crl', [...tls, '--cert', small, '--key', small, '--crl', '/dev/zero'], 64 * 1024 * 1024],
      ['serve --ocsp-response', [...tls, '--cert', small, '--key', small, '--ocsp-response', '/dev/zero'], 1024 * 1024],
      ['serve --radsec --radsec-ca', [...serveUsers, '--radsec', '--radsec-cert', small, '--radsec-key', small, '--radsec-ca', '/dev/zero'],
        4 * 1024 * 1024],
      ['load --users', ['load', '--radius', '127.0.0.1:9', '--secret', 'x', '--method', 'md5', '--users', '/dev/zero'], 64 * 1024 * 1024],
      ['auth --ca', ['auth', '--radius', '127.0.0.1:9', '--secret', 'x', '--method', 'peap', '--identity', 'alice', '--password', 'x',
        '--ca', '/dev/zero'], 4 * 1024 * 1024],
      ['audit --ca', ['audit', '--radius', '127.0.0.1:9', '--secret', 'x', '--method', 'peap', '--ca', '/dev/zero'], 4 * 1024 * 1024],
    ];
    for (const [what, args, bound] of flags) {
      it(`${what} /dev/zero: a usage error at ${bound} bytes, at once, its memory flat`, () => {
        const started = Date.now();
        const result = spawnSync(process.execPath, ['-r', preload, cliScript, ...args],
          { encoding: 'utf8', timeout: 15000, killSignal: 'SIGKILL' });
        const elapsed = Date.now() - started;
        const stderr = result.stderr ?? '';
        assert.equal(result.status, 2, `exit ${result.status} after ${elapsed} ms: ${stderr}`);
        assert.match(stderr, new RegExp(`/dev/zero: over ${bound} bytes`));
        assert.ok(elapsed < 10000, `${elapsed} ms`);
        const peak = Number(/peak-rss-kb=(\d+)/.exec(stderr)?.[1]);
        // The bound itself, node's own (~60 MB) and room: never the gigabytes a read without end takes.
        assert.ok(peak * 1024 < bound + 256 * 1024 * 1024, `peak RSS ${Math.round(peak / 1024)} MB`);
      });
    }
  });

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
