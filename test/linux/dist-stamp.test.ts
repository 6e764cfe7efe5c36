/** scripts/dev/dist-stamp.js: npm test skips its TypeScript build only when dist/ was built from
 *  exactly the inputs there are now, judged by contents, never by times. */
import { strict as assert } from 'assert';
import { createHash } from 'crypto';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

const root = path.resolve(__dirname, '..', '..', '..');
// eslint-disable-next-line @typescript-eslint/no-var-requires
const { inputsDigest } = require(path.join(root, 'scripts', 'dev', 'dist-stamp.js')) as { inputsDigest(base: string): string };

describe('the record of what dist/ was built from', () => {
  let tree = '';
  const write = (rel: string, text: string) => {
    fs.mkdirSync(path.dirname(path.join(tree, rel)), { recursive: true });
    fs.writeFileSync(path.join(tree, rel), text);
  };

  beforeEach(() => {
    tree = fs.mkdtempSync(path.join(os.tmpdir(), 'eaphost-dist-stamp-'));
    write('lib/a.ts', 'export const a = 1;\n');
    write('lib/core/b.ts', 'export const b = 2;\n');
    write('test/c.test.ts', 'it("c", () => {});\n');
    write('tsconfig.json', '{}\n');
    write('package.json', '{"name":"x"}\n');
    write('package-lock.json', '{"lockfileVersion":3}\n');
    write('native/methods/methods.json', '{"methods":[]}\n');
  });
  afterEach(() => fs.rmSync(tree, { recursive: true, force: true }));

  it('is a SHA-256 that times alone do not change', () => {
    const before = inputsDigest(tree);
    assert.match(before, /^[0-9a-f]{64}$/);
    const later = new Date(Date.now() + 3_600_000);
    for (const rel of ['lib/a.ts', 'test/c.test.ts', 'package-lock.json']) fs.utimesSync(path.join(tree, rel), later, later);
    assert.equal(inputsDigest(tree), before);
  });

  it('changes with a changed, added, removed or renamed source, and with the lock or the method table', () => {
    const seen = new Set([inputsDigest(tree)]);
    const changed = (what: string) => {
      const now = inputsDigest(tree);
      assert.ok(!seen.has(now), `${what} left the digest as it was`);
      seen.add(now);
    };
    write('test/c.test.ts', 'it("c", () => { throw new Error(); });\n');
    changed('an edited test');
    write('lib/core/new.ts', 'export const n = 3;\n');
    changed('a new file under lib/');
    fs.rmSync(path.join(tree, 'lib/core/b.ts'));
    changed('a removed file');
    fs.renameSync(path.join(tree, 'lib/a.ts'), path.join(tree, 'lib/renamed.ts'));
    changed('a renamed file');
    write('package-lock.json', '{"lockfileVersion":3,"packages":{}}\n');
    changed('another lock');
    write('native/methods/methods.json', '{"methods":[{"name":"x"}]}\n');
    changed('another method table');
    fs.rmSync(path.join(tree, 'tsconfig.json'));
    changed('a missing tsconfig.json');
  });

  it('reads only what the build reads: TypeScript under lib/, test/ and bench/, and the named files', () => {
    const before = inputsDigest(tree);
    write('lib/README.md', 'notes\n');
    write('test/fixtures/data.bin', 'bytes\n');
    write('docs/x.ts', 'export {};\n');
    assert.equal(inputsDigest(tree), before);
  });

  it('is each input by path and contents, in path order (an independent digest of the same tree agrees)', () => {
    const files = ['lib/a.ts', 'lib/core/b.ts', 'test/c.test.ts', 'tsconfig.json', 'package.json', 'package-lock.json',
      'native/methods/methods.json'];
    const hash = createHash('sha256');
    for (const rel of files) hash.update(`${rel}\0`).update(fs.readFileSync(path.join(tree, rel))).update('\0');
    assert.equal(inputsDigest(tree), hash.digest('hex'));
  });
});
