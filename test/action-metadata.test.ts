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
import { ACTION_INPUTS, ACTION_OUTPUTS, runnerPlan, serviceArguments } from '../lib/action/run';

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

  // GitHub's runners have had no node20 since 2026-09-16: an action on it fails before it starts.
  it('runs the committed entry in node24, which loads the compiled lib/action/run.ts', () => {
    assert.equal(metadata.runs.get('using')?.value, 'node24');
    assert.equal(main(), 'action/index.js');
    assert.match(readFileSync(join(root, main()), 'utf8'), /'dist', 'lib', 'action', 'run\.js'/);
  });

  it('has a post step, run whatever the main step did, that calls runPost (the unregistration)', () => {
    assert.equal(metadata.runs.get('post')?.value, 'action/post.js');
    // The runner's default for post-if is always(): a condition here could leave the registration behind.
    assert.equal(metadata.runs.get('post-if'), undefined);
    assert.match(readFileSync(join(root, 'action', 'post.js'), 'utf8'), /require\(run\)\.runPost\(\)/);
  });

  describe('what it does around the authentication (runnerPlan)', () => {
    it('keeps a running Wired AutoConfig running unless stop-wired-autoconfig: true (register and unregister)', () => {
      assert.deepEqual(serviceArguments({}), ['--restart-service', '--keep-running', 'dot3svc']);
      assert.deepEqual(serviceArguments({ 'INPUT_STOP-WIRED-AUTOCONFIG': 'false' }), ['--restart-service', '--keep-running', 'dot3svc']);
      assert.deepEqual(serviceArguments({ 'INPUT_STOP-WIRED-AUTOCONFIG': 'true' }), ['--restart-service']);
      assert.throws(() => serviceArguments({ 'INPUT_STOP-WIRED-AUTOCONFIG': 'yes' }), /true or false/);
    });


    const runner = { GITHUB_ACTIONS: 'true' };
    it('on a Windows runner: registers the shipped module where the run may load it, and trusts the CA in LocalMachine\\Root for TLS methods', () => {
      for (const method of ['tls', 'teap']) {
        assert.deepEqual(runnerPlan({ ...runner, INPUT_METHOD: method }, 'win32'), { register: true, trustEphemeralCa: 'LocalMachine' }, method);
      }
      // Windows' own PEAP and EAP-TTLS serve these: nothing registered.
      for (const method of ['', 'peap', 'ttls']) {
        assert.deepEqual(runnerPlan({ ...runner, INPUT_METHOD: method }, 'win32'), { register: false, trustEphemeralCa: 'LocalMachine' }, method);
        assert.equal(runnerPlan({ ...runner, INPUT_METHOD: method, 'INPUT_INNER-METHOD': 'gtc' }, 'win32').register, true, method);
      }
      for (const method of ['mschapv2', 'gtc', 'md5']) {
        assert.deepEqual(runnerPlan({ ...runner, INPUT_METHOD: method }, 'win32'), { register: true, trustEphemeralCa: undefined }, method);
      }
    });
    it('trusts nothing where the peer is told its CA or the server is not the embedded one, or with trust-ephemeral-ca: none', () => {
      for (const extra of [{ INPUT_CA: 'ca.pem' }, { INPUT_SERVER: '127.0.0.1:1812' }, { INPUT_PROFILE: 'p.xml' },
        { 'INPUT_TRUST-EPHEMERAL-CA': 'none' }]) {
        assert.deepEqual(runnerPlan({ ...runner, INPUT_METHOD: 'peap', ...extra }, 'win32'),
          { register: 'INPUT_PROFILE' in extra, trustEphemeralCa: undefined });
      }
      assert.deepEqual(runnerPlan({ ...runner, 'INPUT_TRUST-EPHEMERAL-CA': 'CurrentUser' }, 'win32').trustEphemeralCa, 'CurrentUser');
      assert.throws(() => runnerPlan({ ...runner, 'INPUT_TRUST-EPHEMERAL-CA': 'yes' }, 'win32'), /LocalMachine, CurrentUser or none/);
    });
    it('registers and trusts nothing off a runner, off Windows, or with the portable backend', () => {
      const nothing = { register: false, trustEphemeralCa: undefined };
      assert.deepEqual(runnerPlan({ INPUT_METHOD: 'peap' }, 'win32'), nothing);
      assert.deepEqual(runnerPlan({ ...runner, INPUT_METHOD: 'peap' }, 'linux'), nothing);
      assert.deepEqual(runnerPlan({ ...runner, INPUT_METHOD: 'peap', INPUT_BACKEND: 'portable' }, 'win32'), nothing);
    });
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

  it('on windows-latest with peap, tls and mschapv2, and nothing registered or trusted by hand around it', () => {
    const text = readFileSync(join(root, '.github', 'workflows', 'github-action.yml'), 'utf8').split('\n')
      .filter((line) => !/^\s*#/.test(line)).join('\n');
    for (const method of ['peap', 'tls', 'mschapv2']) {
      assert.match(text, new RegExp(`\\{ os: windows-latest, method: ${method} \\}`), `windows-latest ${method}`);
    }
    // The action's own main and post steps do it: a workflow step doing it would hide the action not doing it.
    assert.doesNotMatch(text, /register-method\.js|eaphost register|eaphost unregister|Import-Certificate|certutil/);
  });

  it('lint-workflows.js reports bad metadata and a with: input action.yml does not declare', function () {
    this.timeout(120_000);
    const dir = mkdtempSync(join(tmpdir(), 'eaphost-action-lint-'));
    try {
      const action = join(dir, 'action.yml');
      writeFileSync(action, ['name: x', 'description: y', 'colour: red', 'inputs:', '  method:', '    required: false',
        'outputs:', '  success:', '    description: z', 'runs:', '  using: node20', '  main: missing.js', '  post: gone.js', ''].join('\n'));
      const bad = spawnSync(process.execPath, [lint, action], { cwd: root, encoding: 'utf8', timeout: 110_000 });
      assert.equal(bad.status, 1, bad.stdout + bad.stderr);
      assert.match(bad.stdout, /action\.yml:3:1: unexpected key "colour"/);
      assert.match(bad.stdout, /action\.yml:5:1: inputs\.method has no description/);
      assert.match(bad.stdout, /runs\.using "node20": GitHub's runners no longer have it/);
      assert.match(bad.stdout, /action\.yml:13:1: runs entry "gone\.js" does not exist/);
      const workflow = join(dir, 'uses-local.yml');
      writeFileSync(workflow, ['name: w', 'on: push', 'jobs:', '  a:', '    runs-on: ubuntu-latest', '    steps:',
        '      - uses: actions/checkout@v5', '      - uses: ./', '        with:', '          method: peap', '          pasword: x', ''].join('\n'));
      const typo = spawnSync(process.execPath, [lint, workflow], { cwd: root, encoding: 'utf8', timeout: 110_000 });
      assert.equal(typo.status, 1, typo.stdout + typo.stderr);
      assert.match(typo.stdout, /uses-local\.yml:11:11: input "pasword" is not defined in action\.yml/);
      assert.doesNotMatch(typo.stdout, /"method" is not defined/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
