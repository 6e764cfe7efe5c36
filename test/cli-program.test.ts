/**
 * The CLI skeleton is owned once (lib/cli/main.ts): a command is one folder in lib/cli/commands/
 * (its declaration in command.ts, its body beside it, as cli/cli's pkg/cmd/NAME/), and help,
 * --version, the usage hint, argument errors and exit codes come from the program. A throwaway
 * command, written only as its own folder, gets all of them; no other file under lib/cli/ answers
 * --help or prints the hint; only the command that runs is loaded; and there is one layout.
 */
import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { main } from '../lib/cli/main';

const program = path.resolve(__dirname, '..', 'lib', 'cli', 'main.js');
const sources = path.resolve(__dirname, '..', '..', 'lib', 'cli');

/** The whole of a new command, as a contributor would write it: name, summary, flags, and its run. */
const GREET = `
const { UsageError } = require(${JSON.stringify(program)});
exports.command = {
  name: 'greet',
  summary: 'say hello to someone',
  order: 1,
  forms: [{
    usage: ['greet --name NAME [--shout]'],
    families: [{ title: 'Greeting', flags: [
      { name: 'name', type: 'string', value: 'NAME', help: 'who to greet' },
      { name: 'shout', type: 'boolean', help: 'in capitals' },
    ] }],
    run: async ({ values }, io) => {
      if (values.name === undefined) throw new UsageError('--name is required');
      if (values.name === 'nobody') throw new RangeError('nobody is not a name');
      const line = 'hello ' + values.name;
      io.out(values.shout ? line.toUpperCase() : line);
      return 0;
    },
  }],
};
`;

/** A command of two forms: waving a hand, or waving at someone (--at picks that form). */
const WAVE = `
const flag = (name, value, help, short) => ({ name, type: value ? 'string' : 'boolean', value, help, ...(short ? { short } : {}) });
exports.command = {
  name: 'wave',
  summary: 'wave',
  order: 2,
  forms: [
    { usage: ['wave --hand LEFT|RIGHT'], families: [{ title: 'Hand', flags: [flag('hand', 'LEFT|RIGHT', 'which hand')] }],
      run: async () => 0 },
    { usage: ['wave --at NAME [--twice]'], when: (argv) => argv.includes('--at'),
      families: [{ title: 'At', flags: [flag('at', 'NAME', 'at whom'), flag('twice', undefined, 'two waves', 't')] }],
      run: async () => 0 },
  ],
};
`;

/** The help a reader of GREET expects, written out by hand. */
const GREET_HELP = [
  'eaphost greet: say hello to someone',
  '',
  'usage:',
  '  eaphost greet --name NAME [--shout]',
  '',
  'Greeting:',
  '  --name NAME                    who to greet',
  '  --shout                        in capitals',
  '',
  'Help:',
  '  -h, --help                     print this help and exit 0',
].join('\n');

