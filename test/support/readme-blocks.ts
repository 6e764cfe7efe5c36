/**
 * README.md as a user reads it: its fenced code blocks, the shell commands in a block, and an
 * empty consumer project in which TypeScript blocks are compiled with the settings the README
 * states and run against this package through its `exports` map, as `npm install` would place it.
 */
import { spawn } from 'node:child_process';
import { mkdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import * as ts from 'typescript';

export const repo = join(__dirname, '..', '..', '..');

export interface CodeBlock {
  /** The info string after the opening fence ('' for a plain block). */
  lang: string;
  code: string;
  /** 1-based line of the opening fence in README.md. */
  line: number;
}

export function readmeBlocks(text = readFileSync(join(repo, 'README.md'), 'utf8')): CodeBlock[] {
  const blocks: CodeBlock[] = [];
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const open = /^```(\S*)\s*$/.exec(lines[i]);
    if (!open) continue;
    const end = lines.findIndex((l, j) => j > i && /^```\s*$/.test(l));
    if (end < 0) throw new Error(`README.md: the code block at line ${i + 1} is never closed`);
    blocks.push({ lang: open[1], code: lines.slice(i + 1, end).join('\n') + '\n', line: i + 1 });
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
 * Compiles `source` as `name`.ts in the project with the tsconfig.json text given (the README's),
 * `"type"` in the project's package.json deciding ES module or CommonJS as it does for a user.
 * Returns the diagnostics, formatted; empty when it compiled.
 */
export function compileTypeScript(dir: string, name: string, source: string, tsconfigText: string,
  type: 'module' | 'commonjs'): string[] {
  writeFileSync(join(dir, 'package.json'), JSON.stringify({ name: 'readme-consumer', private: true, type }, null, 2));
  writeFileSync(join(dir, 'tsconfig.json'), tsconfigText);
  const file = join(dir, `${name}.ts`);
  writeFileSync(file, source);
  const parsed = ts.parseJsonConfigFileContent(ts.parseConfigFileTextToJson('tsconfig.json', tsconfigText).config,
    ts.sys, dir, undefined, join(dir, 'tsconfig.json'));
  if (parsed.errors.length > 0) return parsed.errors.map((d) => ts.flattenDiagnosticMessageText(d.messageText, '\n'));
  const program = ts.createProgram([file], parsed.options);
  const emitted = program.emit();
  return [...ts.getPreEmitDiagnostics(program), ...emitted.diagnostics].map((d) => {
    const where = d.file && d.start !== undefined ? `${d.file.fileName}:${d.file.getLineAndCharacterOfPosition(d.start).line + 1}: ` : '';
    return `${where}TS${d.code} ${ts.flattenDiagnosticMessageText(d.messageText, '\n')}`;
  });
}
