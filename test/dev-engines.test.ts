import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';

/**
 * `npm ci` installs without EBADENGINE on the Node that runs the suite: every package the lock
 * holds, the developer tools' dependencies included, admits this Node in its engines.node (what
 * npm checks). jscpd 4.3 pulled in commander 15, which wants Node >= 22.12, and npm warned on
 * Node 20; jscpd is pinned to 4.2.4, whose commander 5 runs on Node 18 and 20.
 */
type Version = [number, number, number];

const parse = (text: string): Version => {
  const [major = 0, minor = 0, patch = 0] = text.replace(/^v/, '').split('.').map((part) => Number.parseInt(part, 10) || 0);
  return [major, minor, patch];
};
const compare = (a: Version, b: Version): number => a[0] - b[0] || a[1] - b[1] || a[2] - b[2];

/** Whether `version` satisfies `range`, in the forms the lock's engines fields use: alternatives
 *  joined by ||, each comparators joined by spaces (>=, >, <=, <, =, ^, ~, x ranges, *). */
function satisfies(version: Version, range: string): boolean {
  // ">= 21": an operator may stand apart from its version.
  return range.split('||').some((alternative) => alternative.replace(/(>=|<=|>|<|=|\^|~)\s+/g, '$1').trim().split(/\s+/)
    .filter(Boolean).every((comparator) => {
    if (comparator === '*' || comparator === 'x') return true;
    const match = /^(>=|<=|>|<|=|\^|~)?v?(\d+)(?:\.(\d+|x|\*))?(?:\.(\d+|x|\*))?$/.exec(comparator);
    if (!match) throw new Error(`an engines range this test cannot read: "${range}"`);
    const [, operator = '=', majorText, minorText, patchText] = match;
    const wild = (text: string | undefined) => text === undefined || text === 'x' || text === '*';
    const floor: Version = [Number(majorText), wild(minorText) ? 0 : Number(minorText), wild(patchText) ? 0 : Number(patchText)];
    const order = compare(version, floor);
    switch (operator) {
      case '>=': return order >= 0;
      case '>': return order > 0;
      case '<=': return order <= 0;
      case '<': return order < 0;
      case '^': return order >= 0 && (floor[0] > 0 ? version[0] === floor[0] : version[0] === 0 && version[1] === floor[1]);
      case '~': return order >= 0 && version[0] === floor[0] && (wild(minorText) || version[1] === floor[1]);
      default:
        return version[0] === floor[0] && (wild(minorText) || version[1] === floor[1]) && (wild(patchText) || version[2] === floor[2]);
    }
  }));
}

describe('the lock against this Node (npm ci without EBADENGINE)', () => {
  it('the range reader agrees with npm on the forms the lock uses', () => {
    assert.ok(satisfies(parse('20.20.2'), '>=20'));
    assert.ok(satisfies(parse('20.20.2'), '^20.12||^22||>=24'));
    assert.ok(!satisfies(parse('20.20.2'), '>=22.12.0'));
    assert.ok(!satisfies(parse('18.20.0'), '^20 || >= 21'));
    assert.ok(satisfies(parse('18.20.0'), '^18 || ^20 || >= 21'));
  });

  it(`every locked package admits node ${process.version}`, () => {
    const lock = JSON.parse(readFileSync(path.resolve(__dirname, '..', '..', 'package-lock.json'), 'utf8')) as {
      packages: Record<string, { version?: string; engines?: { node?: string } | string[]; optional?: boolean }>;
    };
    const here = parse(process.version);
    const refused = Object.entries(lock.packages)
      .filter(([name, entry]) => name !== '' && !entry.optional && !Array.isArray(entry.engines) && entry.engines?.node !== undefined)
      .filter(([, entry]) => !satisfies(here, (entry.engines as { node: string }).node))
      .map(([name, entry]) => `${name}@${entry.version} wants node ${(entry.engines as { node: string }).node}`);
    assert.deepEqual(refused, []);
  });
});
