/**
 * The public surface as shipped: no `@internal` declaration in the .d.ts and .d.mts files the
 * package ships, the checked-in API report (api/eaphost.api.md) equal to the one the build gives,
 * each entry point exporting exactly the names docs/api.md lists under "Exports of `entry`", and
 * no more names than its ceiling.
 */
import { strict as assert } from 'node:assert';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createAuthenticator } from '../lib';
import { RadiusServer } from '../lib/radius';

const root = join(__dirname, '..', '..');
const report: {
  apiReport(): string;
  exportedNames(): Record<string, { types: string[]; esmTypes: string[] }>;
  forgottenExports(entries?: { name: string; types: string }[], within?: string): string[];
  declarationDiagnostics(): string[];
  diffLines(expected: string, actual: string): string;
  REPORT: string;
} = require(join(root, 'scripts', 'dev', 'api-report.js'));

const { exports: exportMap } = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as
  { exports: Record<string, string | { require: { default: string } }> };

function declarationFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const file = join(dir, entry.name);
    if (entry.isDirectory()) return declarationFiles(file);
    return /\.d\.m?ts$/.test(entry.name) ? [file] : [];
  });
}

/**
 * The names a "### Exports of `entry`" section of a document lists: in each `- ` item, the
 * backquoted identifiers before its ` — `.
 */
export function documentedExports(text: string): Map<string, string[]> {
  const sections = new Map<string, string[]>();
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const heading = /^#+ Exports of `([^`]+)`\s*$/.exec(lines[i]);
    if (!heading) continue;
    const body: string[] = [];
    for (i++; i < lines.length && !lines[i].startsWith('#'); i++) body.push(lines[i]);
    i--;
    const items = body.join('\n').split(/^- /m).slice(1).map((item) => item.replace(/\s+/g, ' '));
    const names = items.flatMap((item) => {
      const dash = item.indexOf(' — ');
      return [...(dash < 0 ? item : item.slice(0, dash)).matchAll(/`([A-Za-z_$][\w$]*)`/g)].map((m) => m[1]);
    });
    sections.set(heading[1], names);
  }
  return sections;
}

const sorted = (names: Iterable<string>) => [...names].sort();

