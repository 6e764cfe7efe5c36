/** The named native contract is two reviewed files, lib/native/contract.ts and
 *  native/addon/contract.h: every struct the header declares is the interface of the same name
 *  in the TypeScript contract, member for member and in the same order, and every named argument
 *  or result object a call takes or gives (`XxxArgs`, `XxxResult`) is declared on both sides. */
import { strict as assert } from 'assert';
import * as fs from 'fs';
import * as path from 'path';

const root = path.resolve(__dirname, '..', '..');
const read = (file: string) => fs.readFileSync(path.join(root, file), 'utf8');

/** `struct Name { Type member; Type member = default; … };` → Name: [member, …]. */
export function structFields(header: string): Map<string, string[]> {
  const structs = new Map<string, string[]>();
  for (const match of header.matchAll(/^struct (\w+) \{\n([\s\S]*?)^\};/gm)) {
    const fields: string[] = [];
    for (const raw of match[2].split('\n')) {
      const line = raw.replace(/\/\/.*$/, '').trim();
      if (line === '') continue;
      const member = /(\w+)\s*(?:=[^;]*)?;$/.exec(line);
      if (!member) throw new Error(`contract.h: struct ${match[1]}: cannot read the member "${line}"`);
      fields.push(member[1]);
    }
    structs.set(match[1], fields);
  }
  return structs;
}

/** `export interface Name { member?: Type; … }` → Name: [member, …] (comments and methods' bodies skipped). */
export function interfaceFields(source: string): Map<string, string[]> {
  const interfaces = new Map<string, string[]>();
  for (const match of source.matchAll(/^export interface (\w+) \{\n([\s\S]*?)^\}/gm)) {
    const body = match[2].replace(/\/\*[\s\S]*?\*\//g, '').replace(/\/\/.*$/gm, '');
    const fields = [...body.matchAll(/^\s{2}(?:readonly )?(\w+)\??:/gm)].map((member) => member[1]);
    interfaces.set(match[1], fields);
  }
  return interfaces;
}

/** What disagrees between the two files; [] when they match. */
export function contractMismatches(header: string, source: string): string[] {
  const structs = structFields(header);
  const interfaces = interfaceFields(source);
  const problems: string[] = [];
  for (const [name, fields] of structs) {
    const declared = interfaces.get(name);
    if (!declared) problems.push(`contract.h's struct ${name} has no interface ${name} in contract.ts`);
    else if (declared.join(',') !== fields.join(',')) {
      problems.push(`${name}: contract.h has (${fields.join(', ')}), contract.ts has (${declared.join(', ')})`);
    }
  }
  for (const name of interfaces.keys()) {
    if (/(Args|Result)$/.test(name) && !structs.has(name)) problems.push(`contract.ts's ${name} has no struct in contract.h`);
  }
  return problems;
}

describe('the named native contract', () => {
  it('declares every argument and result object in contract.ts and contract.h, member for member', () => {
    const header = read('native/addon/contract.h');
    const source = read('lib/native/contract.ts');
    assert.ok(structFields(header).size > 0, 'contract.h declares no struct');
    assert.deepEqual(contractMismatches(header, source), []);
  });

  it('reports a renamed member, a reordered one, and an object only one side declares', () => {
    const header = 'struct FooArgs {\n  Napi::Value handle;\n  std::optional<Bytes> packet;  // why\n  bool timeout = false;\n};\n';
    const source = 'export interface FooArgs {\n  /** the handle */\n  handle: H;\n  packet?: Buffer;\n  timeout?: boolean;\n}\n';
    assert.deepEqual(contractMismatches(header, source), []);
    assert.equal(contractMismatches(header.replace('timeout', 'timedOut'), source).length, 1);
    assert.equal(contractMismatches(header, source.replace('  handle: H;\n  packet?: Buffer;', '  packet?: Buffer;\n  handle: H;')).length, 1);
    assert.equal(contractMismatches(header, `${source}export interface BarResult {\n  done: boolean;\n}\n`).length, 1);
    assert.equal(contractMismatches(`${header}struct BazResult {\n  int done;\n};\n`, source).length, 1);
  });
});
