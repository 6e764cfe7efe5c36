/**
 * The audit decides from codes, never from words (hostap's tls.h gives TLS events, alerts and
 * fail reasons as typed data for the same reason): no file of lib/audit matches the text of an
 * error, a result's reason or a piece of evidence — no regular expression, includes, startsWith
 * or indexOf applied to one. Nor does the CLI relabel a library error by rewriting its message:
 * it names the flag from the error's `option` and says its `detail` (core/option-error.ts,
 * usageErrorOf in cli/main.ts). Read from the sources with the TypeScript compiler's own parser.
 */
import { strict as assert } from 'node:assert';
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import * as ts from 'typescript';

const LIB = join(__dirname, '..', '..', 'lib');
const AUDIT = join(LIB, 'audit');
/** Calls that look into a text. */
const TEXT_MATCHERS = new Set(['test', 'exec', 'match', 'matchAll', 'search', 'includes', 'startsWith', 'endsWith', 'indexOf',
  'lastIndexOf', 'replace', 'replaceAll', 'split']);
/** What a failure's words are called in lib/: an Error's message, an outcome's reason, a root cause, evidence. */
const WORDS = /\b(message|reason|rootCause|repair|evidence|why)\b|\berror\b(?!\.(tls|code|win32Error|reasonCode|rootCauseGuid)\b)/;

/** What rewrites or picks apart a text: the relabelling the CLI leaves to option errors. */
const REWRITERS = new Set(['replace', 'replaceAll', 'match', 'matchAll', 'exec', 'test', 'search', 'split', 'slice', 'substring']);
/** An error's message, however reached: `error.message`, `(error as Error).message`. */
const MESSAGE = /\bmessage\b/;
/** Node's own parseArgs (node:util), whose errors name no option apart: its first line kept, its
 *  advice on positionals (which the forms' usage says better) cut. Not a library error. */
const PARSE_ARGS_FIRST_LINE = "((error as Error).message.split('\\n')[0] ?? '').replace(/\\. To specify a positional.*$/, '')";
const NODE_PARSE_ARGS = new Set([PARSE_ARGS_FIRST_LINE, "(error as Error).message.split('\\n')"].map((call) => `lib/cli/main.ts: ${call}`));

/** Every call in `source` that matches a failure's words: `text.includes(…)`, `/…/.test(text)`
 *  (or, given, other `matchers` over other `words`). */
export function textMatches(file: string, source: string, matchers = TEXT_MATCHERS, words = WORDS): string[] {
  const found: string[] = [];
  const tree = ts.createSourceFile(file, source, ts.ScriptTarget.ES2022, true);
  const visit = (node: ts.Node): void => {
    if (ts.isCallExpression(node) && ts.isPropertyAccessExpression(node.expression) && matchers.has(node.expression.name.text)) {
      const operands = [node.expression.expression, ...node.arguments].map((operand) => operand.getText(tree));
      if (operands.some((operand) => words.test(operand))) {
        const { line } = tree.getLineAndCharacterOfPosition(node.getStart(tree));
        found.push(`${file}:${line + 1}: ${node.getText(tree)}`);
      }
    }
    ts.forEachChild(node, visit);
  };
  visit(tree);
  return found;
}

describe('the audit reads codes, not words', () => {
  it('no file of lib/audit matches an error\'s, a reason\'s or evidence\'s text', () => {
    const files = readdirSync(AUDIT).filter((name) => name.endsWith('.ts'));
    assert.ok(files.length >= 5, `lib/audit holds ${files.length} files`);
    const found = files.flatMap((name) => textMatches(`lib/audit/${name}`, readFileSync(join(AUDIT, name), 'utf8')));
    assert.deepEqual(found, []);
  });

  it('the check finds the matching it forbids (a regular expression over a reason, includes on a message)', () => {
    const planted = [
      "const alert = /sent the alert \"([^\"]+)\"/.exec(reason)?.[1];",
      'if (HANDSHAKE_FAILED.test(result.reason ?? \'\')) refused();',
      "if ((error as Error).message.includes('ClientHello')) refused();",
      'const code = error.tls?.alert?.code; if (failure.reason === \'alert-received\') refused();',
    ].join('\n');
    assert.deepEqual(textMatches('planted.ts', planted).map((line) => line.split(':')[1]), ['1', '2', '3']);
  });
});

/** Every .ts file under `dir`, its path from lib/ with / between its parts (as on Windows too). */
function sourcesUnder(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter((entry) => entry.isFile() && entry.name.endsWith('.ts'))
    .map((entry) => relative(LIB, join(entry.parentPath, entry.name)).split(sep).join('/'));
}

describe('the CLI relabels a library error by its option, not by its words', () => {
  it('no file of lib/cli rewrites or picks apart an error\'s message', () => {
    const files = sourcesUnder(join(LIB, 'cli'));
    assert.ok(files.length >= 30, `lib/cli holds ${files.length} files`);
    const found = files.flatMap((name) => textMatches(`lib/${name}`, readFileSync(join(LIB, name), 'utf8'), REWRITERS, MESSAGE));
    assert.deepEqual(found.filter((line) => !NODE_PARSE_ARGS.has(line.replace(/:\d+:/, ':'))), []);
  });

  it('the check finds the relabelling it forbids (a regular expression over a message, in either place)', () => {
    const planted = [
      "throw new UsageError((error as Error).message.replace(/^psk\\.key is/, 'a key of'));",
      "if (error instanceof TypeError) error.message = error.message.replace(/^clients\\[\\d+\\]: /, '--client ');",
      'const field = /^attributes\\[0\\]\\.(\\w+)/.exec(error.message)?.[1];',
      "throw usageErrorOf(error, (option) => /^clients\\[\\d+\\]$/.test(option) ? '--client' : undefined);",
    ].join('\n');
    assert.deepEqual(textMatches('planted.ts', planted, REWRITERS, MESSAGE).map((line) => line.split(':')[1]), ['1', '2', '3']);
  });
});
