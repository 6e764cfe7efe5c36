/**
 * Every script a workflow step runs (`node <file>.js`, read from the run: lines of every job of
 * .github/workflows/*.yml and action.yml's entries by scripts/ci/windows-steps.js, so a new step's
 * script is covered) works from a checkout with no node_modules: a job may run it before, or
 * without, `npm ci` (windows.yml's consumer-windows job does; its script once required
 * cross-spawn). The checkout's files (git's list, dist/lib as build:ts leaves it) are copied to a
 * temporary folder with no node_modules above it, and each script runs there with --help: it must
 * get to its own argument handling (its usage, or its refusal of the argument), not stop at a
 * package it cannot find. Its require() closure (the script and the repository files it requires
 * by relative path) names no package but node's own. A file under node_modules/ (mocha) is npm's:
 * its step must come after an `npm ci` of the same job.
 */
import { strict as assert } from 'node:assert';
import { execFileSync, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import { builtinModules } from 'node:module';
import * as path from 'node:path';
import { addonPath } from '../../lib/native';
import { makeTempDir } from '../support/programs';
import { repoRoot } from '../support/scratch';

interface Step { file: string; job: string; line: number; script: string; args: string[] }
const { windowsStepScripts } = require(path.join(repoRoot, 'scripts', 'ci', 'windows-steps.js')) as {
  windowsStepScripts: (options?: { allJobs?: boolean }) => Step[];
};
const { runScripts } = require(path.join(repoRoot, 'scripts', 'ci', 'lint-workflows.js')) as {
  runScripts: (lines: string[]) => Array<{ line: number; body: Array<{ text: string }>; job?: { name: string } }>;
};

const builtins = new Set(builtinModules);
const isBuiltin = (specifier: string): boolean => specifier.startsWith('node:') || builtins.has(specifier.split('/')[0]);

/** The bare (package) specifiers require()d by `file` and the files it requires by relative path, with who requires them. */
function packagesRequired(file: string, seen = new Set<string>()): string[] {
  if (seen.has(file)) return [];
  seen.add(file);
  const found: string[] = [];
  for (const [, specifier] of fs.readFileSync(file, 'utf8').matchAll(/\brequire\(\s*['"]([^'"]+)['"]\s*\)/g)) {
    if (specifier.startsWith('.')) {
      const base = path.resolve(path.dirname(file), specifier);
      const target = [base, `${base}.js`, `${base}.json`, path.join(base, 'index.js')].find((f) => fs.existsSync(f) && fs.statSync(f).isFile());
      if (target && target.endsWith('.js')) found.push(...packagesRequired(target, seen));
    } else if (!isBuiltin(specifier)) {
      found.push(`${specifier} (${path.relative(repoRoot, file)})`);
    }
  }
  return found;
}

describe('the scripts the workflows run, each from a checkout without node_modules', function () {
  this.timeout(300_000);
  const steps = windowsStepScripts({ allJobs: true });
  const scripts = [...new Set(steps.map((s) => s.script))].sort();
  const own = scripts.filter((s) => !s.startsWith('node_modules/'));
  const scratch = makeTempDir('workflow-scripts');
  const checkout = path.join(scratch.path, 'checkout');
  after(() => scratch.remove());

  before(() => {
    const files = execFileSync('git', ['ls-files', '-z', '--cached', '--others', '--exclude-standard'], { cwd: repoRoot, encoding: 'utf8' })
      .split('\0').filter((f) => f && !f.startsWith('node_modules') && fs.existsSync(path.join(repoRoot, f)));
    for (const file of files) {
      fs.mkdirSync(path.dirname(path.join(checkout, file)), { recursive: true });
      fs.copyFileSync(path.join(repoRoot, file), path.join(checkout, file));
    }
    fs.cpSync(path.join(repoRoot, 'dist', 'lib'), path.join(checkout, 'dist', 'lib'), { recursive: true });
    for (let at = checkout; path.dirname(at) !== at; at = path.dirname(at)) {
      assert.equal(fs.existsSync(path.join(at, 'node_modules')), false, `${at} holds node_modules`);
    }
  });

  it('reads every job\'s steps: the consumer-windows job\'s script, a Linux job\'s, the Action\'s entry', () => {
    assert.ok(steps.some((s) => s.job === 'consumer-windows' && s.script === 'scripts/ci/install-consumer.js'));
    assert.ok(steps.some((s) => s.job === 'legs' && s.script === 'scripts/ci/release-legs.js'), 'an ubuntu job\'s step');
    assert.ok(steps.some((s) => s.file === 'action.yml' && s.script === 'action/index.js'));
    assert.ok(own.length >= 15, own.join(', '));
  });

  for (const script of own) {
    it(`${script}: no package but node's own, and --help reaches its own argument handling`, () => {
      assert.deepEqual(packagesRequired(path.join(repoRoot, script)), [], `${script} requires packages from npm`);
      const env: NodeJS.ProcessEnv = { ...process.env, NODE_PATH: '', EAPHOST_ADDON_PATH: addonPath };
      for (const name of Object.keys(env)) if (/^(INPUT_|GITHUB_|STATE_|WINDOWS_SIGNING_)/.test(name)) delete env[name];
      const run = spawnSync(process.execPath, [path.join(checkout, script), '--help'], { cwd: checkout, env, encoding: 'utf8', timeout: 60_000 });
      const said = `${run.stdout}${run.stderr}`;
      assert.equal(run.signal, null, `${script} did not end by itself: ${said}`);
      assert.doesNotMatch(said, /Cannot find module '[^./]|ERR_MODULE_NOT_FOUND|MODULE_NOT_FOUND/, said);
    });
  }

  it('a script under node_modules/ runs only after its job\'s npm ci', () => {
    for (const step of steps.filter((s) => s.script.startsWith('node_modules/'))) {
      const lines = fs.readFileSync(path.join(repoRoot, step.file), 'utf8').split(/\r?\n/);
      const installed = runScripts(lines).some((run) => run.job?.name === step.job && run.line < step.line &&
        run.body.some((l) => /\bnpm ci\b/.test(l.text)));
      assert.ok(installed, `${step.file}:${step.line} (${step.job}) runs ${step.script} with no npm ci before it`);
    }
  });
});
