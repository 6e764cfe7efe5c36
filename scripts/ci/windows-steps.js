// The scripts a Windows runner runs: every `node <file>.js ...` of a run: step in a job of
// .github/workflows/*.yml that runs on a Windows image, with the arguments the step writes, and
// the Action's entries (action.yml runs.main and runs.post). test/windows-steps.test.ts holds
// each against the place the Wine lane runs it; test/windows/install-consumer.test.ts runs one
// with its step's own arguments. The steps' shells (pwsh by default on Windows, bash where
// named) agree on what is read here: words split at blanks, '...' and "..." quote, ${{ }} kept whole.
'use strict';
const fs = require('fs');
const path = require('path');
const { jobRanges, runScripts, windowsJob, readActionMetadata } = require('./lint-workflows');

const root = path.join(__dirname, '..', '..');

/** A step's command line as words: quotes removed, ${{ expression }} kept as one word's part. */
function words(line) {
  const out = [];
  let word = null;
  for (let i = 0; i < line.length; i++) {
    const c = line[i];
    if (line.startsWith('${{', i)) {
      const end = line.indexOf('}}', i);
      if (end < 0) throw new RangeError(`unclosed \${{ in ${line}`);
      word = (word ?? '') + line.slice(i, end + 2);
      i = end + 1;
    } else if (c === '"' || c === "'") {
      const end = line.indexOf(c, i + 1);
      if (end < 0) throw new RangeError(`unclosed ${c} in ${line}`);
      word = (word ?? '') + line.slice(i + 1, end);
      i = end;
    } else if (/\s/.test(c)) {
      if (word !== null) out.push(word);
      word = null;
    } else if (c === '#' && word === null) {
      break;
    } else {
      word = (word ?? '') + c;
    }
  }
  if (word !== null) out.push(word);
  return out;
}

// A word that starts node: `node`, or pwsh's `& $env:SOME_NODE` (a node.exe the job located).
const isNode = (word) => word === 'node' || /^\$env:\w*NODE$/.test(word);

/**
 * Every `node <script>.js args...` in the run: steps of Windows jobs of `file` (of every job with
 * allJobs): { file, job, line, script, args }, script relative to the repository with forward slashes.
 */
function stepInvocations(file, { allJobs = false } = {}) {
  const text = fs.readFileSync(file, 'utf8');
  const lines = text.split(/\r?\n/);
  const found = [];
  for (const run of runScripts(lines)) {
    if (!allJobs && !windowsJob(lines, run.job)) continue;
    // A folded block (run: >-) is one command line across its lines.
    const folded = /run:\s*>/.test(lines[run.line - 1]);
    const body = folded ? [{ line: run.body[0].line, text: run.body.map((l) => l.text.trim()).join(' ') }] : run.body;
    for (const { line, text: raw } of body) {
      // A plain scalar's YAML quotes ('& $env:X64_NODE ...') are the YAML's, not the shell's.
      const code = raw.trim().replace(/^'(.*)'$/, '$1').replace(/''/g, "'");
      const all = words(code);
      for (let i = 0; i + 1 < all.length; i++) {
        if (!isNode(all[i]) || !/\.js$/.test(all[i + 1])) continue;
        const end = all.findIndex((w, at) => at > i + 1 && ['|', '||', '&&', ';'].includes(w));
        found.push({ file: path.relative(root, file).split(path.sep).join('/'), job: run.job.name, line,
          script: all[i + 1].replace(/\\/g, '/'), args: all.slice(i + 2, end < 0 ? undefined : end) });
      }
    }
  }
  return found;
}

/**
 * Every Windows step's script in the workflows (every step's with allJobs: test/workflow-scripts.test.ts
 * runs each from a checkout without node_modules), then the Action's main and post entries.
 */
function windowsStepScripts({ allJobs = false } = {}) {
  const dir = path.join(root, '.github', 'workflows');
  const found = [];
  for (const name of fs.readdirSync(dir).filter((f) => /\.ya?ml$/.test(f)).sort()) found.push(...stepInvocations(path.join(dir, name), { allJobs }));
  const action = readActionMetadata(fs.readFileSync(path.join(root, 'action.yml'), 'utf8'));
  for (const entry of ['main', 'post']) {
    const value = action.runs.get(entry)?.value;
    if (value) found.push({ file: 'action.yml', job: `runs.${entry}`, line: action.runs.get(entry).line, script: value, args: [] });
  }
  return found;
}

module.exports = { words, stepInvocations, windowsStepScripts, jobRanges };
