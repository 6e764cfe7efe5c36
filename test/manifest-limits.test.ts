/** The method manifest reader stays linear and bounded on hostile input (item 10). */
import { strict as assert } from 'assert';
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

function readManifest(text: string): { methods?: number; error?: string; ms: number } {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'eaphost-manifest-'));
  const file = path.join(dir, 'methods.json');
  fs.writeFileSync(file, text);
  try {
    const r = spawnSync(process.execPath, [path.join(__dirname, 'fixtures', 'manifest-child.js')],
      { encoding: 'utf8', timeout: 60000, env: { ...process.env, EAPHOST_METHODS_MANIFEST: file } });
    assert.equal(r.status, 0, r.stderr);
    return JSON.parse(r.stdout.trim().split('\n').pop()!);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

describe('method manifest limits', () => {
  it('a 1 MiB manifest with ~96k keys is refused in well under a second, naming the key cap', function () {
    this.timeout(70000);
    const keys: string[] = [];
    for (let i = 0, length = 0; length < 1024 * 1024 - 64; i++) {
      keys.push(`"k${i}":0`);
      length += keys[i].length + 1;
    }
    const text = `{"methods":[],${keys.join(',')}}`;
    assert.ok(text.length <= 1024 * 1024 && keys.length > 90000, `${keys.length} keys in ${text.length} bytes`);
    const outcome = readManifest(text);
    assert.match(outcome.error ?? '', /more than 4096 keys in one object/);
    assert.ok(outcome.ms < 1000, `took ${outcome.ms} ms`);
  });

  it('4096 distinct keys are still read (and duplicates still refused)', function () {
    this.timeout(70000);
    const keys = Array.from({ length: 4095 }, (_, i) => `"k${i}":0`);
    const many = readManifest(`{"methods":[],${keys.join(',')}}`);
    assert.doesNotMatch(many.error ?? '', /keys in one object|duplicate/);
    assert.match(readManifest('{"methods":[],"a":1,"a":2}').error ?? '', /duplicate key "a"/);
  });

  it('a document of more than 65536 values is refused', function () {
    this.timeout(70000);
    const outcome = readManifest(`{"methods":[],"x":[${new Array(70000).fill('0').join(',')}]}`);
    assert.match(outcome.error ?? '', /more than 65536 values/);
  });
});
