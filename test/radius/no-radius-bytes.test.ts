/**
 * lib/radius keeps the roles' classes and policy; every RADIUS byte is read and written in
 * native/radius (issue 59: "no file under lib/radius reads or writes RADIUS attribute bytes or
 * computes MD5"). This reads each file under lib/radius, comments left out, and names every line
 * that handles packet bytes: a Buffer's integer read or write, a packet indexed or sliced for a
 * field, a packet assembled, an MD5 digest or HMAC. What is not RADIUS byte work passes: a secret
 * wiped with fill(0), Buffer.from() of a value handed to native, equals() on secrets, strings
 * sliced, a match's groups indexed.
 */
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as ts from 'typescript';

const root = path.resolve(__dirname, '..', '..');
const radiusDir = path.join(root, 'lib', 'radius');

/** Names a packet's bytes go by: indexing or slicing one of these is reading a field. */
const PACKET_NAME = /(?:packet|datagram|reply|request|response|buffer|buffered|chunk|bytes|data|raw|header|attribute|frame|message)s?$/i;

const RULES: { why: string; test: (line: string) => boolean }[] = [
  { why: 'an integer read or written in a Buffer', test: (line) => /\.(?:read|write)(?:U?Int(?:8|16|32)|BigU?Int64|Float|Double|U?IntBE|U?IntLE)\w*\(/.test(line) },
  { why: 'a DataView or integer view on bytes', test: (line) => /\bnew\s+DataView\b|\.(?:get|set)U?Int(?:8|16|32)\(/.test(line) },
  { why: 'an MD5 digest or HMAC', test: (line) => /['"`]md5['"`]/i.test(line) },
  { why: 'a packet byte indexed', test: (line) => indexedNames(line).some((name) => PACKET_NAME.test(name)) },
  { why: 'bytes cut with subarray()', test: (line) => /\.subarray\(/.test(line) },
  { why: 'a packet sliced', test: (line) => slicedNames(line).some((name) => PACKET_NAME.test(name)) },
  { why: 'bytes assembled', test: (line) => /\bBuffer\.concat\(|\.copy\(/.test(line) },
  { why: 'a packet-sized Buffer allocated', test: (line) => /\bBuffer\.alloc(?:Unsafe)?(?:Slow)?\((?!\s*0\s*\))/.test(line) },
];

/** Each `name[expression]` with a number or arithmetic inside: `packet[2]`, `data[at + 1]`. */
function indexedNames(line: string): string[] {
  return [...line.matchAll(/([A-Za-z_$][\w$]*)\s*\??\.?\[\s*([^\]]*)\]/g)]
    .filter(([, , inside]) => /^\d+$|[+-]|\boffset\b|\bat\b/.test(inside.trim()))
    .map(([, name]) => name);
}

function slicedNames(line: string): string[] {
  return [...line.matchAll(/([A-Za-z_$][\w$]*)\s*\.slice\(/g)].map(([, name]) => name);
}

/** The source with every comment blanked out, line breaks kept, so lines keep their numbers:
 *  the comments are the trivia the parser finds around each token. */
function withoutComments(source: string): string {
  const file = ts.createSourceFile('source.ts', source, ts.ScriptTarget.Latest, true);
  const comments = new Map<number, number>();
  const visit = (node: ts.Node): void => {
    for (const range of ts.getLeadingCommentRanges(source, node.pos) ?? []) comments.set(range.pos, range.end);
    for (const range of ts.getTrailingCommentRanges(source, node.end) ?? []) comments.set(range.pos, range.end);
    node.getChildren(file).forEach(visit);
  };
  visit(file);
  let out = source;
  for (const [start, end] of comments) {
    out = out.slice(0, start) + out.slice(start, end).replace(/[^\n]/g, ' ') + out.slice(end);
  }
  return out;
}

/** Every offending line of `source`: `file:line: why: the line`. */
export function radiusByteWork(file: string, source: string): string[] {
  const original = source.split('\n');
  return withoutComments(source).split('\n').flatMap((line, i) =>
    RULES.filter((rule) => rule.test(line)).map((rule) => `${file}:${i + 1}: ${rule.why}: ${original[i].trim()}`));
}

function filesUnder(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return filesUnder(full);
    return /\.[cm]?[jt]s$/.test(entry.name) ? [full] : [];
  });
}

describe('lib/radius handles no RADIUS bytes', () => {
  it('no file under lib/radius reads, writes, cuts or signs packet bytes', () => {
    const files = filesUnder(radiusDir);
    assert.ok(files.length > 10, `lib/radius holds ${files.length} files`);
    const found = files.flatMap((file) => radiusByteWork(path.relative(root, file), fs.readFileSync(file, 'utf8')));
    assert.deepEqual(found, [], `RADIUS byte work in lib/radius (native/radius does it):\n${found.join('\n')}`);
  });

  it('names the byte work a framer, a codec and a signer do, and passes what is not', () => {
    const offending = [
      'const length = buffered.readUInt16BE(2);',
      'packet.writeUInt16BE(packet.length, 2);',
      "const digest = createHash('md5').update(reply).digest();",
      'const signed = createHmac("MD5", secret).update(packet).digest();',
      'if (reply[0] !== 2) return;',
      'const type = data[at + 1];',
      'buffered = buffered.subarray(length);',
      'const header = packet.slice(0, 20);',
      'const whole = Buffer.concat([header, attributes]);',
      'const packet = Buffer.alloc(38);',
      'authenticator.copy(packet, 4);',
    ];
    const passing = [
      'secret.fill(0);',
      "const bytes = Buffer.from(value, 'utf8');",
      'return a.equals(b);',
      'host = bracketed[1];',
      'const text = entry.network.slice(slash + 1);',
      'return found[0];',
      'const NO_BYTES = Buffer.alloc(0);',
      '// buffered.readUInt16BE(2) in a comment',
      "const url = 'http://[::1]/'; /* packet[0] */",
    ];
    const found = radiusByteWork('sample.ts', [...offending, ...passing].join('\n'));
    assert.deepEqual(found.map((line) => Number(line.split(':')[1])), offending.map((_, i) => i + 1), found.join('\n'));
  });
});
