/**
 * The audit decides from codes, never from words (hostap's tls.h gives TLS events, alerts and
 * fail reasons as typed data for the same reason): no file of lib/audit matches the text of an
 * error, a result's reason or a piece of evidence — no regular expression, includes, startsWith
 * or indexOf applied to one. Read from the sources with the TypeScript compiler's own parser.
 */
import { strict as assert } from 'node:assert';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as ts from 'typescript';

const AUDIT = join(__dirname, '..', '..', 'lib', 'audit');
/** Calls that look into a text. */
const TEXT_MATCHERS = new Set(['test', 'exec', 'match', 'matchAll', 'search', 'includes', 'startsWith', 'endsWith', 'indexOf',
  'lastIndexOf', 'replace', 'replaceAll', 'split']);
/** What a failure's words are called in lib/: an Error's message, an outcome's reason, a root cause, evidence. */
const WORDS = /\b(message|reason|rootCause|repair|evidence|why)\b|\berror\b(?!\.(tls|code|win32Error|reasonCode|rootCauseGuid)\b)/;

/** Every call in `source` that matches a failure's words: `text.includes(…)`, `/…/.test(text)`. */
export function textMatches(file: string, source: string): string[] {
  const found: string[] = [];
  const tree = ts.createSourceFile(file, source, ts.ScriptTarget.ES2022, true);
  const visit = (node: ts.Node): void => {
    if (ts.isCallExpression(node) && ts.isPropertyAccessExpression(node.expression) && TEXT_MATCHERS.has(node.expression.name.text)) {
      const operands = [node.expression.expression, ...node.arguments].map((operand) => operand.getText(tree));
      if (operands.some((operand) => WORDS.test(operand))) {
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
