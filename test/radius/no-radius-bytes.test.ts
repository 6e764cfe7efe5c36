/**
 * Every RADIUS byte is read and written in native/radius (issue 59; issue 68: "the no-bytes test
 * covers all of lib/, not one folder"): packets, and every attribute value (integers, addresses,
 * RFC 2868 tags, Vendor-Specific), through native/radius's codec (lib/radius/attribute-codec.ts).
 * This reads every .ts file under lib/ (the seam's generated files aside), comments left out,
 * and names every line that handles bytes: a Buffer's integer read or write, a packet indexed or
 * sliced for a field, bytes assembled, an MD5 digest or HMAC. A file whose byte work is not RADIUS
 * (EAP packets, EAPOL frames, DER, EAPHost's own layouts, files) is listed in NOT_RADIUS with why;
 * such a file imports nothing from lib/radius, must still do byte work (no stale entry), and never
 * shows what only RADIUS value work looks like (an RFC 2868 tag, an attribute's value made by
 * hand, an address packed into bytes). What is not byte work passes: a secret wiped with fill(0),
 * Buffer.from() of a value handed to native, equals() on secrets, strings sliced, a match's
 * groups indexed.
 */
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as ts from 'typescript';

// The repository's root (this runs from dist/test/radius): lib/'s sources, not their build.
const root = path.resolve(__dirname, '..', '..', '..');
const libDir = path.join(root, 'lib');

/** lib/ files whose byte work is not RADIUS: each with what its bytes are. */
export const NOT_RADIUS: ReadonlyMap<string, string> = new Map([
  ['lib/core/packet.ts', 'EAP packets (RFC 3748 §4: code, identifier, length, type)'],
  ['lib/cli/commands/auth/conversation.ts', 'EAP packets\' headers, recorded for --json'],
  ['lib/eapol/authenticator-port.ts', 'EAP packets to and from the supplicant (RFC 3748 §4.2 ids, Identity); its RADIUS attributes go through switch-attributes.ts'],
  ['lib/eapol/supplicant.ts', 'EAP packets from the authenticator (RFC 3748 §4 codes)'],
  ['lib/eapol/frame.ts', 'EAPOL frames (IEEE 802.1X-2020 §11) and their MAC addresses'],
  ['lib/core/der.ts', 'DER (X.690): tags, lengths, OIDs'],
  ['lib/profile/network-profile.ts', 'a PKCS#12 file\'s first DER octet, checked'],
  ['lib/cli/commands/auth/ocsp-staple.ts', 'an OCSP response\'s DER (RFC 6960 §4.2.1), its status read'],
  ['lib/audit/certificates.ts', 'an OID\'s DER bytes'],
  ['lib/core/ephemeral-ca.ts', 'an EC public key\'s point, hashed for a key identifier (RFC 5280 §4.2.1.2)'],
  ['lib/core/connection-data.ts', 'EAPHost connection data: the methods\' own TLV layout, handed to native'],
  ['lib/core/users.ts', 'known answers: the user store\'s answers packed for native (KnownAnswer)'],
  ['lib/core/keys.ts', 'the MSK from EAPHost\'s attributes (RFC 5216 §2.3), compared in constant time'],
  ['lib/core/mppe-key.ts', 'EAPHost\'s MPPE key attributes in the clear (the layout EAP methods hand over); RADIUS hides them in native/radius'],
  ['lib/core/store-certificate.ts', 'a certificate store selector packed for native'],
  ['lib/native/packed-lists.ts', 'the seam\'s packed slabs (EAP attributes, the engine\'s questions), read as native packed them'],
  ['lib/core/pe-image.ts', 'a PE image\'s headers (the method DLL\'s machine)'],
  ['lib/core/file-read.ts', 'a file read in chunks up to a limit'],
  ['lib/cli/secrets.ts', 'a secret read from a file or stdin in chunks; a key file\'s hex decoded (a RadSec PSK)'],
  ['lib/cli/commands/auth/config-xml.ts', 'a configuration file\'s byte order mark (UTF-16)'],
  ['lib/profile/windows-lan.ts', 'a zeroed file over the user data it replaces'],
  ['lib/profile/mobileconfig.ts', 'a profile UUID cut from a hash'],
  ['lib/profile/networkmanager.ts', 'a connection UUID cut from a hash'],
]);

