/**
 * `--help` everywhere, generated from the flag declarations: every command answers --help and -h
 * with its full usage and exit 0, every flag a command accepts is in its help (docs/cli.md, the
 * reference, is generated from the same declarations: test/cli-reference.test.ts).
 */
import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import * as path from 'node:path';
import * as fs from 'node:fs';
import { commandFlags, listCommands, main } from '../lib/cli/main';

const cli = path.resolve(__dirname, '..', 'lib', 'cli', 'main.js');

async function run(argv: string[]): Promise<{ code: number; out: string; err: string }> {
  const out: string[] = [];
  const err: string[] = [];
  const code = await main(argv, (line) => out.push(line), (line) => err.push(line));
  return { code, out: out.join('\n'), err: err.join('\n') };
}

describe('eaphost --help', () => {
  for (const command of listCommands()) {
    const name = command.name;
    it(`eaphost ${name} --help / -h / eaphost help ${name}: its usage and every flag it takes, exit 0`, async () => {
      const forms = [[name, '--help'], [name, '-h'], ['help', name]];
      // Help wins over flags that would otherwise be refused.
      if (name !== 'help') forms.push([name, '--no-such-flag', '--help']);
      for (const argv of forms) {
        const { code, out, err } = await run(argv);
        assert.equal(code, 0, `${argv.join(' ')}: ${err}`);
        assert.equal(err, '');
        assert.match(out, new RegExp(`^eaphost ${name}: `));
        assert.match(out, new RegExp(`\\n  eaphost ${name}\\b`), 'a usage line');
        for (const form of command.forms) {
          for (const flag of commandFlags(form)) assert.ok(out.includes(`--${flag.name}`), `${argv.join(' ')} lacks --${flag.name}`);
        }
      }
    });
  }

  it('a real process: `eaphost serve --help` and `eaphost auth -h` exit 0 (they were "unknown option")', () => {
    for (const argv of [['serve', '--help'], ['auth', '-h'], ['help'], ['--help']]) {
      const result = spawnSync(process.execPath, [cli, ...argv], { encoding: 'utf8', timeout: 30_000 });
      assert.equal(result.status, 0, `${argv.join(' ')}: ${result.stderr}`);
      assert.match(result.stdout, /usage:/);
    }
  });

  it('a real process: `eaphost --version` and `-V` print package.json\'s version, exit 0 (it was "unknown command")', () => {
    const { version } = JSON.parse(fs.readFileSync(path.join(__dirname, '..', '..', 'package.json'), 'utf8'));
    assert.match(version, /^\d+\.\d+\.\d+/);
    for (const flag of ['--version', '-V']) {
      const result = spawnSync(process.execPath, [cli, flag], { encoding: 'utf8', timeout: 30_000 });
      assert.equal(result.status, 0, `${flag}: ${result.stderr}`);
      assert.equal(result.stdout, `${version}\n`);
    }
  });

  it('`eaphost --password -h` style: a value that looks like -h is the flag\'s value, not a request for help', async () => {
    const { code, out, err } = await run(['ping', '--secret', '-h']);
    assert.equal(code, 2, out);
    assert.doesNotMatch(out, /usage:/);
    // After the warning a literal secret earns.
    assert.match(err, /\neaphost ping: --radius is required\n\(eaphost ping --help for usage\)$/);
  });

  it('every flag each command parses is declared, and flags it does not declare are usage errors', async () => {
    for (const name of ['serve', 'load', 'ping', 'acct']) {
      const { code, err } = await run([name, '--inner-methodd', 'x']);
      assert.equal(code, 2, name);
      assert.match(err, /inner-methodd/);
    }
  });
});