describe('the CLI skeleton: one program, a command is one folder', () => {
  let commands: string;
  before(() => {
    commands = fs.mkdtempSync(path.join(os.tmpdir(), 'eaphost-commands-'));
    fs.mkdirSync(path.join(commands, 'greet'));
    fs.writeFileSync(path.join(commands, 'greet', 'command.js'), GREET);
  });
  after(() => fs.rmSync(commands, { recursive: true, force: true }));

  async function run(argv: string[]): Promise<{ code: number; out: string[]; err: string[] }> {
    const out: string[] = [];
    const err: string[] = [];
    const code = await main(argv, (line) => out.push(line), (line) => err.push(line), { commands });
    return { code, out, err };
  }

  it('a throwaway command file is run, listed by `eaphost help`, and has its generated help', async () => {
    assert.deepEqual(await run(['greet', '--name', 'ada', '--shout']), { code: 0, out: ['HELLO ADA'], err: [] });
    const overall = await run(['help']);
    assert.equal(overall.code, 0);
    assert.match(overall.out[0], /\n {2}eaphost greet --name NAME \[--shout\]\n {2}eaphost help \[COMMAND\]\n/);
    assert.match(overall.out[0], /\neaphost greet flags:\n\n {2}Greeting:\n {4}--name NAME {20}who to greet\n/);
    for (const argv of [['greet', '--help'], ['greet', '-h'], ['help', 'greet'], ['greet', '--bogus', '-h']]) {
      assert.deepEqual(await run(argv), { code: 0, out: [GREET_HELP], err: [] }, argv.join(' '));
    }
  });

  it('bad usage of it: one line saying why, the one usage hint, exit 2; bad input: one line, exit 2', async () => {
    const bogus = await run(['greet', '--nmae', 'ada']);
    assert.equal(bogus.code, 2);
    assert.deepEqual(bogus.out, []);
    assert.equal(bogus.err.length, 2, bogus.err.join('\n'));
    assert.match(bogus.err[0], /^eaphost greet: Unknown option '--nmae'$/);
    assert.equal(bogus.err[1], '(eaphost greet --help for usage)');
    assert.deepEqual(await run(['greet']), { code: 2, out: [], err: ['eaphost greet: --name is required', '(eaphost greet --help for usage)'] });
    assert.deepEqual(await run(['greet', '--name', 'nobody']), { code: 2, out: [], err: ['eaphost greet: nobody is not a name'] });
    assert.deepEqual(await run(['grete']), { code: 2, out: [], err: ['eaphost: unknown command "grete"', '(eaphost --help for usage)'] });
    assert.deepEqual(await run(['help', 'grete']), { code: 2, out: [], err: ['eaphost: unknown command "grete"', '(eaphost --help for usage)'] });
  });

  it('a flag of another form of the command is refused naming that form; a flag of none, as before', async () => {
    const waving = fs.mkdtempSync(path.join(os.tmpdir(), 'eaphost-commands-'));
    fs.mkdirSync(path.join(waving, 'wave'));
    fs.writeFileSync(path.join(waving, 'wave', 'command.js'), WAVE);
    const wave = async (argv: string[]): Promise<{ code: number; out: string[]; err: string[] }> => {
      const out: string[] = [];
      const err: string[] = [];
      const code = await main(argv, (line) => out.push(line), (line) => err.push(line), { commands: waving });
      return { code, out, err };
    };
    const hint = '(eaphost wave --help for usage)';
    try {
      for (const [argv, line] of <Array<[string[], string]>>[
        [['wave', '--hand', 'left', '--twice'], "eaphost wave: Unknown option '--twice': it belongs to `eaphost wave --at NAME [--twice]`"],
        [['wave', '--hand', 'left', '-t'], "eaphost wave: Unknown option '-t': it belongs to `eaphost wave --at NAME [--twice]`"],
        [['wave', '--at', 'ada', '--hand', 'left'], "eaphost wave: Unknown option '--hand': it belongs to `eaphost wave --hand LEFT|RIGHT`"],
        [['wave', '--hand', 'left', '--at-once'], "eaphost wave: Unknown option '--at-once'"],
        [['wave', '--hand', 'left', '-z'], "eaphost wave: Unknown option '-z'"],
      ]) {
        assert.deepEqual(await wave(argv), { code: 2, out: [], err: [line, hint] }, argv.join(' '));
      }
      assert.deepEqual(await wave(['wave', '--at', 'ada', '-t']), { code: 0, out: [], err: [] });
    } finally {
      fs.rmSync(waving, { recursive: true, force: true });
    }
  });

  it('a name that is not a command file is no command (no path leaves the folder)', async () => {
    for (const word of ['../main', 'greet.js', 'GREET', '']) {
      const { code, err } = await run([word]);
      assert.equal(code, 2, word);
      assert.match(err[0], /^eaphost: unknown command/);
    }
  });

  it('only the command that runs is loaded: --version loads none, `ping --help` its declaration, not its body', () => {
    const loaded = (argv: string[]): string[] => {
      const script = `const m = require(${JSON.stringify(program)}); m.main(${JSON.stringify(argv)}, () => {}, () => {}).then(() => ` +
        `console.log(JSON.stringify(Object.keys(require.cache).filter((f) => f.includes(${JSON.stringify(path.sep + 'cli' + path.sep)}))` +
        `.map((f) => f.slice(f.indexOf(${JSON.stringify(path.sep + 'cli' + path.sep)}) + 5)))))`;
      const result = spawnSync(process.execPath, ['-e', script], { encoding: 'utf8', timeout: 30_000 });
      assert.equal(result.status, 0, result.stderr);
      return JSON.parse(result.stdout) as string[];
    };
    assert.deepEqual(loaded(['--version']), ['main.js']);
    const ping = loaded(['ping', '--help']);
    const declaration = path.join('commands', 'ping', 'command.js');
    assert.ok(ping.includes(declaration), ping.join(' '));
    assert.ok(!ping.some((file) => file.startsWith('commands') && file !== declaration), ping.join(' '));
  });

  // What the skeleton alone may say: the usage hint, and a test for --help / -h among the arguments.
  const violation = /for usage\)|['"`](--help|-h)['"`]/;

  it('the rule below catches what the nine commands used to do', () => {
    assert.match("err('(eaphost ping --help for usage)');", violation);
    assert.match("if (argv.some((arg) => arg === '--help' || arg === '-h')) {", violation);
    assert.doesNotMatch("help: 'print this help and exit 0'", violation);
  });

  it('no file under lib/cli/ but the program answers --help or prints the usage hint', () => {
    const offenders: string[] = [];
    const visit = (dir: string): void => {
      for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
        const file = path.join(dir, entry.name);
        if (entry.isDirectory()) visit(file);
        else if (entry.name.endsWith('.ts') && file !== path.join(sources, 'main.ts')) {
          fs.readFileSync(file, 'utf8').split('\n').forEach((line, i) => {
            if (violation.test(line)) offenders.push(`${path.relative(sources, file)}:${i + 1}: ${line.trim()}`);
          });
        }
      }
    };
    visit(sources);
    assert.ok(fs.existsSync(path.join(sources, 'commands', 'auth', 'command.ts')), 'the sources are where this test looks');
    assert.deepEqual(offenders, []);
  });

  it('has one layout: every command a folder of lib/cli/commands/ with its command.ts, nothing else there or beside main.ts', () => {
    const entries = fs.readdirSync(path.join(sources, 'commands'), { withFileTypes: true });
    assert.ok(entries.length >= 14, `${entries.length} commands`);
    assert.deepEqual(entries.filter((entry) => !entry.isDirectory()).map((entry) => entry.name), [], 'files beside the command folders');
    for (const entry of entries) {
      assert.ok(fs.existsSync(path.join(sources, 'commands', entry.name, 'command.ts')), `commands/${entry.name}/ has no command.ts`);
    }
    // Beside main.ts only shared modules (flag families, secrets, the report), no command's folder.
    const folders = fs.readdirSync(sources, { withFileTypes: true }).filter((entry) => entry.isDirectory()).map((entry) => entry.name);
    assert.deepEqual(folders, ['commands']);
  });
});
