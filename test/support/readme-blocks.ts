/**
 * README.md and docs/*.md as a user reads them: their fenced code blocks, the shell commands in a block, and an
 * empty consumer project in which TypeScript blocks are compiled with the settings the README
 * states and run against this package through its `exports` map, as `npm install` would place it.
 */
import { spawn } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import * as ts from 'typescript';

export const repo = join(__dirname, '..', '..', '..');

export interface CodeBlock {
  /** The info string after the opening fence ('' for a plain block). */
  lang: string;
  code: string;
  /** The document, relative to the repository: README.md, docs/api.md, … */
  file: string;
  /** 1-based line of the opening fence in that document. */
  line: number;
}

/** The documents whose blocks are run: the README and every page of docs/. */
export function documentationFiles(): string[] {
  const docs = readdirSync(join(repo, 'docs')).filter((name) => name.endsWith('.md')).sort();
  return ['README.md', ...docs.map((name) => `docs/${name}`)];
}

/** Every block of every document documentationFiles() names. */
export function documentationBlocks(): CodeBlock[] {
  return documentationFiles().flatMap((file) => readmeBlocks(readFileSync(join(repo, file), 'utf8'), file));
}

export function readmeBlocks(text = readFileSync(join(repo, 'README.md'), 'utf8'), file = 'README.md'): CodeBlock[] {
  const blocks: CodeBlock[] = [];
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const open = /^```(\S*)\s*$/.exec(lines[i]);
    if (!open) continue;
    const end = lines.findIndex((l, j) => j > i && /^```\s*$/.test(l));
    if (end < 0) throw new Error(`${file}: the code block at line ${i + 1} is never closed`);
    blocks.push({ lang: open[1], code: lines.slice(i + 1, end).join('\n') + '\n', file, line: i + 1 });
    i = end;
  }
  return blocks;
}

/** The commands of a shell block: comment lines dropped, `\` continuations joined. */
export function shellCommands(code: string): string[] {
  const commands: string[] = [];
  let pending = '';
  for (const raw of code.split('\n')) {
    const line = raw.trimEnd();
    if (pending === '' && (line.trim() === '' || line.trimStart().startsWith('#'))) continue;
    if (line.endsWith('\\')) {
      pending += line.slice(0, -1);
      continue;
    }
    commands.push((pending + line).replace(/\s+/g, ' ').trim());
    pending = '';
  }
  if (pending) commands.push(pending.trim());
  return commands;
}

/** The README's Windows way (its one powershell block) as a program runs it: the variables its
 *  `$env:NAME = 'value'` lines set, the install it asks for, and the arguments after `npx eaphost`. */
export function readmeWindowsCommand(): { install: string; env: Record<string, string>; args: string[] } {
  const blocks = readmeBlocks().filter((b) => b.lang === 'powershell');
  if (blocks.length !== 1) throw new Error(`README.md has ${blocks.length} powershell blocks, not the one Windows way`);
  const lines = blocks[0].code.trim().split('\n');
  const env: Record<string, string> = {};
  let install = '';
  let args: string[] | undefined;
  for (const line of lines) {
    const variable = /^\$env:(\w+) = '([^']*)'$/.exec(line);
    if (variable) env[variable[1]] = variable[2];
    else if (line.startsWith('npm install ')) install = line;
    else if (line.startsWith('npx eaphost ') && !/['"]/.test(line)) args = line.split(' ').slice(2);
    else throw new Error(`README.md's Windows way has a line no test knows how to run: ${line}`);
  }
  if (!args || !install) throw new Error("README.md's Windows way lacks its install or its npx eaphost line");
  return { install, env, args };
}

/** What `console.log(...)  // expected` lines of a TypeScript block say they print, in order. */
export function expectedPrints(code: string): string[] {
  return [...code.matchAll(/console\.log\(.*\);\s*\/\/ (.+)$/gm)].map((m) => m[1].trim());
}

export interface ProgramRun {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs a program with this process's environment (the sanitizer lane's preload included). */
export function run(file: string, args: string[], options: { cwd: string; timeoutMs?: number; env?: NodeJS.ProcessEnv })
  : Promise<ProgramRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(file, args, { cwd: options.cwd, env: { ...process.env, ...options.env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => { stdout += chunk; });
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => { stderr += chunk; });
    const timer = setTimeout(() => child.kill('SIGKILL'), options.timeoutMs ?? 120_000);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

/**
 * An empty project whose node_modules holds this package (a link to the checkout, so its
 * package.json and `exports` apply exactly as in an installed copy) and the type packages.
 */
export function makeConsumerProject(dir: string): void {
  mkdirSync(join(dir, 'node_modules'), { recursive: true });
  symlinkSync(repo, join(dir, 'node_modules', 'eaphost'), 'dir');
  symlinkSync(join(repo, 'node_modules', '@types'), join(dir, 'node_modules', '@types'), 'dir');
}

/**
 * Compiles each of `sources` (name → TypeScript) as `dir`/name.ts in one program, with the
 * tsconfig.json text given (the README's); `"type"` in `dir`'s package.json decides ES module or
 * CommonJS, as it does for a user. Returns each file's diagnostics, formatted (empty: compiled).
 */
export function compileTypeScript(dir: string, sources: Record<string, string>, tsconfigText: string,
  type: 'module' | 'commonjs'): Record<string, string[]> {
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'package.json'), JSON.stringify({ name: `readme-${type}`, private: true, type }, null, 2));
  writeFileSync(join(dir, 'tsconfig.json'), tsconfigText);
  const files = Object.keys(sources).map((name) => {
    writeFileSync(join(dir, `${name}.ts`), sources[name]);
    return join(dir, `${name}.ts`);
  });
  const parsed = ts.parseJsonConfigFileContent(ts.parseConfigFileTextToJson('tsconfig.json', tsconfigText).config,
    ts.sys, dir, undefined, join(dir, 'tsconfig.json'));
  const result: Record<string, string[]> = Object.fromEntries(Object.keys(sources).map((name) => [name, []]));
  if (parsed.errors.length > 0) {
    const errors = parsed.errors.map((d) => `tsconfig.json: ${ts.flattenDiagnosticMessageText(d.messageText, '\n')}`);
    for (const name of Object.keys(result)) result[name] = errors;
    return result;
  }
  const program = ts.createProgram(files, parsed.options);
  const emitted = program.emit();
  for (const d of [...ts.getPreEmitDiagnostics(program), ...emitted.diagnostics]) {
    const where = d.file && d.start !== undefined ? `${d.file.fileName}:${d.file.getLineAndCharacterOfPosition(d.start).line + 1}: ` : '';
    const text = `${where}TS${d.code} ${ts.flattenDiagnosticMessageText(d.messageText, '\n')}`;
    const owner = Object.keys(sources).find((name) => d.file?.fileName === join(dir, `${name}.ts`));
    for (const name of owner ? [owner] : Object.keys(result)) result[name].push(text);
  }
  return result;
}