describe('the public surface', function () {
  this.timeout(120_000);

  it('ships no @internal declaration in dist/lib or dist/esm', () => {
    const files = [...declarationFiles(join(root, 'dist', 'lib')), ...declarationFiles(join(root, 'dist', 'esm'))];
    assert.ok(files.some((f) => f.endsWith('.d.mts')) && files.length > 50, `only ${files.length} declaration files found`);
    const carrying = files.filter((file) => readFileSync(file, 'utf8').includes('@internal'))
      .map((file) => file.slice(root.length + 1));
    assert.deepEqual(carrying, [], 'stripInternal (tsconfig.json) keeps @internal declarations out of what ships');
  });

  it('ships declarations that compile when a user checks them (no skipLibCheck)', () => {
    assert.deepEqual(report.declarationDiagnostics(), []);
  });

  it(`${report.REPORT} is the report of this build`, () => {
    const checkedIn = readFileSync(join(root, report.REPORT), 'utf8');
    const built = report.apiReport();
    if (checkedIn !== built) {
      assert.fail(`the public API changed: ${report.REPORT} differs from the build.\n${report.diffLines(checkedIn, built)}\n`
        + 'If the change is meant, run `npm run build:ts && node scripts/dev/api-report.js --write` and commit the file.');
    }
  });

  it('keeps each entry within its ceilings: runtime names and types counted apart, at most 64 runtime names in all', () => {
    // Runtime names (what require() gives: classes, functions, constants) are what a user must
    // learn; a new one displaces one. Types are counted apart: every type a public signature
    // reaches has a name (the next test), so their number follows the signatures.
    const ceilings: Record<string, { runtime: number; types: number }> = {
      eaphost: { runtime: 22, types: 53 },
      'eaphost/radius': { runtime: 16, types: 51 },
      'eaphost/profile': { runtime: 19, types: 32 },
      'eaphost/eapol': { runtime: 7, types: 14 },
    };
    const exported = report.exportedNames();
    assert.deepEqual(sorted(Object.keys(exported)), sorted(Object.keys(ceilings)), 'one ceiling per entry point');
    let runtimeNames = 0;
    for (const [subpath, target] of Object.entries(exportMap)) {
      if (typeof target === 'string') continue;
      const entry = subpath === '.' ? 'eaphost' : `eaphost/${subpath.slice(2)}`;
      const runtime = Object.keys(require(join(root, target.require.default)));
      const types = exported[entry].types.filter((name) => !runtime.includes(name));
      runtimeNames += runtime.length;
      assert.ok(runtime.length <= ceilings[entry].runtime,
        `${entry} exports ${runtime.length} runtime names, more than its ceiling of ${ceilings[entry].runtime}`);
      assert.ok(types.length <= ceilings[entry].types,
        `${entry} exports ${types.length} types, more than its ceiling of ${ceilings[entry].types}`);
    }
    assert.ok(runtimeNames <= 64, `the entries export ${runtimeNames} runtime names, more than 64`);
  });

  it('names every type a public signature reaches in some entry (no forgotten export), and the report imports nothing', () => {
    assert.deepEqual(report.forgottenExports(), []);
    const imports = readFileSync(join(root, report.REPORT), 'utf8').split('\n').filter((line) => line.includes('import('));
    assert.deepEqual(imports, [], `${report.REPORT} names a type only through import('…')`);
  });

  it('the check finds a forgotten type, and one reached only through another', () => {
    const dir = mkdtempSync(join(tmpdir(), 'eaphost-forgotten-'));
    try {
      writeFileSync(join(dir, 'hidden.d.ts'), 'export interface Inner { n: number }\nexport interface Hidden { inner: Inner }\n'
        + 'export declare class Quiet { private secret: Inner; }\n');
      writeFileSync(join(dir, 'index.d.ts'), "import { Hidden, Quiet } from './hidden';\n"
        + 'export declare function open(options: Hidden): Promise<void>;\nexport { Quiet };\n');
      assert.deepEqual(report.forgottenExports([{ name: 'pkg', types: join(dir, 'index.d.ts') }], dir),
        ['Hidden, reached from pkg: open', 'Inner, reached from pkg: open']);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('gives import the same names as require, entry by entry', () => {
    for (const [entry, names] of Object.entries(report.exportedNames())) {
      assert.ok(names.types.length > 0, `${entry} exports nothing`);
      assert.deepEqual(names.esmTypes, names.types, `${entry}: the .d.mts and the .d.ts export different names`);
    }
  });

  it('exports from each entry exactly the names docs/api.md lists for it', () => {
    const documented = documentedExports(readFileSync(join(root, 'docs', 'api.md'), 'utf8'));
    const exported = report.exportedNames();
    assert.deepEqual(sorted(documented.keys()), sorted(Object.keys(exported)),
      'docs/api.md has one "### Exports of `entry`" section per entry point of package.json');
    for (const [entry, names] of Object.entries(exported)) {
      const listed = documented.get(entry) ?? [];
      const twice = listed.filter((name, i) => listed.indexOf(name) !== i);
      assert.deepEqual(twice, [], `docs/api.md lists these ${entry} names twice`);
      const undocumented = names.types.filter((name) => !listed.includes(name));
      const gone = listed.filter((name) => !names.types.includes(name));
      assert.deepEqual({ undocumented, gone }, { undocumented: [], gone: [] },
        `${entry}: exported but not in docs/api.md's "Exports of \`${entry}\`" (undocumented), or listed there but not exported (gone)`);
    }
  });

  it('has at run time no value the declarations do not declare', () => {
    const exported = report.exportedNames();
    for (const [subpath, target] of Object.entries(exportMap)) {
      if (typeof target === 'string') continue;
      const entry = subpath === '.' ? 'eaphost' : `eaphost/${subpath.slice(2)}`;
      const values = Object.keys(require(join(root, target.require.default)));
      assert.ok(values.length > 0, `${entry} exports no value at run time`);
      assert.deepEqual(values.filter((name) => !exported[entry].types.includes(name)), [], `${entry} exports undeclared values`);
    }
  });

  it('types what a user passes, and lets a user write nothing the classes own', async () => {
    // @ts-expect-error: a RadiusServer serves an embedded authenticator, not any object
    assert.throws(() => new RadiusServer({ authenticator: {}, secret: 'testing123' }), TypeError);
    await using authenticator = await createAuthenticator({ users: {} });
    const conversation = authenticator.createConversation();
    // @ts-expect-error: what the conversation settled on is read-only
    assert.throws(() => { conversation.methodType = 4; }, TypeError);
    // @ts-expect-error: the same
    assert.throws(() => { conversation.identity = 'mallory'; }, TypeError);
    assert.deepEqual([conversation.methodType, conversation.identity], [0, '']);
    // @ts-expect-error: one name per action: retransmission() is the EapTransport's
    assert.equal(conversation.retransmit, undefined);
    await conversation.close();
  });

  it('reads an Exports section as the names before each dash, and diffs line by line', () => {
    const text = '# Doc\n\n### Exports of `pkg`\n\n- `a`, `B` — uses `notAName`.\n- `c`,\n  `d` — wrapped.\n\n## Next\n- `e` — elsewhere\n';
    assert.deepEqual([...documentedExports(text)], [['pkg', ['a', 'B', 'c', 'd']]]);
    assert.equal(report.diffLines('x\ny\nz', 'x\nw\nz'), '-y\n+w');
  });
});
