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

/** The EAP method types, from the one method table the builds read. */
const methodTypes: number[] = JSON.parse(fs.readFileSync(path.join(root, 'native', 'methods', 'methods.json'), 'utf8'))
  .methods.map((method: { type: number }) => method.type);

/**
 * Where a source names an EAP method: an import of the method table, a method of the EAP type enum,
 * a method's type number compared against or listed in a set or array, or the Type octet read.
 */
function namedMethodTypes(source: string): string[] {
  const code = source.replace(/\/\*[\s\S]*?\*\//g, '').replace(/\/\/.*$/gm, '');
  const number = `(?:${methodTypes.join('|')})`;
  const patterns = [
    /from '[^']*method-table'/g,
    /\bEapType\.(?!Identity\b|Notification\b|Nak\b|Expanded\b)\w+/g,
    new RegExp(`\\w*(?:eap|type|method)\\w*(?:\\[\\d+\\])?\\s*[=!]==?\\s*${number}\\b`, 'gi'),
    new RegExp(`\\b${number}\\s*[=!]==?\\s*\\w*(?:eap|type|method)`, 'gi'),
    new RegExp(`\\[[^\\]\\[]*\\b${number}\\s*,[^\\]\\[]*\\]|\\[[^\\]\\[]*,\\s*${number}\\b[^\\]\\[]*\\]`, 'g'),
    /\b\w*(?:eap|packet|response|request)\w*\[4\]/gi,
  ];
  return patterns.flatMap((pattern) => code.match(pattern) ?? []);
}

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

  it('a cycle, an upward import, a file outside every layer and the CLI on the raw binding are each reported', () => {
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
      // The command line calling the raw binding (as lib/cli/register once did): downward, yet refused.
      write('lib/cli/register.ts', "import { loaded } from '../native/loader';\nexport const registered = loaded;\n");
      const { status, output } = cruise(dir);
      assert.notEqual(status, 0, output);
      assert.match(output, /native-not-to-session/);
      assert.match(output, /no-circular/);
      assert.match(output, /every-module-in-a-layer/);
      assert.match(output, /cli-not-to-native/);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('lib/radius names no EAP method: it asks the core (EAP packet, method facts) instead', () => {
    const dir = path.join(root, 'lib', 'radius');
    for (const file of fs.readdirSync(dir).filter((name) => name.endsWith('.ts'))) {
      assert.deepEqual(namedMethodTypes(fs.readFileSync(path.join(dir, file), 'utf8')), [], `lib/radius/${file}`);
    }
    // The check fires on what lib/radius held before it asked the core.
    assert.notDeepEqual(namedMethodTypes('const TLS_METHOD_TYPES = new Set([13, 21, 25]);'), []);
    assert.notDeepEqual(namedMethodTypes('if (eap.length >= 5) conversation.eapType = eap[4];'), []);
    assert.notDeepEqual(namedMethodTypes('if (type === 26) return;'), []);
    assert.notDeepEqual(namedMethodTypes("import { METHOD_TABLE } from '../core/method-table';"), []);
    assert.notDeepEqual(namedMethodTypes('if (type === EapType.MsChapV2) return;'), []);
  });
});
