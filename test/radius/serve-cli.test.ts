/**
 * `eaphost serve` options that bound its resources: --max-conversations reaches the RADIUS server
 * (the eviction itself is proven on RadiusServer), and a bad value is bad usage.
 */
import { strict as assert } from 'node:assert';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { makeTempDir } from '../support/programs';
import { eaphostCommand } from '../support/cli-run';

const runRadiusAuth = eaphostCommand('auth');
const runServe = eaphostCommand('serve');

describe('eaphost serve --max-conversations', function () {
  this.timeout(30_000);

  async function serve(extra: string[], stopAfterListening: boolean): Promise<{ code: number; out: string[]; err: string[] }> {
    const dir = makeTempDir('serve-cli');
    const users = join(dir.path, 'users.json');
    writeFileSync(users, JSON.stringify({ alice: { password: 'pw' } }));
    const out: string[] = [];
    const err: string[] = [];
    const stop = new AbortController();
    try {
      const code = await runServe(['--port', '0', '--secret', 's3cret', '--users', users, '--methods', 'md5', ...extra],
        (line) => { out.push(line); if (stopAfterListening && line.startsWith('listening on ')) stop.abort(); },
        (line) => err.push(line), stop.signal);
      return { code, out, err };
    } finally {
      dir.remove();
    }
  }

  for (const flag of ['--max-conversations', '--max-tls-conversations']) {
    for (const bad of ['0', '-5', '2.5', 'many']) {
      it(`${flag} ${bad} is bad usage (exit 2), naming the flag`, async () => {
        const { code, err } = await serve([flag, bad], false);
        assert.equal(code, 2);
        assert.match(err.join('\n'), new RegExp(flag));
      });
    }
  }

  for (const bad of ['-1', '65', '1.5', 'all']) {
    it(`--step-threads ${bad} is bad usage (exit 2): a whole number from 0 to 64`, async () => {
      const { code, err } = await serve(['--step-threads', bad], false);
      assert.equal(code, 2);
      assert.match(err.join('\n'), new RegExp(`--step-threads must be a whole number from 0 to 64, not "${bad.replace('.', '\\.')}"`));
    });
  }

  it('the RADIUS server\'s flags with --interface are bad usage naming the form that takes them; the port\'s without it too', async () => {
    for (const [argv, flag, form] of [
      [['--interface', 'eth9', '--users', 'users.json', '--step-threads', '2'], '--step-threads', 'serve --port PORT'],
      [['--interface', 'eth9', '--users', 'users.json', '--max-conversations', '5'], '--max-conversations', 'serve --port PORT'],
      [['--port', '0', '--users', 'users.json', '--max-supplicants', '3'], '--max-supplicants', 'serve --interface IF'],
    ] as const) {
      const out: string[] = [];
      const err: string[] = [];
      const code = await runServe([...argv], (line) => out.push(line), (line) => err.push(line));
      assert.equal(code, 2, argv.join(' '));
      assert.deepEqual(out, []);
      assert.ok(err[0].startsWith(`eaphost serve: Unknown option '${flag}': it belongs to \`eaphost ${form} `), err[0]);
    }
  });

  it('--step-threads 0 and 64 are accepted and the server listens', async () => {
    for (const count of ['0', '64']) {
      const { code, out } = await serve(['--step-threads', count], true);
      assert.equal(code, 0);
      assert.match(out.join('\n'), /^listening on 127\.0\.0\.1:\d+/m);
    }
  });

  it('positive caps are accepted and the server listens', async () => {
    const { code, out } = await serve(['--max-conversations', '3', '--max-tls-conversations', '2'], true);
    assert.equal(code, 0);
    assert.match(out.join('\n'), /^listening on 127\.0\.0\.1:\d+/m);
  });
});

