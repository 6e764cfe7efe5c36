/**
 * lib/'s layers (.dependency-cruiser.cjs, README "Architecture"): no import from a lower layer
 * to a higher one, no import cycle. The same check as `npm run lint:deps`, and proof on a small
 * tree with one of each that the rules fire.
 */
import { strict as assert } from 'assert';
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

const root = path.resolve(__dirname, '..', '..');
const cruiser = path.join(root, 'node_modules', 'dependency-cruiser', 'bin', 'dependency-cruise.mjs');
const config = path.join(root, '.dependency-cruiser.cjs');

function cruise(cwd: string): { status: number | null; output: string } {
  const run = spawnSync(process.execPath, [cruiser, 'lib', '--config', config, '--output-type', 'err'],
    { cwd, encoding: 'utf8' });
  return { status: run.status, output: `${run.stdout}${run.stderr}` };
}

describe('the layers of lib/', function () {
  // dependency-cruiser parses all of lib/ with the TypeScript compiler: slow on a loaded machine.
  this.timeout(300_000);

  it('lib/ imports only downward and has no import cycle', () => {
    const { status, output } = cruise(root);
    assert.equal(status, 0, output);
  });

  it('a cycle, an upward import and a file outside every layer are each reported', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'eaphost-layers-'));
    try {
      const write = (file: string, text: string) => {
        fs.mkdirSync(path.dirname(path.join(dir, file)), { recursive: true });
        fs.writeFileSync(path.join(dir, file), text);
      };
      // The native seam reaching up into the session facade, which imports it: upward and a cycle.
      write('lib/native/loader.ts', "import { open } from '../session/eaphost';\nexport const loaded = open;\n");
      write('lib/session/eaphost.ts', "import { loaded } from '../native/loader';\nexport const open = () => loaded;\n");
      write('lib/stray.ts', "import { open } from './session/eaphost';\nexport const stray = open;\n");
      const { status, output } = cruise(dir);
      assert.notEqual(status, 0, output);
      assert.match(output, /native-not-to-session/);
      assert.match(output, /no-circular/);
      assert.match(output, /every-module-in-a-layer/);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