/** Textual rules: what names itself (an integer read, bytes assembled, MD5). */
const RULES: { why: string; test: (line: string) => boolean }[] = [
  { why: 'an integer read or written in a Buffer', test: (line) => /\.(?:read|write)(?:U?Int(?:8|16|32)|BigU?Int64|Float|Double|U?IntBE|U?IntLE)\w*\(/.test(line) },
  { why: 'a DataView or integer view on bytes', test: (line) => /\bnew\s+DataView\b|\.(?:get|set)U?Int(?:8|16|32)\(/.test(line) },
  { why: 'an MD5 digest or HMAC', test: (line) => /\bcreate(?:Hash|Hmac)\(\s*['"`]md5['"`]/i.test(line) },
  { why: 'bytes cut with subarray()', test: (line) => /\.subarray\(/.test(line) },
  { why: 'bytes assembled', test: (line) => /\bBuffer\.concat\(|\.copy\(/.test(line) },
  { why: 'a packet-sized Buffer allocated', test: (line) => /\bBuffer\.alloc(?:Unsafe)?(?:Slow)?\((?!\s*0\s*\))/.test(line) },
];

/** What only RADIUS value work looks like: checked in every file, NOT_RADIUS's too. */
const RADIUS_ONLY: { why: string; test: (line: string) => boolean }[] = [
  { why: 'an RFC 2868 tag read or written', test: (line) => /\b0x1[fF]\b/.test(line) },
  { why: 'an attribute\'s value made by hand', test: (line) => /\bvalue:\s*Buffer\.(?:from\(\s*\[|alloc|of\()/.test(line) },
  { why: 'an address packed into bytes or read from them',
    test: (line) => /Buffer\.from\([^;]*\.split\(['"]\.['"]\)|\[\.\.\.\w+\]\.join\(['"]\.['"]\)|readUInt16BE\([^)]*\)\.toString\(16\)/.test(line) },
];

/** The source with every comment blanked out, line breaks kept, so lines keep their numbers:
 *  the comments are the trivia the parser finds around each token. */
function withoutComments(file: ts.SourceFile): string {
  const source = file.text;
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

/** Whether `node`'s type is bytes (a Buffer or a typed array of octets), undefined and null aside. */
function isBytes(checker: ts.TypeChecker, node: ts.Expression): boolean {
  const type = checker.getNonNullableType(checker.getTypeAtLocation(node));
  const parts = type.isUnion() ? type.types : [type];
  return parts.every((part) => /^(?:Buffer|Uint8Array|NonSharedBuffer)(?:<[^<>]*>)?$/.test(checker.typeToString(part)));
}

/** The lines that index or slice bytes, by the checker's types: a Buffer's byte read for a field, or a packet sliced. */
function typedByteWork(file: ts.SourceFile, checker: ts.TypeChecker): Map<number, string> {
  const found = new Map<number, string>();
  const line = (node: ts.Node): number => file.getLineAndCharacterOfPosition(node.getStart(file)).line;
  const visit = (node: ts.Node): void => {
    if (ts.isElementAccessExpression(node) && isBytes(checker, node.expression)) found.set(line(node), 'a packet byte indexed');
    if (ts.isCallExpression(node) && ts.isPropertyAccessExpression(node.expression) && node.expression.name.text === 'slice' &&
      isBytes(checker, node.expression.expression)) found.set(line(node), 'a packet sliced');
    ts.forEachChild(node, visit);
  };
  visit(file);
  return found;
}

/** A program over `sources` (paths from the repository's root → text), other files from disk, with the repository's options. */
function programOf(sources: ReadonlyMap<string, string>): ts.Program {
  const config = ts.readConfigFile(path.join(root, 'tsconfig.json'), ts.sys.readFile);
  const { options } = ts.parseJsonConfigFileContent(config.config, ts.sys, root);
  const host = ts.createCompilerHost({ ...options, noEmit: true });
  const given = new Map([...sources].map(([file, text]) => [path.join(root, file), text]));
  const readFile = host.readFile.bind(host);
  const fileExists = host.fileExists.bind(host);
  host.readFile = (name) => given.get(path.resolve(name)) ?? readFile(name);
  host.fileExists = (name) => given.has(path.resolve(name)) || fileExists(name);
  return ts.createProgram([...given.keys()], { ...options, noEmit: true }, host);
}

/** Every offending line of `file` in `program`: `file:line: why: the line`. */
function byteWorkIn(program: ts.Program, file: string, rules: typeof RULES, typed: boolean): string[] {
  const source = program.getSourceFile(path.join(root, file))!;
  const original = source.text.split('\n');
  const typedLines = typed ? typedByteWork(source, program.getTypeChecker()) : new Map<number, string>();
  return withoutComments(source).split('\n').flatMap((text, i) => [
    ...(typedLines.has(i) ? [typedLines.get(i)!] : []),
    ...rules.filter((rule) => rule.test(text)).map((rule) => rule.why),
  ].map((why) => `${file}:${i + 1}: ${why}: ${original[i].trim()}`));
}

/** The modules `source` imports, as paths from the repository's root (relative imports only). */
function importsOf(file: string, source: string): string[] {
  return [...source.matchAll(/\bfrom\s+['"](\.[^'"]*)['"]|\bimport\(\s*['"](\.[^'"]*)['"]\s*\)|\brequire\(\s*['"](\.[^'"]*)['"]\s*\)/g)]
    .map((match) => path.posix.normalize(path.posix.join(path.posix.dirname(file), match[1] ?? match[2] ?? match[3])));
}

/** What is wrong with lib/'s files (`sources`: path from the root → text): RADIUS byte work, or a NOT_RADIUS entry misused or stale. */
export function libFindings(sources: ReadonlyMap<string, string>, allowed: ReadonlyMap<string, string> = NOT_RADIUS): string[] {
  const program = programOf(sources);
  const found: string[] = [];
  for (const file of sources.keys()) {
    if (!allowed.has(file)) {
      found.push(...byteWorkIn(program, file, [...RULES, ...RADIUS_ONLY], true));
      continue;
    }
    found.push(...byteWorkIn(program, file, RADIUS_ONLY, false));
    if (byteWorkIn(program, file, RULES, true).length === 0) found.push(`${file}: listed in NOT_RADIUS but does no byte work: take it off the list`);
    for (const imported of importsOf(file, withoutComments(program.getSourceFile(path.join(root, file))!))) {
      if (imported === 'lib/radius' || imported.startsWith('lib/radius/')) found.push(`${file}: listed in NOT_RADIUS but imports ${imported}`);
    }
  }
  for (const file of allowed.keys()) if (!sources.has(file)) found.push(`${file}: listed in NOT_RADIUS but not in lib/`);
  return found;
}

function filesUnder(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return entry.name === 'generated' ? [] : filesUnder(full);
    return entry.name.endsWith('.ts') && !entry.name.endsWith('.d.ts') ? [full] : [];
  });
}

/** Planted lines as one file under lib/, its names typed by `declarations` written after them (lines keep their numbers). */
function planted(file: string, lines: string[], declarations: string): Map<string, string> {
  return new Map([[file, `${lines.join('\n')}\n${declarations}\n`]]);
}

const LINE = (found: string[]): number[] => [...new Set(found.map((entry) => Number(entry.split(':')[1])))];

describe('lib/ handles no RADIUS bytes', function () {
  this.timeout(120_000);

  it('no file under lib/ reads, writes, cuts or signs RADIUS bytes; NOT_RADIUS\'s files do other byte work alone', () => {
    const files = filesUnder(libDir);
    assert.ok(files.length > 150, `lib/ holds ${files.length} files`);
    const sources = new Map(files.map((file) => [path.relative(root, file).split(path.sep).join('/'), fs.readFileSync(file, 'utf8')]));
    const found = libFindings(sources);
    assert.deepEqual(found, [], `RADIUS byte work in lib/ (native/radius does it: lib/radius/attribute-codec.ts):\n${found.join('\n')}`);
  });

  it('names RADIUS value work as the TS codec once did it, in any file, listed or not', () => {
    // What lib/core/attribute-values.ts, lib/eapol/switch-attributes.ts and lib/cli/nas-attributes.ts held.
    const codec = [
      'out.writeUInt32BE(value >>> 0, 0);',
      'const n = value.length === 4 ? value.readUInt32BE(0) : undefined;',
      "const v4 = Buffer.from(text.split('.').map(Number));",
      "const dotted = [...value].join('.');",
      'for (let i = 0; i < 16; i += 2) groups.push(value.readUInt16BE(i).toString(16));',
      'const tagged = value.length === 4 ? value.readUIntBE(1, 3) : undefined;',
      "const group = (value.length > 0 && value[0] <= 0x1f ? value.subarray(1) : value).toString('utf8');",
      'const list = [{ type: NAS_PORT_TYPE, value: Buffer.from([0, 0, 0, NAS_PORT_TYPE_ETHERNET]) }];',
      'value[5] = 2 + data.length;',
    ];
    const declarations = 'declare const out: Buffer, value: Buffer, data: Buffer, text: string, groups: string[], NAS_PORT_TYPE: number, NAS_PORT_TYPE_ETHERNET: number;';
    assert.deepEqual(LINE(libFindings(planted('lib/core/attribute-values.ts', codec, declarations), new Map())), codec.map((_, i) => i + 1));
    // Listed as not RADIUS, the tag, the hand-made value and the packed addresses are still found.
    const listed = libFindings(planted('lib/core/der.ts', codec, declarations), new Map([['lib/core/der.ts', 'DER']]));
    assert.deepEqual(LINE(listed), [3, 4, 5, 7, 8], listed.join('\n'));
  });

  it('a NOT_RADIUS entry that imports lib/radius, does no byte work or names no file is refused', () => {
    const importing = "import { encodeAttributes } from '../radius/attribute-codec';\nexport const at = (packet: Buffer): number => packet[2];\nvoid encodeAttributes;";
    assert.deepEqual(libFindings(new Map([['lib/core/x.ts', importing]]), new Map([['lib/core/x.ts', 'EAP']])),
      ['lib/core/x.ts: listed in NOT_RADIUS but imports lib/radius/attribute-codec']);
    assert.deepEqual(libFindings(new Map([['lib/core/x.ts', 'export const x = 1;']]), new Map([['lib/core/x.ts', 'EAP']])),
      ['lib/core/x.ts: listed in NOT_RADIUS but does no byte work: take it off the list']);
    assert.deepEqual(libFindings(new Map(), new Map([['lib/core/gone.ts', 'EAP']])), ['lib/core/gone.ts: listed in NOT_RADIUS but not in lib/']);
  });

  it('names the byte work a framer, a codec and a signer do, and passes what is not (by type: strings and arrays are not bytes)', () => {
    const offending = [
      'let length = buffered.readUInt16BE(2);',
      'packet.writeUInt16BE(packet.length, 2);',
      "const digest = createHash('md5').update(reply).digest();",
      'const signed = createHmac("MD5", secret).update(packet).digest();',
      'if (reply[0] !== 2) length = 0;',
      'const type = data[at + 1];',
      'buffered = buffered.subarray(length);',
      'const header = packet.slice(0, 20);',
      'const whole = Buffer.concat([header, attributes]);',
      'const made = Buffer.alloc(38);',
      'authenticator.copy(packet, 4);',
      'for (let i = 0; i < chunk.length; i++) sum += chunk[i];',
    ];
    const passing = [
      'secret.fill(0);',
      "const bytes = Buffer.from(text, 'utf8');",
      'const same = a.equals(b);',
      'host = bracketed[1];',
      'const network = entry.network.slice(slash + 1);',
      'const first = found[0];',
      'const NO_BYTES = Buffer.alloc(0);',
      '// buffered.readUInt16BE(2) in a comment',
      "const url = 'http://[::1]/'; /* packet[0] */",
      "const method = values['method'] ?? 'md5';",
      "const given = values['das-client'];",
      'const path = replies[0];',
    ];
    const declarations = [
      'declare let buffered: Buffer; declare const packet: Buffer, reply: Buffer, data: Buffer, chunk: Buffer, secret: Buffer, a: Buffer, b: Buffer;',
      'declare const attributes: Buffer, authenticator: Buffer, at: number; declare let sum: number; declare let host: string;',
      'declare const text: string, bracketed: string[], entry: { network: string }, slash: number, found: RegExpExecArray;',
      'declare const values: Record<string, string>, replies: string[];',
      "import { createHash, createHmac } from 'node:crypto';",
    ].join('\n');
    const found = libFindings(planted('lib/core/sample.ts', [...offending, ...passing], declarations), new Map());
    assert.deepEqual(LINE(found), offending.map((_, i) => i + 1), found.join('\n'));
  });
});