describe('eaphost serve --client / --clients / --log', function () {
  this.timeout(30_000);
  const user = { identity: 'carol', password: 'c4rol pw' };

  /** Runs serve until `during` is done with its port; returns serve's output. */
  async function withServe(flags: string[], during: (port: number) => Promise<void>): Promise<{ code: number; out: string[]; err: string[] }> {
    const dir = makeTempDir('serve-clients');
    const users = join(dir.path, 'users.json');
    writeFileSync(users, JSON.stringify({ [user.identity]: { password: user.password } }));
    const out: string[] = [];
    const err: string[] = [];
    const stop = new AbortController();
    let failure: unknown;
    try {
      const code = await runServe(['--port', '0', '--users', users, '--methods', 'md5,mschapv2', ...flags.map((flag) =>
        flag.replace('USERS_DIR', dir.path))], (line) => {
        out.push(line);
        const listening = /^listening on 127\.0\.0\.1:(\d+)/.exec(line);
        if (listening) during(Number(listening[1])).catch((error) => { failure = error; }).finally(() => stop.abort());
      }, (line) => err.push(line), stop.signal);
      if (failure) throw failure;
      return { code, out, err };
    } finally {
      dir.remove();
    }
  }

  async function auth(port: number, secret: string, method = 'md5', password = user.password): Promise<number> {
    return runRadiusAuth(['--radius', `127.0.0.1:${port}`, '--secret', secret, '--method', method, '--identity', user.identity,
      '--password', password, '--timeout', '400', '--tries', '1'], () => undefined, () => undefined);
  }

  it('each client network has its own secret; the first that contains the address decides', async () => {
    const { code } = await withServe(['--client', '10.0.0.0/8=ten-secret', '--client', '127.0.0.0/8=loopback-secret',
      '--client', '127.0.0.1=never-reached'], async (port) => {
      assert.equal(await auth(port, 'loopback-secret'), 0, '127.0.0.1 is in 127.0.0.0/8');
      assert.equal(await auth(port, 'ten-secret'), 3, 'another network\'s secret does not verify');
      assert.equal(await auth(port, 'never-reached'), 3, 'the first match decides');
    });
    assert.equal(code, 0);
  });

  it('--clients FILE as clients.conf lists them; an address outside every network is dropped unanswered', async () => {
    const { code } = await withServe(['--clients', 'USERS_DIR/clients'], async () => undefined).catch(() => ({ code: -1 }));
    assert.equal(code, 2, 'a missing file is bad usage');
    const dir = makeTempDir('clients-file');
    try {
      writeFileSync(join(dir.path, 'clients'), '# NAS list\n192.0.2.0/24 elsewhere\n\n127.0.0.1   file secret with spaces\n');
      const listed = await withServe(['--clients', join(dir.path, 'clients')], async (port) => {
        assert.equal(await auth(port, 'file secret with spaces'), 0);
      });
      assert.equal(listed.code, 0);
      writeFileSync(join(dir.path, 'others'), '192.0.2.0/24 elsewhere\n::1 v6\n');
      const stranger = await withServe(['--clients', join(dir.path, 'others')], async (port) => {
        assert.equal(await auth(port, 'elsewhere'), 3, '127.0.0.1 is in no listed network');
      });
      assert.equal(stranger.code, 0);
    } finally {
      dir.remove();
    }
  });

  for (const [flags, reason] of [[['--client', '127.0.0.1'], /ADDRESS\[\/PREFIX\]=SECRET/], [['--client', '300.0.0.0/8=x'], /not an address/],
    [['--client', '127.0.0.0/33=x'], /^eaphost serve: --client "127\.0\.0\.0\/33" has no valid prefix length$/m],
    [['--client', '0.0.0.0/0=x'], /^eaphost serve: --client "0\.0\.0\.0\/0" admits every IPv4 address; write "\*" if every address is meant$/m],
    [['--client', '127.0.0.1=x', '--secret', 'y'], /leave out --secret/]] as const) {
    it(`${flags.join(' ')} is bad usage`, async () => {
      const { code, err } = await withServe([...flags], async () => undefined);
      assert.equal(code, 2);
      assert.match(err.join('\n'), reason);
    });
  }

  it('--log: one line per finished conversation with client, identity, method, outcome, round trips, time, resumed', async () => {
    const { code, out } = await withServe(['--secret', 'log-secret', '--log'], async (port) => {
      assert.equal(await auth(port, 'log-secret', 'md5'), 0);
      assert.equal(await auth(port, 'log-secret', 'mschapv2', 'wrong'), 1);
    });
    assert.equal(code, 0);
    const lines = out.filter((line) => / client=/.test(line));
    assert.equal(lines.length, 2, out.join('\n'));
    assert.match(lines[0], /^\S+Z client=127\.0\.0\.1 identity="carol" method=md5 outcome=accept round-trips=2 time=\d+ms resumed=n\/a$/);
    // The peer Naks MD5 (offered first) for MSCHAPv2: 4 round trips to the Access-Reject.
    assert.match(lines[1], /client=127\.0\.0\.1 identity="carol" method=mschapv2 outcome=reject round-trips=\d+ /);
    assert.ok(!out.join('\n').includes(user.password) && !out.join('\n').includes('log-secret'));
  });
});
