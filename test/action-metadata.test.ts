/**
 * action.yml and the action's entry agree: every input lib/action/run.ts reads and every output it
 * sets is declared in action.yml, and nothing is declared that it ignores; runs.main is the
 * committed entry; the repository's workflow passes the local action (uses: ./) only inputs it
 * declares. scripts/ci/lint-workflows.js is first shown to catch what actionlint cannot
 * (it reads action.yml only as a workflow).
 */
import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ACTION_INPUTS, ACTION_OUTPUTS } from '../lib/action/run';

const root = join(__dirname, '..', '..');
const lint = join(root, 'scripts', 'ci', 'lint-workflows.js');
// eslint-disable-next-line @typescript-eslint/no-var-requires
const { readActionMetadata } = require(lint) as {
  readActionMetadata(text: string): { top: Map<string, { value: string }>; inputs: Map<string, unknown>; outputs: Map<string, unknown>;
    runs: Map<string, { value: string }> };
};

describe('action.yml and its entry', () => {
  const metadata = readActionMetadata(readFileSync(join(root, 'action.yml'), 'utf8'));
  const main = () => metadata.runs.get('main')?.value ?? '';

  it('declares exactly the inputs the entry reads and the outputs it sets', () => {
    assert.deepEqual([...metadata.inputs.keys()].sort(), [...ACTION_INPUTS].sort());
    assert.deepEqual([...metadata.outputs.keys()].sort(), [...ACTION_OUTPUTS].sort());
  });

  it('runs the committed entry in node20, which loads the compiled lib/action/run.ts', () => {
    assert.equal(metadata.runs.get('using')?.value, 'node20');
    assert.equal(main(), 'action/index.js');
    assert.match(readFileSync(join(root, main()), 'utf8'), /'dist', 'lib', 'action', 'run\.js'/);
  });

  it('the committed entry runs the action as the runner starts it (node action/index.js), its exit code failing the step', () => {
    const dir = mkdtempSync(join(tmpdir(), 'eaphost-action-entry-'));
    try {
      writeFileSync(join(dir, 'users.json'), JSON.stringify({ alice: { password: 'pw' } }));
      const entry = (password: string) => {
        writeFileSync(join(dir, 'output'), '');
        return spawnSync(process.execPath, [join(root, main())], {
          cwd: dir, encoding: 'utf8', timeout: 60_000,
          env: { ...process.env, INPUT_METHOD: 'md5', INPUT_IDENTITY: 'alice', INPUT_PASSWORD: password, INPUT_USERS: 'users.json',
            GITHUB_OUTPUT: join(dir, 'output'), GITHUB_STEP_SUMMARY: join(dir, 'summary'), RUNNER_TEMP: dir },
        });
      };
      const accepted = entry('pw');
      assert.equal(accepted.status, 0, accepted.stdout + accepted.stderr);
      assert.match(readFileSync(join(dir, 'output'), 'utf8'), /^success<<(\S+)\ntrue\n\1$/m);
      const rejected = entry('not pw');
      assert.equal(rejected.status, 1, rejected.stdout + rejected.stderr);
      assert.match(rejected.stdout, /^::error title=eaphost::EAP-Failure/m);
      assert.match(readFileSync(join(dir, 'output'), 'utf8'), /^success<<(\S+)\nfalse\n\1$/m);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('the repository runs it with uses: ./ on windows-latest and ubuntu-latest, the password from a secret-like env', () => {
    const workflows = readdirSync(join(root, '.github', 'workflows')).map((f) => readFileSync(join(root, '.github', 'workflows', f), 'utf8'));
    const using = workflows.filter((text) => /uses: \.\/\s*$/m.test(text));
    assert.equal(using.length, 1, 'one workflow uses the local action');
    assert.match(using[0], /windows-latest/);
    assert.match(using[0], /ubuntu-latest/);
    assert.match(using[0], /password: \$\{\{ env\.\w+ \}\}/);
  });

  it('lint-workflows.js reports bad metadata and a with: input action.yml does not declare', function () {
    this.timeout(120_000);
    const dir = mkdtempSync(join(tmpdir(), 'eaphost-action-lint-'));
    try {
      const action = join(dir, 'action.yml');
      writeFileSync(action, ['name: x', 'description: y', 'colour: red', 'inputs:', '  method:', '    required: false',
        'outputs:', '  success:', '    description: z', 'runs:', '  using: node12', '  main: missing.js', ''].join('\n'));
      const bad = spawnSync(process.execPath, [lint, action], { cwd: root, encoding: 'utf8', timeout: 110_000 });
      assert.equal(bad.status, 1, bad.stdout + bad.stderr);
      assert.match(bad.stdout, /action\.yml:3:1: unexpected key "colour"/);
      assert.match(bad.stdout, /action\.yml:5:1: inputs\.method has no description/);
      assert.match(bad.stdout, /runs\.using "node12" is none of/);
      const workflow = join(dir, 'uses-local.yml');
      writeFileSync(workflow, ['name: w', 'on: push', 'jobs:', '  a:', '    runs-on: ubuntu-latest', '    steps:',
        '      - uses: actions/checkout@v4', '      - uses: ./', '        with:', '          method: peap', '          pasword: x', ''].join('\n'));
      const typo = spawnSync(process.execPath, [lint, workflow], { cwd: root, encoding: 'utf8', timeout: 110_000 });
      assert.equal(typo.status, 1, typo.stdout + typo.stderr);
      assert.match(typo.stdout, /uses-local\.yml:11:11: input "pasword" is not defined in action\.yml/);
      assert.doesNotMatch(typo.stdout, /"method" is not defined/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
