/**
 * Every script a Windows runner runs (scripts/ci/windows-steps.js reads them from the workflows'
 * YAML and action.yml) is run by the Wine lane in node.exe, or is named here with what Wine
 * cannot show about it. A new `node scripts/....js` in a Windows step fails this test until a
 * Wine test runs it; the file named must run the script by its path (not merely mention it in
 * a comment: the path appears in code there, which this test reads).
 */
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as path from 'node:path';

const root = path.join(__dirname, '..', '..');
const { windowsStepScripts, words } = require(path.join(root, 'scripts', 'ci', 'windows-steps.js')) as {
  windowsStepScripts: () => Array<{ file: string; job: string; line: number; script: string; args: string[] }>;
  words: (line: string) => string[];
};

/** Where the Wine lane runs each script in node.exe. */
const WINE_RUNS: Record<string, string> = {
  'scripts/ci/install-consumer.js': 'test/windows/install-consumer.test.ts',
  'scripts/ci/windows/find-objects.js': 'test/windows/ci-scripts.test.ts',
  'scripts/ci/windows/mocha-files.js': 'test/windows/ci-scripts.test.ts',
  'scripts/ci/windows/run-as-system.js': 'test/windows/ci-scripts.test.ts',
  'scripts/ci/windows/eaphost-service.js': 'test/windows/service-control.test.ts',
  'scripts/ci/windows/registered-copy.js': 'scripts/wine/run.sh',
  'scripts/install/write-manifest.js': 'scripts/wine/run.sh',
  'scripts/dev/pe-info.js': 'test/windows/pe-imports.test.ts',
  'dist/lib/cli/main.js': 'scripts/wine/lib.sh',
  'node_modules/mocha/bin/mocha.js': 'scripts/wine/run.sh',
  'action/index.js': 'test/action-metadata.test.ts',
};

/** What Wine cannot show, and what covers the script's logic instead. */
const WINE_CANNOT: Record<string, string> = {
  'scripts/ci/windows/electron-smoke.js': 'Electron for Windows does not start under Wine 8; its npm install runs npm\'s own entry (scripts/ci/npm-cli.js), as install-consumer.js\'s (run under Wine)',
  'scripts/ci/windows/sign.js': 'signtool.exe and a code-signing certificate exist only on the runner',
  'action/post.js': 'its work is `unregister --shipped --restart-service` on the EapHost service, which Wine lacks: unregister runs in the Wine lane (scripts/wine/lib.sh), the restart in test/register-service.test.ts',
};

describe('the scripts of the Windows workflow steps and the Action, each run by the Wine lane or named with why not', () => {
  const steps = windowsStepScripts();

  it('reads the steps from the YAML: the consumer job\'s password is one word, as pwsh passes it', () => {
    const consumer = steps.find((s) => s.job === 'consumer-windows' && s.script === 'scripts/ci/install-consumer.js');
    assert.ok(consumer, 'the consumer-windows job runs scripts/ci/install-consumer.js');
    assert.ok(consumer.args.includes('correct horse battery staple'), JSON.stringify(consumer.args));
    assert.ok(steps.some((s) => s.file === 'action.yml' && s.script === 'action/post.js'));
    assert.ok(steps.length >= 30, `${steps.length} steps read`);
    assert.deepEqual(words(`node a.js "x y" 'p q' prebuilds/win32-\${{ matrix.arch }} # note`), ['node', 'a.js', 'x y', 'p q', 'prebuilds/win32-${{ matrix.arch }}']);
  });

  for (const script of [...new Set(steps.map((s) => s.script))].sort()) {
    it(`${script}: ${WINE_CANNOT[script] ? 'what Wine cannot show is named' : 'run in node.exe by the Wine lane'}`, () => {
      const where = steps.filter((s) => s.script === script).map((s) => `${s.file}:${s.line} (${s.job})`).join(', ');
      if (WINE_CANNOT[script]) return;
      const runner = WINE_RUNS[script];
      assert.ok(runner, `${script} runs on a Windows runner (${where}) but no Wine test runs it: run it in test/windows/** ` +
        'with the step\'s arguments, or name here what Wine cannot show');
      const code = fs.readFileSync(path.join(root, runner), 'utf8').split('\n')
        .filter((line) => !/^\s*(\/\/|\*|\/\*|#)/.test(line)).join('\n');
      const parts = script.split('/');
      assert.ok(code.includes(script) || code.includes(parts.map((p) => `'${p}'`).join(', ')) || code.includes(`'${parts[parts.length - 1]}'`),
        `${runner} does not run ${script} in its code`);
    });
  }

  it('every entry of the tables is still a step\'s script (no stale exemption)', () => {
    const used = new Set(steps.map((s) => s.script));
    for (const script of [...Object.keys(WINE_RUNS), ...Object.keys(WINE_CANNOT)]) assert.ok(used.has(script), `${script} is no step's script`);
  });
});
